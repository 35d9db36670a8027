"""A force's Pledge table, counted in SQL: each team's months with a public meeting held, its
months with a "You said – We did" post and its current priorities kept fresh, over the
period, as a row per team instead of the ~25,000 meetings, posts and priority actions of a
big force read and graded one by one in Python.

The rules are app.domain.pledge's (meeting_counts_as_held, counted_on, priority_counts with
publishing.is_stale), written as comparisons against London days and month bounds passed as
parameters; each statement is built once per database and number of months. The tests in
tests/web/test_pledge_period_sql.py check each against the domain, month by month, on varied
data across the clocks changing, on SQLite and PostgreSQL. A team's own page keeps the
domain's month-by-month lines, with the rows behind them.
"""
from datetime import date, timedelta

from sqlalchemy import Date, DateTime, Interval, String, and_, bindparam, case, func, literal, select, type_coerce

from app.domain import publishing
from app.domain.localtime import london_midnight_utc
from app.domain.months import month_bounds, month_days
from app.models import Meeting, Neighbourhood, Priority, PriorityAction, Team, Update


def in_teams(column, team_ids=None, force_id=None):
    """`column` is one of the given teams, or of the force's teams."""
    if team_ids is not None:
        return column.in_(list(team_ids))
    return column.in_(select(Team.id).join(Neighbourhood).where(Neighbourhood.force_id == force_id))


def _in_teams_parameter(column, by_force):
    """in_teams with the teams or the force as a parameter ("teams", "force_id")."""
    if by_force:
        return column.in_(select(Team.id).join(Neighbourhood).where(
            Neighbourhood.force_id == bindparam("force_id", type_=String)))
    return column.in_(bindparam("teams", expanding=True))


class _Dialect:
    """Instants compared in SQL. PostgreSQL compares timestamps and adds intervals. SQLite keeps
    them as text in two shapes: SQLAlchemy's, with six digits of microseconds (every parameter
    is sent so), and the whole seconds of migration 0013's back-fill; text of different shapes
    compares wrongly only at the very instant, and these comparisons avoid that:

    - `x <= y` is exact whatever the shape of x when y has SQLAlchemy's shape (padded(y));
    - `x >= t` for a parameter t is exact whatever the shape of x when t is ISO text, which
      leaves out a zero fraction (edge());
    - a duration is added to the whole seconds by SQLite's datetime() and the microseconds
      put back after (shifted()): SQLite's own arithmetic keeps only milliseconds."""

    def __init__(self, session):
        self.name = session.get_bind().dialect.name
        self.sqlite = self.name == "sqlite"

    def padded(self, column):
        return func.substr(type_coerce(column, String).concat(".000000"), 1, 26) if self.sqlite else column

    def edge(self, name):
        """A parameter `column` >= it is compared with many times a row (a month's edge)."""
        return bindparam(name, type_=String if self.sqlite else DateTime)

    def edge_value(self, instant):
        return instant.isoformat(" ") if self.sqlite else instant

    def greatest(self, first, second):
        return func.max(first, second) if self.sqlite else func.greatest(first, second)

    def shifted(self, column, name):
        """`column` + the parameter `name` (shift_value of a timedelta), in padded() shape."""
        if not self.sqlite:
            return column + bindparam(name, type_=Interval)
        return func.datetime(func.substr(column, 1, 19), bindparam(name, type_=String)).concat(
            func.substr(type_coerce(column, String).concat(".000000"), 20, 7))

    def shift_value(self, delta):
        if not self.sqlite:
            return delta
        if delta % timedelta(seconds=1):
            raise ValueError("SQLite's instants are shifted by whole seconds")
        return f"{int(delta.total_seconds()):+d} seconds"


def _bucket(at_or_after, count, values):
    """values[k], k the number of the `count` sorted edges for which `at_or_after(index)`
    holds: a balanced tree of comparisons, about 5 a row for a year of months."""
    def between(low, high):
        if low == high:
            return literal(values[low])
        middle = (low + high + 1) // 2
        return case((at_or_after(middle - 1), between(middle, high)), else_=between(low, middle - 1))

    return between(0, count)


def _by_day(column, count, values):
    """values[k], k the number of the sorted days "day_0"… on or before the date in `column`."""
    return _bucket(lambda index: column >= bindparam(f"day_{index}", type_=Date), count, values)


def _by_london_day(dialect, column, count, values):
    """values[k], k the number of the sorted London days "day_0"… on or before the London day
    of the instant (naive UTC) in `column`; "midnight_0"… are when those days begin."""
    return _bucket(lambda index: column >= dialect.edge(f"midnight_{index}"), count, values)


def _days(dialect, days):
    """The parameters of _by_day and _by_london_day for the sorted London `days`."""
    values = {f"day_{index}": day for index, day in enumerate(days)}
    return values | {f"midnight_{index}": dialect.edge_value(london_midnight_utc(day))
                     for index, day in enumerate(days)}


