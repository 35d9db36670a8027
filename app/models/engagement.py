"""What teams publish: meetings, priorities with their actions, "You said – We did"."""
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock_source
from app.extensions import db

MEETING_KINDS = {
    "pact": _l("PACT or community meeting"),
    "surgery": _l("Surgery"),
    "street_briefing": _l("Street briefing"),
    "mobile_station": _l("Mobile police station"),
    "online": _l("Online meeting"),
    "other": _l("Other"),
}


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # key of MEETING_KINDS
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC, naive
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    venue: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    accessibility: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(8), index=True)  # of the venue, canonical
    purpose: Mapped[str] = mapped_column(Text)
    agenda: Mapped[str | None] = mapped_column(Text)  # safe rich text
    attendees: Mapped[str | None] = mapped_column(Text)  # who from the team will attend
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    minutes: Mapped[str | None] = mapped_column(Text)
    attendance: Mapped[int | None] = mapped_column(Integer)
    # Meetings set up together from one recurrence rule share this key (see MeetingSeries).
    series_key: Mapped[str | None] = mapped_column(String(32), index=True)
    # The start (naive UTC) the series' rule gave this meeting; it stays when the meeting is moved.
    series_start: Mapped[datetime | None] = mapped_column(DateTime)
    # When it first appeared on the portal and when its attendance or minutes were first
    # recorded (UTC): a meeting counts as held for the Pledge only if advertised in time and
    # recorded afterwards (app.domain.pledge.meeting_counts_as_held). Set by the views from
    # the app's clock; the default only serves rows made outside them.
    published_at: Mapped[datetime] = mapped_column(DateTime, default=clock_source.now)
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime)

    team: Mapped["Team"] = relationship()  # noqa: F821
    priorities_agreed: Mapped[list["Priority"]] = relationship(
        back_populates="decided_at_meeting", order_by="Priority.agreed_on"
    )

    @property
    def kind_label(self):
        return MEETING_KINDS.get(self.kind, self.kind)

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes or 0)

    def has_happened(self, now):
        return not self.cancelled and self.starts_at < now


class MeetingSeries(db.Model):
    """The rule a series of meetings was set up from; its meetings carry its key."""

    __tablename__ = "meeting_series"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    first_start: Mapped[datetime] = mapped_column(DateTime)  # London wall-clock time, naive
    rule: Mapped[str] = mapped_column(Text)  # RFC 5545 RRULE value, e.g. FREQ=MONTHLY;COUNT=6;BYDAY=+1TU


class Priority(db.Model):
    __tablename__ = "priorities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(Text)  # streets or places covered
    how_decided: Mapped[str | None] = mapped_column(Text)
    residents_consulted: Mapped[int | None] = mapped_column(Integer)
    decided_at_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    agreed_on: Mapped[date] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # The consultation ("Have your say") the priority came from: its results are linked from
    # the priority, and its count of residents fills residents_consulted.
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL"), index=True
    )
    outcome: Mapped[str | None] = mapped_column(Text)

    team: Mapped["Team"] = relationship()  # noqa: F821
    decided_at_meeting: Mapped[Meeting | None] = relationship(back_populates="priorities_agreed")
    consultation = relationship("Consultation")
    actions: Mapped[list["PriorityAction"]] = relationship(
        back_populates="priority", order_by=lambda: (PriorityAction.taken_on.desc(), PriorityAction.id.desc()), cascade="all, delete-orphan"
    )

    @property
    def is_current(self):
        return self.closed_on is None

    @property
    def latest_action(self):
        return self.actions[0] if self.actions else None

    def is_stale(self, today):
        from app.domain.publishing import is_stale

        latest = self.latest_action
        return self.is_current and is_stale(self.agreed_on, latest.taken_on if latest else None, today)


class PriorityAction(db.Model):
    __tablename__ = "priority_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id", ondelete="CASCADE"), index=True)
    taken_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    partner: Mapped[str | None] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock_source.now)  # when written, UTC

    priority: Mapped[Priority] = relationship(back_populates="actions")


class Update(db.Model):
    """A "You said – We did" post."""

    __tablename__ = "updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    published_on: Mapped[date] = mapped_column(Date, index=True)
    raised_at: Mapped[str | None] = mapped_column(String(120))  # meeting, message, survey
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str] = mapped_column(Text)
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priorities.id", ondelete="SET NULL"))
    # The inbox's message thread this answers. No foreign key yet: the messages table
    # arrives with the inbox (issue 3); the link is only kept with the resident's consent.
    message_id: Mapped[int | None] = mapped_column(Integer, index=True)
    resident_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When it was written (UTC): it counts for the Pledge from then, whatever its date says.
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock_source.now)

    team: Mapped["Team"] = relationship()  # noqa: F821
    priority: Mapped[Priority | None] = relationship()
