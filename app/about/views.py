"""The pages every public service must have: privacy notice, accessibility statement, cookies."""
from datetime import date

from flask import Blueprint, current_app, render_template

from app.web import LANGUAGE_COOKIE

bp = Blueprint("about", __name__)


def _date(name):
    try:
        return date.fromisoformat(current_app.config[name])
    except (TypeError, ValueError):
        return None


@bp.get("/privacy")
def privacy():
    return render_template("about/privacy.html")


@bp.get("/accessibility")
def accessibility():
    return render_template("about/accessibility.html", prepared=_date("ACCESSIBILITY_STATEMENT_PREPARED"),
                           reviewed=_date("ACCESSIBILITY_STATEMENT_REVIEWED"))


@bp.get("/cookies")
def cookies():
    return render_template("about/cookies.html", session_cookie=current_app.config.get("SESSION_COOKIE_NAME") or
                           "session", language_cookie=LANGUAGE_COOKIE)
