"""Have your say: a team's consultations, the issues it puts to residents, residents'
responses, and the one-time codes officers hand out at library terminals and meetings.

A response's email address is kept only until it is confirmed (to send the link); after
that the response is known only by a keyed hash (app.domain.consultations.resident_key)."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import consultations as rules
from app.extensions import db


class Consultation(db.Model):
    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    closed_early_on: Mapped[date | None] = mapped_column(Date)
    # Residents who took part at the meeting it fed, as the officer counted them.
    at_meeting: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    team = relationship("Team")
    meeting = relationship("Meeting")
    issues: Mapped[list["ConsultationIssue"]] = relationship(
        back_populates="consultation", order_by="ConsultationIssue.position", cascade="all, delete-orphan")

    def status(self, today):
        return rules.status(self.opens_on, self.closes_on, self.closed_early_on, today)


class ConsultationIssue(db.Model):
    __tablename__ = "consultation_issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # Where the suggestion came from: priority, messages, crime, reports, or team (added by the team).
    source: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)

    consultation: Mapped[Consultation] = relationship(back_populates="issues")

    @property
    def key(self):
        return str(self.id)


class ConsultationResponse(db.Model):
    __tablename__ = "consultation_responses"
    # One counted response per resident: the confirmed key is set only on confirmation (and
    # cleared on the response it replaces); unconfirmed rows leave it empty.
    __table_args__ = (UniqueConstraint("consultation_id", "confirmed_key",
                                       name="uq_consultation_responses_consultation_confirmed_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    resident_key: Mapped[str] = mapped_column(String(40), index=True)
    confirmed_key: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(255))  # until confirmed
    channel: Mapped[str] = mapped_column(String(10))  # rules.BY_EMAIL or rules.BY_CODE
    postcode: Mapped[str] = mapped_column(String(8))
    ranking: Mapped[list] = mapped_column(JSON, default=list)  # issue ids as strings, or "else"
    something_else: Mapped[str | None] = mapped_column(Text)
    engagement: Mapped[list] = mapped_column(JSON, default=list)
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)

    consultation: Mapped[Consultation] = relationship()


class ConsultationCode(db.Model):
    """A one-time code an officer hands out; used once, it confirms one response."""

    __tablename__ = "consultation_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    batch: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
