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
* ``load_postcodes``: Code-Point batches staged in a temporary table (COPY on PostgreSQL,
  executemany on SQLite), assigned to neighbourhoods on the way in when boundaries exist,
  then merged with one ``INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE changed``.

The assignment always uses the boundaries as stored (GeoJSON rounded to 6 dp), so the
order of the two imports does not change the result.
"""
import json

import numpy as np
import shapely
from shapely.geometry import mapping
from sqlalchemy import Column, Float, Integer, SmallInteger, String, func, select, text

from app.domain.areas import DEFAULT_MAX_DISTANCE
from app.importers.crime_store import reassign_crimes, redraw_every_month
from app.importers.stored import boundaries_from_db, bulk_insert, is_postgres, neighbourhoods_table, temp_table
from app.models.geography import DataVersion, Force, Postcode
from app.models.teams import Team

forces_table = Force.__table__
postcodes_table = Postcode.__table__
teams_table = Team.__table__

POSTCODE_COLUMNS = ["postcode", "quality", "easting", "northing", "latitude", "longitude", "neighbourhood_id"]
LEFT_IN_PLACE = "neighbourhood in the database but not in this import (left in place)"


def team_name(neighbourhood_name):
    return f"{neighbourhood_name} Neighbourhood Policing Team"


def _note(progress, message):
    if progress:
        progress(message)


# -- boundaries -------------------------------------------------------------------------


def _round6(coords):
    return np.round(coords, 6)


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
        "boundary_geojson": json.dumps(mapping(geometry), separators=(",", ":")),
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
    if inserts:
        conn.execute(table.insert(), inserts)
    if updates:
        from sqlalchemy import bindparam

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
    if new_teams:
        conn.execute(teams_table.insert(), new_teams)
    report.counts["teams created"] += len(new_teams)
    _note(progress, f"Created {len(new_teams):,} teams")

    boundaries = boundaries_from_db(conn)
    reassign_postcodes(conn, report, max_distance=max_distance, progress=progress, boundaries=boundaries)


    moved = reassign_crimes(conn, report, boundaries, max_distance=max_distance, progress=progress)
    changed = sum(report.counts[f"neighbourhoods {what}"] for what in ("inserted", "updated")) - changed_before
    if changed:
        DataVersion.bump(conn, DataVersion.BOUNDARIES)
    if changed or moved:
        report.redrawn_months = redraw_every_month(conn)
        report.counts["crime months redrawn (new data version)"] += len(report.redrawn_months)
    return report


# -- assignment -------------------------------------------------------------------------


def reassign_postcodes(conn, report, max_distance=DEFAULT_MAX_DISTANCE, progress=None, boundaries=None):
    """Recompute postcodes.neighbourhood_id for every postcode; write only the changes."""
    boundaries = boundaries or boundaries_from_db(conn)
    p = postcodes_table
    result = conn.execute(select(p.c.postcode, p.c.easting, p.c.northing, p.c.neighbourhood_id))
    postcodes, eastings, northings, current = [], [], [], []
    for postcode, easting, northing, nid in result:
        postcodes.append(postcode)
        eastings.append(np.nan if easting is None else easting)
        northings.append(np.nan if northing is None else northing)
        current.append(nid)
    if not postcodes:
        _note(progress, "No postcodes stored yet: nothing to assign")
        return
    if boundaries is None:
        assigned = [None] * len(postcodes)
        by_nearest = 0
        outside = 0
    else:
        assignment = boundaries.assign(eastings, northings, postcodes, max_distance=max_distance)
        assigned = assignment.neighbourhood_ids.tolist()
        by_nearest = int(assignment.by_nearest.sum())
        outside = assignment.outside_coverage
    changes = [(pc, new) for pc, old, new in zip(postcodes, current, assigned) if old != new]
    _bulk_set_neighbourhood(conn, changes)
    report.counts["postcodes reassigned"] += len(changes)
    report.counts["postcodes assigned by nearest neighbourhood"] = by_nearest
    report.counts["postcodes outside coverage"] = outside
    _note(progress, f"Assigned {len(postcodes):,} postcodes ({len(changes):,} changed, {by_nearest:,} by nearest)")


def _bulk_set_neighbourhood(conn, changes):
    if not changes:
        return
    stage = temp_table(
        "import_assignment",
        Column("postcode", String(8), primary_key=True),
        Column("neighbourhood_id", String(32)),
    )
    stage.drop(conn, checkfirst=True)
    stage.create(conn)
    bulk_insert(conn, stage, changes)
    conn.execute(
        text(
            "UPDATE postcodes SET neighbourhood_id = import_assignment.neighbourhood_id "
            "FROM import_assignment WHERE postcodes.postcode = import_assignment.postcode"
        )
    )
    stage.drop(conn)


def load_postcodes(conn, batches, report, max_distance=DEFAULT_MAX_DISTANCE, progress=None):
    """Stage Code-Point batches, assign them to neighbourhoods, merge into postcodes."""
    boundaries = boundaries_from_db(conn)
    if boundaries is None:
        _note(progress, "No neighbourhood boundaries yet: postcodes will be assigned when they are imported")
    stage = temp_table(
        "import_postcodes",
        Column("postcode", String(8), primary_key=True),
        Column("quality", SmallInteger),
        Column("easting", Integer),
        Column("northing", Integer),
        Column("latitude", Float),
        Column("longitude", Float),
        Column("neighbourhood_id", String(32)),
    )
    stage.drop(conn, checkfirst=True)
    stage.create(conn)

    staged = by_nearest = outside = no_coordinates = 0
    for batch in batches:
        if boundaries is not None:
            assignment = boundaries.assign(batch.easting, batch.northing, batch.postcodes, max_distance=max_distance)
            nids = assignment.neighbourhood_ids.tolist()
            by_nearest += int(assignment.by_nearest.sum())
            outside += assignment.outside_coverage
        else:
            nids = [None] * len(batch)
        no_coordinates += int((~batch.has_coordinates).sum())
        rows = [row + (nid,) for row, nid in zip(batch.rows(), nids)]
        bulk_insert(conn, stage, rows)
        staged += len(rows)
        _note(progress, f"  {batch.source}: {len(rows):,} rows staged")

    before = conn.execute(select(func.count()).select_from(postcodes_table)).scalar_one()
    changed_rows = _merge_postcodes(conn)
    after = conn.execute(select(func.count()).select_from(postcodes_table)).scalar_one()
    stage.drop(conn)

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


def _merge_postcodes(conn):
    columns = ", ".join(POSTCODE_COLUMNS)
    distinct = "IS DISTINCT FROM" if is_postgres(conn) else "IS NOT"
    values = [c for c in POSTCODE_COLUMNS if c != "postcode"]
    assignments = ", ".join(f"{c} = excluded.{c}" for c in values)
    changed = " OR ".join(f"postcodes.{c} {distinct} excluded.{c}" for c in values)
    result = conn.execute(
        text(
            f"INSERT INTO postcodes ({columns}) SELECT {columns} FROM import_postcodes WHERE true "
            f"ON CONFLICT (postcode) DO UPDATE SET {assignments} WHERE {changed}"
        )
    )
    return result.rowcount
