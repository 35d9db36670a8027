"""Reads for "Have your say": the issues to suggest to a team, its consultations, and their
results (the counting itself is app.domain.consultations)."""
from datetime import timedelta
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from app.domain import consultations as rules
from app.domain.localtime import local_today
from app.extensions import db
from app.models import FEEDBACK, Consultation, ConsultationResponse, Message, Priority, Team
from app.queries import crime as crime_queries
from app.queries import local_reports as report_queries
from app.queries import priorities as priority_queries

RECENT_MESSAGES = timedelta(days=90)
TOP_CRIME_TYPES = 3


def candidate_issues(team: Team, now) -> list[rules.Candidate]:
    """What a new consultation could ask about: the team's current priorities, the themes of
    the messages residents sent in the last 90 days, the problem types residents reported most
    on the map in those 90 days, and the commonest crime types of the latest month imported.
    Each once, in that order."""
    priorities = [rules.Candidate(p.title, "priority", "Current priority")
                  for p in priority_queries.current_priorities(team.id)]
    texts = db.session.execute(
        select(Message.subject, Message.body)
        .where(Message.team_id == team.id, Message.kind != FEEDBACK, Message.received_at >= now - RECENT_MESSAGES)
    ).all()
    themes = [rules.Candidate(theme, "messages", f"In {n} messages in the last 90 days")
              for theme, n in rules.message_themes([f"{subject} {body}" for subject, body in texts])]
    reports = [rules.Candidate(str(label), "reports", f"{n} reported on the map in the last 90 days")
               for kind, label, n in report_queries.top_reported_types(team.id, now - RECENT_MESSAGES, now)
               if kind != "other"]
    crime = []
    month = crime_queries.latest_month()
    if month is not None:
        counts = crime_queries.category_counts(team.neighbourhood_id, month)
        for category, n in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:TOP_CRIME_TYPES]:
            crime.append(rules.Candidate(category, "crime", f"{n} recorded in {month}"))
    return rules.merge_candidates([priorities, themes, reports, crime])


@cache
def _consultations_statement():
    """Built once, with the team as a parameter (the team page reads it on every view)."""
    return (select(Consultation).where(Consultation.team_id == bindparam("team_id"))
            .options(selectinload(Consultation.issues))
            .order_by(Consultation.opens_on.desc(), Consultation.id.desc()))


def consultations(team_id):
    """A team's consultations, newest first, with their issues."""
    return db.session.scalars(_consultations_statement(), {"team_id": team_id}).all()


def open_and_closed(team_id, today):
    """(open consultations, closed ones) of a team, newest first, in one read."""
    found = consultations(team_id)
    return ([c for c in found if c.status(today) == rules.OPEN],
            [c for c in found if c.status(today) == rules.CLOSED])


def consultation(team_id, consultation_id):
    found = db.session.get(Consultation, consultation_id)
    return found if found is not None and found.team_id == team_id else None


def open_consultations(team_id, today):
    return [c for c in consultations(team_id) if c.status(today) == rules.OPEN]


def closed_consultations(team_id, today):
    return [c for c in consultations(team_id) if c.status(today) == rules.CLOSED]


def for_meeting(meeting_id):
    return db.session.scalars(select(Consultation).where(Consultation.meeting_id == meeting_id)
                              .order_by(Consultation.id)).all()


def ballots(consultation_id):
    """The confirmed responses of a consultation as the rules read them."""
    rows = db.session.execute(
        select(ConsultationResponse.id, ConsultationResponse.resident_key, ConsultationResponse.confirmed_at,
               ConsultationResponse.ranking, ConsultationResponse.engagement, ConsultationResponse.channel)
        .where(ConsultationResponse.consultation_id == consultation_id,
               ConsultationResponse.confirmed_at.is_not(None))
    ).all()
    return [rules.Ballot(resident=r.resident_key, confirmed_on=local_today(r.confirmed_at), confirmed_order=r.id,
                         ranking=tuple(r.ranking or ()), engagement=tuple(r.engagement or ()), channel=r.channel)
            for r in rows]


def results(consultation):
    """The results of a consultation (app.domain.consultations.Results)."""
    return rules.results(ballots(consultation.id), [issue.key for issue in consultation.issues],
                         consultation.opens_on, consultation.closes_on, consultation.closed_early_on,
                         consultation.at_meeting)


def something_else_texts(consultation):
    """What counted residents wrote as "something else", for the team (never published)."""
    counted = {b.confirmed_order for b in rules.counted(ballots(consultation.id), consultation.opens_on,
                                                        consultation.closes_on, consultation.closed_early_on)}
    if not counted:
        return []
    return [text for (text,) in db.session.execute(
        select(ConsultationResponse.something_else)
        .where(ConsultationResponse.id.in_(counted), ConsultationResponse.something_else.is_not(None))
        .order_by(ConsultationResponse.id))]


def priorities_from(consultation_id):
    return db.session.scalars(select(Priority).where(Priority.consultation_id == consultation_id)
                              .order_by(Priority.agreed_on)).all()
