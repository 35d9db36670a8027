"""The team inbox: messages from residents, their threads, escalations, feedback themes.

Whether a message is overdue or at risk is never stored: it follows from `received_at`,
`first_human_reply_at` and the clock (app/domain/clock.py). What the clock fixes when a
message arrives is stored with it: when its reply is due and whether it came in at a
London weekend, so the figures over a million messages are counts and comparisons in SQL.
"""
from datetime import date, datetime, timedelta

from flask import current_app

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import clock
from app.extensions import db

MESSAGE, FEEDBACK = "message", "feedback"
CONTACT_BY = {"email": "Email", "phone": "Phone", "both": "Email and phone"}

# Thread entries. Only REPLY (a person answering) stops the clock; receipts are never entries.
RESIDENT, REPLY, NOTE, EVENT = "resident", "reply", "note", "event"

# Stored key -> what the resident (and the sergeant) reads, in their language.
FEEDBACK_THEMES = {
    "no_reply": _l("We did not reply, or replied late"),
    "not_kept_informed": _l("We did not keep you informed"),
    "not_done": _l("We did not do what we said we would"),
    "attitude": _l("How we treated you"),
    "priorities": _l("Our priorities or meetings"),
    "other": _l("Something else"),
}


CONTACT_OFFERS = {"meet": _l("To meet in person"), "call": _l("A phone or video call")}


def reply_promise():
    """How soon a person promises to reply (Pledge 4, 10): REPLY_PROMISE_HOURS."""
    return timedelta(hours=current_app.config.get("REPLY_PROMISE_HOURS", 24))


def _reply_due_at(context):
    # Column defaults, so a message stored by any path (the inbox service, a bulk insert)
    # gets the same values the clock's rules give at arrival.
    return clock.deadline(context.get_current_parameters()["received_at"], reply_promise())


def _received_on_weekend(context):
    return clock.is_weekend(context.get_current_parameters()["received_at"])


def _first_reply_wait_ms(context):
    parameters = context.get_current_parameters()
    replied_at = parameters.get("first_human_reply_at")
    return None if replied_at is None else clock.wait_ms(parameters["received_at"], replied_at)


