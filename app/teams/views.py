"""Team pages (Pledge 2 and 3): who the team is, where it is based, how to reach it."""
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, render_template, send_from_directory
from flask_babel import lazy_gettext as _l

from app import clock_source
from app.domain.areas import COMPASS_POINTS
from app.domain.tenure import tenure
from app.extensions import db
from app.labels import RAISED_AT
from app.lookups import covered_sectors
from app.models import WEEKDAYS, Neighbourhood
from app.queries import consultations as consultation_queries
from app.queries import meetings as meeting_queries
from app.queries import priorities as priority_queries
from app.queries import teams as team_queries
from app.queries import updates as update_queries

bp = Blueprint("teams", __name__, url_prefix="/teams")

DAY_NAMES = dict(zip(WEEKDAYS, [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"),
                                _l("Friday"), _l("Saturday"), _l("Sunday")]))
COMPASS_WORDS = dict(zip(COMPASS_POINTS, [_l("north"), _l("north-east"), _l("east"), _l("south-east"),
                                          _l("south"), _l("south-west"), _l("west"), _l("north-west")]))


def area_in_words(neighbourhood, covers):
    """What the boundary on the map shows, in words: the postcode districts the area covers
    (those of `covers`, the sectors it holds) and the teams whose areas border it, each (team
    name, force id, neighbourhood id, compass point)."""
    return {"districts": list(covers),
            "neighbours": [(name, force_id, nid, COMPASS_WORDS[point])
                           for name, force_id, nid, point in team_queries.bordering_teams(neighbourhood)]}


@bp.get("/<force_id>/<neighbourhood_id>")
def profile(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id, members=False)
    now = clock_source.now()
    today = clock_source.today_in_london()
    members = [(m, tenure(m.started_on, today)) for m in team_queries.public_members(team.id, today)]
    covers = covered_sectors(team.neighbourhood_id)
    open_consultations, closed_consultations = consultation_queries.open_and_closed(team.id, today)
    return render_template(
        "teams/profile.html",
        team=team,
        neighbourhood=team.neighbourhood,
        force=team.neighbourhood.force,
        members=members,
        meetings=meeting_queries.published_ahead(team.id, now),
        priorities=priority_queries.current_with_latest_action(team.id),
        updates=update_queries.updates(team.id, limit=3),
        raised_at=RAISED_AT,
        meeting_months=meeting_queries.meeting_record(team.id, today, now),
        covers=covers,
        today=today,
        reply_hours=current_app.config["REPLY_PROMISE_HOURS"],
        weekdays=WEEKDAYS,
        day_names=DAY_NAMES,
        area=area_in_words(team.neighbourhood, covers),
        open_consultations=open_consultations,
        closed_consultations=closed_consultations[:3],
    )


@bp.get("/<force_id>/<neighbourhood_id>/easy-read")
def easy_read(force_id, neighbourhood_id):
    return render_template("teams/easy_read.html", team=team_queries.team_for(force_id, neighbourhood_id),
                           reply_hours=current_app.config["REPLY_PROMISE_HOURS"])


@bp.get("/<force_id>/<neighbourhood_id>/boundary.geojson")
def boundary(force_id, neighbourhood_id):
    neighbourhood = db.session.get(Neighbourhood, neighbourhood_id)
    if neighbourhood is None or neighbourhood.force_id != force_id:
        abort(404)
    response = jsonify({"type": "Feature", "id": neighbourhood.id, "geometry": neighbourhood.boundary,
                        "properties": {"name": neighbourhood.name}})
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/photos/<path:filename>")
def photo(filename):
    """An officer's photo, only while they consent to it being shown: withdrawing consent
    (or removing the photo) makes this address 404 at once, so browsers and proxies must
    check back each time (no-cache; the ETag makes that a 304)."""
    if len(filename) > 255 or team_queries.officer_shown_in_photo(filename) is None:
        abort(404)
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "photos"
    response = send_from_directory(folder, filename, max_age=0)
    response.cache_control.no_cache = True
    response.cache_control.public = None
    response.cache_control.max_age = None
    return response
