"""Residents write to their team (Pledge 4) or tell it they are unhappy with its service
(Pledge 10). The message is stored first; its receipt goes out through the outbox."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app import clock_source
from app.domain import clock
from app.extensions import db, limiter
from app.contact.forms import FeedbackForm, MessageForm, normalise_reference
from app.services import inbox as service
from app.models import FEEDBACK, MESSAGE, Message
from app.labels import page_language
from app.queries.teams import team_for

bp = Blueprint("contact", __name__, url_prefix="/teams/<force_id>/<neighbourhood_id>")
IOPC_COMPLAINTS = "https://www.policeconduct.gov.uk/complaints-reviews-and-appeals/make-complaint"


def _contact_limit():
    return current_app.config["CONTACT_RATE_LIMIT"]


def _receive(team, form, kind, subject, themes=(), about=None):
    if form.is_spam:
        return None
    message = service.receive(
        db.session, team, clock_source.now(), kind=kind, name=form.name.data.strip(),
        email=form.email.data.strip().lower() if form.contact_by.data != "phone" and form.email.data else None,
        phone=form.phone.data.strip() if form.contact_by.data != "email" and form.phone.data else None,
        contact_by=form.contact_by.data, subject=subject, body=form.body.data.strip(),
        urgent=getattr(form, "urgent", None) is not None and form.urgent.data == "yes", themes=themes,
        language=page_language(), about=about)
    db.session.commit()
    return message


def _remember_sent(message):
    """The sent page shows the reference and the private link: kept in this browser's session only."""
    session["sent_reference"] = message.reference if message else None
    session["sent_token"] = message.access_token if message else None


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(_contact_limit, methods=["POST"])
def message(force_id, neighbourhood_id):
    team = team_for(force_id, neighbourhood_id)
    form = MessageForm()
    if form.validate_on_submit():
        _remember_sent(_receive(team, form, MESSAGE, form.subject.data.strip()))
        return redirect(url_for("contact.sent", force_id=force_id, neighbourhood_id=neighbourhood_id))
    return render_template("contact/message.html", team=team, form=form), 400 if form.errors else 200


@bp.route("/feedback", methods=["GET", "POST"])
@limiter.limit(_contact_limit, methods=["POST"])
def feedback(force_id, neighbourhood_id):
    team = team_for(force_id, neighbourhood_id)
    form = FeedbackForm()
    if not form.is_submitted() and request.args.get("reference"):
        form.reference.data = request.args["reference"][:20]
    if form.validate_on_submit():
        about = _message_about(team, form)
        if not form.reference.errors:
            _remember_sent(_receive(team, form, FEEDBACK, _("Unhappy with our service"), themes=form.themes.data,
                                    about=about))
            return redirect(url_for("contact.sent", force_id=force_id, neighbourhood_id=neighbourhood_id))
    force = team.neighbourhood.force
    return render_template("contact/feedback.html", team=team, form=form,
                           complaints_url=force.complaints_url or IOPC_COMPLAINTS), 400 if form.errors else 200


def _message_about(team, form):
    """The earlier message (of this team) the feedback is about; an error on the form when
    the reference names none, so the tie is never silently lost."""
    reference = normalise_reference(form.reference.data)
    if not reference:
        return None
    message = db.session.scalar(select(Message).where(Message.reference == reference, Message.team_id == team.id))
    if message is None:
        form.reference.errors.append(_("We cannot find a message to this team with that reference. Check it, "
                                       "or leave it empty."))
    return message


@bp.get("/contact/sent")
def sent(force_id, neighbourhood_id):
    team = team_for(force_id, neighbourhood_id)
    reference = session.get("sent_reference")
    message = reference and db.session.scalar(
        select(Message).where(Message.reference == reference, Message.team_id == team.id))
    if not message:
        abort(404)
    due = clock.deadline(message.received_at, service.promise())
    token = session.get("sent_token")
    return render_template("contact/sent.html", team=team, message=message, due=due,
                           private_link=url_for("your_message.show", token=token) if token else None,
                           private_link_text=service.private_link(token) if token else None)
