"""Residents send a message or tell the team they are unhappy; both are stored first."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.mail import SmtpSettings, deliver_pending
from app.models import FeedbackTheme, Message, OutboxEmail
from tests.factories import make_area
from tests.inbox_support import clock, csrf_token, make_user, message_fields  # noqa: F401

CONTACT = "/teams/west-yorkshire/E02002330/contact"
FEEDBACK = "/teams/west-yorkshire/E02002330/feedback"


@pytest.fixture
def team(app_context):
    return make_area()


def send(client, url=CONTACT, **fields):
    token = csrf_token(client, url)
    return client.post(url, data={"csrf_token": token, **message_fields(**fields)})


def test_the_form_says_plainly_it_is_not_for_emergencies(client, team):
    page = client.get(CONTACT).get_data(as_text=True)
    assert "call 999" in page and "call 101" in page and "not watched for emergencies" in page


def test_a_message_is_stored_and_the_resident_sees_the_reference_and_the_promise(client, team, clock):
    response = send(client)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    message = db.session.scalar(select(Message))
    assert message.reference in page and message.team_id == team.id
    assert message.received_at == clock.now and message.first_human_reply_at is None
    assert "We will reply by Thursday 19 November at 10:00 AM" in page


def test_the_receipt_is_emailed_and_is_not_a_reply(app, client, team, clock, smtp_server):
    send(client)
    deliver_pending(db.session, SmtpSettings(app.config), clock.now)
    [receipt] = smtp_server.to("alex@example.org")
    message = db.session.scalar(select(Message))
    assert message.reference in receipt["Subject"] and "not a reply" in receipt.get_content()
    assert receipt["Reply-To"] == f"replies+{message.reference}@portal.example"
    assert message.first_human_reply_at is None and message.entries == []


def test_the_message_is_kept_when_the_receipt_cannot_be_sent(app, client, team, clock):
    send(client)
    app.config["MAIL_PORT"], saved = 1, app.config["MAIL_PORT"]
    try:
        assert deliver_pending(db.session, SmtpSettings(app.config), clock.now) == (0, 1)
    finally:
        app.config["MAIL_PORT"] = saved
    assert db.session.scalar(select(func.count()).select_from(Message)) == 1
    assert db.session.scalar(select(OutboxEmail)).sent_at is None


def test_errors_are_listed_in_a_summary_linked_to_the_fields(client, team):
    response = send(client, name="", contact_by="email", email="", subject="", body="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert 'href="#name"' in page and "Enter your email address, or choose to be phoned" in page
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0


def test_a_resident_can_ask_to_be_phoned_instead(client, team):
    response = send(client, contact_by="phone", email="", phone="0113 496 0000")
    assert response.status_code == 302
    message = db.session.scalar(select(Message))
    assert message.phone == "0113 496 0000" and message.email is None
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 0


def test_the_honeypot_catches_bots_without_telling_them(client, team):
    response = send(client, website="http://spam.example")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0


def test_posting_without_a_csrf_token_is_refused(client, team):
    assert client.post(CONTACT, data=message_fields()).status_code == 400


def test_the_form_is_rate_limited_per_address(app, team):
    from app import create_app
    from app.extensions import limiter
    from config import TestConfig

    class Limited(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        RATELIMIT_ENABLED = True
        CONTACT_RATE_LIMIT = "2 per minute"

    limited = create_app(Limited)
    try:
        client = limited.test_client()
        statuses = [send(client, subject=f"n{i}").status_code for i in range(3)]
    finally:
        limiter.reset()
        limiter.enabled = False  # the limiter is shared; leave it as the test config has it
    assert statuses == [302, 302, 429]


def test_feedback_is_acknowledged_routed_to_the_sergeant_and_its_themes_counted(client, team, clock):
    make_user("sarge@example.org", role="sergeant", teams=[team])
    page = client.get(FEEDBACK).get_data(as_text=True)
    assert "not a formal complaint" in page and "policeconduct.gov.uk" in page
    token = csrf_token(client, FEEDBACK)
    fields = {k: v for k, v in message_fields().items() if k not in ("subject", "urgent")}
    response = client.post(FEEDBACK, data={"csrf_token": token, **fields, "themes": ["no_reply", "attitude"]})
    assert response.status_code == 302
    message = db.session.scalar(select(Message))
    assert message.kind == "feedback"
    assert sorted(t.theme for t in db.session.scalars(select(FeedbackTheme))) == ["attitude", "no_reply"]
    kinds = sorted((e.kind, e.to_address) for e in db.session.scalars(select(OutboxEmail)))
    assert kinds == [("feedback_receipt", "alex@example.org"), ("feedback_routed", "sarge@example.org")]


def test_the_team_page_links_to_the_form_and_the_feedback_form(client, team):
    page = client.get("/teams/west-yorkshire/E02002330").get_data(as_text=True)
    assert CONTACT in page and FEEDBACK in page
