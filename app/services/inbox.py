"""What happens to a message: received, answered, noted, owned, closed, escalated, replied to
by the resident. Views and commands call these; every email goes through the outbox.

Functions take the session and `now`; they add to the session and leave the commit to the
caller, so that a message and its receipt are stored together or not at all.
"""
import hashlib
import re
import secrets
from datetime import timedelta
from email.utils import getaddresses, parseaddr

from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import and_, exists, select
from sqlalchemy.exc import IntegrityError

from app.domain import clock
from app.links import email_link
from app.mail import queue_email
from app.queries.compliance import promise
from app.services import confidence as confidence_survey
from app.models import (ADMIN, CONTACT_OFFERS, FEEDBACK, FEEDBACK_THEMES, SERGEANT, Escalation, FeedbackTheme,
                        Membership, Message,
                        Neighbourhood, Team, ThreadEntry, User)
from app.models.inbox import EVENT, NOTE, REPLY, RESIDENT

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
REFERENCE_PATTERN = re.compile(r"NPT-[A-HJ-NP-Z2-9]{8}")


# The resident's private link: 256 random bits, URL-safe. Only its SHA-256 is stored: the
# token is too long to guess, so a fast hash is enough, and the table alone opens nothing.
LINK_RESEND_INTERVAL = timedelta(minutes=10)


def new_access_token(message):
    """Give the message a new private link (any earlier one stops working) and return its token."""
    token = secrets.token_urlsafe(32)
    message.access_token_hash = token_hash(token)
    return token


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def message_for_token(session, token):
    if not token or len(token) > 100:
        return None
    return session.scalar(select(Message).where(Message.access_token_hash == token_hash(token)))


def private_link(token):
    return email_link("your_message.show", token=token)


def new_reference():
    return "NPT-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def escalation_hours():
    return tuple(current_app.config.get("INBOX_ESCALATION_HOURS", clock.DEFAULT_ESCALATION_HOURS))


def at_risk_after():
    return timedelta(hours=min(escalation_hours()))


def reply_address(reference):
    local, _, domain = current_app.config["INBOX_REPLY_ADDRESS"].partition("@")
    return f"{local}+{reference}@{domain}"


def thread_url(message):
    return email_link("inbox.thread", team_id=message.team_id, message_id=message.id)


def when(moment):
    return _("%(day)s at %(time)s", day=format_datetime(moment, "EEEE d MMMM"), time=format_datetime(moment, "h:mm a"))


def _mail_domain():
    return current_app.config["INBOX_REPLY_ADDRESS"].partition("@")[2] or "portal.example"


def receive(session, team, now, *, name, email, phone, contact_by, subject, body, urgent=False,
            kind="message", themes=(), language="en", about=None):
    """Store a resident's message and queue its receipt, in the language they wrote in. The
    receipt is not a reply."""
    message = Message(reference=new_reference(), team_id=team.id, kind=kind, name=name, email=email or None,
                      phone=phone or None, contact_by=contact_by, subject=subject, body=body, urgent=urgent,
                      received_at=now, reply_due_at=clock.deadline(now, promise()),
                      received_on_weekend=clock.is_weekend(now), language=language,
                      about_message_id=about.id if about is not None else None)
    message.themes = [FeedbackTheme(theme=theme) for theme in themes if theme in FEEDBACK_THEMES]
    message.access_token = new_access_token(message)  # kept on the object for the sent page
    session.add(message)
    session.flush()
    with force_locale(language):
        _queue_receipt(session, message, team, now)
    if kind == FEEDBACK:
        # The resident may write in Welsh; the staff area, and so this email to the sergeants, is in English.
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            staff_due = when(clock.deadline(now, promise()))
            subject = _("Feedback about %(team)s [%(reference)s]", team=team.name, reference=message.reference)
            text = _("A resident is unhappy with the service of %(team)s. Acknowledge it by %(when)s: %(url)s",
                     team=team.name, when=staff_due, url=thread_url(message))
        for user in supervisors(session, team.id, now.date()):
            queue_email(session, user.email, subject, text, kind="feedback_routed", subject_id=message.id, now=now)
    return message


