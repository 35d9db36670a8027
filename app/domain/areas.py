"""Which neighbourhood a place is in: boundaries in British National Grid, STRtree lookups.

All the geometry is done in metres on the British National Grid (EPSG:27700), the grid
Code-Point Open eastings and northings are already on, so the polygons are projected once
and the (many) points never are.

Rules for a postcode:

* no coordinates (Code-Point quality 90, easting/northing 0) → never assigned;
* inside a neighbourhood's polygon → that neighbourhood;
* otherwise the nearest neighbourhood within ``max_distance`` metres (generalised coasts
  and edges), EXCEPT in a Scottish postcode area: Scotland is outside the portal's
  coverage, so a Scottish postcode is assigned only when it lies inside a polygon;
* otherwise → none (outside coverage).

Nothing here knows about Flask or the database: callers pass ``(id, geometry)`` pairs.
"""
import threading
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer
from shapely import STRtree

from app.domain.postcodes import SCOTTISH_AREAS

DEFAULT_MAX_DISTANCE = 5000.0
_COLUMN_METRES = 1000.0
_COLUMN_STRIDE = 4_000_000.0  # > any northing and box height: column * stride + northing sorts by column, then northing
_CHUNK_POINTS = 200_000  # bounds the (point, polygon) pairs held at once

_TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def wgs84_to_bng(lon, lat):
    """Vectorised (lon, lat) → (easting, northing) in metres."""
    return _TO_BNG.transform(lon, lat)


def _project_coords(coords):
    x, y = _TO_BNG.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def project_to_bng(geometries):
    """WGS84 geometries (lon, lat) → BNG geometries, all in one vectorised transform."""
    return shapely.transform(np.asarray(geometries, dtype=object), _project_coords)


def repair(geometry):
    """A valid polygonal geometry: make_valid, keeping only the polygon parts."""
    if geometry is None or geometry.is_empty:
        return geometry
    if shapely.is_valid(geometry):
        return geometry
    fixed = shapely.make_valid(geometry)
    if fixed.geom_type in ("Polygon", "MultiPolygon"):
        return fixed
    parts = [g for g in shapely.get_parts(fixed) if g.geom_type in ("Polygon", "MultiPolygon")]
    polygons = []
    for part in parts:
        polygons.extend(shapely.get_parts(part))
    return shapely.MultiPolygon(polygons) if polygons else shapely.Polygon()


def repair_all(geometries):
    """``repair`` over many geometries, as an object array: validity is tested in one
    vectorised call and only the invalid ones are repaired one by one."""
    result = np.empty(len(geometries), dtype=object)
    result[:] = list(geometries)
    for i in np.flatnonzero(~shapely.is_valid(result)).tolist():
        result[i] = repair(result[i])
    return result


@dataclass
class Assignment:
    """The result of assigning points: one neighbourhood id (or None) per point."""

    neighbourhood_ids: np.ndarray  # object array of str | None
    by_nearest: np.ndarray  # bool: assigned by the nearest-neighbourhood fallback
    without_coordinates: int
    outside_coverage: int
    # The same as positions in the Boundaries' ``ids`` (int32, -1 for None): compact to send
    # between processes, and a loader can look each id's stored form up once per neighbourhood.
    positions: np.ndarray

    @property
    def inside(self):
        assigned = sum(1 for n in self.neighbourhood_ids if n is not None)
        return int(assigned - self.by_nearest.sum())


