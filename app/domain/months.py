"""Calendar months as the data names them: "YYYY-MM" strings (data.police.uk) and
(year, month) pairs (the Pledge and compliance figures)."""
from datetime import date, datetime

from app.domain.localtime import london_midnight_utc


def previous_month(month: str) -> str:
    """"2026-02" for "2026-03"; "2025-12" for "2026-01"."""
    year, number = int(month[:4]), int(month[5:7])
    year, number = (year - 1, 12) if number == 1 else (year, number - 1)
    return f"{year:04d}-{number:02d}"


def previous_months(today: date, count: int) -> list[tuple[int, int]]:
    """(year, month) of the `count` whole months before the month of `today`, newest first."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append((year, month))
    return months


def month_days(year: int, month: int) -> tuple[date, date]:
    """First day of the month and first day of the next: [start, end) as dates."""
    return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The first and last instant of a London calendar month, as naive UTC [start, end)."""
    first, following = month_days(year, month)
    return london_midnight_utc(first), london_midnight_utc(following)
