"""`flask import neighbourhoods|postcodes` against the bundled Leeds demo extract."""
import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.domain.postcodes import SCOTTISH_AREAS, area
from app.extensions import db
from config import TestConfig
from tests.conftest import SHARED_DATA, needs_shared_data

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
DEMO_NEIGHBOURHOODS = str(DEMO / "neighbourhoods.geojson.gz")
DEMO_POSTCODES = str(DEMO / "codepoint")


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["import", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def assignment(app):
    with app.app_context():
        return dict(db.session.execute(text("SELECT postcode, neighbourhood_id FROM postcodes")).all())


def snapshot(app):
    with app.app_context():
        return {
            table: sorted(tuple(r) for r in db.session.execute(text(f"SELECT * FROM {table}")).all())
            for table in ("forces", "neighbourhoods", "teams", "postcodes")
        }


def empty(app):
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


def test_importing_neighbourhoods_then_postcodes_or_the_reverse_gives_the_same_assignment(app):
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    run(app, "postcodes", DEMO_POSTCODES)
    boundaries_first = assignment(app)
    empty(app)

    output = run(app, "postcodes", DEMO_POSTCODES)
    assert "postcodes will be assigned when they are imported" in output
    assert set(assignment(app).values()) == {None}
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    postcodes_first = assignment(app)

    assert boundaries_first == postcodes_first
    assert len(boundaries_first) == 20_730


def test_running_the_imports_twice_changes_nothing(app):
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    run(app, "postcodes", DEMO_POSTCODES)
    before = snapshot(app)

    again_neighbourhoods = run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    again_postcodes = run(app, "postcodes", DEMO_POSTCODES)

    assert snapshot(app) == before
    assert "neighbourhoods unchanged: 107" in again_neighbourhoods
    assert "teams created: 0" in again_neighbourhoods
    assert "postcodes reassigned: 0" in again_neighbourhoods
    assert "postcodes inserted: 0" in again_postcodes
    assert "postcodes updated: 0" in again_postcodes
    assert "postcodes unchanged: 20,730" in again_postcodes


def test_the_import_prints_progress_and_a_summary(app):
    output = run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    assert "Reading neighbourhoods.geojson.gz" in output
    assert "neighbourhoods inserted: 107" in output
    assert "teams created: 107" in output
    output = run(app, "postcodes", DEMO_POSTCODES)
    assert "Reading ls.csv.gz" in output
    assert "postcodes inserted: 20,730" in output
    assert "postcodes without coordinates: 4" in output
    assert "skipped: 0" in output


def test_a_leeds_postcode_gets_a_leeds_neighbourhood_and_its_team(app):
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    run(app, "postcodes", DEMO_POSTCODES)
    with app.app_context():
        row = db.session.execute(
            text(
                "SELECT n.local_authority, n.force_id, t.name, p.latitude FROM postcodes p "
                "JOIN neighbourhoods n ON n.id = p.neighbourhood_id "
                "JOIN teams t ON t.neighbourhood_id = n.id WHERE p.postcode = 'LS1 1AZ'"
            )
        ).one()
    assert row.local_authority == "Leeds"
    assert row.force_id == "west-yorkshire"
    assert row.name.startswith("Leeds ") and row.name.endswith(" Neighbourhood Policing Team")
    assert row.latitude == pytest.approx(53.796, abs=0.01)


def test_a_scottish_postcode_is_stored_but_gets_no_neighbourhood(app):
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    run(app, "postcodes", DEMO_POSTCODES)
    with app.app_context():
        rows = db.session.execute(
            text("SELECT postcode, latitude, neighbourhood_id FROM postcodes WHERE postcode LIKE 'EH1 %'")
        ).all()
    assert len(rows) == 6
    assert all(r.latitude is not None and r.neighbourhood_id is None for r in rows)


def test_a_postcode_without_coordinates_is_stored_without_a_neighbourhood(app):
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    run(app, "postcodes", DEMO_POSTCODES)
    with app.app_context():
        rows = db.session.execute(
            text("SELECT quality, easting, latitude, neighbourhood_id FROM postcodes WHERE latitude IS NULL")
        ).all()
    assert len(rows) == 4
    assert all(r.quality == 90 and r.easting is None and r.neighbourhood_id is None for r in rows)


def test_a_neighbourhood_missing_from_a_reimport_is_left_in_place_and_reported(app, tmp_path):
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    fixture = ROOT / "tests" / "fixtures" / "boundaries.geojson"
    output = run(app, "neighbourhoods", str(fixture))
    assert "left in place" in output
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM neighbourhoods")).scalar() == 107 + 2


@pytest.mark.national
@needs_shared_data()
def test_the_national_import_assigns_every_located_postcode_outside_scotland(tmp_path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'national.db'}"

    national = create_app(Config)
    with national.app_context():
        upgrade()
    run(national, "neighbourhoods", str(SHARED_DATA / "neighbourhoods-ew.geojson.gz"))
    output = run(national, "postcodes", str(SHARED_DATA / "codepoint-open"))
    assert "postcodes inserted: 1,739,998" in output
    nearest = next(line for line in output.splitlines() if "assigned by nearest" in line)
    print(f"\nNational import: {nearest}")

    with national.app_context():
        unassigned = db.session.execute(
            text("SELECT postcode FROM postcodes WHERE latitude IS NOT NULL AND neighbourhood_id IS NULL")
        ).scalars().all()
        neighbourhoods = db.session.execute(text("SELECT count(*) FROM neighbourhoods")).scalar()
        teams = db.session.execute(text("SELECT count(*) FROM teams")).scalar()
    assert (neighbourhoods, teams) == (7201, 7201)
    assert [p for p in unassigned if area(p) not in SCOTTISH_AREAS] == []


def test_the_stored_boundaries_locate_a_latitude_and_longitude_through_the_cache(app):
    from app.domain.areas import cached_boundaries, clear_cache
    from app.importers.stored import boundaries_version, boundary_features_from_db

    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    clear_cache()
    with app.app_context(), db.engine.connect() as conn:
        version = boundaries_version(conn)
        boundaries = cached_boundaries(version, lambda: boundary_features_from_db(conn))
        assert cached_boundaries(boundaries_version(conn), lambda: []) is boundaries
        nid = boundaries.locate(53.7963, -1.5641)  # LS1 1AZ
        assert conn.execute(text("SELECT local_authority FROM neighbourhoods WHERE id = :i"), {"i": nid}).scalar() == "Leeds"
        assert boundaries.locate(55.95, -3.19) is None  # Edinburgh
    clear_cache()


def test_the_boundaries_version_moves_on_only_when_the_boundaries_change(app, tmp_path):
    from app.models import DataVersion

    def version():
        with app.app_context():
            return DataVersion.current(db.session, DataVersion.BOUNDARIES)

    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    first = version()
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    assert version() == first

    collection = json.loads(gzip.open(DEMO_NEIGHBOURHOODS, "rt").read())
    collection["features"] = collection["features"][:1]
    collection["features"][0]["properties"]["name"] = "Leeds renamed"
    changed = tmp_path / "changed.geojson"
    changed.write_text(json.dumps(collection))
    run(app, "neighbourhoods", str(changed))
    assert version() == first + 1


def test_a_postcode_import_that_fails_part_way_leaves_the_previous_postcodes(app):
    import gc

    from sqlalchemy import inspect

    from app.importers.codepoint import read_codepoint
    from app.importers.loading import load_postcodes
    from app.importers.report import ImportReport

    def batches_then_a_failure():
        report = ImportReport()
        for number, batch in enumerate(read_codepoint(DEMO_POSTCODES, report, batch_rows=5_000)):
            batch.northing[:] += 1  # every postcode moved: a real change, had it been kept
            yield batch
            if number == 1:
                raise OSError("the disk went away")

    def keys():
        inspector = inspect(db.engine)
        return (inspector.get_pk_constraint("postcodes"), inspector.get_indexes("postcodes"),
                inspector.get_foreign_keys("postcodes"))

    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    with app.app_context():  # into an empty table: the path that drops the keys and builds them after
        keys_before = keys()
        with pytest.raises(OSError), db.engine.begin() as conn:
            load_postcodes(conn, batches_then_a_failure(), ImportReport())
        assert db.session.execute(text("SELECT count(*) FROM postcodes")).scalar() == 0
        assert keys() == keys_before
        assert "ix_postcodes_neighbourhood_id" in {i["name"] for i in keys()[1]}
        assert keys()[0]["constrained_columns"] == ["postcode"] and keys()[2]
    assert gc.isenabled()

    run(app, "postcodes", DEMO_POSTCODES)
    before = snapshot(app)
    with app.app_context(), pytest.raises(OSError), db.engine.begin() as conn:
        load_postcodes(conn, batches_then_a_failure(), ImportReport())
    assert snapshot(app) == before


def test_reading_ahead_keeps_the_order_and_raises_the_producers_error_in_the_caller():
    from app.importers.stored import read_ahead

    assert list(read_ahead(iter(range(10)))) == list(range(10))

    def failing():
        yield 1
        raise ValueError("row 2 is unreadable")

    seen = []
    with pytest.raises(ValueError, match="row 2"):
        for item in read_ahead(failing()):
            seen.append(item)
    assert seen == [1]

    made = []

    def endless():
        for number in range(1_000_000):
            made.append(number)
            yield number

    for item in read_ahead(endless(), depth=2):
        if item == 3:
            break  # the caller stops (an error of its own): the producer stops too
    assert len(made) < 10


def test_reading_in_another_process_keeps_the_order_and_brings_back_the_report_and_the_errors(capsys):
    import multiprocessing
    import os

    from app.importers.report import ImportReport
    from app.importers.stored import read_in_another_process

    report = ImportReport()

    def made_in_a_child():
        for number in range(5):
            if number % 2:
                report.skip("odd row", number)
            print(f"made {number}")
            yield number, os.getpid()

    made = list(read_in_another_process(made_in_a_child(), report))
    assert [number for number, _ in made] == list(range(5))
    assert {pid for _, pid in made} != {os.getpid()}
    assert report.skipped["odd row"] == 2 and report.examples["odd row"] == [1, 3]
    assert capsys.readouterr().out == "".join(f"made {n}\n" for n in range(5))

    def failing():
        yield 1
        raise OSError("the disk went away")

    received = []
    with pytest.raises(OSError, match="the disk went away"):
        for item in read_in_another_process(failing()):
            received.append(item)
    assert received == [1]

    def endless():
        number = 0
        while True:
            yield number
            number += 1

    for item in read_in_another_process(endless()):
        if item == 3:
            break  # the caller stops (an error of its own): the child is stopped, not left running
    assert not [child for child in multiprocessing.active_children() if child.name == "import-reader"]


# -- SQLite: foreign keys checked once, at the end of the load ----------------------------


def _one_connection_engine(app):
    """An engine on the test database whose pool holds one connection, so that the next
    checkout is the very connection the load used."""
    from sqlalchemy import create_engine

    return create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=1, max_overflow=0)