class Boundaries:
    """Neighbourhood polygons projected to BNG, with an STRtree built once.

    Build it from ``(id, wgs84_geometry)`` pairs (or BNG ones with ``projected=True``); ids are kept in sorted order so that a
    point on a shared edge, or inside two overlapping polygons, always gets the same answer.
    """

    def __init__(self, features, projected=False):
        pairs = sorted(((str(i), g) for i, g in features), key=lambda p: p[0])
        self.ids = np.array([i for i, _ in pairs], dtype=object)
        geometries = repair_all([g for _, g in pairs])
        if not projected:  # else already BNG metres (tests, or callers that project themselves)
            geometries = project_to_bng(geometries) if len(geometries) else geometries
        self.geometries = repair_all(geometries)
        shapely.prepare(self.geometries)
        self.tree = STRtree(self.geometries)
        self.bounds = shapely.bounds(self.geometries).reshape(-1, 4)

    def __len__(self):
        return len(self.ids)

    # -- many points -------------------------------------------------------------------

    def assign(self, eastings, northings, postcodes=None, max_distance=DEFAULT_MAX_DISTANCE):
        """Assign BNG points (arrays; NaN or 0,0 = no coordinates) to neighbourhoods.

        ``postcodes`` (same length, canonical form) lets Scottish postcodes be refused the
        nearest fallback; without it every point may use the fallback.
        """
        x = np.asarray(eastings, dtype=float)
        y = np.asarray(northings, dtype=float)
        n = len(x)
        result = np.full(n, None, dtype=object)
        positions = np.full(n, -1, dtype=np.int32)
        by_nearest = np.zeros(n, dtype=bool)
        located = np.isfinite(x) & np.isfinite(y) & ~((x == 0) & (y == 0))
        if n == 0 or len(self) == 0:
            return Assignment(result, by_nearest, int(n - located.sum()), int(located.sum()), positions)

        index = np.flatnonzero(located)
        inside = self._containing(x[index], y[index])
        found = inside >= 0
        result[index[found]] = self.ids[inside[found]]
        positions[index[found]] = inside[found]
        assigned = np.zeros(n, dtype=bool)
        assigned[index[found]] = True

        unassigned = index[~assigned[index]]
        if postcodes is not None and len(unassigned):
            scottish = _scottish([postcodes[i] for i in unassigned.tolist()])
            unassigned = unassigned[~scottish]
        if len(unassigned) and max_distance and max_distance > 0:
            near_points = shapely.points(x[unassigned], y[unassigned])
            near_idx, near_tree = self.tree.query_nearest(near_points, max_distance=max_distance)
            order = np.lexsort((near_tree, near_idx))
            near_idx, near_tree = near_idx[order], near_tree[order]
            first = np.r_[True, near_idx[1:] != near_idx[:-1]] if len(near_idx) else np.array([], dtype=bool)
            chosen = unassigned[near_idx[first]]
            result[chosen] = self.ids[near_tree[first]]
            positions[chosen] = near_tree[first]
            by_nearest[chosen] = True
            assigned[chosen] = True

        return Assignment(
            neighbourhood_ids=result,
            by_nearest=by_nearest,
            without_coordinates=int(n - located.sum()),
            outside_coverage=int((located & ~assigned).sum()),
            positions=positions,
        )

    def _containing(self, x, y):
        """For each point, the index of the lowest-id polygon whose interior holds it, or -1.

        No point geometries are made: the points are sorted into 1 km columns of the grid
        (then by northing), so each polygon's bounding box picks its candidate points with
        two binary searches per column, and one vectorised ``contains_xy`` on the prepared
        polygons tests all the (point, polygon) pairs at once. The interior test is the
        same one as ``within``: a point on an edge belongs to neither side.
        """
        result = np.full(len(x), -1, dtype=np.int64)
        for start in range(0, len(x), _CHUNK_POINTS):
            chunk = slice(start, start + _CHUNK_POINTS)
            result[chunk] = self._containing_chunk(x[chunk], y[chunk])
        return result

    def _containing_chunk(self, x, y):
        result = np.full(len(x), -1, dtype=np.int64)
        if not len(x):
            return result
        column = np.floor(x / _COLUMN_METRES)
        keys = column * _COLUMN_STRIDE + y
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        extent = shapely.box(x.min(), y.min(), x.max(), y.max())
        polygons = np.sort(self.tree.query(extent))
        if not len(polygons):
            return result
        min_x, min_y, max_x, max_y = self.bounds[polygons].T
        first_column = np.floor(min_x / _COLUMN_METRES)
        columns = (np.floor(max_x / _COLUMN_METRES) - first_column).astype(np.int64) + 1
        # one row per (polygon, grid column its bounding box spans)
        span_polygon = np.repeat(np.arange(len(polygons)), columns)
        span_column = np.repeat(first_column, columns) + _ranks(columns)
        low = np.searchsorted(keys, span_column * _COLUMN_STRIDE + min_y[span_polygon], side="left")
        high = np.searchsorted(keys, span_column * _COLUMN_STRIDE + max_y[span_polygon], side="right")
        counts = high - low
        pair_polygon = np.repeat(span_polygon, counts)
        pair_point = order[np.repeat(low, counts) + _ranks(counts)]
        within_box = (x[pair_point] >= min_x[pair_polygon]) & (x[pair_point] <= max_x[pair_polygon])
        pair_polygon, pair_point = polygons[pair_polygon[within_box]], pair_point[within_box]
        inside = shapely.contains_xy(self.geometries[pair_polygon], x[pair_point], y[pair_point])
        pair_polygon, pair_point = pair_polygon[inside], pair_point[inside]
        if len(pair_point):
            # Lowest polygon index (= lowest id) wins where polygons overlap.
            order = np.lexsort((pair_polygon, pair_point))
            pair_point, pair_polygon = pair_point[order], pair_polygon[order]
            first = np.r_[True, pair_point[1:] != pair_point[:-1]]
            result[pair_point[first]] = pair_polygon[first]
        return result

    # -- one point ---------------------------------------------------------------------

    def locate_bng(self, easting, northing, max_distance=DEFAULT_MAX_DISTANCE):
        """The neighbourhood id at one BNG point (inside, else nearest within max_distance)."""
        if len(self) == 0 or not (np.isfinite(easting) and np.isfinite(northing)):
            return None
        candidates = self.tree.query(shapely.points(easting, northing))
        if len(candidates):
            candidates = np.sort(candidates)
            inside = shapely.contains_xy(self.geometries[candidates], easting, northing)
            if inside.any():
                return self.ids[candidates[np.argmax(inside)]]
        if max_distance and max_distance > 0:
            nearest = self.tree.query_nearest(shapely.points(easting, northing), max_distance=max_distance)
            if len(nearest):
                return self.ids[int(np.min(nearest))]
        return None

    def locate(self, latitude, longitude, max_distance=DEFAULT_MAX_DISTANCE):
        """The neighbourhood id at a WGS84 point, or None (outside coverage)."""
        try:
            lat, lon = float(latitude), float(longitude)
        except (TypeError, ValueError):
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        easting, northing = wgs84_to_bng(lon, lat)
        return self.locate_bng(easting, northing, max_distance=max_distance)


