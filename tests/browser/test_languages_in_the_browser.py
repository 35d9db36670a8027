"""In Chromium, with govuk-frontend's JavaScript running: the live character count speaks the
page's language (Intl.PluralRules picks the form), the Urdu font loads, officers' English sits
in lang="en" isolates on the rendered page."""
from datetime import date

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Priority
from tests.factories import add_officer, make_area

BIO = "Grew up in Headingley. Runs the monthly surgery at the community centre."


@pytest.fixture
def team(app_context):
    team = make_area()
    add_officer(team, name="Priya Sample", pen_picture=BIO)
    db.session.add(Priority(team_id=team.id, title="Speeding on Otley Road", description=".Demo content first.",
                            agreed_on=date(2026, 1, 5), review_on=date(2099, 1, 5)))
    db.session.commit()
    return team


@pytest.mark.parametrize("lang, typed, expected", [
    ("cy", "ab", "Mae gennych 4998 nod ar ôl"),  # Intl formats the number, as Chromium does for cy
    ("pl", "abc", "Pozostało Ci 4997 znaków"),
    ("pl", "x" * 4998, "Pozostały Ci 2 znaki"),
    ("ur", "abc", "آپ کے پاس 4,997 حروف باقی ہیں"),
])
def test_the_live_character_count_is_in_the_page_language(page, team, lang, typed, expected):
    page.goto(f"/teams/west-yorkshire/E02002330/contact?lang={lang}")
    page.locator("#body").fill(typed)
    status = page.locator(".govuk-character-count__status")
    expect(status).to_have_text(expected)
    assert "You have" not in page.locator(".govuk-character-count").inner_text()


def test_the_urdu_page_uses_the_nastaliq_font_and_isolates_english(page, team):
    page.goto("/teams/west-yorkshire/E02002330?lang=ur")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Noto Nastaliq Urdu\"', 'آپ کی ٹیم')")
    family = page.evaluate("getComputedStyle(document.querySelector('h2')).fontFamily")
    assert family.startswith('"Noto Nastaliq Urdu"')
    bio = page.get_by_text(BIO)
    assert bio.evaluate("e => e.closest('[lang]').lang") == "en"
    assert bio.evaluate("e => getComputedStyle(e).direction") == "ltr"
    # The description's leading full stop stays at the start of its (left-to-right) line.
    description = page.get_by_text(".Demo content first.")
    assert description.evaluate("e => getComputedStyle(e).direction") == "ltr"


def test_pages_in_other_languages_do_not_download_the_urdu_font(page, team):
    fonts = []
    page.on("request", lambda request: fonts.append(request.url) if request.url.endswith(".woff2") else None)
    page.goto("/teams/west-yorkshire/E02002330?lang=cy")
    page.evaluate("document.fonts.ready")
    assert fonts == []
