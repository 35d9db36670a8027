"""Write imported boundaries and postcodes to the database (SQLAlchemy Core on a Connection).

Everything is an idempotent upsert: importing the same data twice changes nothing, and
the counts say so (inserted / updated / unchanged).

* ``load_boundaries``: forces and neighbourhoods upserted, one team created per new
  neighbourhood, then the postcode → neighbourhood assignment recomputed for ALL postcodes,
  and for all crimes (per map point); when anything changed, every crime month's data
  version moves on, so that tiles and neighbourhood totals are drawn again.
  Neighbourhoods in the database but not in the import are LEFT IN PLACE (their teams may
  hold officers, meetings and messages) and reported, so someone can retire them on purpose.
  They keep their boundary, so they still take part in the assignment.
* ``load_postcodes``: Code-Point batches read and projected in a child process while this
  one writes them: on SQLite, assigned to neighbourhoods in the child and inserted straight
  into postcodes (plain INSERT into an empty table, else ``INSERT … ON CONFLICT DO UPDATE …
  WHERE changed``); on PostgreSQL, assigned here and sent by one binary COPY (rows made by
  numpy), into the bare table (emptied in the transaction, rows frozen, keys built after)
  when it is empty, else into a temporary table merged with one such statement.

The assignment always uses the boundaries as stored (GeoJSON rounded to 6 dp), so the
order of the two imports does not change the result.
"""
import json
from contextlib import ExitStack

import numpy as np
import shapely
from shapely.geometry import mapping
from sqlalchemy import (Column, Float, ForeignKeyConstraint, Integer, SmallInteger, String, bindparam, func, select,
                        text)
from sqlalchemy.schema import AddConstraint, DropConstraint

from app.domain.areas import DEFAULT_MAX_DISTANCE
from app.importers.crime_store import crimes_table, reassign_crimes, redraw_every_month
from app.importers.stored import (
    binary_copy,
    binary_copy_rows,
    boundaries_from_db,
    bulk_insert,
    bulk_load_settings,
    check_foreign_keys,
    copies_in_binary,
    foreign_keys_checked_at_the_end,
    insert_many,
    is_postgres,
    neighbourhoods_table,
    no_cyclic_gc,
    read_in_another_process,
    temp_table,
)
from app.models.geography import POSTCODE_TYPE, DataVersion, Force, Postcode
from app.models.teams import Team

forces_table = Force.__table__
postcodes_table = Postcode.__table__
teams_table = Team.__table__

POSTCODE_COLUMNS = ["postcode", "quality", "easting", "northing", "latitude", "longitude", "neighbourhood_id"]
LEFT_IN_PLACE = "neighbourhood in the database but not in this import (left in place)"


def team_name(neighbourhood_name):
    if neighbourhood_name.lower().endswith(("team", " npt")):  # some forces' lists name the team already
        return neighbourhood_name
    return f"{neighbourhood_name} Neighbourhood Policing Team"


def _note(progress, message):
    if progress:
        progress(message)


# -- boundaries -------------------------------------------------------------------------


def _round6(coords):
    return np.round(coords, 6)


def geojson_geometry(geometry):
    """``shapely.geometry.mapping`` for a Polygon or MultiPolygon, the same JSON once
    dumped, but with each ring's coordinates taken out by numpy in one call rather than
    one Python tuple at a time."""
    if geometry.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": _rings(geometry)}
    if geometry.geom_type == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [_rings(part) for part in geometry.geoms]}
    return mapping(geometry)


def _rings(polygon):
    if polygon.is_empty:
        return []
    z = polygon.has_z
    return [shapely.get_coordinates(ring, include_z=z).tolist() for ring in (polygon.exterior, *polygon.interiors)]


def neighbourhood_row(feature):
    """The neighbourhoods row for a BoundaryFeature: GeoJSON rounded to 6 dp, bbox, centre."""
    geometry = shapely.transform(feature.geometry, _round6)
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    centre = feature.geometry.representative_point()
    return {
        "id": feature.id,
        "force_id": feature.force_id,
        "name": feature.name,
        "local_authority": feature.local_authority,
        "boundary_geojson": json.dumps(geojson_geometry(geometry), separators=(",", ":")),
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "centre_lat": round(centre.y, 6),
        "centre_lon": round(centre.x, 6),
    }


