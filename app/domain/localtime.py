"""Local (Europe/London) wall-clock times and the naive UTC the database stores.

Officers type the time a meeting starts as people in the neighbourhood read it; the
database keeps naive UTC. Summer time is the zone's business, never a fixed offset.
"""
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class NonexistentLocalTime(ValueError):
    """The wall-clock time is skipped when the clocks go forward (e.g. 01:30 in late March)."""


def to_utc(day: date, at: time) -> datetime:
    """Naive UTC for a London wall-clock time; in the repeated hour in autumn, the first one."""
    local = datetime.combine(day, at).replace(tzinfo=LONDON, fold=0)
    round_trip = local.astimezone(timezone.utc).astimezone(LONDON)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{day} {at} does not exist in Europe/London")
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def to_local(utc: datetime) -> datetime:
    """An aware London datetime for a naive UTC one."""
    return utc.replace(tzinfo=timezone.utc).astimezone(LONDON)


@lru_cache(maxsize=100_000)
def _london_offset_in_hour(day_number: int, hour: int) -> timedelta:
    return to_local(datetime.fromordinal(day_number).replace(hour=hour)).utcoffset()


def local_date(utc: datetime) -> date:
    """The London date of a naive UTC instant, as to_local(utc).date(). London's offset only
    changes on a UTC hour (01:00), so it is looked up once per hour: the Pledge figures turn
    tens of thousands of timestamps into London days per page."""
    return (utc + _london_offset_in_hour(utc.toordinal(), utc.hour)).date()


def local_today(now_utc: datetime) -> date:
    """The London date at a naive UTC instant."""
    return to_local(now_utc).date()


def local_iso(naive_utc: datetime) -> str:
    """Wall-clock time in London without an offset, as data.police.uk gives event times."""
    return to_local(naive_utc).replace(tzinfo=None).isoformat(timespec="seconds")


def meeting_end(starts_at: datetime, duration_minutes: int | None) -> datetime:
    return starts_at + timedelta(minutes=duration_minutes or 60)


def london_midnight_utc(day: date) -> datetime:
    """The naive UTC instant at which a London calendar day starts."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(timezone.utc).replace(tzinfo=None)
