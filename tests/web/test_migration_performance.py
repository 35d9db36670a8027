"""Migrations 0015 (the covering team index on messages) and 0020 (each message's reply due
time and weekend, fixed at arrival) go down and up again cleanly, on SQLite and on
PostgreSQL, and leave the index the model declares."""
from datetime import datetime, timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import Boolean, DateTime, Integer, String, Text, column, insert, inspect, select, table

from app.domain import clock
from app.extensions import db
from app.models import Message
from tests.factories import make_area

HEAD_TEAM_INDEX = ["team_id", "kind", "received_at", "first_human_reply_at", "reply_due_at", "received_on_weekend",
                   "closed_at", "contact_by", "first_reply_wait_ms"]


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


def test_migration_0020_fills_in_each_stored_messages_due_time_and_weekend_as_the_clock_gives_them(app_context):
    team_id = make_area().id
    db.session.commit()
    db.session.remove()
    downgrade(revision="0016_meeting_series")
    old_messages = table("inbox_messages", column("reference", String), column("team_id", Integer),
                         column("kind", String), column("name", String), column("contact_by", String),
                         column("subject", String), column("body", Text), column("urgent", Boolean),
                         column("language", String), column("received_at", DateTime))
    # Weekend edges either side of both clock changes, to the microsecond, and a leap-day midnight.
    times = [datetime(2026, 3, 27, 23, 59, 59, 999999), datetime(2026, 3, 28, 0, 0), datetime(2026, 3, 29, 22, 59, 59),
             datetime(2026, 3, 29, 23, 0, 0, 1), datetime(2026, 10, 23, 22, 59, 59, 999999),
             datetime(2026, 10, 23, 23, 0), datetime(2026, 10, 25, 23, 59, 59), datetime(2026, 10, 26, 0, 0),
             datetime(2028, 2, 28, 23, 59, 59, 500000), datetime(2026, 6, 10, 12, 0, 0, 123456)]
    db.session.execute(insert(old_messages), [
        {"reference": f"M{i:08d}", "team_id": team_id, "kind": "message", "name": "R", "contact_by": "email",
         "subject": "s", "body": "b", "urgent": False, "language": "en", "received_at": at}
        for i, at in enumerate(times)])
    db.session.commit()
    db.session.remove()
    upgrade()
    stored = db.session.execute(select(Message.received_at, Message.reply_due_at, Message.received_on_weekend)).all()
    assert sorted(stored) == sorted((at, at + timedelta(hours=24), clock.is_weekend(at)) for at in times)
    assert {weekend for _at, _due, weekend in stored} == {True, False}
