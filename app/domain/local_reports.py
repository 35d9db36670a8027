"""Local problems residents report on a map: the types, and the only form in which the
public may see them — counts by type on a coarse grid, over whole calendar quarters,
with small counts suppressed.

Plain Python: no Flask, no database. The pages, the API and the staff area call these.

Why this grid and this threshold
--------------------------------
- A cell is 0.009° of latitude by 0.015° of longitude, about 1 km by 1 km in England and
  Wales (0.9–1.1 km east-west from Cornwall to Northumberland). A kilometre square holds
  hundreds to thousands of homes in a town, so a cell never points at a house or a street.
- A count is published only when at least THRESHOLD (5) reports of one type fall in one
  cell in one period: the small-number rule of much official statistics. With 5, someone
  who knows they reported (or who reported) a problem still cannot tell which of the
  others were whose.
- Differencing: every number published (a cell's count of a type, a cell's total, an
  area's total of a type) is a sum of published cell counts only. A total is never
  worked out from the raw reports, so no published total minus published parts can
  reveal a suppressed cell. The grid is fixed (anchored at 0°, 0°) and counts are made
  over every report in a cell, whichever team it went to, so two neighbouring teams'
  pages cannot be subtracted from one another either.
- Periods are whole calendar quarters, published once they have ended: a quarter's figures
  never change afterwards (reports are dated when received, never back-dated), and
  quarters do not overlap, so comparing two days' or two windows' figures reveals no
  single report.
"""
import math
from collections import Counter, namedtuple
from datetime import date, datetime, time

from app.domain.localtime import to_utc

# Stored key -> English label (the web layer translates). The anti-social behaviour and
# crime types residents raise at meetings and in HMIC's inspection.
PROBLEM_TYPES = ("speeding", "parking", "drug_dealing", "noise", "litter", "vandalism", "groups", "other")

CELL_LAT_DEGREES = 0.009
CELL_LON_DEGREES = 0.015
THRESHOLD = 5
EDGE = 1e-9  # of a cell: well under a millimetre

# England and Wales lie within this box (with the Scilly Isles and Anglesey); a point outside
# it cannot be in any neighbourhood the portal covers.
ENGLAND_AND_WALES = (49.8, -6.5, 55.9, 1.8)  # south, west, north, east

Cell = namedtuple("Cell", "row col")
CellCounts = namedtuple("CellCounts", "cell south west north east counts total")


def plausible_point(latitude, longitude):
    """Whether (latitude, longitude) are real numbers inside England and Wales's box."""
    try:
        latitude, longitude = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return False
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return False
    south, west, north, east = ENGLAND_AND_WALES
    return south <= latitude <= north and west <= longitude <= east


def cell_of(latitude, longitude):
    """The grid cell a point falls in. Cells are half-open: south and west edges belong to the cell
    (EDGE keeps an edge computed by cell_bounds on its own side despite floating-point rounding)."""
    return Cell(math.floor(latitude / CELL_LAT_DEGREES + EDGE), math.floor(longitude / CELL_LON_DEGREES + EDGE))


def cell_bounds(cell):
    """(south, west, north, east) of a cell, in degrees."""
    return (cell.row * CELL_LAT_DEGREES, cell.col * CELL_LON_DEGREES,
            (cell.row + 1) * CELL_LAT_DEGREES, (cell.col + 1) * CELL_LON_DEGREES)


def cell_centre(latitude, longitude):
    """The middle of the cell a point falls in: where an anonymised report is kept, so that the
    published counts (which know only the cell) do not change."""
    south, west, north, east = cell_bounds(cell_of(latitude, longitude))
    return (south + north) / 2, (west + east) / 2


def aggregate(reports, threshold=THRESHOLD):
    """Public counts from reports given as (latitude, longitude, problem_type).

    Returns the cells with anything to show, each with `counts` {type: n} holding only
    types with n >= threshold and `total` the sum of those counts (never the raw total),
    sorted north to south, west to east."""
    raw = Counter((cell_of(lat, lon), kind) for lat, lon, kind in reports)
    shown = {}
    for (cell, kind), n in raw.items():
        if n >= threshold:
            shown.setdefault(cell, {})[kind] = n
    result = []
    for cell in sorted(shown, key=lambda c: (-c.row, c.col)):
        counts = {kind: shown[cell][kind] for kind in PROBLEM_TYPES if kind in shown[cell]}
        counts.update({k: v for k, v in shown[cell].items() if k not in counts})
        result.append(CellCounts(cell, *cell_bounds(cell), counts, sum(counts.values())))
    return result


def cells_within(cells, south, west, north, east):
    """The cells that overlap a box (an area's bounds): whole cells, never parts of them."""
    return [c for c in cells if c.north > south and c.south < north and c.east > west and c.west < east]


def type_totals(cells):
    """{type: n} over published cells: sums of published counts only, so nothing suppressed
    can be found by subtracting."""
    totals = Counter()
    for cell in cells:
        totals.update(cell.counts)
    return {kind: totals[kind] for kind in PROBLEM_TYPES if totals[kind]} | {
        k: v for k, v in totals.items() if k not in PROBLEM_TYPES}


def quarter_of(day):
    """(year, quarter) of a date or datetime."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year, quarter):
    """[start, end) of a calendar quarter in London, as naive UTC (how the portal stores times)."""
    start = to_utc(date(year, 3 * quarter - 2, 1), time())
    end = to_utc(date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1), time())
    return start, end


def previous_quarter(year, quarter):
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def latest_published_quarter(today):
    """The most recent quarter that has ended by `today`: the newest the public may see."""
    return previous_quarter(*quarter_of(today))


def published_quarters(today, count=4):
    """The last `count` ended quarters, newest first."""
    quarters = [latest_published_quarter(today)]
    while len(quarters) < count:
        quarters.append(previous_quarter(*quarters[-1]))
    return quarters


def parse_quarter(text):
    """"2026-Q3" -> (2026, 3), or None."""
    try:
        year, q = text.upper().split("-Q")
        year, q = int(year), int(q)
    except (AttributeError, ValueError):
        return None
    return (year, q) if 2000 <= year <= 2100 and 1 <= q <= 4 else None


def quarter_key(year, quarter):
    return f"{year}-Q{quarter}"


def top_types(counts, limit=3):
    """The most reported types from {type: n}, most first, ties in PROBLEM_TYPES order."""
    order = {kind: i for i, kind in enumerate(PROBLEM_TYPES)}
    ranked = sorted(((n, kind) for kind, n in counts.items() if n > 0),
                    key=lambda item: (-item[0], order.get(item[1], len(order))))
    return [(kind, n) for n, kind in ranked[:limit]]


def months_by_type(reports, months):
    """{(year, month): {type: n}} for reports given as (received_at, type), over `months`
    [(year, month)…]: the staff table (exact counts: staff see everything)."""
    table = {month: Counter() for month in months}
    for received_at, kind in reports:
        key = (received_at.year, received_at.month)
        if key in table:
            table[key][kind] += 1
    return table