def _first_days(months):
    """The first day of each month and of the month after the last."""
    return [date(*key, 1) for key in months] + [month_days(*months[-1])[1]]


_STATEMENTS = {}


def _run(session, build, months, team_ids, force_id, values):
    """Rows of the statement `build(dialect, len(months), by_force)` (built once for each) with
    the parameters `values` and the teams."""
    dialect = _Dialect(session)
    key = (build.__name__, dialect.name, len(months), team_ids is None)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = build(dialect, len(months), team_ids is None)
    teams = {"force_id": force_id} if team_ids is None else {"teams": list(team_ids)}
    return session.connection().execute(_STATEMENTS[key], values(dialect) | teams).all()


def _bits_in(mask, count):
    """How many of the lowest `count` bits of `mask` are set."""
    return (int(mask or 0) & ((1 << count) - 1)).bit_count()


def _meetings_statement(dialect, count, by_force):
    starts_at, recorded_at = Meeting.starts_at, dialect.padded(Meeting.recorded_at)
    held = and_(
        Meeting.cancelled == False,  # noqa: E712  (SQL, not Python)
        starts_at < dialect.edge("now"),
        Meeting.published_at <= dialect.shifted(starts_at, "less_notice"),
        Meeting.recorded_at.is_not(None),
        starts_at <= recorded_at, recorded_at <= bindparam("now_at", type_=DateTime),
        recorded_at <= dialect.shifted(starts_at, "record_within"))
    month = _by_london_day(dialect, starts_at, count + 1, [-1, *range(count), count])
    return select(Meeting.team_id, func.count(func.distinct(month))).where(
        _in_teams_parameter(Meeting.team_id, by_force), starts_at >= bindparam("start", type_=DateTime),
        starts_at < bindparam("until", type_=DateTime), held).group_by(Meeting.team_id)


def meeting_months(session, months, now, notice, record_within, team_ids=None, force_id=None):
    """{team_id: the number of `months` in which at least one public meeting was held}, by
    pledge.meeting_counts_as_held: not called off, started before `now`, advertised at least
    `notice` before it started, its attendance or minutes recorded after it started, by `now`
    and within `record_within`. The meetings read are those the team page reads."""
    start, end = month_bounds(*months[0])[0], month_bounds(*months[-1])[1]
    rows = _run(session, _meetings_statement, months, team_ids, force_id, lambda dialect: _days(
        dialect, _first_days(months)) | {
        "now": dialect.edge_value(now), "now_at": now, "start": start, "until": min(end, now),
        "less_notice": dialect.shift_value(-notice), "record_within": dialect.shift_value(record_within)})
    return dict(rows)


def _posts_statement(dialect, count, by_force):
    # Each post's month as a bit (1 << index; 0 before the months, 1 << count after), from its
    # date and from the day it was written: the later is the greater bit.
    bits = [0, *(1 << index for index in range(count + 1))]
    counted = dialect.greatest(_by_day(Update.published_on, count + 1, bits),
                               _by_london_day(dialect, Update.created_at, count + 1, bits))
    return select(Update.team_id, func.sum(func.distinct(counted))).where(
        _in_teams_parameter(Update.team_id, by_force),
        ((Update.published_on >= bindparam("first_day", type_=Date))
         & (Update.published_on <= bindparam("last_day", type_=Date)))
        | ((Update.created_at >= bindparam("start", type_=DateTime))
           & (Update.created_at < bindparam("end", type_=DateTime)))).group_by(Update.team_id)


def post_months(session, months, team_ids=None, force_id=None):
    """{team_id: the number of `months` with at least one "You said – We did" post}, each post
    counted in the month of pledge.counted_on (the later of its date and the London day it was
    written). The posts read are those the team page reads. A team's posts give their months
    as distinct bits, whose sum is the set of its months."""
    rows = _run(session, _posts_statement, months, team_ids, force_id, lambda dialect: _days(
        dialect, _first_days(months)) | {
        "first_day": date(*months[0], 1), "last_day": month_days(*months[-1])[1] - timedelta(days=1),
        "start": month_bounds(*months[0])[0], "end": month_bounds(*months[-1])[1]})
    return {team_id: _bits_in(mask, len(months)) for team_id, mask in rows}


def _priority_days(months):
    """Each month's freshness window's first day (its last day less STALE_AFTER, in the month
    before), then its own first day; the same for the month after the last."""
    stale_after = publishing.STALE_AFTER
    if stale_after % timedelta(days=1):
        raise ValueError("STALE_AFTER is counted in whole days")
    days = []
    following_month = month_days(*months[-1])[1]
    for key in [*months, (following_month.year, following_month.month)]:
        first, following = month_days(*key)
        days += [following - timedelta(days=1) - stale_after, first]
    if days != sorted(set(days)):
        raise ValueError("each month's freshness window starts in the month before")  # STALE_AFTER of 28-31 days
    return days


