"""The shared team inbox: ordering, replies by email, notes, ownership, fuller answers, closing,
residents' emailed replies joining the thread, and escalation to sergeants."""
import mailbox
from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services import inbox as service
from app.mail import SmtpSettings, deliver_pending
from app.models import Escalation, Message, OutboxEmail, ThreadEntry
from tests.factories import make_area
from tests.inbox_support import clock, csrf_token, make_user, sign_in  # noqa: F401


@pytest.fixture
def team(app_context):
    return make_area()


@pytest.fixture
def officer(team):
    return make_user("pc@example.org", teams=[team], name="PC Jones")


def receive(team, now, **fields):
    message = service.receive(db.session, team, now, **{
        "name": "Alex", "email": "alex@example.org", "phone": None, "contact_by": "email",
        "subject": "Parking", "body": "Cars on the pavement", **fields})
    db.session.commit()
    return message


def thread_url(message):
    return f"/staff/inbox/teams/{message.team_id}/messages/{message.id}"


def post(client, url, form_url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, form_url), **data})


def test_unanswered_messages_come_first_oldest_first_with_their_deadline(client, team, officer, clock):
    answered = receive(team, clock.now - timedelta(hours=30), subject="Old but answered")
    service.reply(db.session, answered, officer, "Done", clock.now - timedelta(hours=29), channel="phone")
    receive(team, clock.now - timedelta(hours=2), subject="Newer")
    receive(team, clock.now - timedelta(hours=26), subject="Oldest unanswered")
    db.session.commit()
    sign_in(client, officer)
    page = client.get(f"/staff/inbox/teams/{team.id}").get_data(as_text=True)
    assert page.index("Oldest unanswered") < page.index("Newer") < page.index("Old but answered")
    assert "Overdue by 2 h 0 min" in page and "22 h 0 min left" in page


def test_an_emailed_reply_reaches_the_resident_and_stops_the_clock(app, client, team, officer, clock, smtp_server):
    message = receive(team, clock.now)
    clock.advance(hours=3)
    sign_in(client, officer)
    response = post(client, thread_url(message) + "/reply", thread_url(message), body="We will visit Elm Street.",
                    channel="email", fuller_to_follow="y")
    assert response.status_code == 302
    deliver_pending(db.session, SmtpSettings(app.config), clock.now)
    reply = [m for m in smtp_server.to("alex@example.org") if m["Subject"].startswith("Re:")][0]
    assert "We will visit Elm Street." in reply.get_content() and message.reference in reply["Subject"]
    db.session.expire_all()
    message = db.session.get(Message, message.id)
    assert message.first_human_reply_at == clock.now and message.owner_id == officer.id
    assert message.fuller_answer_pending
    assert "We will visit Elm Street." in client.get(thread_url(message)).get_data(as_text=True)


def test_the_fuller_answer_stays_on_the_list_until_it_is_sent(client, team, officer, clock):
    message = receive(team, clock.now)
    service.reply(db.session, message, officer, "Looking into it", clock.now, fuller_to_follow=True)
    db.session.commit()
    sign_in(client, officer)
    assert "Fuller answer to follow" in client.get(f"/staff/inbox/teams/{team.id}").get_data(as_text=True)
    clock.advance(days=3)
    post(client, thread_url(message) + "/reply", thread_url(message), body="Here is what we found",
         channel="email", fuller_answer="y")
    db.session.expire_all()
    message = db.session.get(Message, message.id)
    assert not message.fuller_answer_pending and message.first_human_reply_at == clock.now - timedelta(days=3)


def test_notes_ownership_and_closing_are_kept_in_the_thread_but_are_not_replies(client, team, officer, clock):
    message = receive(team, clock.now)
    sign_in(client, officer)
    post(client, thread_url(message) + "/note", thread_url(message), note="Known address")
    post(client, thread_url(message) + "/own", thread_url(message))
    post(client, thread_url(message) + "/close", thread_url(message))
    db.session.expire_all()
    message = db.session.get(Message, message.id)
    assert message.owner_id == officer.id and message.closed_at == clock.now
    assert message.first_human_reply_at is None
    assert [e.kind for e in message.entries] == ["note", "event", "event"]
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail).where(
        OutboxEmail.kind == "message_reply")) == 0


