"""A team's "You said – We did" posts."""
from functools import cache

from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import Update


@cache
def _updates_statement(limit):
    """Built once for each limit, with the team as a parameter (the team page reads it on every view)."""
    return (select(Update).where(Update.team_id == bindparam("team_id"))
            .order_by(Update.published_on.desc(), Update.id.desc()).limit(limit))


def updates(team_id, limit=100):
    return db.session.scalars(_updates_statement(limit), {"team_id": team_id}).all()
