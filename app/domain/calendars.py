"""iCalendar for meetings: one meeting ("add to calendar") or a team's feed.

Times are written in Europe/London with a TZID and its VTIMEZONE, so a meeting keeps its
wall-clock time across the clock change. A meeting's UID never changes, so calendar apps
update (or cancel) the event they already hold instead of adding a second one.

A series set up from a recurrence rule is one event with that RRULE; its dates without a
meeting held (cancelled, or none) are its EXDATEs, and a meeting of it that was moved or
changed is an override carrying the RECURRENCE-ID of the date the rule gave it. One meeting
of a series added on its own is that same override (the series' UID and its RECURRENCE-ID),
so a calendar holding both the team's feed and the meeting shows it once.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from icalendar import Calendar, Event, vRecur

from app.domain.localtime import meeting_end, to_local
from app.domain.recurrence import series_starts

PRODID = "-//Neighbourhood policing portal//Meetings//EN"


@dataclass
class CalendarMeeting:
    id: int
    title: str
    starts_at: datetime  # naive UTC
    duration_minutes: int
    venue: str
    address: str | None
    purpose: str
    accessibility: str | None
    cancelled: bool
    url: str
    series_start: datetime | None = None  # naive UTC: the start its series' rule gave it


@dataclass
class CalendarSeries:
    key: str
    rule: str  # RFC 5545 RRULE value
    first_start: datetime  # London wall-clock time, naive
    meetings: list[CalendarMeeting]


# What an override repeats from its series when it differs.
_DETAILS = ("title", "duration_minutes", "venue", "address", "purpose", "accessibility")


def meeting_uid(meeting_id, domain):
    return f"meeting-{meeting_id}@{domain}"


def series_uid(key, domain):
    return f"series-{key}@{domain}"


@dataclass
class CalendarDay:
    """A whole-day event, such as a consultation opening or closing."""

    uid_key: str  # unique within the team's calendar, e.g. "consultation-3-opens"
    day: date
    title: str
    description: str
    url: str


def day_uid(key, domain):
    return f"{key}@{domain}"


def _day_event(day, domain, now):
    event = Event()
    event.add("uid", day_uid(day.uid_key, domain))
    event.add("dtstamp", now)
    event.add("dtstart", day.day)
    event.add("dtend", day.day + timedelta(days=1))
    event.add("summary", day.title)
    event.add("description", day.description)
    event.add("url", day.url)
    event.add("transp", "TRANSPARENT")  # a date to know, not time taken up
    return event


def calendar(meetings, domain, now, name=None, series=(), days=()):
    """A VCALENDAR (bytes) holding the given meetings and series, stamped at `now` (naive UTC)."""
    now = now.replace(tzinfo=timezone.utc)
    cal = _empty_calendar(name)
    for meeting in meetings:
        cal.add_component(_event(meeting, domain, now))
    for one_series in series:
        for event in _series_events(one_series, domain, now):
            cal.add_component(event)
    for day in days:
        cal.add_component(_day_event(day, domain, now))
    cal.add_missing_timezones()
    return cal.to_ical()


def _empty_calendar(name=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    return cal


def one_meeting_calendar(meeting, domain, now, series=None):
    """A VCALENDAR (bytes) for one meeting; `series` is the CalendarSeries it belongs to, if any."""
    if series is None or meeting.series_start not in series_starts(series.rule, series.first_start):
        return calendar([meeting], domain, now)
    now = now.replace(tzinfo=timezone.utc)
    cal = _empty_calendar()
    event = _event(meeting, domain, now, uid=series_uid(series.key, domain))
    event.add("recurrence-id", to_local(meeting.series_start))
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _series_events(series, domain, now):
    """The series' event with its RRULE and EXDATEs, then an override per moved or changed meeting."""
    uid = series_uid(series.key, domain)
    starts = series_starts(series.rule, series.first_start)
    by_start = {meeting.series_start: meeting for meeting in series.meetings}
    held = [by_start[start] for start in starts if start in by_start and not by_start[start].cancelled]
    pattern = held[0] if held else series.meetings[0]
    master = _event(pattern, domain, now, uid=uid, starts_at=starts[0])
    master.add("rrule", vRecur.from_ical(series.rule))
    not_held = [to_local(start) for start in starts if start not in by_start or by_start[start].cancelled]
    if not_held:
        master.add("exdate", not_held)
    events = [master]
    for meeting in held:
        if meeting.starts_at != meeting.series_start or any(
                getattr(meeting, name) != getattr(pattern, name) for name in _DETAILS):
            override = _event(meeting, domain, now, uid=uid)
            override.add("recurrence-id", to_local(meeting.series_start))
            events.append(override)
    # A meeting whose start the rule does not give (the rule was changed since) stays its own event.
    events.extend(_event(meeting, domain, now) for meeting in series.meetings if meeting.series_start not in starts)
    return events


def _event(meeting, domain, now, uid=None, starts_at=None):
    starts_at = starts_at or meeting.starts_at
    event = Event()
    event.add("uid", uid or meeting_uid(meeting.id, domain))
    event.add("dtstamp", now)
    event.add("dtstart", to_local(starts_at))
    event.add("dtend", to_local(meeting_end(starts_at, meeting.duration_minutes)))
    event.add("summary", meeting.title)
    event.add("location", ", ".join(part for part in (meeting.venue, meeting.address) if part))
    description = meeting.purpose
    if meeting.accessibility:
        description += f"\n\nAccess: {meeting.accessibility}"
    event.add("description", description)
    event.add("url", meeting.url)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    return event