def _ranks(counts):
    """0, 1, … counts[i]-1 for each i, concatenated: np.arange per run, without a loop."""
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - starts


def _scottish(postcodes):
    """Whether each postcode is in a Scottish area, as a bool array. The area is decided by
    the first two characters, so each distinct pair is looked up once (a national import
    has 160,000 Scottish postcodes left outside the boundaries, in a few dozen pairs)."""
    if not postcodes:
        return np.zeros(0, dtype=bool)
    pairs, where = np.unique(np.asarray(postcodes, dtype="U2"), return_inverse=True)
    return np.array([_area(pair) in SCOTTISH_AREAS for pair in pairs.tolist()], dtype=bool)[where.reshape(-1)]


def _area(postcode):
    if not postcode:
        return ""
    return postcode[:2] if len(postcode) > 1 and postcode[1].isalpha() else postcode[:1]


# -- a cache for the web layer ----------------------------------------------------------

_cache_lock = threading.Lock()
_cache = {}


def cached_boundaries(version, load_features):
    """The Boundaries for a "boundaries version", built once per version.

    ``load_features`` is called (only on a cache miss) to get ``(id, wgs84_geometry)``
    pairs; any hashable version works (e.g. a count + checksum of the neighbourhoods
    table). Only the latest version is kept.
    """
    with _cache_lock:
        found = _cache.get(version)
        if found is not None:
            return found
        boundaries = Boundaries(load_features())
        _cache.clear()
        _cache[version] = boundaries
        return boundaries


_borders_cache = {}


def cached_borders(version, area_id, work_out):
    """`work_out()` (an area's [(id, compass point)] of bordering areas) once per boundaries
    version and area: parsing and projecting every nearby boundary was the largest part of a
    team page. Only the latest version is kept."""
    with _cache_lock:
        if _borders_cache.get("version") != version:
            _borders_cache.clear()
            _borders_cache["version"] = version
        found = _borders_cache.get(area_id)
    if found is None:
        found = work_out()
        with _cache_lock:
            if _borders_cache.get("version") == version:
                _borders_cache[area_id] = found
    return found


def clear_cache():
    with _cache_lock:
        _cache.clear()
        _borders_cache.clear()


# -- describing an area in words (the text alternative to a boundary on a map) -------------

COMPASS_POINTS = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")


def compass_point(from_lonlat, to_lonlat):
    """Which of the eight compass points `to` lies in, seen from `from`, on the grid."""
    (x1, x2), (y1, y2) = wgs84_to_bng([from_lonlat[0], to_lonlat[0]], [from_lonlat[1], to_lonlat[1]])
    degrees = np.degrees(np.arctan2(x2 - x1, y2 - y1)) % 360  # clockwise from grid north
    return COMPASS_POINTS[int(((degrees + 22.5) % 360) // 45)]


def bordering(boundary, centre, others, tolerance_metres=25.0):
    """[(id, compass point)] of the areas in `others` (id, geometry, centre) that share a border
    with `boundary`, in compass order from north. Geometries are WGS84 shapely polygons and
    centres (lon, lat); two areas border when they come within `tolerance_metres` (generalised
    boundaries leave slivers and overlaps along a shared edge)."""
    others = list(others)
    if not others:
        return []
    projected = project_to_bng([boundary] + [geometry for _, geometry, _ in others])
    mine = shapely.buffer(repair(projected[0]), tolerance_metres)
    found = [(area_id, compass_point(centre, other_centre))
             for (area_id, _, other_centre), geometry in zip(others, projected[1:])
             if shapely.intersects(mine, repair(geometry))]
    return sorted(found, key=lambda pair: (COMPASS_POINTS.index(pair[1]), pair[0]))