def _upsert_by_id(conn, table, rows, columns, report, label):
    """Insert new rows and update changed ones, comparing with what is stored."""
    key = table.c.id
    existing = {row[0]: tuple(row[1:]) for row in conn.execute(select(key, *[table.c[c] for c in columns]))}
    inserts, updates, unchanged = [], [], 0
    for row in rows:
        current = existing.get(row["id"])
        if current is None:
            inserts.append(row)
        elif current != tuple(row[c] for c in columns):
            updates.append(row)
        else:
            unchanged += 1
    insert_many(conn, table, inserts)
    if updates:
        statement = (
            table.update()
            .where(key == bindparam("_id"))
            .values({c: bindparam(c) for c in columns})
        )
        conn.execute(statement, [{**{c: r[c] for c in columns}, "_id": r["id"]} for r in updates])
    report.counts[f"{label} inserted"] += len(inserts)
    report.counts[f"{label} updated"] += len(updates)
    report.counts[f"{label} unchanged"] += unchanged
    return set(existing)


def load_boundaries(conn, features, report, max_distance=DEFAULT_MAX_DISTANCE, progress=None):
    """Upsert forces, neighbourhoods and teams, then reassign every postcode."""
    with no_cyclic_gc():  # the GeoJSON read and written again is about a million Python objects, none in a cycle
        return _load_boundaries(conn, features, report, max_distance, progress)


def _load_boundaries(conn, features, report, max_distance, progress):
    features = list(features)
    _note(progress, f"Read {len(features):,} neighbourhoods")

    forces = {}
    for feature in features:
        forces.setdefault(feature.force_id, {"id": feature.force_id, "name": feature.force_name})
    _upsert_by_id(conn, forces_table, list(forces.values()), ["name"], report, "forces")

    rows = [neighbourhood_row(f) for f in features]
    columns = [c for c in rows[0] if c != "id"] if rows else []
    changed_before = sum(report.counts[f"neighbourhoods {what}"] for what in ("inserted", "updated"))
    before = _upsert_by_id(conn, neighbourhoods_table, rows, columns, report, "neighbourhoods")
    imported = {r["id"] for r in rows}
    for stale in sorted(before - imported):
        report.note(LEFT_IN_PLACE, stale)
    _note(progress, "Stored forces and neighbourhoods")

    with_team = {r[0] for r in conn.execute(select(teams_table.c.neighbourhood_id))}
    new_teams = [
        {"neighbourhood_id": r["id"], "name": team_name(r["name"]), "social_links": []}
        for r in rows
        if r["id"] not in with_team
    ]
    insert_many(conn, teams_table, new_teams)
    report.counts["teams created"] += len(new_teams)
    _note(progress, f"Created {len(new_teams):,} teams")

    if _anything_placed(conn):
        boundaries = boundaries_from_db(conn)
        reassign_postcodes(conn, report, max_distance=max_distance, progress=progress, boundaries=boundaries)
        moved = reassign_crimes(conn, report, boundaries, max_distance=max_distance, progress=progress)
    else:  # the README's order (neighbourhoods first): no index of the boundaries to build for nothing
        _note(progress, "No postcodes stored yet: nothing to assign")
        moved = 0
    changed = sum(report.counts[f"neighbourhoods {what}"] for what in ("inserted", "updated")) - changed_before
    if changed:
        DataVersion.bump(conn, DataVersion.BOUNDARIES)
    if changed or moved:
        report.redrawn_months = redraw_every_month(conn)
        report.counts["crime months redrawn (new data version)"] += len(report.redrawn_months)
    return report


# -- assignment -------------------------------------------------------------------------


def _anything_placed(conn):
    """Whether any postcode or mapped crime is stored, that is, anything to reassign."""
    postcode = conn.execute(select(postcodes_table.c.postcode).limit(1)).first()
    return postcode is not None or conn.execute(
        select(crimes_table.c.id).where(crimes_table.c.longitude.is_not(None)).limit(1)).first() is not None


REASSIGN_PAGE_ROWS = 200_000


