"""Your message: the private page a resident opens from the sent page or the receipt,
its replies, additions, 'not happy with this answer', and the link sent again."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services import inbox as service
from app.mail import SmtpSettings, deliver_pending
from app.models import FEEDBACK, Message, OutboxEmail
from app.models.inbox import RESIDENT
from tests.factories import make_area
from tests.inbox_support import clock, csrf_token, make_user, message_fields  # noqa: F401

CONTACT = "/teams/west-yorkshire/E02002330/contact"
FEEDBACK_FORM = "/teams/west-yorkshire/E02002330/feedback"
SEND_LINK = "/your-message/send-link"


@pytest.fixture
def team(app_context):
    return make_area()


def send(client, **fields):
    token = csrf_token(client, CONTACT)
    response = client.post(CONTACT, data={"csrf_token": token, **message_fields(**fields)})
    assert response.status_code == 302
    return client.get(response.location).get_data(as_text=True)


def private_path(page):
    return re.search(r'id="private-link" href="(/your-message/[^"]+)"', page).group(1)


def test_the_sent_page_links_to_a_private_page_and_only_a_hash_of_its_token_is_kept(client, team, clock):
    path = private_path(send(client))
    token = path.rsplit("/", 1)[1]
    message = db.session.scalar(select(Message))
    assert len(token) >= 40 and token not in (message.access_token_hash or "")
    assert message.access_token_hash == service.token_hash(token)
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert message.reference in text and "Every evening on Elm Street." in text
    assert "We will reply by Thursday 19 November at 10:00 AM" in text


def test_a_wrong_or_altered_link_opens_nothing(client, team, clock):
    path = private_path(send(client))
    assert client.get(path[:-1] + ("A" if path[-1] != "A" else "B")).status_code == 404
    assert client.get("/your-message/" + "x" * 200).status_code == 404


def test_the_receipt_carries_the_private_link_on_the_configured_address(app, client, team, clock, smtp_server):
    path = private_path(send(client))
    deliver_pending(db.session, SmtpSettings(app.config), clock.now)
    [receipt] = smtp_server.to("alex@example.org")
    assert app.config["PUBLIC_BASE_URL"] + path in receipt.get_content()


def test_phone_only_residents_get_the_link_on_the_sent_page(client, team, clock):
    page = send(client, contact_by="phone", email="", phone="0113 496 0000")
    assert "we have not emailed it to you" in page
    assert client.get(private_path(page)).status_code == 200
    assert db.session.scalar(select(OutboxEmail)) is None


def test_an_officers_reply_and_the_fuller_answer_appear_but_notes_do_not(client, team, clock):
    path = private_path(send(client))
    officer = make_user("pc@example.org", teams=[team], name="PC Jones")
    message = db.session.scalar(select(Message))
    clock.advance(hours=2)
    service.reply(db.session, message, officer, "We will patrol Elm Street.", clock.now, fuller_to_follow=True)
    service.note(db.session, message, officer, "Internal: ask the council.", clock.now)
    db.session.commit()
    text = client.get(path).get_data(as_text=True)
    assert "We will patrol Elm Street." in text and "PC Jones" in text
    assert "Internal: ask the council." not in text
    assert "a fuller answer would follow" in text
    service.reply(db.session, message, officer, "Bollards go in next month.", clock.now, fuller_answer=True)
    db.session.commit()
    text = client.get(path).get_data(as_text=True)
    assert "Our fuller answer" in text and "Bollards go in next month." in text
    assert "a fuller answer would follow" not in text


def test_adding_to_the_thread_starts_a_new_24_hour_promise_after_a_reply(client, team, clock):
    path = private_path(send(client))
    officer = make_user("pc@example.org", teams=[team])
    message = db.session.scalar(select(Message))
    service.reply(db.session, message, officer, "Thanks, noted.", clock.now)
    service.close(db.session, message, officer, clock.now)
    db.session.commit()
    clock.advance(hours=30)
    token = csrf_token(client, path)
    response = client.post(path + "/add", data={"csrf_token": token, "body": "It happened again tonight."})
    assert response.status_code == 302
    db.session.expire_all()
    message = db.session.scalar(select(Message))
    assert [e.body for e in message.entries if e.kind == RESIDENT] == ["It happened again tonight."]
    assert message.closed_at is None and message.awaiting_reply_since == clock.now
    assert "We will reply by Friday 20 November at 4:00 PM" in client.get(path).get_data(as_text=True)
    service.reply(db.session, message, officer, "We will call round.", clock.now)
    db.session.commit()
    assert db.session.scalar(select(Message)).awaiting_reply_since is None


def test_an_empty_addition_is_refused_with_a_message(client, team, clock):
    path = private_path(send(client))
    token = csrf_token(client, path)
    response = client.post(path + "/add", data={"csrf_token": token, "body": "  "})
    assert response.status_code == 400 and "Enter what you want to add" in response.get_data(as_text=True)


def test_not_happy_leads_to_feedback_with_the_reference_and_ties_them(client, team, clock):
    path = private_path(send(client))
    make_user("sarge@example.org", role="sergeant", teams=[team])
    message = db.session.scalar(select(Message))
    service.reply(db.session, message, make_user("pc@example.org", teams=[team]), "Nothing we can do.", clock.now)
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    link = re.search(r'href="([^"]+/feedback\?reference=[^"]+)"', page).group(1).replace("&amp;", "&")
    form = client.get(link).get_data(as_text=True)
    assert f'value="{message.reference}"' in form
    token = csrf_token(client, link)
    fields = {k: v for k, v in message_fields().items() if k not in ("subject", "urgent")}
    response = client.post(FEEDBACK_FORM, data={"csrf_token": token, **fields, "themes": ["not_done"],
                                                "body": "The answer did not help.",
                                                "reference": message.reference.lower()})
    assert response.status_code == 302
    feedback = db.session.scalar(select(Message).where(Message.kind == FEEDBACK))
    assert feedback.about_message_id == message.id
    assert feedback.reference in client.get(path).get_data(as_text=True)


def test_feedback_naming_an_unknown_reference_says_so_and_keeps_what_was_typed(client, team, clock):
    token = csrf_token(client, FEEDBACK_FORM)
    fields = {k: v for k, v in message_fields().items() if k not in ("subject", "urgent")}
    response = client.post(FEEDBACK_FORM, data={"csrf_token": token, **fields, "themes": ["other"],
                                                "body": "Long wait.", "reference": "NPT-ZZZZZZZZ"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "We cannot find a message to this team with that reference" in page
    assert "Long wait." in page
    assert db.session.scalar(select(Message)) is None


def ask_for_link(client, reference, email):
    token = csrf_token(client, SEND_LINK)
    return client.post(SEND_LINK, data={"csrf_token": token, "reference": reference, "email": email})


def test_the_link_is_resent_to_the_address_on_the_message_and_the_old_one_stops(client, team, clock):
    old_path = private_path(send(client))
    message = db.session.scalar(select(Message))
    right = ask_for_link(client, message.reference, "ALEX@example.org")
    assert right.status_code == 200
    emails = db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "message_link")).all()
    assert [e.to_address for e in emails] == ["alex@example.org"]
    new_path = re.search(r"https?://[^/\s]+(/your-message/\S+)", emails[0].body_text).group(1)
    assert client.get(new_path).status_code == 200 and client.get(old_path).status_code == 404


def test_asking_for_a_link_gives_the_same_answer_whether_or_not_anything_matched(client, team, clock):
    send(client)
    message = db.session.scalar(select(Message))
    answers = [ask_for_link(client, message.reference, "alex@example.org"),
               ask_for_link(client, message.reference, "someone@else.example"),
               ask_for_link(client, "NPT-ZZZZZZZZ", "alex@example.org")]
    texts = [re.sub(r"[\w.+-]+@[\w.-]+", "EMAIL", a.get_data(as_text=True)) for a in answers]
    texts = [re.sub(r'name="csrf_token"[^>]*>', "", t) for t in texts]
    assert {a.status_code for a in answers} == {200} and len(set(texts)) == 1
    assert len(db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "message_link")).all()) == 1


def test_the_link_is_not_sent_again_within_ten_minutes(client, team, clock):
    send(client)
    message = db.session.scalar(select(Message))
    for _ in range(3):
        ask_for_link(client, message.reference, "alex@example.org")
    clock.advance(minutes=11)
    ask_for_link(client, message.reference, "alex@example.org")
    assert len(db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "message_link")).all()) == 2


def test_the_link_form_is_rate_limited(team, database_url):
    from app import create_app
    from app.extensions import limiter
    from config import TestConfig

    class Limited(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"

    limited = create_app(Limited).test_client()
    try:
        statuses = [ask_for_link(limited, "NPT-ZZZZZZZZ", "a@example.org").status_code for _ in range(6)]
    finally:
        limiter.reset()
        limiter.enabled = False  # the limiter is process-wide; the other tests run without it
    assert statuses[:5] == [200] * 5 and statuses[5] == 429
