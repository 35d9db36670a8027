"""How we are doing against the Pledge (point 8): a team's page and a force's table, from
the portal's own data; sergeants explain a missed promise beside the figure."""
from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import clock_source
from app.domain import pledge
from app.extensions import db
from app.lookups import PostcodeStatus, find_postcode
from app.models import (ABSTRACTION_REASONS, SERGEANT, Abstraction, Force, Meeting, Membership, Neighbourhood,
                        PledgeExplanation, Priority, Team, VisibleTimeReturn, record)
from app.performance import poster
from app.performance.forms import AbstractionForm, ConfirmMonthForm, ExplanationForm, UnhappyPostcodeForm
from app.queries import confidence as confidence_figures
from app.queries import pledge_figures as figures
from app.access import roles_required, team_access_required
from app.queries.teams import team_for

bp = Blueprint("performance", __name__)

SORTS = ("name",) + pledge.MEASURES


def _can_explain(team_id):
    return (current_user.is_authenticated and (current_user.is_admin or current_user.is_sergeant)
            and current_user.can_act_for(team_id))


@bp.get("/teams/<force_id>/<neighbourhood_id>/performance")
def team(force_id, neighbourhood_id):
    found = team_for(force_id, neighbourhood_id)
    lines = figures.team_lines(found.id)
    return render_template("performance/team.html", team=found, neighbourhood=found.neighbourhood,
                           force=found.neighbourhood.force, lines=lines, thresholds=figures.thresholds(),
                           months=pledge.period(clock_source.today_in_london()),
                           can_explain=_can_explain(found.id),
                           confidence=confidence_figures.team_quarters(found.id, clock_source.today_in_london()),
                           confidence_minimum=confidence_figures.minimum())


