"""Web-mercator tile maths and server-side rendering of crime map layers (Pillow).

Crimes are drawn per map point ("snap point"), never per crime: data.police.uk moves every
crime to the nearest of a fixed set of anonymous points, so one circle per point, its area
growing with the count and the count written inside, says what is known and no more.
Below ``POINTS_MIN_ZOOM`` the points would blur into each other, so tiles show one circle
per neighbourhood (at its centre) with the neighbourhood's total instead.
"""
import io
import math
from functools import lru_cache

import mercantile
import numpy as np
from PIL import Image, ImageDraw, ImageFont

TILE_SIZE = 256
MIN_ZOOM = 0
MAX_ZOOM = 18
POINTS_MIN_ZOOM = 13
EARTH_RADIUS = 6378137.0
ORIGIN_SHIFT = math.pi * EARTH_RADIUS  # half the width of the mercator world, metres

# Opaque fills: a see-through circle takes on the colour of whatever is under it, and white
# counts on GOV.UK blue at 78 % opacity fell to 3.8:1. Opaque, the label stays >= 4.5:1 (WCAG
# 1.4.3) and the circle >= 3:1 against any light ground (1.4.11); see contrast_ratio below and
# tests/unit/test_tiles.py, which hold these colours to it.
POINT_FILL = (29, 112, 184, 255)  # GOV.UK blue: a map point
AREA_FILL = (80, 42, 117, 255)  # purple: a neighbourhood total, not a place
OUTLINE = (255, 255, 255, 255)
LABEL = (255, 255, 255, 255)
BOUNDARY = (11, 12, 12, 255)
BACKGROUND = (243, 242, 241, 255)
# The grounds a circle may be drawn on: the static map, the legend and the portal's plain map
# (white), and the light grey of an unstyled Leaflet container.
GROUNDS = {"static map": BACKGROUND[:3], "legend": (255, 255, 255), "plain map": (255, 255, 255),
           "leaflet default": (221, 221, 221)}
TEXT_CONTRAST = 4.5
MARK_CONTRAST = 3.0
MAX_POINT_RADIUS = 26
MAX_AREA_RADIUS = 40


# -- maths ------------------------------------------------------------------------------


def valid_tile(z, x, y):
    return MIN_ZOOM <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


def lonlat_to_mercator(lon, lat):
    """Vectorised WGS84 (degrees) → web mercator (EPSG:3857) metres."""
    lon = np.asarray(lon, dtype=float)
    lat = np.clip(np.asarray(lat, dtype=float), -85.05112878, 85.05112878)
    x = np.radians(lon) * EARTH_RADIUS
    y = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * EARTH_RADIUS
    return x, y


def tile_bounds(z, x, y):
    """The tile's (left, bottom, right, top) in mercator metres."""
    b = mercantile.xy_bounds(x, y, z)
    return b.left, b.bottom, b.right, b.top


def metres_per_pixel(z, size=TILE_SIZE):
    return 2 * ORIGIN_SHIFT / (size * 2**z)


def lonlat_query_bounds(z, x, y, margin_px=MAX_POINT_RADIUS + 2):
    """(west, south, east, north) in degrees of the tile grown by ``margin_px`` on each side,
    so that circles centred just outside the tile still draw their part inside it."""
    left, bottom, right, top = tile_bounds(z, x, y)
    pad = margin_px * metres_per_pixel(z)
    west, south = mercantile.lnglat(left - pad, bottom - pad)
    east, north = mercantile.lnglat(right + pad, top + pad)
    return west, south, east, north


def to_pixels(mx, my, bounds, width, height):
    left, bottom, right, top = bounds
    px = (np.asarray(mx) - left) / (right - left) * width
    py = (top - np.asarray(my)) / (top - bottom) * height
    return px, py


# -- contrast (WCAG 2.x) --------------------------------------------------------------


def relative_luminance(rgb):
    """WCAG relative luminance of an sRGB colour given as 0-255 integers."""
    def linear(channel):
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first, second):
    """(L1 + 0.05) / (L2 + 0.05), lighter over darker: 1 to 21."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def over(colour, ground):
    """An RGBA colour as seen over an opaque RGB ground (alpha compositing)."""
    alpha = (colour[3] if len(colour) > 3 else 255) / 255
    return tuple(round(c * alpha + g * (1 - alpha)) for c, g in zip(colour[:3], ground[:3]))


def weakest_contrasts(fills=(POINT_FILL, AREA_FILL), label=LABEL, grounds=GROUNDS):
    """(weakest label-on-circle ratio, weakest circle-on-ground ratio) over every fill and
    ground a circle is drawn with: the figures WCAG 1.4.3 and 1.4.11 are about."""
    text, marks = [], []
    for fill in fills:
        for ground in grounds.values():
            seen = over(fill, ground)
            text.append(contrast_ratio(over(label, seen), seen))
            marks.append(contrast_ratio(seen, ground))
    return min(text), min(marks)


# -- circle sizes ------------------------------------------------------------------------


def point_radius(counts):
    """Pixels: the circle's area grows with the count; a lone crime is still easy to see."""
    return np.minimum(4 + 3.0 * np.sqrt(np.asarray(counts, dtype=float) - 1), MAX_POINT_RADIUS)


