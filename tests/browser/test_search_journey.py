"""Searching for a team by the name people use, in Chromium: from the home page link, with a
typo, by Welsh name and by postcode sector, through pages of results."""
import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.factories import add_postcode, make_area

SMALL = {"type": "Polygon", "coordinates": [[[-1.60, 53.80], [-1.59, 53.80], [-1.59, 53.81], [-1.60, 53.81], [-1.60, 53.80]]]}


@pytest.fixture
def area(app_context, app):
    make_area(neighbourhood_id="E02002373", name="Leeds 044", geometry=SMALL)
    for number in range(1, 26):
        make_area(neighbourhood_id=f"E0200{3000 + number}", name=f"Leeds {200 + number}", geometry=SMALL)
    make_area(force_id="dyfed-powys", force_name="Dyfed-Powys", neighbourhood_id="W02000001",
              name="Ceredigion 001", local_authority="Ceredigion", geometry=SMALL)
    add_postcode("LS6 3HN", "E02002373")
    add_postcode("LS6 3AA", "E02002373")
    runner = app.test_cli_runner()
    import pathlib
    names = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "names"
    result = runner.invoke(args=["import", "neighbourhood-names", str(names)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def test_a_resident_finds_their_team_by_the_name_they_know(page, area):
    page.goto("/")
    page.get_by_role("link", name="Search by place, area or team name").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)

    page.get_by_label("Place, area or team name").fill("Headingly")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results")).to_have_text("1 team found")
    expect(page.locator("#near-spelling")).to_contain_text("Headingley")
    page.get_by_role("link", name="Headingley Neighbourhood Policing Team").click()
    expect(page.locator("#covers")).to_contain_text("LS6: LS6 3")

    page.goto("/search?q=LS6+3")
    expect(page.get_by_role("link", name="Headingley Neighbourhood Policing Team")).to_be_visible()
    page.goto("/search?q=Aberteifi")
    expect(page.get_by_role("link", name="Cardigan Neighbourhood Policing Team")).to_be_visible()
    page.goto("/search?q=Kirkstal")
    expect(page.get_by_role("link", name="Kirkstall Neighbourhood Policing Team")).to_be_visible()


def test_many_results_come_in_pages(page, area):
    page.goto("/search?q=Leeds")
    expect(page.locator("#results")).to_have_text("26 teams found")
    expect(page.locator("main ul.govuk-list--spaced > li")).to_have_count(20)
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("main ul.govuk-list--spaced > li")).to_have_count(6)
    expect(page).to_have_title("Search by place or team name (page 2 of 2) – Neighbourhood Policing")
