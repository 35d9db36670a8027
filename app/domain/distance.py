"""Distances between points on the Earth, for "meetings near you"."""
from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_MILES = 3958.8


def miles_between(lat1, lon1, lat2, lon2):
    """Great-circle (haversine) distance in miles between two WGS84 points."""
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * asin(sqrt(a))


def nearest_first(items, origin, radius_miles, position):
    """[(miles, item)] of the items within `radius_miles` of `origin` (lat, lon), nearest
    first; `position(item)` gives an item's (lat, lon), or None when it has no place."""
    found = []
    for item in items:
        where = position(item)
        if where is None:
            continue
        miles = miles_between(origin[0], origin[1], where[0], where[1])
        if miles <= radius_miles:
            found.append((miles, item))
    found.sort(key=lambda pair: pair[0])
    return found