def _foreign_keys_on(connection):
    """SQLite's own setting on the connection (asked of the driver: no SQLAlchemy transaction begun)."""
    return connection.connection.dbapi_connection.execute("PRAGMA foreign_keys").fetchone()[0]


def _batch(*postcodes):
    from app.importers.codepoint import make_batch

    count = len(postcodes)
    return make_batch("test", list(postcodes), [10] * count, [430_000] * count, [433_000 + n for n in range(count)])


@pytest.mark.parametrize("into", ["an empty table", "loaded postcodes"])
def test_sqlite_a_postcode_naming_no_stored_neighbourhood_fails_the_load_and_leaves_nothing(app, into):
    import sqlite3

    from sqlalchemy import inspect

    from app.importers.loading import _NeighbourhoodIds, _PostcodeWriter

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("PostgreSQL checks the foreign key by its constraint (tested with the failing import)")
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    if into == "loaded postcodes":
        run(app, "postcodes", DEMO_POSTCODES)
    before = snapshot(app)
    with app.app_context():
        indexes_before = inspect(db.engine).get_indexes("postcodes")
        known = db.session.execute(text("SELECT id FROM neighbourhoods LIMIT 1")).scalar()
    engine = _one_connection_engine(app)
    with engine.connect() as conn:
        load_connection = conn.connection.dbapi_connection
        assert _foreign_keys_on(conn) == 1
        with pytest.raises(sqlite3.IntegrityError, match="E99999999"), conn.begin():
            writer = _PostcodeWriter(conn, _NeighbourhoodIds([known, "E99999999"]), empty=into == "an empty table")
            assert _foreign_keys_on(conn) == 0  # this connection only, for the load
            with app.app_context(), db.engine.connect() as other:
                assert _foreign_keys_on(other) == 1
            writer.write(_batch("ZZ1 1AA", "ZZ1 1AB", "LS1 1AZ"), np.array([0, 1, 0], dtype=np.int32))
            writer.finish()
    with engine.connect() as conn:
        assert conn.connection.dbapi_connection is load_connection
        assert _foreign_keys_on(conn) == 1  # back on when the connection went back to the pool
    engine.dispose()
    assert snapshot(app) == before
    with app.app_context():
        assert inspect(db.engine).get_indexes("postcodes") == indexes_before


