from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (GovCharacterCount, GovCheckboxInput, GovRadioInput, GovSelect,
                                                GovSubmitInput, GovTextArea)
from wtforms import BooleanField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.models import CONTACT_OFFERS
from app.forms.publishing import LocalDateField


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), widget=GovCharacterCount(),
                         validators=[InputRequired(message=_l("Enter your reply")),
                                     Length(max=10000, message=_l("Reply must be 10,000 characters or fewer"))])
    channel = RadioField(_l("How are you replying?"), default="email", widget=GovRadioInput(),
                         choices=[("email", _l("Email the resident")),
                                  ("phone", _l("I phoned the resident (record what was said)"))],
                         validators=[InputRequired(message=_l("Select how you are replying"))])
    fuller_to_follow = BooleanField(_l("A fuller answer will follow"), widget=GovCheckboxInput())
    fuller_answer = BooleanField(_l("This is the fuller answer we promised"), widget=GovCheckboxInput())
    submit = SubmitField(_l("Send reply"), widget=GovSubmitInput())


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Internal note"), description=_l("Only the team can see notes."), widget=GovTextArea(),
                         validators=[InputRequired(message=_l("Enter a note")),
                                     Length(max=10000, message=_l("Note must be 10,000 characters or fewer"))])
    submit = SubmitField(_l("Add note"), widget=GovSubmitInput())


class ReassignForm(FlaskForm):
    owner = SelectField(_l("Give to"), coerce=int, widget=GovSelect(),
                        validators=[InputRequired(message=_l("Select who should own this message"))])
    submit = SubmitField(_l("Reassign"), widget=GovSubmitInput())


class OfferForm(FlaskForm):
    offer = RadioField(_l("What did you offer the resident?"), widget=GovRadioInput(),
                       choices=[(key, label) for key, label in CONTACT_OFFERS.items()],
                       validators=[InputRequired(message=_l("Select what you offered"))])
    submit = SubmitField(_l("Record the offer"), widget=GovSubmitInput())


class PlanForm(FlaskForm):
    plan = TextAreaField(_l("What you agreed with the resident you will do"), widget=GovTextArea(),
                         validators=[InputRequired(message=_l("Enter what you agreed")), Length(max=2000)])
    due_on = LocalDateField(_l("Date agreed for the outcome"), validators=[
        InputRequired(message=_l("Enter the date you agreed to tell them the outcome"))])
    submit = SubmitField(_l("Record the plan"), widget=GovSubmitInput())


class OutcomeForm(FlaskForm):
    outcome = TextAreaField(_l("The outcome you told the resident"), widget=GovTextArea(),
                            validators=[InputRequired(message=_l("Enter the outcome")), Length(max=2000)])
    submit = SubmitField(_l("Record the outcome"), widget=GovSubmitInput())
