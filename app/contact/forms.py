from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (GovCharacterCount, GovCheckboxesInput, GovRadioInput, GovSubmitInput,
                                                GovTextInput)
from wtforms import EmailField, RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp

from app.forms.resident import CONTACT_CHOICES, ResidentDetails as _ResidentDetails, one_line  # noqa: F401
from app.models import FEEDBACK_THEMES


class MessageForm(_ResidentDetails):
    subject = StringField(_l("Subject"), widget=GovTextInput(), filters=[one_line],
                          validators=[InputRequired(message=_l("Enter a subject")),
                                      Length(max=200, message=_l("Subject must be 200 characters or fewer"))])
    body = TextAreaField(_l("Your message"), widget=GovCharacterCount(),
                         validators=[InputRequired(message=_l("Enter your message")),
                                     Length(max=5000, message=_l("Message must be 5,000 characters or fewer"))])
    urgent = RadioField(_l("Is your message about something urgent?"),
                        description=_l("If someone is in danger or a crime is happening now, call 999. "
                                       "This form is not watched for emergencies."),
                        choices=[("yes", _l("Yes")), ("no", _l("No"))], widget=GovRadioInput(),
                        validators=[InputRequired(message=_l("Select yes if your message is about something urgent"))])
    submit = SubmitField(_l("Send message"), widget=GovSubmitInput())


REFERENCE_SHAPE = r"^\s*[Nn][Pp][Tt]-?[A-Za-z0-9]{8}\s*$"


def normalise_reference(text):
    """"npt-abcd2345" or "NPTABCD2345" as "NPT-ABCD2345"."""
    compact = (text or "").strip().upper().replace("-", "")
    return f"NPT-{compact[3:]}" if compact else ""


class FeedbackForm(_ResidentDetails):
    reference = StringField(_l("Reference of your message (if it is about one)"),
                            description=_l("For example, NPT-ABCD2345. It is on the page you saw after sending it "
                                           "and in our emails."),
                            widget=GovTextInput(),
                            validators=[Optional(), Length(max=20), Regexp(REFERENCE_SHAPE, message=_l(
                                "Enter the reference as it was given to you, like NPT-ABCD2345, or leave it empty"))])
    themes = SelectMultipleField(_l("What are you unhappy about?"), description=_l("Select all that apply."),
                                 choices=list(FEEDBACK_THEMES.items()),
                                 widget=GovCheckboxesInput(),
                                 validators=[InputRequired(message=_l("Select what you are unhappy about"))])
    body = TextAreaField(_l("Tell us what happened"), widget=GovCharacterCount(),
                         validators=[InputRequired(message=_l("Tell us what happened")),
                                     Length(max=5000, message=_l("This must be 5,000 characters or fewer"))])
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())


class AddToMessageForm(FlaskForm):
    body = TextAreaField(_l("Add to your message"), widget=GovCharacterCount(),
                         description=_l("Tell us anything new, or answer our questions. We will reply within "
                                        "24 hours."),
                         filters=[lambda value: value.strip() if value else value],
                         validators=[DataRequired(message=_l("Enter what you want to add")),
                                     Length(max=5000, message=_l("Message must be 5,000 characters or fewer"))])
    submit = SubmitField(_l("Add to your message"), widget=GovSubmitInput())


class ResendLinkForm(FlaskForm):
    reference = StringField(_l("Your reference"), description=_l("For example, NPT-ABCD2345"), widget=GovTextInput(),
                            validators=[InputRequired(message=_l("Enter your reference")),
                                        Regexp(REFERENCE_SHAPE, message=_l(
                                            "Enter the reference as it was given to you, like NPT-ABCD2345"))])
    email = EmailField(_l("Email address"), description=_l("The address you gave when you sent the message"),
                       widget=GovTextInput(),
                       validators=[InputRequired(message=_l("Enter your email address")), Length(max=255),
                                   Email(message=_l("Enter an email address in the correct format, like "
                                                    "name@example.com"))])
    submit = SubmitField(_l("Send me the link"), widget=GovSubmitInput())
