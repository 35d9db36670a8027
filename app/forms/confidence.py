"""The confidence survey's form, shared by its own page and the resident's private message
page (which shows the questions inline)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField

from app.models import AGREEMENT_LABELS, ANSWERED_LABELS, CONFIDENCE_QUESTION


class ConfidenceForm(FlaskForm):
    # Both questions may be skipped, one at a time; the survey is optional as a whole.
    agreement = RadioField(CONFIDENCE_QUESTION, choices=list(AGREEMENT_LABELS.items()), widget=GovRadioInput(),
                           validate_choice=False)
    answered = RadioField(_l("Did we answer your question?"), choices=list(ANSWERED_LABELS.items()),
                          widget=GovRadioInput(), validate_choice=False)
    send_answers = SubmitField(_l("Send your answers"), widget=GovSubmitInput())  # not "submit": it shares a page

    def __init__(self, *args, asks_answered=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.asks_answered = asks_answered
        if not asks_answered:
            del self.answered

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.agreement.data not in AGREEMENT_LABELS:
            self.agreement.data = None
        if self.asks_answered and self.answered.data not in ANSWERED_LABELS:
            self.answered.data = None
        if self.agreement.data is None and (not self.asks_answered or self.answered.data is None):
            self.agreement.errors = list(self.agreement.errors) + [
                _l("Choose how much you agree, or choose Don't know")]
            return False
        return valid
