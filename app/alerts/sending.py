"""`alerts send`: put each subscriber's due alerts into one email in the outbox.

For every confirmed subscriber not yet emailed today (London), one email holds the
officers' messages they have not had and, when due, the digest of the last complete
period (with, for those who chose it, the crime summary of a month of crime data they
have not had a summary of yet). What went into it is recorded (AlertDelivery) in the same transaction as the
queued email, one subscriber per transaction: a run that stops half-way is run again and
carries on where it stopped, and nothing is queued twice. The outbox then sends.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import delete, func, select

from app.alerts import emails
from app.domain.alerts import digest_key, digest_period, may_email, message_key, message_reaches
from app.domain.crime_summary import summarise, summary_key
from app.domain.months import previous_month
from app.domain.localtime import local_today, london_midnight_utc
from app import clock_source
from app.mail import queue_email
from app.models import (AlertDelivery, AlertMessage, AlertSubscription, Crime, CrimeRelease, Meeting, Priority,
                        PriorityAction, Team, Update)

UNCONFIRMED_KEPT = timedelta(days=7)
MESSAGES_KEPT_FOR = timedelta(days=14)  # a message older than this is news no longer


@dataclass
class Digest:
    priorities: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    page_url: str = ""
    crime: object = None  # a CrimeSummary, when one is due
    crime_url: str = ""

    def __bool__(self):
        return bool(self.priorities or self.updates or self.meetings or self.crime)


@dataclass
class SendReport:
    emails_queued: int = 0
    waiting_for_tomorrow: int = 0
    nothing_to_send: int = 0
    unconfirmed_removed: int = 0


def send_alerts(session, now=None):
    """Queue today's alert emails. Needs an app and request context (for links and text)."""
    now = now or clock_source.now()
    today = local_today(now)
    report = SendReport()
    report.unconfirmed_removed = session.execute(
        delete(AlertSubscription).where(AlertSubscription.confirmed_at.is_(None),
                                        AlertSubscription.created_at < now - UNCONFIRMED_KEPT)
    ).rowcount
    session.commit()

    ids = session.scalars(
        select(AlertSubscription.id).where(AlertSubscription.confirmed_at.is_not(None)).order_by(AlertSubscription.id)
    ).all()
    teams, summaries = {}, {}
    for subscription_id in ids:
        subscription = session.get(AlertSubscription, subscription_id)
        if subscription is None:  # unsubscribed while we ran
            continue
        _send_one(session, subscription, now, today, teams, summaries, report)
        session.commit()
    return report


def _send_one(session, subscription, now, today, teams, summaries, report):
    done = set(session.scalars(select(AlertDelivery.key).where(AlertDelivery.subscription_id == subscription.id)))
    team = teams.get(subscription.neighbourhood_id)
    if team is None:
        team = teams[subscription.neighbourhood_id] = session.scalar(
            select(Team).where(Team.neighbourhood_id == subscription.neighbourhood_id))
    if team is None:
        return

    messages = [
        m for m in session.scalars(
            select(AlertMessage)
            .where(AlertMessage.team_id == team.id, AlertMessage.created_at >= subscription.confirmed_at,
                   AlertMessage.created_at >= now - MESSAGES_KEPT_FOR, AlertMessage.created_at <= now)
            .order_by(AlertMessage.created_at)
        )
        if message_key(m.id) not in done and message_reaches(m.sectors, subscription.sector)
    ]
    period = digest_period(subscription.frequency, today)
    digest_due = digest_key(period) not in done
    if not messages and not digest_due:
        return

    digest = _digest(session, subscription, team, period, now, done, summaries) if digest_due else None
    if not messages and not digest:
        session.add(AlertDelivery(subscription_id=subscription.id, key=digest_key(period), created_at=now))
        report.nothing_to_send += 1
        return
    if not may_email(subscription.last_emailed_on, today):
        report.waiting_for_tomorrow += 1
        return

    with force_locale(subscription.language or "en"):
        subject, body = emails.alert(subscription, team, messages, digest)
    email = queue_email(session, subscription.email, subject, body, kind="alert", subject_id=subscription.id,
                        headers=emails.unsubscribe_headers(subscription), now=now)
    session.flush()
    for m in messages:
        session.add(AlertDelivery(subscription_id=subscription.id, key=message_key(m.id), message_id=m.id,
                                  email_id=email.id, created_at=now))
    if digest_due:
        session.add(AlertDelivery(subscription_id=subscription.id, key=digest_key(period), email_id=email.id,
                                  created_at=now))
    if digest and digest.crime:
        session.add(AlertDelivery(subscription_id=subscription.id, key=summary_key(digest.crime.month),
                                  email_id=email.id, created_at=now))
    subscription.last_emailed_on = today
    report.emails_queued += 1


