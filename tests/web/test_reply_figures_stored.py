"""The reply figures read each message's due time and weekend as stored when it arrived
(migration 0020). They must be the figures the clock's rules give from the messages
themselves (app.domain.clock.figures, the reference the report always had), for messages
that arrive through the inbox service: replies in time, late and never, at weekend edges
either side of the clock changes, closed, reopened and still open; and the Pledge counts
must follow every change at once (nothing is cached)."""
import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.domain import clock as rules
from app.domain import pledge
from app.extensions import db
from app.models import Message
from app.queries import compliance as report
from app.queries import pledge_figures
from app.services import inbox as service
from tests.factories import make_area
from tests.inbox_support import make_user

# London weekends around the clocks going forward (29 March 2026) and back (25 October 2026).
EDGES = [datetime(2026, 3, 27, 23, 59, 59, 999999), datetime(2026, 3, 28, 0, 0), datetime(2026, 3, 29, 0, 59, 59),
         datetime(2026, 3, 29, 1, 0), datetime(2026, 3, 29, 22, 59, 59, 999999), datetime(2026, 3, 29, 23, 0),
         datetime(2026, 10, 23, 22, 59, 59, 999999), datetime(2026, 10, 23, 23, 0), datetime(2026, 10, 25, 0, 30),
         datetime(2026, 10, 25, 1, 30), datetime(2026, 10, 25, 23, 59, 59, 999999), datetime(2026, 10, 26, 0, 0)]


def receive(team, at, contact_by="email"):
    return service.receive(db.session, team, at, name="R", email="r@example.org", phone="0113 000 0000",
                           contact_by=contact_by, subject="s", body="b")


@pytest.fixture
def varied(app_context):
    """Two teams' messages through the service, and `now` with some still inside their 24 hours."""
    chance = random.Random(15)
    teams = [make_area(), make_area(neighbourhood_id="E02002331", name="Leeds 112")]
    officer = make_user("pc@example.org", teams=teams)
    now = datetime(2026, 11, 20, 12, 0)
    start = rules.month_bounds(2026, 3)[0]
    times = EDGES + [start + timedelta(seconds=chance.randrange(int((now - start).total_seconds())))
                     for _ in range(260)]
    times += [now - timedelta(hours=hours) for hours in (1, 23.5, 24, 25)]
    for at in sorted(times):
        message = receive(chance.choice(teams), at, chance.choice(["email", "phone", "both"]))
        roll = chance.random()
        if roll < 0.75:
            # in time, exactly at 24 hours, or late; never before `now`
            wait = chance.choice([timedelta(hours=chance.uniform(0, 23)), timedelta(hours=24),
                                  timedelta(hours=24, microseconds=1), timedelta(hours=chance.uniform(25, 90))])
            if at + wait < now:
                service.reply(db.session, message, officer, "Thank you", at + wait, channel="phone")
                if chance.random() < 0.3:
                    service.reply(db.session, message, officer, "And again", at + wait * 2, channel="phone")
        if chance.random() < 0.6 and at + timedelta(days=4) < now:
            service.close(db.session, message, officer, at + timedelta(days=4))
            if chance.random() < 0.3:
                service.reopen(db.session, message, officer, at + timedelta(days=5))
    db.session.commit()
    return teams, now


def stored_facts(team_id):
    return [(m.received_at, rules.MessageFacts(m.received_at, m.first_human_reply_at, m.closed_at is not None,
                                               m.contact_by != "phone"))
            for m in db.session.scalars(select(Message).where(Message.team_id == team_id))]


def test_each_message_stores_the_due_time_and_weekend_the_clock_gives_at_arrival(varied):
    messages = db.session.scalars(select(Message)).all()
    assert len(messages) > 250
    for message in messages:
        assert message.reply_due_at == rules.deadline(message.received_at, report.promise())
        assert message.received_on_weekend == rules.is_weekend(message.received_at)
    assert {m.received_on_weekend for m in messages if m.received_at in EDGES} == {True, False}


@pytest.mark.parametrize("first, last", [((2026, 3), (2026, 11)), ((2026, 10), (2026, 10)), ((2026, 11), (2026, 11))])
def test_the_report_gives_the_clock_rules_figures_for_varied_messages(varied, first, last):
    teams, now = varied
    start, end = rules.month_bounds(*first)[0], rules.month_bounds(*last)[1]
    got = report.period_report(db.session, start, end, now)
    for team in teams:
        facts = [(received, f) for received, f in stored_facts(team.id) if start <= received < end]
        expected = [rules.figures([f for _r, f in facts], now),
                    rules.figures([f for r, f in facts if not rules.is_weekend(r)], now),
                    rules.figures([f for r, f in facts if rules.is_weekend(r)], now)]
        actual = got[team.id]
        for want, have in zip(expected, [actual.all, actual.weekdays, actual.weekends]):
            assert (have.received, have.answered_in_time, have.still_open, have.receipt_only, have.not_yet_due) == (
                want.received, want.answered_in_time, want.still_open, want.receipt_only, want.not_yet_due)
            for field in ("median_wait", "p90_wait", "longest_wait"):
                # SQLite's date arithmetic keeps milliseconds: the figures agree to the millisecond.
                assert getattr(have, field) == pytest.approx(getattr(want, field), abs=0.002)


def test_the_pledge_counts_by_month_are_the_clock_rules_counts(varied):
    teams, now = varied
    months = pledge.period(now.date())
    got = report.counts_by_month(db.session, months, team_ids=[t.id for t in teams])
    for team in teams:
        expected = {}
        for received, facts in stored_facts(team.id):
            key = next((k for k in months if rules.month_bounds(*k)[0] <= received < rules.month_bounds(*k)[1]), None)
            if key is None:
                continue
            in_time, received_count = expected.get(key, (0, 0))
            answered = facts.first_human_reply_at is not None and \
                facts.first_human_reply_at - facts.received_at <= report.promise()
            expected[key] = (in_time + answered, received_count + 1)
        assert got[team.id] == expected


def test_a_reply_or_a_new_message_changes_the_pledge_figure_at_once(app_context):
    team = make_area()
    officer = make_user("pc@example.org", teams=[team])
    now = datetime(2026, 11, 20, 12, 0)
    message = receive(team, datetime(2026, 10, 6, 9, 0))
    db.session.commit()

    def october():
        line = pledge_figures.team_lines(team.id, now=now)[0]
        return next((m.done, m.total) for m in line.months if m.key == "2026-10")

    assert october() == (0, 1)
    service.reply(db.session, message, officer, "Thank you", datetime(2026, 10, 6, 15, 0), channel="phone")
    db.session.commit()
    assert october() == (1, 1)
    receive(team, datetime(2026, 10, 7, 9, 0))
    db.session.commit()
    assert october() == (1, 2)
