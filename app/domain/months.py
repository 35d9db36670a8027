"""Calendar months as the data names them: "YYYY-MM" strings (data.police.uk) and
(year, month) pairs (the Pledge and compliance figures)."""


def previous_month(month: str) -> str:
    """"2026-02" for "2026-03"; "2025-12" for "2026-01"."""
    year, number = int(month[:4]), int(month[5:7])
    year, number = (year - 1, 12) if number == 1 else (year, number - 1)
    return f"{year:04d}-{number:02d}"
