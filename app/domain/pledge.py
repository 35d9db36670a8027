"""How a team is doing against the Pledge (point 8), month by month over the last 12 months.

Each measure gives one value a month and one for the whole period, graded the way
inspectors grade (Excellent / Good / Fair / Poor) against thresholds from config
(PLEDGE_THRESHOLDS). A month with nothing to measure (no messages, no current priorities,
no officers listed) has no value and no grade: it is never shown as 100% or 0%.

The rules measured are those of the rest of the portal, called from here, not copied:
the 24-hour clock (app.domain.clock, through the SQL report), the monthly-meeting and
stale-priority rules (app.domain.publishing) and tenure (app.domain.tenure).
"""
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from statistics import median

from app.domain import months as calendar_months
from app.domain import publishing, tenure
from app.domain.localtime import local_date, to_local

EXCELLENT, GOOD, FAIR, POOR = "excellent", "good", "fair", "poor"
BANDS = (EXCELLENT, GOOD, FAIR)  # checked in this order; below the last one given is POOR
MET = (EXCELLENT, GOOD)  # a month graded Fair or Poor is a missed promise

MESSAGES, FEEDBACK, FOLLOW_UP, MEETINGS, PRIORITIES, UPDATES, TENURE, VISIBLE = (
    "messages", "feedback", "follow_up", "meetings", "priorities", "updates", "tenure", "visible")
MEASURES = (MESSAGES, FEEDBACK, FOLLOW_UP, MEETINGS, PRIORITIES, UPDATES, TENURE, VISIBLE)
PERCENT, MONTHS_SERVED = "percent", "months"
UNITS = {MESSAGES: PERCENT, FEEDBACK: PERCENT, FOLLOW_UP: PERCENT, MEETINGS: PERCENT, PRIORITIES: PERCENT,
         UPDATES: PERCENT, TENURE: MONTHS_SERVED, VISIBLE: PERCENT}
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


def least_met(thresholds):
    """The least value that `thresholds` grade as met, or None if they grade none so: as the
    bands are checked from the top and the MET bands come first, is_met(grade(v)) exactly
    when v is at least this (a force's figures test thousands of months so)."""
    limits = [thresholds[band] for band in MET if thresholds.get(band) is not None]
    return min(limits) if limits else None


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
    improvements: dict = field(default_factory=dict)  # {"YYYY-MM": what the team will do to improve}
    late_changes: dict = field(default_factory=dict)  # {"YYYY-MM": [LateChange, ...]}
    # A line without its months (a force's figures) may still say how many of them were
    # measured and how many met: (months measured, months met), as its months would give.
    tally: tuple[int, int] | None = None

    @property
    def unit(self):
        return UNITS[self.measure]

    @property
    def latest(self):
        return self.months[-1]

    @property
    def months_measured(self):
        if self.tally is not None:
            return self.tally[0]
        return sum(1 for m in self.months if m.grade is not None)

    @property
    def months_met(self):
        if self.tally is not None:
            return self.tally[1]
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
    return list(_period(today.year, today.month, count))


@lru_cache(maxsize=64)  # asked for by every measure of every team of a force
def _period(year, month, count):
    return tuple(reversed(calendar_months.previous_months(date(year, month, 1), count)))


@lru_cache(maxsize=256)  # called per priority and officer for each month of the period
def month_end(year, month):
    return calendar_months.month_days(year, month)[1] - timedelta(days=1)


@lru_cache(maxsize=16384)  # arithmetic, not data: a force's months repeat the same few counts thousands of times
def _percent(done, total):
    return None if not total else round(100 * done / total, 1)


