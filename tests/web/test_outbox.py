"""Email goes through the outbox: nothing is lost when SMTP is down, nothing is sent twice."""
from datetime import datetime, timedelta

from app.extensions import db
from app.mail import SmtpSettings, deliver_pending, pending_count, queue_email
from app.models import OutboxEmail


def test_queued_email_is_delivered_over_smtp_once(app, app_context, smtp_server):
    queue_email(db.session, "resident@example.org", "Your message", "We will reply by Tuesday.", kind="test")
    db.session.commit()
    assert deliver_pending(db.session, SmtpSettings(app.config)) == (1, 0)
    assert deliver_pending(db.session, SmtpSettings(app.config)) == (0, 0)
    [received] = smtp_server.to("resident@example.org")
    assert received["Subject"] == "Your message"
    assert "We will reply by Tuesday." in received.get_content()


def test_email_survives_an_smtp_outage_and_is_retried_later(app, app_context, smtp_server):
    now = datetime(2026, 11, 23, 12, 0)
    queue_email(db.session, "resident@example.org", "Receipt", "Body", kind="test", now=now)
    db.session.commit()
    app.config["MAIL_PORT"], working_port = 1, app.config["MAIL_PORT"]  # nothing listens on port 1
    assert deliver_pending(db.session, SmtpSettings(app.config), now=now) == (0, 1)
    email = db.session.scalar(db.select(OutboxEmail))
    assert email.sent_at is None and email.attempts == 1 and "Error" in email.last_error
    assert pending_count(db.session) == 1

    app.config["MAIL_PORT"] = working_port
    assert deliver_pending(db.session, SmtpSettings(app.config), now=now) == (0, 0)  # not due yet
    assert deliver_pending(db.session, SmtpSettings(app.config), now=now + timedelta(minutes=2)) == (1, 0)
    assert len(smtp_server.to("resident@example.org")) == 1
