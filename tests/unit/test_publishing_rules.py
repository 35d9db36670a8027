"""Stale priorities and the monthly-meeting record (Pledge 7)."""
from datetime import date

from app.domain.publishing import is_stale, months_with_meetings


def test_a_priority_without_an_update_for_over_a_month_is_stale():
    assert is_stale(date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 5))
    assert not is_stale(date(2026, 1, 1), date(2026, 2, 20), date(2026, 3, 5))


def test_a_new_priority_is_not_stale_before_a_month_has_passed():
    assert not is_stale(date(2026, 3, 1), None, date(2026, 3, 20))


def test_each_of_the_last_six_whole_months_says_whether_a_meeting_was_held():
    months = months_with_meetings([date(2026, 2, 10), date(2025, 12, 1), date(2026, 3, 2)], date(2026, 3, 15))
    assert months == [(2026, 2, True), (2026, 1, False), (2025, 12, True), (2025, 11, False),
                      (2025, 10, False), (2025, 9, False)]
