"""Public meetings (Pledge 7): published three months ahead, kept as a record once held."""
import secrets
from datetime import timedelta

from flask import Blueprint, abort, flash, render_template, request
from flask_login import current_user
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app import clock_source
from app.domain.localtime import NonexistentLocalTime, to_local, to_utc
from app.domain.postcodes import is_outcode, outcode, try_normalise
from app.domain.recurrence import LAST, MonthlyNthWeekday, Weekly, occurrences
from app.extensions import db
from app.meetings.forms import CancelForm, MeetingForm, NearYouForm, NewMeetingForm, RecordForm
from app.forms.handlers import back_to_team, form_page, save
from app.models import Force, Meeting, Neighbourhood, Postcode, Priority, Team, apply_changes, record
from app.access import team_access_required
from app.queries.teams import team_object_or_404
from app.queries.meetings import MEETINGS_AHEAD
from app.queries.teams import team_for

bp = Blueprint("meetings", __name__)

FIELDS = ["kind", "title", "duration_minutes", "venue", "address", "postcode", "accessibility", "purpose",
          "agenda", "attendees"]
SERIES_SPAN = timedelta(days=365)


def _rule(repeat, first_day):
    if repeat == "weekly":
        return Weekly(1)
    if repeat == "fortnightly":
        return Weekly(2)
    nth = (first_day.day - 1) // 7 + 1
    if repeat == "monthly_last" or nth == 5:
        return MonthlyNthWeekday(LAST, first_day.weekday())
    return MonthlyNthWeekday(nth, first_day.weekday())


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
            starts = [start] if start else []
        else:
            until = form.repeat_until.data or form.day.data + SERIES_SPAN
            starts = occurrences(_rule(form.repeat.data, form.day.data), form.day.data, until, form.start_time.parsed)
        if starts:
            series_key = secrets.token_hex(8) if len(starts) > 1 else None
            published_at = clock_source.now()
            for start in starts:
                meeting = Meeting(team_id=team_id, starts_at=start, series_key=series_key, published_at=published_at)
                changes = apply_changes(meeting, values)
                db.session.add(meeting)
                record("created", meeting, by=current_user, changes={"starts_at": [None, start.isoformat()], **changes})
            db.session.commit()
            flash(_("%(count)d meeting published", count=len(starts)) if len(starts) > 1
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
        changes = apply_changes(meeting, {"attendance": form.attendance.data, "minutes": form.minutes.data})
        chosen = set(form.priorities.data or [])
        before = sorted(p.id for p in meeting.priorities_agreed)
        for priority in team_priorities:
            if priority.id in chosen:
                priority.decided_at_meeting = meeting
            elif priority.decided_at_meeting_id == meeting.id:
                priority.decided_at_meeting = None
        if before != sorted(chosen):
            changes["priorities_agreed"] = [before, sorted(chosen)]
        if meeting.recorded_at is None and (meeting.attendance is not None or meeting.minutes):
            meeting.recorded_at = clock_source.now()
        if changes:
            record("minutes recorded", meeting, by=current_user, changes=changes)
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
                           held=meeting.has_happened(clock_source.now()))


@bp.get("/forces/<force_id>/meetings")
def near_you(force_id):
    force = db.get_or_404(Force, force_id)
    form = NearYouForm(request.args)
    now = clock_source.now()
    query = (
        select(Meeting).join(Team).join(Neighbourhood)
        .where(Neighbourhood.force_id == force_id, Meeting.starts_at >= now, Meeting.starts_at < now + MEETINGS_AHEAD)
        .options(joinedload(Meeting.team).joinedload(Team.neighbourhood))
        .order_by(Meeting.starts_at)
    )
    district = None
    if form.validate() and form.district.data:
        typed = form.district.data
        district = outcode(try_normalise(typed)) if try_normalise(typed) else typed.upper().replace(" ", "")
        if not is_outcode(district):
            form.district.errors.append(_("Enter a postcode district like LS6, or a full postcode"))
            district = None
    if district:
        # Meetings held in the district, or by a team covering any part of it.
        teams_there = select(Postcode.neighbourhood_id).where(Postcode.postcode.like(f"{district} %"))
        query = query.where(or_(Meeting.postcode.like(f"{district} %"), Team.neighbourhood_id.in_(teams_there)))
    meetings = db.session.scalars(query.limit(300)).all()
    status = 400 if form.errors else 200
    return render_template("meetings/near_you.html", force=force, form=form, meetings=meetings,
                           district=district), status
