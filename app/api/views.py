"""The open JSON API. Paths and field names follow data.police.uk's API for what the portal
holds (forces, neighbourhoods, people, events, priorities, boundaries, locate-neighbourhood),
and for street-level crimes (crimes-street, crime-categories, crime-last-updated,
outcomes-for-crime), so that its existing clients work here; the portal's own data (postcodes, "You said – We
did", meetings with minutes) is served alongside. Described by /api/openapi.json."""
import re

import shapely
from flask import Blueprint, abort, current_app, jsonify, request

from app import clock_source
from app.api.openapi import openapi_document
from app.domain import crime_search
from app.domain.crime_categories import (ALL_CRIME, category_list, category_names, category_slug, outcome_code)
from app.domain import confidence as confidence_rules
from app.domain import local_reports as report_rules
from app.domain import pledge
from app.domain.localtime import local_iso, meeting_end
from app.api import rate_limit
from app.extensions import csrf
from app.lookups import PostcodeStatus, look_up_postcode
from app.links import public_url
from app.queries import confidence as confidence_figures
from app.domain import consultations as consultation_rules
from app.queries import consultations as consultation_queries
from app.queries import crime as crime_queries
from app.queries import local_reports as report_queries
from app.queries import meetings as meeting_queries
from app.queries import priorities as priority_queries
from app.queries import teams as team_queries
from app.queries import updates as update_queries
from app.queries import pledge_figures as figures

bp = Blueprint("api", __name__, url_prefix="/api")
# The API is read-only and uses no cookies or sign-in, so a forged cross-site request can
# do nothing a direct one cannot: its POST (crimes-street) needs no CSRF token.
csrf.exempt(bp)
# data.police.uk allows 15 requests a second with bursts of 30; so do we, per client (API_RATE_LIMIT).
rate_limit.init_blueprint(bp)

_POSTCODE_ERRORS = {
    PostcodeStatus.INVALID: (400, "Not a valid UK postcode. A postcode looks like LS1 1AZ or SW1A 2AA."),
    PostcodeStatus.NOT_FOUND: (404, "Postcode not found."),
    PostcodeStatus.NO_COORDINATES: (404, "This postcode has no location in the postcode data."),
    PostcodeStatus.OUTSIDE_COVERAGE: (404, "This postcode is outside the area this portal covers (England and Wales)."),
}
# data.police.uk keys for a neighbourhood's contact_details, matched against link labels.
_CONTACT_KEYS = ["twitter", "facebook", "youtube", "instagram", "flickr", "blog", "forum", "rss"]


