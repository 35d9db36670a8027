from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (GovCharacterCount, GovCheckboxesInput, GovRadioInput, GovSelect,
                                                GovSubmitInput, GovTextArea, GovTextInput)
from wtforms import (EmailField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, ValidationError

from app.domain import consultations as rules
from app.forms.publishing import LocalDateField, stripped

ENGAGEMENT_LABELS = {
    "online": _l("Online, on this website"),
    "meetings": _l("At public meetings"),
    "street_briefings": _l("At street briefings"),
    "surgeries": _l("At police surgeries"),
    "alerts": _l("By email alerts"),
}
CONFIRM_CHOICES = [(rules.BY_EMAIL, _l("By email")),
                   (rules.BY_CODE, _l("With a code an officer gave me"))]
RANK_LABELS = [_l("Most important to you"), _l("Second (optional)"), _l("Third (optional)")]
RANKING_ERRORS = {
    "none": _l("Choose at least one issue"),
    "gap": _l("Choose your first choice before your second, and your second before your third"),
    "repeated": _l("Choose each issue only once"),
    "unknown": _l("Choose an issue from the list"),
}


class ResponseForm(FlaskForm):
    first = SelectField(RANK_LABELS[0], widget=GovSelect(), validate_choice=False)
    second = SelectField(RANK_LABELS[1], widget=GovSelect(), validate_choice=False)
    third = SelectField(RANK_LABELS[2], widget=GovSelect(), validate_choice=False)
    something_else = TextAreaField(
        _l("Something else, in your own words"), widget=GovCharacterCount(),
        description=_l("Only if you chose ‘Something else’. Do not include anything that could identify you or "
                       "anyone else."),
        validators=[Length(max=500, message=_l("Something else must be 500 characters or fewer"))])
    engagement = SelectMultipleField(
        _l("How would you like us to hear from you and keep you informed?"), widget=GovCheckboxesInput(),
        description=_l("Select all that apply"), choices=list(ENGAGEMENT_LABELS.items()),
        validators=[Optional()])
    postcode = StringField(_l("Your postcode"), widget=GovTextInput(),
                           description=_l("You can have your say if you live in this area or the areas next to it"),
                           validators=[InputRequired(message=_l("Enter your postcode")), Length(max=16)])
    confirm_by = RadioField(_l("How will you confirm your answer?"), widget=GovRadioInput(), choices=CONFIRM_CHOICES,
                            description=_l("Each person can answer once. Your answer counts only once it is "
                                           "confirmed."),
                            validators=[InputRequired(message=_l("Choose how you will confirm your answer"))])
    email = EmailField(_l("Email address"), widget=GovTextInput(),
                       description=_l("We will send you a link to confirm your answer. We do not keep your address "
                                      "once you have confirmed."),
                       validators=[Length(max=255)])
    code = StringField(_l("Code"), widget=GovTextInput(),
                       description=_l("The 8-character code on the slip an officer gave you, for example "
                                      "K7MD-3QX9"),
                       validators=[Length(max=20)])
    website = StringField(_l("Leave this empty"))
    submit = SubmitField(_l("Send my answer"), widget=GovSubmitInput())

    def __init__(self, *args, issues=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _l("Choose an issue"))] + [(i.key, i.title) for i in issues] + [
            (rules.SOMETHING_ELSE, _l("Something else"))]
        for field in (self.first, self.second, self.third):
            field.choices = choices
        self.issue_keys = {i.key for i in issues}
        self.ranking = []

    def validate_first(self, field):
        self.ranking, problem = rules.ranking([self.first.data, self.second.data, self.third.data], self.issue_keys)
        if problem:
            raise ValidationError(RANKING_ERRORS[problem])

    def validate_something_else(self, field):
        if rules.SOMETHING_ELSE in self.ranking and not (field.data or "").strip():
            raise ValidationError(_l("Say what else matters to you, or choose an issue from the list"))

    def validate_email(self, field):
        if self.confirm_by.data == rules.BY_EMAIL:
            if not field.data:
                raise ValidationError(_l("Enter your email address"))
            Email(message=_l("Enter an email address in the correct format, like name@example.com"))(self, field)

    def validate_code(self, field):
        if self.confirm_by.data == rules.BY_CODE and not rules.normalise_code(field.data):
            raise ValidationError(_l("Enter the code an officer gave you"))

    @property
    def is_spam(self):
        return bool(self.website.data)


class ConsultationForm(FlaskForm):
    title = StringField("Title", widget=GovTextInput(), filters=[stripped],
                        description="For example, ‘What should we focus on before the March PACT meeting?’",
                        validators=[InputRequired(message="Enter a title"),
                                    Length(min=5, max=200, message="Title must be between 5 and 200 characters")])
    meeting_id = SelectField("Meeting it feeds (optional)", widget=GovSelect(), coerce=int, choices=[])
    opens_on = LocalDateField("Opening date", validators=[InputRequired(message="Enter the opening date")])
    closes_on = LocalDateField("Closing date", description="Residents can answer until the end of this day",
                               validators=[InputRequired(message="Enter the closing date")])
    candidates = SelectMultipleField("Issues to ask about", widget=GovCheckboxesInput(), choices=[],
                                     description="Suggested from your current priorities, the themes of recent "
                                                 "messages and the latest crime figures")
    own_issues = TextAreaField("Other issues (optional)", widget=GovTextArea(),
                               description="One issue a line, for example ‘Parking outside the primary school’",
                               validators=[Length(max=2000)])
    submit = SubmitField("Open the consultation", widget=GovSubmitInput())

    def issues(self):
        own = [" ".join(line.split()) for line in (self.own_issues.data or "").splitlines()]
        return self.candidates.data + [line for line in own if line]

    def validate_own_issues(self, field):
        issues = self.issues()
        if len(issues) < 2:
            raise ValidationError("Choose or add at least two issues")
        if len(issues) > 12:
            raise ValidationError("Ask about 12 issues at most")
        if any(len(issue) > 200 for issue in issues):
            raise ValidationError("Each issue must be 200 characters or fewer")


class MeetingCountForm(FlaskForm):
    at_meeting = IntegerField("Residents who took part at the meeting", widget=GovTextInput(),
                              validators=[InputRequired(message="Enter how many residents took part"),
                                          NumberRange(min=0, max=100_000, message="Enter a number of 0 or more")])
    save_count = SubmitField("Save the count", widget=GovSubmitInput())


class CodesForm(FlaskForm):
    count = IntegerField("How many codes", widget=GovTextInput(), default=20,
                         description="Each code lets one resident answer once, at a library terminal or a meeting",
                         validators=[InputRequired(message="Enter how many codes to make"),
                                     NumberRange(min=1, max=200, message="Make between 1 and 200 codes at a time")])
    make_codes = SubmitField("Make the codes", widget=GovSubmitInput())
