"""The crime map page of a team (Pledge 8): a map, and always the same facts as tables."""
from urllib.parse import urlencode

import json
from datetime import timedelta

from flask import Blueprint, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from app import clock_source, tile_cache
from app.domain import local_reports as report_rules
from app.queries import local_reports as report_queries
from app.domain.crime_summary import by_category
from app.domain.months import previous_month
from app.queries import crime as queries
from app.domain.outcomes import describe, grouped_counts
from app.models import ANTI_SOCIAL_BEHAVIOUR, PROBLEM_TYPE_LABELS
from app.queries.teams import team_for

bp = Blueprint("crime", __name__)
POINTS_PER_PAGE = 25


@bp.app_template_filter("crime_outcome")
def crime_outcome(outcome, category):
    """What happened to one crime of `category`, in plain words in the resident's language."""
    return _(describe(outcome, category == ANTI_SOCIAL_BEHAVIOUR))


def reported_problems(neighbourhood):
    """The published counts of residents' reports around the neighbourhood (whole squares,
    the latest ended quarter): only what app.domain.local_reports allows."""
    year, quarter = report_rules.latest_published_quarter(clock_source.today_in_london())
    cells, totals = report_queries.public_cells_in(year, quarter, neighbourhood.min_lat, neighbourhood.min_lon,
                                                   neighbourhood.max_lat, neighbourhood.max_lon)
    start, end = report_rules.quarter_bounds(year, quarter)
    period = _("%(first)s to %(last)s", first=format_date(start, "MMMM y"), last=format_date(end - timedelta(days=1),
                                                                                              "MMMM y"))
    text = lambda cell: ", ".join(f"{PROBLEM_TYPE_LABELS.get(k, k)} {n}" for k, n in cell.counts.items())  # noqa: E731
    return {"cells": cells, "totals": totals, "period": period, "threshold": report_rules.THRESHOLD,
            "cells_json": json.dumps([{"south": c.south, "west": c.west, "north": c.north, "east": c.east,
                                       "text": text(c)} for c in cells])}


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
               "months": months, "month": month, "categories": categories, "category": category,
               "reported": reported_problems(team.neighbourhood), "problem_types": PROBLEM_TYPE_LABELS}
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
    page = request.args.get("page", 1, type=int)
    points_total, points = queries.map_points_page(neighbourhood_id, month, category, max(page, 1), POINTS_PER_PAGE)
    pages = max(1, -(-points_total // POINTS_PER_PAGE))
    if not 1 <= page <= pages:  # a page past the end (the month changed under a bookmark): the first
        page = 1
        points_total, points = queries.map_points_page(neighbourhood_id, month, category, 1, POINTS_PER_PAGE)
    return render_template(
        "crime/team_crime.html",
        **context,
        previous_month=before if previous is not None else None,
        **by_category(counts, previous)._asdict(),
        outcome_groups=grouped_counts(outcomes, asb),
        points_total=points_total, points=points, points_per_page=POINTS_PER_PAGE, points_page=page, points_pages=pages,
        page_url=lambda n: url_for("crime.team_crime", force_id=force_id, neighbourhood_id=neighbourhood_id,
                                   month=month, category=category, page=n, _anchor="places"),
        without_location=release.without_location if release else 0,
        force_rows=release.rows if release else 0,
        tile_url=f"{tiles_base}/{{z}}/{{x}}/{{y}}.png?{urlencode(params)}",
        near_url=f"{url_for('tiles.near')}?{urlencode({k: v for k, v in params.items() if k != 'v'})}",
        static_map_url=url_for("tiles.area_map", force_id=force_id, neighbourhood_id=neighbourhood_id, **params),
    )
