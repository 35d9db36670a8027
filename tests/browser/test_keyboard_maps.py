"""Keyboard-only journeys through the maps in Chromium: pick a team on the force map, read a
crime point's outcomes on the crime map, move a map with its buttons. No mouse anywhere."""
import pytest
from sqlalchemy import func, select

from app.domain import tiles
from app.domain.outcomes import describe
from app.extensions import db
from app.models import ANTI_SOCIAL_BEHAVIOUR, Crime, Team
from tests.browser.test_crime_map import CITY_CENTRE, leeds  # noqa: F401 (a fixture)

FOCUSED = """() => { const e = document.activeElement;
    return {tag: e.tagName.toLowerCase(), id: e.id, role: e.getAttribute('role'),
            name: e.getAttribute('aria-label') || e.textContent.trim(), href: e.getAttribute('href')}; }"""


def tab_until(page, wanted, presses=60):
    """Press Tab until `wanted(focused)` holds; the focused element's description, or a failure."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
    pytest.fail(f"not reached with {presses} presses of Tab")


@pytest.mark.viewport(1200, 900)
def test_a_team_is_picked_on_the_force_map_with_the_keyboard(page, leeds):
    page.goto("/forces/west-yorkshire")
    page.wait_for_selector("#force-map[data-ready]")
    area = tab_until(page, lambda f: f["role"] == "link" and f["tag"] == "path")
    assert area["name"], "an area on the map has no name"
    tooltip = page.locator(".leaflet-tooltip")
    assert tooltip.inner_text() == area["name"]  # focus shows the name, as hovering does

    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.leaflet-tooltip')")  # it fades out
    # WCAG 1.4.13: dismissed without moving focus
    assert page.evaluate(FOCUSED)["name"] == area["name"]

    page.keyboard.press("Enter")
    page.wait_for_url("**/teams/west-yorkshire/*")
    with leeds.app_context():
        nid = page.url.rstrip("/").rsplit("/", 1)[1]
        assert db.session.scalar(select(Team.name).where(Team.neighbourhood_id == nid)) == area["name"]


@pytest.mark.viewport(1200, 900)
def test_the_force_map_can_be_skipped_to_the_list_of_teams(page, leeds):
    page.goto("/forces/west-yorkshire")
    page.wait_for_selector("#force-map[data-ready]")
    skip = tab_until(page, lambda f: f["href"] == "#team-list")
    assert page.locator(".portal-skip-map").is_visible()
    assert "Skip the map" in skip["name"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "team-list"
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] == "a" and "/teams/west-yorkshire/" in focused["href"]  # the first team in the list


@pytest.mark.viewport(1200, 900)
def test_a_crime_points_outcomes_are_read_with_the_keyboard(page, leeds):
    page.goto(f"/teams/west-yorkshire/{CITY_CENTRE}/crime")
    page.wait_for_selector("#crime-map .leaflet-tile-loaded")
    tab_until(page, lambda f: f["id"] == "crime-map")
    centre = page.evaluate("() => { const c = document.getElementById('crime-map').portalMap.getCenter();"
                           " return [c.lng, c.lat]; }")
    page.keyboard.press("Enter")
    popup = page.wait_for_selector(".leaflet-popup-content").inner_text()

    with leeds.app_context():  # the point nearest the middle of the map, as the page promised
        month = db.session.scalar(select(func.max(Crime.month)))
        points = db.session.execute(select(Crime.longitude, Crime.latitude).where(
            Crime.month == month, Crime.longitude.is_not(None)).distinct()).all()
        cx, cy = tiles.lonlat_to_mercator(*centre)

        def distance(point):
            x, y = tiles.lonlat_to_mercator(*point)
            return (x - cx) ** 2 + (y - cy) ** 2
        lon, lat = min(points, key=distance)
        crimes = db.session.execute(select(Crime.category, Crime.outcome).where(
            Crime.month == month, Crime.longitude == lon, Crime.latitude == lat)).all()
    assert f"{len(crimes)} crimes at this map point" in popup
    for category, outcome in crimes:
        assert describe(outcome, category == ANTI_SOCIAL_BEHAVIOUR) in popup
    # a screen reader hears the same through the live region
    assert page.inner_text("#crime-map-announcement").split() == popup.split()
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.leaflet-popup-content')")


@pytest.mark.viewport(1200, 900)
@pytest.mark.parametrize("path,selector", [
    ("/forces/west-yorkshire", "#force-map"),
    (f"/teams/west-yorkshire/{CITY_CENTRE}", "#team-map"),
    (f"/teams/west-yorkshire/{CITY_CENTRE}/crime", "#crime-map"),
])
def test_every_map_pans_and_zooms_from_buttons_reached_with_tab(page, leeds, path, selector):
    page.goto(path)
    page.wait_for_selector(f"{selector}.leaflet-container")
    page.wait_for_timeout(300)  # fitBounds after the boundaries load
    where = f"() => {{ const m = document.querySelector('{selector}').portalMap; const c = m.getCenter();" \
            f" return [c.lat, c.lng, m.getZoom()]; }}"
    page.evaluate(f"document.querySelector('{selector}').portalMap.options.zoomAnimation = false")
    before = page.evaluate(where)
    tab_until(page, lambda f: f["name"] == "Move the map east", presses=200)
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('{selector}').portalMap.getCenter().lng > {before[1]}")
    for _ in range(6):  # back past the other pan buttons to "Zoom in"
        page.keyboard.press("Shift+Tab")
        if page.evaluate(FOCUSED)["name"] == "Zoom in":
            break
    else:
        pytest.fail("Zoom in is not just before the pan buttons")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('{selector}').portalMap.getZoom() > {before[2]}")