def _queue_receipt(session, message, team, now):
    if not message.gets_email:
        return
    due = when(clock.deadline(now, promise()))
    opening = (_("Thank you for telling us you are unhappy with our service.") if message.kind == FEEDBACK
               else _("Thank you for your message to %(team)s.", team=team.name))
    # Only what the portal itself chose: anyone can type any address into the form, so the
    # receipt carries none of the sender's words (not their name, subject or text).
    text = "\n\n".join([
        _("Hello,"), opening,
        _("Your reference is %(reference)s. A member of the team will reply by %(when)s.",
          reference=message.reference, when=due),
        _("This is an automatic receipt, not a reply. To add to your message, reply to this email."),
        _("See your message, our replies and add to it, on your private page (keep this link to "
          "yourself):") + "\n" + private_link(message.access_token),
        _("If you did not write to us, you can ignore this email."),
        _("This inbox is not watched for emergencies. In an emergency call 999. To report a crime that is "
          "not an emergency, call 101."),
    ])
    queue_email(session, message.email, _("We have received your message [%(reference)s]",
                                          reference=message.reference),
                text, kind=f"{message.kind}_receipt", subject_id=message.id, now=now,
                headers={"Reply-To": reply_address(message.reference), "Auto-Submitted": "auto-replied",
                         "Message-ID": f"<receipt.{message.id}.{message.reference}@{_mail_domain()}>"})


def reply(session, message, user, body, now, *, channel="email", fuller_to_follow=False, fuller_answer=False):
    """A person answers. The first one stops the 24-hour clock; email replies go to the resident."""
    if channel == "email" and not message.email:
        channel = "phone"
    entry = ThreadEntry(message=message, kind=REPLY, author_id=user.id, body=body, channel=channel,
                        fuller_answer=fuller_answer, created_at=now)
    session.add(entry)
    session.flush()
    if message.first_human_reply_at is None:
        message.first_human_reply_at = now
        message.first_reply_wait_ms = clock.wait_ms(message.received_at, now)
    message.awaiting_reply_since = None
    if fuller_to_follow and message.fuller_answer_promised_at is None:
        message.fuller_answer_promised_at = now
    if fuller_answer and message.fuller_answer_pending:
        message.fuller_answer_sent_at = now
    if message.owner_id is None:
        message.owner_id = user.id
    if channel == "email":
        entry.email_message_id = f"<reply.{entry.id}.{message.reference}@{_mail_domain()}>"
        signature = user.name + (f", {message.team.name}" if message.team else "")
        # The officer's words are theirs; the parts the portal writes follow the resident's language.
        with force_locale(message.language or "en"):
            footer = _("To reply, answer this email and keep %(reference)s in the subject.",
                       reference=message.reference)
            if message.kind != FEEDBACK:
                footer += "\n\n" + _("Did we answer your question? Tell us in two short questions:") + "\n" + \
                    confidence_survey.invitation_link(message.team_id, "message", message.id)
            subject = _("Re: %(subject)s [%(reference)s]", subject=message.subject, reference=message.reference)
        queue_email(session, message.email, subject,
                    f"{body}\n\n{signature}\n\n{footer}", kind="message_reply", subject_id=message.id, now=now,
                    headers={"Reply-To": reply_address(message.reference), "Message-ID": entry.email_message_id})
    return entry


def note(session, message, user, body, now):
    entry = ThreadEntry(message=message, kind=NOTE, author_id=user.id, body=body, created_at=now)
    session.add(entry)
    return entry


def event(session, message, user, text, now):
    session.add(ThreadEntry(message=message, kind=EVENT, author_id=user.id if user else None, body=text,
                            created_at=now))


class RouteError(ValueError):
    pass


def offer_contact(session, message, user, offer, now):
    """Pledge 10, after the acknowledgement: we offered to meet or to call. Recorded once."""
    if message.kind != FEEDBACK or message.contact_offered_at is not None:
        raise RouteError("A meeting or call has already been offered")
    message.contact_offered_at, message.contact_offer = now, offer
    event(session, message, user, _("%(name)s recorded an offer to the resident: %(offer)s.", name=user.name,
                                    offer=CONTACT_OFFERS[offer]), now)


def agree_plan(session, message, user, plan, due_on, now):
    """What we agreed with the resident we will do, and by when."""
    if message.kind != FEEDBACK or message.plan_agreed_at is not None:
        raise RouteError("A plan has already been agreed")
    message.plan_agreed_at, message.plan, message.plan_due_on = now, plan, due_on
    event(session, message, user, _("%(name)s recorded the plan agreed with the resident, due by %(day)s: %(plan)s",
                                    name=user.name, day=due_on.strftime("%d/%m/%Y"), plan=plan), now)


def record_outcome(session, message, user, outcome, now):
    if message.kind != FEEDBACK or message.plan_agreed_at is None or message.outcome_at is not None:
        raise RouteError("Agree a plan before recording its outcome, and record it once")
    message.outcome_at, message.outcome = now, outcome
    event(session, message, user, _("%(name)s recorded the outcome: %(outcome)s", name=user.name,
                                    outcome=outcome), now)


def take_ownership(session, message, user, now):
    message.owner_id = user.id
    event(session, message, user, _("%(name)s took ownership.", name=user.name), now)


