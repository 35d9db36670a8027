"""Read neighbourhood boundaries: a GeoJSON FeatureCollection, or data.police.uk KML files.

* GeoJSON (plain or ``.gz``), WGS84, one feature per neighbourhood with properties
  ``id``, ``name``, ``force`` and optionally ``local_authority``.
* data.police.uk KML: a folder of ``<force-slug>/<neighbourhood-id>.kml``, each with a
  Placemark holding a Polygon or MultiGeometry of ``lon,lat[,alt]`` coordinates. The id and
  name come from the file name, the force from the folder name.

``read_boundaries(path, report)`` picks the reader and yields ``BoundaryFeature``s.
Invalid geometries are repaired with make_valid (and noted); features without an id or a
geometry are skipped with a reason.
"""
import gzip
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from app.domain.areas import repair

# data.police.uk force ids where the plain slug of the name is not the id.
_FORCE_SLUG_EXCEPTIONS = {
    "metropolitan police": "metropolitan",
    "metropolitan police service": "metropolitan",
    "metropolitan": "metropolitan",
}
# data.police.uk force id -> name, for the 43 forces of England and Wales (used when only
# the slug is known, e.g. KML folders).
FORCE_NAMES = {
    "avon-and-somerset": "Avon and Somerset",
    "bedfordshire": "Bedfordshire",
    "cambridgeshire": "Cambridgeshire",
    "cheshire": "Cheshire",
    "city-of-london": "City of London",
    "cleveland": "Cleveland",
    "cumbria": "Cumbria",
    "derbyshire": "Derbyshire",
    "devon-and-cornwall": "Devon and Cornwall",
    "dorset": "Dorset",
    "durham": "Durham",
    "dyfed-powys": "Dyfed-Powys",
    "essex": "Essex",
    "gloucestershire": "Gloucestershire",
    "greater-manchester": "Greater Manchester",
    "gwent": "Gwent",
    "hampshire": "Hampshire",
    "hertfordshire": "Hertfordshire",
    "humberside": "Humberside",
    "kent": "Kent",
    "lancashire": "Lancashire",
    "leicestershire": "Leicestershire",
    "lincolnshire": "Lincolnshire",
    "merseyside": "Merseyside",
    "metropolitan": "Metropolitan Police",
    "norfolk": "Norfolk",
    "north-wales": "North Wales",
    "north-yorkshire": "North Yorkshire",
    "northamptonshire": "Northamptonshire",
    "northumbria": "Northumbria",
    "nottinghamshire": "Nottinghamshire",
    "south-wales": "South Wales",
    "south-yorkshire": "South Yorkshire",
    "staffordshire": "Staffordshire",
    "suffolk": "Suffolk",
    "surrey": "Surrey",
    "sussex": "Sussex",
    "thames-valley": "Thames Valley",
    "warwickshire": "Warwickshire",
    "west-mercia": "West Mercia",
    "west-midlands": "West Midlands",
    "west-yorkshire": "West Yorkshire",
    "wiltshire": "Wiltshire",
}

NO_ID = "no id"
NO_GEOMETRY = "no geometry"
NOT_POLYGON = "geometry is not a polygon"
NO_FORCE = "no force"
UNREADABLE = "unreadable file"
DUPLICATE_ID = "duplicate id"
REPAIRED = "invalid geometry repaired with make_valid"


def force_slug(name):
    """data.police.uk's id for a force: "West Yorkshire" → "west-yorkshire".

    "&" reads "and", a trailing "Police" is dropped, and the Metropolitan Police is
    "metropolitan"; a slug passes through unchanged.
    """
    text = (name or "").lower().replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    joined = " ".join(words)
    if joined in _FORCE_SLUG_EXCEPTIONS:
        return _FORCE_SLUG_EXCEPTIONS[joined]
    if len(words) > 1 and words[-1] == "police":
        words = words[:-1]
    return "-".join(words)


def force_name(slug):
    return FORCE_NAMES.get(slug) or slug.replace("-", " ").title()


@dataclass
class BoundaryFeature:
    id: str
    name: str
    force_id: str
    force_name: str
    local_authority: str | None
    geometry: object  # shapely Polygon/MultiPolygon, WGS84 (lon, lat)


def read_boundaries(path, report, on_file=None):
    """GeoJSON file (plain or .gz) or a folder of data.police.uk KML files."""
    path = Path(path)
    if path.is_dir():
        reader = read_kml_folder(path, report, on_file=on_file)
    elif path.is_file() and path.suffix.lower() == ".kml":
        reader = [f for f in [read_kml_file(path, path.parent.name, report)] if f]
    elif path.is_file():
        if on_file:
            on_file(path)
        reader = read_geojson(path, report)
    else:
        raise FileNotFoundError(f"No such file or folder: {path}")
    seen = set()
    for feature in reader:
        if feature.id in seen:
            report.skip(DUPLICATE_ID, feature.id)
            continue
        seen.add(feature.id)
        yield feature