def test_sqlite_a_postcode_load_leaves_foreign_keys_on_for_the_connections_next_user(app):
    from app.importers.codepoint import read_codepoint
    from app.importers.loading import load_postcodes
    from app.importers.report import ImportReport

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite only")
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    engine = _one_connection_engine(app)
    report = ImportReport()
    with engine.begin() as conn:
        load_connection = conn.connection.dbapi_connection
        load_postcodes(conn, read_codepoint(DEMO_POSTCODES, report), report)
    with engine.connect() as conn:
        assert conn.connection.dbapi_connection is load_connection and _foreign_keys_on(conn) == 1
        assert conn.exec_driver_sql("PRAGMA foreign_key_check(postcodes)").all() == []
        assert conn.exec_driver_sql("SELECT count(neighbourhood_id) FROM postcodes").scalar() > 1_000
    engine.dispose()


def test_sqlite_a_load_joining_a_transaction_already_begun_checks_every_row_as_it_goes(app):
    import sqlite3

    from app.importers.loading import _NeighbourhoodIds, _PostcodeWriter

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite only")
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    engine = _one_connection_engine(app)
    with engine.connect() as conn:
        with pytest.raises(sqlite3.IntegrityError), conn.begin():
            conn.execute(text("UPDATE forces SET name = name"))  # the caller's own write: SQLite's transaction has begun
            writer = _PostcodeWriter(conn, _NeighbourhoodIds(["E99999999"]), empty=True)
            assert _foreign_keys_on(conn) == 1
            writer.write(_batch("ZZ1 1AB"), np.array([0], dtype=np.int32))  # refused by SQLite at once
        assert conn.exec_driver_sql("SELECT count(*) FROM postcodes").scalar() == 0
    engine.dispose()


