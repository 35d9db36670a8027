"""Officers publish meetings (Pledge 7), record what happened, cancel, and set up repeats."""
from datetime import date, datetime, timedelta

import pytest

from app.clock_source import today_in_london as local_today
from app.domain.localtime import to_local
from app.extensions import db
from app.models import Meeting, Priority
from tests.factories import add_postcode, make_area
from tests.web.publishing_support import add_staff, date_parts, post_form, sign_in


@pytest.fixture
def team(app_context):
    return make_area()


@pytest.fixture
def officer(client, team):
    user = add_staff(team)
    sign_in(client, user)
    return user


def meeting_form(**overrides):
    return {
        "kind": "pact", "title": "Headingley PACT meeting", "day": date_parts(local_today() + timedelta(days=14)),
        "start_time": "18:30", "duration_minutes": "90", "venue": "St Michael's Church Hall",
        "address": "Otley Road, Leeds", "postcode": "ls6 3aa", "accessibility": "Step-free, hearing loop",
        "purpose": "Agree the team's priorities for the next three months", "agenda": "1. Crime figures\n2. Priorities",
        "attendees": "PCSO Sample", "repeat": "none", **overrides,
    }


def test_a_meeting_is_published_in_london_time_and_listed_on_the_team_page(client, team, officer):
    response = post_form(client, f"/staff/teams/{team.id}/meetings/new", meeting_form())
    assert response.status_code == 302
    meeting = db.session.scalar(db.select(Meeting))
    assert to_local(meeting.starts_at).strftime("%H:%M") == "18:30" and meeting.postcode == "LS6 3AA"
    page = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}").get_data(as_text=True)
    assert "Headingley PACT meeting" in page and "18:30" in page and "Step-free, hearing loop" in page


def test_a_summer_meeting_is_stored_an_hour_earlier_in_utc(client, team, officer):
    post_form(client, f"/staff/teams/{team.id}/meetings/new", meeting_form(day=["15", "7", str(date.today().year + 1)]))
    assert db.session.scalar(db.select(Meeting.starts_at)).time().hour == 17


@pytest.mark.parametrize("overrides,message", [
    ({"kind": ""}, "Choose the type of meeting"),
    ({"kind": "party"}, "Not a valid choice"),
    ({"title": ""}, "Enter a title"),
    ({"start_time": "6.30pm"}, "Enter a time on the 24-hour clock"),
    ({"start_time": "25:00"}, "Enter a time on the 24-hour clock"),
    ({"day": ["", "", ""]}, "Enter the date of the meeting"),
    ({"duration_minutes": "0"}, "Length must be between 10 and 600 minutes"),
    ({"venue": ""}, "Enter the venue"),
    ({"purpose": ""}, "Enter the purpose of the meeting"),
    ({"postcode": "LS6"}, "Enter a full postcode"),
    ({"day": ["29", "3", "2026"], "start_time": "01:30"}, "the clocks go forward"),
    ({"repeat": "monthly", "repeat_until": ["1", "1", "2000"]}, "Repeat until must be on or after"),
])
def test_bad_meeting_input_is_refused_with_a_clear_error(client, team, officer, overrides, message):
    response = post_form(client, f"/staff/teams/{team.id}/meetings/new", meeting_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 0


def test_first_tuesday_of_the_month_is_set_up_once_and_keeps_its_local_time(client, team, officer):
    first = date(2027, 1, 5)  # the first Tuesday of January 2027
    response = post_form(client, f"/staff/teams/{team.id}/meetings/new",
                         meeting_form(day=date_parts(first), repeat="monthly", repeat_until=["30", "6", "2027"]))
    assert response.status_code == 302
    meetings = db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at)).all()
    assert [to_local(m.starts_at).date() for m in meetings] == [
        date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2), date(2027, 4, 6), date(2027, 5, 4), date(2027, 6, 1)]
    assert {to_local(m.starts_at).strftime("%H:%M") for m in meetings} == {"18:30"}
    assert len({m.series_key for m in meetings}) == 1


