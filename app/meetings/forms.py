from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (GovCheckboxesInput, GovRadioInput, GovSubmitInput,
                                                GovTextInput)
from wtforms import IntegerField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.models import MEETING_KINDS
from app.forms.publishing import (LocalDateField, LocalTimeField, PlainTextArea, RichTextField, blank_to_none,
                                  stripped, uk_postcode)

REPEATS = {
    "none": _l("Does not repeat"),
    "weekly": _l("Every week"),
    "fortnightly": _l("Every second week"),
    "monthly": _l("Every month on the same week and day, for example the first Tuesday"),
    "monthly_last": _l("Every month on the last of that weekday, for example the last Thursday"),
}


class MeetingForm(FlaskForm):
    kind = RadioField(_l("Type of meeting"), widget=GovRadioInput(),
                      choices=list(MEETING_KINDS.items()),
                      validators=[InputRequired(message=_l("Choose the type of meeting"))])
    title = StringField(_l("Title"), widget=GovTextInput(), filters=[stripped],
                        description=_l("For example, ‘Headingley PACT meeting’"),
                        validators=[InputRequired(message=_l("Enter a title")),
                                    Length(max=200, message=_l("Title must be 200 characters or fewer"))])
    day = LocalDateField(_l("Date"), validators=[InputRequired(message=_l("Enter the date of the meeting"))])
    start_time = LocalTimeField(_l("Start time"), description=_l("On the 24-hour clock, for example 18:30"),
                                validators=[InputRequired(message=_l("Enter the start time"))])
    duration_minutes = IntegerField(
        _l("Length in minutes"), widget=GovTextInput(), default=60,
        validators=[InputRequired(message=_l("Enter how long the meeting lasts, in minutes")),
                    NumberRange(min=10, max=600, message=_l("Length must be between 10 and 600 minutes"))],
    )
    venue = StringField(_l("Venue"), widget=GovTextInput(), filters=[stripped],
                        description=_l("For example, St Michael's Church Hall, or ‘Online’"),
                        validators=[InputRequired(message=_l("Enter the venue")), Length(max=200)])
    address = PlainTextArea(_l("Address (optional)"), validators=[Optional(), Length(max=1000)])
    postcode = StringField(_l("Venue postcode (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                           description=_l("Used for the force-wide ‘meetings near you’ list"),
                           validators=[Optional(), Length(max=16), uk_postcode])
    accessibility = PlainTextArea(_l("Accessibility (optional)"),
                                  description=_l("For example, step-free entrance, hearing loop, accessible toilet"),
                                  validators=[Optional(), Length(max=1000)])
    purpose = PlainTextArea(_l("Purpose"), description=_l("Why residents should come, in a sentence or two"),
                            validators=[InputRequired(message=_l("Enter the purpose of the meeting")),
                                        Length(max=1000)])
    agenda = RichTextField(_l("Agenda (optional)"), validators=[Optional(), Length(max=5000)])
    attendees = StringField(_l("Who from the team will attend (optional)"), widget=GovTextInput(),
                            filters=[blank_to_none], validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save meeting"), widget=GovSubmitInput())


class NewMeetingForm(MeetingForm):
    repeat = RadioField(_l("Does it repeat?"), widget=GovRadioInput(), default="none",
                        choices=list(REPEATS.items()), validators=[InputRequired()])
    repeat_until = LocalDateField(_l("Repeat until (optional)"),
                                  description=_l("Leave empty to set up the next 12 months"),
                                  validators=[Optional()])
    submit = SubmitField(_l("Publish meeting"), widget=GovSubmitInput())

    def validate_repeat_until(self, field):
        if field.data and self.day.data and field.data < self.day.data:
            raise ValidationError(_l("Repeat until must be on or after the date of the first meeting"))


class RecordForm(FlaskForm):
    """After the meeting: what happened."""

    attendance = IntegerField(_l("How many residents came"), widget=GovTextInput(),
                              validators=[InputRequired(message=_l("Enter how many residents came")),
                                          NumberRange(min=0, max=100_000, message=_l("Enter a number of 0 or more"))])
    minutes = RichTextField(_l("Minutes"), validators=[InputRequired(message=_l("Enter the minutes")),
                                                       Length(max=20_000)])
    priorities = SelectMultipleField(_l("Priorities agreed at this meeting (optional)"), coerce=int,
                                     widget=GovCheckboxesInput(), choices=[], validators=[Optional()])
    submit = SubmitField(_l("Save record of the meeting"), widget=GovSubmitInput())


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Cancel this meeting"), widget=GovSubmitInput())


class NearYouForm(FlaskForm):
    class Meta:
        csrf = False

    district = StringField(_l("Postcode or postcode district"), widget=GovTextInput(), filters=[stripped],
                           description=_l("For example, LS6 or LS6 1AN"),
                           validators=[Optional(), Length(max=16)])
    submit = SubmitField(_l("Show meetings"), widget=GovSubmitInput())
