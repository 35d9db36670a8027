"""How we are doing against the Pledge (point 8): a team's page and a force's table, from
the portal's own data; sergeants explain a missed promise beside the figure."""
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import clock_source
from app.domain import pledge
from app.extensions import db
from app.models import SERGEANT, Force, Neighbourhood, PledgeExplanation, Team, record
from app.queries import pledge_figures as figures
from app.performance.forms import ExplanationForm
from app.access import roles_required, team_access_required
from app.queries.teams import team_for

bp = Blueprint("performance", __name__)

SORTS = ("name",) + pledge.MEASURES


def _can_explain(team_id):
    return (current_user.is_authenticated and (current_user.is_admin or current_user.is_sergeant)
            and current_user.can_act_for(team_id))


@bp.get("/teams/<force_id>/<neighbourhood_id>/performance")
def team(force_id, neighbourhood_id):
    found = team_for(force_id, neighbourhood_id)
    lines = figures.team_lines(found.id)
    return render_template("performance/team.html", team=found, neighbourhood=found.neighbourhood,
                           force=found.neighbourhood.force, lines=lines, thresholds=figures.thresholds(),
                           months=pledge.period(clock_source.today_in_london()),
                           can_explain=_can_explain(found.id))


@bp.get("/forces/<force_id>/performance")
def force(force_id):
    found = db.get_or_404(Force, force_id)
    sort = request.args.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    page = request.args.get("page", 1, type=int)
    per_page = current_app.config["PLEDGE_TEAMS_PER_PAGE"]
    teams = db.session.execute(
        select(Team.id, Team.name, Neighbourhood.id.label("neighbourhood_id"))
        .join(Neighbourhood).where(Neighbourhood.force_id == force_id).order_by(Team.name)).all()
    lines = figures.lines_by_team(force_id=force_id)
    rows = [(t, {line.measure: line for line in lines[t.id]}) for t in teams]
    if sort != "name":
        # Where the promise is furthest from kept first; teams with nothing to measure last.
        rows.sort(key=lambda row: (row[1][sort].value is None, row[1][sort].value or 0, row[0].name))
    pages = max(1, -(-len(rows) // per_page))
    if page < 1 or page > pages:
        abort(404)
    summary = {measure: (sum(1 for _t, by in rows if by[measure].grade in pledge.MET),
                         sum(1 for _t, by in rows if by[measure].grade is not None))
               for measure in pledge.MEASURES}
    return render_template("performance/force.html", force=found, rows=rows[(page - 1) * per_page:page * per_page],
                           team_count=len(rows), summary=summary, sort=sort, page=page, pages=pages,
                           measures=pledge.MEASURES, thresholds=figures.thresholds(),
                           months=pledge.period(clock_source.today_in_london()))


def _missed_month_or_404(team_id, measure, month_key):
    if measure not in pledge.MEASURES:
        abort(404)
    line = next(line for line in figures.team_lines(team_id) if line.measure == measure)
    found = next((m for m in line.months if m.key == month_key), None)
    if found is None or not found.missed:
        abort(404)
    return line, found


@bp.route("/staff/teams/<int:team_id>/performance/<measure>/<month_key>/explanation", methods=["GET", "POST"])
@roles_required(SERGEANT)
@team_access_required
def explain(team_id, measure, month_key):
    team_row = db.get_or_404(Team, team_id)
    line, missed = _missed_month_or_404(team_id, measure, month_key)
    month_start = date(missed.year, missed.month, 1)
    existing = db.session.scalar(select(PledgeExplanation).where(
        PledgeExplanation.team_id == team_id, PledgeExplanation.measure == measure,
        PledgeExplanation.month == month_start))
    form = ExplanationForm(obj=existing)
    if form.validate_on_submit():
        text = form.text.data.strip()
        now = clock_source.now()
        if existing is None:
            existing = PledgeExplanation(team_id=team_id, measure=measure, month=month_start, text=text,
                                         author_id=current_user.id, created_at=now)
            db.session.add(existing)
            record("created", existing, by=current_user, changes={"measure": measure, "month": month_key, "text": text}, now=now)
        elif existing.text != text:
            record("updated", existing, by=current_user, changes={"text": [existing.text, text]}, now=now)
            existing.text, existing.author_id, existing.created_at = text, current_user.id, now
        db.session.commit()
        flash(_("Explanation published"), "success")
        n = team_row.neighbourhood
        return redirect(url_for("performance.team", force_id=n.force_id, neighbourhood_id=n.id,
                                _anchor=f"measure-{measure}"))
    return render_template("performance/explain.html", form=form, team=team_row, line=line, missed=missed,
                           month=month_start), 400 if form.errors else 200
