"""The monthly compliance report: one aggregated SQL query per report, GROUP BY team.

Median and 90th percentile are nearest-rank (as app.domain.clock.percentile), computed
with window functions so the same statement runs on SQLite and PostgreSQL. A message
with no human reply counts with the time it has waited so far.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from sqlalchemy import DateTime, Float, and_, case, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from app.domain import clock
from app.domain.clock import Figures
from app.models import MESSAGE, Message, Neighbourhood, Team

# julianday() arithmetic on SQLite is exact to about 0.1 ms; a reply this close after the
# deadline still counts as in time.
TOLERANCE_SECONDS = 0.001


def promise():
    """How soon the team promises a first reply (Pledge 4, 10): REPLY_PROMISE_HOURS."""
    return timedelta(hours=current_app.config["REPLY_PROMISE_HOURS"])


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


def monthly_report(session, year, month, now, team_ids=None, force_id=None, kind=MESSAGE,
                   promise=clock.DEFAULT_PROMISE):
    """{team_id: TeamFigures} for the London calendar month, teams with no messages left out."""
    start, end = clock.month_bounds(year, month)
    return period_report(session, start, end, now, team_ids, force_id, kind, promise)


def period_report(session, start, end, now, team_ids=None, force_id=None, kind=MESSAGE,
                  promise=clock.DEFAULT_PROMISE):
    m = Message.__table__.c
    wait = seconds_between(func.coalesce(m.first_human_reply_at, literal(now, DateTime)), m.received_at)
    # `team_id + 0`: ranking by team must not lead SQLite to walk the team index and look up
    # every message in the table (18 s for a year) instead of reading the covering report
    # index (4 s).
    facts = select(
        (m.team_id + 0).label("team_id"),
        wait.label("wait"),
        case((m.first_human_reply_at.is_(None), 0), else_=1).label("answered"),
        in_spans(m.received_at, clock.weekend_spans(start, end)).label("weekend"),
        case((m.closed_at.is_(None), 1), else_=0).label("still_open"),
        case((and_(m.first_human_reply_at.is_(None), m.contact_by != "phone"), 1), else_=0).label("receipt_only"),
        case((and_(m.first_human_reply_at.is_(None), m.received_at > literal(now - promise, DateTime)), 1),
             else_=0).label("not_yet_due"),
    ).where(*_conditions(m, start, end, kind, team_ids, force_id)).subquery()
    if session.get_bind().dialect.name == "postgresql":
        rows, percentile = facts, _percentile_disc(facts)
    else:
        rows, percentile = _ranked(facts)
    in_time_limit = promise.total_seconds() + TOLERANCE_SECONDS

    def figures_columns(prefix, in_group):
        def when(value, extra=None):
            condition = in_group if extra is None else and_(in_group, extra)
            return case((condition, value), else_=None)

        return [
            func.count(when(1)).label(f"{prefix}_received"),
            func.count(when(1, and_(rows.c.answered == 1, rows.c.wait <= in_time_limit))).label(f"{prefix}_in_time"),
            percentile(prefix, in_group, 2, 1).label(f"{prefix}_median"),
            percentile(prefix, in_group, 10, 9).label(f"{prefix}_p90"),
            func.max(when(rows.c.wait)).label(f"{prefix}_longest"),
            func.coalesce(func.sum(when(rows.c.still_open)), 0).label(f"{prefix}_open"),
            func.coalesce(func.sum(when(rows.c.receipt_only)), 0).label(f"{prefix}_receipt_only"),
            func.coalesce(func.sum(when(rows.c.not_yet_due)), 0).label(f"{prefix}_not_yet_due"),
        ]

    query = select(
        rows.c.team_id,
        *figures_columns("all", rows.c.team_id.is_not(None)),
        *figures_columns("wd", rows.c.weekend == 0),
        *figures_columns("we", rows.c.weekend == 1),
    ).group_by(rows.c.team_id)

    report = {}
    for row in session.execute(query).mappings():
        def figures_of(prefix):
            return Figures(received=row[f"{prefix}_received"], answered_in_time=int(row[f"{prefix}_in_time"]),
                           median_wait=_seconds(row[f"{prefix}_median"]), p90_wait=_seconds(row[f"{prefix}_p90"]),
                           longest_wait=_seconds(row[f"{prefix}_longest"]), still_open=int(row[f"{prefix}_open"]),
                           receipt_only=int(row[f"{prefix}_receipt_only"]),
                           not_yet_due=int(row[f"{prefix}_not_yet_due"]))

        report[row["team_id"]] = TeamFigures(row["team_id"], figures_of("all"), figures_of("wd"), figures_of("we"))
    return report


def _percentile_disc(facts):
    """PostgreSQL's ordered-set aggregate is the nearest-rank percentile (the first wait whose
    rank reaches the fraction); it sorts each team's few hundred waits instead of ranking a
    million rows with window functions."""
    def percentile(prefix, in_group, denominator, numerator):
        return func.percentile_disc(numerator / denominator).within_group(facts.c.wait).filter(in_group)

    return percentile


def _ranked(facts):
    """The facts with each message's nearest rank by wait, in its team and in its part of the
    week; one sort serves both: a weekend message's rank among weekend messages is the running
    count of weekend messages, a weekday message's the rest."""
    by_wait = dict(partition_by=facts.c.team_id, order_by=facts.c.wait, rows=(None, 0))
    rank_all = func.count().over(**by_wait)
    weekend_rank = func.sum(facts.c.weekend).over(**by_wait)
    count_all = func.count().over(partition_by=facts.c.team_id)
    weekends = func.sum(facts.c.weekend).over(partition_by=facts.c.team_id)
    rows = select(
        facts,
        rank_all.label("rank_all"),
        count_all.label("count_all"),
        case((facts.c.weekend == 1, weekend_rank), else_=rank_all - weekend_rank).label("rank_part"),
        case((facts.c.weekend == 1, weekends), else_=count_all - weekends).label("count_part"),
    ).subquery()

    def percentile(prefix, in_group, denominator, numerator):
        rank, count = ((rows.c.rank_all, rows.c.count_all) if prefix == "all"
                       else (rows.c.rank_part, rows.c.count_part))
        return func.min(case((and_(in_group, rank * denominator >= count * numerator), rows.c.wait), else_=None))

    return rows, percentile


