"""The compliance report: one aggregated SQL query per report, grouped by team.

A message was answered in time when its first human reply came by its stored due time
(fixed at arrival by the clock's rules); one not answered yet is not yet due while that
time is ahead. Median and 90th percentile are nearest-rank (app.domain.clock.percentile).
A message with no human reply counts with the time it has waited so far.
"""
from dataclasses import dataclass

from sqlalchemy import DateTime, Float, and_, bindparam, case, func, literal, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from app.domain import clock
from app.domain.clock import Figures
from app.models import MESSAGE, Message, Neighbourhood, Team
from app.models.inbox import reply_promise


def promise():
    """How soon the team promises a first reply (Pledge 4, 10): REPLY_PROMISE_HOURS."""
    return reply_promise()


class seconds_between(FunctionElement):  # noqa: N801  (reads like the SQL function it is)
    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_between_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_between_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"date_part('epoch', {later} - {earlier})"  # double precision, unlike EXTRACT (numeric)


@dataclass(frozen=True)
class TeamFigures:
    team_id: int
    all: Figures
    weekdays: Figures
    weekends: Figures


def monthly_report(session, year, month, now, team_ids=None, force_id=None, kind=MESSAGE):
    """{team_id: TeamFigures} for the London calendar month, teams with no messages left out."""
    start, end = clock.month_bounds(year, month)
    return period_report(session, start, end, now, team_ids, force_id, kind)


def period_report(session, start, end, now, team_ids=None, force_id=None, kind=MESSAGE):
    """{team_id: TeamFigures} for messages received in [start, end), teams with none left out.

    One pass over the team index, grouped by team (index order, so no sort): the counts are
    comparisons with each message's stored due time (fixed at arrival by clock.deadline), the
    part of the week its stored flag (clock.is_weekend). The percentiles are the clock's own
    nearest rank: PostgreSQL's percentile_disc; SQLite has no ordered aggregate, so each
    team's waits come back as a list and app.domain.clock.percentile picks them."""
    m = Message.__table__.c
    now_literal = literal(now, DateTime)
    unanswered = m.first_human_reply_at.is_(None)
    wait = seconds_between(func.coalesce(m.first_human_reply_at, now_literal), m.received_at)
    conditions = {
        "received": None,
        "in_time": m.first_human_reply_at <= m.reply_due_at,
        "still_open": m.closed_at.is_(None),
        "receipt_only": and_(unanswered, m.contact_by != "phone"),
        "not_yet_due": and_(unanswered, m.reply_due_at > now_literal),
    }
    where = _conditions(m, start, end, kind, team_ids, force_id)
    if session.get_bind().dialect.name == "postgresql":
        return _report_postgresql(session, m, wait, conditions, where)
    weekend = m.received_on_weekend == true()
    columns = [func.count(case((condition if condition is not None else true(), 1))).label(name)
               for name, condition in conditions.items()]
    columns += [func.count(case((weekend if condition is None else and_(weekend, condition), 1))).label(f"we_{name}")
                for name, condition in conditions.items()]
    query = select(m.team_id, *columns,
                   func.group_concat(case((weekend, None), else_=wait)).label("weekday_waits"),
                   func.group_concat(case((weekend, wait))).label("weekend_waits")).where(*where).group_by(m.team_id)
    report = {}
    for row in session.execute(query).mappings():
        weekday_waits, weekend_waits = _sorted_waits(row["weekday_waits"]), _sorted_waits(row["weekend_waits"])
        all_counts = {name: row[name] for name in conditions}
        weekend_counts = {name: row[f"we_{name}"] for name in conditions}
        weekday_counts = {name: all_counts[name] - weekend_counts[name] for name in conditions}
        # Two sorted runs: Python's sort merges them in one pass.
        report[row["team_id"]] = TeamFigures(row["team_id"],
                                             _figures(all_counts, sorted(weekday_waits + weekend_waits)),
                                             _figures(weekday_counts, weekday_waits),
                                             _figures(weekend_counts, weekend_waits))
    return report


