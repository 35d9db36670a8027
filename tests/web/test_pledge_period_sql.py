"""The force table's meetings, posts and priorities counted in SQL (app.queries.pledge_period)
give, month by month, what the domain's rules give (app.domain.pledge) for the same rows: on
varied data crowded around London month ends, the clocks changing in March and October, and
the very instants where a rule turns (a meeting advertised exactly 7 days ahead, recorded
exactly 14 days after, a post written a microsecond before London midnight), and on SQLite
with the whole-second instants migration 0013 back-filled."""
import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from app.domain import pledge
from app.domain.localtime import local_date, london_midnight_utc
from app.domain.months import month_bounds
from app.extensions import db
from app.models import (FEEDBACK, MESSAGE, Abstraction, Meeting, Membership, Message, Officer, Priority,
                        PriorityAction, Update, VisibleTimeReturn)
from app.queries import pledge_figures, pledge_period
from tests.factories import make_area

NOW = datetime(2026, 11, 20, 12, 0)  # the period: November 2025 to October 2026
MONTHS = pledge.period(local_date(NOW))
NOTICE, RECORD_WITHIN = timedelta(days=7), timedelta(days=14)
TINY = timedelta(microseconds=1)
# The clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
CLOCK_CHANGES = [datetime(2026, 3, 29, 1), datetime(2026, 10, 25, 1)]


def turning_instants():
    """London midnights at the start of each month (23:00 UTC in summer), the clocks changing,
    and NOW, each with the instants either side of it."""
    points = [month_bounds(*key)[0] for key in MONTHS] + [month_bounds(*MONTHS[-1])[1]] + CLOCK_CHANGES + [NOW]
    return [point + offset for point in points
            for offset in (timedelta(0), TINY, -TINY, timedelta(hours=1), -timedelta(hours=1), timedelta(seconds=1))]


def an_instant(chance):
    if chance.random() < 0.6:
        return chance.choice(turning_instants())
    start = month_bounds(*MONTHS[0])[0] - timedelta(days=40)
    return start + timedelta(seconds=chance.randrange(int((NOW - start).total_seconds()) + 86400 * 20),
                             microseconds=chance.choice([0, 0, 1, 999_999]))


def a_day(chance):
    """A day near a month's end or first day, or any day from October 2025 to December 2026."""
    if chance.random() < 0.6:
        first = date(*chance.choice(MONTHS), 1)
        return first + timedelta(days=chance.choice([-32, -31, -30, -29, -28, -4, -3, -2, -1, 0, 1, 27, 28, 29, 30]))
    return date(2025, 10, 1) + timedelta(days=chance.randrange(450))


def written_on(chance, day):
    """When something dated `day` was written: that London day (at its first or last
    microsecond, or noon), before it, or after."""
    midnight = london_midnight_utc(day)
    return chance.choice([midnight, midnight + timedelta(days=1) - TINY, midnight + timedelta(hours=12),
                          midnight - TINY, midnight + timedelta(days=chance.randint(1, 45)), an_instant(chance)])


def add_meetings(chance, team_id, count):
    for _ in range(count):
        starts = an_instant(chance)
        db.session.add(Meeting(
            team_id=team_id, kind="pact", title="PACT", venue="Hall", purpose="p", duration_minutes=60,
            cancelled=chance.random() < 0.1, starts_at=starts,
            published_at=starts - NOTICE + chance.choice([timedelta(0), TINY, -TINY, timedelta(days=-20),
                                                          timedelta(days=2)]),
            recorded_at=chance.choice([None, starts, starts - TINY, starts + RECORD_WITHIN,
                                       starts + RECORD_WITHIN + TINY, starts + timedelta(days=1), NOW, NOW + TINY,
                                       starts + timedelta(hours=chance.randint(1, 400))])))


def add_posts(chance, team_id, count):
    for _ in range(count):
        day = a_day(chance)
        db.session.add(Update(team_id=team_id, published_on=day, you_said="y", we_did="w", resident_consent=False,
                              created_at=written_on(chance, day)))


def add_priorities(chance, team_id, count):
    for _ in range(count):
        agreed = a_day(chance)
        closed = chance.choice([None, None, a_day(chance)])
        priority = Priority(team_id=team_id, title="P", description="d", agreed_on=agreed,
                            closed_on=closed if closed is None or closed > agreed else None)
        db.session.add(priority)
        db.session.flush()
        for _ in range(chance.randint(0, 6)):
            taken = chance.choice([a_day(chance), agreed + timedelta(days=chance.randint(0, 120))])
            db.session.add(PriorityAction(priority_id=priority.id, description="a", taken_on=taken,
                                          created_at=written_on(chance, taken)))