def test_a_phone_only_resident_is_answered_by_recording_the_call(client, team, officer, clock):
    message = receive(team, clock.now, email=None, phone="0113 496 0000", contact_by="phone")
    sign_in(client, officer)
    post(client, thread_url(message) + "/reply", thread_url(message), body="Phoned, advised", channel="phone")
    db.session.expire_all()
    assert db.session.get(Message, message.id).first_human_reply_at == clock.now
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 0


def test_an_empty_reply_shows_an_error_summary(client, team, officer, clock):
    message = receive(team, clock.now)
    sign_in(client, officer)
    response = post(client, thread_url(message) + "/reply", thread_url(message), body="", channel="email")
    assert response.status_code == 400 and "govuk-error-summary" in response.get_data(as_text=True)


def test_a_message_of_another_team_is_not_found_through_this_team(client, team, officer, clock):
    other = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    message = receive(other, clock.now)
    sign_in(client, officer)
    assert client.get(f"/staff/inbox/teams/{team.id}/messages/{message.id}").status_code == 404
    assert client.get(thread_url(message)).status_code == 403


def _resident_email(reference, message_id="<r1@example.org>", **headers):
    email = EmailMessage()
    email["From"] = "Alex <alex@example.org>"
    email["To"] = f"replies+{reference}@portal.example"
    email["Subject"] = f"Re: Parking [{reference}]"
    email["Message-ID"] = message_id
    for name, value in headers.items():
        email[name] = value
    email.set_content("Thank you, it happened again.\n\nOn Tue, PC Jones wrote:\n> We will visit")
    return email


def test_the_inbound_webhook_adds_the_residents_reply_once(app, client, team, clock):
    message = receive(team, clock.now)
    app.config["INBOUND_MAIL_SECRET"] = "s3cret"
    try:
        raw = _resident_email(message.reference).as_bytes()
        assert client.post("/inbox/inbound-email", data=raw).status_code == 403
        headers = {"Authorization": "Bearer s3cret", "Content-Type": "message/rfc822"}
        assert client.post("/inbox/inbound-email", data=raw, headers=headers).get_json()["attached"] is True
        assert client.post("/inbox/inbound-email", data=raw, headers=headers).get_json()["attached"] is False
    finally:
        app.config["INBOUND_MAIL_SECRET"] = None
    [entry] = db.session.scalars(select(ThreadEntry)).all()
    assert entry.kind == "resident" and entry.body == "Thank you, it happened again."
    assert db.session.get(Message, message.id).first_human_reply_at is None


def test_the_inbound_webhook_is_off_without_a_secret(client, team):
    assert client.post("/inbox/inbound-email", data=b"x").status_code == 404


def test_fetch_reads_a_maildir_and_an_mbox_and_ignores_auto_replies(app, team, clock, tmp_path):
    message = receive(team, clock.now)
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    maildir.add(_resident_email(message.reference, "<a@example.org>"))
    maildir.add(_resident_email(message.reference, "<b@example.org>", **{"Auto-Submitted": "auto-replied"}))
    box = mailbox.mbox(tmp_path / "replies.mbox")
    box.add(_resident_email(message.reference, "<c@example.org>"))
    box.flush()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["inbox", "fetch", "--maildir", str(tmp_path / "Maildir")])
    assert "2 email(s) read, 1 added" in result.output
    assert "0 email(s) read" in runner.invoke(args=["inbox", "fetch", "--maildir", str(tmp_path / "Maildir")]).output
    assert "1 added" in runner.invoke(args=["inbox", "fetch", "--mbox", str(tmp_path / "replies.mbox")]).output
    assert "0 added" in runner.invoke(args=["inbox", "fetch", "--mbox", str(tmp_path / "replies.mbox")]).output
    assert db.session.scalar(select(func.count()).select_from(ThreadEntry)) == 2


