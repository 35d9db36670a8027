"""English inside Welsh, Polish and Urdu pages: officers write in English, so every piece of
their text is marked lang="en" (WCAG 3.1.2) and isolated for bidirectional text (1.3.2);
govuk-frontend's own texts (error summary, "Error:", character count) are in the page's
language; Urdu pages carry their font; a message remembers its language."""
from datetime import date, datetime

import lxml.html
import pytest
from flask_babel import refresh
from sqlalchemy import select

from app.extensions import db
from app.mail import SmtpSettings, deliver_pending
from app.models import Meeting, Message, OutboxEmail, Priority
from tests.factories import add_officer, add_station, make_area
from tests.inbox_support import clock, csrf_token, make_user, message_fields, sign_in  # noqa: F401

BIO = "Grew up in Headingley. Runs the monthly surgery at the community centre."
PRIORITY = "Speeding on Otley Road"
PRIORITY_TEXT = ".Demo content: drivers going too fast near the school at 3pm."
OPENING = "9am to 5pm"
ADDRESS = "1 Example Street"
MEETING = "Street briefing outside the library"
OFFICER_WORDS = [BIO, PRIORITY, "Demo content: drivers going too fast", OPENING, ADDRESS, "Example Police Station"]


@pytest.fixture
def team(app_context):
    team = make_area()
    add_officer(team, name="Priya Sample", role="PCSO", pen_picture=BIO)
    add_station(team)
    db.session.add(Priority(team_id=team.id, title=PRIORITY, description=PRIORITY_TEXT, agreed_on=date(2026, 1, 5),
                            review_on=date(2099, 1, 5)))
    db.session.add(Meeting(team_id=team.id, kind="street_briefing", title=MEETING, venue="Headingley Library",
                           purpose="Talk to the team", starts_at=datetime(2099, 12, 3, 18, 0)))
    db.session.commit()
    return team


def page(client, url):
    refresh()  # Flask-Babel caches the locale in the test's long-lived app context
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.get_data(as_text=True))


def team_url(team):
    return f"/teams/{team.neighbourhood.force_id}/{team.neighbourhood_id}"


def language_of(element):
    """The language a screen reader uses for an element: its own lang or the nearest ancestor's."""
    while element is not None:
        if element.get("lang"):
            return element.get("lang")
        element = element.getparent()
    return None