def add_messages_and_officers(chance, team, count):
    """Messages and feedback crowded around month ends and the clock changes, answered just in
    time, just late or not at all, the feedback taken through the dissatisfaction route or not;
    officers joining and leaving, time away and months of visible time confirmed."""
    for index in range(count):
        received = an_instant(chance)
        replied = chance.choice([None, timedelta(hours=24), timedelta(hours=24) + TINY, timedelta(hours=2),
                                 timedelta(hours=chance.randint(25, 90))])
        kind = FEEDBACK if chance.random() < 0.3 else MESSAGE
        route = {"contact_offered_at": chance.choice([None, received + timedelta(days=chance.randint(0, 9))]),
                 "plan_agreed_at": chance.choice([None, received + timedelta(days=chance.randint(1, 20))]),
                 "plan_due_on": chance.choice([None, (received + timedelta(days=chance.randint(5, 40))).date()]),
                 "outcome_at": chance.choice([None, received + timedelta(days=chance.randint(5, 50))])}
        db.session.add(Message(team_id=team.id, kind=kind, reference=f"P{team.id:04d}-{index:05d}",
                               name="R", email="r@example.org", contact_by="email", subject="s", body="b",
                               received_at=received,
                               first_human_reply_at=None if replied is None else received + replied,
                               **(route if kind == FEEDBACK else {})))
    for number in range(chance.randint(0, 6)):
        started = a_day(chance) - timedelta(days=chance.choice([0, 0, 400, 900]))
        officer = Officer(force_id=team.neighbourhood.force_id, name=f"Officer {number}", role="PCSO")
        ended = chance.choice([None, None, started + timedelta(days=chance.randint(0, 300))])
        db.session.add(Membership(officer=officer, team=team, started_on=started, ended_on=ended))
        db.session.flush()
        for _ in range(chance.randint(0, 3)):
            away = a_day(chance)
            db.session.add(Abstraction(team_id=team.id, officer_id=officer.id, reason="court", starts_on=away,
                                       ends_on=away + timedelta(days=chance.randint(0, 6)),
                                       shifts=chance.choice([None, 1]), created_at=NOW))
    for key in chance.sample(MONTHS, chance.choice([0, 3, 12])):
        db.session.add(VisibleTimeReturn(team_id=team.id, month=date(*key, 1), created_at=NOW))


def as_back_filled():
    """On SQLite, whole-second instants as migration 0013's datetime() wrote them (no fraction)."""
    if db.session.get_bind().dialect.name != "sqlite":
        return
    for table, column in (("meetings", "published_at"), ("meetings", "recorded_at"), ("updates", "created_at"),
                          ("priority_actions", "created_at")):
        db.session.execute(text(f"UPDATE {table} SET {column} = substr({column}, 1, 19) "
                                f"WHERE {column} LIKE '%.000000' AND id % 2 = 0"))
    db.session.commit()
    assert db.session.scalar(text("SELECT count(*) FROM meetings WHERE length(published_at) = 19"))


@pytest.fixture
def teams(app_context):
    chance = random.Random(2026)
    teams = [make_area(neighbourhood_id=f"E0200250{i}", name=f"Leeds {i}") for i in range(6)]
    for team in teams:
        add_meetings(chance, team.id, chance.randint(0, 60))
        add_posts(chance, team.id, chance.randint(0, 40))
        add_priorities(chance, team.id, chance.randint(0, 8))
        add_messages_and_officers(chance, team, chance.randint(0, 90))
    teams.append(make_area(neighbourhood_id="E02002509", name="Leeds with nothing yet"))
    db.session.commit()
    as_back_filled()
    db.session.expire_all()
    return teams


def meeting_facts(team_id):
    return [pledge.MeetingFacts(m.starts_at, m.published_at, m.recorded_at, m.cancelled)
            for m in db.session.scalars(select(Meeting).where(Meeting.team_id == team_id))]


