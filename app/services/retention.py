"""What the portal keeps about residents who wrote to a team, and for how long.

A message's personal details (name, email, phone, subject, text, and every entry of its
thread) are kept for MESSAGE_RETENTION_DAYS after it was closed, then anonymised: the
row stays, so the Pledge figures (received, answered within 24 hours) do not change.
A resident can ask for the same at once, from their private link. Sent emails keep no
body or address once sent. Each function is safe to run twice, or by two processes at
once: a message is claimed by the UPDATE that marks it, and only the claimer rewrites it."""
from datetime import timedelta

from sqlalchemy import delete, or_, select, update

from app import report_photos
from app.domain.local_reports import cell_centre
from app.mail import SENT_ADDRESS
from app.models import LocalReport, Message, OutboxEmail, ThreadEntry
from app.models.inbox import EVENT as EVENT_KIND

REMOVED = "(removed)"
MESSAGE_EMAIL_KINDS = ("message_receipt", "feedback_receipt", "message_reply", "feedback_routed", "escalation")


def export(message):
    """Everything held about the resident in this message, as plain data (for JSON)."""
    return {
        "reference": message.reference,
        "team": message.team.name,
        "received_at": message.received_at.isoformat() + "Z",
        "closed_at": message.closed_at.isoformat() + "Z" if message.closed_at else None,
        "name": message.name,
        "email": message.email,
        "phone": message.phone,
        "contact_by": message.contact_by,
        "subject": message.subject,
        "message": message.body,
        "report": _report_export(message.local_report),
        "thread": [
            {"at": entry.created_at.isoformat() + "Z", "from": "you" if entry.kind == "resident" else "team",
             "text": entry.body}
            for entry in message.entries if entry.kind in ("resident", "reply")
        ],
    }


def _report_export(report):
    if report is None:
        return None
    return {"problem": report.problem_type, "latitude": report.latitude, "longitude": report.longitude,
            "place_typed": report.place_text, "place_found": report.place_found, "photo": bool(report.photo_path)}


def _anonymise_report(session, message_id):
    """A report keeps its type, time and square (its point moved to the middle of its square, so
    the public counts do not change); what the resident typed and their photo go."""
    report = session.scalar(select(LocalReport).where(LocalReport.message_id == message_id))
    if report is None:
        return
    photo = report.photo_path
    latitude, longitude = cell_centre(report.latitude, report.longitude)
    session.execute(update(LocalReport).where(LocalReport.id == report.id).values(
        latitude=latitude, longitude=longitude, place_text=None, place_found=None, photo_path=None))
    report_photos.delete(photo)


def anonymise(session, message_id, now):
    """Remove the personal details of one message; False if it was already anonymised."""
    claimed = session.execute(
        update(Message).where(Message.id == message_id, Message.anonymised_at.is_(None)).values(anonymised_at=now)
    ).rowcount
    if not claimed:
        return False
    session.execute(update(Message).where(Message.id == message_id).values(
        name=REMOVED, email=None, phone=None, subject=REMOVED, body=REMOVED))
    session.execute(update(ThreadEntry).where(ThreadEntry.message_id == message_id, ThreadEntry.kind != EVENT_KIND)
                    .values(body=REMOVED, from_address=None, email_message_id=None, sender_warning=None))
    session.execute(delete(OutboxEmail).where(OutboxEmail.subject_id == message_id,
                                              OutboxEmail.kind.in_(MESSAGE_EMAIL_KINDS)))
    _anonymise_report(session, message_id)
    session.expire_all()
    return True


def expired_message_ids(session, now, retention_days):
    cutoff = now - timedelta(days=retention_days)
    return session.scalars(select(Message.id).where(Message.closed_at.is_not(None), Message.closed_at <= cutoff,
                                                    Message.anonymised_at.is_(None)).order_by(Message.id)).all()


def prune_sent_outbox(session):
    """Sent emails keep their kind and times (for the record), not their body or address."""
    return session.execute(update(OutboxEmail).where(
        OutboxEmail.sent_at.is_not(None),
        or_(OutboxEmail.body_text != "", OutboxEmail.to_address != SENT_ADDRESS)).values(
        body_text="", to_address=SENT_ADDRESS, headers={})).rowcount


def forget_address(session, address):
    """Outbox rows to this address (an alerts subscriber deleting their data)."""
    return session.execute(delete(OutboxEmail).where(OutboxEmail.to_address == address)).rowcount


def run(session, now, retention_days):
    """The cron job: anonymise expired messages and prune sent outbox rows. Returns counts."""
    anonymised = 0
    for message_id in expired_message_ids(session, now, retention_days):
        anonymised += anonymise(session, message_id, now)
        session.commit()
    pruned = prune_sent_outbox(session)
    session.commit()
    return anonymised, pruned
