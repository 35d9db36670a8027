from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from app.domain.postcodes import try_normalise


def _real_postcode_shape(form, field):
    if try_normalise(field.data) is None:
        raise ValidationError(_l("Enter a full postcode, like LS1 1AZ or SW1A 2AA"))


class PostcodeForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    postcode = StringField(
        _l("Postcode"),
        widget=GovTextInput(),
        description=_l("For example, LS1 1AZ"),
        validators=[
            InputRequired(message=_l("Enter a postcode")),
            Length(max=16, message=_l("Enter a full postcode, like LS1 1AZ or SW1A 2AA")),
            _real_postcode_shape,
        ],
    )
    submit = SubmitField(_l("Find your team"), widget=GovSubmitInput())


class PlaceSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(
        _l("Place, area or team name"),
        widget=GovTextInput(),
        description=_l("For example, Headingley, Leeds or a postcode district like LS6"),
        validators=[
            InputRequired(message=_l("Enter a place, area or team name")),
            Length(min=2, max=100, message=_l("Enter between 2 and 100 characters")),
        ],
    )
    submit = SubmitField(_l("Search"), widget=GovSubmitInput())
