"""Map tiles served by the portal: crimes per map point (or per neighbourhood when zoomed
out), the crimes at one point, neighbourhood boundaries as GeoJSON, a static area map.

Every image carries an ETag built from the month's data version, so a re-import changes
it; a tile URL that names the current version (``v=``) may be cached for a year.
"""
import hashlib
import json
import re
from collections import Counter

from flask import Blueprint, Response, abort, current_app, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from app.queries import crime as queries
from app.domain import tiles
from app.domain.crime_categories import CATEGORIES
from app.domain.outcomes import describe, group_of
from app.extensions import db
from app.models import ANTI_SOCIAL_BEHAVIOUR, CRIME_TYPE_LABELS, Neighbourhood
from app.tile_cache import TileCache, cache_root, data_version, neighbourhood_totals

bp = Blueprint("tiles", __name__, url_prefix="/tiles")

CSV_CATEGORY_NAMES = frozenset(name for _slug, _label, names in CATEGORIES for name in names)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
SHORT_MAX_AGE = 300
LONG_MAX_AGE = 365 * 24 * 3600
MAX_GEOJSON_FEATURES = 300


def tile_cache():
    cache = current_app.extensions.get("tile_cache")
    if cache is None:
        cache = current_app.extensions["tile_cache"] = TileCache(cache_root(current_app))
    return cache


def filters():
    """(month, category) from the query string: month defaults to the latest."""
    month = request.args.get("month") or queries.latest_month()
    if month is None:
        return None, None
    if not MONTH.match(month):
        abort(404)
    category = (request.args.get("category") or "").strip() or None
    if category is not None and (len(category) > 64 or category not in known_categories(month)):
        abort(404)  # and nothing rendered or cached: the cache holds only real categories' tiles
    return month, category


_categories_by_version = {}


def known_categories(month):
    """data.police.uk's categories, and any other the month's data holds (read once per data
    version of the month): a real category with no crimes this month is a blank tile."""
    key = (month, data_version(month))
    if key not in _categories_by_version:
        if len(_categories_by_version) > 500:
            _categories_by_version.clear()
        _categories_by_version[key] = CSV_CATEGORY_NAMES | frozenset(queries.categories(month))
    return _categories_by_version[key]


def category_key(category):
    return re.sub(r"[^a-z]+", "-", category.lower()).strip("-") if category else "all"


def image_response(png, etag, version):
    response = Response(png, mimetype="image/png")
    response.set_etag(etag)
    response.cache_control.public = True
    if request.args.get("v") == version:
        response.cache_control.max_age = LONG_MAX_AGE
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = SHORT_MAX_AGE
    return response.make_conditional(request)


def cached_image(layer, parts, render):
    """The PNG for (layer, parts) under the month's data version, rendered on a miss."""
    month, category = filters()
    if month is None:
        return image_response(tiles.empty_tile(), "empty", None)
    version = data_version(month)
    key = (month, version, layer, category_key(category), *parts)
    etag = hashlib.sha1("/".join(map(str, key)).encode()).hexdigest()[:24]
    if request.if_none_match.contains(etag):
        return image_response(b"", etag, version)
    png = tile_cache().get_or_render(key, lambda: render(month, category, version))
    return image_response(png, etag, version)


@bp.get("/crimes/<int:z>/<int:x>/<int:y>.png")
def crimes(z, x, y):
    if not tiles.valid_tile(z, x, y):
        abort(404)

    def render(month, category, version):
        return render_crime_tile(z, x, y, month, category, version)

    return cached_image("crimes", (z, x, y), render)


def render_crime_tile(z, x, y, month, category, version=None):
    if z >= tiles.POINTS_MIN_ZOOM:
        bounds = tiles.lonlat_query_bounds(z, x, y)
        lons, lats, counts = queries.snap_points(month, category, *bounds)
        if not len(counts):
            return tiles.empty_tile()
        return tiles.png_bytes(tiles.render_points_tile(z, x, y, lons, lats, counts))
    bounds = tiles.lonlat_query_bounds(z, x, y, margin_px=tiles.MAX_AREA_RADIUS + 2)
    lons, lats, counts = neighbourhood_totals(month, category, *bounds, version=version)
    if not len(counts):
        return tiles.empty_tile()
    return tiles.png_bytes(tiles.render_areas_tile(z, x, y, lons, lats, counts))


@bp.get("/crimes/area/<force_id>/<neighbourhood_id>.png")
def area_map(force_id, neighbourhood_id):
    """One neighbourhood as a still image: for pages read without JavaScript."""
    neighbourhood = db.session.get(Neighbourhood, neighbourhood_id)
    if neighbourhood is None or neighbourhood.force_id != force_id:
        abort(404)

    def render(month, category, _version):
        lons, lats, counts = queries.neighbourhood_points(neighbourhood_id, month, category)
        image = tiles.render_area_map(_rings(neighbourhood.boundary), lons, lats, counts)
        return tiles.png_bytes(image.convert("RGB"))

    return cached_image("area", (force_id, neighbourhood_id), render)


