from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import BooleanField, IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.forms.publishing import LocalDateField, RichTextField, not_in_future
from app.labels import RAISED_AT


class UpdateForm(FlaskForm):
    published_on = LocalDateField(_l("Date"), validators=[InputRequired(message=_l("Enter the date")),
                                                          not_in_future])
    raised_at = SelectField(_l("Where residents raised it"), widget=GovSelect(), choices=list(RAISED_AT.items()),
                            validators=[InputRequired(message=_l("Choose where residents raised it"))])
    you_said = RichTextField(
        _l("You said"), description=_l("What residents raised. Do not include names or other personal details."),
        validators=[InputRequired(message=_l("Enter what residents raised")),
                    Length(min=5, max=2000, message=_l("Enter between 5 and 2,000 characters"))],
    )
    we_did = RichTextField(
        _l("We did"), description=_l("What the team and its partners did"),
        validators=[InputRequired(message=_l("Enter what the team did")),
                    Length(min=5, max=3000, message=_l("Enter between 5 and 3,000 characters"))],
    )
    priority_id = SelectField(_l("Linked priority (optional)"), widget=GovSelect(), coerce=int, choices=[])
    message_id = IntegerField(_l("Message reference (optional)"), widget=GovTextInput(),
                              description=_l("The number of the message thread this answers"),
                              validators=[Optional(), NumberRange(min=1, message=_l("Enter a message reference number"))])
    resident_consent = BooleanField(_l("The resident agreed to their message being linked"),
                                    widget=GovCheckboxInput())
    submit = SubmitField(_l("Publish"), widget=GovSubmitInput())

    def validate_resident_consent(self, field):
        if self.message_id.data and not field.data:
            raise ValidationError(_l("Only link a message when the resident has agreed to it"))