def test_a_residents_reply_reopens_a_closed_message(team, officer, clock):
    message = receive(team, clock.now)
    service.close(db.session, message, officer, clock.now)
    db.session.commit()
    service.attach_inbound(db.session, _resident_email(message.reference), clock.now)
    db.session.commit()
    assert db.session.get(Message, message.id).closed_at is None


def test_sergeants_are_emailed_at_16_and_24_hours_once_each(app, team, officer, clock, smtp_server):
    make_user("sarge@example.org", role="sergeant", teams=[team])
    message = receive(team, clock.now)
    runner = app.test_cli_runner()
    clock.advance(hours=15, minutes=59)
    assert "0 escalation" in runner.invoke(args=["inbox", "escalate"]).output
    clock.advance(minutes=1)
    assert "1 escalation" in runner.invoke(args=["inbox", "escalate"]).output
    assert "0 escalation" in runner.invoke(args=["inbox", "escalate"]).output
    clock.advance(hours=8)
    assert "1 escalation" in runner.invoke(args=["inbox", "escalate"]).output
    clock.advance(hours=8)
    assert "0 escalation" in runner.invoke(args=["inbox", "escalate"]).output
    assert "sent" in runner.invoke(args=["inbox", "send-mail"]).output
    subjects = [m["Subject"] for m in smtp_server.to("sarge@example.org")]
    assert subjects == [f"No reply after 16 hours [{message.reference}]", f"No reply after 24 hours [{message.reference}]"]
    assert db.session.scalar(select(func.count()).select_from(Escalation)) == 2


def test_a_human_reply_prevents_escalation(app, team, officer, clock):
    make_user("sarge@example.org", role="sergeant", teams=[team])
    message = receive(team, clock.now)
    service.reply(db.session, message, officer, "On it", clock.now + timedelta(hours=1))
    db.session.commit()
    clock.advance(hours=30)
    assert service.escalate(db.session, clock.now) == 0


def test_a_long_outage_sends_one_escalation_recording_both_levels(app, team, clock):
    make_user("sarge@example.org", role="sergeant", teams=[team])
    receive(team, clock.now)
    assert service.escalate(db.session, clock.now + timedelta(hours=40)) == 1
    assert db.session.scalar(select(func.count()).select_from(Escalation)) == 2
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail).where(
        OutboxEmail.kind == "escalation")) == 1


def test_the_sergeant_reassigns_an_overdue_message_from_the_review_page(client, team, officer, clock):
    sergeant = make_user("sarge@example.org", role="sergeant", teams=[team], name="Sgt Patel")
    message = receive(team, clock.now - timedelta(hours=20), subject="At risk one")
    receive(team, clock.now - timedelta(hours=1), subject="Fresh one")
    sign_in(client, sergeant)
    page = client.get("/staff/inbox/review").get_data(as_text=True)
    assert "At risk one" in page and "Fresh one" not in page
    response = post(client, thread_url(message) + "/reassign", "/staff/inbox/review", owner=str(officer.id),
                    back="review")
    assert response.status_code == 302 and response.location.endswith("/staff/inbox/review")
    assert db.session.get(Message, message.id).owner_id == officer.id


def test_officers_do_not_see_feedback_but_their_sergeant_does(client, team, officer, clock):
    sergeant = make_user("sarge@example.org", role="sergeant", teams=[team])
    feedback = receive(team, clock.now, kind="feedback", subject="Unhappy with our service")
    sign_in(client, officer)
    assert feedback.reference not in client.get(f"/staff/inbox/teams/{team.id}").get_data(as_text=True)
    assert client.get(thread_url(feedback)).status_code == 403
    sign_in(client, sergeant)
    assert client.get(thread_url(feedback)).status_code == 200