def _sorted_waits(joined):
    return sorted(map(float, joined.split(","))) if joined else []


def _figures(counts, waits):
    """Figures from a group's counts and its waits, sorted (the nearest ranks of clock.percentile)."""
    if not waits:
        return Figures()
    return Figures(median_wait=_seconds(clock.percentile(waits, 0.5)), p90_wait=_seconds(clock.percentile(waits, 0.9)),
                   longest_wait=_seconds(waits[-1]), answered_in_time=counts["in_time"], **{
                       name: counts[name] for name in ("received", "still_open", "receipt_only", "not_yet_due")})


def _report_postgresql(session, m, wait, conditions, where):
    """PostgreSQL's ordered-set aggregate is the nearest-rank percentile (the first wait whose
    rank reaches the fraction): each team's few hundred waits sorted by the server."""
    on_weekend = m.received_on_weekend
    groups = {"all": None, "wd": on_weekend.is_(False), "we": on_weekend.is_(True)}
    columns = []
    for prefix, in_group in groups.items():
        def within(aggregate):
            return aggregate if in_group is None else aggregate.filter(in_group)

        for name, condition in conditions.items():
            both = [c for c in (in_group, condition) if c is not None]
            columns.append((func.count().filter(and_(*both)) if both else func.count()).label(f"{prefix}_{name}"))
        columns.append(within(func.max(wait)).label(f"{prefix}_longest"))
        for name, fraction in (("median", 0.5), ("p90", 0.9)):
            columns.append(within(func.percentile_disc(fraction).within_group(wait)).label(f"{prefix}_{name}"))
    report = {}
    for row in session.execute(select(m.team_id, *columns).where(*where).group_by(m.team_id)).mappings():
        def figures_of(prefix):
            if not row[f"{prefix}_received"]:
                return Figures()
            return Figures(received=row[f"{prefix}_received"], answered_in_time=row[f"{prefix}_in_time"],
                           median_wait=_seconds(row[f"{prefix}_median"]), p90_wait=_seconds(row[f"{prefix}_p90"]),
                           longest_wait=_seconds(row[f"{prefix}_longest"]), still_open=row[f"{prefix}_still_open"],
                           receipt_only=row[f"{prefix}_receipt_only"], not_yet_due=row[f"{prefix}_not_yet_due"])

        report[row["team_id"]] = TeamFigures(row["team_id"], figures_of("all"), figures_of("wd"), figures_of("we"))
    return report


def bucket(column, edges, values):
    """values[k] where k is the number of the sorted `edges` at or before `column`, as a
    balanced tree of comparisons: about log2(len(edges)) per row (5 for a year of months)
    instead of a CASE that tries every month."""
    def between(low, high):
        if low == high:
            return literal(values[low])
        middle = (low + high + 1) // 2
        return case((column >= edges[middle - 1], between(middle, high)), else_=between(low, middle - 1))

    return between(0, len(edges))


def _conditions(m, start, end, kind, team_ids, force_id):
    """`kind` is one kind, or a tuple of kinds."""
    conditions = [m.kind.in_(kind) if isinstance(kind, tuple) else m.kind == kind,
                  m.received_at >= start, m.received_at < end]
    if team_ids is not None:
        conditions.append(m.team_id.in_(list(team_ids)))
    if force_id is not None:
        conditions.append(m.team_id.in_(
            select(Team.id).join(Neighbourhood).where(Neighbourhood.force_id == force_id)))
    return conditions


def counts_by_month(session, months, team_ids=None, force_id=None, kind=MESSAGE):
    """{team_id: {(year, month): (answered in time, received)}} over London `months` [(year,
    month)], in one query: the Pledge page's 12 months without medians. A month with no
    messages is left out."""
    return counts_by_month_of_kinds(session, months, (kind,), team_ids, force_id)[kind]