def test_months_with_a_meeting_held_are_those_of_the_domain(teams):
    held_anywhere = 0
    for key in MONTHS:
        counted = pledge_period.meeting_months(db.session, [key], NOW, NOTICE, RECORD_WITHIN,
                                               team_ids=[t.id for t in teams])
        for team in teams:
            line = pledge.meetings_line(meeting_facts(team.id), NOW, {}, NOTICE, RECORD_WITHIN)
            month = next(m for m in line.months if (m.year, m.month) == key)
            assert counted.get(team.id, 0) == (1 if month.value else 0), (team.id, key)
            held_anywhere += counted.get(team.id, 0)
    assert held_anywhere  # the data holds meetings that count, not only ones that do not
    whole = pledge_period.meeting_months(db.session, MONTHS, NOW, NOTICE, RECORD_WITHIN, force_id="west-yorkshire")
    for team in teams:
        line = pledge.meetings_line(meeting_facts(team.id), NOW, {}, NOTICE, RECORD_WITHIN)
        assert whole.get(team.id, 0) == sum(1 for m in line.months if m.value)


def test_months_with_a_post_are_those_of_the_domain(teams):
    def days_counted(team_id):
        return [pledge.counted_on(u.published_on, local_date(u.created_at))
                for u in db.session.scalars(select(Update).where(Update.team_id == team_id))]

    for key in MONTHS:
        counted = pledge_period.post_months(db.session, [key], team_ids=[t.id for t in teams])
        for team in teams:
            line = pledge.updates_line(days_counted(team.id), local_date(NOW), {})
            month = next(m for m in line.months if (m.year, m.month) == key)
            assert counted.get(team.id, 0) == (1 if month.value else 0), (team.id, key)
    whole = pledge_period.post_months(db.session, MONTHS, force_id="west-yorkshire")
    for team in teams:
        line = pledge.updates_line(days_counted(team.id), local_date(NOW), {})
        assert whole.get(team.id, 0) == sum(1 for m in line.months if m.value)
    assert 0 < sum(whole.values()) < 12 * len(teams)


def test_fresh_and_current_priorities_are_those_of_the_domain(teams):
    def facts(team_id):
        return [pledge.PriorityFacts(p.agreed_on, p.closed_on, tuple(
            pledge.counted_on(a.taken_on, local_date(a.created_at)) for a in p.actions))
            for p in db.session.scalars(select(Priority).where(Priority.team_id == team_id))]

    fresh_anywhere = stale_anywhere = 0
    for key in MONTHS:
        counted = pledge_period.priority_counts(db.session, [key], team_ids=[t.id for t in teams])
        for team in teams:
            expected = pledge.priority_counts(facts(team.id), [key])[key]
            assert counted.get(team.id, (0, 0)) == expected, (team.id, key)
            fresh_anywhere += expected[0]
            stale_anywhere += expected[1] - expected[0]
    assert fresh_anywhere and stale_anywhere
    whole = pledge_period.priority_counts(db.session, MONTHS, force_id="west-yorkshire")
    for team in teams:
        by_month = pledge.priority_counts(facts(team.id), MONTHS)
        assert whole.get(team.id, (0, 0)) == tuple(map(sum, zip(*by_month.values())))


def test_fresh_and_current_priorities_month_by_month_are_those_of_the_domain(teams):
    """The force's JSON reads each month's counts from one statement over the whole period."""
    def facts(team_id):
        return [pledge.PriorityFacts(p.agreed_on, p.closed_on, tuple(
            pledge.counted_on(a.taken_on, local_date(a.created_at)) for a in p.actions))
            for p in db.session.scalars(select(Priority).where(Priority.team_id == team_id))]

    by_month = pledge_period.priority_counts_by_month(db.session, MONTHS, force_id="west-yorkshire")
    changing = 0
    for team in teams:
        expected = pledge.priority_counts(facts(team.id), MONTHS)
        assert by_month.get(team.id, {key: (0, 0) for key in MONTHS}) == expected, team.id
        changing += len(set(expected.values())) > 2
    assert changing >= 2  # teams whose counts differ from month to month, not the same every month
    assert by_month.keys() < {team.id for team in teams}  # a team with no priorities is left out


