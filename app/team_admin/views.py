"""Team profiles (Pledges 2 and 3) and each team's publishing home for its officers:
officers edit their own pen picture and photo; sergeants manage members, contact routes,
the base station, and read the audit log."""
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import clock_source
from app.domain.photos import InvalidPhoto, reencode
from app.extensions import db
from app.models import (OFFICER, SERGEANT, WEEKDAYS, AuditEntry, Meeting, Membership, Officer, Priority, Station,
                        Team, Update, apply_changes, record)
from app.team_admin.forms import ContactForm, MemberForm, MembershipForm, OwnProfileForm, StationForm
from app.access import roles_required, team_access_required

bp = Blueprint("team_admin", __name__, url_prefix="/staff")


def _photo_folder():
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@bp.get("/teams/<int:team_id>/")
@team_access_required
def team_home(team_id):
    team = db.get_or_404(Team, team_id)
    now = clock_source.now()
    priorities = db.session.scalars(
        select(Priority).where(Priority.team_id == team_id, Priority.closed_on.is_(None))
        .options(selectinload(Priority.actions)).order_by(Priority.agreed_on.desc())
    ).all()
    upcoming = db.session.scalars(
        select(Meeting).where(Meeting.team_id == team_id, Meeting.starts_at >= now)
        .order_by(Meeting.starts_at).limit(12)
    ).all()
    recent = db.session.scalars(
        select(Meeting).where(Meeting.team_id == team_id, Meeting.starts_at < now,
                              Meeting.starts_at >= now - timedelta(days=92))
        .order_by(Meeting.starts_at.desc())
    ).all()
    updates = db.session.scalars(
        select(Update).where(Update.team_id == team_id).order_by(Update.published_on.desc()).limit(6)
    ).all()
    return render_template("team_admin/team_home.html", team=team, priorities=priorities, upcoming=upcoming,
                           recent=recent, updates=updates, today=clock_source.today_in_london())


@bp.route("/profile", methods=["GET", "POST"])
@roles_required(OFFICER, SERGEANT)
def own_profile():
    officer = current_user.officer
    if officer is None:
        abort(404)
    form = OwnProfileForm(obj=officer)
    if form.validate_on_submit():
        values = {"pen_picture": form.pen_picture.data, "photo_consent": form.photo_consent.data}
        old_photo = officer.photo_path
        if form.remove_photo.data:
            values["photo_path"] = None
        elif form.photo.data:
            try:
                jpeg = reencode(form.photo.data.read())
            except InvalidPhoto:
                form.photo.errors.append(_("The file is not a photo we can read. Choose a JPEG, PNG or WebP image."))
                return render_template("team_admin/own_profile.html", form=form, officer=officer), 400
            name = f"{secrets.token_hex(16)}.jpg"
            (_photo_folder() / name).write_bytes(jpeg)
            values["photo_path"] = name
        changes = apply_changes(officer, values)
        if changes:
            record("profile updated", officer, by=current_user, team_id=None, changes=changes)
        db.session.commit()
        if old_photo and officer.photo_path != old_photo:
            (_photo_folder() / old_photo).unlink(missing_ok=True)
        flash(_("Your profile is saved"), "success")
        return redirect(url_for("staff.home"))
    return render_template("team_admin/own_profile.html", form=form, officer=officer), 400 if form.errors else 200


@bp.route("/teams/<int:team_id>/members", methods=["GET", "POST"])
@roles_required(SERGEANT)
@team_access_required
def members(team_id):
    team = db.get_or_404(Team, team_id)
    form = MemberForm()
    if form.validate_on_submit():
        officer = Officer(force_id=team.neighbourhood.force_id, name=form.name.data, role=form.role.data,
                          collar_number=form.collar_number.data)
        membership = Membership(officer=officer, team=team, started_on=form.started_on.data)
        db.session.add(membership)
        record("member added", membership, by=current_user, team_id=team_id,
               changes={"name": form.name.data, "role": form.role.data, "started_on": form.started_on.data})
        db.session.commit()
        flash(_("%(name)s added to the team", name=officer.name), "success")
        return redirect(url_for("team_admin.members", team_id=team_id))
    memberships = db.session.scalars(
        select(Membership).where(Membership.team_id == team_id).options(joinedload(Membership.officer))
        .order_by(Membership.ended_on.is_not(None), Membership.started_on)
    ).all()
    return render_template("team_admin/members.html", form=form, team=team, memberships=memberships,
                           today=clock_source.today_in_london()), 400 if form.errors else 200


