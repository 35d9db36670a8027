from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter your email address")),
                    Email(message=_l("Enter an email address in the correct format, like name@example.com")),
                    Length(max=255)],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your password")), Length(max=200)],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter the code")), Length(max=40)],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class NewPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("New password"),
        widget=GovPasswordInput(),
        description=_l("At least 12 characters. A few unrelated words are easy to remember and hard to guess."),
        validators=[InputRequired(message=_l("Enter a new password")), Length(max=200)],
    )
    confirm_password = PasswordField(
        _l("Confirm new password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Confirm your new password")),
                    EqualTo("new_password", message=_l("The passwords do not match"))],
    )
    submit = SubmitField(_l("Save password"), widget=GovSubmitInput())


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your current password")), Length(max=200)],
    )


class ForgottenPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter your email address")),
                    Email(message=_l("Enter an email address in the correct format, like name@example.com")),
                    Length(max=255)],
    )
    submit = SubmitField(_l("Send me a link"), widget=GovSubmitInput())
