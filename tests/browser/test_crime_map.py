"""The crime map page in Chromium: the map loads the portal's tiles, the table says the same."""
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Crime
from tests.crime_data import DEMO_CRIMES, DEMO_NEIGHBOURHOODS

CITY_CENTRE = "E02006875"
SCREENSHOT = Path(tempfile.gettempdir()) / "crime-map.png"


@pytest.fixture
def leeds(app, tmp_path):
    app.config["TILE_CACHE_DIR"] = str(tmp_path / "tiles")
    app.extensions.pop("tile_cache", None)
    runner = app.test_cli_runner()
    for args in (["import", "neighbourhoods", str(DEMO_NEIGHBOURHOODS)], ["import", "crimes", str(DEMO_CRIMES)]):
        assert runner.invoke(args=args).exit_code == 0
    yield app
    app.extensions.pop("tile_cache", None)
    app.config.pop("TILE_CACHE_DIR")


@pytest.mark.viewport(1200, 900)
def test_the_map_loads_crime_tiles_and_the_table_matches_the_data(page, leeds):
    responses = []
    page.on("response", lambda r: responses.append(r) if "/tiles/crimes/" in r.url else None)
    page.goto(f"/teams/west-yorkshire/{CITY_CENTRE}/crime")
    page.wait_for_selector("#crime-map .leaflet-tile-loaded")
    assert page.is_visible("#crime-map") and not page.is_visible("#crime-static-map")
    tiles = [r for r in responses if r.url.split("?")[0].endswith(".png") and "/area/" not in r.url]
    assert tiles and all(r.status == 200 for r in tiles)
    with leeds.app_context():
        total = db.session.scalar(select(func.count()).where(Crime.neighbourhood_id == CITY_CENTRE))
    assert page.inner_text("#crime-total").replace(",", "") == str(total)


@pytest.mark.viewport(1200, 900)
def test_clicking_a_circle_shows_the_crimes_there(page, leeds):
    with leeds.app_context():
        lon, lat, n = db.session.execute(
            select(Crime.longitude, Crime.latitude, func.count()).where(Crime.neighbourhood_id == CITY_CENTRE)
            .group_by(Crime.longitude, Crime.latitude).order_by(func.count().desc()).limit(1)).one()
    page.goto(f"/teams/west-yorkshire/{CITY_CENTRE}/crime")
    page.wait_for_selector("#crime-map .leaflet-tile-loaded")
    point = page.evaluate(
        "([lat, lon]) => document.getElementById('crime-map').portalMap.latLngToContainerPoint([lat, lon])",
        [lat, lon])
    page.click("#crime-map", position={"x": point["x"], "y": point["y"]})
    popup = page.wait_for_selector(".leaflet-popup-content")
    assert f"{n} crimes at this map point" in popup.inner_text()
    page.screenshot(path=str(SCREENSHOT), full_page=True)
