"""Priorities of a team, with their actions."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Priority


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
