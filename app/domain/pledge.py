"""How a team is doing against the Pledge (point 8), month by month over the last 12 months.

Each measure gives one value a month and one for the whole period, graded the way
inspectors grade (Excellent / Good / Fair / Poor) against thresholds from config
(PLEDGE_THRESHOLDS). A month with nothing to measure (no messages, no current priorities,
no officers listed) has no value and no grade: it is never shown as 100% or 0%.

The rules measured are those of the rest of the portal, called from here, not copied:
the 24-hour clock (app.domain.clock, through the SQL report), the monthly-meeting and
stale-priority rules (app.domain.publishing) and tenure (app.domain.tenure).
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from app.domain import months as calendar_months
from app.domain import publishing, tenure

EXCELLENT, GOOD, FAIR, POOR = "excellent", "good", "fair", "poor"
BANDS = (EXCELLENT, GOOD, FAIR)  # checked in this order; below the last one given is POOR
MET = (EXCELLENT, GOOD)  # a month graded Fair or Poor is a missed promise

MESSAGES, FEEDBACK, MEETINGS, PRIORITIES, UPDATES, TENURE = (
    "messages", "feedback", "meetings", "priorities", "updates", "tenure")
MEASURES = (MESSAGES, FEEDBACK, MEETINGS, PRIORITIES, UPDATES, TENURE)
PERCENT, MONTHS_SERVED = "percent", "months"
UNITS = {MESSAGES: PERCENT, FEEDBACK: PERCENT, MEETINGS: PERCENT, PRIORITIES: PERCENT, UPDATES: PERCENT,
         TENURE: MONTHS_SERVED}
PERIOD_MONTHS = 12


def grade(value, thresholds):
    """EXCELLENT, GOOD, FAIR or POOR for `value` (at or above a band's threshold is in it);
    None when there is nothing to grade. A band missing from `thresholds` is never given."""
    if value is None:
        return None
    for band in BANDS:
        limit = thresholds.get(band)
        if limit is not None and value >= limit:
            return band
    return POOR


def is_met(graded):
    return graded in MET


def is_missed(graded):
    return graded is not None and graded not in MET


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    value: float | None  # what is graded: a percentage, or months served; None = nothing to measure
    grade: str | None
    done: int | None = None  # e.g. messages answered in time, meetings held, posts published
    total: int | None = None  # e.g. messages received, current priorities

    @property
    def key(self):
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def met(self):
        return is_met(self.grade)

    @property
    def missed(self):
        return is_missed(self.grade)


@dataclass(frozen=True)
class Line:
    """One measure over the period: months oldest first, and the period's value and grade."""

    measure: str
    months: list[Month]
    value: float | None
    grade: str | None
    explanations: dict = field(default_factory=dict)  # {"YYYY-MM": text}

    @property
    def unit(self):
        return UNITS[self.measure]

    @property
    def latest(self):
        return self.months[-1]

    @property
    def months_measured(self):
        return sum(1 for m in self.months if m.grade is not None)

    @property
    def months_met(self):
        return sum(1 for m in self.months if m.met)

    @property
    def months_missed(self):
        return sum(1 for m in self.months if m.missed)

    @property
    def period_done(self):
        """Done over the whole period (messages answered in time, meetings held…); 0 for tenure,
        which is a median, not a count."""
        return 0 if self.measure == TENURE else sum(m.done or 0 for m in self.months)

    @property
    def period_total(self):
        return 0 if self.measure == TENURE else sum(m.total or 0 for m in self.months)

    @property
    def months_with_any(self):
        """Months in which at least one was done (a meeting held, a post published)."""
        return sum(1 for m in self.months if m.done)


def period(today, count=PERIOD_MONTHS):
    """The `count` whole London months before the month of `today`, oldest first."""
    return list(reversed(calendar_months.previous_months(today, count)))


def month_end(year, month):
    return calendar_months.month_days(year, month)[1] - timedelta(days=1)


def _percent(done, total):
    return None if not total else round(100 * done / total, 1)


def ratio_line(measure, counts, months, thresholds):
    """A measure that is a share: `counts` is {(year, month): (done, total)}; the period's
    value pools the months (all done over all received), so a quiet month weighs little."""
    rows = []
    for year, month in months:
        done, total = counts.get((year, month), (0, 0))
        value = _percent(done, total)
        rows.append(Month(year, month, value, grade(value, thresholds), done, total))
    done = sum(m.done for m in rows)
    total = sum(m.total for m in rows)
    value = _percent(done, total)
    return Line(measure, rows, value, grade(value, thresholds))


def monthly_habit_line(measure, held_by_month, counts, months, thresholds):
    """A promise kept each month or not (a meeting held, an update posted): a month is
    100% or 0%, the period the share of its months in which it was kept."""
    rows = []
    for year, month in months:
        value = 100.0 if held_by_month.get((year, month)) else 0.0
        rows.append(Month(year, month, value, grade(value, thresholds), counts.get((year, month), 0), 1))
    value = _percent(sum(1 for m in rows if m.value), len(rows))
    return Line(measure, rows, value, grade(value, thresholds))


def meetings_line(meeting_days, today, thresholds, count=PERIOD_MONTHS):
    """Public meetings held (London dates of meetings not cancelled, already started)."""
    held = {(y, m): was_held for y, m, was_held in publishing.months_with_meetings(meeting_days, today, count)}
    counts = Counter((d.year, d.month) for d in meeting_days if d < today)
    return monthly_habit_line(MEETINGS, held, counts, period(today, count), thresholds)


def updates_line(published_days, today, thresholds, count=PERIOD_MONTHS):
    """"You said – We did" posts: at least one published in the month."""
    counts = Counter((d.year, d.month) for d in published_days if d < today)
    held = {key: n > 0 for key, n in counts.items()}
    return monthly_habit_line(UPDATES, held, counts, period(today, count), thresholds)


@dataclass(frozen=True)
class PriorityFacts:
    agreed_on: date
    closed_on: date | None
    action_days: tuple = ()


def priority_counts(priorities, months):
    """{(year, month): (not stale, current)} at the end of each month, by the stale rule."""
    counts = {}
    for year, month in months:
        end = month_end(year, month)
        fresh = current = 0
        for p in priorities:
            if p.agreed_on > end or (p.closed_on is not None and p.closed_on <= end):
                continue
            current += 1
            latest = max((d for d in p.action_days if d <= end), default=None)
            if not publishing.is_stale(p.agreed_on, latest, end):
                fresh += 1
        counts[(year, month)] = (fresh, current)
    return counts


def priorities_line(priorities, today, thresholds, count=PERIOD_MONTHS):
    months = period(today, count)
    return ratio_line(PRIORITIES, priority_counts(priorities, months), months, thresholds)


def tenure_line(memberships, today, thresholds, count=PERIOD_MONTHS):
    """Median months served by the team's officers at the end of each month; `memberships`
    are (started_on, ended_on) pairs. The period's value is that of its latest measured month:
    tenure is where the team stands, not a count to add up."""
    rows = []
    for year, month in period(today, count):
        end = month_end(year, month)
        served = [tenure.months_between(start, end) for start, ended in memberships
                  if tenure.serving_on(start, ended, end)]
        value = float(median(served)) if served else None
        rows.append(Month(year, month, value, grade(value, thresholds), None, len(served)))
    value = next((m.value for m in reversed(rows) if m.value is not None), None)
    return Line(TENURE, rows, value, grade(value, thresholds))


def with_explanations(line, explanations):
    """The line with the team's explanations ({"YYYY-MM": text}) of the months it missed."""
    missed = {m.key for m in line.months if m.missed}
    return Line(line.measure, line.months, line.value, line.grade,
                {key: text for key, text in explanations.items() if key in missed})


# --- the chart -------------------------------------------------------------------------

# Each at least 3:1 against the white page (WCAG 1.4.11), the grey stub of an unmeasured month too.
GRADE_COLOURS = {EXCELLENT: "#0f7a52", GOOD: "#1d70b8", FAIR: "#b58800", POOR: "#ca3535", None: "#6f777b"}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    month: Month


def chart_bars(line, width=360, height=120, gap=6):
    """Geometry of the line's bars in an SVG of `width` x `height`: percentages against 100,
    months served against the longest; a month with nothing to measure is a stub in grey."""
    count = len(line.months)
    bar_width = (width - gap * (count - 1)) / count
    top = 100.0 if line.unit == PERCENT else max([m.value or 0 for m in line.months] + [1.0])
    bars = []
    for index, month in enumerate(line.months):
        bar_height = 2.0 if month.value is None else max(2.0, height * month.value / top)
        bars.append(Bar(round(index * (bar_width + gap), 2), round(height - bar_height, 2), round(bar_width, 2),
                        round(bar_height, 2), GRADE_COLOURS[month.grade], month))
    return bars
