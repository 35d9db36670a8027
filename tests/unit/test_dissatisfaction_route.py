"""The dissatisfaction route (Pledge 10): acknowledged, offered a meeting or call, a plan
with a date agreed, the outcome by that date; each stage timed."""
from datetime import date, datetime, timedelta

from app.domain import dissatisfaction as route
from app.domain.dissatisfaction import DONE, DONE_LATE, OVERDUE, WAITING, Route

RECEIVED = datetime(2026, 10, 5, 9)  # a Monday, 10am London


def statuses(r, now):
    return [s.status for s in route.stages(r, now)]


def test_a_route_followed_in_time_is_done_at_every_stage():
    r = Route(RECEIVED, RECEIVED + timedelta(hours=3), RECEIVED + timedelta(days=2), RECEIVED + timedelta(days=6),
              date(2026, 10, 30), datetime(2026, 10, 30, 15))
    assert statuses(r, datetime(2026, 11, 18)) == [DONE, DONE, DONE, DONE]
    assert route.followed_through(r, datetime(2026, 11, 18)) is True


def test_stages_wait_until_due_then_are_overdue():
    fresh = Route(RECEIVED, RECEIVED + timedelta(hours=1))
    assert statuses(fresh, RECEIVED + timedelta(days=1)) == [DONE, WAITING, WAITING, WAITING]
    assert route.followed_through(fresh, RECEIVED + timedelta(days=1)) is None  # not yet due
    assert statuses(fresh, RECEIVED + timedelta(days=5, seconds=1)) == [DONE, OVERDUE, WAITING, WAITING]
    assert route.followed_through(fresh, RECEIVED + timedelta(days=6)) is False


def test_the_outcome_is_due_by_the_end_of_the_london_day_agreed():
    r = Route(RECEIVED, RECEIVED, RECEIVED, RECEIVED, date(2026, 10, 30), None)
    [*_, outcome] = route.stages(r, datetime(2026, 10, 30, 22))  # 10pm UTC = 10pm GMT on the 30th
    assert outcome.due_at == datetime(2026, 10, 30, 23, 59, 59, 999999) and outcome.status == WAITING
    assert route.stages(r, datetime(2026, 10, 31, 0, 1))[-1].status == OVERDUE
    no_plan = route.stages(Route(RECEIVED), RECEIVED)[-1]
    assert no_plan.due_at is None and no_plan.status == WAITING


def test_a_stage_done_late_misses_the_month_and_the_clocks_are_configurable():
    r = Route(RECEIVED, RECEIVED, RECEIVED + timedelta(days=8))
    now = RECEIVED + timedelta(days=9)
    assert statuses(r, now)[1] == DONE_LATE and route.followed_through(r, now) is False
    assert route.followed_through(r, now, offer_within=timedelta(days=10)) is True


def test_counts_by_month_leave_out_what_is_not_yet_due():
    kept = Route(RECEIVED, RECEIVED, RECEIVED + timedelta(days=1), RECEIVED + timedelta(days=2), date(2026, 11, 30))
    missed = Route(datetime(2026, 10, 20, 9), None)
    waiting = Route(datetime(2026, 10, 31, 9), datetime(2026, 10, 31, 10))
    now = datetime(2026, 11, 2)
    assert route.counts_by_month([kept, missed, waiting], {(2026, 10)}, now) == {(2026, 10): (1, 2)}


def test_followed_through_is_every_settled_stage_after_the_acknowledgement_done_in_time():
    # followed_through works the statuses out without building the stages (a force's table asks
    # it of every route): on every mix of done in time, done late, not done, with and without a
    # plan date, and at times before, at and after each clock, it agrees with stages().
    import itertools
    offset_choices = (None, timedelta(hours=2), timedelta(days=5), timedelta(days=5, microseconds=1),
                      timedelta(days=14), timedelta(days=20))
    plan_dates = (None, date(2026, 10, 25), date(2026, 10, 31))  # the 25th is the day the clocks go back
    outcome_choices = (None, datetime(2026, 10, 25, 22, 59, 59), datetime(2026, 10, 25, 23, 0),
                       datetime(2026, 11, 1, 0, 0))
    nows = (RECEIVED + timedelta(days=1), RECEIVED + timedelta(days=5), RECEIVED + timedelta(days=5, seconds=1),
            RECEIVED + timedelta(days=15), datetime(2026, 10, 25, 23, 30), datetime(2026, 12, 1))
    rules = ({}, {"offer_within": timedelta(days=2), "plan_within": timedelta(days=30)})
    checked = 0
    for offered, planned, plan_due_on, outcome, now, rule in itertools.product(
            offset_choices, offset_choices, plan_dates, outcome_choices, nows, rules):
        r = Route(RECEIVED, RECEIVED + timedelta(hours=1), offered and RECEIVED + offered,
                  planned and RECEIVED + planned, plan_due_on, outcome)
        settled = [s for s in route.stages(r, now, **rule)[1:] if s.settled]
        expected = all(s.in_time for s in settled) if settled else None
        assert route.followed_through(r, now, **rule) is expected, (r, now, rule)
        checked += 1
    assert checked == 6 * 6 * 3 * 4 * 6 * 2
