"""Assigning points to neighbourhoods: inside, nearest fallback, Scotland, no coordinates."""
import numpy as np
import pytest
import shapely

from app.domain import areas
from app.domain.areas import Boundaries, cached_boundaries, clear_cache, wgs84_to_bng

# Two 1 km squares on the British National Grid, 2 km apart.
WEST = shapely.box(400_000, 400_000, 401_000, 401_000)
EAST = shapely.box(403_000, 400_000, 404_000, 401_000)


@pytest.fixture
def boundaries():
    return Boundaries([("EAST", EAST), ("WEST", WEST)], projected=True)


def assign(boundaries, points, postcodes=None, max_distance=5000):
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    return boundaries.assign(x, y, postcodes, max_distance=max_distance)


def test_a_point_inside_a_polygon_gets_that_neighbourhood(boundaries):
    result = assign(boundaries, [(400_500, 400_500), (403_500, 400_500)])
    assert result.neighbourhood_ids.tolist() == ["WEST", "EAST"]
    assert not result.by_nearest.any()
    assert result.inside == 2


def test_a_point_outside_every_polygon_goes_to_the_nearest_within_the_limit(boundaries):
    result = assign(boundaries, [(401_400, 400_500), (402_700, 400_500), (400_500, 404_000)])
    assert result.neighbourhood_ids.tolist() == ["WEST", "EAST", "WEST"]
    assert result.by_nearest.tolist() == [True, True, True]


def test_a_point_too_far_from_every_polygon_is_outside_coverage(boundaries):
    result = assign(boundaries, [(400_500, 420_000)], max_distance=5000)
    assert result.neighbourhood_ids.tolist() == [None]
    assert result.outside_coverage == 1


def test_the_distance_limit_is_the_callers(boundaries):
    assert assign(boundaries, [(400_500, 402_000)], max_distance=500).neighbourhood_ids.tolist() == [None]
    assert assign(boundaries, [(400_500, 402_000)], max_distance=1500).neighbourhood_ids.tolist() == ["WEST"]


def test_a_scottish_postcode_is_never_assigned_by_nearest(boundaries):
    points = [(401_400, 400_500), (401_400, 400_500), (401_400, 400_500)]
    result = assign(boundaries, points, postcodes=["EH1 1AD", "G1 1AA", "LS1 1AZ"])
    assert result.neighbourhood_ids.tolist() == [None, None, "WEST"]
    assert result.outside_coverage == 2


def test_a_scottish_postcode_inside_a_polygon_is_assigned(boundaries):
    # TD15 (Berwick-upon-Tweed) is a Scottish postcode area but in England.
    result = assign(boundaries, [(400_500, 400_500)], postcodes=["TD15 1AA"])
    assert result.neighbourhood_ids.tolist() == ["WEST"]


def test_points_without_coordinates_are_never_assigned(boundaries):
    result = assign(boundaries, [(np.nan, np.nan), (0, 0), (400_500, 400_500)])
    assert result.neighbourhood_ids.tolist() == [None, None, "WEST"]
    assert result.without_coordinates == 2
    assert result.outside_coverage == 0


def test_each_assignment_is_also_given_as_the_neighbourhoods_position_in_the_ids(boundaries):
    # inside, by nearest, Scottish (refused the fallback), too far, without coordinates
    points = [(403_500, 400_500), (401_400, 400_500), (401_400, 400_500), (400_500, 420_000), (np.nan, np.nan)]
    result = assign(boundaries, points, postcodes=["LS1 1AZ", "LS2 7DU", "EH1 1AD", "LS6 3HN", "LS1 9ZZ"])
    assert result.neighbourhood_ids.tolist() == ["EAST", "WEST", None, None, None]
    assert boundaries.ids.tolist() == ["EAST", "WEST"]
    assert result.positions.dtype == np.int32 and result.positions.tolist() == [0, 1, -1, -1, -1]