def text_nodes_containing(tree, words):
    """(text, the element it belongs to) for every text node holding one of the words."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            if text and any(word in text for word in words):
                found.append((text.strip(), owner))
    return found


@pytest.mark.parametrize("lang", ["cy", "pl", "ur"])
def test_every_piece_of_officers_english_on_a_translated_team_page_is_marked_english(client, team, lang):
    tree = page(client, team_url(team) + f"?lang={lang}")
    assert tree.get("lang") == lang
    found = text_nodes_containing(tree.body, OFFICER_WORDS)
    assert {word for word in OFFICER_WORDS if any(word in text for text, _ in found)} == set(OFFICER_WORDS)
    unmarked = [text for text, owner in found if language_of(owner) != "en"]
    assert not unmarked, f"English not marked lang=en on the {lang} page: {unmarked}"
    # ... and isolated, so a right-to-left page cannot move its full stops and numbers.
    assert all(owner.xpath("ancestor-or-self::*[@dir='auto' or @dir='ltr']") for _, owner in found)


def test_the_meeting_and_priority_pages_mark_officers_english_too(client, team):
    meeting_id = db.session.scalar(select(Meeting.id))
    priority_id = db.session.scalar(select(Priority.id))
    for url in (f"{team_url(team)}/meetings/{meeting_id}?lang=ur", f"{team_url(team)}/priorities/{priority_id}?lang=pl"):
        tree = page(client, url)
        found = text_nodes_containing(tree.body, [MEETING, "Headingley Library", PRIORITY, "Demo content"])
        assert found and all(language_of(owner) == "en" for _, owner in found), url


def test_an_english_page_is_left_as_it_was(client, team):
    tree = page(client, team_url(team))
    assert not tree.xpath("//main//*[@lang='en']") and not tree.xpath("//main//*[@dir='auto']")


def test_the_urdu_page_is_right_to_left_and_carries_an_urdu_font(client, team):
    tree = page(client, team_url(team) + "?lang=ur")
    assert tree.get("dir") == "rtl"
    stylesheet = client.get(tree.xpath("//link[@rel='stylesheet'][contains(@href, 'portal.css')]/@href")[0])
    css = stylesheet.get_data(as_text=True)
    assert 'font-family:"Noto Nastaliq Urdu"' in css and "html[lang=ur] :lang(ur){font-family:\"Noto Nastaliq Urdu\"" in css
    for weight in (400, 700):
        font = client.get(f"/static/vendor/fonts/noto-nastaliq-urdu/noto-nastaliq-urdu-arabic-{weight}-normal.woff2")
        assert font.status_code == 200 and font.data[:4] == b"wOF2"
    # Telephone numbers, postcodes and references keep their left-to-right order.
    assert tree.xpath("//bdi[@dir='ltr'][text()='LS1 1AZ']") or tree.xpath("//*[@lang='en'][text()='LS1 1AZ']")


@pytest.mark.parametrize("lang, title, prefix, remaining", [
    ("cy", "Mae problem", "Gwall:", "Mae gennych %{count} nod ar ôl"),
    ("pl", "Wystąpił problem", "Błąd:", "Pozostało Ci %{count} znaków"),
    ("ur", "ایک مسئلہ ہے", "خرابی:", "آپ کے پاس %{count} حروف باقی ہیں"),
])
def test_govuk_frontend_texts_on_a_failed_form_are_in_the_page_language(client, team, lang, title, prefix, remaining):
    url = team_url(team) + f"/contact?lang={lang}"
    token = csrf_token(client, url)
    refresh()
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 400
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    assert tree.xpath("string(//*[contains(@class, 'govuk-error-summary__title')])").strip() == title
    hidden = {t.strip() for t in tree.xpath("//*[contains(@class, 'govuk-error-message')]"
                                            "/span[contains(@class, 'govuk-visually-hidden')]/text()")}
    assert hidden == {prefix}
    counter = tree.xpath("//*[@data-module='govuk-character-count']")[0]
    assert "You can enter" not in tree.xpath("string(//*[@id='body-info'])")
    under_limit = {k.rsplit(".", 1)[1]: v for k, v in counter.attrib.items()
                   if k.startswith("data-i18n.characters-under-limit.")}
    # One text for every plural category the language's Intl.PluralRules can return.
    from app.web import plural_categories
    assert set(under_limit) == set(plural_categories(lang))
    assert remaining in under_limit.values()
    assert counter.get("data-i18n.characters-at-limit")


def test_welsh_character_count_texts_follow_the_six_cldr_plural_categories(client, team):
    url = team_url(team) + "/contact?lang=cy"
    tree = page(client, url)
    counter = tree.xpath("//*[@data-module='govuk-character-count']")[0]
    categories = {k.rsplit(".", 1)[1] for k in counter.attrib if k.startswith("data-i18n.characters-over-limit.")}
    assert categories == {"zero", "one", "two", "few", "many", "other"}
    assert tree.xpath("string(//*[@id='body-info'])").strip() == "Gallwch roi hyd at 5,000 nod"


def test_a_message_written_in_welsh_gets_a_welsh_receipt_and_staff_are_asked_to_reply_in_welsh(
        app, client, team, clock, smtp_server):
    url = team_url(team) + "/contact?lang=cy"
    token = csrf_token(client, url)
    refresh()
    assert client.post(url, data={"csrf_token": token, **message_fields()}).status_code == 302
    message = db.session.scalar(select(Message))
    assert message.language == "cy"
    deliver_pending(db.session, SmtpSettings(app.config), clock.now)
    [receipt] = smtp_server.to("alex@example.org")
    assert receipt["Subject"] == f"Rydym wedi cael eich neges [{message.reference}]"
    assert "Derbynneb awtomatig yw hon, nid ateb." in receipt.get_content()

    officer = make_user("officer@example.org", role="officer", teams=[team])
    sign_in(client, officer)
    refresh()
    thread = client.get(f"/staff/inbox/teams/{team.id}/messages/{message.id}").get_data(as_text=True)
    assert "Reply in Welsh" in thread and "Welsh Language Standards" in thread
    assert f'lang="cy" dir="auto">{message.body}' in thread


def test_the_teams_reply_to_a_polish_resident_is_framed_in_polish(app, client, team, clock, smtp_server):
    from app.services import inbox as service

    url = team_url(team) + "/contact?lang=pl"
    token = csrf_token(client, url)
    refresh()
    client.post(url, data={"csrf_token": token, **message_fields()})
    message = db.session.scalar(select(Message))
    officer = make_user("officer@example.org", role="officer", teams=[team])
    service.reply(db.session, message, officer, "Dziękujemy, sprawdzimy to jutro.", clock.now)
    db.session.commit()
    deliver_pending(db.session, SmtpSettings(app.config), clock.now)
    reply = [m for m in smtp_server.to("alex@example.org") if m["Subject"].startswith("Odp")]
    assert reply, [m["Subject"] for m in smtp_server.to("alex@example.org")]
    assert "Dziękujemy, sprawdzimy to jutro." in reply[0].get_content()
    assert message.reference in reply[0].get_content()
    assert "To reply, answer this email" not in reply[0].get_content()


def test_messages_from_before_languages_were_recorded_count_as_english(client, team, clock):
    url = team_url(team) + "/contact"
    token = csrf_token(client, url)
    refresh()
    client.post(url, data={"csrf_token": token, **message_fields()})
    message = db.session.scalar(select(Message))
    assert message.language == "en"
    officer = make_user("officer@example.org", role="officer", teams=[team])
    sign_in(client, officer)
    refresh()
    thread = client.get(f"/staff/inbox/teams/{team.id}/messages/{message.id}").get_data(as_text=True)
    assert "Reply in" not in thread
    assert db.session.scalar(select(OutboxEmail.body_text)).startswith("Hello,")


def test_the_language_migration_upgrades_and_downgrades_keeping_messages(tmp_path):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from app import create_app
    from config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrate.db'}"

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="0009_data_versions")
        db.session.execute(text(
            "INSERT INTO forces (id, name) VALUES ('f', 'F')"))
        db.session.commit()
        upgrade(revision="0011_message_language")
        assert "language" in {c["name"] for c in inspect(db.engine).get_columns("inbox_messages")}
        downgrade(revision="0009_data_versions")
        assert "language" not in {c["name"] for c in inspect(db.engine).get_columns("inbox_messages")}
        assert db.session.execute(text("SELECT count(*) FROM forces")).scalar() == 1
        db.session.remove()


def test_the_team_inbox_flags_messages_to_answer_in_another_language(client, team, clock):
    for lang in ("cy", "ur"):
        url = team_url(team) + f"/contact?lang={lang}"
        token = csrf_token(client, url)
        refresh()
        client.post(url, data={"csrf_token": token, **message_fields()})
    officer = make_user("officer@example.org", role="officer", teams=[team])
    sign_in(client, officer)
    refresh()
    inbox = client.get(f"/staff/inbox/teams/{team.id}").get_data(as_text=True)
    assert "Reply in Welsh" in inbox and "Reply in Urdu" in inbox


@pytest.mark.parametrize("lang, frequency, sentence", [
    ("pl", "weekly", "Raz w tygodniu, gdy będą nowe informacje, wyślemy Ci e-mail od zespołu policji dzielnicowej "
                     "z Twojej okolicy."),
    ("pl", "monthly", "Raz w miesiącu, gdy będą nowe informacje, wyślemy Ci e-mail od zespołu policji dzielnicowej "
                      "z Twojej okolicy."),
    ("cy", "weekly", "Byddwn yn anfon e-bost atoch unwaith yr wythnos gan eich Tîm Plismona yn y Gymdogaeth pan "
                     "fydd newyddion."),
])
def test_the_alerts_confirmation_reads_as_a_whole_sentence_when_there_is_no_team(app, lang, frequency, sentence):
    from types import SimpleNamespace

    from flask import render_template

    from app.models.alerts import FREQUENCY_LABELS

    subscription = SimpleNamespace(frequency=frequency, frequency_label=FREQUENCY_LABELS[frequency])
    with app.test_request_context(f"/alerts/confirm/x?lang={lang}"):
        html = render_template("alerts/confirmed.html", subscription=subscription, team=None)
    text = " ".join(lxml.html.fromstring(html).xpath("string(//main//p[@class='govuk-body'])").split())
    assert text == sentence