def reassign(session, message, user, new_owner, now):
    message.owner_id = new_owner.id
    event(session, message, user, _("%(name)s gave this message to %(owner)s.", name=user.name,
                                    owner=new_owner.name), now)


def close(session, message, user, now):
    message.closed_at = now
    event(session, message, user, _("%(name)s closed this message.", name=user.name), now)


def reopen(session, message, user, now):
    message.closed_at = None
    event(session, message, user, _("%(name)s reopened this message.", name=user.name), now)


def team_members(session, team_id, today):
    """Users who serve the team today (who a message can be given to)."""
    return session.scalars(
        select(User).join(Membership, Membership.officer_id == User.officer_id)
        .where(Membership.team_id == team_id, User.active.is_(True), Membership.started_on <= today,
               (Membership.ended_on.is_(None)) | (Membership.ended_on >= today))
        .order_by(User.name).distinct()
    ).all()


def supervisors(session, team_id, today):
    """The team's sergeants; if it has none, the administrators of its force."""
    sergeants = [u for u in team_members(session, team_id, today) if u.role == SERGEANT]
    if sergeants:
        return sergeants
    force_id = session.scalar(select(Neighbourhood.force_id).join(Team).where(Team.id == team_id))
    return session.scalars(select(User).where(User.role == ADMIN, User.active.is_(True),
                                              (User.force_id == force_id) | User.force_id.is_(None))).all()


def escalate(session, now, levels=None):
    """Email the sergeants about messages waiting too long without a human reply.

    Safe to run every minute and in parallel: each (message, level) is recorded once under a
    unique constraint, in the same transaction as its email. Returns the number of emails."""
    levels = sorted(levels or escalation_hours())
    sent = 0
    candidates = session.scalars(
        select(Message).where(
            Message.first_human_reply_at.is_(None), Message.closed_at.is_(None),
            Message.received_at <= now - timedelta(hours=levels[0]),
            ~exists().where(and_(Escalation.message_id == Message.id, Escalation.level_hours == levels[-1])))
        .order_by(Message.received_at)
    ).all()
    for message in candidates:
        done = set(session.scalars(select(Escalation.level_hours).where(Escalation.message_id == message.id)))
        due = [level for level in clock.escalation_levels_due(message.received_at, None, now, levels)
               if level not in done]
        if not due:
            continue
        level = due[-1]
        owner = message.owner.name if message.owner else _("nobody")
        recipients = [user.email for user in supervisors(session, message.team_id, now.date())]
        # Added only now, after the last query, so that the commit below is the only flush.
        for each in due:
            session.add(Escalation(message_id=message.id, level_hours=each, sent_at=now))
        text = "\n\n".join([
            _("Message %(reference)s to %(team)s has waited %(hours)d hours without a reply.",
              reference=message.reference, team=message.team.name, hours=level),
            _("Reply due by: %(when)s. Owner: %(owner)s.", when=when(clock.deadline(message.received_at, promise())),
              owner=owner),
            thread_url(message),
        ])
        for address in recipients:
            queue_email(session, address, _("No reply after %(hours)d hours [%(reference)s]", hours=level,
                                               reference=message.reference),
                        text, kind="escalation", subject_id=message.id, now=now)
        try:
            session.commit()
        except IntegrityError:  # another run escalated it first
            session.rollback()
            continue
        sent += 1
    return sent


def is_automatic(email_message):
    auto = (email_message.get("Auto-Submitted") or "no").strip().lower()
    precedence = (email_message.get("Precedence") or "").strip().lower()
    return auto != "no" or precedence in ("auto_reply", "bulk", "junk") or email_message.get("X-Autoreply")


def find_reference(email_message):
    headers = " ".join(str(email_message.get_all(name) or "")
                       for name in ("Subject", "To", "Cc", "Delivered-To", "In-Reply-To", "References"))
    match = REFERENCE_PATTERN.search(headers)
    return match.group(0) if match else None


_QUOTE_START = re.compile(r"^(On .+ wrote:|-+ ?Original Message ?-+|From: .+)$", re.IGNORECASE)


def new_text(email_message):
    """The resident's new words: the plain-text body without the quoted thread below it."""
    part = email_message.get_body(preferencelist=("plain",))
    text = _decoded(part) if part is not None else ""
    kept = []
    for line in text.splitlines():
        if _QUOTE_START.match(line.strip()) or line.startswith(">"):
            break
        kept.append(line)
    return ("\n".join(kept).strip() or text.strip()).replace("\x00", "")


