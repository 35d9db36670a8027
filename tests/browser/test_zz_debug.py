import pytest
from tests.browser.pages import seed_site

@pytest.fixture
def site(app, tmp_path):
    app.config["TILE_CACHE_DIR"] = str(tmp_path / "tiles")
    with app.app_context():
        ids = seed_site()
    yield ids

@pytest.mark.viewport(320, 640)
def test_debug(page, site):
    page.goto(f"/teams/{site['force_id']}/{site['neighbourhood_id']}/performance")
    page.locator("#measure-messages").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/maps-chart.png", full_page=False)
    page.goto(f"/teams/{site['force_id']}/{site['neighbourhood_id']}/performance?lang=ur")
    page.locator("#measure-meetings").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/maps-chart-ur.png", full_page=False)
    page.goto(f"/forces/{site['force_id']}")
    page.wait_for_timeout(800)
    page.keyboard.press("Tab")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('leaflet-control-zoom-in')"): break
    page.locator("#force-map").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/maps-zoom.png")
