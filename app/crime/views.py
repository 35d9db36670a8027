"""The crime map page of a team (Pledge 8): a map, and always the same facts as tables."""
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from app import tile_cache
from app.domain.crime_summary import by_category
from app.domain.months import previous_month
from app.queries import crime as queries
from app.domain.outcomes import grouped_counts
from app.models import ANTI_SOCIAL_BEHAVIOUR
from app.queries.teams import team_for

bp = Blueprint("crime", __name__)


@bp.get("/teams/<force_id>/<neighbourhood_id>/crime")
def team_crime(force_id, neighbourhood_id):
    team = team_for(force_id, neighbourhood_id)
    months = queries.months(force_id)
    month = request.args.get("month")
    if month not in months:
        month = months[0] if months else None
    categories = queries.categories(month) if month else []
    category = request.args.get("category")
    if category not in categories:
        category = None

    context = {"team": team, "neighbourhood": team.neighbourhood, "force": team.neighbourhood.force,
               "months": months, "month": month, "categories": categories, "category": category}
    if month is None:
        return render_template("crime/team_crime.html", **context)

    before = previous_month(month)
    counts = queries.category_counts(neighbourhood_id, month)
    previous = queries.category_counts(neighbourhood_id, before) if before in months else None
    outcomes, asb = queries.outcome_counts(neighbourhood_id, month, category)
    if category == ANTI_SOCIAL_BEHAVIOUR:
        outcomes = {}
    params = {"month": month, **({"category": category} if category else {}), "v": tile_cache.data_version(month)}
    tiles_base = url_for("tiles.legend").rsplit("/", 1)[0]
    release = queries.release(force_id, month)
    return render_template(
        "crime/team_crime.html",
        **context,
        previous_month=before if previous is not None else None,
        **by_category(counts, previous)._asdict(),
        outcome_groups=grouped_counts(outcomes, asb),
        locations=queries.busiest_locations(neighbourhood_id, month, category),
        without_location=release.without_location if release else 0,
        force_rows=release.rows if release else 0,
        tile_url=f"{tiles_base}/{{z}}/{{x}}/{{y}}.png?{urlencode(params)}",
        near_url=f"{url_for('tiles.near')}?{urlencode({k: v for k, v in params.items() if k != 'v'})}",
        static_map_url=url_for("tiles.area_map", force_id=force_id, neighbourhood_id=neighbourhood_id, **params),
    )
