"""Force administrators manage staff accounts and team membership."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import clock_source
from app.admin import accounts
from app.admin.forms import AddTeamForm, EditUserForm, NewUserForm
from app.extensions import db
from app.access import roles_required
from app.forms.confirm import ConfirmForm
from app.models import ADMIN, AuditEntry, Membership, User, apply_changes, record
from app.services.staff_auth import end_all_sessions, reset_second_factor

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")


def _user_or_404(user_id):
    user = db.get_or_404(User, user_id)
    if current_user.force_id and user.force_id != current_user.force_id:
        abort(404)
    return user


@bp.get("/users")
@roles_required(ADMIN)
def users():
    query = select(User).order_by(User.name)
    if current_user.force_id:
        query = query.where(User.force_id == current_user.force_id)
    return render_template("admin/users.html", users=db.session.scalars(query).all())


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        teams = []
        if form.team_code.data:
            team = accounts.team_by_code(db.session, form.team_code.data, current_user.force_id)
            if team is None:
                form.team_code.errors.append(_("There is no team with that code in your force"))
            teams = [team]
        if form.role.data != ADMIN and not form.rank.data:
            form.rank.errors = [_("Select the rank or role the public will read, for example PCSO")]
        if not form.team_code.errors and not form.rank.errors:
            try:
                user = accounts.create_account(
                    db.session, email=form.email.data, name=form.name.data, role=form.role.data,
                    password=form.password.data, force_id=current_user.force_id, temporary=True,
                    now=clock_source.now(),
                    teams=[] if form.role.data == ADMIN else teams,
                    rank=None if form.role.data == ADMIN else form.rank.data)
            except accounts.AccountError as error:
                form.email.errors.append(str(error))
            else:
                db.session.commit()
                flash(_("Account created for %(name)s.", name=user.name), "success")
                return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/new_user.html", form=form), 400 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def user(user_id):
    user = _user_or_404(user_id)
    form = EditUserForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != ADMIN or not form.active.data):
            form.role.errors.append(_("You cannot remove your own administrator access"))
        else:
            changes = apply_changes(user, {"role": form.role.data, "active": form.active.data})
            if not user.active:
                end_all_sessions(user)  # signs them out everywhere
            if changes:
                record("account updated", user, by=current_user, team_id=None, changes=changes)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.user", user_id=user.id))
    memberships = user.officer.memberships if user.officer else []
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == User.__tablename__,
                                                          AuditEntry.object_id == user.id)
                                 .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(50)).all()
    return render_template("admin/user.html", user=user, form=form, add_team=AddTeamForm(formdata=None),
                           memberships=memberships, confirm=ConfirmForm(), history=history), \
        400 if form.errors else 200


@bp.post("/users/<int:user_id>/teams")
@roles_required(ADMIN)
def add_team(user_id):
    user = _user_or_404(user_id)
    form = AddTeamForm()
    if form.validate_on_submit():
        team = accounts.team_by_code(db.session, form.team_code.data, current_user.force_id)
        if team is None:
            flash(_("There is no team with that code in your force."), "info")
        else:
            try:
                accounts.add_to_team(db.session, user, team)
            except accounts.AccountError as error:
                flash(str(error), "info")
            else:
                db.session.commit()
                flash(_("%(name)s added to %(team)s.", name=user.name, team=team.name), "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/memberships/<int:membership_id>/end")
@roles_required(ADMIN)
def end_membership(user_id, membership_id):
    user = _user_or_404(user_id)
    membership = db.get_or_404(Membership, membership_id)
    if not user.officer or membership.officer_id != user.officer_id or not ConfirmForm().validate_on_submit():
        abort(400)
    accounts.end_membership(membership)
    db.session.commit()
    flash(_("Membership ended."), "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/sign-out-everywhere")
@roles_required(ADMIN)
def sign_out(user_id):
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    end_all_sessions(user)
    record("signed out everywhere", user, by=current_user, team_id=None)
    db.session.commit()
    flash(_("%(name)s is signed out on every device.", name=user.name), "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/two-factor/reset")
@roles_required(ADMIN)
def reset_two_factor(user_id):
    """For someone who lost their phone and recovery codes: they set up a new app at their next sign-in."""
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    reset_second_factor(user)
    record("two-factor reset", user, by=current_user, team_id=None)
    db.session.commit()
    flash(_("Two-step sign-in reset for %(name)s: they will set it up again when they next sign in.",
            name=user.name), "success")
    return redirect(url_for("admin.user", user_id=user.id))