def test_a_meeting_exactly_on_each_limit_counts_and_a_microsecond_past_it_does_not(app_context):
    team = make_area()
    starts = datetime(2026, 3, 29, 0, 59, 59, 999_999)  # the last microsecond before the clocks go forward
    results = []
    for published, recorded in ((starts - NOTICE, starts + RECORD_WITHIN),
                                (starts - NOTICE + TINY, starts + timedelta(days=1)),
                                (starts - NOTICE, starts + RECORD_WITHIN + TINY), (starts - NOTICE, starts - TINY)):
        db.session.query(Meeting).delete()
        db.session.add(Meeting(team_id=team.id, kind="pact", title="PACT", venue="Hall", purpose="p",
                               starts_at=starts, published_at=published, recorded_at=recorded))
        db.session.commit()
        held = pledge.meeting_counts_as_held(pledge.MeetingFacts(starts, published, recorded), NOW, NOTICE,
                                             RECORD_WITHIN)
        assert pledge_period.meeting_months(db.session, MONTHS, NOW, NOTICE, RECORD_WITHIN,
                                            team_ids=[team.id]).get(team.id, 0) == int(held)
        results.append(held)
    assert results == [True, False, False, False]


def test_a_meeting_counts_only_once_recorded_by_now(app_context):
    team = make_area()
    now = datetime(2026, 11, 3, 9, 0)  # two days into November: October's record may still come
    starts = datetime(2026, 10, 31, 18, 0)
    for recorded, held in ((now, True), (now + TINY, False)):
        db.session.query(Meeting).delete()
        db.session.add(Meeting(team_id=team.id, kind="pact", title="PACT", venue="Hall", purpose="p",
                               starts_at=starts, published_at=starts - NOTICE, recorded_at=recorded))
        db.session.commit()
        assert pledge.meeting_counts_as_held(pledge.MeetingFacts(starts, starts - NOTICE, recorded), now, NOTICE,
                                             RECORD_WITHIN) is held
        months = pledge.period(local_date(now))
        assert pledge_period.meeting_months(db.session, months, now, NOTICE, RECORD_WITHIN,
                                            team_ids=[team.id]).get(team.id, 0) == int(held)


def test_the_force_table_gives_each_team_the_figures_of_its_own_page_on_this_data(teams):
    """The same data through the pages' own reads: the force table (SQL) and each team's page
    (the domain's month-by-month lines) give every measure the same value and grade."""
    force = pledge_figures.lines_by_team(force_id="west-yorkshire", now=NOW, notes=False, monthly=False)
    for team in teams:
        page = pledge_figures.team_lines(team.id, now=NOW)
        assert [(line.measure, line.value, line.grade) for line in force[team.id]] == [
            (line.measure, line.value, line.grade) for line in page]
    measured = {line.measure for lines in force.values() for line in lines if line.value}
    assert {pledge.MEETINGS, pledge.UPDATES, pledge.PRIORITIES} <= measured


def test_the_force_json_gives_each_team_the_figures_and_tally_of_its_own_json_on_this_data(app, teams):
    """The force's JSON (lines without months, counted in SQL) and each team's own JSON (the
    domain's month-by-month lines) give every measure the same value, grade, months measured
    and months met; through the API, each team's entry is its own JSON less the months."""
    force = pledge_figures.lines_by_team(force_id="west-yorkshire", now=NOW, notes=False, monthly=False, tally=True)
    tallied = set()
    for team in teams:
        own = pledge_figures.team_lines(team.id, now=NOW)
        assert [(line.measure, line.value, line.grade, line.months_measured, line.months_met)
                for line in force[team.id]] == [
            (line.measure, line.value, line.grade, line.months_measured, line.months_met) for line in own]
        tallied |= {line.measure for line in own if 0 < line.months_met < line.months_measured}
    assert tallied >= {pledge.MESSAGES, pledge.FEEDBACK, pledge.FOLLOW_UP, pledge.MEETINGS, pledge.PRIORITIES,
                       pledge.UPDATES}

    app.config["CLOCK"] = lambda: NOW
    try:
        client = app.test_client()
        body = client.get("/api/west-yorkshire/performance").get_json()
        assert [row["neighbourhood"] for row in body["teams"]] == [
            t.neighbourhood_id for t in sorted(teams, key=lambda t: t.name)]
        for row in body["teams"]:
            own = client.get(f"/api/west-yorkshire/{row['neighbourhood']}/performance").get_json()
            assert row["measures"] == [{name: value for name, value in measure.items() if name != "months"}
                                       for measure in own["measures"]]
            assert (body["period"], body["thresholds"]) == (own["period"], own["thresholds"])
    finally:
        app.config.pop("CLOCK", None)