def _polygonal(geometry, ident, report):
    if geometry is None or geometry.is_empty:
        report.skip(NO_GEOMETRY, ident)
        return None
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        report.skip(NOT_POLYGON, f"{ident} ({geometry.geom_type})")
        return None
    if not shapely.is_valid(geometry):
        geometry = repair(geometry)
        report.note(REPAIRED, ident)
        if geometry.is_empty:
            report.skip(NO_GEOMETRY, ident)
            return None
    return geometry


# -- GeoJSON ----------------------------------------------------------------------------


def read_geojson(path, report):
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            data = json.loads(handle.read())  # bytes: UTF-8 (with or without a BOM), as GeoJSON is
    except (OSError, ValueError) as error:
        report.skip(UNREADABLE, f"{Path(path).name}: {error}")
        return
    features = data.get("features", []) if isinstance(data, dict) else []
    for number, item in enumerate(features, start=1):
        properties = (item or {}).get("properties") or {}
        ident = str(properties.get("id") or (item or {}).get("id") or "").strip()
        if not ident:
            report.skip(NO_ID, f"feature {number}")
            continue
        force = str(properties.get("force") or "").strip()
        if not force:
            report.skip(NO_FORCE, ident)
            continue
        raw = (item or {}).get("geometry")
        try:
            geometry = geojson_shape(raw) if raw else None
        except Exception:  # noqa: BLE001 - any malformed geometry is a reported skip
            geometry = None
        geometry = _polygonal(geometry, ident, report)
        if geometry is None:
            continue
        slug = force_slug(force)
        yield BoundaryFeature(
            id=ident,
            name=str(properties.get("name") or ident).strip(),
            force_id=slug,
            force_name=FORCE_NAMES.get(slug, force),
            local_authority=(str(properties["local_authority"]).strip() or None)
            if properties.get("local_authority")
            else None,
            geometry=geometry,
        )


def geojson_shape(raw):
    """``shapely.geometry.shape(raw)``, the same geometry, faster for polygons: each ring's
    coordinates go to GEOS as one numpy array instead of one Python tuple at a time (a
    national file has about 220,000 of them). Anything else, or rings numpy cannot take as
    a table of numbers, goes through ``shape`` itself, errors and all."""
    try:
        kind, coordinates = raw["type"], raw["coordinates"]
        if kind == "Polygon" and coordinates:
            return _polygon(coordinates)
        if kind == "MultiPolygon" and coordinates and all(coordinates):
            return shapely.multipolygons([_polygon(rings) for rings in coordinates])
    except Exception:  # noqa: BLE001, S110 - shape() below reads it, or says why not
        pass
    return shape(raw)


def _polygon(rings):
    arrays = [np.asarray(ring, dtype=np.float64) for ring in rings]
    if any(a.ndim != 2 or a.shape[1] not in (2, 3) or a.shape[1] != arrays[0].shape[1] for a in arrays):
        raise ValueError("not a table of 2D or 3D coordinates")
    holes = [shapely.linearrings(a) for a in arrays[1:]]
    return shapely.polygons(shapely.linearrings(arrays[0]), holes=holes or None)


# -- data.police.uk KML -----------------------------------------------------------------


def read_kml_folder(folder, report, on_file=None):
    folder = Path(folder)
    files = sorted(folder.rglob("*.kml"))
    for file in files:
        if on_file:
            on_file(file)
        # Force from the folder the file is in (the folder itself for a single force).
        slug_source = file.parent.name
        feature = read_kml_file(file, slug_source, report)
        if feature:
            yield feature


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _ring(element):
    for child in element.iter():
        if _local(child.tag) == "coordinates":
            coords = []
            for token in (child.text or "").split():
                parts = token.split(",")
                if len(parts) >= 2:
                    coords.append((float(parts[0]), float(parts[1])))
            return coords
    return []


def _kml_polygons(root):
    polygons = []
    for element in root.iter():
        if _local(element.tag) != "Polygon":
            continue
        shell, holes = [], []
        for child in element:
            name = _local(child.tag)
            if name == "outerBoundaryIs":
                shell = _ring(child)
            elif name == "innerBoundaryIs":
                ring = _ring(child)
                if len(ring) >= 4:
                    holes.append(ring)
        if len(shell) >= 4:
            polygons.append(shapely.Polygon(shell, holes))
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def read_kml_file(file, force_folder, report):
    file = Path(file)
    ident = file.stem.strip()
    if not ident:
        report.skip(NO_ID, str(file))
        return None
    try:
        root = ET.parse(file).getroot()
        geometry = _kml_polygons(root)
    except (ET.ParseError, ValueError, OSError) as error:
        report.skip(UNREADABLE, f"{file.name}: {error}")
        return None
    geometry = _polygonal(geometry, ident, report)
    if geometry is None:
        return None
    slug = force_slug(force_folder)
    return BoundaryFeature(
        id=ident,
        name=ident,
        force_id=slug,
        force_name=force_name(slug),
        local_authority=None,
        geometry=geometry,
    )
