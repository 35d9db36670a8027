"""The confidence question's rules as pure functions: the share agreeing, its Wilson
interval, the calendar quarter, the minimum count, "did we answer" shares, and one answer
per source."""
from datetime import date, datetime

import pytest

from app.domain import confidence as rules
from app.domain.confidence import Quarter


# Known values of the 95 % Wilson score interval (z = 1.96): Newcombe (1998), Statistics in
# Medicine 17:857-872, table I, and R's prop.test(correct = FALSE) / binom::binom.wilson.
@pytest.mark.parametrize("successes, total, low, high", [
    (81, 263, 0.2553, 0.3662),   # Newcombe's example 1
    (15, 148, 0.0624, 0.1605),   # example 2
    (0, 20, 0.0, 0.1611),        # example 3: none agree, the interval is not empty
    (1, 29, 0.0061, 0.1718),     # example 4
    (10, 10, 0.7225, 1.0),       # everyone agrees: the upper bound is 1, the lower far below
    (5, 10, 0.2366, 0.7634),
])
def test_the_wilson_interval_matches_published_values(successes, total, low, high):
    got_low, got_high = rules.wilson_interval(successes, total)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


def test_the_wilson_interval_stays_inside_zero_and_one_where_the_normal_one_would_not():
    low, high = rules.wilson_interval(1, 12)
    p = 1 / 12
    normal_low = p - rules.Z_95 * (p * (1 - p) / 12) ** 0.5
    assert normal_low < 0 < low < p < high < 1


def test_no_interval_without_answers_and_nonsense_is_refused():
    assert rules.wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        rules.wilson_interval(5, 4)


def test_the_share_agreeing_counts_strongly_agree_and_agree_over_those_on_the_scale_not_dont_know():
    counts = {"strongly_agree": 10, "agree": 14, "neither": 6, "disagree": 5, "strongly_disagree": 5,
              "dont_know": 9}
    figure = rules.figure(Quarter(2026, 4), counts, minimum=30)
    assert (figure.agreeing, figure.on_scale, figure.dont_know, figure.responses) == (24, 40, 9, 49)
    assert figure.share == pytest.approx(0.6) and figure.percent == 60
    assert figure.interval == pytest.approx(rules.wilson_interval(24, 40))
    assert figure.interval_percent == (45, 74)


def test_below_the_minimum_nothing_is_shown_at_it_the_figure_is():
    quarter = Quarter(2026, 3)
    just_under = rules.figure(quarter, {"agree": 20, "disagree": 9, "dont_know": 40}, minimum=30)
    assert not just_under.shown and just_under.share is None and just_under.interval is None
    assert just_under.on_scale == 29  # don't know does not bring a quarter up to the minimum
    at_minimum = rules.figure(quarter, {"agree": 20, "disagree": 10}, minimum=30)
    assert at_minimum.shown and at_minimum.percent == 67


def test_the_default_minimum_is_thirty_answers_on_the_scale():
    assert rules.MINIMUM_RESPONSES == 30
    assert not rules.figure(Quarter(2026, 1), {"agree": 29}).shown
    assert rules.figure(Quarter(2026, 1), {"agree": 30}).shown


def test_nobody_answering_shows_nothing_even_with_a_minimum_of_zero():
    assert not rules.figure(Quarter(2026, 1), {}, minimum=0).shown


@pytest.mark.parametrize("day, key", [
    (date(2026, 1, 1), "2026-Q1"), (date(2026, 3, 31), "2026-Q1"), (date(2026, 4, 1), "2026-Q2"),
    (date(2026, 9, 30), "2026-Q3"), (date(2026, 10, 1), "2026-Q4"), (date(2026, 12, 31), "2026-Q4"),
])
def test_the_calendar_quarter_of_a_day(day, key):
    assert rules.quarter_of(day).key == key


def test_a_quarter_knows_its_first_and_last_days_and_its_neighbours():
    q4 = Quarter(2026, 4)
    assert (q4.first_day, q4.last_day) == (date(2026, 10, 1), date(2026, 12, 31))
    assert Quarter(2024, 1).last_day == date(2024, 3, 31)
    assert q4.following == Quarter(2027, 1) and Quarter(2027, 1).previous == q4
    assert rules.recent_quarters(date(2026, 2, 14), 3) == [Quarter(2025, 3), Quarter(2025, 4), Quarter(2026, 1)]


@pytest.mark.parametrize("key, expected", [
    ("2026-Q4", Quarter(2026, 4)), ("2026-Q5", None), ("2026Q4", None), ("", None), (None, None), ("abcd-Q1", None),
])
def test_a_quarter_from_its_key(key, expected):
    assert rules.parse_quarter(key) == expected


def test_one_answer_per_source_a_second_replaces_the_first_within_its_quarter_and_not_after():
    first = date(2026, 11, 3)
    assert rules.second_answer(None, first) == rules.NEW
    assert rules.second_answer(first, date(2026, 12, 31)) == rules.REPLACE
    assert rules.second_answer(first, date(2027, 1, 1)) == rules.LOCKED


def test_asked_about_a_message_only_after_a_person_replied():
    assert not rules.may_ask_after_message(None)
    assert rules.may_ask_after_message(datetime(2026, 11, 3, 9))
    assert not rules.may_ask_after_message(datetime(2026, 11, 3, 9), anonymised=True)


def test_did_we_answer_shares():
    shares = rules.answered_shares({"yes": 6, "partly": 3, "no": 1})
    assert shares.total == 10
    assert shares.shares == pytest.approx({"yes": 0.6, "partly": 0.3, "no": 0.1})
    assert shares.percent("no") == 10
    assert shares.shown(10) and not shares.shown(11)
    nobody = rules.answered_shares({})
    assert nobody.total == 0 and nobody.shares == {"yes": None, "partly": None, "no": None}


def test_percentages_round_half_up():
    assert [rules.percent(x) for x in (0.125, 0.135, 0.5, 0.995, None)] == [13, 14, 50, 100, None]
