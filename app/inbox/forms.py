from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (GovCharacterCount, GovCheckboxInput, GovRadioInput, GovSelect,
                                                GovSubmitInput, GovTextArea)
from wtforms import BooleanField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length


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
