"""Recurring meetings keep their local time across clock changes and land on the right days."""
from datetime import date, datetime, time

import pytest

from app.domain.localtime import NonexistentLocalTime, to_local, to_utc
from app.domain.recurrence import LAST, MonthlyNthWeekday, Weekly, occurrences, series_rule, series_starts

TUESDAY, WEDNESDAY, THURSDAY = 1, 2, 3


def test_first_tuesday_of_each_month():
    starts = occurrences(MonthlyNthWeekday(1, TUESDAY), date(2026, 1, 1), date(2026, 4, 30), time(18, 30))
    assert [s.date() for s in starts] == [date(2026, 1, 6), date(2026, 2, 3), date(2026, 3, 3), date(2026, 4, 7)]


def test_last_thursday_of_each_month_including_december():
    rule = MonthlyNthWeekday(LAST, THURSDAY)
    assert [rule.in_month(2026, m) for m in (2, 12)] == [date(2026, 2, 26), date(2026, 12, 31)]


def test_a_monthly_rule_skips_the_months_day_before_the_first_date():
    starts = occurrences(MonthlyNthWeekday(1, TUESDAY), date(2026, 1, 10), date(2026, 2, 28), time(18, 30))
    assert [s.date() for s in starts] == [date(2026, 2, 3)]


def test_every_second_wednesday():
    starts = occurrences(Weekly(2), date(2026, 3, 4), date(2026, 4, 15), time(10, 0))
    assert [s.date() for s in starts] == [date(2026, 3, 4), date(2026, 3, 18), date(2026, 4, 1), date(2026, 4, 15)]


def test_half_past_six_stays_half_past_six_local_across_the_spring_clock_change():
    # Clocks go forward on 29 March 2026.
    starts = occurrences(Weekly(1), date(2026, 3, 24), date(2026, 3, 31), time(18, 30))
    assert starts == [datetime(2026, 3, 24, 18, 30), datetime(2026, 3, 31, 17, 30)]  # stored as UTC
    assert {to_local(s).time() for s in starts} == {time(18, 30)}


def test_half_past_six_stays_half_past_six_local_across_the_autumn_clock_change():
    # Clocks go back on 25 October 2026.
    starts = occurrences(MonthlyNthWeekday(LAST, THURSDAY), date(2026, 9, 1), date(2026, 11, 30), time(18, 30))
    assert starts == [datetime(2026, 9, 24, 17, 30), datetime(2026, 10, 29, 18, 30), datetime(2026, 11, 26, 18, 30)]
    assert {to_local(s).time() for s in starts} == {time(18, 30)}


def test_a_time_skipped_by_the_clocks_going_forward_is_refused_for_a_single_meeting():
    with pytest.raises(NonexistentLocalTime):
        to_utc(date(2026, 3, 29), time(1, 30))


def test_a_skipped_time_in_a_series_moves_an_hour_later():
    starts = occurrences(Weekly(1), date(2026, 3, 22), date(2026, 3, 29), time(1, 30))
    assert to_local(starts[1]).time() == time(2, 30)


def test_occurrences_are_capped():
    assert len(occurrences(Weekly(1), date(2026, 1, 1), date(2030, 1, 1), time(9, 0), limit=5)) == 5


@pytest.mark.parametrize("nth,weekday", [(0, 1), (5, 1), (1, 7)])
def test_nonsense_monthly_rules_are_refused(nth, weekday):
    with pytest.raises(ValueError):
        MonthlyNthWeekday(nth, weekday)


def test_a_series_is_stored_as_an_rfc_5545_rule_that_gives_back_its_meetings():
    first, until, at = date(2027, 1, 5), date(2027, 12, 31), time(18, 30)
    starts = occurrences(MonthlyNthWeekday(1, TUESDAY), first, until, at, limit=6)
    text = series_rule(MonthlyNthWeekday(1, TUESDAY), first, until, count=len(starts))
    assert text == "FREQ=MONTHLY;COUNT=6;BYDAY=+1TU"
    assert series_starts(text, datetime.combine(first, at)) == starts


def test_a_fortnightly_rule_across_the_spring_clock_change_keeps_the_wall_clock_time():
    first, at = date(2027, 3, 17), time(19, 0)
    starts = occurrences(Weekly(2), first, date(2027, 4, 30), at)
    text = series_rule(Weekly(2), first, date(2027, 4, 30), count=len(starts))
    assert text == "FREQ=WEEKLY;INTERVAL=2;COUNT=4"
    assert series_starts(text, datetime.combine(first, at)) == starts
    assert {to_local(s).strftime("%H:%M") for s in starts} == {"19:00"}
