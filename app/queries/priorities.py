"""Priorities of a team, with their actions."""
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Priority, PriorityAction


@cache
def _current_statement():
    """Built once, with the team as a parameter (the team page reads it on every view)."""
    return (select(Priority)
            .where(Priority.team_id == bindparam("team_id"), Priority.closed_on.is_(None))
            .options(selectinload(Priority.actions))
            .order_by(Priority.agreed_on.desc()))


def current_priorities(team_id):
    return db.session.scalars(_current_statement(), {"team_id": team_id}).all()


@cache
def _current_with_latest_statement():
    latest = (select(PriorityAction.id).where(PriorityAction.priority_id == Priority.id)
              .order_by(PriorityAction.taken_on.desc(), PriorityAction.id.desc()).limit(1)
              .correlate(Priority).scalar_subquery())
    return (select(Priority, PriorityAction)
            .outerjoin(PriorityAction, PriorityAction.id == latest)
            .where(Priority.team_id == bindparam("team_id"), Priority.closed_on.is_(None))
            .order_by(Priority.agreed_on.desc()))


def current_with_latest_action(team_id):
    """[(priority, its latest action or None)] of the team's current priorities, as
    current_priorities orders them, in one query: the team page shows only the latest action,
    so it does not load them all."""
    return [(priority, action) for priority, action in
            db.session.execute(_current_with_latest_statement(), {"team_id": team_id})]


def recent_priorities(team_id, limit=50):
    """Priorities, open or closed, most recently agreed first (for feeds)."""
    return db.session.scalars(
        select(Priority)
        .where(Priority.team_id == team_id)
        .options(selectinload(Priority.actions))
        .order_by(Priority.agreed_on.desc())
        .limit(limit)
    ).all()
