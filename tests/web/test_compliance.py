"""Compliance per team and month: one SQL query that agrees with the clock's own figures,
shown to staff with CSV and to the public in plain words."""
import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert

from app.domain import clock as rules
from app.extensions import db
from app.queries import compliance as report
from app.services import inbox as service
from app.models import Message
from tests.factories import make_area
from tests.inbox_support import clock, make_user, sign_in  # noqa: F401


@pytest.fixture
def team(app_context):
    return make_area()


def add(team_id, received_at, replied_after=None, closed=False, contact_by="email", kind="message"):
    db.session.execute(insert(Message), [{
        "reference": service.new_reference(), "team_id": team_id, "kind": kind, "name": "R", "email": "r@example.org",
        "contact_by": contact_by, "subject": "s", "body": "b", "urgent": False, "received_at": received_at,
        "first_human_reply_at": received_at + replied_after if replied_after is not None else None,
        "closed_at": received_at + timedelta(days=3) if closed else None}])


def test_the_sql_report_agrees_with_the_clock_rules_for_random_messages(team):
    other = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    chance = random.Random(4)
    now = datetime(2026, 11, 29, 12, 0)  # the month in progress: some messages still have time left
    start, end = rules.month_bounds(2026, 11)
    facts = {team.id: [], other.id: []}
    for _ in range(300):
        team_id = chance.choice([team.id, other.id])
        received = start + timedelta(seconds=chance.randrange(int((end - start).total_seconds())))
        replied = chance.choice([None, timedelta(hours=chance.uniform(0, 60)), timedelta(hours=24)])
        closed, by = chance.random() < 0.3, chance.choice(["email", "phone", "both"])
        add(team_id, received, replied, closed, by)
        facts[team_id].append((received, rules.MessageFacts(received, received + replied if replied is not None else None,
                                                            closed, by != "phone")))
    add(team.id, end + timedelta(minutes=1))  # next month: not counted
    add(team.id, start + timedelta(days=1), kind="feedback")  # feedback is reported apart
    db.session.commit()
    result = report.monthly_report(db.session, 2026, 11, now)
    for team_id, rows in facts.items():
        expected_all = rules.figures([f for _, f in rows], now)
        expected_weekend = rules.figures([f for r, f in rows if rules.is_weekend(r)], now)
        expected_weekday = rules.figures([f for r, f in rows if not rules.is_weekend(r)], now)
        got = result[team_id]
        for expected, actual in [(expected_all, got.all), (expected_weekend, got.weekends),
                                 (expected_weekday, got.weekdays)]:
            assert (actual.received, actual.answered_in_time, actual.still_open, actual.receipt_only,
                    actual.not_yet_due) == (expected.received, expected.answered_in_time, expected.still_open,
                                            expected.receipt_only, expected.not_yet_due)
            for field in ("median_wait", "p90_wait", "longest_wait"):
                assert getattr(actual, field) == pytest.approx(getattr(expected, field), abs=0.01)


def test_the_month_in_progress_counts_messages_still_inside_their_24_hours_as_not_yet_due(client, team, clock):
    officer = make_user("pc@example.org", teams=[team])
    for days_ago in (2, 3, 4, 5):
        add(team.id, clock.now - timedelta(days=days_ago), timedelta(hours=3))  # answered in time
    add(team.id, clock.now - timedelta(days=3))  # never answered: late
    add(team.id, clock.now - timedelta(days=2), timedelta(hours=30))  # answered late
    for hours_ago in (1, 5, 23):
        add(team.id, clock.now - timedelta(hours=hours_ago))  # time still left
    db.session.commit()
    figures = report.monthly_report(db.session, 2026, 11, clock.now)[team.id].all
    assert (figures.received, figures.not_yet_due, figures.due, figures.answered_in_time) == (9, 3, 6, 4)
    assert figures.percent_in_time == 66.7
    sign_in(client, officer)
    page = client.get("/staff/inbox/compliance?month=2026-11").get_data(as_text=True)
    assert "Answered 4 of 6 due within 24 hours. 3 more received are not yet due" in page


def test_a_report_over_months_and_clock_changes_agrees_with_the_clock_rules(team):
    # Messages at and around London midnights on weekend edges, in summer and winter time,
    # plus random ones: each must land in the same part of the week as the clock says.
    chance = random.Random(9)
    now = datetime(2027, 1, 5, 12, 0)
    start, end = rules.month_bounds(2026, 3)[0], rules.month_bounds(2026, 11)[1]
    edges = [edge for span in rules.weekend_spans(start, end) for edge in span]
    times = [edge + timedelta(microseconds=shift) for edge in edges for shift in (-1, 0, 1)]
    times += [start + timedelta(seconds=chance.randrange(int((end - start).total_seconds()))) for _ in range(200)]
    facts = []
    for received in times:
        if not start <= received < end:
            continue
        replied = chance.choice([None, timedelta(hours=chance.uniform(0, 60))])
        add(team.id, received, replied)
        facts.append((received, rules.MessageFacts(received, received + replied if replied is not None else None)))
    db.session.commit()
    got = report.period_report(db.session, start, end, now)[team.id]
    for expected, actual in [(rules.figures([f for _, f in facts], now), got.all),
                             (rules.figures([f for r, f in facts if rules.is_weekend(r)], now), got.weekends),
                             (rules.figures([f for r, f in facts if not rules.is_weekend(r)], now), got.weekdays)]:
        assert (actual.received, actual.answered_in_time) == (expected.received, expected.answered_in_time)
        for field in ("median_wait", "p90_wait", "longest_wait"):
            assert getattr(actual, field) == pytest.approx(getattr(expected, field), abs=0.01)


