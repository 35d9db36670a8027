"""Email alerts by postcode: residents' subscriptions, officers' messages to them, and a
record of what each subscriber was sent, so that `alerts send` never sends a thing twice.

A subscriber's email address is personal data: it is never shown to staff, and the
subscriber can export or delete it through the signed link in every email."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

WEEKLY, MONTHLY = "weekly", "monthly"
FREQUENCIES = (WEEKLY, MONTHLY)
# Whole phrases, not adjectives slotted into a sentence: Polish says "co tydzień", not an adjective that
# would have to agree with a noun elsewhere in the sentence.
FREQUENCY_LABELS = {WEEKLY: _l("Every week"), MONTHLY: _l("Every month")}


class AlertSubscription(db.Model):
    __tablename__ = "alert_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(255), index=True)
    postcode: Mapped[str] = mapped_column(String(8))
    sector: Mapped[str] = mapped_column(String(8), index=True)  # "LS1 1": what messages can target
    neighbourhood_id: Mapped[str] = mapped_column(ForeignKey("neighbourhoods.id", ondelete="CASCADE"), index=True)
    wants_priorities: Mapped[bool] = mapped_column(Boolean, default=True)
    wants_meetings: Mapped[bool] = mapped_column(Boolean, default=True)
    wants_updates: Mapped[bool] = mapped_column(Boolean, default=True)
    # The month's crime figures for the neighbourhood, in the first digest after they are imported.
    wants_crime_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    frequency: Mapped[str] = mapped_column(String(10), default=WEEKLY)
    # The language the resident subscribed in: every email to them is written in it.
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # The London calendar day of the last alert email: at most one a day.
    last_emailed_on: Mapped[date | None] = mapped_column(Date)

    neighbourhood = relationship("Neighbourhood")
    deliveries: Mapped[list["AlertDelivery"]] = relationship(
        back_populates="subscription", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def frequency_label(self):
        return FREQUENCY_LABELS.get(self.frequency, self.frequency)

    @property
    def confirmed(self):
        return self.confirmed_at is not None


class AlertMessage(db.Model):
    """A message an officer sends to the subscribers of their neighbourhood or of some sectors."""

    __tablename__ = "alert_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signature: Mapped[str] = mapped_column(String(300))  # name and role, as at sending
    subject: Mapped[str] = mapped_column(String(150))
    body: Mapped[str] = mapped_column(Text)
    sectors: Mapped[list] = mapped_column(JSON, default=list)  # empty: the whole neighbourhood
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)

    team = relationship("Team")


class AlertDelivery(db.Model):
    """One thing (a digest period, or a message) dealt with for one subscriber.

    Written in the same transaction as the queued email, so a run that crashes is simply
    run again. ``email_id`` is empty when there was nothing to send for that period."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (UniqueConstraint("subscription_id", "key", name="uq_alert_deliveries_subscription_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("alert_subscriptions.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))  # "digest:2026-W47", "digest:2026-11", "message:12"
    message_id: Mapped[int | None] = mapped_column(ForeignKey("alert_messages.id", ondelete="CASCADE"), index=True)
    email_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_emails.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    subscription: Mapped[AlertSubscription] = relationship(back_populates="deliveries")
