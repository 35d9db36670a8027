"""Have your say (issue 17): a team asks residents which local issues matter most before a
meeting. Residents rank up to three issues and confirm by email or with a one-time code;
results are published when the consultation closes. Staff open, close and follow them."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import clock_source
from app.access import team_access_required
from app.consultations import tokens
from app.consultations.forms import (ENGAGEMENT_LABELS, CodesForm, ConsultationForm, MeetingCountForm,
                                     ResponseForm)
from app.domain import consultations as rules
from app.domain.confidence import CONSULTATION
from app.extensions import db, limiter
from app.forms.confidence import ConfidenceForm
from app.forms.confirm import ConfirmForm
from app.links import email_link
from app.lookups import PostcodeStatus, find_postcode
from app.mail import queue_email
from app.models import ConsultationCode, ConsultationResponse, Meeting, Team
from app.queries import consultations as queries
from app.queries import teams as team_queries
from app.services import confidence
from app.services import consultations as service

bp = Blueprint("consultations", __name__)

PUBLIC = "/teams/<force_id>/<neighbourhood_id>/have-your-say"
STAFF = "/staff/teams/<int:team_id>/consultations"


def _limit():
    return current_app.config["CONSULTATION_RATE_LIMIT"]


def _public_consultation(team, consultation_id):
    consultation = queries.consultation(team.id, consultation_id)
    if consultation is None or consultation.status(clock_source.today_in_london()) == rules.SCHEDULED:
        abort(404)
    return consultation


# -- residents ---------------------------------------------------------------------------


@bp.get(PUBLIC)
def index(force_id, neighbourhood_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    today = clock_source.today_in_london()
    return render_template("consultations/index.html", team=team, today=today,
                           open=queries.open_consultations(team.id, today),
                           closed=queries.closed_consultations(team.id, today))


def _postcode_problem(form, team):
    """An error for the postcode field, or None when the resident may answer."""
    lookup = find_postcode(form.postcode.data)
    if lookup.status is PostcodeStatus.INVALID:
        return _("Enter a full postcode, like LS1 1AZ")
    if lookup.status is PostcodeStatus.OUTSIDE_COVERAGE:
        return _("This postcode is outside England and Wales. Only people who live in or beside this "
                 "neighbourhood can answer.")
    if lookup.status is not PostcodeStatus.FOUND:
        return _("We cannot find that postcode. Check it and try again.")
    borders = team_queries.bordering_teams(team.neighbourhood)
    beside = {nid for _name, _force, nid, _point in borders}
    if not rules.eligible_neighbourhood(lookup.record.neighbourhood_id, team.neighbourhood_id, beside):
        return _("This postcode is not in or beside the area of %(team)s. Only people who live there can answer. "
                 "Find the team for your postcode to have your say there.", team=team.name)
    form.postcode.data = lookup.postcode
    return None


@bp.route(PUBLIC + "/<int:consultation_id>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def respond(force_id, neighbourhood_id, consultation_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    consultation = _public_consultation(team, consultation_id)
    if consultation.status(clock_source.today_in_london()) != rules.OPEN:
        return redirect(url_for("consultations.results", force_id=force_id, neighbourhood_id=neighbourhood_id,
                                consultation_id=consultation.id))
    form = ResponseForm(issues=consultation.issues)
    if form.is_submitted():
        form.validate()
        # Every problem at once: the postcode is checked even when another answer needs fixing.
        problem = None if form.postcode.errors else _postcode_problem(form, team)
        if problem:
            form.postcode.errors.append(problem)
        code = None
        if not form.errors and form.confirm_by.data == rules.BY_CODE:
            code = service.find_code(db.session, consultation, form.code.data)
            if code is None:
                form.code.errors.append(_("That code is not right, or it has already been used. Check it, or "
                                          "confirm by email instead."))
        if not form.errors:
            if form.is_spam:  # a bot: it is shown the same page as a person, and nothing is kept
                return redirect(url_for("consultations.check_email"))
            return _receive(team, consultation, form, code)
    return render_template("consultations/respond.html", team=team, consultation=consultation, form=form), \
        400 if form.errors else 200


def _receive(team, consultation, form, code):
    now = clock_source.now()
    answer = dict(postcode=form.postcode.data, ranking=form.ranking,
                  something_else=(form.something_else.data or "").strip() or None
                  if rules.SOMETHING_ELSE in form.ranking else None,
                  engagement=[m for m in form.engagement.data or [] if m in rules.ENGAGEMENT_METHODS],
                  language=str(get_locale() or "en"))
    secret = current_app.config["SECRET_KEY"]
    if code is not None:
        response = service.receive_by_code(db.session, consultation, code, secret=secret, now=now, **answer)
        if response is None:
            db.session.rollback()
            form.code.errors.append(_("That code has already been used."))
            return render_template("consultations/respond.html", team=team, consultation=consultation,
                                   form=form), 400
        db.session.commit()
        return redirect(url_for("consultations.done", token=tokens.make_token(tokens.DONE, response.id)))
    response, new = service.receive_by_email(db.session, consultation, email=form.email.data, secret=secret, now=now,
                                             **answer)
    if new:
        url = email_link("consultations.confirm", token=tokens.make_token(tokens.CONFIRM, response.id))
        body = render_template("consultations/email/confirm.txt", team=team, consultation=consultation,
                               confirm_url=url)
        queue_email(db.session, response.email, _("Confirm your answer to %(team)s", team=team.name), body,
                    kind="consultation_confirm", subject_id=response.id, now=now)
    db.session.commit()
    return redirect(url_for("consultations.check_email"))


@bp.get("/have-your-say/check-your-email")
def check_email():
    return render_template("consultations/check_email.html")


def _response_for(purpose, token):
    response_id = tokens.read_token(purpose, token)
    response = db.session.get(ConsultationResponse, response_id) if response_id else None
    if response is None:
        abort(404)
    return response


@bp.route("/have-your-say/confirm/<token>", methods=["GET", "POST"])
def confirm(token):
    # A button, not the link itself: mail scanners that follow links confirm nothing.
    response = _response_for(tokens.CONFIRM, token)
    consultation = response.consultation
    team = consultation.team
    form = ConfirmForm()
    closed = consultation.status(clock_source.today_in_london()) == rules.CLOSED
    if response.confirmed_at is None and not closed and form.validate_on_submit():
        replaced = service.confirm(db.session, response, clock_source.now())
        db.session.commit()
        return _done_page(response, replaced=replaced)
    if response.confirmed_at is not None:
        return _done_page(response)
    return render_template("consultations/confirm.html", form=form, team=team, consultation=consultation,
                           closed=closed)


@bp.get("/have-your-say/thank-you/<token>")
def done(token):
    return _done_page(_response_for(tokens.DONE, token))


def _done_page(response, replaced=False):
    consultation = response.consultation
    return render_template("consultations/done.html", team=consultation.team, consultation=consultation,
                           replaced=replaced, survey_form=ConfidenceForm(formdata=None, asks_answered=False),
                           survey_token=confidence.invitation_token(consultation.team_id, CONSULTATION, response.id))


@bp.get(PUBLIC + "/<int:consultation_id>/results")
def results(force_id, neighbourhood_id, consultation_id):
    team = team_queries.team_for(force_id, neighbourhood_id)
    consultation = _public_consultation(team, consultation_id)
    today = clock_source.today_in_london()
    closed = consultation.status(today) == rules.CLOSED
    return render_template("consultations/results.html", team=team, consultation=consultation, closed=closed,
                           results=queries.results(consultation) if closed else None,
                           issues={i.key: i for i in consultation.issues}, engagement_labels=ENGAGEMENT_LABELS,
                           priorities=queries.priorities_from(consultation.id), points=rules.POINTS)


# -- staff -------------------------------------------------------------------------------


def _team(team_id):
    return db.get_or_404(Team, team_id)


def _staff_consultation(team_id, consultation_id):
    consultation = queries.consultation(team_id, consultation_id)
    if consultation is None:
        abort(404)
    return consultation


@bp.get(STAFF)
@team_access_required
def staff_index(team_id):
    return render_template("consultations/staff/index.html", team=_team(team_id),
                           consultations=queries.consultations(team_id), today=clock_source.today_in_london())


@bp.route(STAFF + "/new", methods=["GET", "POST"])
@team_access_required
def new(team_id):
    team = _team(team_id)
    now, today = clock_source.now(), clock_source.today_in_london()
    candidates = queries.candidate_issues(team, now)
    form = ConsultationForm()
    form.candidates.choices = [(f"{c.source}:{c.title}", f"{c.title} ({c.detail})") for c in candidates]
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.team_id == team_id, Meeting.starts_at >= now, Meeting.cancelled.is_(False))
        .order_by(Meeting.starts_at).limit(24)).all()
    form.meeting_id.choices = [(0, "Not for a particular meeting")] + [
        (m.id, f"{m.starts_at:%d %b %Y} – {m.title}") for m in meetings]
    if not form.is_submitted():
        form.candidates.data = [value for value, _label in form.candidates.choices]
        form.opens_on.data = today
    if form.validate_on_submit():
        problem = rules.dates_problem(form.opens_on.data, form.closes_on.data, today)
        if problem:
            form.closes_on.errors.append({
                "closes_before_opening": "The closing date must be on or after the opening date",
                "closes_in_past": "The closing date must be today or later",
                "too_long": "A consultation can run for 3 months at most",
            }[problem])
        else:
            issues = [tuple(reversed(value.split(":", 1))) for value in form.candidates.data]
            issues += [(title, "team") for title in form.issues()[len(form.candidates.data):]]
            consultation = service.open_consultation(
                db.session, team, title=form.title.data, meeting_id=form.meeting_id.data or None,
                opens_on=form.opens_on.data, closes_on=form.closes_on.data, issues=issues, by=current_user, now=now)
            db.session.commit()
            flash(f"Consultation opened: {consultation.title}", "success")
            return redirect(url_for("consultations.staff_detail", team_id=team_id, consultation_id=consultation.id))
    return render_template("consultations/staff/new.html", team=team, form=form), 400 if form.errors else 200


@bp.get(STAFF + "/<int:consultation_id>")
@team_access_required
def staff_detail(team_id, consultation_id):
    consultation = _staff_consultation(team_id, consultation_id)
    return _staff_detail_page(consultation)


def _staff_detail_page(consultation, meeting_form=None, codes_form=None):
    today = clock_source.today_in_london()
    codes = db.session.execute(
        select(ConsultationCode.batch, ConsultationCode.used_at).where(
            ConsultationCode.consultation_id == consultation.id)).all()
    batches = {}
    for batch, used_at in codes:
        made, used = batches.get(batch, (0, 0))
        batches[batch] = (made + 1, used + (used_at is not None))
    meeting_form = meeting_form or MeetingCountForm(at_meeting=consultation.at_meeting)
    form_errors = bool((meeting_form and meeting_form.errors) or (codes_form and codes_form.errors))
    return render_template(
        "consultations/staff/detail.html", team=consultation.team, consultation=consultation,
        status=consultation.status(today), results=queries.results(consultation),
        something_else=queries.something_else_texts(consultation), issues={i.key: i for i in consultation.issues},
        engagement_labels=ENGAGEMENT_LABELS, batches=sorted(batches.items()), close_form=ConfirmForm(),
        meeting_form=meeting_form, codes_form=codes_form or CodesForm(),
        priorities=queries.priorities_from(consultation.id)), 400 if form_errors else 200


@bp.post(STAFF + "/<int:consultation_id>/close")
@team_access_required
def close(team_id, consultation_id):
    consultation = _staff_consultation(team_id, consultation_id)
    today = clock_source.today_in_london()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if consultation.status(today) != rules.CLOSED:
        service.close_now(db.session, consultation, by=current_user, today=today, now=clock_source.now())
        db.session.commit()
        flash("Consultation closed: its results are now on the team page", "success")
    return redirect(url_for("consultations.staff_detail", team_id=team_id, consultation_id=consultation_id))


@bp.post(STAFF + "/<int:consultation_id>/meeting-count")
@team_access_required
def meeting_count(team_id, consultation_id):
    consultation = _staff_consultation(team_id, consultation_id)
    form = MeetingCountForm()
    if not form.validate_on_submit():
        return _staff_detail_page(consultation, meeting_form=form)
    service.set_meeting_count(db.session, consultation, form.at_meeting.data, by=current_user, now=clock_source.now())
    db.session.commit()
    flash("Meeting count saved", "success")
    return redirect(url_for("consultations.staff_detail", team_id=team_id, consultation_id=consultation_id))


@bp.post(STAFF + "/<int:consultation_id>/codes")
@team_access_required
def make_codes(team_id, consultation_id):
    consultation = _staff_consultation(team_id, consultation_id)
    form = CodesForm()
    if not form.validate_on_submit():
        return _staff_detail_page(consultation, codes_form=form)
    batch = service.issue_codes(db.session, consultation, form.count.data, by=current_user, now=clock_source.now())
    db.session.commit()
    return redirect(url_for("consultations.codes", team_id=team_id, consultation_id=consultation_id, batch=batch))


@bp.get(STAFF + "/<int:consultation_id>/codes/<int:batch>")
@team_access_required
def codes(team_id, consultation_id, batch):
    """A batch of codes to print and cut into slips."""
    consultation = _staff_consultation(team_id, consultation_id)
    rows = db.session.scalars(select(ConsultationCode).where(
        ConsultationCode.consultation_id == consultation.id, ConsultationCode.batch == batch)
        .order_by(ConsultationCode.id)).all()
    if not rows:
        abort(404)
    n = consultation.team.neighbourhood
    return render_template("consultations/staff/codes.html", team=consultation.team, consultation=consultation,
                           codes=rows, batch=batch,
                           address=url_for("consultations.respond", force_id=n.force_id, neighbourhood_id=n.id,
                                           consultation_id=consultation.id, _external=False))
