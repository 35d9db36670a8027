"""Staff sign-in (password, then a second factor), password change and reset, and the
staff home page. Issue-specific staff pages live in their own areas."""
import math

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select

from app import clock_source
from app.domain import passwords
from app.domain.redirects import safe_next_path
from app.extensions import db, limiter
from app.forms.confirm import ConfirmForm
from app.mail import queue_email
from app.models import Neighbourhood, Team, User
from app.services import staff_auth as auth
from app.staff.forms import ChangePasswordForm, ForgottenPasswordForm, LoginForm, NewPasswordForm, SecondFactorForm

bp = Blueprint("staff", __name__, url_prefix="/staff")


def _address():
    return request.remote_addr or "unknown"


def _after_sign_in(next_path):
    return redirect(safe_next_path(next_path) or url_for("staff.home"))


def _too_many(form, field, wait, template, **context):
    seconds = max(1, math.ceil(wait.total_seconds()))
    field.errors.append(_("Too many attempts that did not work. Wait %(seconds)d seconds, then try again.",
                          seconds=seconds))
    response = current_app.make_response((render_template(template, form=form, **context), 429))
    response.headers["Retry-After"] = str(seconds)
    return response


# What someone who must first replace a temporary password may still open.
_BEFORE_PASSWORD_CHANGE = {"staff.change_password", "staff.logout", "staff.logout_everywhere", "static"}


@bp.before_app_request
def temporary_password_must_be_changed():
    """An administrator's temporary password opens one page: the one to replace it."""
    if (request.path.startswith("/staff/") and current_user.is_authenticated
            and current_user.password_changed_at is None and request.endpoint not in _BEFORE_PASSWORD_CHANGE):
        flash(_("Choose your own password to replace the temporary one you were given."), "info")
        return redirect(url_for("staff.change_password"))
    return None


@bp.route("/sign-in", methods=["GET", "POST"], endpoint="login")
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        address, now = _address(), clock_source.now()
        wait = auth.wait_before_attempt(email, address, now)
        if wait.total_seconds() > 0:
            return _too_many(form, form.email, wait, "staff/login.html")
        user = auth.check_credentials(email, form.password.data)
        if user is None:
            auth.record_failure(email, address, now)
            form.email.errors.append(_("The email address or password is not right"))
            return render_template("staff/login.html", form=form), 401
        auth.start_pending(user, now, safe_next_path(request.args.get("next")))
        if not user.has_second_factor:
            return redirect(url_for("staff.set_up_two_factor"))
        return redirect(url_for("staff.second_factor"))
    return render_template("staff/login.html", form=form), 400 if form.errors else 200


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def second_factor():
    now = clock_source.now()
    user = auth.pending_user(now)
    if user is None:
        flash(_("Sign in again: that sign-in had expired."), "info")
        return redirect(url_for("staff.login"))
    if not user.has_second_factor:
        return redirect(url_for("staff.set_up_two_factor"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        address = _address()
        wait = auth.wait_before_attempt(user.email, address, now)
        if wait.total_seconds() > 0:
            return _too_many(form, form.code, wait, "staff/second_factor.html")
        code = form.code.data.strip()
        if auth.verify_totp(user, code, now) or auth.use_recovery_code(user, code, now):
            auth.clear_failures(user.email, address)
            next_path = auth.pending_next()
            auth.open_session(user, now)
            if auth.recovery_codes_left(user) <= 2:
                flash(_("You have %(count)d recovery codes left. Make new ones from your account page.",
                        count=auth.recovery_codes_left(user)), "info")
            return _after_sign_in(next_path)
        auth.record_failure(user.email, address, now)
        form.code.errors.append(_("That code is not right. Enter the 6-digit code your app shows now, "
                                  "or one of your recovery codes"))
        return render_template("staff/second_factor.html", form=form), 401
    return render_template("staff/second_factor.html", form=form), 400 if form.errors else 200


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def set_up_two_factor():
    """First sign-in (or after an administrator's reset): enrol an authenticator app."""
    now = clock_source.now()
    user = auth.pending_user(now)
    if user is None:
        flash(_("Sign in again: that sign-in had expired."), "info")
        return redirect(url_for("staff.login"))
    if user.has_second_factor:
        return redirect(url_for("staff.second_factor"))
    auth.begin_enrolment(user)
    form = SecondFactorForm()
    if form.validate_on_submit():
        if auth.verify_totp(user, form.code.data, now):
            user.totp_confirmed_at = now
            codes = auth.new_recovery_codes(user)
            next_path = auth.pending_next()
            auth.open_session(user, now)
            return render_template("staff/recovery_codes.html", codes=codes,
                                   continue_to=safe_next_path(next_path) or url_for("staff.home"))
        auth.record_failure(user.email, _address(), now)
        form.code.errors.append(_("That code is not right. Enter the 6-digit code your app shows now"))
    return render_template("staff/set_up_two_factor.html", form=form, qr_svg=auth.qr_code_svg(user),
                           secret=user.totp_secret), 400 if form.errors else 200


@bp.post("/account/recovery-codes")
@login_required
def new_recovery_codes():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    codes = auth.new_recovery_codes(current_user)
    db.session.commit()
    return render_template("staff/recovery_codes.html", codes=codes, continue_to=url_for("staff.account"))


@bp.get("/account")
@login_required
def account():
    return render_template("staff/account.html", confirm=ConfirmForm(),
                           recovery_codes_left=auth.recovery_codes_left(current_user))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("Your current password is not right"))
        else:
            problems = passwords.problems(form.new_password.data, name=current_user.name, email=current_user.email)
            form.new_password.errors.extend(problems)
        if not form.errors:
            current_user.set_password(form.new_password.data)
            current_user.password_changed_at = clock_source.now()
            auth.end_all_sessions(current_user, keep_current=True)
            db.session.commit()
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("staff.account"))
    return render_template("staff/change_password.html", form=form), 400 if form.errors else 200


