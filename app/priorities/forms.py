from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.forms.publishing import (LocalDateField, PlainTextArea, RichTextField, blank_to_none, not_in_future,
                                  stripped)


class PriorityForm(FlaskForm):
    title = StringField(
        _l("Title"), widget=GovTextInput(), filters=[stripped],
        description=_l("Say what and where, for example ‘Speeding on Otley Road by the primary school’"),
        validators=[InputRequired(message=_l("Enter a title")),
                    Length(min=10, max=200, message=_l("Title must be between 10 and 200 characters"))],
    )
    description = RichTextField(
        _l("What the problem is and what you will do"),
        validators=[InputRequired(message=_l("Describe the problem and what you will do")),
                    Length(min=20, max=5000, message=_l("Description must be between 20 and 5,000 characters"))],
    )
    area = PlainTextArea(
        _l("Area or streets it covers"), description=_l("For example, Otley Road between the two roundabouts"),
        validators=[InputRequired(message=_l("Enter the area or streets the priority covers")), Length(max=1000)],
    )
    how_decided = PlainTextArea(
        _l("How it was decided"),
        description=_l("For example, voted for at the PACT meeting, or from the street survey"),
        validators=[InputRequired(message=_l("Say how the priority was decided")), Length(max=1000)],
    )
    decided_at_meeting_id = SelectField(_l("Meeting where it was agreed (optional)"), widget=GovSelect(),
                                        coerce=int, choices=[], validate_choice=True)
    consultation_id = SelectField(_l("Consultation it came from (optional)"), widget=GovSelect(), coerce=int, default=0,
                                  choices=[], validate_choice=True,
                                  description=_l("Its results are linked from the priority, and the number of "
                                                 "residents who took part fills the box below if you leave it empty"))
    residents_consulted = IntegerField(
        _l("How many residents took part (optional)"), widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=1_000_000, message=_l("Enter a number of 0 or more"))],
    )
    agreed_on = LocalDateField(_l("Date agreed"), validators=[InputRequired(message=_l("Enter the date agreed")),
                                                              not_in_future])
    review_on = LocalDateField(_l("Date it will be reviewed"),
                               validators=[InputRequired(message=_l("Enter the review date"))])
    submit = SubmitField(_l("Save priority"), widget=GovSubmitInput())

    def validate_review_on(self, field):
        if field.data and self.agreed_on.data and field.data <= self.agreed_on.data:
            raise ValidationError(_l("The review date must be after the date agreed"))


class ActionForm(FlaskForm):
    taken_on = LocalDateField(_l("Date"), validators=[InputRequired(message=_l("Enter the date of the action")),
                                                      not_in_future])
    description = RichTextField(
        _l("What we and our partners did"),
        validators=[InputRequired(message=_l("Say what was done")),
                    Length(min=5, max=3000, message=_l("Enter between 5 and 3,000 characters"))],
    )
    partner = StringField(_l("Partner (optional)"), widget=GovTextInput(), filters=[blank_to_none],
                          description=_l("For example, the council or a housing provider"),
                          validators=[Optional(), Length(max=160)])
    submit = SubmitField(_l("Add action"), widget=GovSubmitInput())

    def __init__(self, *args, priority=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.priority = priority

    def validate_taken_on(self, field):
        if self.priority and field.data and field.data < self.priority.agreed_on:
            raise ValidationError(_l("The action cannot be before the priority was agreed"))


class CloseForm(FlaskForm):
    closed_on = LocalDateField(_l("Date closed"), validators=[InputRequired(message=_l("Enter the date closed")),
                                                              not_in_future])
    outcome = RichTextField(
        _l("Outcome"), description=_l("What changed, and what residents can do if the problem comes back"),
        validators=[InputRequired(message=_l("Describe the outcome")), Length(max=3000)],
    )
    submit = SubmitField(_l("Close priority"), widget=GovSubmitInput())
