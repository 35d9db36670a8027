"""Reading Code-Point Open CSVs and neighbourhood boundaries (GeoJSON, data.police.uk KML)."""
import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from app.importers.boundaries import FORCE_NAMES, force_slug, read_boundaries
from app.importers.codepoint import read_codepoint
from app.importers.report import ImportReport

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def read_all_codepoint(path):
    report = ImportReport()
    rows = {}
    for batch in read_codepoint(path, report):
        for row in batch.rows():
            rows[row[0]] = row
    return rows, report


# -- Code-Point Open --------------------------------------------------------------------


def test_codepoint_reads_every_csv_and_csv_gz_in_a_folder_and_nothing_else():
    rows, _ = read_all_codepoint(FIXTURES / "codepoint")
    assert set(rows) == {"EH1 1AD", "LS1 1BA", "LS1 1AZ", "LS1 1BL", "LS2 7HY", "BD1 1AA", "BD1 1AB"}


def test_codepoint_normalises_postcodes_and_converts_to_wgs84_rounded_to_6_places():
    rows, _ = read_all_codepoint(FIXTURES / "codepoint" / "ls.csv")
    postcode, quality, easting, northing, lat, lon = rows["LS1 1AZ"]
    assert (quality, easting, northing) == (10, 428811, 433420)
    assert lat == pytest.approx(53.7963, abs=0.001) and lon == pytest.approx(-1.5641, abs=0.001)
    assert round(lat, 6) == lat and round(lon, 6) == lon
    assert "LS1 1BL" in rows  # was "ls11bl"
    assert "LS2 7HY" in rows  # was quoted


def test_codepoint_rows_without_coordinates_are_kept_with_nulls():
    rows, _ = read_all_codepoint(FIXTURES / "codepoint" / "ls.csv")
    assert rows["BD1 1AA"] == ("BD1 1AA", 90, None, None, None, None)  # quality 90
    assert rows["BD1 1AB"] == ("BD1 1AB", 60, None, None, None, None)  # easting/northing 0


def test_codepoint_bad_rows_are_skipped_and_reported_with_reasons():
    _, report = read_all_codepoint(FIXTURES / "codepoint")
    assert report.skipped == {
        "malformed postcode": 2,
        "bad numbers": 2,
        "duplicate postcode": 2,
        "wrong number of columns": 1,
    }
    assert report.examples["malformed postcode"][0] == "ls.csv:5 'NOTAPOSTCODE'"
    assert report.examples["duplicate postcode"] == ["ls.csv:2 LS1 1BA", "ls.csv:9 LS1 1AZ"]
    assert any("bad numbers" in line for line in report.summary_lines())


def test_codepoint_first_occurrence_of_a_duplicate_wins():
    rows, _ = read_all_codepoint(FIXTURES / "codepoint")
    assert rows["LS1 1BA"][2:4] == (1, 1)  # eh.csv.gz is read before ls.csv


def test_codepoint_batches_are_numpy_arrays_with_nan_for_no_coordinates(tmp_path):
    path = tmp_path / "x.csv.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("".join(f"LS1 1A{c},10,428811,433420\n" for c in "BDEFGH"))
        handle.write("LS1 1AJ,90,0,0\n")
    batches = list(read_codepoint(path, ImportReport(), batch_rows=3))
    assert [len(b) for b in batches] == [3, 3, 1]
    assert batches[0].easting.dtype == np.float64
    assert np.isnan(batches[2].latitude[0]) and not batches[2].has_coordinates[0]


def batches_as_rows(batches):
    return [(b.source, b.rows(), b.quality.dtype, b.has_coordinates.tolist()) for b in batches]


