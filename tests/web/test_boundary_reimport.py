"""Re-importing neighbourhood boundaries moves crimes to their new neighbourhood and gives the
crime maps a new data version, so no stale tile or total is served."""
import json

import mercantile
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Crime, CrimeRelease
from tests.crime_data import crime_row, csv_text

POINT = (-1.545, 53.80)  # west of -1.54


def boundaries(split_at):
    """Two neighbourhoods side by side, divided at longitude ``split_at``."""
    def square(west, east):
        return {"type": "Polygon", "coordinates": [[[west, 53.79], [east, 53.79], [east, 53.81], [west, 53.81],
                                                    [west, 53.79]]]}

    features = [
        {"type": "Feature", "geometry": square(-1.56, split_at),
         "properties": {"id": "E02002330", "name": "Leeds 111", "force": "West Yorkshire"}},
        {"type": "Feature", "geometry": square(split_at, -1.52),
         "properties": {"id": "E02002331", "name": "Leeds 112", "force": "West Yorkshire"}},
    ]
    return json.dumps({"type": "FeatureCollection", "features": features})


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["import", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


@pytest.fixture
def area(app, app_context, tmp_path):
    app.config["TILE_CACHE_DIR"] = str(tmp_path / "tile-cache")
    app.extensions.pop("tile_cache", None)

    def import_boundaries(split_at, name):
        path = tmp_path / f"{name}.geojson"
        path.write_text(boundaries(split_at))
        return run(app, "neighbourhoods", str(path))

    import_boundaries(-1.54, "before")
    crimes = tmp_path / "2018-07-west-yorkshire-street.csv"
    crimes.write_text(csv_text([crime_row(str(i), lon=str(POINT[0]), lat=str(POINT[1])) for i in range(5)]
                               + [crime_row("east", lon="-1.53", lat="53.80")]))
    run(app, "crimes", str(crimes))
    yield import_boundaries
    app.extensions.pop("tile_cache", None)
    app.config.pop("TILE_CACHE_DIR")


def neighbourhoods_of_crimes():
    db.session.expire_all()
    return dict(db.session.execute(select(Crime.crime_ref, Crime.neighbourhood_id)).all())


def tile(client, z):
    t = mercantile.tile(*POINT, z)
    return client.get(f"/tiles/crimes/{z}/{t.x}/{t.y}.png?month=2018-07")


def neighbourhood_totals():
    """The per-neighbourhood totals the zoomed-out tiles draw (cached per data version)."""
    from app import tile_cache as queries

    _lons, _lats, counts = queries.neighbourhood_totals("2018-07", None, -2, 53, -1, 54)
    return sorted(counts.tolist())


def test_a_moved_boundary_moves_the_crimes_and_changes_the_tile_etags(app, client, area):
    found = neighbourhoods_of_crimes()
    assert found["0"] == "E02002330" and found["east"] == "E02002331"
    area_url = "/tiles/crimes/area/west-yorkshire/E02002330.png?month=2018-07"
    before = {"z11": tile(client, 11), "z15": tile(client, 15), "area": client.get(area_url)}
    assert neighbourhood_totals() == [1, 5]  # and now kept in memory for this data version

    output = area(-1.55, "after")  # the dividing line moves west, past the point

    assert "crimes reassigned to another neighbourhood: 5" in output
    found = neighbourhoods_of_crimes()
    assert found["0"] == found["4"] == found["east"] == "E02002331"
    after = {"z11": tile(client, 11), "z15": tile(client, 15), "area": client.get(area_url)}
    for name in before:
        assert after[name].status_code == 200 and after[name].headers["ETag"] != before[name].headers["ETag"]
    assert neighbourhood_totals() == [6]


def test_the_same_boundaries_again_change_nothing_and_keep_the_etags(app, client, area):
    zoomed_out = tile(client, 11)
    version = db.session.scalar(select(CrimeRelease.version))
    output = area(-1.54, "again")
    assert "crimes reassigned to another neighbourhood: 0" in output
    db.session.expire_all()
    assert db.session.scalar(select(CrimeRelease.version)) == version
    assert tile(client, 11).headers["ETag"] == zoomed_out.headers["ETag"]


def test_the_superseded_tiles_are_removed_from_the_disk_cache(app, client, area):
    from pathlib import Path

    tile(client, 15)
    cache = Path(app.config["TILE_CACHE_DIR"])
    assert list(cache.rglob("*.png"))
    area(-1.55, "after")
    assert not list(cache.rglob("*.png"))
