"""The team inbox (shared per team), message threads, the sergeants' review page, the
compliance report with CSV, and the inbound-email webhook."""
import csv
import hmac
import io
from email import message_from_bytes
from email import policy

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock_source
from app.domain import clock
from app.domain import months as calendar_months
from app.domain.localtime import to_local
from app.extensions import csrf, db
from app.queries import compliance as report
from app.queries import inbox as inbox_queries
from app.services import inbox as service
from app.inbox.forms import NoteForm, OfferForm, OutcomeForm, PlanForm, ReassignForm, ReplyForm
from app.models import FEEDBACK, FEEDBACK_THEMES, MESSAGE, OFFICER, SERGEANT, Message, Neighbourhood, Team, ThreadEntry
from app.access import roles_required, team_access_required
from app.forms.confirm import ConfirmForm

bp = Blueprint("inbox", __name__)


def visible_kinds():
    """Feedback about the team's service goes to its sergeants, not to every officer."""
    return (MESSAGE, FEEDBACK) if current_user.is_admin or current_user.role == SERGEANT else (MESSAGE,)


def my_team_ids():
    """Teams the user may see; for an administrator, the teams of their force (None: all)."""
    team_ids = current_user.team_ids()
    if team_ids is None and current_user.force_id:
        team_ids = set(db.session.scalars(
            select(Team.id).join(Neighbourhood).where(Neighbourhood.force_id == current_user.force_id)))
    return team_ids


def _message_or_404(team_id, message_id):
    message = db.session.get(Message, message_id)
    if message is None or message.team_id != team_id:
        abort(404)
    if message.kind not in visible_kinds():
        abort(403)
    return message


def _clock_view(message, now):
    return {
        "deadline": clock.deadline(message.received_at, service.promise()),
        "left": clock.time_left(message.received_at, now, service.promise()),
        "status": clock.status(message.received_at, message.first_human_reply_at, now, service.promise(),
                               service.at_risk_after()),
    }


@bp.get("/staff/inbox/")
@roles_required(OFFICER, SERGEANT)
def index():
    teams = inbox_queries.team_workloads(my_team_ids(), visible_kinds(), clock_source.now(), service.promise())
    return render_template("inbox/index.html", teams=teams)


@bp.get("/staff/inbox/teams/<int:team_id>")
@roles_required(OFFICER, SERGEANT)
@team_access_required
def team(team_id):
    team = db.get_or_404(Team, team_id)
    now = clock_source.now()
    show_closed = request.args.get("show") == "closed"
    messages = inbox_queries.team_messages(team_id, visible_kinds(), closed=show_closed)
    return render_template("inbox/team.html", team=team, rows=[(m, _clock_view(m, now)) for m in messages],
                           show_closed=show_closed)


@bp.get("/staff/inbox/teams/<int:team_id>/messages/<int:message_id>")
@roles_required(OFFICER, SERGEANT)
@team_access_required
def thread(team_id, message_id):
    message = _message_or_404(team_id, message_id)
    return _render_thread(message)


ROUTE_FORMS = {"offer": OfferForm, "plan": PlanForm, "outcome": OutcomeForm}


def _render_thread(message, reply_form=None, note_form=None, status=200, route_forms=None):
    reply_form = reply_form or ReplyForm(formdata=None)
    if not message.email:
        reply_form.channel.data = "phone"
    reassign = ReassignForm(formdata=None)
    reassign.owner.choices = [(u.id, u.name) for u in service.team_members(db.session, message.team_id,
                                                                             clock_source.now().date())]
    entries = db.session.scalars(select(ThreadEntry).where(ThreadEntry.message_id == message.id)
                                 .order_by(ThreadEntry.created_at, ThreadEntry.id)
                                 .options(selectinload(ThreadEntry.author))).all()
    return render_template("inbox/thread.html", message=message, team=message.team, entries=entries,
                           clock_view=_clock_view(message, clock_source.now()), reply_form=reply_form,
                           note_form=note_form or NoteForm(formdata=None), confirm=ConfirmForm(),
                           reassign=reassign, feedback_themes=FEEDBACK_THEMES,
                           route_forms={key: (route_forms or {}).get(key) or form(formdata=None)
                                        for key, form in ROUTE_FORMS.items()}), status


