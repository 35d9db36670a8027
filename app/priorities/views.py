"""Priorities (Pledges 7 and 8): set by officers with residents, updated with dated actions,
closed with an outcome into a public archive."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock_source
from app.domain.localtime import utcnow
from app.extensions import db
from app.models import Meeting, Priority, PriorityAction, Team, apply_changes, record
from app.priorities.forms import ActionForm, CloseForm, PriorityForm
from app.staff.access import team_access_required
from app.staff.publishing import team_object_or_404, today
from app.teams.views import team_for

bp = Blueprint("priorities", __name__)

FIELDS = ["title", "description", "area", "how_decided", "decided_at_meeting_id", "residents_consulted",
          "agreed_on", "review_on"]


def _meeting_choices(form, team_id):
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.team_id == team_id, Meeting.starts_at < utcnow(), Meeting.cancelled.is_(False))
        .order_by(Meeting.starts_at.desc()).limit(24)
    ).all()
    form.decided_at_meeting_id.choices = [(0, _l("Not agreed at a listed meeting"))] + [
        (m.id, f"{m.starts_at:%d %b %Y} – {m.title}") for m in meetings
    ]


def _values(form):
    values = {name: getattr(form, name).data for name in FIELDS}
    values["decided_at_meeting_id"] = values["decided_at_meeting_id"] or None
    return values


# Staff pages -------------------------------------------------------------------------


@bp.route("/staff/teams/<int:team_id>/priorities/new", methods=["GET", "POST"])
@team_access_required
def new(team_id):
    team = db.get_or_404(Team, team_id)
    form = PriorityForm()
    _meeting_choices(form, team_id)
    if form.validate_on_submit():
        priority = Priority(team_id=team_id)
        changes = apply_changes(priority, _values(form))
        db.session.add(priority)
        record("created", priority, changes=changes)
        db.session.commit()
        flash(_("Priority published: %(title)s", title=priority.title), "success")
        return redirect(url_for("profiles.team_home", team_id=team_id))
    return render_template("priorities/new.html", form=form, team=team), 400 if form.errors else 200


@bp.route("/staff/teams/<int:team_id>/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
@team_access_required
def edit(team_id, priority_id):
    priority = team_object_or_404(Priority, priority_id, team_id)
    form = PriorityForm(obj=priority)
    _meeting_choices(form, team_id)
    if form.decided_at_meeting_id.data is None:
        form.decided_at_meeting_id.data = 0
    if form.validate_on_submit():
        changes = apply_changes(priority, _values(form))
        if changes:
            record("updated", priority, changes=changes)
        db.session.commit()
        flash(_("Priority saved"), "success")
        return redirect(url_for("profiles.team_home", team_id=team_id))
    return render_template("priorities/edit.html", form=form, team=priority.team, priority=priority), \
        400 if form.errors else 200


@bp.route("/staff/teams/<int:team_id>/priorities/<int:priority_id>/actions/new", methods=["GET", "POST"])
@team_access_required
def add_action(team_id, priority_id):
    priority = team_object_or_404(Priority, priority_id, team_id)
    if not priority.is_current:
        abort(404)
    form = ActionForm(priority=priority)
    if form.taken_on.data is None and not form.is_submitted():
        form.taken_on.data = today()
    if form.validate_on_submit():
        action = PriorityAction(priority=priority, created_at=clock_source.now())
        changes = apply_changes(action, {"taken_on": form.taken_on.data, "description": form.description.data,
                                         "partner": form.partner.data})
        db.session.add(action)
        record("action added", action, team_id=team_id, changes={"priority": priority.title, **changes})
        db.session.commit()
        flash(_("Action added to ‘%(title)s’", title=priority.title), "success")
        return redirect(url_for("profiles.team_home", team_id=team_id))
    return render_template("priorities/add_action.html", form=form, team=priority.team, priority=priority), \
        400 if form.errors else 200


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
            changes = apply_changes(priority, {"closed_on": form.closed_on.data, "outcome": form.outcome.data})
            record("closed", priority, changes=changes)
            db.session.commit()
            flash(_("Priority closed and moved to the archive"), "success")
            return redirect(url_for("profiles.team_home", team_id=team_id))
    if not form.is_submitted():
        form.closed_on.data = today()
    return render_template("priorities/close.html", form=form, team=priority.team, priority=priority), \
        400 if form.errors else 200


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
