"""Point → neighbourhood for the web layer: one process-wide Boundaries index.

The index is built from the neighbourhoods table once per boundaries version (a counter
the boundary import moves on), so a lookup reads one row to know the index is current
and every process picks up a re-import without a restart.
"""
from flask import current_app

from app.domain.areas import cached_boundaries
from app.extensions import db
from app.importers.stored import boundaries_version, boundary_features_from_db
from app.models import Neighbourhood


def boundaries():
    connection = db.session.connection()
    return cached_boundaries(boundaries_version(connection), lambda: boundary_features_from_db(connection))


def locate(lat, lng):
    """The neighbourhood at a WGS84 point (inside, else the nearest within the configured
    distance), or None outside coverage."""
    max_distance = current_app.config["NEAREST_NEIGHBOURHOOD_MAX_METRES"]
    neighbourhood_id = boundaries().locate(lat, lng, max_distance=max_distance)
    return db.session.get(Neighbourhood, neighbourhood_id) if neighbourhood_id else None
