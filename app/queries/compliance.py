"""The monthly compliance report: one aggregated SQL query per report, GROUP BY team.

Median and 90th percentile are nearest-rank (as app.domain.clock.percentile), computed
with window functions so the same statement runs on SQLite and PostgreSQL. A message
with no human reply counts with the time it has waited so far.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from sqlalchemy import DateTime, Float, and_, case, false, func, literal, or_, select
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
    spans = clock.weekend_spans(start, end)
    weekend = case((or_(false(), *[and_(m.received_at >= a, m.received_at < b) for a, b in spans]), 1), else_=0)
    in_time = answered_in_time(m, promise)
    conditions = _conditions(m, start, end, kind, team_ids, force_id)
    # Three levels, so that each per-message expression is computed once: the facts of each
    # message, then their ranks, then the aggregate per team.
    facts = select(
        m.team_id,
        wait.label("wait"),
        in_time.label("in_time"),
        weekend.label("weekend"),
        case((m.closed_at.is_(None), 1), else_=0).label("still_open"),
        case((and_(m.first_human_reply_at.is_(None), m.contact_by != "phone"), 1), else_=0).label("receipt_only"),
        case((and_(m.first_human_reply_at.is_(None), m.received_at > literal(now - promise, DateTime)), 1),
             else_=0).label("not_yet_due"),
    ).where(*conditions).subquery()
    rows = select(
        facts,
        func.row_number().over(partition_by=facts.c.team_id, order_by=facts.c.wait).label("rank_all"),
        func.count().over(partition_by=facts.c.team_id).label("count_all"),
        func.row_number().over(partition_by=[facts.c.team_id, facts.c.weekend], order_by=facts.c.wait)
        .label("rank_part"),
        func.count().over(partition_by=[facts.c.team_id, facts.c.weekend]).label("count_part"),
    ).subquery()

    def figures_columns(prefix, in_group, rank, count):
        def when(value, extra=None):
            condition = in_group if extra is None else and_(in_group, extra)
            return case((condition, value), else_=None)

        return [
            func.count(when(1)).label(f"{prefix}_received"),
            func.coalesce(func.sum(when(rows.c.in_time)), 0).label(f"{prefix}_in_time"),
            func.min(when(rows.c.wait, rank * 2 >= count)).label(f"{prefix}_median"),
            func.min(when(rows.c.wait, rank * 10 >= count * 9)).label(f"{prefix}_p90"),
            func.max(when(rows.c.wait)).label(f"{prefix}_longest"),
            func.coalesce(func.sum(when(rows.c.still_open)), 0).label(f"{prefix}_open"),
            func.coalesce(func.sum(when(rows.c.receipt_only)), 0).label(f"{prefix}_receipt_only"),
            func.coalesce(func.sum(when(rows.c.not_yet_due)), 0).label(f"{prefix}_not_yet_due"),
        ]

    everything = rows.c.team_id.is_not(None)
    query = select(
        rows.c.team_id,
        *figures_columns("all", everything, rows.c.rank_all, rows.c.count_all),
        *figures_columns("wd", rows.c.weekend == 0, rows.c.rank_part, rows.c.count_part),
        *figures_columns("we", rows.c.weekend == 1, rows.c.rank_part, rows.c.count_part),
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


def answered_in_time(m, promise):
    """1 for a message a person answered within the promise (the clock's rule, in SQL), else 0."""
    return case((and_(m.first_human_reply_at.is_not(None),
                      seconds_between(m.first_human_reply_at, m.received_at)
                      <= promise.total_seconds() + TOLERANCE_SECONDS), 1), else_=0)


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
    month_of = case(*[(and_(m.received_at >= start, m.received_at < end), key[0] * 100 + key[1])
                      for key, start, end in bounds], else_=None).label("month")
    facts = select(m.team_id, month_of, answered_in_time(m, promise).label("in_time")).where(
        *_conditions(m, bounds[0][1], bounds[-1][2], kind, team_ids, force_id)).subquery()
    query = select(facts.c.team_id, facts.c.month, func.sum(facts.c.in_time), func.count()).group_by(
        facts.c.team_id, facts.c.month)
    result = {}
    for team_id, month, in_time, received in session.execute(query):
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
