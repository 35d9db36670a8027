"""A team's meetings as iCalendar (one meeting, or the whole calendar to subscribe to) and
its news — priorities, their actions, "You said – We did", meetings — as an Atom feed."""
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, current_app, url_for
from flask_babel import gettext as _

from app import clock_source
from app.queries import meetings as meeting_queries
from app.queries import priorities as priority_queries
from app.queries import teams as team_queries
from app.queries import updates as update_queries
from app.domain.calendars import CalendarMeeting, calendar
from app.domain.localtime import LONDON

bp = Blueprint("feeds", __name__, url_prefix="/teams/<force_id>/<neighbourhood_id>")

CALENDAR_HISTORY = timedelta(days=92)
FEED_ENTRIES = 50


def _domain():
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"


def _calendar_meeting(meeting, team):
    n = team.neighbourhood
    return CalendarMeeting(
        id=meeting.id, title=meeting.title, starts_at=meeting.starts_at, duration_minutes=meeting.duration_minutes,
        venue=meeting.venue, address=meeting.address, purpose=meeting.purpose, accessibility=meeting.accessibility,
        cancelled=meeting.cancelled,
        url=url_for("teams.profile", force_id=n.force_id, neighbourhood_id=n.id, _external=True) + "#meetings",
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
    return _ics(calendar([_calendar_meeting(meeting, team)], _domain(), clock_source.now()), f"meeting-{meeting.id}.ics")


@bp.get("/calendar.ics")
def team_calendar(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    since = clock_source.now() - CALENDAR_HISTORY
    meetings = meeting_queries.upcoming_meetings(team.id, since, include_cancelled=True)
    body = calendar([_calendar_meeting(m, team) for m in meetings], _domain(), clock_source.now(), name=team.name)
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
    page = url_for("teams.profile", force_id=n.force_id, neighbourhood_id=n.id, _external=True)
    tag = f"tag:{_domain()},2008:{n.force_id}/{n.id}"

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
                        url_for("feeds.meeting_ics", force_id=n.force_id, neighbourhood_id=n.id,
                                meeting_id=m.id, _external=True)))
    entries.sort(key=lambda e: e[0], reverse=True)
    entries = entries[:FEED_ENTRIES]

    feed = FeedGenerator()
    feed.id(tag)
    feed.title(team.name)
    feed.link(href=page, rel="alternate")
    feed.link(href=url_for("feeds.atom", force_id=n.force_id, neighbourhood_id=n.id, _external=True), rel="self")
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