@bp.get("/crimes/legend.png")
def legend():
    png = tiles.png_bytes(tiles.render_legend())
    response = Response(png, mimetype="image/png")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/crimes/near.json")
def near():
    """The map point drawn under a click (within its circle), and the crimes there.

    With ``nearest=1`` and the map's view as ``bbox=west,south,east,north``: the map point
    nearest to lat/lon anywhere in the view (at most ``NEAREST_REACH_DEGREES`` away), for a
    keyboard user who presses Enter on the map rather than clicking a circle.
    """
    month, category = filters()
    try:
        lon, lat, z = float(request.args["lon"]), float(request.args["lat"]), int(request.args["z"])
    except (KeyError, ValueError):
        abort(400)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        abort(400)
    if request.args.get("nearest"):
        return jsonify({"point": _nearest_in_view(month, category, lon, lat)})
    if month is None or z < tiles.POINTS_MIN_ZOOM or not tiles.MIN_ZOOM <= z <= tiles.MAX_ZOOM:
        return jsonify({"point": None})
    reach = (tiles.MAX_POINT_RADIUS + 2) * tiles.metres_per_pixel(z)
    cx, cy = tiles.lonlat_to_mercator(lon, lat)
    west, south = tiles.mercantile.lnglat(cx - reach, cy - reach)
    east, north = tiles.mercantile.lnglat(cx + reach, cy + reach)
    lons, lats, counts = queries.snap_points(month, category, west, south, east, north)
    if not len(counts):
        return jsonify({"point": None})
    mx, my = tiles.lonlat_to_mercator(lons, lats)
    distance_px = ((mx - cx) ** 2 + (my - cy) ** 2) ** 0.5 / tiles.metres_per_pixel(z)
    hit = distance_px <= tiles.point_radius(counts) + 2
    if not hit.any():
        return jsonify({"point": None})
    best = int(((distance_px - tiles.point_radius(counts)) + ~hit * 1e9).argmin())
    return jsonify({"point": _point(month, category, float(lons[best]), float(lats[best]))})


NEAREST_REACH_DEGREES = 0.05  # about 5 km north-south: a neighbourhood, not a county's every point


def _nearest_in_view(month, category, lon, lat):
    try:
        west, south, east, north = (float(v) for v in request.args["bbox"].split(","))
    except (KeyError, ValueError):
        abort(400)
    west, east = max(west, lon - NEAREST_REACH_DEGREES), min(east, lon + NEAREST_REACH_DEGREES)
    south, north = max(south, lat - NEAREST_REACH_DEGREES), min(north, lat + NEAREST_REACH_DEGREES)
    if month is None or west > east or south > north:
        return None
    lons, lats, counts = queries.snap_points(month, category, west, south, east, north)
    if not len(counts):
        return None
    mx, my = tiles.lonlat_to_mercator(lons, lats)
    cx, cy = tiles.lonlat_to_mercator(lon, lat)
    best = int((((mx - cx) ** 2 + (my - cy) ** 2)).argmin())
    return _point(month, category, float(lons[best]), float(lats[best]))


def _point(month, category, lon, lat):
    found = queries.crimes_at(month, category, lon, lat)
    kinds = Counter((crime.category, crime.outcome) for crime in found)
    return {
        "longitude": lon, "latitude": lat,
        "location": found[0].location if found else None, "count": len(found),
        "crimes": [{
            "category": name,
            "category_label": str(CRIME_TYPE_LABELS.get(name, name)),
            # describe() gives a phrase marked with N_() (or a name we have no words for).
            "outcome": _(describe(outcome, name == ANTI_SOCIAL_BEHAVIOUR)),
            "outcome_group": group_of(outcome, name == ANTI_SOCIAL_BEHAVIOUR),
            "count": n,
        } for (name, outcome), n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or ""))],
    }


@bp.get("/neighbourhoods.geojson")
def neighbourhoods():
    """Neighbourhood boundaries overlapping ``bbox=west,south,east,north`` (a map's view)."""
    try:
        west, south, east, north = (float(v) for v in request.args["bbox"].split(","))
    except (KeyError, ValueError):
        abort(400)
    rows = db.session.execute(
        select(Neighbourhood.id, Neighbourhood.name, Neighbourhood.force_id, Neighbourhood.boundary_geojson)
        .where(Neighbourhood.max_lon >= west, Neighbourhood.min_lon <= east,
               Neighbourhood.max_lat >= south, Neighbourhood.min_lat <= north)
        .order_by(Neighbourhood.id).limit(MAX_GEOJSON_FEATURES + 1)
    ).all()
    features = [
        {"type": "Feature", "id": nid, "geometry": json.loads(geometry),
         "properties": {"name": name, "force": force}}
        for nid, name, force, geometry in rows[:MAX_GEOJSON_FEATURES]
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features,
                       "truncated": len(rows) > MAX_GEOJSON_FEATURES}, separators=(",", ":"))
    response = Response(body, mimetype="application/geo+json")
    response.set_etag(hashlib.sha1(body.encode()).hexdigest()[:24])
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)


def _rings(geometry):
    """Outer rings of a GeoJSON Polygon/MultiPolygon as lists of (lon, lat)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []
