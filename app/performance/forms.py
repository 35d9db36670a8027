from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

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