def _digest(session, subscription, team, period, now, done=frozenset(), summaries=None):
    force_id = team.neighbourhood.force_id
    digest = Digest(page_url=emails.public_url("teams.profile", force_id=force_id,
                                               neighbourhood_id=team.neighbourhood_id))
    if subscription.wants_crime_summary:
        summary = _crime_summary(session, force_id, team.neighbourhood_id, {} if summaries is None else summaries)
        if summary is not None and summary_key(summary.month) not in done:
            digest.crime = summary
            digest.crime_url = emails.public_url("crime.team_crime", force_id=force_id,
                                                 neighbourhood_id=team.neighbourhood_id, month=summary.month)
    # Nothing from before the subscriber joined: they asked for news from then on.
    start = max(period.start, local_today(subscription.confirmed_at))
    if subscription.wants_priorities and start <= period.end:
        for p in session.scalars(select(Priority).where(Priority.team_id == team.id,
                                                        Priority.agreed_on.between(start, period.end))):
            digest.priorities.append(f"{p.title}: {p.description}")
        for action, title in session.execute(
            select(PriorityAction, Priority.title).join(Priority)
            .where(Priority.team_id == team.id, PriorityAction.taken_on.between(start, period.end))
            .order_by(PriorityAction.taken_on)
        ):
            digest.priorities.append(f"{title}: {action.description}")
    if subscription.wants_updates and start <= period.end:
        digest.updates = session.scalars(
            select(Update).where(Update.team_id == team.id, Update.published_on.between(start, period.end))
            .order_by(Update.published_on)
        ).all()
    if subscription.wants_meetings:
        digest.meetings = session.scalars(
            select(Meeting).where(Meeting.team_id == team.id, Meeting.cancelled.is_(False), Meeting.starts_at >= now,
                                  Meeting.starts_at < london_midnight_utc(period.upcoming_until))
            .order_by(Meeting.starts_at)
        ).all()
    return digest


def _crime_summary(session, force_id, neighbourhood_id, summaries):
    """The summary of the force's latest month of crime data for the neighbourhood (None
    without data), computed once per neighbourhood in a run."""
    key = (force_id, neighbourhood_id)
    if key not in summaries:
        months = session.scalars(select(CrimeRelease.month).where(CrimeRelease.force_id == force_id)
                                 .order_by(CrimeRelease.month.desc()).distinct().limit(2)).all()
        if not months:
            summaries[key] = None
            return None
        latest = months[0]
        before = previous_month(latest) if previous_month(latest) in months else None
        counts = {latest: {}, before: {}}
        for month, category, n in session.execute(
            select(Crime.month, Crime.category, func.count())
            .where(Crime.neighbourhood_id == neighbourhood_id, Crime.month.in_([m for m in (latest, before) if m]))
            .group_by(Crime.month, Crime.category)
        ):
            counts[month][category] = n
        summaries[key] = summarise(latest, counts[latest], counts[before] if before else None)
    return summaries[key]


def recipients(session, team, sectors):
    """How many confirmed subscribers a message to these sectors (none: all) would reach."""
    subscribers = session.scalars(
        select(AlertSubscription.sector).where(AlertSubscription.neighbourhood_id == team.neighbourhood_id,
                                               AlertSubscription.confirmed_at.is_not(None))
    ).all()
    return sum(1 for sector in subscribers if message_reaches(sectors, sector))


