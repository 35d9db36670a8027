"""The Pledge figures of one team or of every team in a force, read in a handful of
queries (one per measure, whatever the number of teams) and graded by app.domain.pledge."""
from collections import defaultdict
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app import clock_source
from app.domain import clock, dissatisfaction, pledge, visible_time
from app.domain.localtime import local_date
from app.extensions import db
from app.queries import compliance as report
from app.queries import pledge_period as period
from app.queries.pledge_period import in_teams
from app.models import (FEEDBACK, MESSAGE, Abstraction, AuditEntry, Meeting, Membership, Message, Neighbourhood,
                        PledgeExplanation, Priority, PriorityAction, Team, Update, VisibleTimeReturn)


def thresholds():
    return current_app.config["PLEDGE_THRESHOLDS"]


def route_rules():
    """The dissatisfaction route's clocks (app.domain.dissatisfaction), from config."""
    return {"promise": report.promise(),
            "offer_within": timedelta(days=current_app.config["DISSATISFACTION_OFFER_DAYS"]),
            "plan_within": timedelta(days=current_app.config["DISSATISFACTION_PLAN_DAYS"])}


def meeting_rules():
    """(notice, record_within) for app.domain.pledge.meeting_counts_as_held, from config."""
    return (timedelta(days=current_app.config["MEETING_NOTICE_DAYS"]),
            timedelta(days=current_app.config["MEETING_RECORD_DAYS"]))


def _core(query):
    """Plain rows (named tuples) straight from the connection: the columns read here need none
    of the ORM's row handling, which was a fifth of a force page. Fetched in one call: iterating
    the result fetches a row at a time, a Python call per row (30,000 of them for a force)."""
    return db.session.connection().execute(query).all()


