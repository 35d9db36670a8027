"""Where to look for street-level crimes: around a point, or inside a drawn area.

data.police.uk's rules: a point means every crime within one mile of it; an area is given
as ``lat,lng:lat,lng:...`` (at least three points, joined back to the first). Both are
answered by a bounding box first (which an index on longitude and latitude serves), then
the exact test on the few thousand points inside it.
"""
import hashlib
import math
from functools import lru_cache

import numpy as np
import shapely

ONE_MILE = 1609.344  # metres
EARTH_RADIUS = 6_371_008.8  # metres, mean
MAX_POLY_LENGTH = 4094  # data.police.uk refuses longer GET requests with 400
MAX_POSTED_POLY_LENGTH = 200_000  # a form-encoded POST carries what no URL can (about 10,000 points)
MAX_CRIMES_IN_AREA = 10_000  # data.police.uk answers 503 beyond this


class BadArea(ValueError):
    """The point or area given cannot be used; the message says why."""


def parse_point(lat, lng):
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise BadArea("Give lat and lng as numbers, for example lat=53.7965&lng=-1.5491") from None
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        raise BadArea("Latitude must be between -90 and 90 and longitude between -180 and 180.")
    return lat, lng


def box_around(lat, lng, metres=ONE_MILE):
    """(west, south, east, north) holding every point within ``metres`` of (lat, lng)."""
    dlat = math.degrees(metres / EARTH_RADIUS) * 1.01
    cos_lat = math.cos(math.radians(lat))
    dlng = 180.0 if cos_lat < 1e-6 else min(180.0, math.degrees(metres / (EARTH_RADIUS * cos_lat)) * 1.01)
    return lng - dlng, max(-90.0, lat - dlat), lng + dlng, min(90.0, lat + dlat)


def distance_metres(lat, lng, lats, lngs):
    """Great-circle (haversine) distances from one point to arrays of points."""
    lat1, lng1 = math.radians(lat), math.radians(lng)
    lat2, lng2 = np.radians(np.asarray(lats, dtype=float)), np.radians(np.asarray(lngs, dtype=float))
    a = np.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def within(lat, lng, lats, lngs, metres=ONE_MILE):
    """Boolean mask of the points within ``metres`` of (lat, lng)."""
    return distance_metres(lat, lng, lats, lngs) <= metres


def parse_poly(text, max_length=MAX_POLY_LENGTH):
    """A shapely Polygon (x = longitude) from ``lat,lng:lat,lng:...``."""
    if len(text) > max_length:
        raise BadArea(f"poly is longer than {max_length:,} characters.")
    points = []
    for pair in text.strip().strip(":").split(":"):
        parts = pair.split(",")
        if len(parts) != 2:
            raise BadArea("Give poly as lat,lng pairs separated by colons, for example "
                          "poly=53.80,-1.56:53.80,-1.53:53.78,-1.545")
        lat, lng = parse_point(*parts)
        points.append((lng, lat))
    if len(set(points)) < 3:
        raise BadArea("poly needs at least three different points.")
    polygon = shapely.Polygon(points)
    if not polygon.is_valid:
        polygon = shapely.make_valid(polygon)
    if polygon.area == 0:
        raise BadArea("poly must enclose an area.")
    return polygon


def inside(polygon, lats, lngs):
    """Boolean mask of the points inside (or on the edge of) the polygon."""
    return shapely.intersects_xy(polygon, np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float))


@lru_cache(maxsize=100_000)  # many crimes share a map point
def street_id(latitude, longitude):
    """The portal's id for a map point: the CSVs do not carry data.police.uk's street ids, so
    this is derived from the point itself (stable across imports, within JSON's safe integers)."""
    digest = hashlib.sha1(f"{latitude:.6f},{longitude:.6f}".encode()).hexdigest()
    return int(digest[:13], 16)
