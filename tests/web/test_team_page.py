"""The team page shows who the team is, where they are based and how to reach them."""
from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import Meeting, Priority, PriorityAction, Update
from tests.factories import add_officer, add_station, make_area


@pytest.fixture
def team(app_context):
    return make_area()


def page_of(client, team):
    response = client.get(f"/teams/{team.neighbourhood.force_id}/{team.neighbourhood_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_members_show_name_role_pen_picture_and_tenure(client, team):
    started = date.today().replace(day=1) - timedelta(days=400)
    add_officer(team, name="Priya Sample", role="PCSO", pen_picture="Runs the Tuesday surgery.", started_on=started)
    page = page_of(client, team)
    assert "Priya Sample" in page and "PCSO" in page and "Runs the Tuesday surgery." in page
    assert "On this team since" in page and "1 year" in page


def test_a_member_without_a_consented_photo_gets_the_neutral_placeholder(client, team):
    add_officer(team, photo_path="abc.jpg", photo_consent=False)
    page = page_of(client, team)
    assert "officer-placeholder.svg" in page and "abc.jpg" not in page


def test_former_members_are_not_listed(client, team):
    officer = add_officer(team, name="Gone Away")
    officer.memberships[0].ended_on = date.today() - timedelta(days=1)
    db.session.commit()
    assert "Gone Away" not in page_of(client, team)


def test_the_base_station_shows_address_opening_times_and_facilities(client, team):
    add_station(team, opening_times={"monday": "9am to 5pm", "sunday": None})
    page = page_of(client, team)
    assert "Example Police Station" in page and "9am to 5pm" in page and "Closed" in page
    assert "Hearing loop" in page


def test_contact_routes_and_the_reply_promise_are_shown(client, team):
    team.email = "npt@example.org"
    team.telephone = "101"
    db.session.commit()
    page = page_of(client, team)
    assert 'href="mailto:npt@example.org"' in page and 'href="tel:101"' in page
    assert "within 24 hours" in page and "call 999" in page


def test_meetings_of_the_next_three_months_are_listed_but_not_later_or_past_ones(client, team):
    now = datetime.utcnow()
    for title, when in [("Soon", now + timedelta(days=10)), ("Far", now + timedelta(days=120)),
                        ("Past", now - timedelta(days=2))]:
        db.session.add(Meeting(team_id=team.id, kind="surgery", title=title, starts_at=when, venue="Library",
                               purpose="Drop in"))
    db.session.add(Meeting(team_id=team.id, kind="pact", title="Called off", starts_at=now + timedelta(days=5),
                           venue="Hall", purpose="PACT", cancelled=True))
    db.session.commit()
    page = page_of(client, team)
    assert "Soon" in page and "Far" not in page and "Past" not in page
    assert "Called off" in page and "Cancelled" in page


def test_current_priorities_show_their_latest_action_and_closed_ones_do_not(client, team):
    current = Priority(team_id=team.id, title="Speeding by the school", description="d", agreed_on=date(2026, 10, 1))
    current.actions += [PriorityAction(taken_on=date(2026, 10, 5), description="First patrol"),
                        PriorityAction(taken_on=date(2026, 11, 2), description="Speed check with volunteers")]
    closed = Priority(team_id=team.id, title="Old problem", description="d", agreed_on=date(2025, 1, 1),
                      closed_on=date(2025, 6, 1), outcome="Solved")
    db.session.add_all([current, closed])
    db.session.commit()
    page = page_of(client, team)
    assert "Speeding by the school" in page and "Speed check with volunteers" in page
    assert "Old problem" not in page


def test_you_said_we_did_updates_are_shown(client, team):
    db.session.add(Update(team_id=team.id, published_on=date.today(), you_said="Parking on pavements",
                          we_did="Tickets issued with the council"))
    db.session.commit()
    page = page_of(client, team)
    assert "Parking on pavements" in page and "Tickets issued with the council" in page


def test_user_content_is_escaped(client, team):
    add_officer(team, name="<script>alert(1)</script>")
    page = page_of(client, team)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_the_boundary_is_served_as_geojson(client, team):
    feature = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}/boundary.geojson").get_json()
    assert feature["geometry"]["type"] == "Polygon"