@pytest.mark.parametrize("folder", [ROOT / "data" / "demo" / "codepoint", FIXTURES / "codepoint"])
def test_codepoint_bulk_parsing_gives_exactly_what_reading_row_by_row_gives(folder):
    from app.importers import codepoint

    def row_by_row(file, report, seen, batch_rows):
        return codepoint._read_rows_one_by_one(file, report, seen, batch_rows)

    bulk_report, slow_report = ImportReport(), ImportReport()
    bulk = batches_as_rows(read_codepoint(folder, bulk_report, batch_rows=5_000))
    original = codepoint._read_file
    codepoint._read_file = row_by_row
    try:
        slow = batches_as_rows(read_codepoint(folder, slow_report, batch_rows=5_000))
    finally:
        codepoint._read_file = original
    assert bulk == slow
    assert (bulk_report.skipped, bulk_report.examples) == (slow_report.skipped, slow_report.examples)


def test_a_file_with_one_irregular_row_is_read_row_by_row_and_the_row_reported(tmp_path):
    path = tmp_path / "ls.csv.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("LS1 1AZ,10,428811,433420\r\nLS1 1BA,10,429317,433507\r\nLS1 1BL,10,900000,433420\r\n")
    report = ImportReport()
    rows = [row for batch in read_codepoint(path, report) for row in batch.rows()]
    assert [r[0] for r in rows] == ["LS1 1AZ", "LS1 1BA"]
    assert report.examples["bad numbers"] == ["ls.csv.gz:3 LS1 1BL"]


def test_a_postcode_repeated_in_a_later_regular_file_is_reported_as_a_duplicate(tmp_path):
    for name, rows in (("a.csv", "LS1 1AZ,10,428811,433420\n"), ("b.csv", "LS1 1BA,10,1,1\nLS1 1AZ,10,2,2\n")):
        (tmp_path / name).write_text(rows)
    report = ImportReport()
    rows = {row[0]: row for batch in read_codepoint(tmp_path, report) for row in batch.rows()}
    assert rows["LS1 1AZ"][2] == 428811  # the first occurrence wins
    assert report.examples["duplicate postcode"] == ["b.csv:2 LS1 1AZ"]


# -- boundaries: GeoJSON ----------------------------------------------------------------


def read_all_boundaries(path):
    report = ImportReport()
    return {f.id: f for f in read_boundaries(path, report)}, report


def test_geojson_features_become_neighbourhoods_with_force_slugs():
    features, _ = read_all_boundaries(FIXTURES / "boundaries.geojson")
    leeds = features["E02002330"]
    assert (leeds.name, leeds.force_id, leeds.force_name, leeds.local_authority) == (
        "Leeds 111",
        "west-yorkshire",
        "West Yorkshire",
        "Leeds",
    )
    assert leeds.geometry.geom_type == "Polygon"
    assert features["E02000001"].force_id == "city-of-london"
    assert features["E02000001"].local_authority is None
    assert features["E02000100"].force_id == "metropolitan"


def test_geojson_invalid_geometry_is_repaired_and_reported():
    features, report = read_all_boundaries(FIXTURES / "boundaries.geojson")
    bow_tie = features["E02000100"].geometry
    assert bow_tie.is_valid and bow_tie.area > 0
    assert report.notes["invalid geometry repaired with make_valid"] == 1


def test_geojson_features_without_id_geometry_or_force_are_skipped_with_reasons():
    features, report = read_all_boundaries(FIXTURES / "boundaries.geojson")
    assert set(features) == {"E02002330", "E02000001", "E02000100"}
    assert report.skipped == {"no id": 1, "no geometry": 1, "geometry is not a polygon": 1, "no force": 1}


def test_gzipped_geojson_reads_the_same(tmp_path):
    path = tmp_path / "b.geojson.gz"
    path.write_bytes(gzip.compress((FIXTURES / "boundaries.geojson").read_bytes()))
    assert set(read_all_boundaries(path)[0]) == {"E02002330", "E02000001", "E02000100"}


_SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


