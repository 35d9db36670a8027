"""Visible time (Pledge 3): the share of officers' duty time spent in the neighbourhood.

Duty time, plainly: each day an officer served the team in the month, less the days they
were on leave. Time away is a day (or a shift, counted as a day) taken from the
neighbourhood for court, training or other duties. Visible time is duty time less time away.
A day recorded twice (two overlapping abstractions) is taken away once; time away can never
be more than the duty time it is taken from.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain import months as calendar_months

COURT, TRAINING, OTHER_DUTIES, LEAVE = "court", "training", "other_duties", "leave"
REASONS = (COURT, TRAINING, OTHER_DUTIES, LEAVE)
TARGET_PERCENT = 80


@dataclass(frozen=True)
class Away:
    officer_id: int
    reason: str  # one of REASONS
    starts_on: date
    ends_on: date  # inclusive
    shifts: int | None = None  # shifts away within the dates; None: every day of them


@dataclass(frozen=True)
class Served:
    officer_id: int
    started_on: date
    ended_on: date | None  # inclusive; None: still serving


def _days(start, end):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def month_days(served, away, year, month):
    """(visible days, duty days) of the team's officers in the London month."""
    first, next_first = calendar_months.month_days(year, month)
    last = next_first - timedelta(days=1)
    visible_total = duty_total = 0.0
    away_by_officer = {}
    for a in away:
        if a.starts_on <= last and a.ends_on >= first:
            away_by_officer.setdefault(a.officer_id, []).append(a)
    spans_by_officer = {}
    for s in served:
        start, end = max(first, s.started_on), min(last, s.ended_on or last)
        if start <= end:
            spans_by_officer.setdefault(s.officer_id, []).append((start, end))
    for officer_id, spans in spans_by_officer.items():
        mine = away_by_officer.get(officer_id, [])
        if not mine and len(spans) == 1:  # the usual month: served throughout, nothing away
            start, end = spans[0]
            duty_total += (end - start).days + 1
            visible_total += (end - start).days + 1
            continue
        serving = {d for start, end in spans for d in _days(start, end)}
        leave = {d for a in mine if a.reason == LEAVE for d in _days(a.starts_on, a.ends_on)}
        duty = serving - leave
        whole_days = {d for a in mine if a.reason != LEAVE and a.shifts is None
                      for d in _days(a.starts_on, a.ends_on)} & duty
        shifts = 0.0
        for a in mine:
            if a.reason == LEAVE or a.shifts is None:
                continue
            span = (a.ends_on - a.starts_on).days + 1
            in_month = len(set(_days(a.starts_on, a.ends_on)) & duty)
            shifts += a.shifts * in_month / span  # spread evenly over the dates given
        taken = min(len(duty), len(whole_days) + shifts)
        duty_total += len(duty)
        visible_total += len(duty) - taken
    return round(visible_total, 1), round(duty_total, 1)


def counts_by_month(served, away, months, confirmed):
    """{(year, month): (visible days, duty days)} for the months a sergeant confirmed as fully
    recorded; other months are left out (not measured), never read as 100 %."""
    return {(y, m): month_days(served, away, y, m) for y, m in months if (y, m) in confirmed}
