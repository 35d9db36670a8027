"""The confidence question: a short optional survey reached by a signed invitation
(app.services.confidence), after an officer's reply to a message or at the end of a
consultation response; and, for the team's staff, the answers per quarter with the
"did we answer?" ones linked to their messages."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from app import clock_source
from app.access import team_access_required
from app.domain import confidence as rules
from app.domain.localtime import local_today
from app.extensions import db, limiter
from app.forms.confidence import ConfidenceForm
from app.models import AGREEMENT_LABELS, ANSWERED_LABELS, Team
from app.queries import confidence as figures
from app.services import confidence as service

bp = Blueprint("confidence", __name__)

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _answer_limit():
    return current_app.config.get("CONFIDENCE_RATE_LIMIT", "10 per minute; 100 per day")


def _invitation_or_404(token):
    invitation = service.read_invitation(token)
    if invitation is None or not service.may_answer(db.session, invitation):
        abort(404)
    return invitation


def _render(invitation, token, form, status=200):
    team = db.get_or_404(Team, invitation.team_id)
    response = service.response_for(db.session, invitation)
    today = clock_source.today_in_london()
    locked = response is not None and not rules.may_change(local_today(response.first_answered_at), today)
    quarter = rules.quarter_of(local_today(response.first_answered_at) if response else today)
    return render_template("confidence/survey.html", form=form, token=token, team=team,
                           neighbourhood=team.neighbourhood, response=response, locked=locked,
                           quarter_end=quarter.last_day, agreement_labels=AGREEMENT_LABELS,
                           answered_labels=ANSWERED_LABELS), status, PRIVATE


def form_for(invitation, response, formdata=None):
    """The survey's form, holding the answers already given (to change them)."""
    form = ConfidenceForm(formdata=formdata, asks_answered=invitation.source == rules.MESSAGE)
    if formdata is None and response is not None:
        form.agreement.data = response.agreement
        if form.asks_answered:
            form.answered.data = response.answered
    return form


@bp.get("/how-did-we-do/<token>")
def survey(token):
    invitation = _invitation_or_404(token)
    return _render(invitation, token, form_for(invitation, service.response_for(db.session, invitation)))


@bp.post("/how-did-we-do/<token>")
@limiter.limit(_answer_limit)
def answer(token):
    invitation = _invitation_or_404(token)
    form = form_for(invitation, None, request.form)
    if not form.validate_on_submit():
        return _render(invitation, token, form, 400)
    now = clock_source.now()
    try:
        service.answer(db.session, invitation, now, agreement=form.agreement.data,
                       answered=form.answered.data if form.asks_answered else None,
                       language=str(get_locale() or "en"))
    except service.Locked:
        db.session.rollback()
        flash(_("Your answers are already counted in a published quarter, so they can no longer be changed."),
              "warning")
        return redirect(url_for("confidence.survey", token=token))
    db.session.commit()
    last_day = rules.quarter_of(clock_source.today_in_london()).last_day
    flash(_("Thank you. Your answers are recorded. You can change them until %(day)s.",
            day=format_date(last_day, "d MMMM y")), "success")
    return redirect(url_for("confidence.survey", token=token))


@bp.get("/staff/teams/<int:team_id>/confidence")
@team_access_required
def staff_team(team_id):
    """The team's confidence figures per quarter and the "did we answer?" answers, each linked
    to its message, "no" first, for the sergeant to review."""
    team = db.get_or_404(Team, team_id)
    today = clock_source.today_in_london()
    quarters = figures.team_quarters(team_id, today)
    chosen = rules.parse_quarter(request.args.get("quarter")) or rules.quarter_of(today)
    if chosen not in [figure.quarter for figure, _shares in quarters]:
        abort(404)
    answered = request.args.get("answered")
    if answered not in rules.ANSWERED_CHOICES:
        answered = None
    return render_template("confidence/staff_team.html", team=team, quarters=quarters, chosen=chosen,
                           answered=answered, rows=figures.review(team_id, chosen, answered),
                           agreement_labels=AGREEMENT_LABELS, answered_labels=ANSWERED_LABELS,
                           minimum=figures.minimum())
