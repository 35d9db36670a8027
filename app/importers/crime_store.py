"""Write street-level crimes read by app.importers.police_uk to the database.

A month of one force is the unit of import (a "release"): its rows are fingerprinted, and

* the same rows again → nothing changes ("unchanged");
* different rows (a newer release: outcomes are updated every month) → the month's rows
  for that force are replaced in one transaction and the release's version goes up, which
  changes the tile ETags and cache keys of that month.

Each mapped crime is assigned to the neighbourhood containing its point (nearest within
``max_distance`` when it falls just outside the generalised boundaries).
"""
import hashlib

import numpy as np
from sqlalchemy import Column, Float, MetaData, String, Table, delete, select, text

from app import clock_source
from app.domain.areas import DEFAULT_MAX_DISTANCE, wgs84_to_bng
from app.importers.stored import boundaries_from_db, bulk_insert, temp_table
from app.importers.police_uk import ROW_FIELDS
from app.models.crime import ANTI_SOCIAL_BEHAVIOUR, Crime, CrimeRelease

crimes_table = Crime.__table__
releases_table = CrimeRelease.__table__
REPEATED = "month and force already read from another file in this import"

# The columns written, in ROW_FIELDS order plus the neighbourhood.
_insert_table = Table(
    "crimes", MetaData(),
    *[Column(name, Float if name in ("longitude", "latitude") else String) for name in ROW_FIELDS],
    Column("neighbourhood_id", String),
)


def release_digest(rows):
    """A fingerprint of a release's rows that does not depend on their order."""
    lines = sorted("\x1f".join("" if v is None else repr(v) for v in row) for row in rows)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def group_releases(crime_files, report, progress=None):
    """{(month, force_id): {"rows": [...], "force_name": str}} from CrimeFiles."""
    releases, source_of = {}, {}
    for crime_file in crime_files:
        for row in crime_file.rows:
            key = (row[0], row[1])
            source = source_of.setdefault(key, crime_file.source)
            if source != crime_file.source:
                report.skip(REPEATED, f"{crime_file.source} ({key[0]} {key[1]})")
                continue
            release = releases.get(key)
            if release is None:
                release = releases[key] = {"rows": [], "force_name": crime_file.force_names[key[1]]}
            release["rows"].append(row)
        if progress:
            progress(f"  {crime_file.source}: {len(crime_file):,} rows read")
    return releases


def assign_neighbourhoods(rows, boundaries, max_distance=DEFAULT_MAX_DISTANCE):
    """One neighbourhood id (or None) per row, and the Assignment (None without boundaries)."""
    lons = [r[5] for r in rows]
    lats = [r[6] for r in rows]
    return assign_points(lons, lats, boundaries, max_distance)


def assign_points(lons, lats, boundaries, max_distance=DEFAULT_MAX_DISTANCE):
    """One neighbourhood id (or None) per (lon, lat) point (None = no location), and the Assignment."""
    if boundaries is None or not len(lons):
        return [None] * len(lons), None
    lons = np.array([np.nan if v is None else v for v in lons], dtype=float)
    lats = np.array([np.nan if v is None else v for v in lats], dtype=float)
    located = np.isfinite(lons)
    eastings = np.full(len(lons), np.nan)
    northings = np.full(len(lons), np.nan)
    if located.any():
        eastings[located], northings[located] = wgs84_to_bng(lons[located], lats[located])
    assignment = boundaries.assign(eastings, northings, max_distance=max_distance)
    return assignment.neighbourhood_ids.tolist(), assignment


def _insert(conn, rows):
    """COPY on PostgreSQL; elsewhere one executemany of plain tuples (no per-row compiling)."""
    if conn.dialect.name == "postgresql":
        bulk_insert(conn, _insert_table, rows)
        return
    names = [c.name for c in _insert_table.columns]
    statement = f"INSERT INTO crimes ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.executemany(statement, rows)
    finally:
        cursor.close()


class _Lazy:
    """Built on first use: an unchanged import never needs the boundary index."""

    def __init__(self, build):
        self._build, self._built, self._value = build, False, None

    @property
    def value(self):
        if not self._built:
            self._value, self._built = self._build(), True
        return self._value


