"""A resident's own data, from the private link of a message they sent: see what the
portal holds about them, download it, or have it deleted (anonymised) now.

The link carries a token signed with SECRET_KEY over the message's id and reference: it
cannot be guessed or made for another message, and it stops working once the message is
anonymised. The resident's private "your message" page links here with `link_for(message)`."""
from flask import Blueprint, abort, current_app, jsonify, render_template, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import SubmitField

from app import clock_source
from app.extensions import db
from app.services import retention
from app.models import Message

bp = Blueprint("your_data", __name__, url_prefix="/your-data/messages")
_SALT = "your-message-data"


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Delete my details"), widget=GovSubmitInput())


def token_for(message):
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT).dumps([message.id, message.reference])


def link_for(message):
    """The path of this page for `message` (for the resident's private page to link to)."""
    return url_for("your_data.show", token=token_for(message))


def _message_or_404(token):
    if len(token) > 200:
        abort(404)
    try:
        message_id, reference = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        abort(404)
    message = db.session.get(Message, message_id) if isinstance(message_id, int) else None
    if message is None or message.reference != reference or message.anonymised_at is not None:
        abort(404)
    return message


def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/<token>")
def show(token):
    message = _message_or_404(token)
    return _private(current_app.make_response(render_template(
        "your_data/show.html", message=message, held=retention.export(message), token=token, form=DeleteForm(),
        retention_days=current_app.config["MESSAGE_RETENTION_DAYS"])))


@bp.get("/<token>/data.json")
def download(token):
    message = _message_or_404(token)
    response = jsonify(retention.export(message))
    response.headers["Content-Disposition"] = f'attachment; filename="{message.reference}.json"'
    return _private(response)


@bp.post("/<token>/delete")
def delete(token):
    message = _message_or_404(token)
    if not DeleteForm().validate_on_submit():
        abort(400)
    reference = message.reference
    retention.anonymise(db.session, message.id, clock_source.now())
    db.session.commit()
    return _private(current_app.make_response(render_template("your_data/deleted.html", reference=reference)))
