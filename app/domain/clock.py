"""The 24-hour reply clock (Pledge point 4) and the compliance figures built on it.

Plain functions of timestamps and a `now` passed in: nothing here is stored, so
"overdue" can never go stale. Timestamps are naive UTC, as in the database; months
and weekends are those of Europe/London, where the teams and residents are.
"""
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from app.domain.localtime import LONDON, london_midnight_utc
from app.domain.months import month_bounds, previous_months  # noqa: F401  (the figures count London months)

DEFAULT_PROMISE = timedelta(hours=24)
DEFAULT_ESCALATION_HOURS = (16, 24)

ANSWERED, ANSWERED_LATE, WAITING, AT_RISK, OVERDUE = "answered", "answered_late", "waiting", "at_risk", "overdue"


def deadline(received_at, promise=DEFAULT_PROMISE):
    return received_at + promise


def time_left(received_at, now, promise=DEFAULT_PROMISE):
    """Negative once the deadline has passed."""
    return deadline(received_at, promise) - now


def status(received_at, first_human_reply_at, now, promise=DEFAULT_PROMISE, at_risk_after=timedelta(hours=16)):
    """Where a message stands against the promise. Only a human reply stops the clock."""
    if first_human_reply_at is not None:
        return ANSWERED if first_human_reply_at <= deadline(received_at, promise) else ANSWERED_LATE
    if now > deadline(received_at, promise):
        return OVERDUE
    if now >= received_at + at_risk_after:
        return AT_RISK
    return WAITING


def is_overdue(received_at, first_human_reply_at, now, promise=DEFAULT_PROMISE):
    return status(received_at, first_human_reply_at, now, promise) == OVERDUE


def escalation_levels_due(received_at, first_human_reply_at, now, levels=DEFAULT_ESCALATION_HOURS):
    """The escalation levels (hours without a human reply) reached by `now`, lowest first."""
    if first_human_reply_at is not None:
        return []
    waited = now - received_at
    return [level for level in sorted(levels) if waited >= timedelta(hours=level)]


def percentile(sorted_values, fraction):
    """Nearest-rank percentile: the smallest value with at least `fraction` of values at or below it."""
    if not sorted_values:
        return None
    return sorted_values[nearest_rank(len(sorted_values), fraction) - 1]


def nearest_rank(count, fraction):
    """The 1-based rank of the nearest-rank percentile among `count` sorted values. The product
    is a double, as in PostgreSQL's percentile_disc (0.9 * 70 is just over 63: rank 64)."""
    return max(1, math.ceil(fraction * count))


@dataclass(frozen=True)
class Figures:
    """One team's figures for one period. Waits are in seconds; a message without a
    human reply counts with the time it has waited so far (it cannot flatter the median)."""

    received: int = 0
    answered_in_time: int = 0
    median_wait: float | None = None
    p90_wait: float | None = None
    longest_wait: float | None = None
    still_open: int = 0
    receipt_only: int = 0
    # Not answered yet but still inside the promise: neither kept nor missed, so they are
    # left out of the share (a month in progress reads "4 of 6 due", not "4 of 9").
    not_yet_due: int = 0

    @property
    def due(self):
        return self.received - self.not_yet_due

    @property
    def percent_in_time(self):
        return None if not self.due else round(100 * self.answered_in_time / self.due, 1)


@dataclass(frozen=True)
class MessageFacts:
    received_at: datetime
    first_human_reply_at: datetime | None
    closed: bool = False
    got_receipt: bool = True


def figures(messages, now, promise=DEFAULT_PROMISE):
    """The compliance figures of a list of MessageFacts: the reference for the SQL report."""
    messages = list(messages)
    waits = sorted(wait_seconds(m.received_at, m.first_human_reply_at, now) for m in messages)
    return Figures(
        received=len(messages),
        answered_in_time=sum(1 for m in messages if m.first_human_reply_at is not None
                             and m.first_human_reply_at - m.received_at <= promise),
        median_wait=percentile(waits, 0.5),
        p90_wait=percentile(waits, 0.9),
        longest_wait=waits[-1] if waits else None,
        still_open=sum(1 for m in messages if not m.closed),
        receipt_only=sum(1 for m in messages if m.first_human_reply_at is None and m.got_receipt),
        not_yet_due=sum(1 for m in messages if is_not_yet_due(m.received_at, m.first_human_reply_at, now, promise)),
    )


def is_not_yet_due(received_at, first_human_reply_at, now, promise=DEFAULT_PROMISE):
    """Unanswered, with time still left on the clock: not yet a miss, not yet kept."""
    return first_human_reply_at is None and now < deadline(received_at, promise)


def wait_seconds(received_at, first_human_reply_at, now):
    return ((first_human_reply_at or now) - received_at).total_seconds()


def wait_ms(received_at, replied_at):
    """The wait from `received_at` to `replied_at` in whole milliseconds, half a millisecond
    rounded up: what a message stores with its first human reply (the report's precision)."""
    return ((replied_at - received_at) // timedelta(microseconds=1) + 500) // 1000


def weekend_spans(start, end):
    """[from, to) naive-UTC spans of London Saturdays and Sundays overlapping [start, end)."""
    spans = []
    day = start.replace(tzinfo=timezone.utc).astimezone(LONDON).date() - timedelta(days=1)
    while london_midnight_utc(day) < end:
        if day.weekday() == 5:
            span = (max(london_midnight_utc(day), start), min(london_midnight_utc(day + timedelta(days=2)), end))
            if span[0] < span[1]:
                spans.append(span)
        day += timedelta(days=1)
    return spans


def is_weekend(received_at):
    return received_at.replace(tzinfo=timezone.utc).astimezone(LONDON).weekday() >= 5
