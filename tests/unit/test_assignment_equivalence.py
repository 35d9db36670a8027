"""The bulk assignment (grid columns + one vectorised contains_xy) puts every point in the
same neighbourhood as the point-by-point rule it replaced (one point geometry each, an
STRtree "within" query, lowest id where polygons overlap, nearest within the limit
outside them, never nearest for a Scottish postcode)."""
import gzip
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import shape

from app.domain.areas import Boundaries, _area
from app.domain.postcodes import SCOTTISH_AREAS
from app.importers.codepoint import read_codepoint
from app.importers.report import ImportReport
from tests.conftest import SHARED_DATA, needs_shared_data

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"


def assign_point_by_point(boundaries, eastings, northings, postcodes=None, max_distance=5000.0):
    """The rule as it was implemented before the bulk assignment, kept as the reference."""
    x = np.asarray(eastings, dtype=float)
    y = np.asarray(northings, dtype=float)
    result = np.full(len(x), None, dtype=object)
    located = np.isfinite(x) & np.isfinite(y) & ~((x == 0) & (y == 0))
    index = np.flatnonzero(located)
    point_idx, tree_idx = boundaries.tree.query(shapely.points(x[index], y[index]), predicate="within")
    assigned = np.zeros(len(x), dtype=bool)
    if len(point_idx):
        order = np.lexsort((tree_idx, point_idx))
        point_idx, tree_idx = point_idx[order], tree_idx[order]
        first = np.r_[True, point_idx[1:] != point_idx[:-1]]
        result[index[point_idx[first]]] = boundaries.ids[tree_idx[first]]
        assigned[index[point_idx]] = True
    unassigned = index[~assigned[index]]
    if postcodes is not None and len(unassigned):
        unassigned = unassigned[[_area(postcodes[i]) not in SCOTTISH_AREAS for i in unassigned]]
    if len(unassigned) and max_distance:
        near_idx, near_tree = boundaries.tree.query_nearest(
            shapely.points(x[unassigned], y[unassigned]), max_distance=max_distance)
        order = np.lexsort((near_tree, near_idx))
        near_idx, near_tree = near_idx[order], near_tree[order]
        first = np.r_[True, near_idx[1:] != near_idx[:-1]] if len(near_idx) else np.array([], dtype=bool)
        result[unassigned[near_idx[first]]] = boundaries.ids[near_tree[first]]
    return result


def read_boundaries_file(path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return Boundaries([(f["properties"]["id"], shape(f["geometry"])) for f in features])


def read_postcodes(path):
    postcodes, eastings, northings = [], [], []
    for batch in read_codepoint(path, ImportReport()):
        postcodes.extend(batch.postcodes)
        eastings.append(batch.easting)
        northings.append(batch.northing)
    return postcodes, np.concatenate(eastings), np.concatenate(northings)


def assert_same_assignment(boundaries, postcodes, eastings, northings):
    expected = assign_point_by_point(boundaries, eastings, northings, postcodes)
    found = boundaries.assign(eastings, northings, postcodes).neighbourhood_ids
    differing = [(postcodes[i], expected[i], found[i]) for i in np.flatnonzero(expected != found)[:10]]
    assert differing == []
    return expected


def test_every_demo_postcode_gets_the_neighbourhood_the_point_by_point_rule_gives():
    boundaries = read_boundaries_file(DEMO / "neighbourhoods.geojson.gz")
    postcodes, eastings, northings = read_postcodes(DEMO / "codepoint")
    expected = assert_same_assignment(boundaries, postcodes, eastings, northings)
    assert len(postcodes) == 20_730
    assert sum(n is not None for n in expected) > 20_000  # the comparison is about real assignments


@pytest.mark.national
@needs_shared_data()
def test_every_national_postcode_gets_the_neighbourhood_the_point_by_point_rule_gives():
    boundaries = read_boundaries_file(SHARED_DATA / "neighbourhoods-ew.geojson.gz")
    postcodes, eastings, northings = read_postcodes(SHARED_DATA / "codepoint-open")
    expected = assert_same_assignment(boundaries, postcodes, eastings, northings)
    assert len(postcodes) == 1_739_998
    assert sum(n is not None for n in expected) > 1_500_000


def test_points_on_edges_and_vertices_and_in_overlaps_and_holes_match_the_point_by_point_rule():
    left = shapely.box(0, 0, 1000, 1000)
    right = shapely.box(1000, 0, 2000, 1000)  # shares the edge x = 1000
    overlapping = shapely.box(500, 500, 1500, 1500)  # overlaps both: the lowest id wins
    holed = shapely.Polygon([(3000, 0), (5000, 0), (5000, 2000), (3000, 2000)],
                            [[(3500, 500), (4500, 500), (4500, 1500), (3500, 1500)]])
    boundaries = Boundaries([("B-right", right), ("A-left", left), ("C-overlap", overlapping), ("D-holed", holed)],
                            projected=True)
    points = [(1000, 500), (1000, 0), (0, 0), (999.999, 500), (1000.001, 500), (700, 700), (1200, 700),
              (1200, 1200), (4000, 1000), (3500, 1000), (3200, 1000), (2500, 500), (9000, 9000), (-100, -100),
              (np.nan, np.nan), (0, 0)]
    x, y = np.array(points, dtype=float).T
    expected = assign_point_by_point(boundaries, x, y)
    assert boundaries.assign(x, y).neighbourhood_ids.tolist() == expected.tolist()
    assert expected[5] == "A-left" and expected[6] == "B-right"  # overlap: lowest id


@st.composite
def polygons_and_points(draw):
    count = draw(st.integers(1, 6))
    polygons = []
    for _ in range(count):
        cx, cy = draw(st.floats(0, 5000)), draw(st.floats(0, 5000))
        radius = draw(st.floats(50, 2500))
        sides = draw(st.integers(3, 9))
        angles = np.sort(np.array(draw(st.lists(st.floats(0, 2 * np.pi), min_size=sides, max_size=sides))))
        ring = np.column_stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)])
        polygon = shapely.make_valid(shapely.Polygon(ring))
        if polygon.geom_type not in ("Polygon", "MultiPolygon") or polygon.is_empty:
            polygon = shapely.box(cx, cy, cx + radius, cy + radius)
        polygons.append(polygon)
    # points at random, and on the polygons' own vertices (the hardest case for "inside")
    points = draw(st.lists(st.tuples(st.floats(-500, 8000), st.floats(-500, 8000)), min_size=1, max_size=200))
    vertices = [tuple(c) for p in polygons for c in shapely.get_coordinates(p)]
    return polygons, points + vertices


@settings(max_examples=150, deadline=None)
@given(polygons_and_points())
def test_random_polygons_and_points_match_the_point_by_point_rule(case):
    polygons, points = case
    boundaries = Boundaries([(f"N{i:02d}", p) for i, p in enumerate(polygons)], projected=True)
    x, y = np.array(points, dtype=float).T
    expected = assign_point_by_point(boundaries, x, y, max_distance=300.0)
    assert boundaries.assign(x, y, max_distance=300.0).neighbourhood_ids.tolist() == expected.tolist()
