"""Street-level crimes from data.police.uk, and one release record per month and force.

A release is what a force published for a month. Its ``digest`` says whether a file holds
the same rows as last time (then importing it changes nothing); a different digest means a
newer release (outcomes change), which replaces the month's rows and bumps ``version``.
The versions of a month's releases are what tile ETags and the tile cache are keyed on.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

ANTI_SOCIAL_BEHAVIOUR = "Anti-social behaviour"
# data.police.uk's "Crime type" names (stored as published) -> what residents read, in their
# language. A name not listed (a new category) is shown as published.
CRIME_TYPE_LABELS = {
    "Anti-social behaviour": _l("Anti-social behaviour"),
    "Bicycle theft": _l("Bicycle theft"),
    "Burglary": _l("Burglary"),
    "Criminal damage and arson": _l("Criminal damage and arson"),
    "Drugs": _l("Drugs"),
    "Other theft": _l("Other theft"),
    "Possession of weapons": _l("Possession of weapons"),
    "Public order": _l("Public order"),
    "Robbery": _l("Robbery"),
    "Shoplifting": _l("Shoplifting"),
    "Theft from the person": _l("Theft from the person"),
    "Vehicle crime": _l("Vehicle crime"),
    "Violence and sexual offences": _l("Violence and sexual offences"),
    "Violent crime": _l("Violent crime"),
    "Other crime": _l("Other crime"),
}


class Crime(db.Model):
    __tablename__ = "crimes"
    __table_args__ = (
        Index("ix_crimes_month_force", "month", "force_id"),
        Index("ix_crimes_month_location", "month", "longitude", "latitude"),
        Index("ix_crimes_neighbourhood_month", "neighbourhood_id", "month"),
        Index("ix_crimes_crime_ref", "crime_ref"),  # the API's outcomes-for-crime/<persistent_id>
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # "2018-07"
    force_id: Mapped[str] = mapped_column(String(64))  # the force that published it ("Reported by")
    crime_ref: Mapped[str | None] = mapped_column(String(64))  # "Crime ID"; none for anti-social behaviour
    category: Mapped[str] = mapped_column(String(64))  # "Crime type"
    outcome: Mapped[str | None] = mapped_column(String(120))  # "Last outcome category"
    # The anonymised map point ("snap point"), shared by every crime reported near it.
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    location: Mapped[str | None] = mapped_column(String(255))  # "On or near …"
    lsoa_code: Mapped[str | None] = mapped_column(String(16))
    lsoa_name: Mapped[str | None] = mapped_column(String(120))
    neighbourhood_id: Mapped[str | None] = mapped_column(ForeignKey("neighbourhoods.id", ondelete="SET NULL"))


class CrimeRelease(db.Model):
    __tablename__ = "crime_releases"
    __table_args__ = (UniqueConstraint("month", "force_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    force_id: Mapped[str] = mapped_column(String(64))
    force_name: Mapped[str] = mapped_column(String(120))
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of the release's rows
    version: Mapped[int] = mapped_column(Integer, default=1)
    rows: Mapped[int] = mapped_column(Integer)
    without_location: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
