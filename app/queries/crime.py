"""Reading crimes for the crime pages, the tiles and the API (queries only; no rules, no rendering)."""
import numpy as np
from sqlalchemy import func, select

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


def snap_points(month, category, west, south, east, north):
    """(lons, lats, counts) of the map points inside the box."""
    query = _filtered(select(Crime.longitude, Crime.latitude, func.count()), month, category).where(
        Crime.longitude.between(west, east), Crime.latitude.between(south, north)
    ).group_by(Crime.longitude, Crime.latitude)
    rows = db.session.execute(query).all()
    if not rows:
        return np.array([]), np.array([]), np.array([], dtype=int)
    data = np.array(rows, dtype=float)
    return data[:, 0], data[:, 1], data[:, 2].astype(int)


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


def busiest_locations(neighbourhood_id, month, category=None, limit=10):
    query = _filtered(select(Crime.location, Crime.longitude, Crime.latitude, func.count().label("n")), month, category)
    return db.session.execute(
        query.where(Crime.neighbourhood_id == neighbourhood_id, Crime.longitude.is_not(None))
        .group_by(Crime.location, Crime.longitude, Crime.latitude)
        .order_by(func.count().desc(), Crime.location).limit(limit)
    ).all()


def neighbourhood_points(neighbourhood_id, month, category=None):
    query = _filtered(select(Crime.longitude, Crime.latitude, func.count()), month, category).where(
        Crime.neighbourhood_id == neighbourhood_id, Crime.longitude.is_not(None)
    ).group_by(Crime.longitude, Crime.latitude)
    rows = db.session.execute(query).all()
    if not rows:
        return np.array([]), np.array([]), np.array([], dtype=int)
    data = np.array(rows, dtype=float)
    return data[:, 0], data[:, 1], data[:, 2].astype(int)


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