@bp.get("/forces/<force_id>/performance")
def force(force_id):
    found = db.get_or_404(Force, force_id)
    sort = request.args.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    page = request.args.get("page", 1, type=int)
    per_page = current_app.config["PLEDGE_TEAMS_PER_PAGE"]
    teams = db.session.execute(
        select(Team.id, Team.name, Neighbourhood.id.label("neighbourhood_id"))
        .join(Neighbourhood).where(Neighbourhood.force_id == force_id).order_by(Team.name)).all()
    lines = figures.lines_by_team(force_id=force_id, notes=False, monthly=False)
    rows = [(t, {line.measure: line for line in lines[t.id]}) for t in teams]
    if sort != "name":
        # Where the promise is furthest from kept first; teams with nothing to measure last.
        rows.sort(key=lambda row: (row[1][sort].value is None, row[1][sort].value or 0, row[0].name))
    pages = max(1, -(-len(rows) // per_page))
    if page < 1 or page > pages:
        abort(404)
    visible_by_month = pledge.pooled_by_month([by[pledge.VISIBLE] for _t, by in rows])
    summary = {measure: (sum(1 for _t, by in rows if by[measure].grade in pledge.MET),
                         sum(1 for _t, by in rows if by[measure].grade is not None))
               for measure in pledge.MEASURES}
    return render_template("performance/force.html", force=found, rows=rows[(page - 1) * per_page:page * per_page],
                           team_count=len(rows), summary=summary, visible_by_month=visible_by_month,
                           sort=sort, page=page, pages=pages,
                           measures=pledge.MEASURES, thresholds=figures.thresholds(),
                           months=pledge.period(clock_source.today_in_london()),
                           confidence=confidence_figures.force_quarters(force_id, clock_source.today_in_london()),
                           confidence_minimum=confidence_figures.minimum())


def _missed_month_or_404(team_id, measure, month_key):
    if measure not in pledge.MEASURES:
        abort(404)
    line = next(line for line in figures.team_lines(team_id) if line.measure == measure)
    found = next((m for m in line.months if m.key == month_key), None)
    if found is None or not found.missed:
        abort(404)
    return line, found


@bp.route("/staff/teams/<int:team_id>/performance/<measure>/<month_key>/explanation", methods=["GET", "POST"])
@roles_required(SERGEANT)
@team_access_required
def explain(team_id, measure, month_key):
    team_row = db.get_or_404(Team, team_id)
    line, missed = _missed_month_or_404(team_id, measure, month_key)
    month_start = date(missed.year, missed.month, 1)
    existing = db.session.scalar(select(PledgeExplanation).where(
        PledgeExplanation.team_id == team_id, PledgeExplanation.measure == measure,
        PledgeExplanation.month == month_start))
    form = ExplanationForm(obj=existing)
    if form.validate_on_submit():
        text, improvement = form.text.data.strip(), form.improvement.data.strip()
        now = clock_source.now()
        if existing is None:
            existing = PledgeExplanation(team_id=team_id, measure=measure, month=month_start, text=text,
                                         improvement=improvement, author_id=current_user.id, created_at=now)
            db.session.add(existing)
            record("created", existing, by=current_user, changes={"measure": measure, "month": month_key,
                                                                  "text": text, "improvement": improvement}, now=now)
        elif (existing.text, existing.improvement) != (text, improvement):
            changes = {name: [old, new] for name, old, new in (("text", existing.text, text),
                                                               ("improvement", existing.improvement, improvement))
                       if old != new}
            record("updated", existing, by=current_user, changes=changes, now=now)
            existing.text, existing.improvement = text, improvement
            existing.author_id, existing.created_at = current_user.id, now
        db.session.commit()
        flash(_("Explanation published"), "success")
        n = team_row.neighbourhood
        return redirect(url_for("performance.team", force_id=n.force_id, neighbourhood_id=n.id,
                                _anchor=f"measure-{measure}"))
    return render_template("performance/explain.html", form=form, team=team_row, line=line, missed=missed,
                           month=month_start), 400 if form.errors else 200


@bp.get("/staff/teams/<int:team_id>/performance")
@team_access_required
def staff_team(team_id):
    """The team's Pledge work for staff: missed months waiting for an explanation (sergeants
    write them), visible time to record, the printable poster."""
    team_row = db.get_or_404(Team, team_id)
    lines = figures.team_lines(team_id)
    return render_template("performance/staff_team.html", team=team_row,
                           waiting=pledge.awaiting_explanation(lines, clock_source.today_in_london()),
                           can_explain=_can_explain(team_id))


def _members(team_id, today):
    return [m for m in db.session.scalars(
        select(Membership).where(Membership.team_id == team_id).options(joinedload(Membership.officer))).all()
        if m.is_current(today)]


@bp.route("/staff/teams/<int:team_id>/visible-time", methods=["GET", "POST"])
@roles_required(SERGEANT)
@team_access_required
def visible_time(team_id):
    """Sergeants record officers' time away from the neighbourhood and confirm each month."""
    team_row = db.get_or_404(Team, team_id)
    today = clock_source.today_in_london()
    members = _members(team_id, today)
    form = AbstractionForm()
    form.officer_id.choices = [(m.officer.id, f"{m.officer.name} ({m.officer.role_label})") for m in members]
    if form.validate_on_submit():
        now = clock_source.now()
        away = Abstraction(team_id=team_id, officer_id=form.officer_id.data, reason=form.reason.data,
                           starts_on=form.starts_on.data, ends_on=form.ends_on.data, shifts=form.shifts.data,
                           author_id=current_user.id, created_at=now)
        db.session.add(away)
        record("created", away, by=current_user, changes={"officer_id": away.officer_id, "reason": away.reason,
                                         "starts_on": away.starts_on, "ends_on": away.ends_on,
                                         "shifts": away.shifts}, now=now)
        db.session.commit()
        flash(_("Time away recorded"), "success")
        return redirect(url_for("performance.visible_time", team_id=team_id))
    months = list(reversed(pledge.period(today, 3)))
    confirmed = {(r.month.year, r.month.month) for r in db.session.scalars(
        select(VisibleTimeReturn).where(VisibleTimeReturn.team_id == team_id))}
    recent = db.session.scalars(
        select(Abstraction).where(Abstraction.team_id == team_id).options(joinedload(Abstraction.officer))
        .order_by(Abstraction.starts_on.desc(), Abstraction.id.desc()).limit(50)).all()
    return render_template("performance/visible_time.html", team=team_row, form=form, recent=recent,
                           months=months, confirmed=confirmed, reasons=ABSTRACTION_REASONS,
                           confirm_form=ConfirmMonthForm()), 400 if form.errors else 200


@bp.post("/staff/teams/<int:team_id>/visible-time/<month_key>/confirm")
@roles_required(SERGEANT)
@team_access_required
def confirm_month(team_id, month_key):
    db.get_or_404(Team, team_id)
    closed = {f"{y:04d}-{m:02d}": (y, m) for y, m in pledge.period(clock_source.today_in_london())}
    if month_key not in closed:
        abort(404)
    form = ConfirmMonthForm()
    if not form.validate_on_submit():
        abort(400)
    month_start = date(*closed[month_key], 1)
    exists = db.session.scalar(select(VisibleTimeReturn).where(VisibleTimeReturn.team_id == team_id,
                                                               VisibleTimeReturn.month == month_start))
    if exists is None:
        now = clock_source.now()
        confirmed = VisibleTimeReturn(team_id=team_id, month=month_start, author_id=current_user.id, created_at=now)
        db.session.add(confirmed)
        record("confirmed", confirmed, by=current_user, changes={"month": month_key}, now=now)
        db.session.commit()
    flash(_("Month confirmed: its visible time is now on the Pledge page"), "success")
    return redirect(url_for("performance.visible_time", team_id=team_id))


@bp.get("/unhappy-with-our-service")
def unhappy():
    """Pledge 10 from every page's footer: how the route works, then the resident's team
    (found by postcode) and its form."""
    form = UnhappyPostcodeForm(request.args)
    if "postcode" in request.args and form.validate():
        lookup = find_postcode(form.postcode.data)
        if lookup.status is PostcodeStatus.FOUND:
            found = lookup.record
            return redirect(url_for("contact.feedback", force_id=found.force_id,
                                    neighbourhood_id=found.neighbourhood_id))
        form.postcode.errors.append(
            _("Enter a full postcode, like LS1 1AZ or SW1A 2AA") if lookup.status is PostcodeStatus.INVALID
            else _("We could not find a team for that postcode. Check it, or find your team by street or place."))
    return render_template("performance/unhappy.html", form=form), 400 if form.errors else 200


POSTER_LANGUAGES = ("en", "cy")
POSTER_MEETINGS, POSTER_PRIORITIES, POSTER_OFFICERS = 3, 5, 12


def _poster_page(team_row, url, meetings, priorities, members):
    contact = []
    if team_row.telephone:
        contact.append(_("Phone: %(number)s", number=team_row.telephone))
    if team_row.email:
        contact.append(_("Email: %(address)s", address=team_row.email))
    if team_row.station:
        address = ", ".join(line.strip() for line in team_row.station.address.splitlines() if line.strip())
        contact.append(_("Base: %(station)s, %(address)s", station=team_row.station.name, address=address))
    contact.append(_("Online: send us a message from our team page. We reply within %(hours)d hours.",
                     hours=current_app.config["REPLY_PROMISE_HOURS"]))
    return poster.PosterPage(
        heading=_("Your Neighbourhood Policing Team"),
        team_name=team_row.name,
        officers_heading=_("Who we are"),
        officers=[f"{m.officer.name}, {m.officer.role_label}" for m in members[:POSTER_OFFICERS]],
        contact_heading=_("How to contact us"),
        contact_lines=contact,
        meetings_heading=_("Our next meetings: come and tell us what matters to you"),
        meetings=[poster.PosterMeeting(format_datetime(m.starts_at, "EEEE d MMMM y, HH:mm"), m.title, m.venue)
                  for m in meetings],
        no_meetings=_("No meetings planned yet. Ask us, or see our team page."),
        priorities_heading=_("What we are working on"),
        priorities=[p.title for p in priorities],
        no_priorities=_("No current priorities. Tell us what should come first."),
        scan_text=_("Scan to see our team page: meetings, priorities and how we are doing against the Pledge."),
        url=url,
        emergency=_("If someone is in danger now, call 999. For non-emergencies call 101."),
    )


def team_page_url(team_row):
    """The public team page's address from PUBLIC_BASE_URL, never from the request's Host."""
    path = url_for("teams.profile", force_id=team_row.neighbourhood.force_id,
                   neighbourhood_id=team_row.neighbourhood_id)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


@bp.get("/staff/teams/<int:team_id>/poster.pdf")
@team_access_required
def team_poster(team_id):
    """An A4 poster for the team, a page in English and a page in Welsh (Pledge: people
    without the internet)."""
    team_row = db.get_or_404(Team, team_id)
    now = clock_source.now()
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.team_id == team_id, Meeting.starts_at >= now, Meeting.cancelled.is_(False))
        .order_by(Meeting.starts_at).limit(POSTER_MEETINGS)).all()
    priorities = db.session.scalars(
        select(Priority).where(Priority.team_id == team_id, Priority.closed_on.is_(None))
        .order_by(Priority.agreed_on.desc()).limit(POSTER_PRIORITIES)).all()
    members = team_row.current_memberships
    url = team_page_url(team_row)
    pages = []
    for language in POSTER_LANGUAGES:
        with force_locale(language):
            pages.append(_poster_page(team_row, url, meetings, priorities, members))
    pdf = poster.render(pages, title=team_row.name)
    filename = f"poster-{team_row.neighbourhood_id}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})
