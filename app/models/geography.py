"""Forces, neighbourhoods and postcodes: the areas the portal covers, as data."""
import json
from functools import cache

from sqlalchemy import Float, ForeignKey, Integer, SmallInteger, String, Text, bindparam, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Force(db.Model):
    __tablename__ = "forces"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # data.police.uk slug
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str | None] = mapped_column(String(255))
    telephone: Mapped[str | None] = mapped_column(String(40))
    complaints_url: Mapped[str | None] = mapped_column(String(255))

    neighbourhoods: Mapped[list["Neighbourhood"]] = relationship(
        back_populates="force", order_by="Neighbourhood.name"
    )


class Neighbourhood(db.Model):
    __tablename__ = "neighbourhoods"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # e.g. E02002330
    force_id: Mapped[str] = mapped_column(ForeignKey("forces.id"), index=True)
    name: Mapped[str] = mapped_column(String(160), index=True)
    local_authority: Mapped[str | None] = mapped_column(String(120), index=True)
    # The name residents use (House of Commons Library MSOA names, or the force's own list),
    # in English and Welsh; `name` stays the boundary file's (often statistical) name.
    known_name: Mapped[str | None] = mapped_column(String(160))
    known_name_cy: Mapped[str | None] = mapped_column(String(160))
    # WGS84 geometry; deferred because lists and lookups never need the polygon.
    boundary_geojson: Mapped[str] = mapped_column(Text, deferred=True)
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    centre_lat: Mapped[float] = mapped_column(Float)
    centre_lon: Mapped[float] = mapped_column(Float)

    force: Mapped[Force] = relationship(back_populates="neighbourhoods")
    team: Mapped["Team"] = relationship(back_populates="neighbourhood", uselist=False)  # noqa: F821

    def display_name(self, locale="en"):
        """What residents call it, in Welsh where there is a Welsh name and the page is Welsh."""
        if locale == "cy" and self.known_name_cy:
            return self.known_name_cy
        return self.known_name or self.name

    @property
    def boundary(self):
        return json.loads(self.boundary_geojson)


# Postcodes compare and sort byte by byte on every database, whatever the server's locale
# (SQLite's BINARY; on PostgreSQL the "C" collation, migration 0023): the look-ups by district
# and sector are ranges of bytes ("LS6 " up to "LS6 ~"), and a national import's primary key
# sorts 1.7 million of them (byte comparisons are about half the work of a locale's).
POSTCODE_TYPE = String(8).with_variant(String(8, collation="C"), "postgresql")


class Postcode(db.Model):
    __tablename__ = "postcodes"
    # SQLite: the rows live in the primary key's B-tree (one tree to write and read, not a
    # rowid table plus a unique index on the postcode); migration 0022. No effect elsewhere.
    __table_args__ = {"sqlite_with_rowid": False}

    postcode: Mapped[str] = mapped_column(POSTCODE_TYPE, primary_key=True)  # canonical "LS1 1AZ"
    quality: Mapped[int] = mapped_column(SmallInteger)  # Code-Point positional quality
    easting: Mapped[int | None] = mapped_column(Integer)
    northing: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    neighbourhood_id: Mapped[str | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )

    neighbourhood: Mapped[Neighbourhood | None] = relationship()

    @property
    def has_coordinates(self):
        return self.latitude is not None

    @property
    def outside_coverage(self):
        """A located postcode that no neighbourhood of England and Wales claims."""
        return self.has_coordinates and self.neighbourhood_id is None


class DataVersion(db.Model):
    """A counter a loader moves on when it changes a data set, so that every process can
    tell cheaply whether what it built from that data (e.g. a boundaries index) is stale."""

    __tablename__ = "data_versions"

    BOUNDARIES = "boundaries"
    NAMES = "names"  # the names residents use (search reads them)

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)

    @classmethod
    def current(cls, connection, name):
        """`connection`: a SQLAlchemy Session or Connection."""
        return connection.execute(cls._current_statement(), {"name": name}).scalar() or 0

    @classmethod
    @cache
    def _current_statement(cls):
        """Built once (pages read a version on every view)."""
        return select(cls.version).where(cls.name == bindparam("name"))

    @classmethod
    def bump(cls, connection, name):
        moved = connection.execute(update(cls).where(cls.name == name).values(version=cls.version + 1)).rowcount
        if not moved:
            connection.execute(insert(cls).values(name=name, version=1))