def _back(message):
    return redirect(url_for("inbox.thread", team_id=message.team_id, message_id=message.id))


@bp.post("/staff/inbox/teams/<int:team_id>/messages/<int:message_id>/route/<stage>")
@roles_required(OFFICER, SERGEANT)
@team_access_required
def route(team_id, message_id, stage):
    """Record a stage of the dissatisfaction route (Pledge 10) on a piece of feedback."""
    message = _message_or_404(team_id, message_id)
    if message.kind != FEEDBACK or stage not in ROUTE_FORMS:
        abort(404)
    form = ROUTE_FORMS[stage]()
    if not form.validate_on_submit():
        return _render_thread(message, status=400, route_forms={stage: form})
    now = clock_source.now()
    try:
        if stage == "offer":
            service.offer_contact(db.session, message, current_user, form.offer.data, now)
        elif stage == "plan":
            service.agree_plan(db.session, message, current_user, form.plan.data.strip(), form.due_on.data, now)
        else:
            service.record_outcome(db.session, message, current_user, form.outcome.data.strip(), now)
    except service.RouteError:
        abort(409)
    db.session.commit()
    flash(_("Recorded"), "success")
    return _back(message)


@bp.post("/staff/inbox/teams/<int:team_id>/messages/<int:message_id>/reply")
@roles_required(OFFICER, SERGEANT)
@team_access_required
def reply(team_id, message_id):
    message = _message_or_404(team_id, message_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _render_thread(message, reply_form=form, status=400)
    service.reply(db.session, message, current_user, form.body.data.strip(), clock_source.now(),
                  channel=form.channel.data, fuller_to_follow=form.fuller_to_follow.data,
                  fuller_answer=form.fuller_answer.data)
    db.session.commit()
    flash(_("Reply sent.") if form.channel.data == "email" and message.email else _("Phone call recorded."),
          "success")
    return _back(message)


@bp.post("/staff/inbox/teams/<int:team_id>/messages/<int:message_id>/note")
@roles_required(OFFICER, SERGEANT)
@team_access_required
def note(team_id, message_id):
    message = _message_or_404(team_id, message_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _render_thread(message, note_form=form, status=400)
    service.note(db.session, message, current_user, form.note.data.strip(), clock_source.now())
    db.session.commit()
    flash(_("Note added."), "success")
    return _back(message)


@bp.post("/staff/inbox/teams/<int:team_id>/messages/<int:message_id>/<any(own, close, reopen):action>")
@roles_required(OFFICER, SERGEANT)
@team_access_required
def act(team_id, message_id, action):
    message = _message_or_404(team_id, message_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    do = {"own": service.take_ownership, "close": service.close, "reopen": service.reopen}[action]
    do(db.session, message, current_user, clock_source.now())
    db.session.commit()
    flash({"own": _("You own this message."), "close": _("Message closed."),
           "reopen": _("Message reopened.")}[action], "success")
    if action == "close":
        return redirect(url_for("inbox.team", team_id=team_id))
    return _back(message)


@bp.post("/staff/inbox/teams/<int:team_id>/messages/<int:message_id>/reassign")
@roles_required(SERGEANT)
@team_access_required
def reassign(team_id, message_id):
    message = _message_or_404(team_id, message_id)
    form = ReassignForm()
    members = {u.id: u for u in service.team_members(db.session, team_id, clock_source.now().date())}
    form.owner.choices = [(uid, u.name) for uid, u in members.items()]
    if not form.validate_on_submit():
        abort(400)
    service.reassign(db.session, message, current_user, members[form.owner.data], clock_source.now())
    db.session.commit()
    flash(_("%(reference)s given to %(name)s.", reference=message.reference, name=members[form.owner.data].name),
          "success")
    return redirect(request.form.get("back") == "review" and url_for("inbox.review") or
                    url_for("inbox.thread", team_id=team_id, message_id=message_id))


@bp.get("/staff/inbox/review")
@roles_required(SERGEANT)
def review():
    """Across the sergeant's teams: unanswered messages past the first escalation point."""
    now = clock_source.now()
    team_ids = my_team_ids()
    messages = inbox_queries.unanswered_since(team_ids, now - service.at_risk_after())
    rows = []
    today = now.date()
    members = {}
    for message in messages:
        if message.team_id not in members:
            members[message.team_id] = [(u.id, u.name) for u in service.team_members(db.session, message.team_id, today)]
        form = ReassignForm(formdata=None)
        form.owner.choices = members[message.team_id]
        form.owner.data = message.owner_id
        rows.append((message, _clock_view(message, now), form))
    fuller = inbox_queries.fuller_answers_owed(team_ids)
    return render_template("inbox/review.html", rows=rows, fuller=fuller)


def _month_arg(now):
    value = request.args.get("month", "")
    try:
        year, month = (int(part) for part in value.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    london = to_local(now)
    return london.year, london.month


def _compliance(kind):
    now = clock_source.now()
    year, month = _month_arg(now)
    team_ids = my_team_ids()
    figures = report.monthly_report(db.session, year, month, now, team_ids=team_ids, kind=kind)
    teams = inbox_queries.team_names(figures) if figures else {}
    rows = sorted(figures.values(), key=lambda f: teams.get(f.team_id, ""))
    return year, month, rows, teams


@bp.get("/staff/inbox/compliance")
@roles_required(OFFICER, SERGEANT)
def compliance():
    kind = FEEDBACK if request.args.get("kind") == FEEDBACK and FEEDBACK in visible_kinds() else MESSAGE
    year, month, rows, teams = _compliance(kind)
    themes = []
    if kind == FEEDBACK:
        start, end = clock.month_bounds(year, month)
        themes = [(FEEDBACK_THEMES.get(theme, theme), n) for theme, n in inbox_queries.feedback_themes(start, end, teams)]
    return render_template("inbox/compliance.html", year=year, month=month, rows=rows, teams=teams,
                           total=report.total(r.all for r in rows), kind=kind, themes=themes,
                           month_choices=_month_choices(to_local(clock_source.now()), (year, month)))


def _month_choices(today, chosen, count=24):
    """(year, month) of this month and the `count` - 1 before it, newest first, and the one
    asked for if it is older: a list to choose from rather than a browser's month widget,
    whose inner parts lost the focus ring in Chromium."""
    choices = [(today.year, today.month)] + calendar_months.previous_months(today, count - 1)
    return choices if chosen in choices else choices + [chosen]


@bp.get("/staff/inbox/compliance.csv")
@roles_required(OFFICER, SERGEANT)
def compliance_csv():
    kind = FEEDBACK if request.args.get("kind") == FEEDBACK and FEEDBACK in visible_kinds() else MESSAGE
    year, month, rows, teams = _compliance(kind)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "team_id", "team", "days", "received", "answered_within_promise",
                     "percent_within_promise", "median_hours", "p90_hours", "longest_hours", "still_open",
                     "automated_receipt_only", "not_yet_due"])
    hours = lambda s: "" if s is None else f"{s / 3600:.2f}"  # noqa: E731
    for row in rows:
        for days, f in (("all", row.all), ("weekdays", row.weekdays), ("weekends", row.weekends)):
            writer.writerow([f"{year}-{month:02d}", row.team_id, _csv_safe(teams.get(row.team_id, "")), days,
                             f.received, f.answered_in_time, "" if f.percent_in_time is None else f.percent_in_time,
                             hours(f.median_wait), hours(f.p90_wait), hours(f.longest_wait), f.still_open,
                             f.receipt_only, f.not_yet_due])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=reply-times-{kind}-{year}-{month:02d}.csv"})


def _csv_safe(text):
    """Team names are data: stop spreadsheets reading them as formulas."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@bp.post("/inbox/inbound-email")
@csrf.exempt
def inbound_email():
    """A resident's emailed reply, posted by the mail provider as the raw message
    (Content-Type: message/rfc822) with `Authorization: Bearer <INBOUND_MAIL_SECRET>`."""
    secret = current_app.config.get("INBOUND_MAIL_SECRET")
    if not secret:
        abort(404)
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), secret.encode()):
        abort(403)
    email_message = message_from_bytes(request.get_data(), policy=policy.default)
    entry = service.attach_inbound(db.session, email_message, clock_source.now())
    db.session.commit()
    return {"attached": entry is not None, "reference": entry.message.reference if entry else None}, 200

