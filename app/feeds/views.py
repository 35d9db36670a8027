"""A team's meetings as iCalendar (one meeting, or the whole calendar to subscribe to) and
its news — priorities, their actions, "You said – We did", meetings — as an Atom feed."""
from datetime import date, datetime, time, timedelta, timezone

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort
from flask_babel import gettext as _

from app import clock_source
from app.queries import meetings as meeting_queries
from app.queries import priorities as priority_queries
from app.queries import teams as team_queries
from app.queries import updates as update_queries
from app.domain.calendars import CalendarMeeting, CalendarSeries, calendar, one_meeting_calendar
from app.domain.localtime import LONDON
from app.links import public_host, public_url

bp = Blueprint("feeds", __name__, url_prefix="/teams/<force_id>/<neighbourhood_id>")

CALENDAR_HISTORY = timedelta(days=92)
FEED_ENTRIES = 50


def _calendar_meeting(meeting, team):
    n = team.neighbourhood
    return CalendarMeeting(
        id=meeting.id, title=meeting.title, starts_at=meeting.starts_at, duration_minutes=meeting.duration_minutes,
        venue=meeting.venue, address=meeting.address, purpose=meeting.purpose, accessibility=meeting.accessibility,
        cancelled=meeting.cancelled, series_start=meeting.series_start,
        url=public_url("teams.profile", force_id=n.force_id, neighbourhood_id=n.id, _anchor="meetings"),
    )


def _ics(body, filename):
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/meetings/<int:meeting_id>.ics")
def meeting_ics(force_id, neighbourhood_id, meeting_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    meeting = meeting_queries.meeting(team.id, meeting_id)
    if meeting is None:
        abort(404)
    rule = meeting_queries.series_rule(meeting)
    series = rule and CalendarSeries(key=rule.key, rule=rule.rule, first_start=rule.first_start, meetings=[])
    body = one_meeting_calendar(_calendar_meeting(meeting, team), public_host(), clock_source.now(), series)
    return _ics(body, f"meeting-{meeting.id}.ics")


@bp.get("/calendar.ics")
def team_calendar(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    since = clock_source.now() - CALENDAR_HISTORY
    one_off, series = meeting_queries.calendar_meetings(team.id, since)
    body = calendar([_calendar_meeting(m, team) for m in one_off], public_host(), clock_source.now(), name=team.name,
                    series=[CalendarSeries(key=rule.key, rule=rule.rule, first_start=rule.first_start,
                                           meetings=[_calendar_meeting(m, team) for m in members])
                            for rule, members in series])
    response = _ics(body, f"{neighbourhood_id}.ics")
    response.headers["Content-Disposition"] = "inline"
    return response


def _on(day):
    """A date as the start of that day in London (feeds need a time)."""
    return datetime.combine(day, time(), tzinfo=LONDON)


def _utc(naive):
    return naive.replace(tzinfo=timezone.utc)


@bp.get("/feed.atom")
def atom(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    n = team.neighbourhood
    page = public_url("teams.profile", force_id=n.force_id, neighbourhood_id=n.id)
    tag = f"tag:{public_host()},2008:{n.force_id}/{n.id}"

    entries = []  # (updated, id, title, content, link)
    for p in priority_queries.recent_priorities(team.id):
        entries.append((_on(p.agreed_on), f"{tag}/priority/{p.id}", _("New priority: %(title)s", title=p.title),
                        p.description, page + "#priorities"))
        for action in p.actions:
            entries.append((_on(action.taken_on), f"{tag}/priority-action/{action.id}",
                            _("Update on %(title)s", title=p.title), action.description, page + "#priorities"))
    for u in update_queries.updates(team.id):
        entries.append((_on(u.published_on), f"{tag}/you-said-we-did/{u.id}", _("You said – We did"),
                        _("You said: %(said)s\n\nWe did: %(did)s", said=u.you_said, did=u.we_did), page + "#updates"))
    for m in meeting_queries.upcoming_meetings(team.id, clock_source.now(), include_cancelled=True):
        title = _("Cancelled: %(title)s", title=m.title) if m.cancelled else m.title
        # A meeting has no publication time of its own; it is dated by when it happens.
        entries.append((_utc(m.starts_at), f"{tag}/meeting/{m.id}", title, m.purpose,
                        public_url("feeds.meeting_ics", force_id=n.force_id, neighbourhood_id=n.id,
                                   meeting_id=m.id)))
    entries.sort(key=lambda e: e[0], reverse=True)
    entries = entries[:FEED_ENTRIES]

    feed = FeedGenerator()
    feed.id(tag)
    feed.title(team.name)
    feed.link(href=page, rel="alternate")
    feed.link(href=public_url("feeds.atom", force_id=n.force_id, neighbourhood_id=n.id), rel="self")
    feed.language("en")
    feed.updated(entries[0][0] if entries else _on(date(2008, 7, 1)))
    for updated, entry_id, title, content, link in reversed(entries):
        entry = feed.add_entry()
        entry.id(entry_id)
        entry.title(title)
        entry.updated(updated)
        entry.content(content, type="text")
        entry.link(href=link)
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


