"""Report a local problem on a map (issue 17): residents drop a pin or type a place, the point
decides the team, and the report becomes a message in that team's inbox. Officers see their
team's reports on a map and by type and month; the public sees only the grid of counts that
app.domain.local_reports allows (on the crime page and in the API)."""
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock_source, report_photos
from app.access import roles_required, team_access_required
from app.domain import clock
from app.domain import local_reports as rules
from app.domain import postcodes
from app.domain.localtime import to_local
from app.domain.months import month_bounds, previous_months
from app.domain.photos import InvalidPhoto
from app.extensions import db, limiter
from app.forms.confirm import ConfirmForm
from app.geocoding import geocode_place, make_geocoder
from app.labels import page_language
from app.lookups import PostcodeStatus, find_postcode
from app.models import OFFICER, PROBLEM_TYPE_LABELS, SERGEANT, LocalReport, Message, Team, record
from app.neighbourhood_locator import locate
from app.queries import crime as crime_queries
from app.queries import local_reports as queries
from app.queries.compliance import promise
from app.queries.teams import team_for
from app.reports.forms import PHOTO_MAX_BYTES, REQUEST_MAX_BYTES, ReportForm
from app.services import inbox as inbox_service
from app.services.local_reports import receive_report

bp = Blueprint("reports", __name__)


def _contact_limit():
    return current_app.config["CONTACT_RATE_LIMIT"]


@dataclass
class Place:
    latitude: float
    longitude: float
    typed: str | None = None
    found: str | None = None


class PlaceError(ValueError):
    pass


def _place_from(form):
    """The point the resident chose: the pin, else the postcode or place they typed. Raises
    PlaceError with the words to show beside the field."""
    if form.latitude.data and form.longitude.data:
        if not rules.plausible_point(form.latitude.data, form.longitude.data):
            raise PlaceError(_("That point is outside England and Wales. Drop the pin on a place in England or "
                               "Wales, or type a street, place or postcode."))
        return Place(float(form.latitude.data), float(form.longitude.data), form.place.data or None)
    typed = (form.place.data or "").strip()
    if not typed:
        raise PlaceError(_("Drop a pin on the map where the problem is, or type a street, place or postcode"))
    lookup = find_postcode(typed)
    if lookup.status == PostcodeStatus.FOUND:
        return Place(lookup.record.latitude, lookup.record.longitude, typed, lookup.postcode)
    if lookup.status == PostcodeStatus.OUTSIDE_COVERAGE:
        if postcodes.area(lookup.postcode) in postcodes.SCOTTISH_AREAS:
            raise PlaceError(_("That place is in Scotland. This portal covers police teams in England and Wales: "
                               "report it to Police Scotland on 101."))
        raise PlaceError(_("That postcode is outside England and Wales. This portal covers police teams in "
                           "England and Wales only."))
    if lookup.status != PostcodeStatus.INVALID:
        raise PlaceError(_("We cannot find the postcode %(postcode)s. Check it, type a street or place, or drop a "
                           "pin on the map.", postcode=lookup.postcode))
    geocoder = make_geocoder(current_app.config["GEOCODER_URL"], current_app.config["GEOCODER_USER_AGENT"])
    if geocoder is None:
        raise PlaceError(_("Enter a postcode, like LS1 1AZ, or drop a pin on the map. This site cannot look up "
                           "street names."))
    found = geocode_place(geocoder, typed)
    if found is None:
        raise PlaceError(_("We cannot find %(place)s. Add the town, type a postcode, or drop a pin on the map.",
                           place=typed))
    return Place(found.latitude, found.longitude, typed, found.address)


def _team_at(place):
    if not rules.plausible_point(place.latitude, place.longitude):
        raise PlaceError(_("That place is outside England and Wales. This portal covers police teams in England "
                           "and Wales only."))
    neighbourhood = locate(place.latitude, place.longitude)
    if neighbourhood is None or neighbourhood.team is None:
        raise PlaceError(_("We do not have a police team for that place. It may be outside England and Wales, or "
                           "outside the areas this site has data for. In Scotland, call Police Scotland on 101."))
    return neighbourhood.team


def _photo(form):
    """The re-encoded photo's file name (a new upload, or one kept from an earlier try), or None.
    An unreadable photo is an error on the field."""
    upload = form.photo.data
    if upload and getattr(upload, "filename", ""):
        try:
            name = report_photos.save(upload.read())
        except InvalidPhoto:
            form.photo.errors = list(form.photo.errors) + [
                _("The file is not a photo we can read. Choose a JPEG, PNG or WebP image.")]
            return None
        form.photo_kept.data = name.removesuffix(".jpg")
        return name
    kept = f"{form.photo_kept.data}.jpg" if form.photo_kept.data else None
    return kept if kept and report_photos.exists(kept) else None


REPORT_ENDPOINTS = {"reports.report", "reports.team_report"}


def _allow_a_photo():
    """Before anything reads the form (the CSRF check does): the report form's larger limit."""
    if request.endpoint in REPORT_ENDPOINTS:
        request.max_content_length = REQUEST_MAX_BYTES


@bp.record_once
def _first_before_request(state):
    state.app.before_request_funcs.setdefault(None, []).insert(0, _allow_a_photo)


