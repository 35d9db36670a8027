"""Writes for "Have your say": a team opens a consultation with its issues, residents'
responses are received and confirmed (by an emailed link or a one-time code), codes are
issued. The caller commits."""
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from app.domain import confidence as confidence_rules
from app.domain import consultations as rules
from app.models import (ConfidenceResponse, Consultation, ConsultationCode, ConsultationIssue, ConsultationResponse,
                        record)

# The same answer sent again soon after (a double click, an impatient reload): no second email.
RESEND_AFTER = timedelta(minutes=10)


def open_consultation(session, team, *, title, meeting_id, opens_on, closes_on, issues, by, now):
    """`issues`: [(title, source)] in the order residents will see them."""
    consultation = Consultation(team_id=team.id, title=title, meeting_id=meeting_id, opens_on=opens_on,
                                closes_on=closes_on, created_at=now)
    consultation.issues = [ConsultationIssue(title=t, source=source, position=i) for i, (t, source) in enumerate(issues)]
    session.add(consultation)
    session.flush()
    record("created", consultation, by=by, now=now,
           changes={"title": title, "opens_on": opens_on, "closes_on": closes_on,
                    "issues": [t for t, _source in issues]})
    return consultation


def receive_by_email(session, consultation, *, email, secret, now, **answer):
    """(the response awaiting its email confirmation, whether a confirmation email is to be sent).
    The same resident sending again within a few minutes (a double click, a changed mind) updates
    the answer already waiting for confirmation, and no second email goes out."""
    key = rules.resident_key(secret, email=email)
    recent = session.scalar(select(ConsultationResponse).where(
        ConsultationResponse.consultation_id == consultation.id, ConsultationResponse.resident_key == key,
        ConsultationResponse.confirmed_at.is_(None), ConsultationResponse.created_at >= now - RESEND_AFTER)
        .order_by(ConsultationResponse.id.desc()).limit(1))
    if recent is not None:
        for name, value in answer.items():
            setattr(recent, name, value)
        session.flush()
        return recent, False
    response = ConsultationResponse(consultation_id=consultation.id, resident_key=key, email=email.strip().lower(),
                                    channel=rules.BY_EMAIL, created_at=now, **answer)
    session.add(response)
    session.flush()
    return response, True


def find_code(session, consultation, typed):
    """The unused code of this consultation typed by a resident, or None."""
    code = rules.normalise_code(typed)
    if not code:
        return None
    return session.scalar(select(ConsultationCode).where(
        ConsultationCode.consultation_id == consultation.id, ConsultationCode.code == code,
        ConsultationCode.used_at.is_(None)))


def receive_by_code(session, consultation, code, *, secret, now, **answer):
    """A response confirmed at once by an unused one-time code, which is then spent. The code is
    marked used with a guarded UPDATE, so two people typing the same code at once cannot both use it;
    returns None for the one that lost."""
    spent = session.execute(update(ConsultationCode).where(ConsultationCode.id == code.id,
                                                           ConsultationCode.used_at.is_(None))
                            .values(used_at=now))
    if spent.rowcount != 1:
        return None
    response = ConsultationResponse(consultation_id=consultation.id,
                                    resident_key=rules.resident_key(secret, code=code.code),
                                    channel=rules.BY_CODE, created_at=now, **answer)
    session.add(response)
    session.flush()
    confirm(session, response, now)
    return response


def confirm(session, response, now):
    """Count the response: it replaces any earlier confirmed response of the same resident.
    The email address is not kept once it has served. Returns whether an earlier answer was replaced."""
    if response.confirmed_at is not None:
        return False
    earlier = session.scalars(select(ConsultationResponse.id).where(
        ConsultationResponse.consultation_id == response.consultation_id,
        ConsultationResponse.confirmed_key == response.resident_key)).all()
    if earlier:
        session.execute(update(ConsultationResponse).where(ConsultationResponse.id.in_(earlier))
                        .values(confirmed_key=None))
        # The resident's confidence answer follows their answer, so they cannot give a second one.
        session.execute(update(ConfidenceResponse).where(
            ConfidenceResponse.source == confidence_rules.CONSULTATION, ConfidenceResponse.source_id.in_(earlier))
            .values(source_id=response.id))
    session.flush()
    response.confirmed_key = response.resident_key
    response.confirmed_at = now
    response.email = None
    session.flush()
    return bool(earlier)


def issue_codes(session, consultation, count, *, by, now):
    """`count` new one-time codes for the consultation, as one batch."""
    batch = (session.scalar(select(func.max(ConsultationCode.batch))
                            .where(ConsultationCode.consultation_id == consultation.id)) or 0) + 1
    codes = []
    existing = set()
    while len(codes) < count:
        code = "".join(secrets.choice(rules.CODE_ALPHABET) for _ in range(rules.CODE_LENGTH))
        if code in existing or session.scalar(select(ConsultationCode.id).where(ConsultationCode.code == code)):
            continue
        existing.add(code)
        codes.append(ConsultationCode(consultation_id=consultation.id, code=code, batch=batch, issued_at=now,
                                      issued_by_id=by.id))
    session.add_all(codes)
    record("codes issued", consultation, by=by, now=now, changes={"batch": batch, "codes": count})
    return batch


def close_now(session, consultation, *, by, today, now):
    record("closed", consultation, by=by, now=now, changes={"closed_early_on": [None, today.isoformat()]})
    consultation.closed_early_on = today


def set_meeting_count(session, consultation, count, *, by, now):
    record("updated", consultation, by=by, now=now, changes={"at_meeting": [consultation.at_meeting, count]})
    consultation.at_meeting = count