def test_a_reply_exactly_at_24_hours_is_in_time(team):
    add(team.id, datetime(2026, 11, 10, 9, 0, 0, 123456), timedelta(hours=24))
    db.session.commit()
    figures = report.monthly_report(db.session, 2026, 11, datetime(2026, 12, 1))[team.id].all
    assert figures.answered_in_time == 1


def test_staff_see_their_teams_figures_and_can_download_csv(client, team, clock):
    other = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    officer = make_user("pc@example.org", teams=[team])
    add(team.id, clock.now - timedelta(days=1), timedelta(hours=2))
    add(team.id, clock.now - timedelta(days=2))
    add(other.id, clock.now - timedelta(days=1))
    db.session.commit()
    sign_in(client, officer)
    page = client.get("/staff/inbox/compliance?month=2026-11").get_data(as_text=True)
    assert "Answered 1 of 2 due within 24 hours." in page and "Leeds 112" not in page
    csv_text = client.get("/staff/inbox/compliance.csv?month=2026-11").get_data(as_text=True)
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("month,team_id,team,days,received")
    assert lines[1].startswith(f"2026-11,{team.id},Leeds 111 Neighbourhood Policing Team,all,2,1,50.0,2.00,")
    assert len(lines) == 4  # all, weekdays, weekends of one team


def test_the_public_page_states_the_last_three_months_in_plain_words(client, team, clock):
    for days_ago, replied in [(20, timedelta(hours=3)), (21, timedelta(hours=30)), (22, timedelta(hours=1))]:
        add(team.id, datetime(2026, 10, 31) - timedelta(days=days_ago), replied)
    db.session.commit()
    page = client.get("/teams/west-yorkshire/E02002330").get_data(as_text=True)
    assert "October 2026: answered 2 of 3 messages within 24 hours." in page
    assert "September 2026: no messages received." in page and "August 2026" in page


def test_counts_by_month_put_each_message_in_its_london_month_and_skip_months_not_asked_for(team):
    # 23:30 UTC on 31 August is already September in London (summer time); October is not asked for.
    add(team.id, datetime(2026, 8, 31, 23, 30), timedelta(hours=2))
    add(team.id, datetime(2026, 8, 31, 22, 59), timedelta(hours=30))
    add(team.id, datetime(2026, 10, 15, 12, 0), timedelta(hours=1))
    add(team.id, datetime(2026, 11, 30, 23, 59), timedelta(hours=1))
    add(team.id, datetime(2026, 12, 1, 0, 0))
    db.session.commit()
    counts = report.counts_by_month(db.session, [(2026, 8), (2026, 9), (2026, 11)], team_ids=[team.id])
    assert counts[team.id] == {(2026, 8): (0, 1), (2026, 9): (1, 1), (2026, 11): (1, 1)}


def test_counts_by_month_of_both_kinds_count_each_kind_in_its_months_and_refuse_more_months_than_they_tell_apart(
        team):
    # Each message travels as one letter for its month and whether it was answered in time.
    months = [(2024 + (6 + n) // 12, (6 + n) % 12 + 1) for n in range(30)]  # July 2024 to December 2026
    add(team.id, datetime(2024, 7, 1, 0, 0), timedelta(hours=24))  # answered at the very last moment
    add(team.id, datetime(2024, 6, 30, 22, 59, 59), timedelta(hours=1))  # June in London: not asked for
    add(team.id, datetime(2026, 11, 30, 23, 59), timedelta(hours=24, microseconds=1), kind="feedback")
    add(team.id, datetime(2026, 11, 30, 12, 0), kind="feedback")
    db.session.commit()
    counts = report.counts_by_month_of_kinds(db.session, months, ("message", "feedback"), force_id="west-yorkshire")
    assert counts == {"message": {team.id: {(2024, 7): (1, 1)}}, "feedback": {team.id: {(2026, 11): (0, 2)}}}
    # Messages between the months asked for, answered late or in time, count in none of them.
    add(team.id, datetime(2026, 9, 15, 9, 0), timedelta(hours=30))
    add(team.id, datetime(2026, 10, 15, 9, 0), timedelta(hours=1))
    add(team.id, datetime(2026, 8, 15, 9, 0))
    db.session.commit()
    assert report.counts_by_month(db.session, [(2024, 7), (2026, 8), (2026, 11)], team_ids=[team.id]) == {
        team.id: {(2024, 7): (1, 1), (2026, 8): (0, 1)}}
    with pytest.raises(ValueError, match="at most 30 months"):
        report.counts_by_month(db.session, [*months, (2027, 1)], team_ids=[team.id])