@bp.route("/sign-in/forgotten", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per day", methods=["POST"])
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        now = clock_source.now()
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.is_active:
            token = auth.create_reset(user, now)
            link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("staff.reset_password", token=token)
            minutes = current_app.config["PASSWORD_RESET_MINUTES"]
            queue_email(db.session, user.email, "Reset your Neighbourhood Policing staff password",
                        render_template("staff/emails/password_reset.txt", user=user, link=link, minutes=minutes),
                        kind="password_reset", subject_id=user.id, now=now)
            db.session.commit()
        # The same page whether or not the address has an account.
        return render_template("staff/forgotten_sent.html", email=email)
    return render_template("staff/forgotten.html", form=form), 400 if form.errors else 200


@bp.route("/sign-in/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def reset_password(token):
    now = clock_source.now()
    reset = auth.reset_for_token(token, now) if len(token) <= 100 else None
    if reset is None:
        return render_template("staff/reset_expired.html"), 404
    user = db.session.get(User, reset.user_id)
    form = NewPasswordForm()
    if form.validate_on_submit():
        form.new_password.errors.extend(passwords.problems(form.new_password.data, name=user.name, email=user.email))
        if not form.errors:
            auth.complete_reset(reset, user, form.new_password.data, now)
            db.session.commit()
            flash(_("Your password has been changed. Sign in with it now."), "success")
            return redirect(url_for("staff.login"))
    return render_template("staff/reset_password.html", form=form), 400 if form.errors else 200


@bp.post("/sign-out")
@login_required
def logout():
    if ConfirmForm().validate_on_submit():
        auth.close_session()
        logout_user()
        flash(_("You have signed out."), "success")
    return redirect(url_for("find.home"))


@bp.post("/sign-out-everywhere")
@login_required
def logout_everywhere():
    if ConfirmForm().validate_on_submit():
        auth.end_all_sessions(current_user)
        db.session.commit()
        auth.close_session()
        logout_user()
        flash(_("You have signed out on every device."), "success")
    return redirect(url_for("find.home"))


@bp.get("/")
@login_required
def home():
    team_ids = current_user.team_ids()
    query = select(Team).join(Neighbourhood).order_by(Team.name)
    if team_ids is not None:
        query = query.where(Team.id.in_(team_ids))
    else:
        query = query.limit(50)
    teams = db.session.scalars(query).all()
    return render_template("staff/home.html", teams=teams, confirm=ConfirmForm())
