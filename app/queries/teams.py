"""Forces, neighbourhoods and teams: what every team page, the API and the feeds look up first."""
import json
from functools import cache
from typing import NamedTuple

import shapely.geometry
from flask import abort
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload, selectinload

from app.domain import areas
from app.domain.tenure import serving_on
from app.extensions import db
from app.models import ROLE_LABELS, DataVersion, Force, Membership, Neighbourhood, Officer, Team, User
from app.models.teams import listing_order, shown_photo


def forces():
    return db.session.scalars(select(Force).order_by(Force.name)).all()


def force(force_id):
    return db.session.get(Force, force_id)


def neighbourhoods(force_id):
    return db.session.execute(
        select(Neighbourhood.id, Neighbourhood.name)
        .where(Neighbourhood.force_id == force_id)
        .order_by(Neighbourhood.name)
    ).all()


# The statements every team page reads are built once, with parameters: building a statement
# and working out its cache key anew cost more than SQLite's part of the query (issue 15).
@cache
def _team_statement(members):
    options = [joinedload(Team.neighbourhood).joinedload(Neighbourhood.force), joinedload(Team.station)]
    if members:
        options.append(selectinload(Team.memberships).joinedload(Membership.officer).selectinload(Officer.accounts))
    return (select(Team).join(Neighbourhood)
            .where(Team.neighbourhood_id == bindparam("neighbourhood_id"), Neighbourhood.force_id == bindparam("force_id"))
            .options(*options))


def team(force_id, neighbourhood_id, members=True):
    """The team of a neighbourhood, with its neighbourhood, force, station and (unless
    members=False: the team page reads them with public_members) its members."""
    return db.session.scalar(_team_statement(members), {"neighbourhood_id": neighbourhood_id, "force_id": force_id})


def team_for(force_id, neighbourhood_id, members=True):
    """The team of a neighbourhood for a page at /teams/<force>/<neighbourhood>/…, or 404."""
    found = team(force_id, neighbourhood_id, members)
    if found is None:
        abort(404)
    return found


class PublicOfficer(NamedTuple):
    name: str
    role: str
    collar_number: str | None
    pen_picture: str | None
    public_photo: str | None

    @property
    def role_label(self):
        return ROLE_LABELS.get(self.role, self.role)


class PublicMember(NamedTuple):
    started_on: object
    officer: PublicOfficer


@cache
def _public_members_statement():
    switched_off = exists().where(User.officer_id == Officer.id, User.active.is_not(True))
    return (select(Membership.started_on, Membership.ended_on, Officer.name, Officer.role, Officer.collar_number,
                   Officer.pen_picture, Officer.photo_path, Officer.photo_consent)
            .join(Officer, Officer.id == Membership.officer_id)
            .where(Membership.team_id == bindparam("team_id"), ~switched_off))


def public_members(team_id, today):
    """The officers the public sees on the team's page, as Team.current_memberships lists them
    (serving today, no staff account switched off; by rank, then name), read as plain rows in
    one query: [PublicMember(started_on, officer)]."""
    rows = db.session.execute(_public_members_statement(), {"team_id": team_id}).all()
    members = [PublicMember(row.started_on, PublicOfficer(row.name, row.role, row.collar_number, row.pen_picture,
                                                          shown_photo(row.photo_path, row.photo_consent)))
               for row in rows if serving_on(row.started_on, row.ended_on, today)]
    return sorted(members, key=lambda m: listing_order(m.officer.role, m.officer.name))


def force_teams(force_id):
    """(team id, neighbourhood id, team name) of every team in the force, by name."""
    return db.session.execute(
        select(Team.id, Neighbourhood.id, Team.name).join(Neighbourhood)
        .where(Neighbourhood.force_id == force_id).order_by(Team.name)
    ).all()


def team_object_or_404(model, object_id, team_id):
    """A priority, meeting or update only through the team it belongs to."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.team_id != team_id:
        abort(404)
    return obj


@cache
def _bordering_names_statement():
    return (select(Neighbourhood.id, Neighbourhood.force_id, Team.name)
            .join(Team, Team.neighbourhood_id == Neighbourhood.id)
            .where(Neighbourhood.id.in_(bindparam("ids", expanding=True))))


NEAR = 0.02  # degrees: how far beyond an area's box to look for areas that border it


def bordering_teams(neighbourhood):
    """[(team name, force id, neighbourhood id, compass point)] of the teams whose areas border
    the neighbourhood, from north round to north-west. Which areas border it is worked out once
    per version of the boundaries (an import moves the version on); the teams' names are read
    each time, since staff can change them. Two queries either way."""
    version = DataVersion.current(db.session, DataVersion.BOUNDARIES)
    nearby, worked_out_now = [], []

    def work_out():
        worked_out_now.append(True)
        # The area itself comes in the same read (its boundary is a deferred column).
        rows = db.session.execute(
            select(Neighbourhood.id, Neighbourhood.force_id, Neighbourhood.boundary_geojson, Neighbourhood.centre_lon,
                   Neighbourhood.centre_lat, Team.name)
            .join(Team, Team.neighbourhood_id == Neighbourhood.id)
            .where(Neighbourhood.max_lon >= neighbourhood.min_lon - NEAR,
                   Neighbourhood.min_lon <= neighbourhood.max_lon + NEAR,
                   Neighbourhood.max_lat >= neighbourhood.min_lat - NEAR,
                   Neighbourhood.min_lat <= neighbourhood.max_lat + NEAR)).all()
        own = next(row for row in rows if row.id == neighbourhood.id)
        nearby.extend(row for row in rows if row.id != neighbourhood.id)
        return areas.bordering(
            shapely.geometry.shape(json.loads(own.boundary_geojson)),
            (neighbourhood.centre_lon, neighbourhood.centre_lat),
            [(row.id, shapely.geometry.shape(json.loads(row.boundary_geojson)), (row.centre_lon, row.centre_lat))
             for row in nearby])

    borders = areas.cached_borders(version, neighbourhood.id, work_out)
    if not worked_out_now:  # worked out before: only the names
        nearby = db.session.execute(_bordering_names_statement(), {"ids": [nid for nid, _ in borders]}).all()
    names = {row.id: (row.name, row.force_id) for row in nearby}
    return [(names[nid][0], names[nid][1], nid, point) for nid, point in borders if nid in names]


def officer_shown_in_photo(filename):
    """The officer whose photo this file is, while they consent to it being shown; else None."""
    officer = db.session.scalar(select(Officer).where(Officer.photo_path == filename))
    return officer if officer is not None and officer.public_photo is not None else None
