"""Migration 0012 (two-step sign-in, sessions, resets, unverified replies, anonymising)
goes down and up again, and turns pen pictures stored as HTML into plain text."""
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db, migrate


def test_0012_downgrades_and_upgrades_and_makes_pen_pictures_plain_text(app, app_context):
    downgrade(revision=ScriptDirectory.from_config(migrate.get_config()).get_revision("0012_security").down_revision)
    db.session.remove()
    assert "staff_sessions" not in inspect(db.engine).get_table_names()
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO forces (id, name) VALUES ('west-yorkshire', 'West Yorkshire')"))
        connection.execute(text("INSERT INTO officers (id, force_id, name, role, pen_picture, photo_consent) "
                                "VALUES (1, 'west-yorkshire', 'Sam', 'PCSO', 'Fish &amp; chips <b>on</b> Fridays', "
                                ":no)"), {"no": False})
    upgrade()
    db.session.remove()
    tables = inspect(db.engine).get_table_names()
    assert {"staff_sessions", "recovery_codes", "password_resets"} <= set(tables)
    columns = {c["name"] for c in inspect(db.engine).get_columns("users")}
    assert {"totp_secret", "totp_confirmed_at", "totp_last_step", "password_changed_at"} <= columns
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT pen_picture FROM officers")).scalar() == "Fish & chips on Fridays"
