"""Email as the audit retried it: the receipt carries nothing the sender typed, a CR/LF in a
header-bound field is folded and never stops the outbox, and an emailed reply counts only
when it comes from the resident's own address."""
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services import inbox as service
from app.mail import SmtpSettings, deliver_pending, queue_email
from app.models import Message, OutboxEmail, ThreadEntry
from tests.factories import make_area
from tests.inbox_support import clock, csrf_token, make_user, message_fields, sign_in  # noqa: F401

LURE = "Your account is suspended, log in at https://evil.example/police"


@pytest.fixture
def team(app_context):
    return make_area()


def test_the_receipt_repeats_nothing_the_sender_typed(app, client, team, clock):
    url = "/teams/west-yorkshire/E02002330/contact"
    data = message_fields(name="Police Scotland Fraud Team", subject=LURE, body=LURE, email="victim@example.org")
    response = client.post(url, data={"csrf_token": csrf_token(client, url), **data})
    assert response.status_code == 302
    receipt = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "message_receipt"))
    message = db.session.scalar(select(Message))
    assert receipt.to_address == "victim@example.org"
    assert "evil.example" not in receipt.body_text and "evil.example" not in receipt.subject
    assert "Fraud Team" not in receipt.body_text
    assert message.reference in receipt.body_text and team.name in receipt.body_text
    assert message.body == LURE  # the team still has every word


def test_a_line_break_in_name_or_subject_is_folded_at_the_form(client, team):
    url = "/teams/west-yorkshire/E02002330/contact"
    data = message_fields(name="Alex\r\nBcc: everyone@example.org", subject="Parking\r\nBcc: everyone@example.org")
    assert client.post(url, data={"csrf_token": csrf_token(client, url), **data}).status_code == 302
    message = db.session.scalar(select(Message))
    assert message.subject == "Parking Bcc: everyone@example.org" and "\n" not in message.name


def test_send_mail_sends_a_subject_with_a_line_break_folded_and_the_rows_behind_it(app, team, smtp_server):
    now = datetime(2026, 11, 23, 12, 0)
    queue_email(db.session, "alex@example.org", "Re: Parking\r\nBcc: everyone@example.org [NPT-AAAAAAAA]", "Body",
                kind="message_reply", now=now)
    queue_email(db.session, "sam@example.org", "Second", "Body", kind="test", now=now + timedelta(seconds=1))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["inbox", "send-mail"])
    assert result.exit_code == 0, result.output
    [folded] = smtp_server.to("alex@example.org")
    assert folded["Subject"] == "Re: Parking Bcc: everyone@example.org [NPT-AAAAAAAA]" and folded["Bcc"] is None
    assert len(smtp_server.to("sam@example.org")) == 1


def test_one_row_that_cannot_be_sent_is_recorded_and_backed_off_while_the_rest_go(app, team, smtp_server,
                                                                                   monkeypatch):
    from app import mail

    now = datetime(2026, 11, 23, 12, 0)
    bad = queue_email(db.session, "alex@example.org", "Cannot be built", "Body", kind="test", now=now)
    queue_email(db.session, "sam@example.org", "Fine", "Body", kind="test", now=now)
    db.session.commit()
    real_build = mail.build_message

    def build(email, sender):
        if email.subject == "Cannot be built":
            raise ValueError("a header the email library refuses")
        return real_build(email, sender)

    monkeypatch.setattr(mail, "build_message", build)
    assert deliver_pending(db.session, SmtpSettings(app.config), now=now) == (1, 1)
    db.session.refresh(bad)
    assert bad.sent_at is None and bad.attempts == 1 and "ValueError" in bad.last_error
    assert bad.next_attempt_at == now + timedelta(minutes=1)
    assert len(smtp_server.to("sam@example.org")) == 1


def reply_email(reference, sender="Alex <alex@example.org>", message_id="<r1@example.org>", body="Again tonight.",
                **headers):
    email = EmailMessage()
    email["From"] = sender
    email["To"] = f"replies+{reference}@portal.example"
    email["Subject"] = f"Re: Parking [{reference}]"
    email["Message-ID"] = message_id
    for name, value in headers.items():
        email[name] = value
    email.set_content(body)
    return email


