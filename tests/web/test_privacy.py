"""Privacy as the audit retried it: a withdrawn photo is gone at once, residents see and
delete what is held about them from a private link, sent emails keep no words or address,
messages are anonymised after the retention period, and a pen picture is escaped once."""
import io
from datetime import datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.services import inbox as service
from app.mail import SmtpSettings, deliver_pending, queue_email
from app.models import AlertSubscription, Message, Officer, OutboxEmail, ThreadEntry
from app.your_data.views import link_for
from tests.factories import add_officer, make_area
from tests.inbox_support import clock, csrf_token, make_user  # noqa: F401
from tests.web.publishing_support import add_staff, post_form, sign_in


@pytest.fixture
def team(app_context):
    return make_area()


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (600, 600), "navy").save(out, "JPEG")
    out.seek(0)
    return out


def test_withdrawing_photo_consent_makes_the_photo_address_404_at_once(client, team):
    officer = add_staff(team)
    sign_in(client, officer)
    post_form(client, "/staff/profile", {"photo": (jpeg(), "me.jpg"), "photo_consent": "y"},
              content_type="multipart/form-data")
    path = db.session.get(Officer, officer.officer_id).photo_path
    shown = client.get(f"/teams/photos/{path}")
    assert shown.status_code == 200
    assert "no-cache" in shown.headers["Cache-Control"] and "max-age=86400" not in shown.headers["Cache-Control"]
    post_form(client, "/staff/profile", {"pen_picture": ""})  # consent box left unticked
    assert client.get(f"/teams/photos/{path}").status_code == 404


def test_a_photo_that_was_never_consented_to_is_not_served(client, team):
    officer = add_staff(team)
    sign_in(client, officer)
    post_form(client, "/staff/profile", {"photo": (jpeg(), "me.jpg")}, content_type="multipart/form-data")
    path = db.session.get(Officer, officer.officer_id).photo_path
    assert client.get(f"/teams/photos/{path}").status_code == 404


def test_fish_and_chips_is_escaped_once_on_the_page_and_not_at_all_in_the_api(client, team):
    officer = add_staff(team)
    sign_in(client, officer)
    post_form(client, "/staff/profile", {"pen_picture": "Fish & chips on Fridays <b>always</b>"})
    assert db.session.get(Officer, officer.officer_id).pen_picture == "Fish & chips on Fridays always"
    page = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}").get_data(as_text=True)
    assert "Fish &amp; chips" in page and "&amp;amp;" not in page
    people = client.get(f"/api/west-yorkshire/{team.neighbourhood_id}/people").get_json()
    assert people[0]["bio"] == "Fish & chips on Fridays always"


def message(team, now, **fields):
    written = service.receive(db.session, team, now, **{
        "name": "Alex Resident", "email": "alex@example.org", "phone": "0113 496 0000", "contact_by": "email",
        "subject": "Parking", "body": "Cars on the pavement of Elm Street", **fields})
    db.session.commit()
    return written


def test_a_resident_sees_downloads_and_deletes_what_is_held_from_their_private_link(app, client, team, clock):
    officer = make_user("pc@example.org", teams=[team])
    written = message(team, clock.now)
    service.reply(db.session, written, officer, "We will visit Elm Street on Tuesday", clock.now)
    db.session.commit()
    with app.test_request_context():
        link = link_for(written)
    page = client.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert "Alex Resident" in text and "Cars on the pavement of Elm Street" in text
    held = client.get(link + "/data.json").get_json()
    assert held["email"] == "alex@example.org" and held["thread"][0]["text"] == "We will visit Elm Street on Tuesday"

    assert client.post(link + "/delete", data={"csrf_token": csrf_token(client, link)}).status_code == 200
    db.session.expire_all()
    kept = db.session.get(Message, written.id)
    assert kept.email is None and kept.phone is None and "Alex" not in kept.name and "Elm" not in kept.body
    assert not any("Elm" in entry.body for entry in kept.entries)
    assert kept.first_human_reply_at is not None  # the Pledge figures do not change
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail).where(
        OutboxEmail.subject_id == written.id)) == 0
    assert client.get(link).status_code == 404


