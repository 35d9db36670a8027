"""Confidence figures for the Pledge pages, the open API and the staff area, counted per
team and quarter from the index on confidence_responses and worked out by
app.domain.confidence."""
from collections import defaultdict

from flask import current_app
from sqlalchemy import func, select

from app.domain import confidence as rules
from app.extensions import db
from app.models import ConfidenceResponse, Message, Neighbourhood, Team


def minimum():
    return current_app.config.get("CONFIDENCE_MINIMUM_RESPONSES", rules.MINIMUM_RESPONSES)


def _counts(column, quarters, team_ids=None, force_id=None):
    """{(team_id, quarter_key): {answer: number}} for `column` (agreement or answered)."""
    query = select(ConfidenceResponse.team_id, ConfidenceResponse.quarter, column, func.count()).where(
        ConfidenceResponse.quarter.in_([q.key for q in quarters]), column.is_not(None))
    if team_ids is not None:
        query = query.where(ConfidenceResponse.team_id.in_(list(team_ids)))
    else:
        query = query.where(ConfidenceResponse.team_id.in_(
            select(Team.id).join(Neighbourhood).where(Neighbourhood.force_id == force_id)))
    counts = defaultdict(dict)
    for team_id, quarter, value, number in db.session.execute(
            query.group_by(ConfidenceResponse.team_id, ConfidenceResponse.quarter, column)):
        counts[(team_id, quarter)][value] = number
    return counts


def team_quarters(team_id, today, count=5):
    """The team's figure for the quarter `today` is in (so far) and the ones before it, newest
    first, each with its "did we answer" shares: [(Figure, AnsweredShares)]."""
    quarters = rules.recent_quarters(today, count)
    agreement = _counts(ConfidenceResponse.agreement, quarters, team_ids=[team_id])
    answered = _counts(ConfidenceResponse.answered, quarters, team_ids=[team_id])
    at_least = minimum()
    return [(rules.figure(q, agreement.get((team_id, q.key), {}), at_least),
             rules.answered_shares(answered.get((team_id, q.key), {})))
            for q in reversed(quarters)]


def force_quarters(force_id, today, count=5):
    """The force's teams pooled, per quarter, newest first: (Figure of all their answers,
    {team_id: Figure}) for each quarter."""
    quarters = rules.recent_quarters(today, count)
    agreement = _counts(ConfidenceResponse.agreement, quarters, force_id=force_id)
    at_least = minimum()
    result = []
    for q in reversed(quarters):
        pooled = defaultdict(int)
        by_team = {}
        for (team_id, key), counts in agreement.items():
            if key != q.key:
                continue
            by_team[team_id] = rules.figure(q, counts, at_least)
            for answer, number in counts.items():
                pooled[answer] += number
        result.append((rules.figure(q, pooled, at_least), by_team))
    return result


def review(team_id, quarter, answered=None):
    """The team's answers in a quarter that say whether we answered, with their messages, for
    the sergeant: [(ConfidenceResponse, Message or None)], "no" first, newest first."""
    query = (select(ConfidenceResponse, Message)
             .outerjoin(Message, (ConfidenceResponse.source == rules.MESSAGE)
                        & (Message.id == ConfidenceResponse.source_id) & (Message.team_id == team_id))
             .where(ConfidenceResponse.team_id == team_id, ConfidenceResponse.quarter == quarter.key,
                    ConfidenceResponse.answered.is_not(None)))
    if answered in rules.ANSWERED_CHOICES:
        query = query.where(ConfidenceResponse.answered == answered)
    order = {value: position for position, value in enumerate((rules.NO, rules.PARTLY, rules.YES))}
    rows = db.session.execute(query.order_by(ConfidenceResponse.answered_at.desc())).all()
    return sorted(rows, key=lambda row: order[row[0].answered])
