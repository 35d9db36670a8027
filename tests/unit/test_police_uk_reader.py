"""Reading data.police.uk street-level CSVs: every form they come in, every kind of row."""
import gzip
import zipfile
from collections import Counter

from app.importers.police_uk import (BAD_COORDINATES, BAD_MONTH, NO_CATEGORY, NO_LOCATION, NOT_STREET_FILE,
                                     crime_force_id, read_police_uk)
from app.importers.report import ImportReport
from tests.crime_data import DEMO_CRIMES, crime_row, csv_text, demo_rows


def read(path):
    report = ImportReport()
    files = list(read_police_uk(path, report))
    return files, report


def test_the_bundled_extract_is_read_completely_with_asb_and_unlocated_rows_kept():
    files, report = read(DEMO_CRIMES)
    expected = demo_rows()
    rows = [row for f in files for row in f.rows]
    assert len(rows) == len(expected) and report.total_skipped == 0
    assert Counter(r[3] for r in rows) == Counter(r["Crime type"] for r in expected)
    asb = [r for r in rows if r[3] == "Anti-social behaviour"]
    assert asb and all(r[2] is None for r in asb)
    unlocated = sum(1 for r in expected if not r["Longitude"])
    assert sum(1 for r in rows if r[5] is None) == unlocated == report.notes[NO_LOCATION]


def test_csv_gzip_folder_and_archive_zip_give_the_same_rows(tmp_path):
    text = csv_text([crime_row("a"), crime_row("", category="Anti-social behaviour", outcome="")])
    plain = tmp_path / "2018-07-west-yorkshire-street.csv"
    plain.write_text(text)
    gz = tmp_path / "gz" / "2018-07-west-yorkshire-street.csv.gz"
    gz.parent.mkdir()
    gz.write_bytes(gzip.compress(text.encode()))
    archive = tmp_path / "zip" / "latest.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("2018-07/2018-07-west-yorkshire-street.csv", text)
        z.writestr("2018-07/2018-07-west-yorkshire-outcomes.csv", "Crime ID,Month,Reported by\n")
    results = [read(p) for p in (plain, gz, gz.parent, archive)]
    row_sets = [[r for f in files for r in f.rows] for files, _ in results]
    assert all(rows == row_sets[0] for rows in row_sets) and len(row_sets[0]) == 2
    assert results[3][1].skipped[NOT_STREET_FILE] == 1


def test_bad_rows_are_skipped_with_reasons_and_unreadable_coordinates_are_kept_unmapped(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(csv_text([
        crime_row("ok"),
        crime_row("no-month", month="July"),
        crime_row("no-type", category=""),
        crime_row("bad-coords", lon="abc", lat="53.8"),
        crime_row("no-location", lon="", lat="", location="No Location", lsoa="", lsoa_name=""),
    ]))
    files, report = read(path)
    rows = {r[2]: r for r in files[0].rows}
    assert set(rows) == {"ok", "bad-coords", "no-location"}
    assert report.skipped[BAD_MONTH] == 1 and report.skipped[NO_CATEGORY] == 1
    assert report.notes[BAD_COORDINATES] == 1 and report.notes[NO_LOCATION] == 1
    assert rows["bad-coords"][5] is None and rows["ok"][5] == -1.549


def test_force_ids_follow_data_police_uk():
    assert crime_force_id("West Yorkshire Police") == "west-yorkshire"
    assert crime_force_id("Avon and Somerset Constabulary") == "avon-and-somerset"
    assert crime_force_id("Metropolitan Police Service") == "metropolitan"
    assert crime_force_id("British Transport Police") == "btp"
