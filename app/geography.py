"""Point → neighbourhood for the web layer: one process-wide Boundaries index.

The index is built from the neighbourhoods table and rebuilt when the boundaries change.
A change is noticed through a cheap marker read on every call: the row count, the
highest id and a sum over the stored bounding boxes and centres (which move whenever a
boundary does), so no boundary text is read unless the index has to be rebuilt.
"""
import shapely
from flask import current_app
from sqlalchemy import func, select

from app.domain.areas import cached_boundaries
from app.extensions import db
from app.models import Neighbourhood


def boundaries_version():
    n = Neighbourhood
    count, max_id, extent = db.session.execute(
        select(
            func.count(n.id),
            func.max(n.id),
            func.sum(n.min_lon + n.min_lat + n.max_lon + n.max_lat + n.centre_lat + n.centre_lon),
        )
    ).one()
    return count, max_id, round(extent or 0.0, 6)


def _load_features():
    rows = db.session.execute(select(Neighbourhood.id, Neighbourhood.boundary_geojson)).all()
    if not rows:
        return []
    return zip([r[0] for r in rows], shapely.from_geojson([r[1] for r in rows]))


def boundaries():
    return cached_boundaries(boundaries_version(), _load_features)


def locate(lat, lng):
    """The neighbourhood at a WGS84 point (inside, else the nearest within the configured
    distance), or None outside coverage."""
    max_distance = current_app.config["NEAREST_NEIGHBOURHOOD_MAX_METRES"]
    neighbourhood_id = boundaries().locate(lat, lng, max_distance=max_distance)
    return db.session.get(Neighbourhood, neighbourhood_id) if neighbourhood_id else None
