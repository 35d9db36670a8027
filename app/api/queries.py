"""What the JSON API reads: one function per kind of record, shared with the feeds.

Kept apart from the views so that endpoints built on other parts of the portal (crime,
compliance figures) can be added here against their own models.
"""
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.domain.localtime import utcnow
from app.extensions import db
from app.models import (Crime, CrimeRelease, Force, Meeting, Membership, Neighbourhood, Officer, Priority, Team,
                        Update)

PAST_MEETINGS = timedelta(days=366)


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
            selectinload(Team.memberships).joinedload(Membership.officer).selectinload(Officer.accounts),
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


# -- street-level crimes ---------------------------------------------------------------

CRIME_COLUMNS = (Crime.id, Crime.month, Crime.crime_ref, Crime.category, Crime.outcome, Crime.longitude,
                 Crime.latitude, Crime.location)


def latest_crime_month():
    return db.session.scalar(select(func.max(CrimeRelease.month)))


def crime_categories(month=None):
    """The "Crime type" names stored (for one month, or any)."""
    query = select(Crime.category).distinct()
    if month:
        query = query.where(Crime.month == month)
    return list(db.session.scalars(query))


def _in_box(query, month, names, west, south, east, north):
    # Served by ix_crimes_month_location (month, longitude, latitude).
    query = query.where(Crime.month == month, Crime.longitude.between(west, east),
                        Crime.latitude.between(south, north))
    if names is not None:
        query = query.where(Crime.category.in_(names))
    return query


def crimes_in_box(month, names, west, south, east, north):
    """Rows of CRIME_COLUMNS for the mapped crimes of the month inside the box (names None: all)."""
    return db.session.execute(_in_box(select(*CRIME_COLUMNS), month, names, west, south, east, north)
                              .order_by(Crime.id)).all()


def map_points_in_box(month, names, west, south, east, north):
    """(longitude, latitude, crimes) of each map point inside the box."""
    query = select(Crime.longitude, Crime.latitude, func.count())
    return db.session.execute(_in_box(query, month, names, west, south, east, north)
                              .group_by(Crime.longitude, Crime.latitude)).all()


def crime_by_persistent_id(persistent_id):
    """The crime with this data.police.uk persistent id (the CSV's Crime ID), newest first."""
    return db.session.execute(
        select(*CRIME_COLUMNS).where(Crime.crime_ref == persistent_id).order_by(Crime.month.desc(), Crime.id.desc())
        .limit(1)
    ).first()
def force_teams(force_id):
    """(team id, neighbourhood id, team name) of every team in the force, by name."""
    return db.session.execute(
        select(Team.id, Neighbourhood.id, Team.name).join(Neighbourhood)
        .where(Neighbourhood.force_id == force_id).order_by(Team.name)
    ).all()
