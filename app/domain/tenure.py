"""How long an officer has served a neighbourhood (Pledge 3), in whole months."""
from bisect import bisect_left, bisect_right
from datetime import date


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months if months > 0 else 0


def tenure(start: date, today: date) -> tuple[int, int]:
    """(years, months) served from `start` to `today`."""
    return divmod(months_between(start, today), 12)


def serving_on(started_on: date, ended_on: date | None, day: date) -> bool:
    """Whether a membership from `started_on` to `ended_on` (inclusive; None = still serving) covers `day`."""
    return started_on <= day and (ended_on is None or ended_on >= day)


def serving_range(started_on: date, ended_on: date | None, days) -> range:
    """The indices of the sorted `days` on which serving_on holds: a team's month ends, found
    by two bisections instead of a test a day."""
    return range(bisect_left(days, started_on), len(days) if ended_on is None else bisect_right(days, ended_on))