def test_the_neighbourhoods_and_teams_a_boundary_import_creates_are_stored_whole(app):
    """On PostgreSQL they go in by one binary COPY each: every column, the JSON one too."""
    import shapely

    from app.importers.boundaries import read_boundaries
    from app.importers.loading import neighbourhood_row
    from app.importers.report import ImportReport

    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    feature = next(read_boundaries(DEMO_NEIGHBOURHOODS, ImportReport()))
    expected = neighbourhood_row(feature)
    with app.app_context():
        from app.models.geography import Neighbourhood
        from app.models.teams import Team

        stored = db.session.get(Neighbourhood, feature.id)
        for column, value in expected.items():
            assert getattr(stored, column) == value, column
        assert stored.known_name is None and stored.known_name_cy is None
        assert shapely.from_geojson(stored.boundary_geojson).is_valid
        team = db.session.execute(db.select(Team).where(Team.neighbourhood_id == feature.id)).scalar_one()
        assert team.social_links == [] and team.name == f"{feature.name} Neighbourhood Policing Team"
        assert db.session.execute(text("SELECT count(DISTINCT id) FROM teams")).scalar() == 107


def _postgresql_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL only")


def test_postgresql_postcodes_copied_in_binary_are_stored_as_their_rows(app):
    from app.importers.codepoint import make_batch
    from app.importers.loading import POSTCODE_COLUMNS, _NeighbourhoodIds, _postcode_copy_rows
    from app.importers.stored import binary_copy

    _postgresql_only(app)
    # Postcodes of 5 to 8 characters; one without coordinates (quality 90), one outside every
    # neighbourhood (position -1), one in a neighbourhood whose id is not ASCII.
    batch = make_batch("test", ["G1 1AA", "LS1 1AZ", "LS10 1AB", "SW1A 2AA", "EH1 1AD"], [10, 10, 90, 10, 10],
                       [425_000, 430_000, 0, 530_000, 325_000], [673_000, 433_000, 0, 180_000, 673_500])
    positions = np.array([1, 0, -1, 2, -1], dtype=np.int32)
    ids = _NeighbourhoodIds(["E02002330", "S02001234", "W02000001-Môn"])
    engine = _one_connection_engine(app)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TEMPORARY TABLE copied (postcode varchar(8), quality int2, easting int4, northing int4, "
            "latitude float8, longitude float8, neighbourhood_id varchar(32))")
        with binary_copy(conn, "copied", POSTCODE_COLUMNS) as send:
            send(_postcode_copy_rows(batch, positions, ids))
        stored = conn.exec_driver_sql(f"SELECT {', '.join(POSTCODE_COLUMNS)} FROM copied").all()
    engine.dispose()
    assert [tuple(row) for row in stored] == batch.rows(ids.as_str(positions, len(batch)))
    assert stored[2][1:] == (90, None, None, None, None, None) and stored[3][-1] == "W02000001-Môn"


