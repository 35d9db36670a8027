from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.models import ABSTRACTION_REASONS
from app.forms.publishing import LocalDateField

EXPLANATION_MAX = 600


class ExplanationForm(FlaskForm):
    text = TextAreaField(
        _l("Why the promise was missed"),
        description=_l("Shown to the public beside the figure. Plain words, no names or personal details, "
                       "at most 600 characters."),
        widget=GovTextArea(),
        validators=[InputRequired(message=_l("Enter why the promise was missed")),
                    Length(min=10, max=EXPLANATION_MAX, message=_l("Enter between 10 and 600 characters"))],
    )
    improvement = TextAreaField(
        _l("What the team will do to improve"),
        description=_l("Shown to the public under the explanation. What will change, and by when. "
                       "At most 600 characters."),
        widget=GovTextArea(),
        validators=[InputRequired(message=_l("Enter what the team will do to improve")),
                    Length(min=10, max=EXPLANATION_MAX, message=_l("Enter between 10 and 600 characters"))],
    )
    submit = SubmitField(_l("Publish the explanation"), widget=GovSubmitInput())


class AbstractionForm(FlaskForm):
    officer_id = RadioField(_l("Officer"), coerce=int, widget=GovRadioInput(),
                            validators=[InputRequired(message=_l("Select the officer"))])
    reason = RadioField(_l("Why they were away from the neighbourhood"), widget=GovRadioInput(),
                        choices=[(key, label) for key, label in ABSTRACTION_REASONS.items()],
                        validators=[InputRequired(message=_l("Select why they were away"))])
    starts_on = LocalDateField(_l("First day"), validators=[InputRequired(message=_l("Enter the first day"))])
    ends_on = LocalDateField(_l("Last day"), description=_l("The same as the first day for a single day."),
                             validators=[InputRequired(message=_l("Enter the last day"))])
    shifts = IntegerField(_l("Shifts away within these dates (optional)"), widget=GovTextInput(),
                          description=_l("Leave empty if they were away every day of these dates."),
                          validators=[Optional(), NumberRange(min=1, max=366, message=_l("Enter a number of shifts from 1"))])
    submit = SubmitField(_l("Record time away"), widget=GovSubmitInput())

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day must be on or after the first day"))
        if self.starts_on.data and field.data and (field.data - self.starts_on.data).days > 366:
            raise ValidationError(_l("Record at most a year at a time"))

    def validate_shifts(self, field):
        if field.data and self.starts_on.data and self.ends_on.data and \
                field.data > (self.ends_on.data - self.starts_on.data).days + 1:
            raise ValidationError(_l("There cannot be more shifts than days"))


class ConfirmMonthForm(FlaskForm):
    submit = SubmitField(_l("Confirm all time away is recorded"), widget=GovSubmitInput())


class UnhappyPostcodeForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that only finds the team's form

    postcode = StringField(
        _l("Your postcode"), widget=GovTextInput(), description=_l("For example, LS1 1AZ. We use it to find your team."),
        validators=[InputRequired(message=_l("Enter a postcode")),
                    Length(max=16, message=_l("Enter a full postcode, like LS1 1AZ or SW1A 2AA"))])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
