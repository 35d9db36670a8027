"""The Pledge figures of one team or of every team in a force, read in a handful of
queries (one per measure, whatever the number of teams) and graded by app.domain.pledge."""
from collections import defaultdict
from datetime import date

from flask import current_app
from sqlalchemy import select

from app import clock_source
from app.domain import clock, pledge
from app.domain.localtime import to_local
from app.extensions import db
from app.queries import compliance as report
from app.models import (FEEDBACK, MESSAGE, Meeting, Membership, Neighbourhood, PledgeExplanation, Priority,
                        PriorityAction, Team, Update)


def thresholds():
    return current_app.config["PLEDGE_THRESHOLDS"]


def _teams(column, team_ids, force_id):
    if team_ids is not None:
        return column.in_(list(team_ids))
    return column.in_(select(Team.id).join(Neighbourhood).where(Neighbourhood.force_id == force_id))


def lines_by_team(team_ids=None, force_id=None, on=None, now=None):
    """{team_id: [Line, one per measure in pledge.MEASURES]} for the given teams or force,
    over the 12 whole months before `on` (London today), with the teams' explanations."""
    now = now or clock_source.now()
    on = on or to_local(now).date()
    months = pledge.period(on)
    first_day = date(*months[0], 1)
    last_day = pledge.month_end(*months[-1])
    start_utc, end_utc = clock.month_bounds(*months[0])[0], clock.month_bounds(*months[-1])[1]
    limits = thresholds()
    if team_ids is not None:
        ids = list(team_ids)
    else:
        ids = db.session.scalars(select(Team.id).join(Neighbourhood).where(Neighbourhood.force_id == force_id)).all()

    promise = report.promise()
    messages = report.counts_by_month(db.session, months, team_ids, force_id, MESSAGE, promise)
    feedback = report.counts_by_month(db.session, months, team_ids, force_id, FEEDBACK, promise)

    meeting_days = defaultdict(list)
    for team_id, starts_at in db.session.execute(
            select(Meeting.team_id, Meeting.starts_at).where(
                _teams(Meeting.team_id, team_ids, force_id), Meeting.cancelled.is_(False),
                Meeting.starts_at >= start_utc, Meeting.starts_at < min(end_utc, now))):
        meeting_days[team_id].append(to_local(starts_at).date())

    priority_rows = db.session.execute(
        select(Priority.id, Priority.team_id, Priority.agreed_on, Priority.closed_on).where(
            _teams(Priority.team_id, team_ids, force_id), Priority.agreed_on <= last_day,
            Priority.closed_on.is_(None) | (Priority.closed_on > first_day))).all()
    action_days = defaultdict(list)
    for priority_id, taken_on in db.session.execute(
            select(PriorityAction.priority_id, PriorityAction.taken_on).where(
                PriorityAction.priority_id.in_([row.id for row in priority_rows]),
                PriorityAction.taken_on <= last_day)):
        action_days[priority_id].append(taken_on)
    priorities = defaultdict(list)
    for row in priority_rows:
        priorities[row.team_id].append(
            pledge.PriorityFacts(row.agreed_on, row.closed_on, tuple(action_days[row.id])))

    published = defaultdict(list)
    for team_id, day in db.session.execute(
            select(Update.team_id, Update.published_on).where(
                _teams(Update.team_id, team_ids, force_id), Update.published_on >= first_day,
                Update.published_on <= last_day)):
        published[team_id].append(day)

    memberships = defaultdict(list)
    for team_id, started_on, ended_on in db.session.execute(
            select(Membership.team_id, Membership.started_on, Membership.ended_on).where(
                _teams(Membership.team_id, team_ids, force_id), Membership.started_on <= last_day,
                Membership.ended_on.is_(None) | (Membership.ended_on >= first_day))):
        memberships[team_id].append((started_on, ended_on))

    explained = defaultdict(dict)
    for e in db.session.scalars(select(PledgeExplanation).where(
            _teams(PledgeExplanation.team_id, team_ids, force_id), PledgeExplanation.month >= first_day)):
        explained[(e.team_id, e.measure)][f"{e.month:%Y-%m}"] = e.text

    result = {}
    for team_id in ids:
        lines = [
            pledge.ratio_line(pledge.MESSAGES, messages.get(team_id, {}), months, limits[pledge.MESSAGES]),
            pledge.ratio_line(pledge.FEEDBACK, feedback.get(team_id, {}), months, limits[pledge.FEEDBACK]),
            pledge.meetings_line(meeting_days[team_id], on, limits[pledge.MEETINGS]),
            pledge.priorities_line(priorities[team_id], on, limits[pledge.PRIORITIES]),
            pledge.updates_line(published[team_id], on, limits[pledge.UPDATES]),
            pledge.tenure_line(memberships[team_id], on, limits[pledge.TENURE]),
        ]
        result[team_id] = [pledge.with_explanations(line, explained.get((team_id, line.measure), {}))
                           for line in lines]
    return result


def team_lines(team_id, on=None, now=None):
    return lines_by_team(team_ids=[team_id], on=on, now=now)[team_id]
