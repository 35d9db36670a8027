"""Recurring meetings: "first Tuesday of the month", "every second Wednesday".

A rule yields local dates (an RFC 5545 rule, through dateutil.rrule); each is combined
with the same local start time and then turned into UTC, so 18:30 stays 18:30 for
residents on both sides of a clock change.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from app.domain.localtime import NonexistentLocalTime, to_utc

MAX_OCCURRENCES = 52
LAST = -1  # "the last Thursday of the month"


@dataclass(frozen=True)
class Weekly:
    """Every `every` weeks on the weekday of the first date."""

    every: int = 1

    def rule(self, first: date, until: date) -> rrule:
        if self.every < 1:
            raise ValueError("every must be at least 1")
        return rrule(WEEKLY, interval=self.every, dtstart=_midnight(first), until=_midnight(until))

    def dates(self, first: date, until: date):
        return (start.date() for start in self.rule(first, until))


@dataclass(frozen=True)
class MonthlyNthWeekday:
    """The `nth` (1–4, or LAST) `weekday` (0 = Monday) of each month, from `first` on."""

    nth: int
    weekday: int

    def __post_init__(self):
        if self.nth not in (1, 2, 3, 4, LAST) or not 0 <= self.weekday <= 6:
            raise ValueError("nth must be 1-4 or LAST and weekday 0-6")

    def rule(self, first: date, until: date) -> rrule:
        return rrule(MONTHLY, byweekday=weekday(self.weekday, self.nth), dtstart=_midnight(first),
                     until=_midnight(until))

    def in_month(self, year: int, month: int) -> date:
        return self.rule(date(year, month, 1), date(year, month, 1) + timedelta(days=31))[0].date()

    def dates(self, first: date, until: date):
        return (start.date() for start in self.rule(first, until))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def occurrences(rule, first: date, until: date, at: time, limit: int = MAX_OCCURRENCES) -> list[datetime]:
    """Naive UTC start times of the rule's meetings from `first` to `until`, at most `limit`.

    A local time skipped by the spring clock change moves an hour later that day, as a
    clock on the wall would show it."""
    starts = []
    for day in rule.dates(first, until):
        if len(starts) >= limit:
            break
        try:
            starts.append(to_utc(day, at))
        except NonexistentLocalTime:
            shifted = (datetime.combine(day, at) + timedelta(hours=1)).time()
            starts.append(to_utc(day, shifted))
    return starts