class Message(db.Model):
    __tablename__ = "inbox_messages"
    __table_args__ = (
        # The monthly compliance report reads one month of one kind across all teams from
        # this index alone (covering), without touching the table or the threads.
        Index("ix_inbox_messages_report", "kind", "received_at", "team_id", "first_human_reply_at",
              "reply_due_at", "received_on_weekend", "closed_at", "contact_by", "first_reply_wait_ms"),
        # A team's inbox, and its (or its force's, or every team's over a year) reply figures
        # from the index alone, read in team order so grouping by team needs no sort.
        Index("ix_inbox_messages_team", "team_id", "kind", "received_at", "first_human_reply_at",
              "reply_due_at", "received_on_weekend", "closed_at", "contact_by", "first_reply_wait_ms"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10), default=MESSAGE)  # MESSAGE or FEEDBACK
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(40))
    contact_by: Mapped[str] = mapped_column(String(10))  # key of CONTACT_BY
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language of the page the resident wrote from (a key of config LANGUAGES): the receipt and
    # the team's emailed replies are written in it, and staff are asked to answer in it.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    received_at: Mapped[datetime] = mapped_column(DateTime)
    # Fixed by the clock's rules when the message arrives (clock.deadline, clock.is_weekend):
    # the promise made to the resident then, and the part of the week it is reported in.
    reply_due_at: Mapped[datetime] = mapped_column(DateTime, default=_reply_due_at)
    received_on_weekend: Mapped[bool] = mapped_column(Boolean, default=_received_on_weekend)
    # Denormalised from the thread (the earliest REPLY entry), set once and never changed:
    # the monthly report over a million messages must not join every thread to find it.
    first_human_reply_at: Mapped[datetime | None] = mapped_column(DateTime)
    # And how long it took, in whole milliseconds (clock.wait_ms), set with it by the inbox
    # service: the report ranks these integers instead of subtracting timestamps per message.
    first_reply_wait_ms: Mapped[int | None] = mapped_column(BigInteger, default=_first_reply_wait_ms)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    fuller_answer_promised_at: Mapped[datetime | None] = mapped_column(DateTime)
    fuller_answer_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The resident's private link is a random token; only its SHA-256 is kept, so the
    # database (or a backup of it) cannot be used to open anyone's message.
    access_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    link_sent_at: Mapped[datetime | None] = mapped_column(DateTime)  # last "send me my link"
    # Feedback ("not happy with this answer") points at the message it is about.
    about_message_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_messages.id", ondelete="SET NULL"))
    # The resident added to the thread after a reply: a new 24-hour promise runs from here.
    awaiting_reply_since: Mapped[datetime | None] = mapped_column(DateTime)
    # Personal details removed (retention period over, or the resident asked): app/services/retention.py.
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The dissatisfaction route (Pledge 10) after the acknowledgement, for FEEDBACK: each
    # stage is recorded by staff and timed (app.domain.dissatisfaction).
    contact_offered_at: Mapped[datetime | None] = mapped_column(DateTime)
    contact_offer: Mapped[str | None] = mapped_column(String(10))  # key of CONTACT_OFFERS
    plan_agreed_at: Mapped[datetime | None] = mapped_column(DateTime)
    plan: Mapped[str | None] = mapped_column(Text)
    plan_due_on: Mapped[date | None] = mapped_column(Date)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str | None] = mapped_column(Text)

    team = relationship("Team")
    about_message = relationship("Message", remote_side=lambda: [Message.id], foreign_keys=lambda: [Message.about_message_id])
    owner = relationship("User")
    entries: Mapped[list["ThreadEntry"]] = relationship(
        back_populates="message", order_by=lambda: (ThreadEntry.created_at, ThreadEntry.id),
        cascade="all, delete-orphan")
    themes: Mapped[list["FeedbackTheme"]] = relationship(cascade="all, delete-orphan")

    def dissatisfaction_route(self):
        """The facts app.domain.dissatisfaction times (for FEEDBACK)."""
        from app.domain.dissatisfaction import Route

        return Route(self.received_at, self.first_human_reply_at, self.contact_offered_at, self.plan_agreed_at,
                     self.plan_due_on, self.outcome_at)

    @property
    def fuller_answer_pending(self):
        return self.fuller_answer_promised_at is not None and self.fuller_answer_sent_at is None

    @property
    def gets_email(self):
        return bool(self.email) and self.contact_by in ("email", "both")


class ThreadEntry(db.Model):
    __tablename__ = "inbox_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("inbox_messages.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # RESIDENT, REPLY, NOTE, EVENT
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(10))  # email or phone, for replies
    fuller_answer: Mapped[bool] = mapped_column(Boolean, default=False)
    # Message-ID of the email this entry came in as or went out as; inbound mail seen
    # twice (a webhook retry, a mailbox read again) is recognised by it.
    email_message_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    from_address: Mapped[str | None] = mapped_column(String(255))
    # An emailed reply whose sender is not the resident's address (or fails SPF/DKIM/DMARC)
    # is kept for staff but not trusted: it does not reopen the message or count as the
    # resident writing again. sender_warning says what looked wrong.
    verified: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    sender_warning: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    message: Mapped[Message] = relationship(back_populates="entries")
    author = relationship("User")


class Escalation(db.Model):
    """An escalation email sent to a team's sergeants; the unique pair makes it once only."""

    __tablename__ = "inbox_escalations"
    __table_args__ = (UniqueConstraint("message_id", "level_hours", name="uq_inbox_escalations_message_level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("inbox_messages.id", ondelete="CASCADE"))
    level_hours: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(DateTime)


class FeedbackTheme(db.Model):
    __tablename__ = "feedback_themes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("inbox_messages.id", ondelete="CASCADE"), index=True)
    theme: Mapped[str] = mapped_column(String(30), index=True)  # key of FEEDBACK_THEMES
