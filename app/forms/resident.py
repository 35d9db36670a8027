"""The resident's details every public form that writes to a team asks for: name, how to
reply, email or phone, and the field only bots fill in."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextInput
from wtforms import EmailField, RadioField, StringField
from wtforms.validators import Email, InputRequired, Length, ValidationError


def one_line(value):
    """Name and subject go into email headers: any line break (only a hostile post can send
    one from a one-line box) becomes a space."""
    return " ".join(value.split()) if isinstance(value, str) else value


CONTACT_CHOICES = [("email", _l("Email")), ("phone", _l("Phone")), ("both", _l("Email and phone"))]


class ResidentDetails(FlaskForm):
    name = StringField(_l("Your name"), widget=GovTextInput(), filters=[one_line],
                       validators=[InputRequired(message=_l("Enter your name")),
                                   Length(max=120, message=_l("Name must be 120 characters or fewer"))])
    contact_by = RadioField(_l("How should we reply?"), choices=CONTACT_CHOICES, widget=GovRadioInput(),
                            validators=[InputRequired(message=_l("Select how we should reply"))])
    email = EmailField(_l("Email address"), widget=GovTextInput(),
                       description=_l("We will send a receipt and our reply here"),
                       validators=[Length(max=255)])
    phone = StringField(_l("Phone number"), widget=GovTextInput(),
                        validators=[Length(max=40, message=_l("Enter a phone number, like 0113 496 0000"))])
    # Left empty by people (the field is hidden); bots fill it in.
    website = StringField(_l("Leave this empty"))

    def validate_email(self, field):
        if self.contact_by.data in ("email", "both") and not field.data:
            raise ValidationError(_l("Enter your email address, or choose to be phoned"))
        if field.data:
            Email(message=_l("Enter an email address in the correct format, like name@example.com"))(self, field)

    def validate_phone(self, field):
        if self.contact_by.data in ("phone", "both"):
            digits = [c for c in field.data or "" if c.isdigit()]
            if not field.data:
                raise ValidationError(_l("Enter your phone number, or choose to be emailed"))
            if len(digits) < 10 or any(c not in "0123456789 +()-" for c in field.data):
                raise ValidationError(_l("Enter a phone number, like 0113 496 0000"))

    @property
    def is_spam(self):
        return bool(self.website.data)
