"""What the staff publishing pages (priorities, meetings, updates, profiles) share:
form fields for London dates and times and safe rich text, and team-scoped loading."""
import re
from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextArea, GovTextInput
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import ValidationError

from app.domain import richtext
from app import clock_source
from app.domain.postcodes import try_normalise

_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


class LocalDateField(DateField):
    """A day, month and year typed into three boxes; a date in Europe/London."""

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist):
        # The widget re-shows exactly three boxes: a field absent from the post shows empty.
        self.raw_data = (list(valuelist) + ["", "", ""])[:3] if valuelist else None
        if not valuelist or not any(v.strip() for v in valuelist):
            self.data = None
            return
        try:
            self.data = datetime.strptime(" ".join(v.strip() for v in valuelist), "%d %m %Y").date()
        except ValueError:
            self.data = None
            raise ValueError(_l("%(label)s must be a real date, for example 27 3 2026", label=self.label.text))


class LocalTimeField(StringField):
    """A 24-hour clock time such as 18:30, as read on a London clock."""

    widget = GovTextInput()
    parsed = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.parsed = None
        if self.data and self.data.strip():
            match = _TIME.match(self.data)
            if not match:
                raise ValueError(_l("Enter a time on the 24-hour clock, like 18:30"))
            self.parsed = time(int(match.group(1)), int(match.group(2)))

    def _value(self):
        if isinstance(self.data, time):
            return self.data.strftime("%H:%M")
        return super()._value()

    def populate_time(self, value: time | None):
        self.data = value.strftime("%H:%M") if value else ""
        self.parsed = value


class RichTextField(TextAreaField):
    """Text with a small safe set of formatting; anything else (scripts) is removed on input."""

    widget = GovTextArea()

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = richtext.clean(self.data) if self.data and self.data.strip() else None


class MarkupFreeTextArea(TextAreaField):
    """Plain text that is shown as plain text: any markup typed is removed on input, and
    what is stored is the characters themselves ("&", not "&amp;"), escaped once on output."""

    widget = GovTextArea()

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = richtext.plain_text(self.data) if self.data and self.data.strip() else None


class PlainTextArea(TextAreaField):
    widget = GovTextArea()

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = self.data.strip() if self.data and self.data.strip() else None


def stripped(value):
    return value.strip() if isinstance(value, str) else value


def blank_to_none(value):
    value = stripped(value)
    return value or None


def not_in_future(form, field):
    if field.data and field.data > clock_source.today_in_london():
        raise ValidationError(_l("%(label)s must be today or in the past", label=field.label.text))


def uk_postcode(form, field):
    if field.data:
        canonical = try_normalise(field.data)
        if canonical is None:
            raise ValidationError(_l("Enter a full postcode, like LS1 1AZ"))
        field.data = canonical