@pytest.mark.parametrize("geometry", [
    {"type": "Polygon", "coordinates": [_SQUARE, [[0.1, 0.1], [0.2, 0.1], [0.2, 0.2], [0.1, 0.1]],
                                        [[0.5, 0.5], [0.6, 0.5], [0.6, 0.6], [0.7, 0.7], [0.5, 0.5]]]},
    {"type": "Polygon", "coordinates": [[[0, 0, 5], [1, 0, 5], [1, 1, 5]]]},  # 3D, ring not closed
    {"type": "MultiPolygon", "coordinates": [[_SQUARE], [[[5, 5], [6, 5], [6, 6], [5, 5]]]]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0]]]},  # too few points: an error either way
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1, 3], [0, 0]]]},  # ragged
    {"type": "Polygon", "coordinates": [_SQUARE, [[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 0, 1]]]},  # 2D shell, 3D hole
    {"type": "Polygon", "coordinates": []},
    {"type": "MultiPolygon", "coordinates": []},
    {"type": "MultiPolygon", "coordinates": [[]]},
    {"type": "Point", "coordinates": [1, 2]},
])
def test_geojson_polygons_are_made_exactly_as_shapely_makes_them(geometry):
    from shapely.geometry import shape

    from app.importers.boundaries import geojson_shape

    def made(make):
        try:
            made = make(geometry)
        except Exception as error:  # noqa: BLE001 - the same kind of error is the same answer
            return type(error)
        return made.geom_type, made.has_z, made.wkt

    assert made(geojson_shape) == made(shape)


def test_the_demo_boundaries_are_made_exactly_as_shapely_makes_them():
    from shapely.geometry import shape

    from app.importers.boundaries import geojson_shape

    with gzip.open(ROOT / "data" / "demo" / "neighbourhoods.geojson.gz") as handle:
        geometries = [f["geometry"] for f in json.load(handle)["features"]]
    assert len(geometries) > 10
    for geometry in geometries:
        fast, reference = geojson_shape(geometry), shape(geometry)
        assert fast.geom_type == reference.geom_type and fast.equals_exact(reference, 0)


# -- boundaries: data.police.uk KML -----------------------------------------------------


def test_kml_folder_gives_one_neighbourhood_per_file_with_force_from_the_folder():
    features, report = read_all_boundaries(FIXTURES / "kml")
    assert set(features) == {"LS1", "E05000026N"}
    ls1 = features["LS1"]
    assert (ls1.force_id, ls1.force_name, ls1.name) == ("west-yorkshire", "West Yorkshire", "LS1")
    assert len(ls1.geometry.interiors) == 1  # the innerBoundaryIs hole
    assert ls1.geometry.bounds == pytest.approx((-1.56, 53.79, -1.53, 53.81))
    met = features["E05000026N"]
    assert met.force_id == "metropolitan" and met.geometry.geom_type == "MultiPolygon"
    assert report.skipped == {"unreadable file": 1, "no geometry": 1}


# -- force slugs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, slug",
    [
        ("West Yorkshire", "west-yorkshire"),
        ("Avon and Somerset", "avon-and-somerset"),
        ("Avon & Somerset", "avon-and-somerset"),
        ("Metropolitan Police", "metropolitan"),
        ("metropolitan-police", "metropolitan"),
        ("City of London", "city-of-london"),
        ("City of London Police", "city-of-london"),
        ("Devon & Cornwall", "devon-and-cornwall"),
        ("Devon and Cornwall", "devon-and-cornwall"),
        ("Dyfed-Powys", "dyfed-powys"),
        ("West Yorkshire Police", "west-yorkshire"),
        ("west-yorkshire", "west-yorkshire"),
    ],
)
def test_force_slug_matches_data_police_uk(name, slug):
    assert force_slug(name) == slug


def test_every_force_name_maps_to_its_own_slug():
    for slug, name in FORCE_NAMES.items():
        assert force_slug(name) == slug
    assert len(FORCE_NAMES) == 43


def test_the_demo_extract_forces_are_known():
    demo = Path(__file__).resolve().parents[2] / "data" / "demo" / "neighbourhoods.geojson.gz"
    with gzip.open(demo, "rt") as handle:
        forces = {f["properties"]["force"] for f in json.load(handle)["features"]}
    assert {force_slug(f) for f in forces} <= set(FORCE_NAMES)


