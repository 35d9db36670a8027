"""Each message stores how long its first human reply took (first_reply_wait_ms, migration
0021), set by the inbox service with the reply. The stored wait must be what the thread
says: the first REPLY entry, never the automatic receipt, an automatic email, a note, an
event or the resident writing again. The report's median, 90th percentile and longest
wait rank those stored waits by the clock's nearest rank (clock.percentile), with numpy on
SQLite and PostgreSQL alike, and follow a reply or the clock at once."""
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import Boolean, DateTime, Integer, String, Text, column, insert, select, table

from app.domain import clock as rules
from app.extensions import db
from app.models.outbox import OutboxEmail
from app.models import Message, ThreadEntry
from app.models.inbox import REPLY
from app.queries import compliance as report
from app.services import inbox as service
from tests.factories import make_area
from tests.inbox_support import make_user

RECEIVED = datetime(2026, 10, 6, 9, 0, 0, 250)


def receive(team, at, contact_by="email"):
    return service.receive(db.session, team, at, name="R", email="r@example.org", phone="0113 000 0000",
                           contact_by=contact_by, subject="s", body="b")


def automatic_email(reference):
    email = EmailMessage()
    email["From"] = "r@example.org"
    email["To"] = f"replies+{reference}@portal.example"
    email["Subject"] = f"Out of office [{reference}]"
    email["Auto-Submitted"] = "auto-replied"
    email["Message-ID"] = "<away@example.org>"
    email.set_content("I am away until Monday.")
    return email


def wait_the_thread_gives(message):
    replies = [entry.created_at for entry in db.session.scalars(
        select(ThreadEntry).where(ThreadEntry.message_id == message.id, ThreadEntry.kind == REPLY))]
    return rules.wait_ms(message.received_at, min(replies)) if replies else None


def test_the_stored_wait_is_the_first_human_reply_and_nothing_automatic_or_internal_counts(app_context):
    team = make_area()
    officer = make_user("pc@example.org", teams=[team])
    message = receive(team, RECEIVED)
    db.session.commit()
    assert db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "message_receipt")) is not None
    assert message.first_reply_wait_ms is None  # the automatic receipt is not a reply

    assert service.attach_inbound(db.session, automatic_email(message.reference), RECEIVED + timedelta(hours=1)) is None
    service.note(db.session, message, officer, "Checked the CCTV", RECEIVED + timedelta(hours=2))
    service.take_ownership(db.session, message, officer, RECEIVED + timedelta(hours=3))
    service.add_from_resident(db.session, message, "Any news?", RECEIVED + timedelta(hours=4))
    db.session.commit()
    assert message.first_reply_wait_ms is None and wait_the_thread_gives(message) is None

    first = RECEIVED + timedelta(hours=30, microseconds=499)  # 29 h 59 min 59.99975 s after: rounds to the ms
    service.reply(db.session, message, officer, "We visited", first, channel="phone")
    service.reply(db.session, message, officer, "And again", first + timedelta(hours=5))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Message, message.id)
    assert stored.first_reply_wait_ms == wait_the_thread_gives(stored) == 30 * 3600 * 1000
    assert stored.first_reply_wait_ms == rules.wait_ms(stored.received_at, stored.first_human_reply_at)


def test_wait_ms_rounds_half_a_millisecond_up():
    received = datetime(2026, 1, 1, 12, 0, 0, 0)
    assert rules.wait_ms(received, received + timedelta(microseconds=499)) == 0
    assert rules.wait_ms(received, received + timedelta(microseconds=500)) == 1
    assert rules.wait_ms(received, received + timedelta(days=2, microseconds=1500)) == 2 * 86_400_000 + 2


@pytest.mark.parametrize("count", [1, 2, 3, 10, 11, 20, 29, 70])
def test_the_reports_percentiles_are_the_clocks_nearest_rank_of_the_stored_waits(app_context, count):
    """70 is where the double 0.9 * 70 is just over 63: nearest rank 64 in Python and in
    PostgreSQL's percentile_disc, and so in the SQLite path."""
    team = make_area()
    officer = make_user("pc@example.org", teams=[team])
    now = datetime(2026, 11, 20, 12, 0)
    start = datetime(2026, 10, 1)
    for i in range(count):
        received = start + timedelta(hours=7 * i, microseconds=137 * i)
        message = receive(team, received)
        if i % 4 != 3:  # a quarter never answered: they wait until `now`
            service.reply(db.session, message, officer, "Thanks", received + timedelta(minutes=(i * 37) % 1500,
                                                                                        microseconds=611 * i))
    db.session.commit()
    figures = report.period_report(db.session, start, now, now)[team.id]
    rows = db.session.execute(select(Message.received_at, Message.first_reply_wait_ms, Message.received_on_weekend)
                              .where(Message.team_id == team.id)).all()
    waits = {"all": [], "weekdays": [], "weekends": []}
    for received, stored, weekend in rows:
        wait = stored if stored is not None else rules.wait_ms(received, now)
        waits["all"].append(wait / 1000)
        waits["weekends" if weekend else "weekdays"].append(wait / 1000)
    for part in ("all", "weekdays", "weekends"):
        have, values = getattr(figures, part), sorted(waits[part])
        assert (have.median_wait, have.p90_wait, have.longest_wait) == (
            rules.percentile(values, 0.5), rules.percentile(values, 0.9), values[-1] if values else None), part
        assert have.received == len(values)