def test_a_point_on_a_shared_edge_gets_one_stable_answer():
    left = shapely.box(0, 0, 10, 10)
    right = shapely.box(10, 0, 20, 10)
    boundaries = Boundaries([("B", right), ("A", left)], projected=True)
    assert boundaries.assign([10.0], [5.0]).neighbourhood_ids.tolist() == ["A"]
    assert boundaries.locate_bng(10.0, 5.0) == "A"


def test_no_boundaries_assigns_nothing():
    empty = Boundaries([], projected=True)
    result = empty.assign([400_500.0], [400_500.0])
    assert result.neighbourhood_ids.tolist() == [None]
    assert result.positions.tolist() == [-1]


LEEDS_SQUARE = shapely.box(-1.56, 53.79, -1.53, 53.81)  # WGS84, around Leeds city centre


def test_locate_finds_the_neighbourhood_of_a_latitude_and_longitude():
    boundaries = Boundaries([("LEEDS", LEEDS_SQUARE)])
    assert boundaries.locate(53.80, -1.545) == "LEEDS"
    assert boundaries.locate(53.80, -1.52) == "LEEDS"  # ~700 m east: nearest fallback
    assert boundaries.locate(51.5, -0.12) is None  # London: far away
    assert boundaries.locate("nonsense", None) is None
    assert boundaries.locate(123, 0) is None


def test_polygons_are_projected_to_the_british_national_grid():
    easting, northing = wgs84_to_bng(-1.545, 53.80)
    boundaries = Boundaries([("LEEDS", LEEDS_SQUARE)])
    assert 429_000 < easting < 431_000 and 433_000 < northing < 435_000
    assert boundaries.assign([easting], [northing]).neighbourhood_ids.tolist() == ["LEEDS"]


def test_boundaries_are_built_once_per_version():
    clear_cache()
    calls = []

    def load():
        calls.append(1)
        return [("LEEDS", LEEDS_SQUARE)]

    first = cached_boundaries(("v", 1), load)
    assert cached_boundaries(("v", 1), load) is first
    assert len(calls) == 1
    assert cached_boundaries(("v", 2), load) is not first
    assert len(calls) == 2
    clear_cache()


def square(west, south, size=0.01):
    return shapely.box(west, south, west + size, south + size)


def test_areas_sharing_an_edge_border_each_other_and_say_where():
    home = square(-1.55, 53.80)
    others = [
        ("north", square(-1.55, 53.81), (-1.545, 53.815)),
        ("east", square(-1.54, 53.80), (-1.535, 53.805)),
        ("far away", square(-1.40, 53.80), (-1.395, 53.805)),
        ("south-west", square(-1.56, 53.79), (-1.555, 53.795)),  # touches at a corner only
    ]
    assert areas.bordering(home, (-1.545, 53.805), others) == [
        ("north", "north"), ("east", "east"), ("south-west", "south-west")]


def test_the_compass_point_from_one_place_to_another():
    assert areas.compass_point((-1.5, 53.8), (-1.5, 53.9)) == "north"
    assert areas.compass_point((-1.5, 53.8), (-1.6, 53.8)) == "west"
    assert areas.compass_point((-1.5, 53.8), (-1.4, 53.74)) == "south-east"


def test_scottish_postcodes_are_told_apart_by_their_area_as_one_at_a_time():
    from app.domain.postcodes import SCOTTISH_AREAS

    postcodes = ["G1 1AA", "GL1 1AA", "AB10 1AA", "AL1 1AA", "KA1 1AA", "K", "", "TD15 1AA", "E1 6AN", "EH1 1AA",
                 "ZE1 0AA", "ZZ99 9ZZ", "DG1 1AA", "D"] * 3
    expected = [areas._area(p) in SCOTTISH_AREAS for p in postcodes]
    assert areas._scottish(postcodes).tolist() == expected
    assert sum(expected) == 21  # G, AB, KA, TD, EH, ZE and DG, three times
    assert areas._scottish([]).tolist() == []