def test_seen_postcodes_are_kept_as_keys_that_sort_as_the_postcodes_do():
    from app.importers.codepoint import SeenPostcodes, postcode_keys

    postcodes = ["B1 1AA", "B99 9ZZ", "BA1 1AA", "E1 6AN", "E1W 1AA", "EC1A 1BB", "W1A 0AX", "WC2N 5DU", "ZE3 9JZ"]
    assert sorted(postcodes, key=lambda p: postcode_keys([p])[0]) == sorted(postcodes)
    seen = SeenPostcodes()
    seen.add_all(["LS1 1AZ", "LS6 3HN"])
    seen.add_all(["E1 6AN", "EH1 1AA", "YO1 7HH"])  # overlaps the first file's range
    assert len(seen) == 5
    assert all(p in seen for p in ["LS1 1AZ", "LS6 3HN", "E1 6AN", "EH1 1AA", "YO1 7HH"])
    assert not any(p in seen for p in ["LS1 1BA", "LS6 3H", "E1 6A", "YO1 7HJ", "A1 1AA", "ZZ9 9ZZ"])
    assert seen.any_of(["M1 1AA", "LS6 3HN"]) and not seen.any_of(["M1 1AA", "LS6 3HP"]) and not seen.any_of([])


def test_a_postcode_repeated_in_a_later_irregular_file_is_reported_as_a_duplicate(tmp_path):
    (tmp_path / "a.csv").write_text("LS1 1AZ,10,428811,433420\n")
    (tmp_path / "b.csv").write_text("LS1 1BA,10,1,1\nls11az,10,2,2\nLS1 1BA,10,3,3\n")  # irregular: read row by row
    report = ImportReport()
    rows = {row[0]: row for batch in read_codepoint(tmp_path, report) for row in batch.rows()}
    assert rows["LS1 1AZ"][2] == 428811 and rows["LS1 1BA"][2] == 1
    assert report.examples["duplicate postcode"] == ["b.csv:2 LS1 1AZ", "b.csv:3 LS1 1BA"]


def test_rows_for_a_binary_copy_are_laid_out_as_postgresql_reads_them():
    from app.importers.stored import COPY_HEADER, COPY_TRAILER, binary_copy_rows

    rows = binary_copy_rows([
        (np.array([b"LS1 1AZ", b"G1 1AA"], dtype="S8"), np.array([7, 6], dtype=np.int32)),  # text, of two lengths
        (np.array([10, 90], dtype=">i2"), None),  # every value whole
        (np.array([430_000, 0], dtype=">i4"), np.array([4, -1], dtype=np.int32)),  # the second NULL
        (np.array([53.5, 0.0], dtype=">f8"), np.array([8, -1], dtype=np.int32)),
    ])
    first = (b"\x00\x04" + b"\x00\x00\x00\x07LS1 1AZ" + b"\x00\x00\x00\x02\x00\x0a"
             + b"\x00\x00\x00\x04" + (430_000).to_bytes(4, "big") + b"\x00\x00\x00\x08" + bytes.fromhex("404ac00000000000"))
    second = (b"\x00\x04" + b"\x00\x00\x00\x06G1 1AA" + b"\x00\x00\x00\x02\x00\x5a"
              + b"\xff\xff\xff\xff" + b"\xff\xff\xff\xff")
    assert rows == first + second
    assert COPY_HEADER == b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8 and COPY_TRAILER == b"\xff\xff"


def test_rows_for_a_binary_copy_of_whole_values_are_the_values_side_by_side():
    from app.importers.stored import binary_copy_rows

    rows = binary_copy_rows([(np.array([1, 2, 3], dtype=">i4"), None)])
    assert rows == b"".join(b"\x00\x01\x00\x00\x00\x04" + n.to_bytes(4, "big") for n in (1, 2, 3))
    assert binary_copy_rows([(np.array([], dtype=">i4"), None)]) == b""