def _report(team=None):
    form = ReportForm()
    if form.is_submitted():
        valid = form.validate()
        photo = None if form.photo.errors else _photo(form)
        place = new_team = None
        try:
            place = _place_from(form)
            new_team = _team_at(place)
        except PlaceError as error:
            form.place.errors = list(form.place.errors) + [str(error)]
        if valid and place and new_team and not form.photo.errors:
            if form.is_spam:
                report_photos.delete(photo)
                _remember(None)
            else:
                message = receive_report(
                    db.session, new_team, clock_source.now(), problem_type=form.problem_type.data,
                    latitude=place.latitude, longitude=place.longitude, description=form.description.data.strip(),
                    name=form.name.data.strip(),
                    email=form.email.data.strip().lower() if form.contact_by.data != "phone" and form.email.data
                    else None,
                    phone=form.phone.data.strip() if form.contact_by.data != "email" and form.phone.data else None,
                    contact_by=form.contact_by.data, place_text=place.typed, place_found=place.found,
                    photo_path=photo, language=page_language())
                db.session.commit()
                _remember(message)
            return redirect(url_for("reports.sent"))
    neighbourhood = team.neighbourhood if team else None
    status = 400 if form.is_submitted() else 200
    return render_template("reports/report.html", form=form, team=team, neighbourhood=neighbourhood,
                           bounds=_bounds(neighbourhood), threshold=rules.THRESHOLD,
                           photo_max_bytes=PHOTO_MAX_BYTES), status


def _bounds(neighbourhood):
    if neighbourhood is not None:
        return neighbourhood.min_lat, neighbourhood.min_lon, neighbourhood.max_lat, neighbourhood.max_lon
    return 50.0, -5.7, 55.8, 1.8  # England and Wales


def _remember(message):
    session["report_reference"] = message.reference if message else None
    session["report_token"] = message.access_token if message else None


@bp.route("/report-a-problem", methods=["GET", "POST"])
@limiter.limit(_contact_limit, methods=["POST"])
def report():
    return _report()


@bp.route("/teams/<force_id>/<neighbourhood_id>/report-a-problem", methods=["GET", "POST"])
@limiter.limit(_contact_limit, methods=["POST"])
def team_report(force_id, neighbourhood_id):
    return _report(team_for(force_id, neighbourhood_id))


@bp.get("/report-a-problem/sent")
def sent():
    reference = session.get("report_reference")
    message = reference and db.session.scalar(db.select(Message).where(Message.reference == reference))
    if not message:
        # A bot's report (the hidden field filled in) is thanked but not stored.
        return render_template("reports/sent.html", message=None)
    token = session.get("report_token")
    return render_template("reports/sent.html", message=message, team=message.team, report=message.local_report,
                           due=clock.deadline(message.received_at, promise()),
                           private_link=url_for("your_message.show", token=token) if token else None,
                           private_link_text=inbox_service.private_link(token) if token else None)


@bp.get("/your-message/<token>/photo")
def your_photo(token):
    """The reporter's own photo, through their private link only."""
    message = inbox_service.message_for_token(db.session, token)
    report = message.local_report if message else None
    if report is None or not report_photos.exists(report.photo_path):
        abort(404)
    return report_photos.send(report.photo_path)


# Staff: a team's reports on a map, by type and month, beside the crime map.

def _month_arg(today):
    value = request.args.get("month", "")
    try:
        year, month = (int(part) for part in value.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@bp.get("/staff/teams/<int:team_id>/reports")
@roles_required(OFFICER, SERGEANT)
@team_access_required
def staff_reports(team_id):
    team = db.get_or_404(Team, team_id)
    today = to_local(clock_source.now()).date()
    months = [(today.year, today.month)] + previous_months(today, 11)
    year, month = _month_arg(today)
    if (year, month) not in months:
        months.append((year, month))
    start, end = month_bounds(year, month)
    reports = queries.team_reports(team_id, start, end)
    table = queries.team_type_months(team_id, months)
    crime_month = crime_queries.latest_month()
    tiles_base = url_for("tiles.legend").rsplit("/", 1)[0]
    points = [{"id": r.id, "lat": r.latitude, "lng": r.longitude, "type": str(r.type_label),
               "reference": r.message.reference if r.message else "",
               "url": url_for("inbox.thread", team_id=team_id, message_id=r.message_id) if r.message_id else ""}
              for r in reports]
    return render_template("reports/staff_reports.html", team=team, neighbourhood=team.neighbourhood,
                           reports=reports, year=year, month=month, months=months, table=table,
                           types=PROBLEM_TYPE_LABELS, crime_month=crime_month, threshold=rules.THRESHOLD, confirm=ConfirmForm(),
                           reports_json=json.dumps(points),
                           crime_tile_url=f"{tiles_base}/{{z}}/{{x}}/{{y}}.png?{urlencode({'month': crime_month})}"
                           if crime_month else None)


@bp.get("/staff/teams/<int:team_id>/reports/<int:report_id>/photo")
@roles_required(OFFICER, SERGEANT)
@team_access_required
def staff_photo(team_id, report_id):
    report = db.session.get(LocalReport, report_id)
    if report is None or report.team_id != team_id or not report_photos.exists(report.photo_path):
        abort(404)
    return report_photos.send(report.photo_path)


@bp.post("/staff/teams/<int:team_id>/reports/<int:report_id>/remove-photo")
@roles_required(OFFICER, SERGEANT)
@team_access_required
def remove_photo(team_id, report_id):
    """Take a photo off a report (it shows a face, a number plate, or should not be kept):
    the file is deleted and the audit log says who did it."""
    report = db.session.get(LocalReport, report_id)
    if report is None or report.team_id != team_id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if report.photo_path:
        old = report.photo_path
        report.photo_path = None
        record("report photo removed", report, by=current_user, team_id=team_id,
               changes={"photo": ["kept", "removed"]})
        db.session.commit()
        report_photos.delete(old)
        flash(_("Photo removed."), "success")
    back = request.form.get("back")
    if back == "thread" and report.message_id:
        return redirect(url_for("inbox.thread", team_id=team_id, message_id=report.message_id))
    return redirect(url_for("reports.staff_reports", team_id=team_id))