def ratio_line(measure, counts, months, thresholds, monthly=True):
    """A measure that is a share: `counts` is {(year, month): (done, total)}; the period's
    value pools the months (all done over all received), so a quiet month weighs little.
    With `monthly` False the line has the period's value and grade and the tally of its
    months, but no months."""
    if not monthly:
        done = total = measured = met = 0
        lowest = least_met(thresholds)
        for key in months:
            month_done, month_total = counts.get(key, (0, 0))
            done += month_done
            total += month_total
            if month_total:
                measured += 1
                met += lowest is not None and _percent(month_done, month_total) >= lowest
        value = _percent(done, total)
        return Line(measure, [], value, grade(value, thresholds), tally=(measured, met))
    rows = []
    for year, month in months:
        done, total = counts.get((year, month), (0, 0))
        if not total:  # nothing to measure: no value, no grade
            rows.append(_unmeasured_month(year, month, done, total))
            continue
        value = _percent(done, total)
        rows.append(Month(year, month, value, grade(value, thresholds), done, total))
    done = sum(m.done for m in rows)
    total = sum(m.total for m in rows)
    value = _percent(done, total)
    return Line(measure, rows, value, grade(value, thresholds))


@lru_cache(maxsize=4096)
def _unmeasured_month(year, month, done, total):
    """One Month (immutable) for each month with nothing to measure, shared by every line that
    has it: a force's table has thousands (a quiet team's feedback, months not yet confirmed)."""
    return Month(year, month, None, None, done, total)


def period_ratio_line(measure, done, total, thresholds):
    """A share over the whole period alone (no months): `done` of `total`."""
    value = _percent(done, total)
    return Line(measure, [], value, grade(value, thresholds))


def monthly_habit_line(measure, held_by_month, counts, months, thresholds, monthly=True):
    """A promise kept each month or not (a meeting held, an update posted): a month is
    100% or 0%, the period the share of its months in which it was kept."""
    if not monthly:
        return period_habit_line(measure, sum(1 for key in months if held_by_month.get(key)), len(months), thresholds)
    rows = []
    for year, month in months:
        value = 100.0 if held_by_month.get((year, month)) else 0.0
        rows.append(Month(year, month, value, grade(value, thresholds), counts.get((year, month), 0), 1))
    value = _percent(sum(1 for m in rows if m.value), len(rows))
    return Line(measure, rows, value, grade(value, thresholds))


def period_habit_line(measure, months_kept, month_count, thresholds):
    """A promise kept in `months_kept` of the period's `month_count` months, over the whole
    period alone (no months): each month is measured, as 100% or 0%."""
    value = _percent(months_kept, month_count)
    lowest = least_met(thresholds)
    met = 0 if lowest is None else months_kept * (100.0 >= lowest) + (month_count - months_kept) * (0.0 >= lowest)
    return Line(measure, [], value, grade(value, thresholds), tally=(month_count, met))


# --- what was published in time -------------------------------------------------------
# A past month's figure counts only what residents could have seen in time, so that
# nothing written after the month closed can change its grade.

DEFAULT_NOTICE = timedelta(days=7)
DEFAULT_RECORD_WITHIN = timedelta(days=14)


@dataclass(frozen=True)
class MeetingFacts:
    starts_at: datetime  # UTC, naive
    published_at: datetime  # when it first appeared on the portal, UTC
    recorded_at: datetime | None = None  # when attendance or minutes were first recorded, UTC
    cancelled: bool = False


def meeting_counts_as_held(meeting, now, notice=DEFAULT_NOTICE, record_within=DEFAULT_RECORD_WITHIN):
    """Held, for the Pledge: advertised at least `notice` before it started, not called off,
    and its attendance or minutes recorded after it started and within `record_within`."""
    return (not meeting.cancelled and meeting.starts_at < now
            and meeting.published_at <= meeting.starts_at - notice
            and meeting.recorded_at is not None
            and meeting.starts_at <= meeting.recorded_at <= min(now, meeting.starts_at + record_within))


def counted_on(dated_on, created_on):
    """The day a post or priority update counts from: the day it is dated, or the day it was
    written if later. A post written today and dated last May counts today."""
    return max(dated_on, created_on)


def month_closed_before(dated_on, made_on):
    """Whether something dated `dated_on` was written or changed after its month had closed."""
    return made_on > month_end(dated_on.year, dated_on.month)


ADDED, CHANGED, CANCELLED, RECORDED = "added", "changed", "cancelled", "recorded"


