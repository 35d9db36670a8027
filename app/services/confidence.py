"""The confidence survey's invitations and answers.

An invitation is a signed token naming the team and the source the survey is about (a
message the team replied to, or a consultation response). Whoever may see that source (the
resident's private page, the reply email, a consultation's confirmation page) is given the
link; the token says nothing a stranger could use and cannot be made without SECRET_KEY.

    from app.services import confidence
    url = url_for("confidence.survey", token=confidence.invitation_token(team.id, "consultation", response.id))
"""
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain import confidence as rules
from app.domain.localtime import local_today
from app.links import email_link
from app.models import MESSAGE as MESSAGE_KIND
from app.models import ConfidenceResponse, Message

_SALT = "confidence-survey"


@dataclass(frozen=True)
class Invitation:
    team_id: int
    source: str
    source_id: int


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def invitation_token(team_id, source, source_id):
    """The token for /how-did-we-do/<token> about one source of `team_id`."""
    if source not in rules.SOURCES:
        raise ValueError(f"unknown source {source!r}")
    return _serializer().dumps([int(team_id), source, int(source_id)])


def invitation_link(team_id, source, source_id):
    """The absolute link for an email (on PUBLIC_BASE_URL)."""
    return email_link("confidence.survey", token=invitation_token(team_id, source, source_id))


def read_invitation(token):
    """The Invitation a token carries, or None for anything not made by invitation_token."""
    if not token or len(token) > 200:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if (not isinstance(value, list) or len(value) != 3 or not isinstance(value[0], int)
            or value[1] not in rules.SOURCES or not isinstance(value[2], int)):
        return None
    return Invitation(*value)


def may_answer(session, invitation):
    """Whether the survey is open for this source now. A message must be the team's, a
    message (not feedback), and replied to by a person; a consultation response's token is
    its own proof (the consultation's confirmation page gives it)."""
    if invitation.source == rules.MESSAGE:
        message = session.get(Message, invitation.source_id)
        return (message is not None and message.team_id == invitation.team_id and message.kind == MESSAGE_KIND
                and rules.may_ask_after_message(message.first_human_reply_at, message.anonymised_at is not None))
    return True


def response_for(session, invitation):
    return session.scalar(select(ConfidenceResponse).where(ConfidenceResponse.source == invitation.source,
                                                           ConfidenceResponse.source_id == invitation.source_id))


class Locked(Exception):
    """The answer's quarter has closed: it is published and can no longer change."""


def answer(session, invitation, now, *, agreement, answered, language="en"):
    """Record the resident's answers: the first for this source, or a replacement of it while
    its quarter is open. Raises Locked after that. The caller commits."""
    if agreement not in rules.AGREEMENT_CHOICES:
        agreement = None
    if invitation.source != rules.MESSAGE or answered not in rules.ANSWERED_CHOICES:
        answered = None
    today = local_today(now)
    existing = response_for(session, invitation)
    decision = rules.second_answer(local_today(existing.first_answered_at) if existing else None, today)
    if decision == rules.LOCKED:
        raise Locked()
    if decision == rules.REPLACE:
        existing.agreement, existing.answered, existing.answered_at, existing.language = (
            agreement, answered, now, language)
        return existing
    response = ConfidenceResponse(team_id=invitation.team_id, source=invitation.source,
                                  source_id=invitation.source_id, agreement=agreement, answered=answered,
                                  quarter=rules.quarter_of(today).key, language=language,
                                  first_answered_at=now, answered_at=now)
    # Two answers sent at once (a double click): the unique key keeps one, and the other
    # becomes a replacement of it.
    try:
        with session.begin_nested():
            session.add(response)
    except IntegrityError:
        existing = response_for(session, invitation)
        existing.agreement, existing.answered, existing.answered_at, existing.language = (
            agreement, answered, now, language)
        return existing
    return response
