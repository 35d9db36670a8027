"""Migration 0013 back-fills when existing meetings, posts and priority updates were written:
from the audit log where it knows, else as if written on time; and it goes back down."""
from datetime import datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from config import TestConfig


@pytest.fixture
def fresh_app(tmp_path, database_url):
    if database_url.startswith("postgresql"):
        pytest.skip("runs on its own SQLite file; on PostgreSQL the suite's database is migrated up through 0013 by conftest")

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrate.db'}"

    return create_app(Config)


def test_existing_rows_are_back_filled_from_the_audit_log_or_as_written_on_time(fresh_app):
    with fresh_app.app_context():
        upgrade(revision="0012_security")
        run = db.session.execute
        run(text("INSERT INTO forces (id, name) VALUES ('f', 'Force')"))
        run(text("INSERT INTO neighbourhoods (id, force_id, name, boundary_geojson, min_lon, max_lon, min_lat, "
                 "max_lat, centre_lat, centre_lon) VALUES ('n', 'f', 'N', '{}', 0, 1, 0, 1, 0.5, 0.5)"))
        run(text("INSERT INTO teams (id, neighbourhood_id, name, social_links) VALUES (1, 'n', 'Team', '[]')"))
        for meeting_id, starts, minutes in ((1, "2026-05-12 17:00:00", "Minutes"), (2, "2026-06-09 17:00:00", None),
                                            (3, "2026-07-14 17:00:00", "Minutes written with it")):
            run(text("INSERT INTO meetings (id, team_id, kind, title, starts_at, duration_minutes, venue, purpose, "
                     "cancelled, minutes) VALUES (:id, 1, 'pact', 'PACT', :starts, 60, 'Hall', 'p', false, :minutes)"),
                {"id": meeting_id, "starts": starts, "minutes": minutes})
        run(text("INSERT INTO audit_entries (at, action, object_type, object_id, team_id, changes) VALUES "
                 "('2026-11-27 10:00:00', 'created', 'meetings', 1, 1, '{}'), "
                 "('2026-11-27 10:05:00', 'minutes recorded', 'meetings', 1, 1, '{}'), "
                 "('2026-11-27 11:00:00', 'created', 'meetings', 3, 1, '{}')"))
        run(text("INSERT INTO updates (id, team_id, published_on, you_said, we_did, resident_consent) "
                 "VALUES (1, 1, '2026-05-15', 'y', 'w', false)"))
        db.session.commit()
        upgrade(revision="0013_pledge_figures")
        rows = run(text("SELECT id, published_at, recorded_at FROM meetings ORDER BY id")).all()
        as_dt = [tuple(datetime.fromisoformat(str(v)) if v else None for v in row[1:]) for row in rows]
        assert as_dt[0] == (datetime(2026, 11, 27, 10), datetime(2026, 11, 27, 10, 5))  # back-filled: the truth
        assert as_dt[1] == (datetime(2026, 6, 2, 17), None)  # unknown: a week's notice; nothing recorded
        assert as_dt[2] == (datetime(2026, 11, 27, 11), datetime(2026, 11, 27, 11))  # never recorded before written
        created = run(text("SELECT created_at FROM updates")).scalar()
        assert datetime.fromisoformat(str(created)) == datetime(2026, 5, 15, 12)
        db.session.commit()
        downgrade(revision="0012_security")
        columns = [row[1] for row in run(text("PRAGMA table_info(meetings)"))]
        assert "published_at" not in columns and "recorded_at" not in columns
        db.session.remove()
