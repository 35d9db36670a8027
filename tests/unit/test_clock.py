"""The 24-hour reply clock and the compliance figures, without Flask."""
from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain import clock
from app.domain.clock import MessageFacts

RECEIVED = datetime(2026, 11, 18, 10, 0)


def test_the_deadline_is_24_hours_after_the_message_arrives():
    assert clock.deadline(RECEIVED) == datetime(2026, 11, 19, 10, 0)
    assert clock.time_left(RECEIVED, RECEIVED + timedelta(hours=20)) == timedelta(hours=4)


def test_a_message_without_a_human_reply_is_waiting_then_at_risk_then_overdue():
    assert clock.status(RECEIVED, None, RECEIVED + timedelta(hours=15)) == clock.WAITING
    assert clock.status(RECEIVED, None, RECEIVED + timedelta(hours=16)) == clock.AT_RISK
    assert clock.status(RECEIVED, None, RECEIVED + timedelta(hours=24)) == clock.AT_RISK
    assert clock.status(RECEIVED, None, RECEIVED + timedelta(hours=24, seconds=1)) == clock.OVERDUE


def test_a_human_reply_stops_the_clock_whenever_we_look():
    replied = RECEIVED + timedelta(hours=23)
    assert clock.status(RECEIVED, replied, RECEIVED + timedelta(days=30)) == clock.ANSWERED
    late = RECEIVED + timedelta(hours=25)
    assert clock.status(RECEIVED, late, RECEIVED + timedelta(days=30)) == clock.ANSWERED_LATE
    assert not clock.is_overdue(RECEIVED, replied, RECEIVED + timedelta(days=30))


def test_escalation_levels_are_due_once_their_hours_have_passed_without_a_reply():
    assert clock.escalation_levels_due(RECEIVED, None, RECEIVED + timedelta(hours=15, minutes=59)) == []
    assert clock.escalation_levels_due(RECEIVED, None, RECEIVED + timedelta(hours=16)) == [16]
    assert clock.escalation_levels_due(RECEIVED, None, RECEIVED + timedelta(hours=30)) == [16, 24]
    assert clock.escalation_levels_due(RECEIVED, RECEIVED, RECEIVED + timedelta(hours=30)) == []
    assert clock.escalation_levels_due(RECEIVED, None, RECEIVED + timedelta(hours=9), levels=(8,)) == [8]


def test_percentiles_are_nearest_rank():
    values = list(range(1, 11))
    assert clock.percentile(values, 0.5) == 5
    assert clock.percentile(values, 0.9) == 9
    assert clock.percentile([7], 0.9) == 7
    assert clock.percentile([], 0.5) is None


def test_figures_count_unanswered_messages_with_the_time_they_have_waited_so_far():
    now = RECEIVED + timedelta(hours=48)
    messages = [
        MessageFacts(RECEIVED, RECEIVED + timedelta(hours=1), closed=True),
        MessageFacts(RECEIVED, RECEIVED + timedelta(hours=30)),
        MessageFacts(RECEIVED, None, got_receipt=True),
        MessageFacts(RECEIVED, None, got_receipt=False),
    ]
    figures = clock.figures(messages, now)
    assert figures.received == 4 and figures.answered_in_time == 1 and figures.percent_in_time == 25.0
    assert figures.median_wait == 30 * 3600 and figures.longest_wait == 48 * 3600
    assert figures.still_open == 3 and figures.receipt_only == 1


def test_london_months_start_at_london_midnight():
    assert clock.month_bounds(2026, 7) == (datetime(2026, 6, 30, 23, 0), datetime(2026, 7, 31, 23, 0))
    assert clock.month_bounds(2026, 12) == (datetime(2026, 12, 1, 0, 0), datetime(2027, 1, 1, 0, 0))


def test_weekend_spans_are_london_saturdays_and_sundays():
    start, end = clock.month_bounds(2026, 11)
    spans = clock.weekend_spans(start, end)
    assert spans[0] == (datetime(2026, 11, 1, 0, 0), datetime(2026, 11, 2, 0, 0))  # Sunday 1st
    assert spans[1] == (datetime(2026, 11, 7, 0, 0), datetime(2026, 11, 9, 0, 0))
    assert len(spans) == 5
    summer = clock.weekend_spans(*clock.month_bounds(2026, 7))
    assert summer[0] == (datetime(2026, 7, 3, 23, 0), datetime(2026, 7, 5, 23, 0))


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)))
def test_a_moment_is_in_a_weekend_span_exactly_when_it_is_a_london_weekend(moment):
    spans = clock.weekend_spans(moment - timedelta(days=3), moment + timedelta(days=3))
    assert any(a <= moment < b for a, b in spans) == clock.is_weekend(moment)


def test_previous_months_are_the_complete_months_before_today():
    assert clock.previous_months(datetime(2026, 2, 10).date(), 3) == [(2026, 1), (2025, 12), (2025, 11)]


def test_local_date_is_the_london_date_across_both_clock_changes():
    from app.domain.localtime import local_date, to_local

    moment = datetime(2026, 3, 28, 22, 0)
    while moment < datetime(2026, 3, 30, 2, 0):
        assert local_date(moment) == to_local(moment).date(), moment
        moment += timedelta(minutes=1, microseconds=7)
    assert local_date(datetime(2026, 10, 24, 22, 59, 59, 999999)) == date(2026, 10, 24)
    assert local_date(datetime(2026, 10, 24, 23, 0)) == date(2026, 10, 25)
    assert local_date(datetime(2026, 10, 25, 23, 59, 59)) == date(2026, 10, 25)
    assert local_date(datetime(2026, 10, 26, 0, 0)) == date(2026, 10, 26)