def lines_by_team(team_ids=None, force_id=None, on=None, now=None, notes=True, monthly=True, tally=False):
    """{team_id: [Line, one per measure in pledge.MEASURES]} for the given teams or force,
    over the 12 whole months before `on` (London today), with the teams' explanations and
    late changes unless `notes` is False (a force's table shows only each team's grades).
    With `monthly` False only the visible-time line keeps its months (a force pools them);
    the others carry their period's value and grade alone, and meetings, posts and priorities
    are counted in SQL (app.queries.pledge_period), with no late changes. With `tally` as
    well (a force's JSON), each of those lines also has the tally of its months (months
    measured and met, Line.tally): messages and priorities are then counted month by month."""
    now = now or clock_source.now()
    on = on or local_date(now)
    db.session.flush()  # what the session holds counts: the reads below go past its autoflush
    months = pledge.period(on)
    first_day = date(*months[0], 1)
    last_day = pledge.month_end(*months[-1])
    start_utc, end_utc = clock.month_bounds(*months[0])[0], clock.month_bounds(*months[-1])[1]
    limits = thresholds()
    if team_ids is not None:
        ids = list(team_ids)
    else:
        ids = [row.id for row in _core(select(Team.id).join(Neighbourhood).where(Neighbourhood.force_id == force_id))]

    if monthly or tally:
        counts = report.counts_by_month_of_kinds(db.session, months, (MESSAGE, FEEDBACK), team_ids, force_id)
    else:  # each team's whole period only: a row per team and kind, no months
        counts = report.counts_over_months_of_kinds(db.session, months, (MESSAGE, FEEDBACK), team_ids, force_id)
    messages, feedback = counts[MESSAGE], counts[FEEDBACK]

    notice, record_within = meeting_rules()
    late = defaultdict(list)  # team_id: [pledge.LateChange]
    if monthly:
        meetings, priorities, published = _rows_by_team(late, months, first_day, last_day, start_utc, end_utc, now,
                                                        record_within, team_ids, force_id, notes)
    else:  # counted in SQL, a row per team: the force table has no months and no notes
        meeting_months = period.meeting_months(db.session, months, now, notice, record_within, team_ids, force_id)
        post_months = period.post_months(db.session, months, team_ids, force_id)
        if tally:
            priorities_by_month = period.priority_counts_by_month(db.session, months, team_ids, force_id)
        else:
            priority_counts = period.priority_counts(db.session, months, team_ids, force_id)

    confirmed = defaultdict(set)
    for team_id, month in _core(
            select(VisibleTimeReturn.team_id, VisibleTimeReturn.month).where(
                in_teams(VisibleTimeReturn.team_id, team_ids, force_id), VisibleTimeReturn.month >= first_day)):
        confirmed[team_id].add((month.year, month.month))

    memberships = defaultdict(list)
    served = defaultdict(list)  # only where a month of visible time was confirmed: the rest is not measured
    for team_id, officer_id, started_on, ended_on in _core(
            select(Membership.team_id, Membership.officer_id, Membership.started_on, Membership.ended_on).where(
                in_teams(Membership.team_id, team_ids, force_id), Membership.started_on <= last_day,
                Membership.ended_on.is_(None) | (Membership.ended_on >= first_day))):
        memberships[team_id].append((started_on, ended_on))
        if team_id in confirmed:
            served[team_id].append(visible_time.Served(officer_id, started_on, ended_on))

    away = defaultdict(list)
    for a in _core(
            select(Abstraction.team_id, Abstraction.officer_id, Abstraction.reason, Abstraction.starts_on,
                   Abstraction.ends_on, Abstraction.shifts).where(
                in_teams(Abstraction.team_id, team_ids, force_id), Abstraction.starts_on <= last_day,
                Abstraction.ends_on >= first_day)):
        away[a.team_id].append(visible_time.Away(a.officer_id, a.reason, a.starts_on, a.ends_on, a.shifts))

    routes = defaultdict(list)
    rules = route_rules()
    for m in _core(  # each row has dissatisfaction.Route's fields, by name
            select(Message.team_id, Message.received_at, Message.first_human_reply_at.label("acknowledged_at"),
                   Message.contact_offered_at.label("offered_at"), Message.plan_agreed_at, Message.plan_due_on,
                   Message.outcome_at).where(
                in_teams(Message.team_id, team_ids, force_id), Message.kind == FEEDBACK,
                Message.received_at >= start_utc, Message.received_at < end_utc)):
        routes[m.team_id].append(m)

    explained = defaultdict(dict)
    improvements = defaultdict(dict)
    explanation_rows = db.session.scalars(select(PledgeExplanation).where(
        in_teams(PledgeExplanation.team_id, team_ids, force_id), PledgeExplanation.month >= first_day)) if notes else ()
    for e in explanation_rows:
        explained[(e.team_id, e.measure)][f"{e.month:%Y-%m}"] = e.text
        improvements[(e.team_id, e.measure)][f"{e.month:%Y-%m}"] = e.improvement

    result = {}
    month_set = set(months)
    # A team that confirmed no month: every month not measured, the same line for each (immutable).
    not_recorded = pledge.ratio_line(pledge.VISIBLE, {}, months, limits[pledge.VISIBLE])
    for team_id in ids:
        if monthly or tally:
            replies = [pledge.ratio_line(measure, by_kind.get(team_id, {}), months, limits[measure], monthly)
                       for measure, by_kind in ((pledge.MESSAGES, messages), (pledge.FEEDBACK, feedback))]
        else:
            replies = [pledge.period_ratio_line(measure, *by_kind.get(team_id, (0, 0)), limits[measure])
                       for measure, by_kind in ((pledge.MESSAGES, messages), (pledge.FEEDBACK, feedback))]
        lines = [
            *replies,
            pledge.ratio_line(pledge.FOLLOW_UP, dissatisfaction.counts_by_month(routes.get(team_id, ()), month_set,
                                                                                now, **rules),
                              months, limits[pledge.FOLLOW_UP], monthly),
            *((pledge.meetings_line(meetings[team_id], now, limits[pledge.MEETINGS], notice, record_within),
               pledge.priorities_line(priorities[team_id], on, limits[pledge.PRIORITIES]),
               pledge.updates_line(published[team_id], on, limits[pledge.UPDATES])) if monthly else
              (pledge.period_habit_line(pledge.MEETINGS, meeting_months.get(team_id, 0), len(months),
                                        limits[pledge.MEETINGS]),
               pledge.ratio_line(pledge.PRIORITIES, priorities_by_month.get(team_id, {}), months,
                                 limits[pledge.PRIORITIES], monthly=False) if tally else
               pledge.period_ratio_line(pledge.PRIORITIES, *priority_counts.get(team_id, (0, 0)),
                                        limits[pledge.PRIORITIES]),
               pledge.period_habit_line(pledge.UPDATES, post_months.get(team_id, 0), len(months),
                                        limits[pledge.UPDATES]))),
            pledge.tenure_line(memberships[team_id], on, limits[pledge.TENURE], monthly=monthly, tally=tally),
            pledge.ratio_line(pledge.VISIBLE, visible_time.counts_by_month(served[team_id], away[team_id], months,
                                                                           confirmed[team_id]),
                              months, limits[pledge.VISIBLE]) if team_id in confirmed else not_recorded,
        ]
        if not notes:
            result[team_id] = lines
            continue
        late_by_measure = pledge.late_changes_by_month(late[team_id])
        result[team_id] = [pledge.with_explanations(line, explained.get((team_id, line.measure), {}),
                                                    improvements.get((team_id, line.measure), {}),
                                                    late_by_measure.get(line.measure, {}))
                           for line in lines]
    return result


