"""Finding your team: by postcode, by place or team name, or from a force's list and map."""
import json

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from app.extensions import db
from app.find.forms import PlaceSearchForm, PostcodeForm
from app.geocoding import geocode_place, make_geocoder
from app.geography import locate
from app.lookups import PostcodeStatus, find_postcode, search_places
from app.models import Force, Neighbourhood, Team

bp = Blueprint("find", __name__)


@bp.get("/")
def home():
    return render_template("find/home.html", form=PostcodeForm(formdata=None), place_form=PlaceSearchForm(formdata=None))


@bp.get("/find")
def by_postcode():
    form = PostcodeForm(request.args)
    if not form.validate():
        return render_template("find/home.html", form=form, place_form=PlaceSearchForm(formdata=None)), 400
    lookup = find_postcode(form.postcode.data)
    if lookup.status is PostcodeStatus.FOUND:
        found = lookup.record
        return redirect(url_for("teams.profile", force_id=found.force_id, neighbourhood_id=found.neighbourhood_id,
                                postcode=lookup.postcode))
    return render_template("find/no_team.html", lookup=lookup, status=lookup.status.value,
                           place_form=PlaceSearchForm(formdata=None)), 404


@bp.get("/search")
def by_place():
    form = PlaceSearchForm(request.args)
    if not form.validate():
        return render_template("find/search.html", form=form, matches=None), 400
    matches = search_places(form.q.data)
    place = neighbourhood = None
    if not matches:
        place, neighbourhood = _geocoded(form.q.data)
    return render_template("find/search.html", form=form, matches=matches, place=place, neighbourhood=neighbourhood)


def _geocoded(text):
    """A street or place the geocoder knows, and the neighbourhood it lies in."""
    geocoder = make_geocoder(current_app.config["GEOCODER_URL"], current_app.config["GEOCODER_USER_AGENT"])
    place = geocode_place(geocoder, text) if geocoder else None
    return (place, locate(place.latitude, place.longitude)) if place else (None, None)


@bp.get("/search/suggestions")
def suggestions():
    matches = search_places(request.args.get("q", ""), limit=8)
    return jsonify([{"label": m.team_name, "detail": m.force_name,
                     "url": url_for("teams.profile", force_id=m.force_id, neighbourhood_id=m.neighbourhood_id)}
                    for m in matches])


@bp.get("/forces")
def forces():
    rows = db.session.scalars(select(Force).order_by(Force.name)).all()
    return render_template("find/forces.html", forces=rows)


@bp.get("/forces/<force_id>")
def force(force_id):
    force = db.get_or_404(Force, force_id)
    teams = db.session.execute(
        select(Neighbourhood.id, Neighbourhood.local_authority, Team.name)
        .join(Team, Team.neighbourhood_id == Neighbourhood.id)
        .where(Neighbourhood.force_id == force_id)
        .order_by(Neighbourhood.local_authority, Team.name)
    ).all()
    return render_template("find/force.html", force=force, teams=teams)


@bp.get("/forces/<force_id>/neighbourhoods.geojson")
def force_boundaries(force_id):
    db.get_or_404(Force, force_id)
    rows = db.session.execute(
        select(Neighbourhood.id, Neighbourhood.boundary_geojson, Team.name)
        .join(Team, Team.neighbourhood_id == Neighbourhood.id)
        .where(Neighbourhood.force_id == force_id)
    )
    features = [
        {"type": "Feature", "id": nid, "geometry": json.loads(geometry),
         "properties": {"name": name, "url": url_for("teams.profile", force_id=force_id, neighbourhood_id=nid)}}
        for nid, geometry, name in rows
    ]
    response = jsonify({"type": "FeatureCollection", "features": features})
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/about-the-data")
def about_data():
    return render_template("find/about_data.html")

