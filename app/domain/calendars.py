"""iCalendar for meetings: one meeting ("add to calendar") or a team's feed.

Times are written in Europe/London with a TZID and its VTIMEZONE, so a meeting keeps its
wall-clock time across the clock change. A meeting's UID never changes, so calendar apps
update (or cancel) the event they already hold instead of adding a second one.
"""
from dataclasses import dataclass
from datetime import datetime, timezone

from icalendar import Calendar, Event

from app.domain.localtime import meeting_end, to_local

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


def meeting_uid(meeting_id, domain):
    return f"meeting-{meeting_id}@{domain}"


def calendar(meetings, domain, now, name=None):
    """A VCALENDAR (bytes) holding the given meetings, stamped at `now` (naive UTC)."""
    now = now.replace(tzinfo=timezone.utc)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(_event(meeting, domain, now))
    cal.add_missing_timezones()
    return cal.to_ical()


def _event(meeting, domain, now):
    event = Event()
    event.add("uid", meeting_uid(meeting.id, domain))
    event.add("dtstamp", now)
    event.add("dtstart", to_local(meeting.starts_at))
    event.add("dtend", to_local(meeting_end(meeting.starts_at, meeting.duration_minutes)))
    event.add("summary", meeting.title)
    event.add("location", ", ".join(part for part in (meeting.venue, meeting.address) if part))
    description = meeting.purpose
    if meeting.accessibility:
        description += f"\n\nAccess: {meeting.accessibility}"
    event.add("description", description)
    event.add("url", meeting.url)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    return event
