from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (GovCheckboxesInput, GovRadioInput, GovSubmitInput, GovTextArea,
                                                GovTextInput)
from wtforms import EmailField, RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from app.domain.postcodes import try_normalise

_EMAIL = [InputRequired(message=_l("Enter your email address")),
          Email(message=_l("Enter an email address in the correct format, like name@example.com")),
          Length(max=255, message=_l("Email address must be 255 characters or fewer"))]

TOPICS = [("priorities", _l("New priorities and what the team is doing about them")),
          ("meetings", _l("Meetings coming up")),
          ("updates", _l("“You said – We did”: what the team did about what residents raised")),
          ("crime", _l("A summary of crime in your neighbourhood, when each month's figures are published"))]


def _postcode(form, field):
    if try_normalise(field.data or "") is None:
        raise ValidationError(_l("Enter a full postcode, like LS1 1AZ"))


class SubscribeForm(FlaskForm):
    email = EmailField(_l("Email address"), widget=GovTextInput(), validators=_EMAIL,
                       description=_l("We use it only to send these alerts. The police team cannot see it."))
    postcode = StringField(_l("Postcode"), widget=GovTextInput(), description=_l("For example, LS1 1AZ"),
                           validators=[InputRequired(message=_l("Enter your postcode")), Length(max=16), _postcode])
    topics = SelectMultipleField(_l("What do you want to hear about?"), choices=TOPICS, widget=GovCheckboxesInput(),
                                 description=_l("Officers' messages to your area are always included."),
                                 default=[c for c, _ in TOPICS])
    frequency = RadioField(_l("How often?"), widget=GovRadioInput(), default="weekly",
                           choices=[("weekly", _l("A weekly email")), ("monthly", _l("A monthly email"))],
                           validators=[InputRequired(message=_l("Choose how often"))])
    submit = SubmitField(_l("Subscribe"), widget=GovSubmitInput())

    def validate_topics(self, field):
        # Nothing chosen is still a valid subscription: officers' messages only.
        field.data = [t for t in field.data or [] if t in dict(TOPICS)]


class YourDataForm(FlaskForm):
    email = EmailField(_l("Email address"), widget=GovTextInput(), validators=_EMAIL)
    submit = SubmitField(_l("Email me the links"), widget=GovSubmitInput())


class ButtonForm(FlaskForm):
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class OfficerMessageForm(FlaskForm):
    subject = StringField(_l("Subject"), widget=GovTextInput(),
                          validators=[InputRequired(message=_l("Enter a subject")),
                                      Length(max=150, message=_l("Subject must be 150 characters or fewer"))])
    body = TextAreaField(_l("Message"), widget=GovTextArea(),
                         description=_l("Plain text. It goes out with your name and role at the next alerts run."),
                         validators=[InputRequired(message=_l("Enter a message")),
                                     Length(max=5000, message=_l("Message must be 5,000 characters or fewer"))])
    audience = RadioField(_l("Who should get it?"), widget=GovRadioInput(), default="all",
                          choices=[("all", _l("Everyone subscribed in the neighbourhood")),
                                   ("sectors", _l("Only the postcode sectors chosen below"))],
                          validators=[InputRequired(message=_l("Choose who should get it"))])
    sectors = SelectMultipleField(_l("Postcode sectors"), widget=GovCheckboxesInput(), choices=[],
                                  description=_l("A sector is a postcode without its last two letters, like LS1 1."))
    submit = SubmitField(_l("Send to subscribers"), widget=GovSubmitInput())

    def validate_sectors(self, field):
        if self.audience.data == "sectors" and not field.data:
            raise ValidationError(_l("Choose at least one postcode sector"))
