"""Forces, neighbourhoods and teams: what every team page, the API and the feeds look up first."""
from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Force, Membership, Neighbourhood, Officer, Team


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


def team(force_id, neighbourhood_id):
    """The team of a neighbourhood, with its neighbourhood, force, station and members."""
    return db.session.scalar(
        select(Team)
        .join(Neighbourhood)
        .where(Team.neighbourhood_id == neighbourhood_id, Neighbourhood.force_id == force_id)
        .options(
            joinedload(Team.neighbourhood).joinedload(Neighbourhood.force),
            joinedload(Team.station),
            selectinload(Team.memberships).joinedload(Membership.officer).selectinload(Officer.accounts),
        )
    )



def team_for(force_id, neighbourhood_id):
    """The team of a neighbourhood for a page at /teams/<force>/<neighbourhood>/…, or 404."""
    found = team(force_id, neighbourhood_id)
    if found is None:
        abort(404)
    return found


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