def _priority_months(dialect, count, by_force):
    """(team id, [fresh in month k], [current in month k]): a column of each priority's team
    and, for each month, an expression that is 1 if the priority is fresh (current) at its end."""
    # The days are cut into regions at the days of _priority_days: region 2k+2 (month k, before
    # month k+1's window) keeps month k fresh, region 2k+3 (month k, in month k+1's window)
    # months k and k+1, region 1 (in the first month's window, before it) the first month.
    edges = 2 * (count + 1)
    regions = [1 << region for region in range(edges + 1)]
    counted = dialect.greatest(_by_day(PriorityAction.taken_on, edges, regions),
                               _by_london_day(dialect, PriorityAction.created_at, edges, regions))
    in_period = and_(_in_teams_parameter(Priority.team_id, by_force),
                     Priority.agreed_on <= bindparam("last_day", type_=Date),
                     Priority.closed_on.is_(None) | (Priority.closed_on > bindparam("first_day", type_=Date)))
    acted = select(PriorityAction.priority_id, func.sum(func.distinct(counted)).label("regions")).where(
        PriorityAction.priority_id.in_(select(Priority.id).where(in_period)),
        PriorityAction.taken_on <= bindparam("last_day", type_=Date)).group_by(PriorityAction.priority_id).subquery()
    # Materialized: each priority's regions worked out once, not again in each month's sum.
    by_priority = select(
        Priority.team_id, _by_day(Priority.agreed_on, edges, regions).label("agreed"),
        case((Priority.closed_on.is_(None), regions[-1]), else_=_by_day(Priority.closed_on, edges, regions))
        .label("closed"), func.coalesce(acted.c.regions, 0).label("acted")).select_from(Priority).outerjoin(
        acted, acted.c.priority_id == Priority.id).where(in_period).cte("by_priority").prefix_with("MATERIALIZED")
    p = by_priority.c
    active = p.acted.op("|")(p.agreed)
    fresh, current = [], []
    for k in range(count):
        # agreed on or before month k's last day, closed on or after month k+1's first day
        is_current = and_(p.agreed <= regions[2 * k + 3], p.closed >= regions[2 * k + 4])
        current.append(case((is_current, 1), else_=0))
        window = regions[2 * k + 1] | regions[2 * k + 2] | regions[2 * k + 3]
        fresh.append(case((and_(is_current, active.op("&")(window) != 0), 1), else_=0))
    return p.team_id, fresh, current


def _priorities_statement(dialect, count, by_force):
    team_id, fresh, current = _priority_months(dialect, count, by_force)
    return select(team_id, func.sum(sum(fresh[1:], fresh[0])), func.sum(sum(current[1:], current[0]))).group_by(
        team_id)


def _priorities_by_month_statement(dialect, count, by_force):
    team_id, fresh, current = _priority_months(dialect, count, by_force)
    # Month by month: fresh in month 0, current in month 0, fresh in month 1…
    return select(team_id, *(func.sum(column) for pair in zip(fresh, current) for column in pair)).group_by(team_id)


def priority_counts_by_month(session, months, team_ids=None, force_id=None):
    """{team_id: {(year, month): (fresh, current)}} at the end of each of `months`, as
    pledge.priority_counts: a priority is current at a month's end if agreed by then and not
    yet closed, and fresh if not stale by publishing.is_stale, i.e. agreed, or given an action
    counted (pledge.counted_on) that day or in the STALE_AFTER before it. Each action and the
    agreement give the region of days they fall in (see _priority_months) as a bit; a
    priority's distinct bits add up to the regions it was active in, and month k is fresh if
    any of regions 2k+1 to 2k+3 is among them. A team with no priority in the period is left
    out."""
    rows = _run_priorities(session, _priorities_by_month_statement, months, team_ids, force_id)
    return {team_id: {key: (int(counts[2 * index] or 0), int(counts[2 * index + 1] or 0))
                      for index, key in enumerate(months)}
            for team_id, *counts in rows}


def priority_counts(session, months, team_ids=None, force_id=None):
    """{team_id: (fresh, current)}: priority_counts_by_month summed over `months`, summed in
    SQL (two sums a team are cheaper than one a month)."""
    rows = _run_priorities(session, _priorities_statement, months, team_ids, force_id)
    return {team_id: (int(fresh or 0), int(current or 0)) for team_id, fresh, current in rows}


def _run_priorities(session, build, months, team_ids, force_id):
    return _run(session, build, months, team_ids, force_id, lambda dialect: _days(
        dialect, _priority_days(months)) | {
        "first_day": date(*months[0], 1), "last_day": month_days(*months[-1])[1] - timedelta(days=1)})
