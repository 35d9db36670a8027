"""Local problems reported on a map: each is a message in the team's inbox (so it runs under
the same 24-hour clock, receipt and private page) with a point, a type and maybe a photo."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.domain.local_reports import PROBLEM_TYPES
from app.extensions import db

PROBLEM_TYPE_LABELS = dict(zip(PROBLEM_TYPES, [
    _l("Speeding"), _l("Parking"), _l("Drug dealing"), _l("Noise"), _l("Litter"), _l("Vandalism"),
    _l("Groups causing annoyance"), _l("Something else"),
]))


class LocalReport(db.Model):
    __tablename__ = "local_reports"
    __table_args__ = (
        # The public grid counts a quarter of every report; the staff map one team's months.
        Index("ix_local_reports_reported_at", "reported_at"),
        Index("ix_local_reports_team", "team_id", "reported_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The message stays the record of what the resident wrote; if it is deleted (the resident
    # asked), the report keeps only its type, time and point for the published figures,
    # which then do not change (a change would single the report out).
    message_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_messages.id", ondelete="SET NULL"),
                                                   unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    problem_type: Mapped[str] = mapped_column(String(20))  # a key of PROBLEM_TYPES
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    # How the resident gave the place: what they typed (a postcode or street), or empty for a pin.
    place_text: Mapped[str | None] = mapped_column(String(200))
    # The geocoder's or postcode's name for the place, when it was typed.
    place_found: Mapped[str | None] = mapped_column(String(300))
    photo_path: Mapped[str | None] = mapped_column(String(64))  # re-encoded JPEG under UPLOAD_FOLDER/reports
    reported_at: Mapped[datetime] = mapped_column(DateTime)

    message = relationship("Message", backref=backref("local_report", uselist=False, passive_deletes=True))
    team = relationship("Team")

    @property
    def type_label(self):
        return PROBLEM_TYPE_LABELS.get(self.problem_type, self.problem_type)
