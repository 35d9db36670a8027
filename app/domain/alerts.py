"""Rules for email alerts, without Flask or the database.

* A digest covers the last complete period before today: the previous ISO week (Monday to
  Sunday) for weekly subscribers, the previous calendar month for monthly ones. It lists
  what was published in that period, and the meetings coming up in the next one.
* Nobody gets more than one alert email on a London calendar day; what is due waits for
  the next day and goes in that day's email.
* An officer's message reaches a subscriber who had confirmed before it was written and
  who lives in the neighbourhood, or in one of the postcode sectors it was sent to.
"""
from dataclasses import dataclass
from datetime import date, timedelta

WEEKLY, MONTHLY = "weekly", "monthly"


@dataclass(frozen=True)
class Period:
    key: str  # "2026-W47" or "2026-11"
    start: date  # first day
    end: date  # last day
    upcoming_until: date  # meetings before this day are "coming up" (exclusive)


def digest_period(frequency, today):
    """The period whose digest is due on ``today`` (a London date)."""
    if frequency == WEEKLY:
        this_monday = today - timedelta(days=today.weekday())
        start = this_monday - timedelta(days=7)
        year, week, _ = start.isocalendar()
        return Period(f"{year}-W{week:02d}", start, this_monday - timedelta(days=1), this_monday + timedelta(days=7))
    if frequency == MONTHLY:
        first = today.replace(day=1)
        start = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return Period(f"{start:%Y-%m}", start, first - timedelta(days=1), following)
    raise ValueError(f"unknown frequency {frequency!r}")


def may_email(last_emailed_on, today):
    return last_emailed_on is None or last_emailed_on < today


def message_reaches(message_sectors, subscriber_sector):
    return not message_sectors or subscriber_sector in message_sectors


def digest_key(period):
    return f"digest:{period.key}"


def message_key(message_id):
    return f"message:{message_id}"