def reassign_postcodes(conn, report, max_distance=DEFAULT_MAX_DISTANCE, progress=None, boundaries=None):
    """Recompute postcodes.neighbourhood_id for every postcode; write only the changes.

    Postcodes are read a page at a time in key order (so memory stays flat however many
    there are); the changed ones are staged and written with one UPDATE … FROM at the end."""
    boundaries = boundaries or boundaries_from_db(conn)
    p = postcodes_table
    page_query = (
        select(p.c.postcode, p.c.easting, p.c.northing, p.c.neighbourhood_id)
        .where(p.c.postcode > bindparam("after"))
        .order_by(p.c.postcode)
        .limit(REASSIGN_PAGE_ROWS)
    )
    with no_cyclic_gc():
        total, changed, by_nearest, outside, stage = _reassign_pages(conn, page_query, boundaries, max_distance)
    if not total:
        _note(progress, "No postcodes stored yet: nothing to assign")
        return
    if stage is not None:
        conn.execute(
            text(
                "UPDATE postcodes SET neighbourhood_id = import_assignment.neighbourhood_id "
                "FROM import_assignment WHERE postcodes.postcode = import_assignment.postcode"
            )
        )
        stage.drop(conn)
    report.counts["postcodes reassigned"] += changed
    report.counts["postcodes assigned by nearest neighbourhood"] = by_nearest
    report.counts["postcodes outside coverage"] = outside
    _note(progress, f"Assigned {total:,} postcodes ({changed:,} changed, {by_nearest:,} by nearest)")


def _reassign_pages(conn, page_query, boundaries, max_distance):
    stage = None
    total = changed = by_nearest = outside = 0
    after = ""
    while True:
        page = conn.execute(page_query, {"after": after}).all()
        if not page:
            break
        after = page[-1][0]
        postcodes, eastings, northings, current = zip(*page)
        total += len(page)
        if boundaries is None:
            assigned = [None] * len(page)
        else:
            assignment = boundaries.assign(
                np.array(eastings, dtype=float), np.array(northings, dtype=float), postcodes, max_distance=max_distance
            )
            assigned = assignment.neighbourhood_ids.tolist()
            by_nearest += int(assignment.by_nearest.sum())
            outside += assignment.outside_coverage
        changes = [(pc, new) for pc, old, new in zip(postcodes, current, assigned) if old != new]
        if changes:
            stage = stage if stage is not None else _assignment_stage(conn)
            bulk_insert(conn, stage, changes)
            changed += len(changes)
    return total, changed, by_nearest, outside, stage


def _assignment_stage(conn):
    stage = temp_table(
        "import_assignment",
        Column("postcode", POSTCODE_TYPE, primary_key=True),
        Column("neighbourhood_id", String(32)),
    )
    stage.drop(conn, checkfirst=True)
    stage.create(conn)
    return stage


def load_postcodes(conn, batches, report, max_distance=DEFAULT_MAX_DISTANCE, progress=None):
    """Assign Code-Point batches to neighbourhoods and merge them into postcodes.

    SQLite: each batch goes straight into postcodes with ``INSERT … ON CONFLICT DO UPDATE
    … WHERE changed`` (a plain INSERT into an empty table; a staging table would only copy
    every row once more). PostgreSQL: batches are COPied (binary, one COPY) into a temporary
    table, then merged with one such statement; into an empty table, COPied straight in
    (FREEZE) with the keys built after. Either way it is one transaction: a failed import
    leaves the previous postcodes (and the table's keys)."""
    boundaries = boundaries_from_db(conn)
    if boundaries is None:
        _note(progress, "No neighbourhood boundaries yet: postcodes will be assigned when they are imported")
    before = _count_postcodes(conn)
    if before == 0 and is_postgres(conn):
        # A first load takes the table for itself (its keys are dropped and built again after
        # the COPY): locked now, until the import commits, and counted again under the lock, so
        # that no postcode written in between is lost (it is then merged like any re-import).
        conn.execute(text("LOCK TABLE postcodes IN ACCESS EXCLUSIVE MODE"))
        before = _count_postcodes(conn)
    staged = by_nearest = outside = no_coordinates = changed_rows = 0

    def assign(batch):
        if boundaries is None:
            return None, 0, 0
        assignment = boundaries.assign(batch.easting, batch.northing, batch.postcodes, max_distance=max_distance)
        return assignment.positions, int(assignment.by_nearest.sum()), assignment.outside_coverage

    with bulk_load_settings(conn), _PostcodeWriter(
        conn, _NeighbourhoodIds([] if boundaries is None else boundaries.ids.tolist()), empty=before == 0
    ) as writer:
        # Where the server does the writing (one binary COPY), this process has time to spare
        # and assigns each batch itself, so that the reading child, the longer of the two, has
        # a quarter less to do; on SQLite this process is busy inserting, and the child assigns.
        assign_here = writer.copies

        def read_batches():
            """Read and project each batch (and assign it, unless that is done here) in a
            child process, while this one writes the batch before."""
            for batch in batches:
                yield batch, (None if assign_here else assign(batch))

        for batch, assigned in read_in_another_process(read_batches(), report):
            positions, nearest, outside_batch = assign(batch) if assign_here else assigned
            by_nearest += nearest
            outside += outside_batch
            no_coordinates += int((~batch.has_coordinates).sum())
            writer.write(batch, positions)
            staged += len(batch)
            _note(progress, f"  {batch.source}: {len(batch):,} rows read")
        changed_rows = writer.finish()
    # Into an empty table every row written was a new one: no need to count them again.
    after = changed_rows if before == 0 else _count_postcodes(conn)

    inserted = after - before
    updated = changed_rows - inserted
    report.counts["postcodes read"] += staged
    report.counts["postcodes inserted"] += inserted
    report.counts["postcodes updated"] += updated
    report.counts["postcodes unchanged"] += staged - inserted - updated
    report.counts["postcodes without coordinates"] += no_coordinates
    if boundaries is not None:
        report.counts["postcodes assigned by nearest neighbourhood"] += by_nearest
        report.counts["postcodes outside coverage"] += outside
    _note(progress, f"Merged {staged:,} postcodes ({inserted:,} new, {updated:,} updated)")
    return report