def load_crimes(conn, crime_files, report, max_distance=DEFAULT_MAX_DISTANCE, progress=None, now=None):
    """Import releases; returns the (month, force_id) pairs whose data changed."""
    now = now or clock_source.now()
    releases = group_releases(crime_files, report, progress)
    boundaries = _Lazy(lambda: boundaries_from_db(conn))
    stored = {
        (r.month, r.force_id): r
        for r in conn.execute(select(releases_table.c.month, releases_table.c.force_id,
                                     releases_table.c.digest, releases_table.c.version))
    }
    changed = []
    for key in sorted(releases):
        month, force_id = key
        rows = releases[key]["rows"]
        digest = release_digest(rows)
        report.counts["crimes read"] += len(rows)
        previous = stored.get(key)
        if previous is not None and previous.digest == digest:
            report.counts["crimes unchanged (release already imported)"] += len(rows)
            report.counts["releases unchanged"] += 1
            continue

        if boundaries.value is None and progress:
            progress("No neighbourhood boundaries yet: crimes are stored without a neighbourhood")
        nids, assignment = assign_neighbourhoods(rows, boundaries.value, max_distance)
        conn.execute(delete(crimes_table).where(crimes_table.c.month == month, crimes_table.c.force_id == force_id))
        _insert(conn, [row + (nid,) for row, nid in zip(rows, nids)])

        without_location = sum(1 for r in rows if r[5] is None)
        values = {"force_name": releases[key]["force_name"], "digest": digest, "rows": len(rows),
                  "without_location": without_location, "imported_at": now}
        if previous is None:
            conn.execute(releases_table.insert().values(month=month, force_id=force_id, version=1, **values))
            report.counts["releases added"] += 1
        else:
            conn.execute(releases_table.update()
                         .where(releases_table.c.month == month, releases_table.c.force_id == force_id)
                         .values(version=previous.version + 1, **values))
            report.counts["releases replaced by a newer version"] += 1
        changed.append(key)

        report.counts["crimes loaded"] += len(rows)
        report.counts["anti-social behaviour (no Crime ID; each row counted once)"] += sum(
            1 for r in rows if r[3] == ANTI_SOCIAL_BEHAVIOUR)
        report.counts["crimes without a location (counted, not mapped)"] += without_location
        if assignment is not None:
            report.counts["crimes assigned to a neighbourhood"] += sum(1 for n in nids if n is not None)
            report.counts["crimes assigned by nearest neighbourhood"] += int(assignment.by_nearest.sum())
            report.counts["crimes outside every neighbourhood"] += assignment.outside_coverage
        if progress:
            progress(f"Stored {month} {force_id}: {len(rows):,} crimes")
    return changed


def reassign_crimes(conn, report, boundaries, max_distance=DEFAULT_MAX_DISTANCE, progress=None):
    """Recompute crimes.neighbourhood_id after a boundary import; write only the changes.

    Crimes share anonymised map points, so each distinct point is assigned once (with the
    same rule as at import) and the crimes at the points whose neighbourhood changed are
    updated in one UPDATE … FROM a staging table. Returns the number of crimes changed.
    """
    c = crimes_table.c
    points = conn.execute(select(c.longitude, c.latitude, c.neighbourhood_id).where(c.longitude.is_not(None))
                          .distinct()).all()
    if not points:
        return 0
    assigned, _assignment = assign_points([p[0] for p in points], [p[1] for p in points], boundaries, max_distance)
    # A point can hold crimes of several imports (so several old ids): one new id per point.
    changes = {(lon, lat): new for (lon, lat, old), new in zip(points, assigned) if old != new}
    report.counts["crimes reassigned to another neighbourhood"] += 0  # listed in the summary even when none
    if not changes:
        return 0
    stage = temp_table(
        "import_crime_assignment",
        Column("longitude", Float, primary_key=True),
        Column("latitude", Float, primary_key=True),
        Column("neighbourhood_id", String(32)),
    )
    stage.drop(conn, checkfirst=True)
    stage.create(conn)
    bulk_insert(conn, stage, [(lon, lat, nid) for (lon, lat), nid in changes.items()])
    distinct = "IS DISTINCT FROM" if conn.dialect.name == "postgresql" else "IS NOT"
    changed = conn.execute(text(
        "UPDATE crimes SET neighbourhood_id = s.neighbourhood_id FROM import_crime_assignment AS s "
        "WHERE crimes.longitude = s.longitude AND crimes.latitude = s.latitude "
        f"AND crimes.neighbourhood_id {distinct} s.neighbourhood_id"
    )).rowcount
    stage.drop(conn)
    report.counts["crimes reassigned to another neighbourhood"] += changed
    if progress:
        progress(f"Reassigned {changed:,} crimes at {len(changes):,} map points to another neighbourhood")
    return changed


def redraw_every_month(conn):
    """Move every month's data version on (tile ETags, tile cache and neighbourhood totals are
    keyed on it): after the boundaries change, crimes may be counted elsewhere and zoomed-out
    maps and area maps draw at the new centres and outlines, in every month. Returns the months."""
    conn.execute(releases_table.update().values(version=releases_table.c.version + 1))
    return sorted(set(conn.scalars(select(releases_table.c.month))))
