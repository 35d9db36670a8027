"""“You said – We did” (Pledge 8): what residents raised, paired with what was done."""
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import clock_source
from app.domain.months import month_days
from app.extensions import db
from app.forms.handlers import form_page, save
from app.models import Priority, Team, Update
from app.access import team_access_required
from app.queries.teams import team_object_or_404
from app.queries.teams import team_for
from app.labels import RAISED_AT
from app.updates.forms import UpdateForm

bp = Blueprint("updates", __name__)

FIELDS = ["published_on", "raised_at", "you_said", "we_did", "priority_id", "message_id", "resident_consent"]


def _priority_choices(form, team_id):
    current = db.session.scalars(
        select(Priority).where(Priority.team_id == team_id).order_by(Priority.closed_on.is_not(None),
                                                                     Priority.agreed_on.desc())
    ).all()
    form.priority_id.choices = [(0, _l("No linked priority"))] + [(p.id, p.title) for p in current]


def _values(form):
    values = {name: getattr(form, name).data for name in FIELDS}
    values["priority_id"] = values["priority_id"] or None
    values["resident_consent"] = bool(values["message_id"] and values["resident_consent"])
    return values


@bp.route("/staff/teams/<int:team_id>/updates/new", methods=["GET", "POST"])
@team_access_required
def new(team_id):
    team = db.get_or_404(Team, team_id)
    form = UpdateForm()
    _priority_choices(form, team_id)
    if not form.is_submitted():
        form.published_on.data = clock_source.today_in_london()
    if form.validate_on_submit():
        return save(Update(team_id=team_id, created_at=clock_source.now()), _values(form), "created",
                    _("“You said – We did” published"), team_id=team_id, new=True)
    return form_page("updates/new.html", form, team=team)


@bp.route("/staff/teams/<int:team_id>/updates/<int:update_id>/edit", methods=["GET", "POST"])
@team_access_required
def edit(team_id, update_id):
    update = team_object_or_404(Update, update_id, team_id)
    form = UpdateForm(obj=update)
    _priority_choices(form, team_id)
    if form.priority_id.data is None:
        form.priority_id.data = 0
    if form.validate_on_submit():
        return save(update, _values(form), "updated", _("“You said – We did” saved"), team_id=team_id)
    return form_page("updates/edit.html", form, team=update.team, update=update)


@bp.get("/teams/<force_id>/<neighbourhood_id>/you-said-we-did")
def monthly(force_id, neighbourhood_id):
    team = team_for(force_id, neighbourhood_id)
    dates = db.session.scalars(select(Update.published_on).where(Update.team_id == team.id)).all()
    months = sorted({(d.year, d.month) for d in dates}, reverse=True)
    chosen = request.args.get("month")
    if chosen:
        try:
            year, month = (int(part) for part in chosen.split("-"))
            date(year, month, 1)
        except (ValueError, OverflowError):
            abort(404)
        if not 1900 <= year <= 2999:
            abort(404)
    else:
        year, month = months[0] if months else (clock_source.today_in_london().year, clock_source.today_in_london().month)
    start, end = month_days(year, month)
    updates = db.session.scalars(
        select(Update).where(Update.team_id == team.id, Update.published_on >= start, Update.published_on < end)
        .order_by(Update.published_on.desc(), Update.id.desc())
    ).all()
    return render_template("updates/monthly.html", team=team, force=team.neighbourhood.force, updates=updates,
                           month=date(year, month, 1), months=[date(y, m, 1) for y, m in months],
                           raised_at=RAISED_AT)