class _NeighbourhoodIds:
    """The boundaries' neighbourhood ids by position (``Assignment.positions``; -1 is none),
    as str for rows of tuples, and as UTF-8 bytes with their lengths for a binary COPY: each
    id encoded once, not once a postcode."""

    def __init__(self, ids):
        encoded = [i.encode("utf-8") for i in ids]
        # One more at the end, for position -1: None, NULL.
        self.strs = np.array([*ids, None], dtype=object)
        self.utf8 = np.array([*encoded, b""])
        self.utf8_lengths = np.array([len(b) for b in encoded] + [-1], dtype=np.int32)

    def as_str(self, positions, count):
        return [None] * count if positions is None else self.strs[positions].tolist()

    def as_utf8(self, positions, count):
        positions = np.full(count, -1, dtype=np.int32) if positions is None else positions
        return self.utf8[positions], self.utf8_lengths[positions]


def _postcode_copy_rows(batch, positions, neighbourhood_ids):
    """A batch as rows of a binary COPY into postcodes' columns (``POSTCODE_COLUMNS``)."""
    count = len(batch)
    postcodes = np.array(batch.postcodes, dtype="S")  # canonical, so ASCII (a stray character fails here)
    postcode_lengths = (postcodes.view(np.uint8).reshape(count, -1) != 0).sum(axis=1, dtype=np.int32)
    located = batch.has_coordinates
    whole = located.all()
    int4_lengths = None if whole else np.where(located, 4, -1).astype(np.int32)
    float8_lengths = None if whole else np.where(located, 8, -1).astype(np.int32)
    return binary_copy_rows([
        (postcodes, postcode_lengths),
        (batch.quality.astype(">i2"), None),
        (np.nan_to_num(batch.easting).astype(">i4"), int4_lengths),
        (np.nan_to_num(batch.northing).astype(">i4"), int4_lengths),
        (batch.latitude.astype(">f8"), float8_lengths),
        (batch.longitude.astype(">f8"), float8_lengths),
        neighbourhood_ids.as_utf8(positions, count),
    ])


def _count_postcodes(conn):
    return conn.execute(select(func.count()).select_from(postcodes_table)).scalar_one()


