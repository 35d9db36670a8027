"""Rules about what a team publishes: stale priorities, monthly meetings (Pledge 7)."""
from datetime import date, timedelta

from app.domain.months import previous_months

STALE_AFTER = timedelta(days=31)


def is_stale(agreed_on: date, latest_action_on: date | None, today: date) -> bool:
    """A current priority with no action update (nor agreement) for over a month."""
    last = agreed_on if latest_action_on is None else max(agreed_on, latest_action_on)
    return today - last > STALE_AFTER


def months_with_meetings(meeting_days: list[date], today: date, count: int = 6) -> list[tuple[int, int, bool]]:
    """For each of the last `count` whole months: (year, month, whether a meeting was held)."""
    held = {(d.year, d.month) for d in meeting_days if d < today}
    return [(year, month, (year, month) in held) for year, month in previous_months(today, count)]