def past_meeting(team, **fields):
    meeting = Meeting(team_id=team.id, kind="pact", title="Last month's PACT", venue="Hall", purpose="PACT",
                      starts_at=datetime.utcnow() - timedelta(days=3), **fields)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def test_after_a_meeting_the_minutes_attendance_and_agreed_priorities_are_published(client, team, officer):
    meeting = past_meeting(team)
    priority = Priority(team_id=team.id, title="Cycling on the pavement", description="d", agreed_on=date.today())
    db.session.add(priority)
    db.session.commit()
    response = post_form(client, f"/staff/teams/{team.id}/meetings/{meeting.id}/record",
                         {"attendance": "23", "minutes": "Residents raised <em>cycling</em>.",
                          "priorities": [str(priority.id)]})
    assert response.status_code == 302
    page = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}/meetings/{meeting.id}").get_data(as_text=True)
    assert "23 residents came." in page and "<em>cycling</em>" in page and "Cycling on the pavement" in page


def test_minutes_cannot_be_recorded_before_the_meeting(client, team, officer):
    meeting = Meeting(team_id=team.id, kind="pact", title="Next week", venue="Hall", purpose="PACT",
                      starts_at=datetime.utcnow() + timedelta(days=7))
    db.session.add(meeting)
    db.session.commit()
    assert client.get(f"/staff/teams/{team.id}/meetings/{meeting.id}/record").status_code == 404


def test_recording_needs_a_number_of_residents(client, team, officer):
    meeting = past_meeting(team)
    response = post_form(client, f"/staff/teams/{team.id}/meetings/{meeting.id}/record",
                         {"attendance": "lots", "minutes": "Fine"})
    assert response.status_code == 400


def test_a_cancelled_meeting_stays_visible_as_cancelled(client, team, officer):
    post_form(client, f"/staff/teams/{team.id}/meetings/new", meeting_form())
    meeting = db.session.scalar(db.select(Meeting))
    assert post_form(client, f"/staff/teams/{team.id}/meetings/{meeting.id}/cancel", {}).status_code == 302
    page = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}").get_data(as_text=True)
    assert "Headingley PACT meeting" in page and "Cancelled" in page


def test_editing_a_meeting_keeps_its_local_time_in_the_form(client, team, officer):
    post_form(client, f"/staff/teams/{team.id}/meetings/new", meeting_form())
    meeting = db.session.scalar(db.select(Meeting))
    page = client.get(f"/staff/teams/{team.id}/meetings/{meeting.id}/edit").get_data(as_text=True)
    assert 'value="18:30"' in page
    response = post_form(client, f"/staff/teams/{team.id}/meetings/{meeting.id}/edit",
                         meeting_form(start_time="19:00"))
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert to_local(meeting.starts_at).strftime("%H:%M") == "19:00"


def test_the_team_page_says_in_which_of_the_last_six_months_a_meeting_was_held(client, team):
    today = local_today()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=10)
    db.session.add_all([
        Meeting(team_id=team.id, kind="pact", title="Held", venue="Hall", purpose="p",
                starts_at=datetime.combine(last_month, datetime.min.time().replace(hour=18)),
                published_at=datetime.combine(last_month - timedelta(days=30), datetime.min.time()),
                recorded_at=datetime.combine(last_month + timedelta(days=1), datetime.min.time()), attendance=9),
        # Written up today, long after it was "held": not a meeting held, as on the Pledge page.
        Meeting(team_id=team.id, kind="pact", title="Back-filled", venue="Hall", purpose="p",
                starts_at=datetime.combine(last_month.replace(day=1) - timedelta(days=45), datetime.min.time())),
        Meeting(team_id=team.id, kind="pact", title="Called off", venue="Hall", purpose="p", cancelled=True,
                starts_at=datetime.combine(last_month.replace(day=1) - timedelta(days=20), datetime.min.time())),
    ])
    db.session.commit()
    page = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}").get_data(as_text=True)
    assert "Meetings held in the last 6 months" in page
    assert page.count("Meeting held</strong>") == 1 and page.count("No meeting</strong>") == 5
