"""Meetings of a team: those published ahead, the past year's, and the record of months held."""
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, select

from app.domain import pledge
from app.domain.localtime import to_local
from app.domain.publishing import months_with_meetings
from app.extensions import db
from app.models import Meeting, MeetingSeries

PAST_MEETINGS = timedelta(days=366)
MEETINGS_AHEAD = timedelta(days=92)  # Pledge 7: published three months ahead


def upcoming_meetings(team_id, now, include_cancelled=False):
    query = select(Meeting).where(Meeting.team_id == team_id, Meeting.starts_at >= now)
    if not include_cancelled:
        query = query.where(Meeting.cancelled.is_(False))
    return db.session.scalars(query.order_by(Meeting.starts_at)).all()


def meetings(team_id, now):
    """Upcoming meetings and those of the past year, newest first, with their minutes."""
    return db.session.scalars(
        select(Meeting)
        .where(Meeting.team_id == team_id, Meeting.starts_at >= now - PAST_MEETINGS)
        .order_by(Meeting.starts_at.desc())
    ).all()


def meeting(team_id, meeting_id):
    return db.session.scalar(select(Meeting).where(Meeting.id == meeting_id, Meeting.team_id == team_id))


# The team page's statements are built once, with parameters: building a statement and
# working out its cache key anew cost more than SQLite's part of a query (issue 15).
@cache
def _published_ahead_statement():
    return (select(Meeting)
            .where(Meeting.team_id == bindparam("team_id"), Meeting.starts_at >= bindparam("now"),
                   Meeting.starts_at < bindparam("until"))
            .order_by(Meeting.starts_at))


def published_ahead(team_id, now):
    """The meetings of the next three months, called-off ones included (the team page shows them so)."""
    return db.session.scalars(_published_ahead_statement(),
                              {"team_id": team_id, "now": now, "until": now + MEETINGS_AHEAD}).all()


@cache
def _held_statement():
    return (select(Meeting.starts_at, Meeting.published_at, Meeting.recorded_at, Meeting.id)
            .where(Meeting.team_id == bindparam("team_id"), Meeting.cancelled.is_(False),
                   Meeting.starts_at >= bindparam("since"), Meeting.starts_at < bindparam("now"))
            .order_by(Meeting.starts_at))


def meeting_record(team_id, today, now, months=6):
    """For each of the last `months` whole months (Pledge 7): (year, month, the last meeting
    held in it by the Pledge page's rule — advertised in time and recorded afterwards — or
    None), so the record links to its minutes."""
    since = datetime(today.year - 1, today.month, 1)
    notice = timedelta(days=current_app.config["MEETING_NOTICE_DAYS"])
    record_within = timedelta(days=current_app.config["MEETING_RECORD_DAYS"])
    rows = db.session.execute(_held_statement(), {"team_id": team_id, "since": since, "now": now}).all()
    held, last_in_month = [], {}
    for starts_at, published_at, recorded_at, meeting_id in rows:
        if pledge.meeting_counts_as_held(pledge.MeetingFacts(starts_at, published_at, recorded_at), now, notice,
                                         record_within):
            day = to_local(starts_at).date()
            held.append(day)
            last_in_month[(day.year, day.month)] = meeting_id
    return [(year, month, last_in_month.get((year, month)) if was_held else None)
            for year, month, was_held in months_with_meetings(held, today, months)]


def series_rule(meeting):
    """The stored rule of the series a meeting belongs to, or None."""
    return db.session.get(MeetingSeries, meeting.series_key) if meeting.series_key else None


def calendar_meetings(team_id, since):
    """A team's meetings from `since` on, called-off ones included, as one-off meetings and
    series: each series whose rule is stored comes whole, with its rule, as (series, meetings)."""
    recent = upcoming_meetings(team_id, since, include_cancelled=True)
    keys = {m.series_key for m in recent if m.series_key}
    stored = {s.key: s for s in db.session.scalars(select(MeetingSeries).where(MeetingSeries.key.in_(keys)))} if keys else {}
    one_off = [m for m in recent if m.series_key not in stored]
    series = []
    for key, rule in stored.items():
        members = db.session.scalars(
            select(Meeting).where(Meeting.series_key == key, Meeting.team_id == team_id).order_by(Meeting.starts_at)
        ).all()
        series.append((rule, members))
    return one_off, series
