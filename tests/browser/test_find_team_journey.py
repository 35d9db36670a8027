"""A resident on a phone types their postcode and lands on their team's page."""
import pytest

from app.extensions import db
from tests.factories import add_officer, add_postcode, add_station, make_area


@pytest.fixture
def leeds(app):
    with app.app_context():
        team = make_area()
        add_postcode("LS1 1AZ", team.neighbourhood_id)
        add_officer(team, name="Priya Sample", role="PCSO")
        add_station(team, latitude=53.8, longitude=-1.545)
        db.session.remove()


def test_resident_types_a_postcode_and_sees_their_team(page, leeds):
    page.goto("/")
    page.get_by_label("Postcode").fill(" ls11az ")
    page.get_by_role("button", name="Find your team").click()
    page.wait_for_url("**/teams/west-yorkshire/E02002330**")
    assert page.get_by_role("heading", level=1).inner_text() == "Leeds 111 Neighbourhood Policing Team"
    assert page.get_by_text("Priya Sample").is_visible()
    # the map is an enhancement: it appears with the neighbourhood drawn on it
    page.locator("#team-map path.leaflet-interactive").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_malformed_postcode_is_explained_on_the_same_page(page, leeds):
    page.goto("/")
    page.get_by_label("Postcode").fill("LS1 ZZZ")
    page.get_by_role("button", name="Find your team").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter a full postcode, like LS1 1AZ" in summary.inner_text()
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "postcode"
