from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from govuk_frontend_wtf.wtforms_widgets import (GovCheckboxInput, GovFileInput, GovSelect, GovSubmitInput,
                                                GovTextInput)
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp, ValidationError

from app.models import ROLE_LABELS, WEEKDAYS
from app.forms.publishing import (LocalDateField, MarkupFreeTextArea, PlainTextArea, blank_to_none, stripped,
                                  uk_postcode)

PHOTO_MAX_BYTES = 4 * 1024 * 1024
DAY_LABELS = dict(zip(WEEKDAYS, [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
                                 _l("Saturday"), _l("Sunday")]))


class OwnProfileForm(FlaskForm):
    pen_picture = MarkupFreeTextArea(
        _l("About you (pen picture)"),
        description=_l("A few sentences residents will read: your background, what you focus on, languages you speak"),
        validators=[Optional(), Length(max=1500, message=_l("Pen picture must be 1,500 characters or fewer"))],
    )
    photo = FileField(
        _l("Photo (optional)"), widget=GovFileInput(),
        description=_l("A JPEG, PNG or WebP image, up to 4 MB. It is cropped to a square."),
        validators=[FileAllowed(["jpg", "jpeg", "png", "webp"], _l("The photo must be a JPEG, PNG or WebP image")),
                    FileSize(PHOTO_MAX_BYTES, message=_l("The photo must be smaller than 4 MB"))],
    )
    photo_consent = BooleanField(_l("I agree to my photo being shown on the public team page"),
                                 widget=GovCheckboxInput())
    remove_photo = BooleanField(_l("Remove my photo"), widget=GovCheckboxInput())
    submit = SubmitField(_l("Save profile"), widget=GovSubmitInput())


class MemberForm(FlaskForm):
    name = StringField(_l("Full name"), widget=GovTextInput(), filters=[stripped],
                       validators=[InputRequired(message=_l("Enter the officer's name")), Length(max=160)])
    role = SelectField(_l("Role"), widget=GovSelect(), choices=list(ROLE_LABELS.items()),
                       validators=[InputRequired(message=_l("Choose a role"))])
    collar_number = StringField(_l("Collar number (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                                validators=[Optional(), Length(max=20)])
    started_on = LocalDateField(_l("Started on this team"),
                                validators=[InputRequired(message=_l("Enter the date they started on the team"))])
    submit = SubmitField(_l("Add to team"), widget=GovSubmitInput())


class MembershipForm(FlaskForm):
    role = SelectField(_l("Role"), widget=GovSelect(), choices=list(ROLE_LABELS.items()),
                       validators=[InputRequired(message=_l("Choose a role"))])
    collar_number = StringField(_l("Collar number (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                                validators=[Optional(), Length(max=20)])
    started_on = LocalDateField(_l("Started on this team"),
                                validators=[InputRequired(message=_l("Enter the date they started on the team"))])
    ended_on = LocalDateField(_l("Left the team (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate_ended_on(self, field):
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError(_l("The date they left must be after the date they started"))


def _links(form, field):
    for line in (field.data or "").splitlines():
        if not line.strip():
            continue
        label, _, url = line.rpartition(",")
        parts = urlsplit(url.strip())
        if not label.strip() or parts.scheme != "https" or not parts.netloc:
            raise ValidationError(_l("Write each link as a name, a comma and an https:// address, "
                                     "like: Facebook, https://facebook.com/example"))


class ContactForm(FlaskForm):
    email = EmailField(_l("Team email address"), widget=GovTextInput(), filters=[blank_to_none],
                       validators=[Optional(), Email(message=_l("Enter an email address like name@example.org")),
                                   Length(max=255)])
    telephone = StringField(_l("Telephone"), widget=GovTextInput(), filters=[blank_to_none],
                            validators=[Optional(), Length(max=40),
                                        Regexp(r"^[0-9 +()]+$", message=_l("Enter a telephone number, like 101"))])
    social_links = PlainTextArea(_l("Social media and other links (optional)"),
                                 description=_l("One a line: a name, a comma and the address"),
                                 validators=[Optional(), Length(max=2000), _links])
    submit = SubmitField(_l("Save contact details"), widget=GovSubmitInput())

    def links(self):
        rows = []
        for line in (self.social_links.data or "").splitlines():
            if line.strip():
                label, _, url = line.rpartition(",")
                rows.append({"label": label.strip(), "url": url.strip()})
        return rows


class StationForm(FlaskForm):
    name = StringField(_l("Name"), widget=GovTextInput(), filters=[stripped],
                       validators=[DataRequired(message=_l("Enter the name of the base")), Length(max=160)])
    address = PlainTextArea(_l("Address"), validators=[DataRequired(message=_l("Enter the address")),
                                                       Length(max=1000)])
    postcode = StringField(_l("Postcode"), widget=GovTextInput(), filters=[blank_to_none],
                           validators=[Optional(), Length(max=16), uk_postcode])
    facilities = PlainTextArea(_l("Accessibility and facilities (optional)"),
                               description=_l("For example, step-free entrance, hearing loop, accessible toilet"),
                               validators=[Optional(), Length(max=1000)])
    directions = PlainTextArea(_l("Getting there (optional)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Save base station"), widget=GovSubmitInput())


for _day in WEEKDAYS:
    setattr(StationForm, f"open_{_day}", StringField(
        DAY_LABELS[_day], widget=GovTextInput(), filters=[blank_to_none],
        description=_l("For example, 9am to 5pm. Leave empty if closed.") if _day == "monday" else None,
        validators=[Optional(), Length(max=60)],
    ))