@bp.after_request
def cors_for_reads(response):
    # Anyone may read the API from a browser; nothing here uses cookies, so no credentials.
    if request.method in ("GET", "HEAD", "POST"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def error(status, message, **extra):
    return jsonify({"status": status, "error": message, **extra}), status


def _date(value):
    return f"{value.isoformat()}T00:00:00" if value else None


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/api"))


@bp.get("/forces")
def forces():
    return jsonify([{"id": f.id, "name": f.name} for f in team_queries.forces()])


@bp.get("/forces/<force_id>")
def force(force_id):
    found = team_queries.force(force_id)
    if found is None:
        abort(404)
    methods = []
    if found.complaints_url:
        methods.append({"title": "Complaints", "url": found.complaints_url, "description": None})
    return jsonify({"id": found.id, "name": found.name, "description": None, "url": found.url,
                    "telephone": found.telephone, "engagement_methods": methods})


@bp.get("/<force_id>/neighbourhoods")
def neighbourhoods(force_id):
    if team_queries.force(force_id) is None:
        abort(404)
    return jsonify([{"id": i, "name": name} for i, name in team_queries.neighbourhoods(force_id)])


@bp.get("/<force_id>/<neighbourhood_id>")
def neighbourhood(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    n = team.neighbourhood
    contact = {key: value for key, value in (("email", team.email), ("telephone", team.telephone)) if value}
    links = []
    for link in team.social_links or []:
        label, url = link.get("label", ""), link.get("url")
        key = next((k for k in _CONTACT_KEYS if k in label.lower()), None)
        if key and key not in contact:
            contact[key] = url
        links.append({"url": url, "title": label, "description": None})
    locations = []
    if team.station:
        s = team.station
        locations.append({
            "name": s.name, "type": "station", "address": s.address, "postcode": s.postcode,
            "latitude": _coordinate(s.latitude), "longitude": _coordinate(s.longitude),
            "description": s.facilities,
        })
    return jsonify({
        "id": n.id,
        "name": n.name,
        "description": team.description,
        "url_force": public_url("teams.profile", force_id=force_id, neighbourhood_id=n.id),
        "contact_details": contact,
        "centre": {"latitude": _coordinate(n.centre_lat), "longitude": _coordinate(n.centre_lon)},
        "locations": locations,
        "links": links,
    })


def _coordinate(value):
    # data.police.uk gives coordinates as strings
    return None if value is None else str(value)


@bp.get("/<force_id>/<neighbourhood_id>/boundary")
def boundary(force_id, neighbourhood_id):
    n = team_queries.team_for(force_id, neighbourhood_id).neighbourhood
    # data.police.uk gives one ring of points; for a neighbourhood in several parts, the
    # largest part's outline (the GeoJSON boundary on the team page has all of them).
    geometry = shapely.from_geojson(n.boundary_geojson)
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]
    if not parts:
        return jsonify([])
    outline = max(parts, key=lambda p: p.area).exterior.coords
    return jsonify([{"latitude": str(lat), "longitude": str(lon)} for lon, lat in outline])


@bp.get("/<force_id>/<neighbourhood_id>/people")
def people(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    return jsonify([
        {"name": m.officer.name, "rank": m.officer.role, "bio": m.officer.pen_picture, "contact_details": {}}
        for m in team.current_memberships
    ])


@bp.get("/<force_id>/<neighbourhood_id>/events")
def events(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    return jsonify([
        {
            "title": m.title,
            "description": m.purpose,
            "address": ", ".join(part for part in (m.venue, m.address) if part),
            "type": m.kind,
            "start_date": local_iso(m.starts_at),
            "end_date": local_iso(meeting_end(m.starts_at, m.duration_minutes)),
            "contact_details": {},
        }
        for m in meeting_queries.upcoming_meetings(team.id, clock_source.now())
    ])


@bp.get("/<force_id>/<neighbourhood_id>/priorities")
def priorities(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    result = []
    for p in priority_queries.current_priorities(team.id):
        action = p.latest_action
        result.append({
            "issue": p.description,
            "issue-date": _date(p.agreed_on),
            "action": action.description if action else None,
            "action-date": _date(action.taken_on) if action else None,
            "title": p.title,
        })
    return jsonify(result)


@bp.get("/<force_id>/<neighbourhood_id>/you-said-we-did")
def you_said_we_did(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    return jsonify([
        {"date": u.published_on.isoformat(), "you_said": u.you_said, "we_did": u.we_did,
         "raised_at": u.raised_at, "priority": u.priority.title if u.priority else None}
        for u in update_queries.updates(team.id)
    ])


@bp.get("/<force_id>/<neighbourhood_id>/consultations")
def consultations(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    today = clock_source.today_in_london()
    answer = []
    for c in consultation_queries.consultations(team.id):
        status = c.status(today)
        if status == consultation_rules.SCHEDULED:
            continue
        titles = {issue.key: issue.title for issue in c.issues}
        results = None
        if status == consultation_rules.CLOSED:
            r = consultation_queries.results(c)
            results = {
                "method": "borda-3-2-1", "residents_online": r.residents_online, "residents_with_code": r.by_code,
                "residents_at_meeting": r.at_meeting, "residents_total": r.residents_total,
                "something_else": r.something_else, "engagement": r.engagement,
                "issues": [{"id": int(s.key), "title": titles[s.key], "points": s.points,
                            "first_choices": s.first_choices, "residents": s.mentions} for s in r.issues],
            }
        answer.append({
            "id": c.id, "title": c.title, "status": status, "opens_on": c.opens_on.isoformat(),
            "closes_on": consultation_rules.last_day(c.closes_on, c.closed_early_on).isoformat(),
            "meeting_id": c.meeting_id, "issues": [{"id": i.id, "title": i.title} for i in c.issues],
            "url": public_url("consultations.results" if results else "consultations.respond", force_id=force_id,
                              neighbourhood_id=neighbourhood_id, consultation_id=c.id),
            "results": results, "priorities": [p.id for p in consultation_queries.priorities_from(c.id)],
        })
    return jsonify(answer)


@bp.get("/<force_id>/<neighbourhood_id>/meetings")
def meetings(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    return jsonify([
        {
            "id": m.id, "title": m.title, "type": m.kind, "cancelled": m.cancelled,
            "start_date": local_iso(m.starts_at),
            "end_date": local_iso(meeting_end(m.starts_at, m.duration_minutes)),
            "venue": m.venue, "address": m.address, "accessibility": m.accessibility,
            "purpose": m.purpose, "minutes": m.minutes, "attendance": m.attendance,
        }
        for m in meeting_queries.meetings(team.id, clock_source.now())
    ])


def _pledge_line(line, months=True):
    body = {"measure": line.measure, "unit": line.unit, "value": line.value, "grade": line.grade,
            "months_measured": line.months_measured, "months_met": line.months_met}
    if months:
        body["months"] = [
            {"month": m.key, "value": m.value, "grade": m.grade, "met": m.met if m.grade else None,
             "done": m.done, "total": m.total, "explanation": line.explanations.get(m.key),
             "improvement": line.improvements.get(m.key),
             "late_changes": [{"dated": c.dated_on.isoformat(), "made_at": local_iso(c.made_at), "action": c.action,
                               "title": c.title} for c in line.late_changes.get(m.key, [])]}
            for m in line.months
        ]
    return body


def _pledge_period():
    months = pledge.period(clock_source.today_in_london())
    (first_year, first_month), (last_year, last_month) = months[0], months[-1]
    return {"from": f"{first_year:04d}-{first_month:02d}", "to": f"{last_year:04d}-{last_month:02d}"}


@bp.get("/<force_id>/<neighbourhood_id>/performance")
def team_performance(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    lines = figures.team_lines(team.id)
    return jsonify({"force": force_id, "neighbourhood": neighbourhood_id, "period": _pledge_period(),
                    "thresholds": figures.thresholds(), "measures": [_pledge_line(line) for line in lines]})


@bp.get("/<force_id>/<neighbourhood_id>/reported-problems")
def reported_problems(force_id, neighbourhood_id):
    """Residents' reports of local problems, only as app.domain.local_reports publishes them:
    counts by type in whole grid squares over an ended quarter, none under the threshold."""
    team = team_queries.team_for(force_id, neighbourhood_id)
    latest = report_rules.latest_published_quarter(clock_source.today_in_london())
    asked = request.args.get("quarter")
    quarter = report_rules.parse_quarter(asked) if asked else latest
    if quarter is None:
        return error(400, "quarter must look like 2026-Q3.")
    if quarter > latest:
        return error(400, f"Figures for a quarter are published once it has ended; the latest is "
                          f"{report_rules.quarter_key(*latest)}.")
    n = team.neighbourhood
    cells, totals = report_queries.public_cells_in(*quarter, n.min_lat, n.min_lon, n.max_lat, n.max_lon)
    return jsonify({
        "force": force_id, "neighbourhood": neighbourhood_id, "quarter": report_rules.quarter_key(*quarter),
        "threshold": report_rules.THRESHOLD,
        "cell_size_degrees": {"latitude": report_rules.CELL_LAT_DEGREES, "longitude": report_rules.CELL_LON_DEGREES},
        "types": list(report_rules.PROBLEM_TYPES),
        "totals": totals,
        "cells": [{"south": c.south, "west": c.west, "north": c.north, "east": c.east, "counts": c.counts,
                   "total": c.total} for c in cells]})


@bp.get("/<force_id>/performance")
def force_performance(force_id):
    if team_queries.force(force_id) is None:
        abort(404)
    teams = team_queries.force_teams(force_id)
    by_team = figures.lines_by_team(force_id=force_id, notes=False, monthly=False, tally=True)
    return jsonify({"force": force_id, "period": _pledge_period(), "thresholds": figures.thresholds(), "teams": [
        {"neighbourhood": neighbourhood_id, "name": name,
         "measures": [_pledge_line(line, months=False) for line in by_team[team_id]]}
        for team_id, neighbourhood_id, name in teams]})


def _rounded(value):
    return None if value is None else round(value, 4)


def _confidence_quarter(figure, answered=None, today=None):
    """One quarter's confidence figure. Below the minimum only the number of answers is
    given: no share, no interval, no breakdown (nobody's answer can be read off it)."""
    body = {"quarter": figure.quarter.key, "from": figure.quarter.first_day.isoformat(),
            "to": figure.quarter.last_day.isoformat(), "complete": today is not None and today > figure.quarter.last_day,
            "responses": figure.on_scale, "shown": figure.shown,
            "agree": figure.agreeing if figure.shown else None,
            "dont_know": figure.dont_know if figure.shown else None,
            "share": _rounded(figure.share),
            "interval": [_rounded(bound) for bound in figure.interval] if figure.shown else None}
    if answered is not None:
        shown = answered.shown(confidence_figures.minimum())
        body["did_we_answer"] = {"responses": answered.total, "shown": shown,
                                 "counts": answered.counts if shown else None,
                                 "shares": {k: _rounded(v) for k, v in answered.shares.items()} if shown else None}
    return body


def _confidence_about():
    return {"question": confidence_rules.QUESTION, "agreeing": sorted(confidence_rules.AGREEING),
            "scale": list(confidence_rules.SCALE), "minimum": confidence_figures.minimum(),
            "interval": "Wilson score, 95 %"}


@bp.get("/<force_id>/<neighbourhood_id>/confidence")
def team_confidence(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    today = clock_source.today_in_london()
    return jsonify({"force": force_id, "neighbourhood": neighbourhood_id, **_confidence_about(),
                    "quarters": [_confidence_quarter(figure, answered, today)
                                 for figure, answered in confidence_figures.team_quarters(team.id, today)]})


@bp.get("/<force_id>/confidence")
def force_confidence(force_id):
    if team_queries.force(force_id) is None:
        abort(404)
    today = clock_source.today_in_london()
    quarters = confidence_figures.force_quarters(force_id, today)
    minimum = confidence_figures.minimum()
    return jsonify({"force": force_id, **_confidence_about(),
                    "quarters": [_confidence_quarter(pooled, today=today) for pooled, _by_team in quarters],
                    "teams": [{"neighbourhood": neighbourhood_id, "name": name, "quarters": [
                        _confidence_quarter(by_team.get(team_id) or confidence_rules.figure(pooled.quarter, {}, minimum),
                                            today=today)
                        for pooled, by_team in quarters]}
                        for team_id, neighbourhood_id, name in team_queries.force_teams(force_id)]})


@bp.get("/postcodes/<path:text>")
def postcode(text):
    lookup = look_up_postcode(text)
    if lookup.status is not PostcodeStatus.FOUND:
        status, message = _POSTCODE_ERRORS[lookup.status]
        return error(status, message, reason=lookup.status.value, postcode=lookup.postcode)
    record = lookup.record
    return jsonify({
        "postcode": record.postcode,
        "latitude": record.latitude,
        "longitude": record.longitude,
        "force": {"id": record.force_id, "name": record.force_name},
        "neighbourhood": {"id": record.neighbourhood_id, "name": record.neighbourhood_name},
    })


@bp.get("/locate-neighbourhood")
def locate_neighbourhood():
    from app.neighbourhood_locator import locate

    try:
        lat, lng = (float(part) for part in request.args.get("q", "").split(","))
    except ValueError:
        return error(400, "Give q as latitude,longitude, for example q=53.7997,-1.5492")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return error(400, "Latitude must be between -90 and 90 and longitude between -180 and 180.")
    neighbourhood = locate(lat, lng)
    if neighbourhood is None:
        return error(404, "No neighbourhood found at that point.")
    return jsonify({"force": neighbourhood.force_id, "neighbourhood": neighbourhood.id})


# -- street-level crimes ---------------------------------------------------------------

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ANTI_SOCIAL = "anti-social-behaviour"


def crime_json(row, with_outcome=True):
    slug = category_slug(row.category)
    crime = {
        "category": slug,
        "location_type": "Force" if row.latitude is not None else None,
        "location": {
            "latitude": f"{row.latitude:.6f}",
            "street": {"id": crime_search.street_id(row.latitude, row.longitude), "name": row.location or ""},
            "longitude": f"{row.longitude:.6f}",
        } if row.latitude is not None else None,
        "context": "",
        "persistent_id": row.crime_ref or "",
        "id": row.id,
        "location_subtype": "",
        "month": row.month,
    }
    if with_outcome:
        has_outcome = row.outcome and slug != ANTI_SOCIAL
        crime["outcome_status"] = {"category": row.outcome, "date": row.month} if has_outcome else None
    return crime


def _month_or_error(params=None):
    """(month, None) from ?date= (default: the latest imported), or (None, error response)."""
    month = (request.args if params is None else params).get("date")
    if month is None:
        return crime_queries.latest_month(), None
    if not MONTH.match(month):
        return None, error(400, "Give date as YYYY-MM, for example date=2018-07")
    return month, None


@bp.route("/crimes-street/<category>", methods=["GET", "POST"])
def crimes_street(category):
    """GET with a query string, or POST with the same fields form-encoded (as data.police.uk
    accepts, for polygons too long for a URL): the same answers either way."""
    params = request.values if request.method == "POST" else request.args
    month, problem = _month_or_error(params)
    if problem:
        return problem
    if category == ALL_CRIME:
        names = None
    else:
        names = category_names(category, crime_queries.categories())
        if not names:
            return error(404, f"Unknown crime category {category!r}; see /api/crime-categories.")
    try:
        if "poly" in params:
            longest = crime_search.MAX_POSTED_POLY_LENGTH if request.method == "POST" else crime_search.MAX_POLY_LENGTH
            found = crime_queries.crimes_in_area(month, names, crime_search.parse_poly(params["poly"], longest))
        elif "lat" in params or "lng" in params:
            lat, lng = crime_search.parse_point(params.get("lat"), params.get("lng"))
            found = crime_queries.crimes_near(month, names, lat, lng)
        else:
            return error(400, "Give lat and lng (crimes within a mile), or poly (crimes inside an area).")
    except crime_search.BadArea as bad:
        return error(400, str(bad))
    if found is None:
        return error(503, f"The area holds more than {crime_search.MAX_CRIMES_IN_AREA:,} crimes; "
                          "ask for a smaller one.")
    return jsonify([crime_json(row) for row in found])


@bp.get("/crime-categories")
def crime_categories():
    month, problem = _month_or_error()
    if problem:
        return problem
    stored = crime_queries.categories(month) if month else []
    return jsonify([{"url": slug, "name": name} for slug, name in category_list(stored)])


@bp.get("/crime-last-updated")
def crime_last_updated():
    month = crime_queries.latest_month()
    if month is None:
        return error(404, "No crime data has been imported yet.")
    return jsonify({"date": f"{month}-01"})


@bp.get("/outcomes-for-crime/<persistent_id>")
def outcomes_for_crime(persistent_id):
    row = crime_queries.crime_by_persistent_id(persistent_id)
    if row is None:
        return error(404, "No crime with that persistent id.")
    outcomes = []
    if row.outcome:
        # The street CSVs hold only the latest outcome, published with the crime's month.
        code, name = outcome_code(row.outcome)
        outcomes.append({"category": {"code": code, "name": name}, "date": row.month, "person_id": None})
    return jsonify({"crime": crime_json(row, with_outcome=False), "outcomes": outcomes})
