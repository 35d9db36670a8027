"""A team's explanation of a Pledge promise missed in a month, shown beside the figure."""
from datetime import date, datetime

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
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive

    author = relationship("User")
