"""The monthly crime summary in alert emails: a neighbourhood's figures for the latest month
of crime data, and how they compare with the month before.

It goes, once per month of data, in a subscriber's first digest after that month was
imported (for monthly subscribers, usually their next monthly digest). Only the latest
month is summarised: a subscriber who missed one does not get a backlog of old figures.
"""
from dataclasses import dataclass
from typing import NamedTuple

from app.domain.months import previous_month

TOP_CATEGORIES = 3


@dataclass(frozen=True)
class CrimeSummary:
    month: str  # "2018-07"
    total: int  # crimes and anti-social behaviour reports
    top: tuple  # ((category, n), …) most common first
    previous_month: str | None  # None when the month before has no data
    previous_total: int | None

    @property
    def change(self):
        return None if self.previous_total is None else self.total - self.previous_total


def summarise(month, counts, previous_counts=None, top=TOP_CATEGORIES):
    """``counts``: {category: n} for the month; ``previous_counts``: the same for the month
    before, or None when there is no data for it (then no change is given)."""
    ranked = sorted(((c, n) for c, n in counts.items() if n), key=lambda item: (-item[1], item[0]))
    return CrimeSummary(
        month=month,
        total=sum(counts.values()),
        top=tuple(ranked[:top]),
        previous_month=None if previous_counts is None else previous_month(month),
        previous_total=None if previous_counts is None else sum(previous_counts.values()),
    )


def summary_key(month):
    """The AlertDelivery key recording that a subscriber had this month's summary."""
    return f"crime:{month}"


class ByCategory(NamedTuple):
    """A month's crimes by type against the month before (None: no data for the month before)."""

    rows: list  # [(category, n, previous n or None, change or None)], most common first
    total: int
    previous_total: int | None
    total_change: int | None


def by_category(counts, previous):
    """The crime page's table: {category: n} of the month, and of the month before or None."""
    names = sorted(set(counts) | set(previous or {}), key=lambda c: (-counts.get(c, 0), c))
    rows = []
    for name in names:
        n = counts.get(name, 0)
        before = None if previous is None else previous.get(name, 0)
        rows.append((name, n, before, None if before is None else n - before))
    total = sum(counts.values())
    previous_total = None if previous is None else sum(previous.values())
    return ByCategory(rows, total, previous_total, None if previous_total is None else total - previous_total)
