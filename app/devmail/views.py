"""/dev/mail: every email the portal has queued, readable in the browser. Development and
the demo only: create_app registers this blueprint only when DEV_MAIL_PAGE is set, which
only DevelopmentConfig does.

Why a page rather than a local mail catcher: every email goes through the outbox table
before SMTP, so this page shows exactly what would be sent, links and all, with no second
process to start and nothing to configure after `flask run`. Development-only, so in
English only (its text is not marked for translation).
"""
import ipaddress
import re

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup, escape
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxEmail

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail")
PAGE_SIZE = 50


@bp.before_request
def only_from_this_machine():
    """A server started without PORTAL_ENV runs the development configuration: even then the
    outbox (private links, residents' addresses) is readable only from the machine itself,
    never through a proxy."""
    try:
        local = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        local = False
    if not local or "X-Forwarded-For" in request.headers:
        abort(404)


@bp.get("/")
def index():
    page = max(1, request.args.get("page", 1, type=int) or 1)
    total = db.session.scalar(select(func.count()).select_from(OutboxEmail))
    emails = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc())
                                .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("devmail/index.html", emails=emails, page=page, total=total,
                           pages=max(1, -(-total // PAGE_SIZE)))


@bp.get("/<int:email_id>")
def show(email_id):
    email = db.get_or_404(OutboxEmail, email_id)
    return render_template("devmail/show.html", email=email, body=linked(email.body_text))


_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+")


def linked(text):
    """The email's text, escaped, with its web addresses (like http://127.0.0.1:5000/…, the
    ones development mail has) made into links."""
    escaped = str(escape(text))
    return Markup(_WEB_ADDRESS.sub(lambda m: f'<a class="govuk-link" href="{m.group(0)}">{m.group(0)}</a>', escaped))
