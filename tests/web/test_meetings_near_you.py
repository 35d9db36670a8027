"""Meetings near you: nearest first from the postcode the resident gave, within a radius
they choose, in pages; an invalid postcode is an error without the whole list; meetings
held link to their minutes."""
import re
from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.models import Meeting
from tests.factories import add_postcode, make_area

NEAR_YOU = "/forces/west-yorkshire/meetings"
HEADINGLEY = {"type": "Polygon", "coordinates": [[[-1.59, 53.81], [-1.56, 53.81], [-1.56, 53.83], [-1.59, 53.83],
                                                  [-1.59, 53.81]]]}


@pytest.fixture
def teams(app_context):
    city = make_area()
    headingley = make_area(neighbourhood_id="E02002373", name="Leeds 044", geometry=HEADINGLEY)
    add_postcode("LS1 1AZ", city.neighbourhood_id, latitude=53.7965, longitude=-1.5479)  # city centre
    add_postcode("LS6 3HN", headingley.neighbourhood_id, latitude=53.8196, longitude=-1.5770)  # ~2 miles NW
    add_postcode("LS6 1AN", headingley.neighbourhood_id, latitude=53.8150, longitude=-1.5650)
    add_postcode("LS29 9AA", headingley.neighbourhood_id, latitude=53.9250, longitude=-1.8230)  # Ilkley, ~14 miles
    return city, headingley


def meeting(team, title, postcode, days=5, **fields):
    db.session.add(Meeting(team_id=team.id, kind="pact", title=title, venue="Hall", purpose="p", postcode=postcode,
                           starts_at=datetime.utcnow() + timedelta(days=days), **fields))
    db.session.commit()


def titles(page):
    return re.findall(r'<h3 class="govuk-heading-s govuk-!-margin-bottom-1">\s*<a[^>]*>([^<]+)</a>', page)


def test_nearest_first_within_the_radius_keeping_the_postcode(client, teams):
    city, headingley = teams
    meeting(city, "City surgery", "LS1 1AZ", days=2)
    meeting(headingley, "Headingley PACT", "LS6 3HN", days=9)
    meeting(headingley, "Ilkley street briefing", "LS29 9AA", days=1)
    page = client.get(f"{NEAR_YOU}?postcode=ls6+3hn&radius=5").get_data(as_text=True)
    assert titles(page) == ["Headingley PACT", "City surgery"]
    assert "2 meetings within 5 miles of LS6 3HN" in page and 'value="LS6 3HN"' in page.replace("ls6 3hn", "LS6 3HN")
    assert "Ilkley" not in page
    wider = client.get(f"{NEAR_YOU}?postcode=LS6+3HN&radius=25").get_data(as_text=True)
    assert titles(wider) == ["Headingley PACT", "City surgery", "Ilkley street briefing"]


def test_a_district_measures_from_the_middle_of_its_postcodes(client, teams):
    city, headingley = teams
    meeting(city, "City surgery", "LS1 1AZ")
    meeting(headingley, "Headingley PACT", None)  # no venue postcode: placed at the team's neighbourhood
    page = client.get(f"{NEAR_YOU}?postcode=LS1&radius=1").get_data(as_text=True)
    assert titles(page) == ["City surgery"]


def test_the_team_page_reached_by_postcode_keeps_it_in_the_link(client, teams):
    city, _ = teams
    page = client.get("/teams/west-yorkshire/E02002330?postcode=LS1+1AZ").get_data(as_text=True)
    assert f'href="{NEAR_YOU}?postcode=LS1+1AZ"' in page


@pytest.mark.parametrize("typed, says", [("nonsense", "Enter a postcode district like LS6"),
                                         ("LS1 9ZZ", "We could not find LS1 9ZZ"),
                                         ("LS99", "We have no postcodes in LS99")])
def test_an_invalid_postcode_is_an_error_without_the_full_list(client, teams, typed, says):
    city, _ = teams
    meeting(city, "City surgery", "LS1 1AZ")
    response = client.get(NEAR_YOU, query_string={"postcode": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and says in page and "govuk-error-summary" in page
    assert "City surgery" not in page


def test_many_meetings_come_in_pages_of_twenty(client, teams):
    city, _ = teams
    for number in range(45):
        meeting(city, f"Surgery {number:02d}", "LS1 1AZ", days=1 + number)
    first = client.get(f"{NEAR_YOU}?postcode=LS1+1AZ").get_data(as_text=True)
    third = client.get(f"{NEAR_YOU}?postcode=LS1+1AZ&radius=5&page=3").get_data(as_text=True)
    assert len(titles(first)) == 20 and len(titles(third)) == 5
    assert "45 meetings within 5 miles of LS1 1AZ" in first
    assert "page=2" in first and "postcode=LS1+1AZ" in first


def test_meetings_held_link_to_their_minutes(client, teams):
    city, _ = teams
    # Held by the Pledge page's rule: advertised a month ahead, its record written the next day.
    meeting(city, "Last month PACT", "LS1 1AZ", days=-40, minutes="Agreed to patrol the park.", attendance=12,
            published_at=datetime.utcnow() - timedelta(days=70), recorded_at=datetime.utcnow() - timedelta(days=39))
    meeting(city, "Called off", "LS1 1AZ", days=-10, cancelled=True)
    page = client.get(f"{NEAR_YOU}?postcode=LS1+1AZ&held=1").get_data(as_text=True)
    assert titles(page) == ["Last month PACT"]
    held = db.session.query(Meeting).filter_by(title="Last month PACT").one()
    link = f"/teams/west-yorkshire/E02002330/meetings/{held.id}#what-happened"
    assert link in page
    team_page = client.get("/teams/west-yorkshire/E02002330").get_data(as_text=True)
    assert link in team_page  # "Meeting held" on the team page links to the same record
    assert "Agreed to patrol the park." in client.get(link.split("#")[0]).get_data(as_text=True)