@dataclass(frozen=True)
class LateChange:
    """Something added or changed after the month it is dated in had closed: shown beside
    that month, never counted in it."""

    measure: str
    dated_on: date  # the London day it is dated (a meeting's day, a post's date)
    made_at: datetime  # when it was written, UTC
    action: str  # ADDED, CHANGED, CANCELLED or RECORDED
    title: str = ""

    @property
    def key(self):
        return f"{self.dated_on.year:04d}-{self.dated_on.month:02d}"


def late_changes_by_month(changes):
    """{(measure): {"YYYY-MM": [LateChange, oldest first]}} of those made after their month closed."""
    result = {}
    for change in sorted(changes, key=lambda c: c.made_at):
        if month_closed_before(change.dated_on, local_date(change.made_at)):
            result.setdefault(change.measure, {}).setdefault(change.key, []).append(change)
    return result


def meetings_line(meetings, now, thresholds, notice=DEFAULT_NOTICE, record_within=DEFAULT_RECORD_WITHIN,
                  count=PERIOD_MONTHS, monthly=True):
    """Public meetings held in each London month, by meeting_counts_as_held."""
    today = to_local(now).date()
    counts = Counter()
    for meeting in meetings:
        if meeting_counts_as_held(meeting, now, notice, record_within):
            day = local_date(meeting.starts_at)
            counts[(day.year, day.month)] += 1
    held = {key: n > 0 for key, n in counts.items()}
    return monthly_habit_line(MEETINGS, held, counts, period(today, count), thresholds, monthly)


def updates_line(published_days, today, thresholds, count=PERIOD_MONTHS, monthly=True):
    """"You said – We did" posts: at least one published in the month (the days given are
    counted_on days: when the post could first be read)."""
    counts = Counter((d.year, d.month) for d in published_days if d < today)
    held = {key: n > 0 for key, n in counts.items()}
    return monthly_habit_line(UPDATES, held, counts, period(today, count), thresholds, monthly)


@dataclass(frozen=True)
class PriorityFacts:
    agreed_on: date
    closed_on: date | None
    action_days: tuple = ()


def priority_counts(priorities, months):
    """{(year, month): (not stale, current)} at the end of each month, by the stale rule."""
    ends = _month_ends(tuple(months))
    fresh = [0] * len(ends)
    current = [0] * len(ends)
    is_stale = publishing.is_stale
    for p in priorities:
        agreed_on, closed_on = p.agreed_on, p.closed_on
        days = sorted(p.action_days)  # once a priority, so each month's latest action is a bisection
        for index, end in enumerate(ends):
            if agreed_on > end or (closed_on is not None and closed_on <= end):
                continue
            current[index] += 1
            taken = bisect_right(days, end) if days else 0
            if not is_stale(agreed_on, days[taken - 1] if taken else None, end):
                fresh[index] += 1
    return {key: (fresh[index], current[index]) for index, key in enumerate(months)}


@lru_cache(maxsize=64)  # the same 12 months for every team of a force
def _month_ends(months):
    return tuple(month_end(year, month) for year, month in months)


def priorities_line(priorities, today, thresholds, count=PERIOD_MONTHS, monthly=True):
    months = period(today, count)
    return ratio_line(PRIORITIES, priority_counts(priorities, months), months, thresholds, monthly)


def _served(memberships, months):
    """[(median months served, officers serving)] at the end of each of `months`, by the
    officers' `memberships`: each membership is looked at once for all the months."""
    ends = _month_ends(tuple(months))
    served = [[] for _ in ends]
    months_between = tenure.months_between
    for start, ended in memberships:
        for index in tenure.serving_range(start, ended, ends):
            served[index].append(months_between(start, ends[index]))
    return [((float(median(values)) if values else None), len(values)) for values in served]


