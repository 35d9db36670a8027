"""Queries shared by the pages and the JSON API: postcode → team, place search."""
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import bindparam, func, or_, select

from app.domain import postcodes
from app.extensions import db
from app.models import Force, Neighbourhood, Postcode, Team


class PostcodeStatus(Enum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NO_COORDINATES = "no_coordinates"
    OUTSIDE_COVERAGE = "outside_coverage"
    FOUND = "found"


@dataclass
class PostcodeRecord:
    postcode: str
    latitude: float | None
    longitude: float | None
    neighbourhood_id: str | None
    neighbourhood_name: str | None
    force_id: str | None
    force_name: str | None


@dataclass
class PostcodeLookup:
    status: PostcodeStatus
    query: str
    postcode: str | None = None
    record: PostcodeRecord | None = None


# One indexed read of plain columns: this is the hottest query the portal has.
_POSTCODE_QUERY = (
    select(Postcode.postcode, Postcode.latitude, Postcode.longitude, Postcode.neighbourhood_id,
           Neighbourhood.name, Neighbourhood.force_id, Force.name)
    .outerjoin(Neighbourhood, Neighbourhood.id == Postcode.neighbourhood_id)
    .outerjoin(Force, Force.id == Neighbourhood.force_id)
)
# Built once and run on the session's connection: building the statement and the ORM's
# execution path cost 0.19 ms a lookup, this 0.035 ms (cProfile of the API request).
_POSTCODE_BY_CANONICAL = _POSTCODE_QUERY.where(Postcode.postcode == bindparam("postcode"))


def find_postcode(text):
    canonical = postcodes.try_normalise(text or "")
    if canonical is None:
        return PostcodeLookup(PostcodeStatus.INVALID, text or "")
    row = db.session.connection().execute(_POSTCODE_BY_CANONICAL, {"postcode": canonical}).first()
    if row is None:
        status = (
            PostcodeStatus.OUTSIDE_COVERAGE
            if postcodes.outside_great_britain(canonical)
            else PostcodeStatus.NOT_FOUND
        )
        return PostcodeLookup(status, text, canonical)
    record = PostcodeRecord(*row)
    if record.latitude is None:
        status = PostcodeStatus.NO_COORDINATES
    elif record.neighbourhood_id is None:
        status = PostcodeStatus.OUTSIDE_COVERAGE
    else:
        status = PostcodeStatus.FOUND
    return PostcodeLookup(status, text, canonical, record)


@dataclass
class PlaceMatch:
    neighbourhood_id: str
    force_id: str
    team_name: str
    neighbourhood_name: str
    force_name: str
    local_authority: str | None


def search_places(text, limit=20):
    """Teams whose team name, neighbourhood, local authority or postcode district match."""
    text = " ".join((text or "").split())
    if len(text) < 2:
        return []
    if postcodes.is_outcode(text):
        return _teams_in_district(text.replace(" ", "").upper(), limit)
    pattern = f"%{_escape_like(text.lower())}%"
    starts = f"{_escape_like(text.lower())}%"
    name = func.lower(Team.name)
    rows = db.session.execute(
        select(Neighbourhood, Team.name, Force.name)
        .join(Team, Team.neighbourhood_id == Neighbourhood.id)
        .join(Force, Force.id == Neighbourhood.force_id)
        .where(
            or_(
                name.like(pattern, escape="\\"),
                func.lower(Neighbourhood.name).like(pattern, escape="\\"),
                func.lower(Neighbourhood.local_authority).like(pattern, escape="\\"),
            )
        )
        .order_by(name.like(starts, escape="\\").desc(), Neighbourhood.name)
        .limit(limit)
    )
    return [
        PlaceMatch(n.id, n.force_id, team_name, n.name, force_name, n.local_authority)
        for n, team_name, force_name in rows
    ]


def _teams_in_district(district, limit):
    counts = (
        select(Postcode.neighbourhood_id, func.count().label("n"))
        .where(
            # a range on the primary key rather than LIKE, so both databases use the index
            Postcode.postcode >= f"{district} ",
            Postcode.postcode < f"{district}!",
            Postcode.neighbourhood_id.is_not(None),
        )
        .group_by(Postcode.neighbourhood_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Neighbourhood, Team.name, Force.name)
        .join(counts, counts.c.neighbourhood_id == Neighbourhood.id)
        .join(Team, Team.neighbourhood_id == Neighbourhood.id)
        .join(Force, Force.id == Neighbourhood.force_id)
        .order_by(counts.c.n.desc())
        .limit(limit)
    )
    return [
        PlaceMatch(n.id, n.force_id, team_name, n.name, force_name, n.local_authority)
        for n, team_name, force_name in rows
    ]


def _escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
