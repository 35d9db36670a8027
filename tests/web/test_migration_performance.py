"""Migrations 0015 (the covering team index on messages) and 0020 (each message's reply due
time and weekend, fixed at arrival) go down and up again cleanly, on SQLite and on
PostgreSQL, and leave the index the model declares."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db

HEAD_TEAM_INDEX = ["team_id", "kind", "received_at", "first_human_reply_at", "reply_due_at", "received_on_weekend",
                   "closed_at", "contact_by"]


def team_index_columns():
    indexes = inspect(db.engine).get_indexes("inbox_messages")
    return next(index["column_names"] for index in indexes if index["name"] == "ix_inbox_messages_team")


def test_the_team_index_covers_the_reply_figures_and_the_migrations_go_down_and_up(app_context):
    assert team_index_columns() == HEAD_TEAM_INDEX
    db.session.remove()
    downgrade(revision="0016_meeting_series")
    assert team_index_columns() == ["team_id", "kind", "received_at", "first_human_reply_at"]
    downgrade(revision="0009_data_versions")
    assert team_index_columns() == ["team_id", "kind", "received_at"]
    upgrade()
    assert team_index_columns() == HEAD_TEAM_INDEX
