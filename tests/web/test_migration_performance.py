"""Migration 0015 (the covering team index on messages) goes down and up again cleanly, on
SQLite and on PostgreSQL, and leaves the index the model declares."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db


def team_index_columns():
    indexes = inspect(db.engine).get_indexes("inbox_messages")
    return next(index["column_names"] for index in indexes if index["name"] == "ix_inbox_messages_team")


def test_the_team_index_covers_the_first_reply_and_the_migration_goes_down_and_up(app_context):
    assert team_index_columns() == ["team_id", "kind", "received_at", "first_human_reply_at"]
    db.session.remove()
    downgrade(revision="0009_data_versions")
    assert team_index_columns() == ["team_id", "kind", "received_at"]
    upgrade()
    assert team_index_columns() == ["team_id", "kind", "received_at", "first_human_reply_at"]
