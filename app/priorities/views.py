"""Priorities (Pledges 7 and 8): set by officers with residents, updated with dated actions,
closed with an outcome into a public archive."""
from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock_source
from app.extensions import db
from app.forms.handlers import form_page, save
from app.models import Meeting, Priority, PriorityAction, Team
from app.priorities.forms import ActionForm, CloseForm, PriorityForm
from app.access import team_access_required
from app.queries import consultations as consultation_queries
from app.queries.teams import team_object_or_404
from app.queries.teams import team_for

bp = Blueprint("priorities", __name__)

FIELDS = ["title", "description", "area", "how_decided", "decided_at_meeting_id", "consultation_id", "residents_consulted",
          "agreed_on", "review_on"]


def _meeting_choices(form, team_id):
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.team_id == team_id, Meeting.starts_at < clock_source.now(), Meeting.cancelled.is_(False))
        .order_by(Meeting.starts_at.desc()).limit(24)
    ).all()
    form.decided_at_meeting_id.choices = [(0, _l("Not agreed at a listed meeting"))] + [
        (m.id, f"{m.starts_at:%d %b %Y} – {m.title}") for m in meetings
    ]


def _consultation_choices(form, team_id):
    closed = consultation_queries.closed_consultations(team_id, clock_source.today_in_london())
    form.consultation_id.choices = [(0, _l("Not from a consultation"))] + [
        (c.id, f"{c.title} (closed {c.closed_early_on or c.closes_on:%d %b %Y})") for c in closed]
    return {c.id: c for c in closed}


def _values(form, closed_consultations):
    values = {name: getattr(form, name).data for name in FIELDS}
    values["decided_at_meeting_id"] = values["decided_at_meeting_id"] or None
    values["consultation_id"] = values["consultation_id"] or None
    consultation = closed_consultations.get(values["consultation_id"])
    if consultation is not None and values["residents_consulted"] is None:
        values["residents_consulted"] = consultation_queries.results(consultation).residents_total
    return values


def _from_consultation(form, closed_consultations):
    """A new priority started from a consultation's page: that consultation, its meeting and
    its count already filled in."""
    consultation = closed_consultations.get(request.args.get("consultation", type=int))
    if consultation is None or form.is_submitted():
        return
    form.consultation_id.data = consultation.id
    if consultation.meeting_id in {value for value, _label in form.decided_at_meeting_id.choices}:
        form.decided_at_meeting_id.data = consultation.meeting_id
    results = consultation_queries.results(consultation)
    form.residents_consulted.data = results.residents_total
    form.how_decided.data = _("Ranked by residents in ‘%(title)s’: %(online)d online, %(meeting)d at the meeting",
                              title=consultation.title, online=results.residents_online, meeting=results.at_meeting)


# Staff pages -------------------------------------------------------------------------


@bp.route("/staff/teams/<int:team_id>/priorities/new", methods=["GET", "POST"])
@team_access_required
def new(team_id):
    team = db.get_or_404(Team, team_id)
    form = PriorityForm()
    _meeting_choices(form, team_id)
    closed = _consultation_choices(form, team_id)
    _from_consultation(form, closed)
    if form.validate_on_submit():
        values = _values(form, closed)
        return save(Priority(team_id=team_id), values, "created",
                    _("Priority published: %(title)s", title=values["title"]), team_id=team_id, new=True)
    return form_page("priorities/new.html", form, team=team)


@bp.route("/staff/teams/<int:team_id>/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
@team_access_required
def edit(team_id, priority_id):
    priority = team_object_or_404(Priority, priority_id, team_id)
    form = PriorityForm(obj=priority)
    _meeting_choices(form, team_id)
    closed = _consultation_choices(form, team_id)
    if form.decided_at_meeting_id.data is None:
        form.decided_at_meeting_id.data = 0
    if form.consultation_id.data is None:
        form.consultation_id.data = 0
    if form.validate_on_submit():
        return save(priority, _values(form, closed), "updated", _("Priority saved"), team_id=team_id)
    return form_page("priorities/edit.html", form, team=priority.team, priority=priority)


@bp.route("/staff/teams/<int:team_id>/priorities/<int:priority_id>/actions/new", methods=["GET", "POST"])
@team_access_required
def add_action(team_id, priority_id):
    priority = team_object_or_404(Priority, priority_id, team_id)
    if not priority.is_current:
        abort(404)
    form = ActionForm(priority=priority)
    if form.taken_on.data is None and not form.is_submitted():
        form.taken_on.data = clock_source.today_in_london()
    if form.validate_on_submit():
        values = {"taken_on": form.taken_on.data, "description": form.description.data, "partner": form.partner.data}
        return save(PriorityAction(priority=priority, created_at=clock_source.now()), values, "action added",
                    _("Action added to ‘%(title)s’", title=priority.title), team_id=team_id, new=True,
                    audit_team_id=team_id, noted={"priority": priority.title})
    return form_page("priorities/add_action.html", form, team=priority.team, priority=priority)


@bp.route("/staff/teams/<int:team_id>/priorities/<int:priority_id>/close", methods=["GET", "POST"])
@team_access_required
def close(team_id, priority_id):
    priority = team_object_or_404(Priority, priority_id, team_id)
    if not priority.is_current:
        abort(404)
    form = CloseForm()
    if form.validate_on_submit():
        if form.closed_on.data < priority.agreed_on:
            form.closed_on.errors.append(_("The priority cannot close before it was agreed"))
        else:
            return save(priority, {"closed_on": form.closed_on.data, "outcome": form.outcome.data}, "closed",
                        _("Priority closed and moved to the archive"), team_id=team_id)
    if not form.is_submitted():
        form.closed_on.data = clock_source.today_in_london()
    return form_page("priorities/close.html", form, team=priority.team, priority=priority)


# Public pages ------------------------------------------------------------------------


@bp.get("/teams/<force_id>/<neighbourhood_id>/priorities/archive")
def archive(force_id, neighbourhood_id):
    team = team_for(force_id, neighbourhood_id)
    closed = db.session.scalars(
        select(Priority).where(Priority.team_id == team.id, Priority.closed_on.is_not(None))
        .options(selectinload(Priority.actions)).order_by(Priority.closed_on.desc())
    ).all()
    return render_template("priorities/archive.html", team=team, force=team.neighbourhood.force, priorities=closed)


@bp.get("/teams/<force_id>/<neighbourhood_id>/priorities/<int:priority_id>")
def detail(force_id, neighbourhood_id, priority_id):
    team = team_for(force_id, neighbourhood_id)
    priority = team_object_or_404(Priority, priority_id, team.id)
    return render_template("priorities/detail.html", team=team, force=team.neighbourhood.force, priority=priority)