def test_postgresql_a_first_load_writes_its_postcodes_frozen_and_builds_its_keys_after(app):
    """COPY … FREEZE into the table emptied in the import's transaction: every page is
    all-visible and all-frozen at once (nothing to visit again), and the keys are back."""
    from sqlalchemy import inspect

    _postgresql_only(app)
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    run(app, "postcodes", DEMO_POSTCODES)
    engine = _one_connection_engine(app)
    with engine.connect() as conn, conn.begin() as transaction:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_visibility")  # rolled back below
        pages, frozen = conn.exec_driver_sql(
            "SELECT count(*), count(*) FILTER (WHERE all_visible AND all_frozen) FROM pg_visibility_map('postcodes')").one()
        transaction.rollback()
    engine.dispose()
    assert pages > 10 and frozen == pages
    with app.app_context():
        inspector = inspect(db.engine)
        assert inspector.get_pk_constraint("postcodes")["constrained_columns"] == ["postcode"]
        assert [i["column_names"] for i in inspector.get_indexes("postcodes")] == [["neighbourhood_id"]]
        assert [fk["referred_table"] for fk in inspector.get_foreign_keys("postcodes")] == ["neighbourhoods"]


def test_postgresql_a_first_load_that_finds_postcodes_written_meanwhile_merges_instead_of_emptying(app, monkeypatch):
    """A first load locks the table, counts again, and only then drops its keys and empties it."""
    from app.importers import loading
    from app.importers.codepoint import read_codepoint
    from app.importers.report import ImportReport

    _postgresql_only(app)
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    with app.app_context():
        db.session.execute(text("INSERT INTO postcodes (postcode, quality) VALUES ('ZZ9 9ZZ', 90)"))
        db.session.commit()
    counted = loading._count_postcodes
    missed = [0]  # the first count misses it, as if it had been written just after
    monkeypatch.setattr(loading, "_count_postcodes", lambda conn: missed.pop() if missed else counted(conn))
    report = ImportReport()
    with app.app_context(), db.engine.begin() as conn:
        loading.load_postcodes(conn, read_codepoint(DEMO_POSTCODES, report), report)
    with app.app_context():
        assert db.session.execute(text("SELECT quality FROM postcodes WHERE postcode = 'ZZ9 9ZZ'")).scalar() == 90
        assert db.session.execute(text("SELECT count(*) FROM postcodes")).scalar() == 20_731
    assert report.counts["postcodes inserted"] == 20_730


def test_postgresql_under_psycopg2_the_imports_store_what_they_store_under_psycopg_3(app):
    """postgresql+psycopg2:// URLs are supported: there the rows go in by CSV COPY (frozen on a
    first load) rather than binary COPY, and must come out the same."""
    from sqlalchemy.engine import make_url

    def without_team_ids(tables):  # a team's id is the next of a sequence that does not go back
        return {**tables, "teams": sorted(row[1:] for row in tables["teams"])}

    _postgresql_only(app)
    run(app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
    run(app, "postcodes", DEMO_POSTCODES)
    under_psycopg_3 = snapshot(app)
    empty(app)

    class Psycopg2Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(
            drivername="postgresql+psycopg2").render_as_string(hide_password=False)

    psycopg2_app = create_app(Psycopg2Config)
    try:
        with psycopg2_app.app_context():
            assert db.engine.dialect.driver == "psycopg2"
        run(psycopg2_app, "neighbourhoods", DEMO_NEIGHBOURHOODS)
        run(psycopg2_app, "postcodes", DEMO_POSTCODES)
        assert without_team_ids(snapshot(psycopg2_app)) == without_team_ids(under_psycopg_3)
    finally:
        with psycopg2_app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_pipe_from_the_reading_child_holds_a_batch_where_linux_allows():
    import multiprocessing

    fcntl = pytest.importorskip("fcntl")
    from app.importers.stored import PIPE_BYTES, _widen_pipe

    limit = Path("/proc/sys/fs/pipe-max-size")
    if not limit.exists():
        pytest.skip("not Linux")
    receiving, sending = multiprocessing.Pipe(duplex=False)
    _widen_pipe(receiving)
    assert fcntl.fcntl(receiving.fileno(), fcntl.F_GETPIPE_SZ) >= min(PIPE_BYTES, int(limit.read_text()))
    sending.send_bytes(b"x" * (PIPE_BYTES // 2))  # would block for ever in a 64 KiB pipe with nobody reading
    assert len(receiving.recv_bytes()) == PIPE_BYTES // 2
    receiving.close()
    sending.close()