def received(team, now):
    message = service.receive(db.session, team, now, name="Alex", email="Alex@Example.org", phone=None,
                              contact_by="email", subject="Parking", body="Cars on the pavement")
    db.session.commit()
    return message


def test_a_reply_from_another_address_is_held_unverified_and_does_not_reopen(app, client, team, clock):
    officer = make_user("pc@example.org", teams=[team])
    message = received(team, clock.now)
    service.close(db.session, message, officer, clock.now)
    db.session.commit()
    entry = service.attach_inbound(db.session, reply_email(message.reference, sender="attacker@evil.example"),
                                   clock.now)
    db.session.commit()
    assert entry is not None and not entry.verified and "not the resident" in entry.sender_warning
    assert db.session.get(Message, message.id).closed_at is not None
    sign_in(client, officer)
    page = client.get(f"/staff/inbox/teams/{team.id}/messages/{message.id}").get_data(as_text=True)
    assert "Unverified sender" in page and "attacker@evil.example" in page


def test_a_reply_from_the_residents_address_reopens_the_message(team, clock):
    officer = make_user("pc@example.org", teams=[team])
    message = received(team, clock.now)
    service.close(db.session, message, officer, clock.now)
    db.session.commit()
    entry = service.attach_inbound(db.session, reply_email(message.reference), clock.now)
    db.session.commit()
    assert entry.verified and entry.sender_warning is None
    assert db.session.get(Message, message.id).closed_at is None


def test_a_spoofed_resident_address_failing_dmarc_is_marked(team, clock):
    message = received(team, clock.now)
    spoofed = reply_email(message.reference, **{
        "Authentication-Results": "mx.portal.example; spf=fail smtp.mailfrom=evil.example; dmarc=fail header.from=example.org",
        "Return-Path": "<bounce@evil.example>"})
    entry = service.attach_inbound(db.session, spoofed, clock.now)
    db.session.commit()
    assert not entry.verified
    assert "SPF fail" in entry.sender_warning and "DMARC fail" in entry.sender_warning
    assert "Return-Path" in entry.sender_warning


def test_a_message_id_longer_than_255_characters_is_stored_once(app, client, team, clock):
    message = received(team, clock.now)
    long_id = "<" + "x" * 400 + "@example.org>"
    app.config["INBOUND_MAIL_SECRET"] = "s3cret"
    try:
        headers = {"Authorization": "Bearer s3cret", "Content-Type": "message/rfc822"}
        raw = reply_email(message.reference, message_id=long_id).as_bytes()
        first = client.post("/inbox/inbound-email", data=raw, headers=headers)
        again = client.post("/inbox/inbound-email", data=raw, headers=headers)
    finally:
        app.config["INBOUND_MAIL_SECRET"] = None
    assert first.status_code == again.status_code == 200
    assert first.get_json()["attached"] is True and again.get_json()["attached"] is False


def test_a_reply_in_an_unknown_charset_is_kept(app, client, team, clock):
    message = received(team, clock.now)
    raw = (f"From: alex@example.org\r\nTo: replies+{message.reference}@portal.example\r\n"
           f"Subject: =?x-unknown-charset?q?Re=3A_Parking?= [{message.reference}]\r\nMessage-ID: <u1@example.org>\r\n"
           "Content-Type: text/plain; charset=x-unknown-charset\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           "Still parked \xe9 there.\r\n").encode("latin-1")
    app.config["INBOUND_MAIL_SECRET"] = "s3cret"
    try:
        response = client.post("/inbox/inbound-email", data=raw,
                               headers={"Authorization": "Bearer s3cret", "Content-Type": "message/rfc822"})
    finally:
        app.config["INBOUND_MAIL_SECRET"] = None
    assert response.status_code == 200 and response.get_json()["attached"] is True
    entry = db.session.scalar(select(ThreadEntry))
    assert entry.body.startswith("Still parked")
