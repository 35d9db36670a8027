"""Reads of local problem reports: a team's reports for its officers, the public grid of
counts (app.domain.local_reports decides what may be shown), and the top reported types
that consultations offer as candidate issues."""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.domain import local_reports as rules
from app.domain.localtime import to_local
from app.domain.months import month_bounds
from app.extensions import db
from app.models import PROBLEM_TYPE_LABELS, LocalReport


def top_reported_types(team_id, start, end, limit=3):
    """The types most reported to a team with reported_at in [start, end), most first:
    [(type key, label, count)]. For consultations: each is a candidate issue."""
    rows = db.session.execute(
        select(LocalReport.problem_type, func.count())
        .where(LocalReport.team_id == team_id, LocalReport.reported_at >= start, LocalReport.reported_at < end)
        .group_by(LocalReport.problem_type)).all()
    return [(kind, PROBLEM_TYPE_LABELS.get(kind, kind), n) for kind, n in rules.top_types(dict(rows), limit)]


def team_reports(team_id, start, end):
    """A team's reports in [start, end), newest first, with their messages (staff only)."""
    return db.session.scalars(
        select(LocalReport).where(LocalReport.team_id == team_id, LocalReport.reported_at >= start,
                                  LocalReport.reported_at < end)
        .options(selectinload(LocalReport.message)).order_by(LocalReport.reported_at.desc())).all()


def team_type_months(team_id, months):
    """{(year, month): {type: n}} of a team's reports over `months` [(year, month)…] (staff only)."""
    if not months:
        return {}
    start, end = month_bounds(*min(months))[0], month_bounds(*max(months))[1]
    rows = db.session.execute(
        select(LocalReport.reported_at, LocalReport.problem_type)
        .where(LocalReport.team_id == team_id, LocalReport.reported_at >= start, LocalReport.reported_at < end)).all()
    return rules.months_by_type([(to_local(at), kind) for at, kind in rows], months)


def public_cells(year, quarter):
    """Every published cell of a quarter: counted over all reports, whichever team they
    went to, so that no area's page can be subtracted from another's."""
    start, end = rules.quarter_bounds(year, quarter)
    rows = db.session.execute(
        select(LocalReport.latitude, LocalReport.longitude, LocalReport.problem_type)
        .where(LocalReport.reported_at >= start, LocalReport.reported_at < end)).all()
    return rules.aggregate(rows)


def public_cells_in(year, quarter, south, west, north, east):
    """The published cells of a quarter overlapping a box, and the type totals over them."""
    cells = rules.cells_within(public_cells(year, quarter), south, west, north, east)
    return cells, rules.type_totals(cells)


def photo_names():
    """The file names of the photos reports hold."""
    return set(db.session.scalars(select(LocalReport.photo_path).where(LocalReport.photo_path.is_not(None))))
