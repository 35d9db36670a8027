"""Public meetings (Pledge 7): published three months ahead, kept as a record once held."""
from datetime import timedelta

from flask import Blueprint, abort, flash, render_template, request
from flask_login import current_user
from flask_babel import gettext as _, ngettext
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from sqlalchemy.orm import joinedload

from app import clock_source
from app.domain.distance import nearest_first
from app.domain.localtime import NonexistentLocalTime, to_local, to_utc
from app.domain.postcodes import is_outcode, try_normalise
from app.extensions import db
from app.meetings.forms import RADIUS_MILES, CancelForm, MeetingForm, NearYouForm, NewMeetingForm, RecordForm
from app.forms.handlers import back_to_team, form_page, save
from app.models import Force, Meeting, Neighbourhood, Postcode, Priority, Team, record
from app.services import meetings as meetings_service
from app.access import team_access_required
from app.queries.teams import team_object_or_404
from app.queries.meetings import MEETINGS_AHEAD
from app.queries.teams import team_for

bp = Blueprint("meetings", __name__)

FIELDS = ["kind", "title", "duration_minutes", "venue", "address", "postcode", "accessibility", "purpose",
          "agenda", "attendees"]
SERIES_SPAN = timedelta(days=365)


def _single_start(form):
    try:
        return to_utc(form.day.data, form.start_time.parsed)
    except NonexistentLocalTime:
        form.start_time.errors.append(_("That time does not exist on that day: the clocks go forward. "
                                        "Choose a time after 2am."))
        return None


# Staff pages -------------------------------------------------------------------------


@bp.route("/staff/teams/<int:team_id>/meetings/new", methods=["GET", "POST"])
@team_access_required
def new(team_id):
    team = db.get_or_404(Team, team_id)
    form = NewMeetingForm()
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in FIELDS}
        if form.repeat.data == "none":
            start = _single_start(form)
            published = [meetings_service.publish_meeting(db.session, team_id, values, start, current_user,
                                                          now=clock_source.now())] if start else []
        else:
            until = form.repeat_until.data or form.day.data + SERIES_SPAN
            published = meetings_service.publish_series(
                db.session, team_id, values, meetings_service.repeat_rule(form.repeat.data, form.day.data),
                form.day.data, until, form.start_time.parsed, current_user, now=clock_source.now())
        starts = [meeting.starts_at for meeting in published]
        if starts:
            db.session.commit()
            flash(ngettext("%(num)d meeting published", "%(num)d meetings published", len(starts)) if len(starts) > 1
                  else _("Meeting published: %(title)s", title=values["title"]), "success")
            return back_to_team(team_id)
    return form_page("meetings/new.html", form, team=team)


