"""Times as people in England and Wales read them. The database stores naive UTC."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def to_london(naive_utc):
    """Naive UTC → aware Europe/London."""
    return naive_utc.replace(tzinfo=timezone.utc).astimezone(LONDON)


def local_iso(naive_utc):
    """Wall-clock time in London without an offset, as data.police.uk gives event times."""
    return to_london(naive_utc).replace(tzinfo=None).isoformat(timespec="seconds")


def meeting_end(starts_at, duration_minutes):
    return starts_at + timedelta(minutes=duration_minutes or 60)


def london_today(now_utc):
    return to_london(now_utc).date()


def london_midnight_utc(day):
    """The naive UTC instant at which a London calendar day starts."""
    start = datetime(day.year, day.month, day.day, tzinfo=LONDON)
    return start.astimezone(timezone.utc).replace(tzinfo=None)
