"""What the public may see of residents' reports: counts by type on a fixed grid of about
1 km, whole ended quarters, nothing under the threshold, and nothing that subtraction
can turn into a suppressed count."""
import random
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import local_reports as rules
from app.domain.local_reports import THRESHOLD, aggregate, cell_of, cells_within, type_totals

LEEDS = (53.8005, -1.5485)


def reports_at(lat, lon, kind, n):
    return [(lat, lon, kind)] * n


def test_points_in_the_same_square_snap_to_one_cell_and_its_edges_are_fixed():
    cell = cell_of(*LEEDS)
    south, west, north, east = rules.cell_bounds(cell)
    assert south <= LEEDS[0] < north and west <= LEEDS[1] < east
    assert north - south == pytest.approx(rules.CELL_LAT_DEGREES)
    assert cell_of(south, west) == cell  # the south-west corner belongs to the cell
    assert cell_of(north, west) != cell  # the north edge belongs to the next one


def test_a_square_is_about_a_kilometre_each_way_in_england_and_wales():
    from math import cos, radians

    for latitude in (50.1, 53.8, 55.8):  # Penzance, Leeds, Berwick
        north_south = rules.CELL_LAT_DEGREES * 111_320
        east_west = rules.CELL_LON_DEGREES * 111_320 * cos(radians(latitude))
        assert 950 < north_south < 1050 and 900 < east_west < 1100


def test_a_type_under_the_threshold_in_a_square_is_not_shown():
    cells = aggregate(reports_at(*LEEDS, "speeding", THRESHOLD - 1))
    assert cells == []


def test_a_type_at_the_threshold_is_shown_with_its_count_and_the_square_not_the_point():
    [cell] = aggregate(reports_at(*LEEDS, "speeding", THRESHOLD))
    assert cell.counts == {"speeding": THRESHOLD} and cell.total == THRESHOLD
    assert (cell.south, cell.west, cell.north, cell.east) == rules.cell_bounds(cell_of(*LEEDS))
    assert not hasattr(cell, "latitude")


def test_a_squares_total_counts_only_the_types_shown():
    reports = reports_at(*LEEDS, "speeding", 6) + reports_at(*LEEDS, "noise", 2)
    [cell] = aggregate(reports)
    assert cell.counts == {"speeding": 6}
    assert cell.total == 6  # not 8: 8 - 6 would give away the two noise reports


def test_area_totals_are_sums_of_the_squares_shown_not_of_every_report():
    near = (LEEDS[0] + 0.02, LEEDS[1])  # another square
    reports = reports_at(*LEEDS, "litter", 7) + reports_at(*near, "litter", 3)
    cells = aggregate(reports)
    assert type_totals(cells) == {"litter": 7}


def test_reports_count_together_in_a_square_whichever_team_they_went_to():
    # The grid is one for the whole country: a square straddling two neighbourhoods is
    # shown whole on both pages, so one page cannot be subtracted from the other.
    cell = cell_of(*LEEDS)
    south, west, north, east = rules.cell_bounds(cell)
    left_half_area = (south, west, north, (west + east) / 2)
    right_half_area = (south, (west + east) / 2, north, east)
    reports = reports_at(south + 0.001, west + 0.001, "parking", 3) + reports_at(south + 0.001, east - 0.001,
                                                                                 "parking", 3)
    cells = aggregate(reports)
    assert cells_within(cells, *left_half_area) == cells_within(cells, *right_half_area) == cells
    assert cells[0].counts == {"parking": 6}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from(rules.PROBLEM_TYPES)),
                max_size=120),
       st.integers(1, 8))
def test_no_published_number_is_ever_under_the_threshold_or_more_than_the_sum_of_published_counts(points,
                                                                                                   threshold):
    """Whatever the reports: each published count is at least the threshold, and every total
    (of a square, of a type over an area) equals the sum of published counts, so differences
    of published numbers are themselves sums of published counts — never a hidden one."""
    reports = [(53.5 + row * 0.009 + 0.004, -1.5 + col * 0.015 + 0.007, kind) for row, col, kind in points]
    cells = aggregate(reports, threshold=threshold)
    for cell in cells:
        assert cell.counts and all(n >= threshold for n in cell.counts.values())
        assert cell.total == sum(cell.counts.values())
    totals = type_totals(cells)
    for kind, n in totals.items():
        assert n == sum(cell.counts.get(kind, 0) for cell in cells)
    # Nothing published counts a report in a (square, type) that had fewer than the threshold.
    raw = {}
    for lat, lon, kind in reports:
        raw[(cell_of(lat, lon), kind)] = raw.get((cell_of(lat, lon), kind), 0) + 1
    for cell in cells:
        for kind, n in cell.counts.items():
            assert raw[(cell.cell, kind)] == n


def test_quarters_are_published_only_once_they_have_ended():
    assert rules.latest_published_quarter(date(2026, 11, 27)) == (2026, 3)
    assert rules.latest_published_quarter(date(2026, 1, 1)) == (2025, 4)
    # London midnights in UTC: a quarter starting in summer time starts at 23:00 UTC the day before
    assert rules.quarter_bounds(2026, 3) == (datetime(2026, 6, 30, 23), datetime(2026, 9, 30, 23))
    assert rules.quarter_bounds(2025, 4) == (datetime(2025, 9, 30, 23), datetime(2026, 1, 1))
    assert rules.published_quarters(date(2026, 2, 1), 3) == [(2025, 4), (2025, 3), (2025, 2)]


def test_a_quarter_is_read_from_its_key_and_nonsense_is_refused():
    assert rules.parse_quarter("2026-Q3") == (2026, 3) and rules.parse_quarter("2026-q1") == (2026, 1)
    for text in ("2026-Q5", "2026", "Q3-2026", "", None, "1999-Q1"):
        assert rules.parse_quarter(text) is None


def test_the_top_types_come_most_reported_first():
    counts = {"noise": 2, "speeding": 9, "litter": 4, "other": 4, "parking": 0}
    assert rules.top_types(counts) == [("speeding", 9), ("litter", 4), ("other", 4)]
    assert rules.top_types({}) == []


def test_a_point_must_be_a_real_number_inside_england_and_wales():
    assert rules.plausible_point("53.8", "-1.55")
    for lat, lon in [("nan", "0"), ("inf", "-1"), ("abc", "1"), (None, None), (40.0, -3.7), (57.1, -2.1)]:
        assert not rules.plausible_point(lat, lon)


def test_months_by_type_counts_each_report_in_its_month():
    rows = [(datetime(2026, 10, 3), "noise"), (datetime(2026, 10, 30), "noise"), (datetime(2026, 11, 1), "litter"),
            (datetime(2025, 1, 1), "litter")]
    table = rules.months_by_type(rows, [(2026, 11), (2026, 10)])
    assert table[(2026, 10)] == {"noise": 2} and table[(2026, 11)] == {"litter": 1}


def test_random_reports_never_leave_a_small_count_visible():
    generator = random.Random(17)
    reports = [(53.79 + generator.random() * 0.03, -1.56 + generator.random() * 0.04,
                generator.choice(rules.PROBLEM_TYPES)) for _ in range(400)]
    for cell in aggregate(reports):
        assert min(cell.counts.values()) >= THRESHOLD
