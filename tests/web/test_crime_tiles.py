"""Crime tiles: drawn where the crimes are, cached, revalidated by ETag, invalidated by re-import."""
from pathlib import Path

import mercantile
import pytest

from app.domain import tiles
from tests.crime_data import DEMO_NEIGHBOURHOODS, LEEDS_CITY_CENTRE, crime_row, csv_text


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["import", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)


@pytest.fixture
def crimes(app, tmp_path):
    app.config["TILE_CACHE_DIR"] = str(tmp_path / "tile-cache")
    app.extensions.pop("tile_cache", None)
    run(app, "neighbourhoods", str(DEMO_NEIGHBOURHOODS))
    lon, lat = LEEDS_CITY_CENTRE

    def publish(rows, name="v1"):
        path = tmp_path / name / "2018-07-west-yorkshire-street.csv"
        path.parent.mkdir(exist_ok=True)
        path.write_text(csv_text(rows))
        run(app, "crimes", str(path))

    publish([crime_row(str(i), lon=str(lon), lat=str(lat)) for i in range(41)]
            + [crime_row("shop", lon=str(lon), lat=str(lat), category="Shoplifting")])
    yield publish
    app.extensions.pop("tile_cache", None)
    app.config.pop("TILE_CACHE_DIR")


def tile_url(z, lon=LEEDS_CITY_CENTRE[0], lat=LEEDS_CITY_CENTRE[1], **params):
    tile = mercantile.tile(lon, lat, z)
    query = "&".join(f"{k}={v}" for k, v in {"month": "2018-07", **params}.items())
    return f"/tiles/crimes/{z}/{tile.x}/{tile.y}.png?{query}"


def test_a_tile_has_a_circle_where_crimes_are_and_an_empty_tile_elsewhere(client, crimes):
    here = client.get(tile_url(15))
    elsewhere = client.get(tile_url(15, lon=-1.3, lat=53.9))
    assert here.status_code == elsewhere.status_code == 200 and here.mimetype == "image/png"
    assert not tiles.is_blank(here.data) and tiles.is_blank(elsewhere.data)


def test_the_category_filter_and_zoomed_out_neighbourhood_totals(client, crimes):
    assert tiles.is_blank(client.get(tile_url(15, category="Bicycle theft")).data)
    assert not tiles.is_blank(client.get(tile_url(15, category="Shoplifting")).data)
    assert not tiles.is_blank(client.get(tile_url(11)).data)


def test_tiles_carry_an_etag_and_answer_304_when_unchanged(client, crimes):
    first = client.get(tile_url(16))
    assert first.headers["ETag"] and "public" in first.headers["Cache-Control"]
    again = client.get(tile_url(16), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_a_reimport_with_different_data_invalidates_cached_tiles(client, crimes, app):
    first = client.get(tile_url(16))
    cache_root = Path(app.config["TILE_CACHE_DIR"])
    assert list(cache_root.rglob("*.png"))
    crimes([crime_row("moved", lon="-1.3", lat="53.9")], name="v2")
    assert not list(cache_root.rglob("*.png"))
    second = client.get(tile_url(16), headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    assert tiles.is_blank(second.data)


def test_the_same_reimport_keeps_the_etag(client, crimes):
    lon, lat = LEEDS_CITY_CENTRE
    first = client.get(tile_url(16))
    crimes([crime_row(str(i), lon=str(lon), lat=str(lat)) for i in range(41)]
           + [crime_row("shop", lon=str(lon), lat=str(lat), category="Shoplifting")], name="again")
    assert client.get(tile_url(16)).headers["ETag"] == first.headers["ETag"]


def test_a_tile_url_naming_the_current_version_may_be_cached_for_long(client, crimes):
    from app import tile_cache as queries

    with client.application.app_context():
        version = queries.data_version("2018-07")
    assert "immutable" in client.get(tile_url(16, v=version)).headers["Cache-Control"]
    assert "immutable" not in client.get(tile_url(16, v="old")).headers["Cache-Control"]


def test_clicking_a_circle_lists_its_crimes_with_outcomes_in_plain_words(client, crimes):
    lon, lat = LEEDS_CITY_CENTRE
    answer = client.get(f"/tiles/crimes/near.json?month=2018-07&lon={lon + 0.00005}&lat={lat}&z=16").json
    point = answer["point"]
    assert point["count"] == 42 and point["location"] == "On or near Park Row"
    assert {"category": "Burglary", "category_label": "Burglary", "outcome": "The police are still investigating",
            "outcome_group": "under_investigation", "count": 41} in point["crimes"]
    assert client.get("/tiles/crimes/near.json?month=2018-07&lon=-1.3&lat=53.9&z=16").json == {"point": None}


def test_the_crimes_at_a_map_point_are_described_in_the_residents_language(client, crimes):
    lon, lat = LEEDS_CITY_CENTRE
    point = client.get(f"/tiles/crimes/near.json?month=2018-07&lon={lon + 0.00005}&lat={lat}&z=16&lang=cy").json["point"]
    assert {"category": "Burglary", "category_label": "Byrgleriaeth", "outcome": "Mae'r heddlu'n dal i ymchwilio",
            "outcome_group": "under_investigation", "count": 41} in point["crimes"]


def test_out_of_range_tiles_and_bad_filters_are_not_found(client, crimes):
    assert client.get("/tiles/crimes/3/8/0.png").status_code == 404
    assert client.get("/tiles/crimes/15/0/0.png?month=July").status_code == 404
    assert client.get("/tiles/crimes/15/0/0.png?category=<script>").status_code == 404


def test_neighbourhood_boundaries_are_served_for_the_view(client, crimes):
    response = client.get("/tiles/neighbourhoods.geojson?bbox=-1.56,53.79,-1.54,53.80")
    assert response.status_code == 200 and response.headers["ETag"]
    features = response.json["features"]
    assert features and all(f["properties"]["force"] == "west-yorkshire" for f in features)