def _decoded(part):
    """The part's text; a charset Python does not know (or a body that breaks its own) is
    read as UTF-8 with the undecodable bytes marked, so the reply is still kept."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError, ValueError):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


_AUTH_FAILURE = re.compile(r"\b(spf|dkim|dmarc)=(fail|softfail|permerror)\b", re.IGNORECASE)


def _domain(address):
    return address.rpartition("@")[2].lower() if address else ""


def spoofing_indicators(email_message, sender, resident_address):
    """Why an emailed reply might not be from the resident, in plain words for staff (the
    staff area is in English, so these are not translated)."""
    found = []
    if not resident_address or sender != resident_address.strip().lower():
        found.append("sender is not the resident's address")
    for header in email_message.get_all("Authentication-Results") or []:
        for check, result in _AUTH_FAILURE.findall(str(header)):
            found.append(f"{check.upper()} {result.lower()}")
    from_addresses = getaddresses([str(v) for v in email_message.get_all("From") or []])
    if len(from_addresses) > 1:
        found.append("more than one From address")
    return_path = parseaddr(str(email_message.get("Return-Path") or ""))[1]
    if return_path and _domain(return_path) != _domain(sender):
        found.append("Return-Path domain differs from From")
    return list(dict.fromkeys(found))


def attach_inbound(session, email_message, now):
    """Add a resident's emailed reply to its thread. Returns the entry, or None when the
    email is automatic, matches no thread, or has been seen before (by Message-ID).

    Only a reply from the resident's own address (and not failing SPF, DKIM or DMARC)
    counts as the resident writing: anything else is held on the thread, marked
    unverified with what looked wrong, and does not reopen a closed message."""
    if is_automatic(email_message):
        return None
    reference = find_reference(email_message)
    message = reference and session.scalar(select(Message).where(Message.reference == reference))
    if not message:
        return None
    message_id = (str(email_message.get("Message-ID") or "").strip() or None)
    message_id = message_id and message_id.replace("\x00", "")[:255]  # as stored, so a second delivery is seen
    if message_id and session.scalar(select(ThreadEntry.id).where(ThreadEntry.email_message_id == message_id)):
        return None
    sender = (parseaddr(str(email_message.get("From") or ""))[1] or "").strip().lower().replace("\x00", "")
    warnings = spoofing_indicators(email_message, sender, message.email)
    entry = ThreadEntry(message=message, kind=RESIDENT, body=new_text(email_message)[:20000],
                        email_message_id=message_id, from_address=sender[:255] or None, created_at=now,
                        verified=not warnings, sender_warning="; ".join(warnings)[:255] or None)
    session.add(entry)
    if entry.verified:  # an unverified sender is held for staff: it reopens nothing
        _resident_wrote_again(session, message, now)
    return entry


def add_from_resident(session, message, body, now):
    """The resident adds to their thread from their private page: the same as replying to
    our email. After a reply, a new 24-hour promise runs from now."""
    entry = ThreadEntry(message=message, kind=RESIDENT, body=body, created_at=now)
    session.add(entry)
    _resident_wrote_again(session, message, now)
    return entry


def _resident_wrote_again(session, message, now):
    if message.first_human_reply_at is not None and message.awaiting_reply_since is None:
        message.awaiting_reply_since = now
    if message.closed_at is not None:
        message.closed_at = None
        event(session, message, None, _("Reopened: the resident replied."), now)


def reply_due(message):
    """When the resident can expect our next reply, or None when nothing is waiting."""
    if message.first_human_reply_at is None:
        return clock.deadline(message.received_at, promise())
    if message.awaiting_reply_since is not None:
        return clock.deadline(message.awaiting_reply_since, promise())
    return None


def resident_entries(message):
    """What the resident sees of the thread: their own additions and our replies, never
    the team's notes or events."""
    return [entry for entry in message.entries if entry.kind in (RESIDENT, REPLY)]


def resend_link(session, reference, email, now):
    """Send a new private link to the address on the message, if the reference and address
    match and no link went in the last few minutes. Returns whether an email was queued;
    callers must not tell the visitor which (that would confirm who wrote to us)."""
    message = session.scalar(select(Message).where(Message.reference == (reference or "").strip().upper()))
    if message is None or not message.gets_email or message.email.lower() != (email or "").strip().lower():
        return False
    if message.link_sent_at is not None and now - message.link_sent_at < LINK_RESEND_INTERVAL:
        return False
    message.link_sent_at = now
    token = new_access_token(message)
    text = "\n\n".join([
        _("Hello,"),
        _("You asked for the link to your message %(reference)s to %(team)s.", reference=message.reference,
          team=message.team.name),
        _("Open your private page here (keep this link to yourself):") + "\n" + private_link(token),
        _("Any earlier link to this message no longer works."),
        _("If you did not ask for this, you can ignore this email."),
    ])
    queue_email(session, message.email, _("The link to your message [%(reference)s]", reference=message.reference),
                text, kind="message_link", subject_id=message.id, now=now,
                headers={"Auto-Submitted": "auto-generated"})
    return True
