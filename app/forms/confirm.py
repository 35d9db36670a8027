from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-button actions."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())