def test_a_reply_and_the_clock_change_the_reports_figures_at_once(app_context):
    team = make_area()
    officer = make_user("pc@example.org", teams=[team])
    start, received = datetime(2026, 10, 1), datetime(2026, 10, 6, 9, 0)
    message = receive(team, received)
    db.session.commit()

    def october(now):
        return report.period_report(db.session, start, datetime(2026, 11, 1), now)[team.id].all

    early = october(received + timedelta(hours=2))
    assert (early.not_yet_due, early.due, early.median_wait) == (1, 0, 7200.0)
    late = october(received + timedelta(hours=30))
    assert (late.not_yet_due, late.due, late.answered_in_time, late.median_wait) == (0, 1, 0, 30 * 3600.0)
    service.reply(db.session, message, officer, "Sorry for the wait", received + timedelta(hours=26))
    db.session.commit()
    answered = october(received + timedelta(hours=30))
    assert (answered.answered_in_time, answered.median_wait, answered.percent_in_time) == (0, 26 * 3600.0, 0.0)


def test_migration_0021_fills_in_each_answered_messages_wait_to_the_millisecond(app_context):
    team_id = make_area().id
    db.session.commit()
    db.session.remove()
    downgrade(revision="0020_message_reply_due")
    old_messages = table("inbox_messages", column("reference", String), column("team_id", Integer),
                         column("kind", String), column("name", String), column("contact_by", String),
                         column("subject", String), column("body", Text), column("urgent", Boolean),
                         column("language", String), column("received_at", DateTime),
                         column("reply_due_at", DateTime), column("received_on_weekend", Boolean),
                         column("first_human_reply_at", DateTime))
    pairs = [(datetime(2026, 3, 28, 23, 59, 59, 999999), datetime(2026, 3, 29, 2, 0, 0, 499)),
             (datetime(2026, 3, 28, 23, 59, 59, 999999), datetime(2026, 3, 29, 2, 0, 0, 500)),
             (datetime(2026, 6, 10, 12, 0, 0, 123456), datetime(2026, 6, 12, 8, 30, 0, 0)),
             (datetime(2026, 10, 24, 23, 0), datetime(2026, 10, 25, 1, 30)),
             (datetime(2026, 10, 24, 23, 0), None),
             (datetime(2028, 2, 28, 23, 59, 59, 500000), datetime(2028, 3, 1, 0, 0, 0, 1))]
    db.session.execute(insert(old_messages), [
        {"reference": f"M{i:08d}", "team_id": team_id, "kind": "message", "name": "R", "contact_by": "email",
         "subject": "s", "body": "b", "urgent": False, "language": "en", "received_at": received,
         "reply_due_at": received + timedelta(hours=24), "received_on_weekend": rules.is_weekend(received),
         "first_human_reply_at": replied} for i, (received, replied) in enumerate(pairs)])
    db.session.commit()
    db.session.remove()
    upgrade()
    stored = db.session.execute(select(Message.received_at, Message.first_human_reply_at,
                                       Message.first_reply_wait_ms)).all()
    assert sorted(stored, key=lambda row: (row[0], row[1] or row[0])) == sorted(
        [(received, replied, None if replied is None else rules.wait_ms(received, replied))
         for received, replied in pairs], key=lambda row: (row[0], row[1] or row[0]))
    db.session.remove()
    downgrade(revision="0020_message_reply_due")
    upgrade()


def test_the_whole_year_of_every_team_gives_the_clocks_figures_and_follows_a_reply_not_yet_committed(app_context):
    """A year of all teams is read team by team (on PostgreSQL as two halves of the teams at
    once): each team's figures are the clock's whichever half it is in, and a reply the session
    has written but not committed counts at once."""
    teams = [make_area(neighbourhood_id=f"E0200{n:04d}", name=f"Leeds {n}") for n in range(5)]
    officer = make_user("pc@example.org", teams=teams)
    start, end, now = datetime(2025, 12, 1), datetime(2026, 12, 1), datetime(2026, 11, 30, 12, 0)
    waiting = []
    for index, team in enumerate(teams):
        for day in range(index + 2):
            message = receive(team, datetime(2026, 1 + day, 5 + index, 9, 0))
            if day % 2:
                service.reply(db.session, message, officer, "Thank you", message.received_at + timedelta(hours=day))
            else:
                waiting.append(message)
    db.session.commit()

    def year():
        return report.period_report(db.session, start, end, now)

    def expected(team):
        messages = db.session.scalars(select(Message).where(Message.team_id == team.id))
        waits = sorted((m.first_reply_wait_ms if m.first_reply_wait_ms is not None
                        else rules.wait_ms(m.received_at, now)) / 1000 for m in messages)
        return len(waits), rules.percentile(waits, 0.5), rules.percentile(waits, 0.9), waits[-1]

    figures = year()
    assert sorted(figures) == sorted(team.id for team in teams)
    for team in teams:
        have = figures[team.id].all
        assert (have.received, have.median_wait, have.p90_wait, have.longest_wait) == expected(team)

    last = waiting[-1]
    service.reply(db.session, last, officer, "Sorry for the wait", last.received_at + timedelta(hours=3))
    db.session.flush()  # written in the session's transaction, not committed
    replied = year()[last.team_id].all
    assert (replied.received, replied.median_wait, replied.p90_wait, replied.longest_wait) == expected(
        db.session.get(Message, last.id).team)
    assert replied.answered_in_time == figures[last.team_id].all.answered_in_time + 1
    db.session.rollback()
    assert year()[last.team_id].all == figures[last.team_id].all
