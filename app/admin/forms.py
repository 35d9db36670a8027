from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (GovCheckboxInput, GovPasswordInput, GovRadioInput, GovSubmitInput,
                                                GovTextInput)
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Optional

from app.models import ADMIN, OFFICER, SERGEANT
from app.models.teams import ROLE_LABELS, ROLES

RANK_CHOICES = [(role, ROLE_LABELS[role]) for role in ROLES]
ROLE_CHOICES = [(OFFICER, _l("Officer or PCSO")), (SERGEANT, _l("Sergeant")), (ADMIN, _l("Force administrator"))]


class NewUserForm(FlaskForm):
    name = StringField(_l("Full name"), widget=GovTextInput(),
                       validators=[InputRequired(message=_l("Enter their name")), Length(max=160)])
    email = EmailField(_l("Email address"), widget=GovTextInput(),
                       validators=[InputRequired(message=_l("Enter their email address")), Length(max=255),
                                   Email(message=_l("Enter an email address in the correct format, like name@example.com"))])
    role = RadioField(_l("Role"), choices=ROLE_CHOICES, widget=GovRadioInput(),
                      validators=[InputRequired(message=_l("Select a role"))])
    rank = RadioField(_l("Rank or role the public will read"), choices=RANK_CHOICES, widget=GovRadioInput(),
                      description=_l("Shown on the team page. Leave empty for an administrator."),
                      validators=[Optional()])
    team_code = StringField(_l("Team (neighbourhood code)"), widget=GovTextInput(),
                            description=_l("For example, E02002330. Leave empty for an administrator."),
                            validators=[Optional(), Length(max=32)])
    password = PasswordField(_l("Temporary password"), widget=GovPasswordInput(),
                             description=_l("At least 12 characters. Give it to them in person."),
                             validators=[InputRequired(message=_l("Enter a temporary password")),
                                         Length(min=12, max=200, message=_l("Use between 12 and 200 characters"))])
    submit = SubmitField(_l("Create account"), widget=GovSubmitInput())


class EditUserForm(FlaskForm):
    role = RadioField(_l("Role"), choices=ROLE_CHOICES, widget=GovRadioInput(),
                      validators=[InputRequired(message=_l("Select a role"))])
    active = BooleanField(_l("Account can sign in"), widget=GovCheckboxInput())
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class AddTeamForm(FlaskForm):
    team_code = StringField(_l("Add to team (neighbourhood code)"), widget=GovTextInput(),
                            description=_l("For example, E02002330"),
                            validators=[InputRequired(message=_l("Enter a neighbourhood code")), Length(max=32)])
    submit = SubmitField(_l("Add to team"), widget=GovSubmitInput())
