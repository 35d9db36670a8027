"""Migration 0014 (names people use, private message links) upgrades and downgrades, on a
fresh database of the kind the suite runs on (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""
import uuid

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import migrate
from config import TestConfig


@pytest.fixture
def fresh_database_url(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"portal_migration_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def columns(url, table):
    engine = create_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_0014_upgrades_and_downgrades(fresh_database_url):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = fresh_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade()
        assert {"known_name", "known_name_cy"} <= columns(fresh_database_url, "neighbourhoods")
        assert {"access_token_hash", "about_message_id", "awaiting_reply_since", "link_sent_at"} <= \
            columns(fresh_database_url, "inbox_messages")
        before = ScriptDirectory.from_config(migrate.get_config()).get_revision("0014_residents").down_revision
        downgrade(revision=before)
        assert "known_name" not in columns(fresh_database_url, "neighbourhoods")
        assert "access_token_hash" not in columns(fresh_database_url, "inbox_messages")
        upgrade()
        assert "access_token_hash" in columns(fresh_database_url, "inbox_messages")
