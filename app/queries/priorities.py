"""Priorities of a team, with their actions."""
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Priority


@cache
def _current_statement():
    """Built once, with the team as a parameter (the team page reads it on every view)."""
    return (select(Priority)
            .where(Priority.team_id == bindparam("team_id"), Priority.closed_on.is_(None))
            .options(selectinload(Priority.actions))
            .order_by(Priority.agreed_on.desc()))


def current_priorities(team_id):
    return db.session.scalars(_current_statement(), {"team_id": team_id}).all()


def recent_priorities(team_id, limit=50):
    """Priorities, open or closed, most recently agreed first (for feeds)."""
    return db.session.scalars(
        select(Priority)
        .where(Priority.team_id == team_id)
        .options(selectinload(Priority.actions))
        .order_by(Priority.agreed_on.desc())
        .limit(limit)
    ).all()
