"""Visible time (Pledge 3): duty time is days served less leave; time away is taken from it."""
from datetime import date

from app.domain import pledge, visible_time
from app.domain.visible_time import Away, Served
from config import Config

OCTOBER = (2026, 10)  # 31 days


def test_a_full_month_with_nothing_away_is_all_visible():
    assert visible_time.month_days([Served(1, date(2025, 1, 1), None)], [], *OCTOBER) == (31, 31)


def test_leave_is_not_duty_time_and_court_training_and_other_duties_are_time_away():
    served = [Served(1, date(2025, 1, 1), None), Served(2, date(2026, 10, 22), None)]  # second joins on the 22nd
    away = [Away(1, "leave", date(2026, 10, 1), date(2026, 10, 7)),  # 7 days' leave: 24 duty days left
            Away(1, "court", date(2026, 10, 12), date(2026, 10, 13)),
            Away(1, "training", date(2026, 10, 13), date(2026, 10, 14)),  # the 13th once, not twice
            Away(2, "other_duties", date(2026, 10, 20), date(2026, 10, 23))]  # only the 22nd and 23rd served
    visible, duty = visible_time.month_days(served, away, *OCTOBER)
    assert duty == 24 + 10
    assert visible == duty - 3 - 2


def test_shifts_are_spread_over_their_dates_and_never_exceed_duty_time():
    served = [Served(1, date(2025, 1, 1), None)]
    across = [Away(1, "training", date(2026, 10, 22), date(2026, 11, 10), shifts=10)]  # 10 of 20 days in October
    assert visible_time.month_days(served, across, *OCTOBER) == (26, 31)
    everything = [Away(1, "court", date(2026, 10, 1), date(2026, 10, 31)), Away(1, "court", date(2026, 10, 1),
                                                                                date(2026, 10, 31), shifts=5)]
    assert visible_time.month_days(served, everything, *OCTOBER) == (0, 31)


def test_a_month_not_confirmed_is_not_measured_rather_than_100_percent():
    served = [Served(1, date(2025, 1, 1), None)]
    months = [(2026, 9), OCTOBER]
    counts = visible_time.counts_by_month(served, [], months, confirmed={OCTOBER})
    assert counts == {OCTOBER: (31, 31)}
    line = pledge.ratio_line(pledge.VISIBLE, counts, months, Config.PLEDGE_THRESHOLDS["visible"])
    assert line.months[0].grade is None and line.months[1].grade == pledge.EXCELLENT


def test_the_80_percent_target_is_the_line_between_kept_and_missed():
    limits = Config.PLEDGE_THRESHOLDS["visible"]
    assert pledge.is_met(pledge.grade(80, limits)) and pledge.is_missed(pledge.grade(79.9, limits))


def test_only_the_days_an_officer_served_the_team_are_duty_time():
    left = [Served(3, date(2025, 1, 1), date(2026, 10, 10))]  # the last day served is the 10th
    assert visible_time.month_days(left, [], *OCTOBER) == (10, 10)
    back = left + [Served(3, date(2026, 10, 25), None)]  # and back from the 25th: 7 more days
    assert visible_time.month_days(back, [Away(3, "court", date(2026, 10, 9), date(2026, 10, 12))], *OCTOBER) == (
        15, 17)
