"""What codes and values are called on public pages, in the reader's language: month names,
crime types, Pledge measures and grades, officers' rich text. Registered as template filters
and globals by app.web; plain functions, so emails and views can call them too."""
from datetime import date
from functools import lru_cache

from babel import numbers
from flask import current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.domain import pledge, richtext
from app.models import CONTACT_OFFERS, CRIME_TYPE_LABELS

RIGHT_TO_LEFT = {"ur", "ar", "fa", "he"}

# Where residents raised what a "You said – We did" post answers.
RAISED_AT = {
    "meeting": _l("a public meeting"),
    "message": _l("a message to the team"),
    "survey": _l("a survey"),
    "street": _l("a street briefing or on patrol"),
    "other": _l("another way"),
}

GRADE_LABELS = {pledge.EXCELLENT: _l("Excellent"), pledge.GOOD: _l("Good"), pledge.FAIR: _l("Fair"),
                pledge.POOR: _l("Poor"), None: _l("Not measured")}
GRADE_TAGS = {pledge.EXCELLENT: "green", pledge.GOOD: "blue", pledge.FAIR: "yellow", pledge.POOR: "red", None: "grey"}


def month_label(month, number=None):
    """"March 2026" for month_label("2026-03") or month_label(2026, 3)."""
    if number is None:
        year, number = int(month[:4]), int(month[5:7])
    else:
        year = month
    return format_date(date(year, number, 1), "MMMM y")


def page_language():
    """The language of the page being rendered ("en", "cy", "pl", "ur")."""
    return str(get_locale() or "en")


def english(value, block=False, language=None):
    """Officers write in English (titles, bios, opening times, addresses). On a page in another
    language their words are marked lang="en" (WCAG 3.1.2), so a screen reader switches voice, and
    isolated with dir="auto" (1.3.2), so a right-to-left page does not move their full stops and
    numbers to the wrong end. On an English page the text is left as it is. `language`: the
    page's, where the caller knows it (a template's current_lang)."""
    if value is None or value == "" or (language or page_language()) == "en":
        return value
    tag = "div" if block else "span"
    return Markup(f'<{tag} lang="en" dir="auto">{{}}</{tag}>').format(value)


def ltr(value, language=None):
    """Telephone numbers, email addresses, postcodes and references read left to right in every
    language: on a right-to-left page they are isolated, so "0113 123 4567" keeps its order."""
    if value is None or value == "" or (language or page_language()) not in RIGHT_TO_LEFT:
        return value
    return Markup('<bdi dir="ltr">{}</bdi>').format(value)


def rich_text(value, language=None):
    """Officers' rich text, reduced to the safe subset (see app.domain.richtext), marked as English."""
    return english(Markup(richtext.to_html(value)), block=True, language=language)


def crime_type(name):
    """A data.police.uk crime type as residents read it, in their language."""
    return CRIME_TYPE_LABELS.get(name, name)


def pledge_measure_title(measure):
    return _MEASURE_TITLES[measure]()  # only the one asked for is translated: a force's page asks 32 times


_MEASURE_TITLES = {
    pledge.MESSAGES: lambda: _("Messages answered within %(hours)d hours",
                               hours=current_app.config["REPLY_PROMISE_HOURS"]),
    pledge.FEEDBACK: lambda: _("Unhappy with our service: acknowledged within %(hours)d hours",
                               hours=current_app.config["REPLY_PROMISE_HOURS"]),
    pledge.MEETINGS: lambda: _("A public meeting held every month"),
    pledge.PRIORITIES: lambda: _("Priorities with an update in the last month"),
    pledge.UPDATES: lambda: _("‘You said – We did’ posted every month"),
    pledge.TENURE: lambda: _("How long officers have served the team"),
    pledge.FOLLOW_UP: lambda: _(
        "Unhappy with our service: offered a meeting or call, a plan agreed and followed through"),
    pledge.VISIBLE: lambda: _("Officers' duty time spent in the neighbourhood"),
}


def pledge_grade(grade):
    return {"label": GRADE_LABELS[grade], "tag": GRADE_TAGS[grade]}


def pledge_grade_keys():
    """(grade, colour, pattern) for the charts' key, best grade first."""
    return [(grade, pledge.GRADE_COLOURS[grade], pledge.GRADE_PATTERNS[grade])
            for grade in (pledge.EXCELLENT, pledge.GOOD, pledge.FAIR, pledge.POOR)]


def pledge_figure(value):
    return _pledge_figure(value, get_locale())


@lru_cache(maxsize=4096)  # a force's table writes hundreds of figures a page, few of them different
def _pledge_figure(value, locale):
    return numbers.format_decimal(value, format="#,##0.#", locale=locale)


def pledge_month(year, month):
    return date(year, month, 1)


def contact_offer_label(key):
    """What was offered to someone unhappy with our service (a meeting, a call)."""
    return CONTACT_OFFERS.get(key, key)