def area_radius(counts):
    return np.minimum(9 + 1.2 * np.sqrt(np.asarray(counts, dtype=float)), MAX_AREA_RADIUS)


# -- drawing ----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _font(size):
    return ImageFont.load_default(size=size)


def draw_circles(image, px, py, counts, radii, fill, min_label_radius=7):
    """Circles largest first (so small ones stay visible), each with its count inside."""
    draw = ImageDraw.Draw(image)
    order = np.argsort(-np.asarray(radii), kind="stable")
    width, height = image.size
    for i in order:
        r = float(radii[i])
        cx, cy = float(px[i]), float(py[i])
        if cx + r < 0 or cy + r < 0 or cx - r > width or cy - r > height:
            continue
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill, outline=OUTLINE, width=1)
        if counts[i] > 1 and r >= min_label_radius:
            text = str(int(counts[i]))
            size = 10 if len(text) < 3 or r < 14 else 11
            draw.text((cx, cy), text, fill=LABEL, font=_font(size), anchor="mm")
    return image


def draw_polygons(image, rings_px, outline=BOUNDARY, width=2):
    draw = ImageDraw.Draw(image)
    for ring in rings_px:
        if len(ring) > 1:
            draw.line([tuple(p) for p in ring] + [tuple(ring[0])], fill=outline, width=width)
    return image


def render_points_tile(z, x, y, lons, lats, counts):
    """A 256×256 RGBA tile of map points (already aggregated: one entry per point)."""
    image = Image.new("RGBA", (TILE_SIZE, TILE_SIZE), (0, 0, 0, 0))
    if len(counts):
        mx, my = lonlat_to_mercator(lons, lats)
        px, py = to_pixels(mx, my, tile_bounds(z, x, y), TILE_SIZE, TILE_SIZE)
        draw_circles(image, px, py, np.asarray(counts), point_radius(counts), POINT_FILL)
    return image


def render_areas_tile(z, x, y, lons, lats, counts):
    """A tile of neighbourhood totals: one labelled circle at each neighbourhood's centre."""
    image = Image.new("RGBA", (TILE_SIZE, TILE_SIZE), (0, 0, 0, 0))
    if len(counts):
        mx, my = lonlat_to_mercator(lons, lats)
        px, py = to_pixels(mx, my, tile_bounds(z, x, y), TILE_SIZE, TILE_SIZE)
        draw_circles(image, px, py, np.asarray(counts), area_radius(counts), AREA_FILL, min_label_radius=0)
    return image


def render_area_map(polygons, lons, lats, counts, width=640, height=400, padding=0.08):
    """A self-contained map image (no base map) of one area: its boundary and its points.

    ``polygons``: lists of (lon, lat) rings. Points are drawn at the scale of the whole
    zoom level that fits, so circles match what the tiles show.
    """
    rings = [np.asarray(r, dtype=float) for r in polygons if len(r)]
    all_points = np.vstack(rings) if rings else np.array([[-1.55, 53.8]])
    west, south = all_points.min(axis=0)
    east, north = all_points.max(axis=0)
    left, bottom = lonlat_to_mercator(west, south)
    right, top = lonlat_to_mercator(east, north)
    span = max((right - left) / width, (top - bottom) / height) * (1 + 2 * padding)
    span = max(span, metres_per_pixel(MAX_ZOOM))
    cx, cy = (left + right) / 2, (bottom + top) / 2
    bounds = (cx - span * width / 2, cy - span * height / 2, cx + span * width / 2, cy + span * height / 2)

    image = Image.new("RGBA", (width, height), BACKGROUND)
    rings_px = [np.column_stack(to_pixels(*lonlat_to_mercator(r[:, 0], r[:, 1]), bounds, width, height))
                for r in rings]
    draw_polygons(image, rings_px)
    if len(counts):
        px, py = to_pixels(*lonlat_to_mercator(lons, lats), bounds, width, height)
        draw_circles(image, px, py, np.asarray(counts), point_radius(counts), POINT_FILL)
    return image


def render_legend(counts=(1, 5, 20, 50), height=64):
    """The circle sizes with their counts, for the legend."""
    radii = point_radius(counts)
    gap = 14
    width = int(sum(2 * r + gap for r in radii)) + gap
    image = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    xs, x = [], gap
    for r in radii:
        xs.append(x + r)
        x += 2 * r + gap
    draw_circles(image, np.array(xs), np.full(len(radii), height / 2), np.asarray(counts), radii, POINT_FILL,
                 min_label_radius=0)
    return image


def png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def empty_tile():
    return png_bytes(Image.new("RGBA", (TILE_SIZE, TILE_SIZE), (0, 0, 0, 0)))


def is_blank(png):
    """True when a PNG has no visible pixel (for tests and cache checks)."""
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    return image.getchannel("A").getbbox() is None
