"""The dissatisfaction route (Pledge 10): when someone tells us they are unhappy with our
service, we acknowledge it within the reply promise, offer to meet or call them, agree a plan
with a date, and record the outcome. Each stage is timed from when the feedback arrived
(the outcome from the date agreed in the plan); this module says which stages are done,
in time or late, waiting or overdue.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from app.domain.clock import DEFAULT_PROMISE
from app.domain.localtime import local_date, to_utc

ACKNOWLEDGED, OFFERED, PLAN_AGREED, OUTCOME = "acknowledged", "offered", "plan_agreed", "outcome"
STAGES = (ACKNOWLEDGED, OFFERED, PLAN_AGREED, OUTCOME)
DONE, DONE_LATE, WAITING, OVERDUE = "done", "done_late", "waiting", "overdue"
DEFAULT_OFFER_WITHIN = timedelta(days=5)
DEFAULT_PLAN_WITHIN = timedelta(days=14)


@dataclass(frozen=True)
class Route:
    received_at: datetime  # UTC, naive, as every time here
    acknowledged_at: datetime | None = None
    offered_at: datetime | None = None
    plan_agreed_at: datetime | None = None
    plan_due_on: date | None = None  # the date agreed with the resident
    outcome_at: datetime | None = None


@dataclass(frozen=True)
class Stage:
    key: str  # one of STAGES
    done_at: datetime | None
    due_at: datetime | None  # None: no date yet (an outcome before a plan is agreed)
    status: str  # DONE, DONE_LATE, WAITING or OVERDUE

    @property
    def in_time(self):
        return self.status == DONE

    @property
    def settled(self):
        """Kept or missed: done, or past its time."""
        return self.status != WAITING


def _status(done_at, due_at, now):
    if done_at is not None:
        return DONE if due_at is None or done_at <= due_at else DONE_LATE
    if due_at is not None and now > due_at:
        return OVERDUE
    return WAITING


@lru_cache(maxsize=1024)  # a pure function of the day; asked for by every route of a force
def end_of_day_utc(day):
    """The last moment of a London day, in UTC."""
    return to_utc(day + timedelta(days=1), time(0)) - timedelta(microseconds=1)


def stages(route, now, promise=DEFAULT_PROMISE, offer_within=DEFAULT_OFFER_WITHIN,
           plan_within=DEFAULT_PLAN_WITHIN):
    """The four stages of `route`, in order, each with when it was done, when it is due and
    its status at `now`."""
    received = route.received_at
    outcome_due = end_of_day_utc(route.plan_due_on) if route.plan_due_on else None
    due = {ACKNOWLEDGED: received + promise, OFFERED: received + offer_within,
           PLAN_AGREED: received + plan_within, OUTCOME: outcome_due}
    done = {ACKNOWLEDGED: route.acknowledged_at, OFFERED: route.offered_at, PLAN_AGREED: route.plan_agreed_at,
            OUTCOME: route.outcome_at}
    return [Stage(key, done[key], due[key], _status(done[key], due[key], now)) for key in STAGES]


def followed_through(route, now, promise=DEFAULT_PROMISE, offer_within=DEFAULT_OFFER_WITHIN,
                     plan_within=DEFAULT_PLAN_WITHIN):
    """For the Pledge figure: True when every stage after the acknowledgement that has been
    done or has fallen due was done in time, False when one was late or is overdue, None when
    none has yet (not yet due: neither kept nor missed). The acknowledgement has its own figure."""
    # The stages' statuses worked out directly (no Stage objects): a force's table asks this
    # of every route of every team. The same rule as stages(), tested against it.
    received = route.received_at
    outcome_due = end_of_day_utc(route.plan_due_on) if route.plan_due_on else None
    settled = False
    for done_at, due_at in ((route.offered_at, received + offer_within),
                            (route.plan_agreed_at, received + plan_within),
                            (route.outcome_at, outcome_due)):
        status = _status(done_at, due_at, now)
        if status == WAITING:
            continue
        if status != DONE:
            return False
        settled = True
    return True if settled else None


def counts_by_month(routes, months, now, **rules):
    """{(year, month): (followed through in time, settled)} by the London month received."""
    counts = {}
    for route in routes:
        day = local_date(route.received_at)
        key = (day.year, day.month)
        if key not in months:
            continue
        kept = followed_through(route, now, **rules)
        if kept is None:
            continue
        done, total = counts.get(key, (0, 0))
        counts[key] = (done + int(kept), total + 1)
    return counts
