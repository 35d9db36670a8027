"""Reading crimes for the crime pages, the tiles and the API (queries only; no rules, no rendering)."""
import numpy as np
from sqlalchemy import and_, func, or_, select

from app.domain import crime_search
from app.extensions import db
from app.models import ANTI_SOCIAL_BEHAVIOUR, Crime, CrimeRelease, Neighbourhood

CRIME_COLUMNS = (Crime.id, Crime.month, Crime.crime_ref, Crime.category, Crime.outcome, Crime.longitude,
                 Crime.latitude, Crime.location)


def months(force_id=None):
    """Months with crime data, newest first."""
    query = select(CrimeRelease.month).distinct().order_by(CrimeRelease.month.desc())
    if force_id:
        query = query.where(CrimeRelease.force_id == force_id)
    return list(db.session.scalars(query))


def latest_month():
    return db.session.scalar(select(func.max(CrimeRelease.month)))


def release_fingerprints(month):
    """(force, version, digest) of each release of the month, by force."""
    return db.session.execute(
        select(CrimeRelease.force_id, CrimeRelease.version, CrimeRelease.digest)
        .where(CrimeRelease.month == month).order_by(CrimeRelease.force_id)
    ).all()


def categories(month=None):
    """The "Crime type" names stored (for one month, or any), by name."""
    query = select(Crime.category).distinct().order_by(Crime.category)
    if month:
        query = query.where(Crime.month == month)
    return list(db.session.scalars(query))


def _filtered(query, month, category):
    query = query.where(Crime.month == month)
    if category:
        query = query.where(Crime.category == category)
    return query


def _as_arrays(rows):
    """(lons, lats, counts) as numpy arrays from rows of (longitude, latitude, count)."""
    if not rows:
        return np.array([]), np.array([]), np.array([], dtype=int)
    data = np.array(rows, dtype=float)
    return data[:, 0], data[:, 1], data[:, 2].astype(int)


def snap_points(month, category, west, south, east, north):
    """(lons, lats, counts) of the map points inside the box."""
    query = _filtered(select(Crime.longitude, Crime.latitude, func.count()), month, category).where(
        Crime.longitude.between(west, east), Crime.latitude.between(south, north)
    ).group_by(Crime.longitude, Crime.latitude)
    return _as_arrays(db.session.execute(query).all())


def neighbourhood_totals(month, category):
    """(lons, lats, counts) at the centre of every neighbourhood with crimes in the month."""
    totals = _filtered(select(Crime.neighbourhood_id, func.count().label("n")), month, category).where(
        Crime.neighbourhood_id.is_not(None)).group_by(Crime.neighbourhood_id).subquery()
    rows = db.session.execute(
        select(Neighbourhood.centre_lon, Neighbourhood.centre_lat, totals.c.n)
        .join(totals, totals.c.neighbourhood_id == Neighbourhood.id)).all()
    data = np.array(rows, dtype=float).reshape(-1, 3)
    return data[:, 0], data[:, 1], data[:, 2].astype(int)


def crimes_at(month, category, lon, lat):
    query = _filtered(select(Crime), month, category).where(Crime.longitude == lon, Crime.latitude == lat)
    return list(db.session.scalars(query.order_by(Crime.category, Crime.id)))


def category_counts(neighbourhood_id, month):
    rows = db.session.execute(
        select(Crime.category, func.count()).where(Crime.neighbourhood_id == neighbourhood_id, Crime.month == month)
        .group_by(Crime.category)
    ).all()
    return dict(rows)


def outcome_counts(neighbourhood_id, month, category=None):
    """({outcome: n} for crimes, number of anti-social behaviour reports)."""
    query = _filtered(select(Crime.category, Crime.outcome, func.count()), month, category)
    rows = db.session.execute(
        query.where(Crime.neighbourhood_id == neighbourhood_id).group_by(Crime.category, Crime.outcome)
    ).all()
    outcomes, asb = {}, 0
    for name, outcome, n in rows:
        if name == ANTI_SOCIAL_BEHAVIOUR:
            asb += n
        else:
            outcomes[outcome] = outcomes.get(outcome, 0) + n
    return outcomes, asb


