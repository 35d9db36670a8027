"""Finding your team: by postcode, by place or team name, or from a force's list and map."""
import json

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from app.domain.postcodes import try_normalise
from app.extensions import db
from app.find.forms import PlaceSearchForm, PostcodeForm
from app.geocoding import geocode_place, make_geocoder
from app.neighbourhood_locator import locate
from app.lookups import PostcodeStatus, find_postcode, loaded_coverage, search_places
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
    coverage = loaded_coverage() if lookup.outside_loaded_area else None
    return render_template("find/no_team.html", lookup=lookup, status=lookup.status.value, coverage=coverage,
                           place_form=PlaceSearchForm(formdata=None)), 404


SEARCH_PAGE_SIZE = 20


@bp.get("/search")
def by_place():
    form = PlaceSearchForm(request.args)
    if "q" not in request.args:  # arrived from a link: nothing typed yet, so nothing wrong yet
        return render_template("find/search.html", form=PlaceSearchForm(formdata=None), results=None)
    if not form.validate():
        return render_template("find/search.html", form=form, results=None), 400
    if try_normalise(form.q.data):  # a whole postcode: the postcode finder answers it best
        return redirect(url_for("find.by_postcode", postcode=form.q.data))
    page = request.args.get("page", 1, type=int) or 1
    page = max(1, min(page, 1000))
    results = search_places(form.q.data, limit=SEARCH_PAGE_SIZE, offset=(page - 1) * SEARCH_PAGE_SIZE)
    place = neighbourhood = None
    if not results.total:
        place, neighbourhood = _geocoded(form.q.data)
    pages = max(1, -(-results.total // SEARCH_PAGE_SIZE))
    return render_template("find/search.html", form=form, results=results, place=place, neighbourhood=neighbourhood,
                           page=page, pages=pages, page_size=SEARCH_PAGE_SIZE)


def _geocoded(text):
    """A street or place the geocoder knows, and the neighbourhood it lies in."""
    geocoder = make_geocoder(current_app.config["GEOCODER_URL"], current_app.config["GEOCODER_USER_AGENT"])
    place = geocode_place(geocoder, text) if geocoder else None
    return (place, locate(place.latitude, place.longitude)) if place else (None, None)


@bp.get("/search/suggestions")
def suggestions():
    results = search_places(request.args.get("q", ""), limit=8)
    return jsonify([{"label": m.team_name, "detail": m.force_name,
                     "url": url_for("teams.profile", force_id=m.force_id, neighbourhood_id=m.neighbourhood_id)}
                    for m in results.matches])


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

