"""Meetings go into people's calendars; a team's news comes as an Atom feed."""
from datetime import date, datetime, time, timedelta, timezone
from xml.etree import ElementTree

import pytest
import recurring_ical_events
from icalendar import Calendar

from app.domain.localtime import to_local, to_utc
from app.domain.recurrence import Weekly
from app.extensions import db
from app.models import Meeting, Priority, PriorityAction, Update
from app.services.meetings import publish_series
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


SERIES = {"kind": "pact", "title": "PACT meeting", "venue": "Church hall", "address": "2 Low Road",
          "purpose": "Agree priorities", "duration_minutes": 90}


def held_in(calendar_bytes):
    """The events a calendar app shows, its repeating events expanded (RRULE, EXDATE, RECURRENCE-ID)."""
    return recurring_ical_events.of(Calendar.from_ical(calendar_bytes)).between(datetime(2099, 1, 1),
                                                                             datetime(2100, 1, 1))


def test_a_series_is_one_repeating_event_that_gives_exactly_the_meetings_held(client, team):
    meetings = publish_series(db.session, team.id, SERIES, Weekly(2), date(2099, 3, 4), date(2099, 5, 31),
                              time(19, 0), by=None, now=datetime(2099, 1, 1))
    cancelled, moved, removed = meetings[1], meetings[3], meetings[5]
    cancelled.cancelled = True
    moved.starts_at = to_utc(to_local(moved.starts_at).date() + timedelta(days=1), time(18, 30))
    db.session.delete(removed)
    db.session.commit()
    add_meeting(team, title="One-off", starts_at=datetime(2099, 4, 2, 9))

    response = client.get(f"{TEAM}/calendar.ics")
    held = held_in(response.data)
    series_held = sorted(e.decoded("DTSTART").astimezone(timezone.utc) for e in held if e["SUMMARY"] == "PACT meeting")
    expected = sorted(to_local(m.starts_at).astimezone(timezone.utc)
                      for m in meetings if m is not removed and not m.cancelled)
    assert len(meetings) == 7 and len(series_held) == 5 and series_held == expected
    # 19:00 in London before and after the clocks go forward (29 March 2099), the moved one at 18:30
    assert sorted({e.decoded("DTSTART").strftime("%H:%M") for e in held if e["SUMMARY"] == "PACT meeting"}) == [
        "18:30", "19:00"]
    assert [e["SUMMARY"] for e in held if e["SUMMARY"] != "PACT meeting"] == ["One-off"]

    events = Calendar.from_ical(response.data).walk("VEVENT")
    [series] = [e for e in events if "RRULE" in e]
    assert series["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=7;INTERVAL=2"
    assert b"DTSTART;TZID=Europe/London:20990304T190000" in response.data
    assert b"EXDATE;TZID=Europe/London:20990318T190000,20990513T190000" in response.data
    [override] = [e for e in events if "RECURRENCE-ID" in e]
    assert override["UID"] == series["UID"]
    assert override.decoded("RECURRENCE-ID") == to_local(moved.series_start)
    assert b"RECURRENCE-ID;TZID=Europe/London:20990415T190000" in response.data


def test_a_meeting_of_a_series_given_another_title_is_an_override_at_its_own_date(client, team):
    meetings = publish_series(db.session, team.id, SERIES, Weekly(1), date(2099, 6, 2), date(2099, 6, 16),
                              time(10, 0), by=None, now=datetime(2099, 1, 1))
    meetings[2].title = "Summer PACT with the council"
    db.session.commit()
    held = held_in(client.get(f"{TEAM}/calendar.ics").data)
    assert [(e.decoded("DTSTART").date(), str(e["SUMMARY"])) for e in sorted(held, key=lambda e: e.decoded("DTSTART"))] == [
        (date(2099, 6, 2), "PACT meeting"), (date(2099, 6, 9), "PACT meeting"),
        (date(2099, 6, 16), "Summer PACT with the council")]


def test_a_meeting_of_a_series_added_on_its_own_is_the_same_event_as_in_the_team_calendar(client, team):
    meetings = publish_series(db.session, team.id, SERIES, Weekly(1), date(2099, 6, 2), date(2099, 6, 16),
                              time(10, 0), by=None, now=datetime(2099, 1, 1))
    feed = Calendar.from_ical(client.get(f"{TEAM}/calendar.ics").data)
    [single] = events_of(client.get(f"{TEAM}/meetings/{meetings[1].id}.ics"))
    [series] = [e for e in feed.walk("VEVENT") if "RRULE" in e]
    assert single["UID"] == series["UID"]
    assert single.decoded("RECURRENCE-ID") == to_local(meetings[1].series_start)

    # A calendar app keeps one event per UID and RECURRENCE-ID: adding the meeting after the feed
    # replaces that date's occurrence instead of adding a second one.
    kept = {(str(e["UID"]), e.get("RECURRENCE-ID") and e.decoded("RECURRENCE-ID")): e for e in feed.walk("VEVENT")}
    kept[(str(single["UID"]), single.decoded("RECURRENCE-ID"))] = single
    both = Calendar()
    for component in feed.walk("VTIMEZONE"):
        both.add_component(component)
    for event in kept.values():
        both.add_component(event)
    assert len(held_in(both.to_ical())) == len(held_in(feed.to_ical())) == 3


def test_a_one_off_meeting_keeps_its_own_uid(client, team):
    meeting = add_meeting(team)
    [event] = events_of(client.get(f"{TEAM}/meetings/{meeting.id}.ics"))
    assert str(event["UID"]).startswith(f"meeting-{meeting.id}@") and "RECURRENCE-ID" not in event


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
