"""Outgoing email through SMTP, by way of the outbox.

`queue_email` adds a row to the caller's session (committed with the caller's work);
`deliver_pending` sends what is due, one row at a time, retrying with back-off. It is
safe to run from cron and alongside the web process: a row is claimed before sending.
"""
import re
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import func, select, update

from app import clock_source
from app.models.outbox import OutboxEmail

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SENT_ADDRESS = "(sent)"
RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
CLAIM_TIMEOUT = timedelta(minutes=5)


def queue_email(session, to, subject, body, kind, subject_id=None, headers=None, now=None):
    now = now or clock_source.now()
    email = OutboxEmail(to_address=to, subject=subject, body_text=body, kind=kind, subject_id=subject_id,
                        headers=headers or {}, created_at=now, next_attempt_at=now, attempts=0)
    session.add(email)
    return email


def header_value(value):
    """One header line: any CR, LF or other control character (which would start a new header,
    or be refused by the email library) is folded into a space."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def build_message(email, sender):
    message = EmailMessage()
    message["From"] = header_value(sender)
    message["To"] = header_value(email.to_address)
    message["Subject"] = header_value(email.subject)
    message["Message-ID"] = header_value(email.headers.get("Message-ID")
                                         or make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">")))
    for name, value in email.headers.items():
        if name != "Message-ID":
            message[header_value(name)] = header_value(value)
    message.set_content(email.body_text.replace("\x00", ""))
    return message


class SmtpSettings:
    def __init__(self, config):
        self.host = config["MAIL_SERVER"]
        self.port = config["MAIL_PORT"]
        self.use_tls = config.get("MAIL_USE_TLS", False)
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD")
        self.sender = config["MAIL_FROM"]

    def connect(self):
        smtp = smtplib.SMTP(self.host, self.port, timeout=30)
        if self.use_tls:
            smtp.starttls()
        if self.username:
            smtp.login(self.username, self.password)
        return smtp


def deliver_pending(session, settings, now=None, limit=500):
    """Send due emails. Returns (sent, failed)."""
    now = now or clock_source.now()
    sent = failed = 0
    due = session.scalars(
        select(OutboxEmail.id)
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at)
        .limit(limit)
    ).all()
    smtp = None
    try:
        for email_id in due:
            # Claim the row by pushing its next attempt forward; if another sender got there
            # first, the update matches nothing and we move on.
            claimed = session.execute(
                update(OutboxEmail)
                .where(OutboxEmail.id == email_id, OutboxEmail.sent_at.is_(None), OutboxEmail.next_attempt_at <= now)
                .values(next_attempt_at=now + CLAIM_TIMEOUT)
            ).rowcount
            session.commit()
            if not claimed:
                continue
            email = session.get(OutboxEmail, email_id)
            try:
                message = build_message(email, settings.sender)
            except Exception as error:  # noqa: BLE001  one bad row must not hold up the rows behind it
                _failed(email, error, now)
                failed += 1
                session.commit()
                continue
            try:
                smtp = smtp or settings.connect()
                smtp.send_message(message)
            except (smtplib.SMTPException, OSError, ValueError, UnicodeError) as error:
                _failed(email, error, now)
                failed += 1
                smtp = None
            else:
                email.attempts += 1
                email.sent_at = clock_source.now()
                email.last_error = None
                # Sent: the row keeps what it was and when, not the address or the words.
                email.to_address, email.body_text, email.headers = SENT_ADDRESS, "", {}
                sent += 1
            session.commit()
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
    return sent, failed


def _failed(email, error, now):
    """Record why, and try again later: 1 minute, 5, 30, then every 2 hours."""
    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    email.next_attempt_at = now + RETRY_DELAYS[min(email.attempts, len(RETRY_DELAYS)) - 1]


def pending_count(session):
    return session.scalar(select(func.count()).select_from(OutboxEmail).where(OutboxEmail.sent_at.is_(None)))
