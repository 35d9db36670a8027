"""Web-mercator tile maths and rendering: circles where the crimes are, nothing elsewhere."""
import io

import mercantile
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from app.domain import tiles
from tests.crime_data import LEEDS_CITY_CENTRE


def alpha(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))[:, :, 3]


@given(st.floats(-179.9, 179.9), st.floats(-85, 85), st.integers(0, 18))
def test_a_point_lands_inside_the_tile_mercantile_says_contains_it(lon, lat, z):
    tile = mercantile.tile(lon, lat, z)
    mx, my = tiles.lonlat_to_mercator(lon, lat)
    px, py = tiles.to_pixels(mx, my, tiles.tile_bounds(z, tile.x, tile.y), 256, 256)
    assert -1e-6 <= px <= 256 + 1e-6 and -1e-6 <= py <= 256 + 1e-6


def test_mercator_matches_mercantile():
    x, y = tiles.lonlat_to_mercator(-1.5491, 53.7965)
    ex, ey = mercantile.xy(-1.5491, 53.7965)
    assert x == pytest.approx(ex) and y == pytest.approx(ey)


def test_tile_validity_and_scale():
    assert tiles.valid_tile(0, 0, 0) and not tiles.valid_tile(2, 4, 0) and not tiles.valid_tile(19, 0, 0)
    assert tiles.metres_per_pixel(0) == pytest.approx(156543.03, rel=1e-6)
    assert tiles.metres_per_pixel(15) == pytest.approx(tiles.metres_per_pixel(14) / 2)


def test_query_bounds_reach_beyond_the_tile_by_the_largest_circle():
    z, x, y = 15, 16241, 10570
    west, south, east, north = tiles.lonlat_query_bounds(z, x, y)
    b = mercantile.bounds(x, y, z)
    assert west < b.west and east > b.east and south < b.south and north > b.north


def test_circles_grow_with_the_count_of_crimes_at_a_map_point():
    radii = tiles.point_radius([1, 2, 10, 41, 10_000])
    assert list(radii) == sorted(radii) and radii[-1] == tiles.MAX_POINT_RADIUS


def test_a_rendered_tile_has_pixels_where_crimes_are_and_none_elsewhere():
    lon, lat = LEEDS_CITY_CENTRE
    tile = mercantile.tile(lon, lat, 16)
    png = tiles.png_bytes(tiles.render_points_tile(16, tile.x, tile.y, np.array([lon]), np.array([lat]), np.array([41])))
    mx, my = tiles.lonlat_to_mercator(lon, lat)
    px, py = tiles.to_pixels(mx, my, tiles.tile_bounds(16, tile.x, tile.y), 256, 256)
    a = alpha(png)
    assert a[int(py), int(px)] > 0
    r = int(tiles.point_radius([41])[0]) + 2
    mask = np.ones_like(a, dtype=bool)
    mask[max(0, int(py) - r): int(py) + r + 1, max(0, int(px) - r): int(px) + r + 1] = False
    assert a[mask].max() == 0
    assert tiles.is_blank(tiles.empty_tile()) and not tiles.is_blank(png)


def test_neighbourhood_totals_are_drawn_as_labelled_circles():
    lon, lat = LEEDS_CITY_CENTRE
    tile = mercantile.tile(lon, lat, 11)
    image = tiles.render_areas_tile(11, tile.x, tile.y, np.array([lon]), np.array([lat]), np.array([250]))
    colours = {c for _, c in image.getcolors(65536)}
    assert tiles.AREA_FILL[:3] in {c[:3] for c in colours} and (255, 255, 255, 255) in colours


def test_wcag_contrast_of_known_colour_pairs():
    assert tiles.contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert tiles.contrast_ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1)
    assert tiles.contrast_ratio((29, 112, 184), (255, 255, 255)) == pytest.approx(5.17, abs=0.01)  # GOV.UK blue
    # what the audit measured: white counts on the 78 %-opaque blue over the legend's white
    seen = tiles.over((29, 112, 184, 200), (255, 255, 255))
    assert tiles.contrast_ratio((255, 255, 255), seen) < 4.5


def test_counts_on_circles_and_circles_on_every_ground_are_readable():
    text, marks = tiles.weakest_contrasts()
    assert text >= tiles.TEXT_CONTRAST
    assert marks >= tiles.MARK_CONTRAST


def test_the_legend_draws_the_colours_the_contrast_rule_checks():
    legend = tiles.render_legend().convert("RGB")
    by_count = sorted(legend.getcolors(maxcolors=100_000), reverse=True)
    circle = next(colour for _, colour in by_count if colour != (255, 255, 255))
    assert circle == tiles.POINT_FILL[:3]  # opaque: the counts sit on exactly the colour tested
