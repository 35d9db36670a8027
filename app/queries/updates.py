"""A team's "You said – We did" posts."""
from sqlalchemy import select

from app.extensions import db
from app.models import Update


def updates(team_id, limit=100):
    return db.session.scalars(
        select(Update).where(Update.team_id == team_id).order_by(Update.published_on.desc(), Update.id.desc())
        .limit(limit)
    ).all()
