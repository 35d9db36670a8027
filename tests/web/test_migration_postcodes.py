"""Migration 0022: on SQLite the postcodes table is keyed by the postcode alone (WITHOUT
ROWID: one B-tree, no separate unique index); it goes down and up again keeping every row,
its primary key, its neighbourhood index and foreign key. On PostgreSQL it changes nothing."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db
from tests.factories import make_area


def postcodes_schema():
    inspector = inspect(db.engine)
    return (
        inspector.get_pk_constraint("postcodes")["constrained_columns"],
        sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes("postcodes")),
        [(fk["referred_table"], fk["constrained_columns"], fk["options"].get("ondelete"))
         for fk in inspector.get_foreign_keys("postcodes")],
    )


def sqlite_table_sql():
    return db.session.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'postcodes'")).scalar()


def stored_postcodes():
    return db.session.execute(text("SELECT * FROM postcodes ORDER BY postcode")).all()


def test_postcodes_go_down_to_a_rowid_table_and_up_again_without_losing_a_row(app_context):
    neighbourhood_id = make_area().neighbourhood_id
    db.session.execute(text(
        "INSERT INTO postcodes (postcode, quality, easting, northing, latitude, longitude, neighbourhood_id) VALUES "
        "('LS6 3HN', 10, 428000, 436000, 53.8, -1.57, :n), ('EH1 1AA', 10, 325000, 673000, 55.95, -3.19, NULL), "
        "('LS1 9ZZ', 90, NULL, NULL, NULL, NULL, NULL)"), {"n": neighbourhood_id})
    db.session.commit()
    rows, schema = stored_postcodes(), postcodes_schema()
    sqlite = db.engine.dialect.name == "sqlite"
    if sqlite:
        assert sqlite_table_sql().rstrip().endswith("WITHOUT ROWID")
    db.session.remove()

    downgrade(revision="0021_message_reply_wait")
    assert stored_postcodes() == rows and postcodes_schema() == schema
    if sqlite:
        assert "WITHOUT ROWID" not in sqlite_table_sql()
        assert db.session.execute(text("SELECT count(rowid) FROM postcodes")).scalar() == 3
    db.session.remove()

    upgrade()
    assert stored_postcodes() == rows and postcodes_schema() == schema
    if sqlite:
        assert sqlite_table_sql().rstrip().endswith("WITHOUT ROWID")
    # The foreign key still acts: a neighbourhood's postcodes are let go when it is deleted.
    db.session.remove()
    if sqlite:  # as every connection of the app has it (a migration may have left this one without)
        db.session.execute(text("PRAGMA foreign_keys = ON"))
    db.session.execute(text("DELETE FROM teams WHERE neighbourhood_id = :n"), {"n": neighbourhood_id})
    db.session.execute(text("DELETE FROM neighbourhoods WHERE id = :n"), {"n": neighbourhood_id})
    db.session.commit()
    assert db.session.execute(text("SELECT neighbourhood_id FROM postcodes WHERE postcode = 'LS6 3HN'")).scalar() is None


def postcode_collation():
    return db.session.execute(text(
        "SELECT collation_name FROM information_schema.columns WHERE table_name = 'postcodes' AND column_name = 'postcode'"
    )).scalar()


def test_postgresql_postcodes_compare_byte_by_byte_and_can_go_back_to_the_servers_collation(app_context):
    """Migration 0023: the "C" collation on PostgreSQL (SQLite compares bytes already)."""
    import pytest

    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    db.session.execute(text(
        "INSERT INTO postcodes (postcode, quality) VALUES ('LS6 3HN', 10), ('LS10 1AA', 10), ('LS1 1AZ', 10), ('LS6 1AA', 10)"))
    db.session.commit()
    assert postcode_collation() == "C"
    # A district's postcodes are a range of bytes; the primary key's index serves it and a look-up.
    in_ls6 = "SELECT postcode FROM postcodes WHERE postcode >= 'LS6 ' AND postcode < 'LS6 ~' ORDER BY postcode"
    assert db.session.execute(text(in_ls6)).scalars().all() == ["LS6 1AA", "LS6 3HN"]
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    for query in (in_ls6, "SELECT latitude FROM postcodes WHERE postcode = 'LS6 3HN'",
                  "SELECT m.id FROM meetings m JOIN postcodes p ON p.postcode = m.postcode"):
        plan = "\n".join(db.session.execute(text(f"EXPLAIN {query}")).scalars())
        assert "pk_postcodes" in plan, plan
    rows = stored_postcodes()
    db.session.remove()

    downgrade(revision="0022_postcodes_without_rowid")
    assert postcode_collation() is None and stored_postcodes() == rows
    db.session.remove()
    upgrade()
    assert postcode_collation() == "C" and stored_postcodes() == rows
