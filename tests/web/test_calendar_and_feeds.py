"""Meetings go into people's calendars; a team's news comes as an Atom feed."""
from datetime import date, datetime, timedelta
from xml.etree import ElementTree

import pytest
from icalendar import Calendar

from app.extensions import db
from app.models import Meeting, Priority, PriorityAction, Update
from tests.factories import make_area

TEAM = "/teams/west-yorkshire/E02002330"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def team(app_context):
    return make_area()


def add_meeting(team, **fields):
    meeting = Meeting(team_id=team.id, **{"kind": "pact", "title": "PACT meeting", "venue": "Church hall",
                                          "address": "2 Low Road", "purpose": "Agree priorities",
                                          "starts_at": datetime(2099, 7, 1, 17, 30), "duration_minutes": 90, **fields})
    db.session.add(meeting)
    db.session.commit()
    return meeting


def events_of(response):
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data).walk("VEVENT")


def test_one_meeting_can_be_added_to_a_calendar_in_london_time(client, team):
    meeting = add_meeting(team)
    response = client.get(f"{TEAM}/meetings/{meeting.id}.ics")
    [event] = events_of(response)
    assert "attachment" in response.headers["Content-Disposition"]
    assert event["SUMMARY"] == "PACT meeting" and event["LOCATION"] == "Church hall, 2 Low Road"
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/London" and (start.hour, start.minute) == (18, 30)  # BST
    assert event.decoded("DTEND") - start == timedelta(minutes=90)
    assert b"DTSTART;TZID=Europe/London:20990701T183000" in response.data and b"BEGIN:VTIMEZONE" in response.data


def test_a_meetings_uid_stays_the_same_when_it_changes(client, team):
    meeting = add_meeting(team)
    [before] = events_of(client.get(f"{TEAM}/meetings/{meeting.id}.ics"))
    meeting.starts_at, meeting.cancelled = datetime(2099, 7, 2, 17), True
    db.session.commit()
    [after] = events_of(client.get(f"{TEAM}/meetings/{meeting.id}.ics"))
    assert before["UID"] == after["UID"] and after["STATUS"] == "CANCELLED"


def test_another_teams_meeting_is_not_found_under_this_team(client, team):
    other = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    meeting = add_meeting(other)
    assert client.get(f"{TEAM}/meetings/{meeting.id}.ics").status_code == 404


def test_the_team_calendar_holds_upcoming_and_recent_meetings(client, team):
    add_meeting(team, title="Next")
    add_meeting(team, title="Last month", starts_at=datetime.utcnow() - timedelta(days=30))
    add_meeting(team, title="Long ago", starts_at=datetime(2020, 1, 1))
    summaries = {str(e["SUMMARY"]) for e in events_of(client.get(f"{TEAM}/calendar.ics"))}
    assert summaries == {"Next", "Last month"}


def test_the_atom_feed_has_priorities_their_updates_you_said_we_did_and_meetings(client, team):
    priority = Priority(team_id=team.id, title="Speeding", description="d", agreed_on=date(2026, 10, 1))
    priority.actions.append(PriorityAction(taken_on=date(2026, 10, 8), description="Speed checks"))
    db.session.add_all([priority, Update(team_id=team.id, published_on=date(2026, 10, 5), you_said="Parking",
                                         we_did="Tickets")])
    db.session.commit()
    add_meeting(team)
    response = client.get(f"{TEAM}/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["PACT meeting", "Update on Speeding", "You said – We did", "New priority: Speeding"]
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert len(set(ids)) == 4 and all(i.startswith("tag:") for i in ids)


def test_feeds_of_an_unknown_team_are_not_found(client, team):
    assert client.get("/teams/west-yorkshire/NOPE/feed.atom").status_code == 404
    assert client.get("/teams/west-yorkshire/NOPE/calendar.ics").status_code == 404


def test_the_team_page_links_to_alerts_calendar_and_feed(client, team):
    page = client.get(f"{TEAM}?postcode=LS1 1AZ").get_data(as_text=True)
    assert f'href="{TEAM}/calendar.ics"' in page and f'href="{TEAM}/feed.atom"' in page
    assert 'href="/alerts/subscribe?postcode=LS1+1AZ"' in page
