"""Staff sign-in and the staff home page. Issue-specific staff pages live in their own areas."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import delete, func, select

from app import clock_source
from app.domain.throttle import ThrottlePolicy
from app.extensions import db, limiter
from app.models import LoginAttempt, Neighbourhood, Team, User
from app.forms.confirm import ConfirmForm
from app.staff.forms import LoginForm

bp = Blueprint("staff", __name__, url_prefix="/staff")
THROTTLE = ThrottlePolicy()


def _recent_failures(email, address, now):
    since = THROTTLE.since(now)
    count = lambda condition: db.session.scalar(  # noqa: E731
        select(func.count()).select_from(LoginAttempt).where(condition, LoginAttempt.attempted_at >= since)
    )
    return count(LoginAttempt.email == email), count(LoginAttempt.address == address)


def _safe_next(target):
    return target if target and target.startswith("/") and not target.startswith("//") else url_for("staff.home")


@bp.route("/sign-in", methods=["GET", "POST"], endpoint="login")
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        address = request.remote_addr or "unknown"
        now = clock_source.now()
        if THROTTLE.locked(*_recent_failures(email, address, now)):
            form.email.errors.append(_("Too many failed attempts. Wait 15 minutes, then try again."))
            return render_template("staff/login.html", form=form), 429
        user = db.session.scalar(select(User).where(User.email == email))
        if user and user.is_active and user.check_password(form.password.data):
            db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        db.session.add(LoginAttempt(email=email, address=address, attempted_at=now))
        db.session.commit()
        form.email.errors.append(_("The email address or password is not right"))
        return render_template("staff/login.html", form=form), 401
    return render_template("staff/login.html", form=form), 400 if form.errors else 200


@bp.post("/sign-out")
@login_required
def logout():
    if ConfirmForm().validate_on_submit():
        logout_user()
        flash(_("You have signed out."), "success")
    return redirect(url_for("find.home"))


@bp.post("/sign-out-everywhere")
@login_required
def logout_everywhere():
    if ConfirmForm().validate_on_submit():
        current_user.session_version += 1
        db.session.commit()
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