def map_points_page(neighbourhood_id, month, category=None, page=1, per_page=25):
    """(number of map points, [(location, lon, lat, n, [(category, outcome, n)])]) for one page
    of the neighbourhood's map points, most crimes first: every point is on some page."""
    points = _filtered(select(Crime.location, Crime.longitude, Crime.latitude, func.count().label("n")),
                       month, category).where(Crime.neighbourhood_id == neighbourhood_id,
                                              Crime.longitude.is_not(None)).group_by(
        Crime.location, Crime.longitude, Crime.latitude)
    total = db.session.scalar(select(func.count()).select_from(points.subquery()))
    rows = db.session.execute(
        points.order_by(func.count().desc(), Crime.location, Crime.longitude, Crime.latitude)
        .limit(per_page).offset((page - 1) * per_page)).all()
    if not rows:
        return total, []
    kinds = _filtered(select(Crime.location, Crime.longitude, Crime.latitude, Crime.category, Crime.outcome,
                             func.count()), month, category).where(
        Crime.neighbourhood_id == neighbourhood_id,
        or_(*(and_(Crime.longitude == lon, Crime.latitude == lat) for _, lon, lat, _ in rows)),
    ).group_by(Crime.location, Crime.longitude, Crime.latitude, Crime.category, Crime.outcome)
    details = {}
    for location, lon, lat, name, outcome, n in db.session.execute(kinds):
        details.setdefault((location, lon, lat), []).append((name, outcome, n))
    return total, [
        (location, lon, lat, n, sorted(details.get((location, lon, lat), []),
                                       key=lambda kind: (-kind[2], kind[0], kind[1] or "")))
        for location, lon, lat, n in rows
    ]


def neighbourhood_points(neighbourhood_id, month, category=None):
    query = _filtered(select(Crime.longitude, Crime.latitude, func.count()), month, category).where(
        Crime.neighbourhood_id == neighbourhood_id, Crime.longitude.is_not(None)
    ).group_by(Crime.longitude, Crime.latitude)
    return _as_arrays(db.session.execute(query).all())


def release(force_id, month):
    return db.session.scalar(select(CrimeRelease).where(CrimeRelease.force_id == force_id,
                                                        CrimeRelease.month == month))


def _in_box(query, month, names, west, south, east, north):
    # Served by ix_crimes_month_location (month, longitude, latitude).
    query = query.where(Crime.month == month, Crime.longitude.between(west, east),
                        Crime.latitude.between(south, north))
    if names is not None:
        query = query.where(Crime.category.in_(names))
    return query


def crimes_in_box(month, names, west, south, east, north):
    """Rows of CRIME_COLUMNS for the mapped crimes of the month inside the box (names None: all)."""
    return db.session.execute(_in_box(select(*CRIME_COLUMNS), month, names, west, south, east, north)
                              .order_by(Crime.id)).all()


def map_points_in_box(month, names, west, south, east, north):
    """(longitude, latitude, crimes) of each map point inside the box."""
    query = select(Crime.longitude, Crime.latitude, func.count())
    return db.session.execute(_in_box(query, month, names, west, south, east, north)
                              .group_by(Crime.longitude, Crime.latitude)).all()


def crime_by_persistent_id(persistent_id):
    """The crime with this data.police.uk persistent id (the CSV's Crime ID), newest first."""
    return db.session.execute(
        select(*CRIME_COLUMNS).where(Crime.crime_ref == persistent_id).order_by(Crime.month.desc(), Crime.id.desc())
        .limit(1)
    ).first()


def crimes_near(month, names, lat, lng):
    if month is None:
        return []
    rows = crimes_in_box(month, names, *crime_search.box_around(lat, lng))
    if not rows:
        return []
    mask = crime_search.within(lat, lng, [r.latitude for r in rows], [r.longitude for r in rows])
    return [row for row, keep in zip(rows, mask) if keep]


def crimes_in_area(month, names, polygon):
    """The crimes inside the polygon; None when there are more than data.police.uk would give."""
    if month is None:
        return []
    box = polygon.bounds  # (west, south, east, north)
    points = map_points_in_box(month, names, *box)
    if not points:
        return []
    lngs, lats, counts = np.array(points, dtype=float).T
    if counts[crime_search.inside(polygon, lats, lngs)].sum() > crime_search.MAX_CRIMES_IN_AREA:
        return None
    rows = crimes_in_box(month, names, *box)
    mask = crime_search.inside(polygon, [r.latitude for r in rows], [r.longitude for r in rows])
    return [row for row, keep in zip(rows, mask) if keep]