class _PostcodeWriter:
    """Writes postcode rows: straight into postcodes on SQLite, through a COPY-filled
    staging table on PostgreSQL. ``finish()`` returns the number of rows inserted or changed.

    Into an empty table on SQLite, the neighbourhood index is dropped and built again at
    the end (one sort instead of a million scattered inserts). SQLite's DDL is part of the
    transaction, so other connections keep the index and a failed load gets it back."""

    def __init__(self, conn, neighbourhood_ids, empty=False):
        self.conn = conn
        self.neighbourhood_ids = neighbourhood_ids
        self.changed = 0
        self.copying = ExitStack()
        self.rebuilt_indexes = []
        self.direct = False
        if is_postgres(conn) and empty:
            # Nothing to merge with: COPY straight into postcodes (no staging copy, no merge),
            # emptied in this transaction so that the rows go in frozen (COPY FREEZE), with
            # its keys and index built after the load (one sort each) and the foreign key
            # checked once, by one join, instead of a trigger a row.
            self.stage, self.direct = postcodes_table, True
            self.rebuilt_constraints = _drop_postcode_keys(conn)
        elif is_postgres(conn):
            self.stage = temp_table(
                "import_postcodes",
                Column("postcode", POSTCODE_TYPE, primary_key=True),
                Column("quality", SmallInteger),
                Column("easting", Integer),
                Column("northing", Integer),
                Column("latitude", Float),
                Column("longitude", Float),
                Column("neighbourhood_id", String(32)),
            )
            self.stage.drop(conn, checkfirst=True)
            self.stage.create(conn)
        else:
            self.stage = None
            # Foreign keys checked once at the end instead of one look-up a row (a fifth of
            # the national insert's CPU), when the transaction has not begun yet.
            self.check_foreign_keys = foreign_keys_checked_at_the_end(conn)
            if empty:
                dbapi_connection = conn.connection.dbapi_connection
                if not dbapi_connection.in_transaction:
                    # pysqlite opens its transaction only at the first INSERT: a DROP INDEX
                    # before it would be committed at once, and not undone by a rollback.
                    dbapi_connection.execute("BEGIN")
                self.rebuilt_indexes = [i for i in postcodes_table.indexes if not i.unique]
                for index in self.rebuilt_indexes:
                    index.drop(conn)
            self.cursor = conn.connection.dbapi_connection.cursor()
            values = "VALUES (" + ", ".join("?" * len(POSTCODE_COLUMNS)) + ")"
            # Into an empty table a plain INSERT will do: the reader has already dropped
            # repeated postcodes, so there is nothing to merge with (a fifth less work a row).
            self.upsert = (f"INSERT INTO postcodes ({', '.join(POSTCODE_COLUMNS)}) {values}" if empty
                           else _upsert_postcodes_sql(conn, values))
        # PostgreSQL under psycopg 3: every batch goes in by one binary COPY, begun here.
        self.copies = self.stage is not None and copies_in_binary(conn)
        if self.copies:
            self.send = self.copying.enter_context(
                binary_copy(conn, self.stage.name, POSTCODE_COLUMNS, freeze=self.direct))

    def __enter__(self):
        return self

    def __exit__(self, *error):
        """An error before ``finish`` ends the COPY as failed (the transaction rolls back)."""
        return self.copying.__exit__(*error)

    def write(self, batch, positions):
        """``positions``: each postcode's neighbourhood as its position in the boundaries'
        ids (-1 for none), or None when there are no boundaries."""
        if not len(batch):
            return
        if self.copies:
            self.send(_postcode_copy_rows(batch, positions, self.neighbourhood_ids))
            self.changed += len(batch)
            return
        neighbourhood_ids = self.neighbourhood_ids.as_str(positions, len(batch))
        if self.stage is not None:
            rows = batch.rows(neighbourhood_ids)
            bulk_insert(self.conn, self.stage, rows, freeze=self.direct)  # psycopg2: CSV
            self.changed += len(rows)
        else:
            self.cursor.executemany(self.upsert, batch.each_row(neighbourhood_ids))
            self.changed += self.cursor.rowcount

    def finish(self):
        self.copying.close()  # the COPY, if any, ends here: every row is in
        if self.stage is None:
            self.cursor.close()
            for index in self.rebuilt_indexes:
                index.create(self.conn)
            if self.check_foreign_keys:  # after the index is built: the check reads it
                check_foreign_keys(self.conn, "postcodes", "neighbourhood_id", "neighbourhoods", "id")
            return self.changed
        if self.direct:
            _restore_postcode_keys(self.conn, self.rebuilt_constraints)
            return self.changed
        columns = ", ".join(POSTCODE_COLUMNS)
        changed = self.conn.execute(text(_upsert_postcodes_sql(self.conn, f"SELECT {columns} FROM import_postcodes WHERE true"))).rowcount
        self.stage.drop(self.conn)
        return changed