@bp.route("/staff/teams/<int:team_id>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@team_access_required
def edit(team_id, meeting_id):
    meeting = team_object_or_404(Meeting, meeting_id, team_id)
    form = MeetingForm(obj=meeting)
    if not form.is_submitted():
        local = to_local(meeting.starts_at)
        form.day.data = local.date()
        form.start_time.populate_time(local.time())
    if form.validate_on_submit():
        start = _single_start(form)
        if start:
            values = {name: getattr(form, name).data for name in FIELDS}
            return save(meeting, {**values, "starts_at": start}, "updated", _("Meeting saved"), team_id=team_id)
    return form_page("meetings/edit.html", form, team=meeting.team, meeting=meeting)


@bp.route("/staff/teams/<int:team_id>/meetings/<int:meeting_id>/record", methods=["GET", "POST"])
@team_access_required
def record_meeting(team_id, meeting_id):
    meeting = team_object_or_404(Meeting, meeting_id, team_id)
    if not meeting.has_happened(clock_source.now()):
        abort(404)
    form = RecordForm(obj=meeting)
    team_priorities = db.session.scalars(
        select(Priority).where(Priority.team_id == team_id).order_by(Priority.agreed_on.desc())
    ).all()
    form.priorities.choices = [(p.id, p.title) for p in team_priorities]
    if not form.is_submitted():
        form.priorities.data = [p.id for p in meeting.priorities_agreed]
    if form.validate_on_submit():
        meetings_service.record_meeting(meeting, form.attendance.data, form.minutes.data, team_priorities,
                                        form.priorities.data, current_user, now=clock_source.now())
        db.session.commit()
        flash(_("Record of the meeting saved"), "success")
        return back_to_team(team_id)
    return form_page("meetings/record.html", form, team=meeting.team, meeting=meeting)


@bp.route("/staff/teams/<int:team_id>/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@team_access_required
def cancel(team_id, meeting_id):
    meeting = team_object_or_404(Meeting, meeting_id, team_id)
    if meeting.cancelled:
        abort(404)
    form = CancelForm()
    if form.validate_on_submit():
        meeting.cancelled = True
        record("cancelled", meeting, by=current_user, changes={"cancelled": [False, True]})
        db.session.commit()
        flash(_("Meeting cancelled. It stays on the team page, marked as cancelled."), "success")
        return back_to_team(team_id)
    return render_template("meetings/cancel.html", form=form, team=meeting.team, meeting=meeting)


# Public pages ------------------------------------------------------------------------


@bp.get("/teams/<force_id>/<neighbourhood_id>/meetings/<int:meeting_id>")
def detail(force_id, neighbourhood_id, meeting_id):
    team = team_for(force_id, neighbourhood_id)
    meeting = team_object_or_404(Meeting, meeting_id, team.id)
    return render_template("meetings/detail.html", team=team, meeting=meeting,
                           held=meeting.has_happened(clock_source.now()), today=clock_source.today_in_london())


MEETINGS_PER_PAGE = 20
HELD_SINCE = timedelta(days=92)  # "held recently": the last three months, each with its minutes


@bp.get("/forces/<force_id>/meetings")
def near_you(force_id):
    """Meetings of the force's teams: coming up (or, with ?held=1, held in the last three
    months), nearest first within a radius of a postcode or district, in pages."""
    force = db.get_or_404(Force, force_id)
    args = request.args.to_dict()
    if "postcode" not in args and "district" in args:  # links from before the field was renamed
        args["postcode"] = args["district"]
    form = NearYouForm(MultiDict(args))
    form.validate()
    if form.radius.data not in RADIUS_MILES:
        form.radius.data = 5
    held = request.args.get("held") == "1"
    page = max(1, request.args.get("page", 1, type=int) or 1)
    origin = place = None
    if form.postcode.data and not form.errors:
        origin, place = _origin(form.postcode.data)
        if origin is None:
            form.postcode.errors.append(place)
    if form.errors:  # say what is wrong, and do not pretend the whole force is "near you"
        return render_template("meetings/near_you.html", force=force, form=form, rows=[], place=None, held=held,
                               page=1, pages=1, total=0), 400
    now = clock_source.now()
    window = (Meeting.starts_at >= now - HELD_SINCE, Meeting.starts_at < now, Meeting.cancelled.is_(False)) if held \
        else (Meeting.starts_at >= now, Meeting.starts_at < now + MEETINGS_AHEAD)
    query = (
        select(Meeting, Postcode.latitude, Postcode.longitude, Neighbourhood.centre_lat, Neighbourhood.centre_lon)
        .join(Team, Team.id == Meeting.team_id).join(Neighbourhood, Neighbourhood.id == Team.neighbourhood_id)
        .outerjoin(Postcode, Postcode.postcode == Meeting.postcode)
        .where(Neighbourhood.force_id == force_id, *window)
        .options(joinedload(Meeting.team).joinedload(Team.neighbourhood))
        .order_by(Meeting.starts_at.desc() if held else Meeting.starts_at)
    )
    if origin is None:
        total = db.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = [(None, row[0]) for row in db.session.execute(
            query.limit(MEETINGS_PER_PAGE).offset((page - 1) * MEETINGS_PER_PAGE))]
    else:
        # The venue's postcode places a meeting; without one, the centre of the team's neighbourhood.
        found = nearest_first(db.session.execute(query).all(), origin, form.radius.data,
                              lambda row: (row[1], row[2]) if row[1] is not None else (row[3], row[4]))
        total = len(found)
        rows = [(miles, row[0]) for miles, row in found[(page - 1) * MEETINGS_PER_PAGE:page * MEETINGS_PER_PAGE]]
    pages = max(1, -(-total // MEETINGS_PER_PAGE))
    return render_template("meetings/near_you.html", force=force, form=form, rows=rows, place=place, held=held,
                           page=min(page, pages), pages=pages, total=total,
                           distance_label=dict(form.radius.choices)[form.radius.data])


def _origin(typed):
    """(lat, lon) of a full postcode, or the middle of a district's postcodes, and what to
    call it; or (None, the error to show)."""
    canonical = try_normalise(typed)
    if canonical:
        found = db.session.get(Postcode, canonical)
        if found is None or found.latitude is None:
            return None, _("We could not find %(postcode)s. Check it, or enter just the first part, like LS6.",
                           postcode=canonical)
        return (found.latitude, found.longitude), canonical
    district = typed.upper().replace(" ", "")
    if not is_outcode(district):
        return None, _("Enter a postcode district like LS6, or a full postcode")
    middle = db.session.execute(
        select(func.avg(Postcode.latitude), func.avg(Postcode.longitude))
        .where(Postcode.postcode >= f"{district} ", Postcode.postcode < f"{district} ~",
               Postcode.latitude.is_not(None))).one()
    if middle[0] is None:
        return None, _("We have no postcodes in %(district)s. Check it, or enter a full postcode.", district=district)
    return (middle[0], middle[1]), district