def answered_in_time(m, promise):
    """1 for a message a person answered within the promise (the clock's rule, in SQL), else 0."""
    return case((and_(m.first_human_reply_at.is_not(None),
                      seconds_between(m.first_human_reply_at, m.received_at)
                      <= promise.total_seconds() + TOLERANCE_SECONDS), 1), else_=0)


def in_spans(column, spans):
    """1 when `column` lies in one of the sorted, disjoint [from, to) `spans`, else 0."""
    edges = [edge for span in spans for edge in span]
    return bucket(column, edges, [k % 2 for k in range(len(edges) + 1)])


def bucket(column, edges, values):
    """values[k] where k is the number of the sorted `edges` at or before `column`, as a
    balanced tree of comparisons: about log2(len(edges)) per row (7 for a year of weekends)
    instead of a CASE or OR that tries every span, which cost a year's compliance report six
    seconds per million messages on SQLite."""
    def between(low, high):
        if low == high:
            return literal(values[low])
        middle = (low + high + 1) // 2
        return case((column >= edges[middle - 1], between(middle, high)), else_=between(low, middle - 1))

    return between(0, len(edges))


def _conditions(m, start, end, kind, team_ids, force_id):
    conditions = [m.kind == kind, m.received_at >= start, m.received_at < end]
    if team_ids is not None:
        conditions.append(m.team_id.in_(list(team_ids)))
    if force_id is not None:
        conditions.append(m.team_id.in_(
            select(Team.id).join(Neighbourhood).where(Neighbourhood.force_id == force_id)))
    return conditions


def counts_by_month(session, months, team_ids=None, force_id=None, kind=MESSAGE, promise=clock.DEFAULT_PROMISE):
    """{team_id: {(year, month): (answered in time, received)}} over London `months` [(year,
    month)], in one query: the Pledge page's 12 months without medians. A month with no
    messages is left out."""
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
    facts = select(m.team_id, month_of, answered_in_time(m, promise).label("in_time")).where(
        *_conditions(m, bounds[0][1], bounds[-1][2], kind, team_ids, force_id)).subquery()
    query = select(facts.c.team_id, facts.c.month, func.sum(facts.c.in_time), func.count()).group_by(
        facts.c.team_id, facts.c.month)
    result = {}
    for team_id, month, in_time, received in session.execute(query):
        if not month:
            continue
        result.setdefault(team_id, {})[divmod(month, 100)] = (int(in_time or 0), received)
    return result


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