# PostgreSQL's sort memory for building the postcode keys after a first load, for this
# transaction only (server side): both sorts fit in memory instead of spilling to disk.
INDEX_BUILD_MEMORY = "256MB"


def _drop_postcode_keys(conn):
    """PostgreSQL, before COPY into an empty postcodes table: drop its foreign key, its
    neighbourhood index and its primary key, and empty it with TRUNCATE (it holds nothing:
    this only lets the COPY write its rows frozen), all inside the import's transaction
    (PostgreSQL's DDL and TRUNCATE are transactional: a failed import rolls back to the
    table as it was, with all three). The table is locked until the import commits; it was
    empty, so no answer is held back. One visible difference, PostgreSQL's for any COPY
    FREEZE: a transaction whose snapshot is older than the import's commit (REPEATABLE READ
    begun before it) sees the new postcodes too, where it would have gone on seeing none."""
    table = postcodes_table
    foreign_keys = [c for c in table.constraints if isinstance(c, ForeignKeyConstraint)]
    indexes = [i for i in table.indexes if not i.unique]
    conn.execute(text(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'"))
    for constraint in foreign_keys:
        conn.execute(DropConstraint(constraint))
    for index in indexes:
        index.drop(conn)
    conn.execute(DropConstraint(table.primary_key))
    conn.execute(text("TRUNCATE postcodes"))
    return table.primary_key, indexes, foreign_keys


def _restore_postcode_keys(conn, dropped):
    """The keys built again after the COPY. The primary key sorts postcodes by their bytes
    (the "C" collation), which came in nearly in order, file by file: a quick sort, which
    parallel workers lengthen in CPU (their shares written out and merged) without
    shortening it, so this backend builds it alone (this transaction only). The
    neighbourhood index, a slower sort, is built with the server's parallel workers."""
    primary_key, indexes, foreign_keys = dropped
    conn.execute(text("SET LOCAL max_parallel_maintenance_workers = 0"))
    conn.execute(AddConstraint(primary_key))  # fails, and so rolls back the import, on a repeated postcode
    conn.execute(text("SET LOCAL max_parallel_maintenance_workers TO DEFAULT"))
    for index in indexes:
        index.create(conn)
    for constraint in foreign_keys:
        conn.execute(AddConstraint(constraint))


def _upsert_postcodes_sql(conn, source):
    columns = ", ".join(POSTCODE_COLUMNS)
    distinct = "IS DISTINCT FROM" if is_postgres(conn) else "IS NOT"
    values = [c for c in POSTCODE_COLUMNS if c != "postcode"]
    assignments = ", ".join(f"{c} = excluded.{c}" for c in values)
    changed = " OR ".join(f"postcodes.{c} {distinct} excluded.{c}" for c in values)
    return (f"INSERT INTO postcodes ({columns}) {source} "
            f"ON CONFLICT (postcode) DO UPDATE SET {assignments} WHERE {changed}")


# -- names residents use ---------------------------------------------------------------


def load_names(conn, names, report, progress=None):
    """Give neighbourhoods the names residents use (and their teams the matching name).
    Idempotent: a name already held counts as unchanged. Ids not loaded are skipped."""
    stored = {row.id: (row.known_name, row.known_name_cy) for row in conn.execute(select(
        neighbourhoods_table.c.id, neighbourhoods_table.c.known_name, neighbourhoods_table.c.known_name_cy))}
    teams = dict(conn.execute(select(teams_table.c.neighbourhood_id, teams_table.c.name)).all())
    changed = 0
    for item in names:
        nid = item.neighbourhood_id
        if nid not in stored:
            report.skip("no neighbourhood with that id is loaded", nid)
            continue
        wanted_team = team_name(item.name)
        if stored[nid] == (item.name, item.name_cy) and teams.get(nid) == wanted_team:
            report.counts["names unchanged"] += 1
            continue
        conn.execute(neighbourhoods_table.update().where(neighbourhoods_table.c.id == nid)
                     .values(known_name=item.name, known_name_cy=item.name_cy))
        conn.execute(teams_table.update().where(teams_table.c.neighbourhood_id == nid).values(name=wanted_team))
        stored[nid], teams[nid] = (item.name, item.name_cy), wanted_team
        report.counts["names updated"] += 1
        changed += 1
    if changed:
        DataVersion.bump(conn, DataVersion.NAMES)
    _note(progress, f"Named {changed:,} neighbourhoods")
    return report