def test_a_forged_or_other_messages_link_is_404(app, client, team, clock):
    first, second = message(team, clock.now), message(team, clock.now)
    with app.test_request_context():
        link = link_for(first)
    assert client.get(link[:-3] + "abc").status_code == 404
    token = link.rsplit("/", 1)[1]
    assert client.get(f"/your-data/messages/{token}").status_code == 200
    assert client.get("/your-data/messages/" + "x" * 300).status_code == 404
    assert second.id != first.id


def test_sent_emails_keep_no_body_or_address(app, team, smtp_server):
    queue_email(db.session, "alex@example.org", "Re: Parking", "We will visit Elm Street", kind="message_reply")
    db.session.commit()
    assert deliver_pending(db.session, SmtpSettings(app.config)) == (1, 0)
    sent = db.session.scalar(select(OutboxEmail))
    assert sent.sent_at is not None and sent.body_text == "" and "alex" not in sent.to_address
    assert len(smtp_server.to("alex@example.org")) == 1


def test_messages_closed_longer_than_the_retention_period_are_anonymised_by_the_cron_command(app, team, clock):
    officer = make_user("pc@example.org", teams=[team])
    old = message(team, clock.now - timedelta(days=400), name="Old Resident")
    recent = message(team, clock.now - timedelta(days=30), name="Recent Resident")
    still_open = message(team, clock.now - timedelta(days=400), name="Open Resident")
    service.close(db.session, old, officer, clock.now - timedelta(days=366))
    service.close(db.session, recent, officer, clock.now - timedelta(days=29))
    queue_email(db.session, "someone@example.org", "Old", "Old words", kind="test", now=clock.now)
    db.session.commit()
    db.session.execute(OutboxEmail.__table__.update().where(OutboxEmail.subject == "Old").values(sent_at=clock.now))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["inbox", "anonymise"])
    assert result.exit_code == 0 and "1 message(s) anonymised" in result.output, result.output
    assert "0 message(s) anonymised" in runner.invoke(args=["inbox", "anonymise"]).output  # safe to run again
    db.session.expire_all()
    names = {m.id: m.name for m in db.session.scalars(select(Message))}
    assert "Old" not in names[old.id] and names[recent.id] == "Recent Resident"
    assert names[still_open.id] == "Open Resident"
    assert db.session.scalar(select(OutboxEmail.body_text).where(OutboxEmail.subject == "Old")) == ""


def test_retention_is_configurable(app, team, clock):
    officer = make_user("pc@example.org", teams=[team])
    closed = message(team, clock.now - timedelta(days=20))
    service.close(db.session, closed, officer, clock.now - timedelta(days=10))
    db.session.commit()
    app.config["MESSAGE_RETENTION_DAYS"] = 7
    try:
        assert "1 message(s) anonymised" in app.test_cli_runner().invoke(args=["inbox", "anonymise"]).output
    finally:
        app.config["MESSAGE_RETENTION_DAYS"] = 365


def test_two_anonymise_runs_at_once_each_message_once(app, team, clock):
    """Two cron runs overlapping: the UPDATE that marks a message claims it."""
    from app.services import retention

    officer = make_user("pc@example.org", teams=[team])
    closed = message(team, clock.now - timedelta(days=400))
    service.close(db.session, closed, officer, clock.now - timedelta(days=380))
    db.session.commit()
    ids = retention.expired_message_ids(db.session, clock.now, 365)
    other_run = retention.expired_message_ids(db.session, clock.now, 365)
    assert ids == other_run == [closed.id]
    assert retention.anonymise(db.session, closed.id, clock.now) is True
    db.session.commit()
    assert retention.anonymise(db.session, closed.id, clock.now) is False


def test_deleting_alert_data_deletes_unsent_emails_to_the_address(app, client, team):
    from app.alerts.tokens import MANAGE, make_token

    subscription = AlertSubscription(email="resident@example.org", postcode="LS1 1AZ", sector="LS1 1",
                                     neighbourhood_id=team.neighbourhood_id, created_at=datetime(2026, 11, 1),
                                     confirmed_at=datetime(2026, 11, 1))
    db.session.add(subscription)
    queue_email(db.session, "resident@example.org", "Your weekly alerts", "Speeding on Elm Street", kind="alert")
    db.session.commit()
    with app.test_request_context():
        manage = f"/alerts/manage/{make_token(MANAGE, subscription.id)}"
    token = csrf_token(client, manage)
    assert client.post(f"{manage}/delete", data={"csrf_token": token}).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 0
