"""Migration 0017 (consultations) upgrades and downgrades, on SQLite or PostgreSQL (TEST_DATABASE_URL)."""
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from app import create_app
from app.extensions import migrate
from config import TestConfig
from tests.web.test_migration_residents import columns, fresh_database_url  # noqa: F401  (fixture)


def tables(url):
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_0017_upgrades_and_downgrades(fresh_database_url):  # noqa: F811
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = fresh_database_url

    app = create_app(Config)
    new_tables = {"consultations", "consultation_issues", "consultation_responses", "consultation_codes"}
    with app.app_context():
        upgrade()
        assert new_tables <= tables(fresh_database_url)
        assert "consultation_id" in columns(fresh_database_url, "priorities")
        before = ScriptDirectory.from_config(migrate.get_config()).get_revision("0017_consultations").down_revision
        assert before == "0016_meeting_series"
        downgrade(revision=before)
        assert not new_tables & tables(fresh_database_url)
        assert "consultation_id" not in columns(fresh_database_url, "priorities")
        upgrade()
        assert new_tables <= tables(fresh_database_url)
