"""What the JSON API reads: one function per kind of record, shared with the feeds.

Kept apart from the views so that endpoints built on other parts of the portal (crime,
compliance figures) can be added here against their own models.
"""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Force, Meeting, Membership, Neighbourhood, Priority, Team, Update

PAST_MEETINGS = timedelta(days=366)


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def forces():
    return db.session.scalars(select(Force).order_by(Force.name)).all()


def force(force_id):
    return db.session.get(Force, force_id)


def neighbourhoods(force_id):
    return db.session.execute(
        select(Neighbourhood.id, Neighbourhood.name)
        .where(Neighbourhood.force_id == force_id)
        .order_by(Neighbourhood.name)
    ).all()


def team(force_id, neighbourhood_id):
    """The team of a neighbourhood, with its neighbourhood, force, station and members."""
    return db.session.scalar(
        select(Team)
        .join(Neighbourhood)
        .where(Team.neighbourhood_id == neighbourhood_id, Neighbourhood.force_id == force_id)
        .options(
            joinedload(Team.neighbourhood).joinedload(Neighbourhood.force),
            joinedload(Team.station),
            selectinload(Team.memberships).joinedload(Membership.officer),
        )
    )


def upcoming_meetings(team_id, now=None, include_cancelled=False):
    now = now or utcnow()
    query = select(Meeting).where(Meeting.team_id == team_id, Meeting.starts_at >= now)
    if not include_cancelled:
        query = query.where(Meeting.cancelled.is_(False))
    return db.session.scalars(query.order_by(Meeting.starts_at)).all()


def meetings(team_id, now=None):
    """Upcoming meetings and those of the past year, newest first, with their minutes."""
    now = now or utcnow()
    return db.session.scalars(
        select(Meeting)
        .where(Meeting.team_id == team_id, Meeting.starts_at >= now - PAST_MEETINGS)
        .order_by(Meeting.starts_at.desc())
    ).all()


def meeting(team_id, meeting_id):
    return db.session.scalar(select(Meeting).where(Meeting.id == meeting_id, Meeting.team_id == team_id))


def current_priorities(team_id):
    return db.session.scalars(
        select(Priority)
        .where(Priority.team_id == team_id, Priority.closed_on.is_(None))
        .options(selectinload(Priority.actions))
        .order_by(Priority.agreed_on.desc())
    ).all()


def recent_priorities(team_id, limit=50):
    """Priorities, open or closed, most recently agreed first (for feeds)."""
    return db.session.scalars(
        select(Priority)
        .where(Priority.team_id == team_id)
        .options(selectinload(Priority.actions))
        .order_by(Priority.agreed_on.desc())
        .limit(limit)
    ).all()


def updates(team_id, limit=100):
    return db.session.scalars(
        select(Update).where(Update.team_id == team_id).order_by(Update.published_on.desc(), Update.id.desc())
        .limit(limit)
    ).all()


def force_teams(force_id):
    """(team id, neighbourhood id, team name) of every team in the force, by name."""
    return db.session.execute(
        select(Team.id, Neighbourhood.id, Team.name).join(Neighbourhood)
        .where(Neighbourhood.force_id == force_id).order_by(Team.name)
    ).all()