def counts_by_month_of_kinds(session, months, kinds, team_ids=None, force_id=None):
    """{kind: counts_by_month(…, kind)} for each of `kinds`, in one pass over the messages."""
    m = Message.__table__.c
    bounds = [(key, *clock.month_bounds(*key)) for key in sorted(months)]
    edges, values = [], [0]  # 0: between or outside the months
    for (year, month), start, end in bounds:
        if edges and edges[-1] == start:
            values[-1] = year * 100 + month
        else:
            edges.append(start)
            values.append(year * 100 + month)
        edges.append(end)
        values.append(0)
    month_of = bucket(m.received_at, edges, values).label("month")
    in_time = case((m.first_human_reply_at <= m.reply_due_at, 1), else_=0)
    facts = select(m.team_id, m.kind, month_of, in_time.label("in_time")).where(
        *_conditions(m, bounds[0][1], bounds[-1][2], tuple(kinds), team_ids, force_id)).subquery()
    query = select(facts.c.team_id, facts.c.kind, facts.c.month, func.sum(facts.c.in_time), func.count()).group_by(
        facts.c.team_id, facts.c.kind, facts.c.month)
    result = {kind: {} for kind in kinds}
    for team_id, kind, month, in_time, received in session.execute(query):
        if not month:
            continue
        result[kind].setdefault(team_id, {})[divmod(month, 100)] = (int(in_time or 0), received)
    return result



_TEAM_RECORD_STATEMENTS = {}


def _team_record_statement(months):
    """The statement of team_counts_by_month for `months` consecutive months, built once (its
    team and month edges are parameters): a team page reads it on every view."""
    if months not in _TEAM_RECORD_STATEMENTS:
        m = Message.__table__.c
        edges = [bindparam(f"edge_{n}", type_=m.received_at.type) for n in range(months + 1)]
        month = case(*[(m.received_at < edges[n + 1], n) for n in range(months - 1)], else_=months - 1)
        in_time = case((m.first_human_reply_at <= m.reply_due_at, 1), else_=0)  # as counts_by_month_of_kinds
        _TEAM_RECORD_STATEMENTS[months] = (
            select(month.label("month"), func.sum(in_time), func.count())
            .where(m.team_id == bindparam("team_id", type_=m.team_id.type), m.kind == MESSAGE, m.received_at >= edges[0],
                   m.received_at < edges[-1])
            .group_by(month))
    return _TEAM_RECORD_STATEMENTS[months]


def team_counts_by_month(session, team_id, months):
    """{(year, month): (answered in time, received)} of one team's messages over consecutive
    London `months` [(year, month)]: counts_by_month(…, team_ids=[team_id])[team_id], from a
    statement built once."""
    months = sorted(months)
    bounds = [clock.month_bounds(*key) for key in months]
    if any(end != next_start for (_, end), (next_start, _) in zip(bounds, bounds[1:])):
        raise ValueError("team_counts_by_month takes consecutive months")
    edges = {f"edge_{n}": start for n, (start, _) in enumerate(bounds)} | {f"edge_{len(bounds)}": bounds[-1][1]}
    rows = session.execute(_team_record_statement(len(months)), {"team_id": team_id, **edges})
    return {months[index]: (int(in_time or 0), received) for index, in_time, received in rows}

def _seconds(value):
    return None if value is None else round(float(value), 3)


def total(figures_list):
    """Force-wide counts (medians cannot be added up, so they are left out)."""
    figures_list = list(figures_list)
    return Figures(
        received=sum(f.received for f in figures_list),
        answered_in_time=sum(f.answered_in_time for f in figures_list),
        longest_wait=max((f.longest_wait for f in figures_list if f.longest_wait is not None), default=None),
        still_open=sum(f.still_open for f in figures_list),
        receipt_only=sum(f.receipt_only for f in figures_list),
        not_yet_due=sum(f.not_yet_due for f in figures_list),
    )
