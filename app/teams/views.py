"""Team pages (Pledge 2 and 3): who the team is, where it is based, how to reach it."""
from datetime import datetime, timedelta
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, render_template, send_from_directory
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain import pledge, richtext
from app.domain.localtime import local_today, to_local, utcnow
from app.domain.publishing import months_with_meetings
from app.api import queries
from app.domain.tenure import tenure
from app.extensions import db
from app.updates.forms import RAISED_AT
from app.models import WEEKDAYS, Meeting, Neighbourhood, Priority, Update

bp = Blueprint("teams", __name__, url_prefix="/teams")

MEETINGS_AHEAD = timedelta(days=92)  # Pledge 7: published three months ahead
DAY_NAMES = dict(zip(WEEKDAYS, [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"),
                                _l("Friday"), _l("Saturday"), _l("Sunday")]))


@bp.app_template_filter("rich_text")
def rich_text(value):
    """Officers' rich text, reduced to the safe subset (see app.domain.richtext)."""
    return Markup(richtext.to_html(value))


def meeting_record(team_id, today, months=6):
    """Whether the team held a meeting in each of the last `months` whole months (Pledge 7),
    by the Pledge page's rule: advertised in time and recorded afterwards."""
    since = datetime(today.year - 1, today.month, 1)
    now = utcnow()
    notice = timedelta(days=current_app.config["MEETING_NOTICE_DAYS"])
    record_within = timedelta(days=current_app.config["MEETING_RECORD_DAYS"])
    rows = db.session.execute(
        select(Meeting.starts_at, Meeting.published_at, Meeting.recorded_at).where(
            Meeting.team_id == team_id, Meeting.cancelled.is_(False), Meeting.starts_at >= since,
            Meeting.starts_at < now)).all()
    held = [to_local(row.starts_at).date() for row in rows
            if pledge.meeting_counts_as_held(pledge.MeetingFacts(*row), now, notice, record_within)]
    return months_with_meetings(held, today, months)


def team_for(force_id, neighbourhood_id):
    team = queries.team(force_id, neighbourhood_id)
    if team is None:
        abort(404)
    return team


def upcoming_meetings(team_id, now=None):
    now = now or utcnow()
    return db.session.scalars(
        select(Meeting)
        .where(Meeting.team_id == team_id, Meeting.starts_at >= now, Meeting.starts_at < now + MEETINGS_AHEAD)
        .order_by(Meeting.starts_at)
    ).all()


@bp.get("/<force_id>/<neighbourhood_id>")
def profile(force_id, neighbourhood_id):
    team = team_for(force_id, neighbourhood_id)
    today = local_today()
    members = [(m, tenure(m.started_on, today)) for m in team.current_memberships]
    priorities = db.session.scalars(
        select(Priority)
        .where(Priority.team_id == team.id, Priority.closed_on.is_(None))
        .options(selectinload(Priority.actions))
        .order_by(Priority.agreed_on.desc())
    ).all()
    updates = db.session.scalars(
        select(Update).where(Update.team_id == team.id).order_by(Update.published_on.desc()).limit(3)
    ).all()
    return render_template(
        "teams/profile.html",
        team=team,
        neighbourhood=team.neighbourhood,
        force=team.neighbourhood.force,
        members=members,
        meetings=upcoming_meetings(team.id),
        priorities=priorities,
        updates=updates,
        raised_at=RAISED_AT,
        meeting_months=meeting_record(team.id, today),
        today=today,
        reply_hours=current_app.config["REPLY_PROMISE_HOURS"],
        weekdays=WEEKDAYS,
        day_names=DAY_NAMES,
    )


@bp.get("/<force_id>/<neighbourhood_id>/easy-read")
def easy_read(force_id, neighbourhood_id):
    return render_template("teams/easy_read.html", team=team_for(force_id, neighbourhood_id),
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
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "photos"
    return send_from_directory(folder, filename, max_age=86400)
