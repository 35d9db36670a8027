"""A local problem reported on a map becomes a message in the team's inbox (stored first,
receipt through the outbox, the 24-hour clock) with its report beside it."""
from flask_babel import force_locale
from flask_babel import gettext as _

from app.models import PROBLEM_TYPE_LABELS, LocalReport
from app.services import inbox


def receive_report(session, team, now, *, problem_type, latitude, longitude, description, name, email, phone,
                   contact_by, place_text=None, place_found=None, photo_path=None, language="en"):
    """Store the report as a message to `team` and return the message. The caller commits."""
    with force_locale(language):
        subject = _("Problem reported: %(type)s", type=str(PROBLEM_TYPE_LABELS[problem_type]))
    message = inbox.receive(session, team, now, name=name, email=email, phone=phone, contact_by=contact_by,
                            subject=subject, body=description, language=language)
    session.add(LocalReport(message_id=message.id, team_id=team.id, problem_type=problem_type,
                            latitude=round(latitude, 6), longitude=round(longitude, 6),
                            place_text=place_text or None, place_found=(place_found or "")[:300] or None,
                            photo_path=photo_path, reported_at=now))
    return message