def _rows_by_team(late, months, first_day, last_day, start_utc, end_utc, now, record_within, team_ids, force_id,
                  notes):
    """({team_id: meeting rows}, {team_id: [PriorityFacts]}, {team_id: [days posts count from]})
    for the domain's month-by-month lines, with the late changes added to `late` if `notes`."""
    meetings = defaultdict(list)
    # Titles, ids and posts' text are read only for the notes (a force's table has none).
    meeting_rows = _core(
        select(*((Meeting.id, Meeting.title) if notes else ()), Meeting.team_id, Meeting.starts_at,
               Meeting.published_at, Meeting.recorded_at, Meeting.cancelled).where(
            in_teams(Meeting.team_id, team_ids, force_id), Meeting.starts_at >= start_utc,
            Meeting.starts_at < min(end_utc, now)))
    for row in meeting_rows:
        meetings[row.team_id].append(row)  # has MeetingFacts' fields, by name
        if notes:
            late[row.team_id].append(pledge.LateChange(pledge.MEETINGS, local_date(row.starts_at),
                                                       row.published_at, pledge.ADDED, row.title))
    meeting_by_id = {row.id: row for row in meeting_rows} if notes else {}
    for entry in _audit_after(Meeting, meeting_by_id, first_day, team_ids, force_id):
        row = meeting_by_id[entry.object_id]
        if entry.action == "minutes recorded" and entry.at <= row.starts_at + record_within:
            continue  # recording a meeting afterwards, in time, is what should happen
        action = {"cancelled": pledge.CANCELLED, "minutes recorded": pledge.RECORDED}.get(entry.action, pledge.CHANGED)
        late[row.team_id].append(pledge.LateChange(pledge.MEETINGS, local_date(row.starts_at), entry.at,
                                                   action, row.title))

    priority_rows = _core(
        select(Priority.id, Priority.team_id, *((Priority.title,) if notes else ()), Priority.agreed_on,
               Priority.closed_on).where(
            in_teams(Priority.team_id, team_ids, force_id), Priority.agreed_on <= last_day,
            Priority.closed_on.is_(None) | (Priority.closed_on > first_day)))
    action_days = defaultdict(list)
    priority_by_id = {row.id: row for row in priority_rows}
    for priority_id, taken_on, created_at in _core(
            select(PriorityAction.priority_id, PriorityAction.taken_on, PriorityAction.created_at).where(
                PriorityAction.priority_id.in_([row.id for row in priority_rows]),
                PriorityAction.taken_on <= last_day)):
        action_days[priority_id].append(pledge.counted_on(taken_on, local_date(created_at)))
        if notes:
            row = priority_by_id[priority_id]
            late[row.team_id].append(pledge.LateChange(pledge.PRIORITIES, taken_on, created_at, pledge.ADDED,
                                                       row.title))
    priorities = defaultdict(list)
    for row in priority_rows:
        priorities[row.team_id].append(
            pledge.PriorityFacts(row.agreed_on, row.closed_on, tuple(action_days[row.id])))

    published = defaultdict(list)
    post_rows = _core(
        select(*((Update.id, Update.you_said) if notes else ()), Update.team_id, Update.published_on,
               Update.created_at).where(
            in_teams(Update.team_id, team_ids, force_id),
            ((Update.published_on >= first_day) & (Update.published_on <= last_day))
            | ((Update.created_at >= start_utc) & (Update.created_at < end_utc))))
    for row in post_rows:
        published[row.team_id].append(pledge.counted_on(row.published_on, local_date(row.created_at)))
        if notes:
            late[row.team_id].append(pledge.LateChange(pledge.UPDATES, row.published_on, row.created_at,
                                                       pledge.ADDED, _short(row.you_said)))
    post_by_id = {row.id: row for row in post_rows} if notes else {}
    for entry in _audit_after(Update, post_by_id, first_day, team_ids, force_id):
        row = post_by_id[entry.object_id]
        late[row.team_id].append(pledge.LateChange(pledge.UPDATES, row.published_on, entry.at, pledge.CHANGED,
                                                   _short(row.you_said)))

    return meetings, priorities, published


def team_lines(team_id, on=None, now=None):
    return lines_by_team(team_ids=[team_id], on=on, now=now)[team_id]


def _short(text, length=60):
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def _audit_after(model, rows_by_id, first_day, team_ids, force_id):
    """Audit entries (other than creation) on the given rows of `model`, written since the
    period began: the edits that may have come after a month closed. Joined rather than
    listed, so a force of thousands of meetings is one query with no long IN list."""
    if not rows_by_id:
        return []
    entries = db.session.scalars(
        select(AuditEntry).join(model, model.id == AuditEntry.object_id).where(
            AuditEntry.object_type == model.__tablename__, AuditEntry.action != "created",
            AuditEntry.at >= first_day, in_teams(model.team_id, team_ids, force_id)).order_by(AuditEntry.at)).all()
    return [entry for entry in entries if entry.object_id in rows_by_id]
