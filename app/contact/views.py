"""Residents write to their team (Pledge 4) or tell it they are unhappy with its service
(Pledge 10). The message is stored first; its receipt goes out through the outbox."""
from flask import Blueprint, abort, current_app, redirect, render_template, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app import clock_source
from app.domain import clock
from app.extensions import db, limiter
from app.contact.forms import FeedbackForm, MessageForm
from app.services import inbox as service
from app.models import FEEDBACK, MESSAGE, Message
from app.queries.teams import team_for

bp = Blueprint("contact", __name__, url_prefix="/teams/<force_id>/<neighbourhood_id>")
IOPC_COMPLAINTS = "https://www.policeconduct.gov.uk/complaints-reviews-and-appeals/make-complaint"


def _contact_limit():
    return current_app.config["CONTACT_RATE_LIMIT"]


def _receive(team, form, kind, subject, themes=()):
    if form.is_spam:
        return None
    message = service.receive(
        db.session, team, clock_source.now(), kind=kind, name=form.name.data.strip(),
        email=form.email.data.strip().lower() if form.contact_by.data != "phone" and form.email.data else None,
        phone=form.phone.data.strip() if form.contact_by.data != "email" and form.phone.data else None,
        contact_by=form.contact_by.data, subject=subject, body=form.body.data.strip(),
        urgent=getattr(form, "urgent", None) is not None and form.urgent.data == "yes", themes=themes)
    db.session.commit()
    return message


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(_contact_limit, methods=["POST"])
def message(force_id, neighbourhood_id):
    team = team_for(force_id, neighbourhood_id)
    form = MessageForm()
    if form.validate_on_submit():
        sent = _receive(team, form, MESSAGE, form.subject.data.strip())
        session["sent_reference"] = sent.reference if sent else None
        return redirect(url_for("contact.sent", force_id=force_id, neighbourhood_id=neighbourhood_id))
    return render_template("contact/message.html", team=team, form=form), 400 if form.errors else 200


@bp.route("/feedback", methods=["GET", "POST"])
@limiter.limit(_contact_limit, methods=["POST"])
def feedback(force_id, neighbourhood_id):
    team = team_for(force_id, neighbourhood_id)
    form = FeedbackForm()
    if form.validate_on_submit():
        sent = _receive(team, form, FEEDBACK, _("Unhappy with our service"), themes=form.themes.data)
        session["sent_reference"] = sent.reference if sent else None
        return redirect(url_for("contact.sent", force_id=force_id, neighbourhood_id=neighbourhood_id))
    force = team.neighbourhood.force
    return render_template("contact/feedback.html", team=team, form=form,
                           complaints_url=force.complaints_url or IOPC_COMPLAINTS), 400 if form.errors else 200


@bp.get("/contact/sent")
def sent(force_id, neighbourhood_id):
    team = team_for(force_id, neighbourhood_id)
    reference = session.get("sent_reference")
    message = reference and db.session.scalar(
        select(Message).where(Message.reference == reference, Message.team_id == team.id))
    if not message:
        abort(404)
    due = clock.deadline(message.received_at, service.promise())
    return render_template("contact/sent.html", team=team, message=message, due=due)
