"""A team's explanation of a Pledge promise missed in a month, shown beside the figure; the
abstractions of its officers from the neighbourhood (Pledge 3, visible time)."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class PledgeExplanation(db.Model):
    __tablename__ = "pledge_explanations"
    # One explanation per team, measure and month; a sergeant's second one replaces the first.
    __table_args__ = (UniqueConstraint("team_id", "measure", "month", name="uq_pledge_explanations_team_measure_month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))  # led by the unique key
    measure: Mapped[str] = mapped_column(String(20))  # one of app.domain.pledge.MEASURES
    month: Mapped[date] = mapped_column(Date)  # the first day of the London month
    text: Mapped[str] = mapped_column(Text)
    improvement: Mapped[str | None] = mapped_column(Text)  # what the team will do to improve
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive

    author = relationship("User")


ABSTRACTION_REASONS = {
    "court": _l("Court"),
    "training": _l("Training"),
    "other_duties": _l("Other duties away from the neighbourhood"),
    "leave": _l("Leave (not duty time)"),
}
LEAVE = "leave"


class Abstraction(db.Model):
    """Days or shifts an officer was taken away from the neighbourhood, or on leave."""

    __tablename__ = "abstractions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))  # key of ABSTRACTION_REASONS
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # inclusive
    # Shifts away within the dates; None: every day of them.
    shifts: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    officer = relationship("Officer")


class VisibleTimeReturn(db.Model):
    """A sergeant's word that a month's abstractions are all recorded: until then the month's
    visible time is not measured (an empty month would otherwise read as 100 %)."""

    __tablename__ = "visible_time_returns"
    __table_args__ = (UniqueConstraint("team_id", "month", name="uq_visible_time_returns_team_month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)  # the first day of the London month
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
