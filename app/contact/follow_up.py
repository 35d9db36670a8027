"""Your message: a private page per message, opened by the unguessable link on the sent page
and in the receipt (no account). It shows what was sent, when a reply is due, the replies,
and lets the resident add to the thread or say they are not happy with the answer."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app import clock_source
from app.contact.forms import AddToMessageForm, ResendLinkForm, normalise_reference
from app.extensions import db, limiter
from app.forms.confidence import ConfidenceForm
from app.services import confidence as confidence_service
from app.services import inbox as service
from app.models import FEEDBACK, Message

bp = Blueprint("your_message", __name__, url_prefix="/your-message")


def _contact_limit():
    return current_app.config["CONTACT_RATE_LIMIT"]


def _message_or_404(token):
    message = service.message_for_token(db.session, token)
    if message is None:
        abort(404)
    return message


def _survey(message):
    """Once a person has replied: the confidence questions, holding any answers already given."""
    invitation = confidence_service.Invitation(message.team_id, "message", message.id)
    if not confidence_service.may_answer(db.session, invitation):
        return {}
    answered = confidence_service.response_for(db.session, invitation)
    form = ConfidenceForm(formdata=None)
    if answered is not None:
        form.agreement.data, form.answered.data = answered.agreement, answered.answered
    return {"survey_form": form, "survey_response": answered,
            "survey_token": confidence_service.invitation_token(message.team_id, "message", message.id)}


def _render(message, token, form, status=200):
    feedback = db.session.scalars(
        db.select(Message).where(Message.about_message_id == message.id).order_by(Message.received_at)).all()
    response = render_template(
        "contact/your_message.html", message=message, token=token, team=message.team,
        neighbourhood=message.team.neighbourhood, entries=service.resident_entries(message),
        due=service.reply_due(message), form=form, feedback_cases=feedback, is_feedback=message.kind == FEEDBACK,
        **_survey(message))
    return response, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.get("/<token>")
def show(token):
    message = _message_or_404(token)
    return _render(message, token, AddToMessageForm(formdata=None))


@bp.post("/<token>/add")
@limiter.limit(_contact_limit)
def add(token):
    message = _message_or_404(token)
    form = AddToMessageForm()
    if not form.validate_on_submit():
        return _render(message, token, form, 400)
    service.add_from_resident(db.session, message, form.body.data.strip(), clock_source.now())
    db.session.commit()
    flash(_("Added to your message. We will reply by %(when)s.", when=service.when(service.reply_due(message)))
          if service.reply_due(message) else _("Added to your message."), "success")
    return redirect(url_for("your_message.show", token=token) + "#thread")


@bp.route("/send-link", methods=["GET", "POST"])
@limiter.limit("5 per hour; 20 per day", methods=["POST"])
def send_link():
    form = ResendLinkForm()
    if form.validate_on_submit():
        service.resend_link(db.session, normalise_reference(form.reference.data), form.email.data, clock_source.now())
        db.session.commit()
        # The same answer whether or not anything matched: nobody learns who wrote to us.
        return render_template("contact/link_sent.html", email=form.email.data.strip())
    return render_template("contact/send_link.html", form=form), 400 if form.errors else 200