def tenure_line(memberships, today, thresholds, count=PERIOD_MONTHS, monthly=True, tally=False):
    """Median months served by the team's officers at the end of each month; `memberships`
    are (started_on, ended_on) pairs. The period's value is that of its latest measured month:
    tenure is where the team stands, not a count to add up. With `monthly` False, the period's
    value and grade alone, and with `tally` the tally of its months as well."""
    months = period(today, count)
    if not monthly and not tally:  # the latest month measured only
        value = next((value for value, _serving in (_served(memberships, [key])[0] for key in reversed(months))
                      if value is not None), None)
        return Line(TENURE, [], value, grade(value, thresholds))
    served = _served(memberships, months)
    value = next((value for value, _serving in reversed(served) if value is not None), None)
    if not monthly:
        lowest = least_met(thresholds)
        measured = [value for value, _serving in served if value is not None]
        met = 0 if lowest is None else sum(1 for month_value in measured if month_value >= lowest)
        return Line(TENURE, [], value, grade(value, thresholds), tally=(len(measured), met))
    rows = [Month(year, month, month_value, grade(month_value, thresholds), None, serving)
            for (year, month), (month_value, serving) in zip(months, served)]
    return Line(TENURE, rows, value, grade(value, thresholds))


def pooled_by_month(lines):
    """One Month per month pooling the same measure's lines (e.g. every team of a force):
    all done over all counted, so a big team weighs more than a small one."""
    if not lines:
        return []
    pooled = []
    for index, first in enumerate(lines[0].months):
        done = sum(line.months[index].done or 0 for line in lines)
        total = sum(line.months[index].total or 0 for line in lines)
        value = _percent(done, total)
        pooled.append(Month(first.year, first.month, value, None, round(done, 1), round(total, 1)))
    return pooled


def with_explanations(line, explanations, improvements=None, late_changes=None):
    """The line with the team's explanations ({"YYYY-MM": text}) and plans to improve of the
    months it missed, and the changes made to its months after they closed."""
    if not (explanations or improvements or late_changes):
        return line  # most lines of a force's table: nothing to add
    missed = {m.key for m in line.months if m.missed}
    shown = {m.key for m in line.months}
    return Line(line.measure, line.months, line.value, line.grade,
                {key: text for key, text in explanations.items() if key in missed},
                {key: text for key, text in (improvements or {}).items() if key in missed and text},
                {key: changes for key, changes in (late_changes or {}).items() if key in shown}, line.tally)


@dataclass(frozen=True)
class AwaitingExplanation:
    measure: str
    year: int
    month: int
    days_since_closed: int

    @property
    def key(self):
        return f"{self.year:04d}-{self.month:02d}"


def days_since_closed(year, month, today):
    """Whole days since the London month ended (1 on the first day of the next month)."""
    return (today - month_end(year, month)).days


def awaiting_explanation(lines, today):
    """The missed months of `lines` with no explanation yet, longest waiting first."""
    waiting = [AwaitingExplanation(line.measure, m.year, m.month, days_since_closed(m.year, m.month, today))
               for line in lines for m in line.months if m.missed and m.key not in line.explanations]
    return sorted(waiting, key=lambda w: (-w.days_since_closed, MEASURES.index(w.measure)))


# --- the chart -------------------------------------------------------------------------

# Each at least 3:1 against the white page (WCAG 1.4.11), the grey stub of an unmeasured month too.
GRADE_COLOURS = {EXCELLENT: "#0f7a52", GOOD: "#1d70b8", FAIR: "#b58800", POOR: "#ca3535", None: "#6f777b"}
# Colour alone does not tell grades apart (1.4.1: green and red are nearly the same lightness),
# so each grade also has its own fill: solid, stripes, dots, or an empty outline; and every
# row of the chart names its grade in words.
GRADE_PATTERNS = {EXCELLENT: "solid", GOOD: "stripes", FAIR: "dots", POOR: "outline", None: "none"}


@dataclass(frozen=True)
class ChartRow:
    length: float  # the bar's length, percent of the chart's width
    colour: str
    pattern: str
    month: Month


def chart_rows(line):
    """A horizontal bar a month, oldest first: percentages against 100, months served against
    the longest. A month with nothing to measure has no bar (its row says "Not measured")."""
    top = 100.0 if line.unit == PERCENT else max([m.value or 0 for m in line.months] + [1.0])
    return [ChartRow(0.0 if month.value is None else round(max(1.0, 100 * month.value / top), 2),
                     GRADE_COLOURS[month.grade], GRADE_PATTERNS[month.grade], month)
            for month in line.months]