@bp.route("/teams/<int:team_id>/members/<int:membership_id>", methods=["GET", "POST"])
@roles_required(SERGEANT)
@team_access_required
def edit_member(team_id, membership_id):
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.team_id != team_id:
        abort(404)
    officer = membership.officer
    form = MembershipForm(data={"role": officer.role, "collar_number": officer.collar_number,
                                "started_on": membership.started_on, "ended_on": membership.ended_on})
    if form.validate_on_submit():
        changes = apply_changes(officer, {"role": form.role.data, "collar_number": form.collar_number.data})
        changes |= apply_changes(membership, {"started_on": form.started_on.data, "ended_on": form.ended_on.data})
        if changes:
            record("member updated", membership, by=current_user, team_id=team_id, changes={"officer": officer.name, **changes})
        db.session.commit()
        flash(_("Saved"), "success")
        return redirect(url_for("team_admin.members", team_id=team_id))
    return render_template("team_admin/edit_member.html", form=form, team=membership.team, officer=officer), \
        400 if form.errors else 200


@bp.route("/teams/<int:team_id>/contact", methods=["GET", "POST"])
@roles_required(SERGEANT)
@team_access_required
def contact(team_id):
    team = db.get_or_404(Team, team_id)
    form = ContactForm(data={"email": team.email, "telephone": team.telephone,
                             "social_links": "\n".join(f"{link['label']}, {link['url']}"
                                                       for link in team.social_links or [])})
    if form.validate_on_submit():
        changes = apply_changes(team, {"email": form.email.data, "telephone": form.telephone.data,
                                       "social_links": form.links()})
        if changes:
            record("contact updated", team, by=current_user, team_id=team_id, changes=changes)
        db.session.commit()
        flash(_("Contact details saved"), "success")
        return redirect(url_for("team_admin.team_home", team_id=team_id))
    return render_template("team_admin/contact.html", form=form, team=team), 400 if form.errors else 200


STATION_FIELDS = ("name", "address", "postcode", "facilities", "directions")


def _teams_sharing(station):
    db.session.flush()
    return db.session.scalars(select(Team).where(Team.station_id == station.id).order_by(Team.id)).all()


@bp.route("/teams/<int:team_id>/station", methods=["GET", "POST"])
@roles_required(SERGEANT)
@team_access_required
def station(team_id):
    team = db.get_or_404(Team, team_id)
    station = team.station
    data = {}
    if station:
        data = {"name": station.name, "address": station.address, "postcode": station.postcode,
                "facilities": station.facilities, "directions": station.directions,
                **{f"open_{day}": (station.opening_times or {}).get(day) for day in WEEKDAYS}}
    form = StationForm(data=data)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in STATION_FIELDS}
        values["opening_times"] = {day: getattr(form, f"open_{day}").data for day in WEEKDAYS}
        if station is None:
            station = Station(force_id=team.neighbourhood.force_id)
            db.session.add(station)
            team.station = station
        elif any(not current_user.can_act_for(other.id) for other in _teams_sharing(station)):
            # Shared with a team this sergeant does not serve: the change becomes this
            # team's own copy, and the other teams' pages stay as they were.
            copy = Station(force_id=station.force_id, opening_times=dict(station.opening_times or {}),
                           **{name: getattr(station, name) for name in STATION_FIELDS})
            db.session.add(copy)
            team.station = copy
            db.session.flush()
            record("station copied for this team", copy, by=current_user, team_id=team_id,
                   changes={"copied from": station.id})
            station = copy
        changes = apply_changes(station, values)
        if changes:
            for affected in _teams_sharing(station) or [team]:
                record("station updated", station, by=current_user, team_id=affected.id, changes=changes)
        db.session.commit()
        flash(_("Base station saved"), "success")
        return redirect(url_for("team_admin.team_home", team_id=team_id))
    sharing = _teams_sharing(station) if station else []
    shared_by = len(sharing)
    copy_on_save = any(not current_user.can_act_for(other.id) for other in sharing)
    return render_template("team_admin/station.html", form=form, team=team, shared_by=shared_by,
                           copy_on_save=copy_on_save), \
        400 if form.errors else 200


@bp.get("/teams/<int:team_id>/audit")
@roles_required(SERGEANT)
@team_access_required
def audit(team_id):
    team = db.get_or_404(Team, team_id)
    officer_ids = select(Membership.officer_id).where(Membership.team_id == team_id)
    entries = db.session.scalars(
        select(AuditEntry)
        .where((AuditEntry.team_id == team_id)
               | ((AuditEntry.object_type == "officers") & AuditEntry.object_id.in_(officer_ids)))
        .options(joinedload(AuditEntry.user)).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(500)
    ).all()
    return render_template("team_admin/audit.html", team=team, entries=entries)
