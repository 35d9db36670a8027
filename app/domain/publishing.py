"""Rules about what a team publishes: stale priorities, monthly meetings (Pledge 7)."""
from datetime import date, timedelta

STALE_AFTER = timedelta(days=31)


def is_stale(agreed_on: date, latest_action_on: date | None, today: date) -> bool:
    """A current priority with no action update (nor agreement) for over a month."""
    last = max(d for d in (agreed_on, latest_action_on) if d is not None)
    return today - last > STALE_AFTER


def last_months(today: date, count: int = 6) -> list[tuple[int, int]]:
    """(year, month) of the `count` months before the current one, most recent first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append((year, month))
    return months


def months_with_meetings(meeting_days: list[date], today: date, count: int = 6) -> list[tuple[int, int, bool]]:
    """For each of the last `count` whole months: (year, month, whether a meeting was held)."""
    held = {(d.year, d.month) for d in meeting_days if d < today}
    return [(year, month, (year, month) in held) for year, month in last_months(today, count)]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First day of the month and first day of the next."""
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start, end
