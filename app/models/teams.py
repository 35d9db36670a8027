"""Neighbourhood Policing Teams: who they are, where they are based, how to reach them."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock_source
from app.domain.tenure import serving_on
from app.extensions import db

ROLES = ["Inspector", "Sergeant", "Police Constable", "PCSO", "Special Constable", "Other"]
# What the public reads for each stored role, in their language.
ROLE_LABELS = {"Inspector": _l("Inspector"), "Sergeant": _l("Sergeant"), "Police Constable": _l("Police Constable"),
               "PCSO": _l("PCSO"), "Special Constable": _l("Special Constable"), "Other": _l("Other")}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class Station(db.Model):
    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force_id: Mapped[str] = mapped_column(ForeignKey("forces.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    address: Mapped[str] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(8))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # {"monday": "9am to 5pm", ..., "sunday": None} — None means closed
    opening_times: Mapped[dict] = mapped_column(JSON, default=dict)
    facilities: Mapped[str | None] = mapped_column(Text)  # step-free access, hearing loop, ...
    directions: Mapped[str | None] = mapped_column(Text)


class Team(db.Model):
    """The Neighbourhood Policing Team of one neighbourhood."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    neighbourhood_id: Mapped[str] = mapped_column(ForeignKey("neighbourhoods.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(255))
    telephone: Mapped[str | None] = mapped_column(String(40))
    # [{"label": "X (Twitter)", "url": "https://..."}]
    social_links: Mapped[list] = mapped_column(JSON, default=list)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id", ondelete="SET NULL"))

    neighbourhood: Mapped["Neighbourhood"] = relationship(back_populates="team")  # noqa: F821
    station: Mapped[Station | None] = relationship()
    memberships: Mapped[list["Membership"]] = relationship(back_populates="team", cascade="all, delete-orphan")

    @property
    def current_memberships(self):
        today = clock_source.today_in_london()
        current = [m for m in self.memberships if m.is_current(today) and m.officer.listed_publicly]
        return sorted(current, key=lambda m: listing_order(m.officer.role, m.officer.name))


def listing_order(role, name):
    """How a team's officers are listed: by rank (ROLES), then by name."""
    return (ROLES.index(role) if role in ROLES else 99, name)


def shown_photo(photo_path, photo_consent):
    """The photo of an officer the public may see: only while they consent to it."""
    return photo_path if photo_path and photo_consent else None


class Officer(db.Model):
    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force_id: Mapped[str] = mapped_column(ForeignKey("forces.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    role: Mapped[str] = mapped_column(String(40))  # one of ROLES
    collar_number: Mapped[str | None] = mapped_column(String(20))
    pen_picture: Mapped[str | None] = mapped_column(Text)
    photo_path: Mapped[str | None] = mapped_column(String(255))  # under the upload folder
    photo_consent: Mapped[bool] = mapped_column(Boolean, default=False)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="officer", cascade="all, delete-orphan")
    # The staff accounts of this officer (usually none or one).
    accounts: Mapped[list["User"]] = relationship(  # noqa: F821
        viewonly=True, primaryjoin="foreign(User.officer_id) == Officer.id")

    @property
    def listed_publicly(self):
        """An officer whose staff account was switched off leaves the public pages and API."""
        return all(account.active for account in self.accounts)

    @property
    def role_label(self):
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def public_photo(self):
        return shown_photo(self.photo_path, self.photo_consent)


class Membership(db.Model):
    """An officer serving a team from a date; tenure is published (Pledge 3)."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)

    officer: Mapped[Officer] = relationship(back_populates="memberships")
    team: Mapped[Team] = relationship(back_populates="memberships")

    def is_current(self, today):
        return serving_on(self.started_on, self.ended_on, today)
