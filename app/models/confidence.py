"""Residents' answers to the confidence question (app.domain.confidence), one per source: a
message the team replied to, or a consultation response. No name or address is kept here;
a message's answer is linked to the message only so its sergeant can review a "no"."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.domain import confidence as rules
from app.extensions import db

# The same words as app.domain.confidence.QUESTION (a literal here, for the translators).
CONFIDENCE_QUESTION = _l("How much do you agree: the police and local council are dealing with the crime and "
                         "anti-social behaviour issues that matter in this area")
# Stored key -> what the resident (and the sergeant) reads.
AGREEMENT_LABELS = {
    rules.STRONGLY_AGREE: _l("Strongly agree"),
    rules.AGREE: _l("Agree"),
    rules.NEITHER: _l("Neither agree nor disagree"),
    rules.DISAGREE: _l("Disagree"),
    rules.STRONGLY_DISAGREE: _l("Strongly disagree"),
    rules.DONT_KNOW: _l("Don't know"),
}
# Whole answers, not a bare "Yes"/"No": Welsh answers a past-tense question with its own words.
ANSWERED_LABELS = {rules.YES: _l("Yes, fully"), rules.PARTLY: _l("Partly"), rules.NO: _l("Not at all")}


class ConfidenceResponse(db.Model):
    __tablename__ = "confidence_responses"
    __table_args__ = (
        # One answer per source: a second answer replaces the first (app.services.confidence).
        UniqueConstraint("source", "source_id", name="uq_confidence_responses_source_source_id"),
        # A team's (or a force's) quarters, counted from the index alone.
        Index("ix_confidence_responses_team_quarter", "team_id", "quarter", "agreement", "answered"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))  # app.domain.confidence.SOURCES
    source_id: Mapped[int] = mapped_column(Integer)  # the message's or the consultation response's id
    agreement: Mapped[str | None] = mapped_column(String(20))  # AGREEMENT_CHOICES, None if skipped
    answered: Mapped[str | None] = mapped_column(String(10))  # ANSWERED_CHOICES, messages only
    # The calendar quarter ("2026-Q4", London) of the first answer: where it is counted, for good.
    quarter: Mapped[str] = mapped_column(String(7))
    language: Mapped[str] = mapped_column(String(8), default="en")
    first_answered_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive
    answered_at: Mapped[datetime] = mapped_column(DateTime)  # the latest change
