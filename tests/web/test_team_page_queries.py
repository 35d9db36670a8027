"""The team page reads a fixed number of queries, however much the team has published:
more officers, meetings, priorities, actions, updates, messages or bordering teams never add
a query."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import Meeting, Message, Priority, PriorityAction, Update
from tests.factories import add_officer, add_station, make_area
from tests.inbox_support import clock  # noqa: F401

TEAM_PAGE = "/teams/west-yorkshire/E02002330"


@pytest.fixture
def team(app_context):
    team = make_area()
    add_station(team)
    return team


def publish(team, now, numbers):
    """One of everything per number in `numbers`: everything a full team page shows, spread over the last and next months."""
    for n in numbers:
        add_officer(team, name=f"Officer {n} {team.id}", role=["Sergeant", "PC", "PCSO"][n % 3],
                    started_on=date(2020 + n % 5, 1, 1))
        db.session.add(Meeting(team=team, kind="pact", title=f"PACT {n}", venue="Hall", purpose="Priorities",
                               starts_at=now + timedelta(days=7 * n + 3)))
        db.session.add(Meeting(team=team, kind="pact", title=f"Held {n}", venue="Hall", purpose="Priorities",
                               starts_at=now - timedelta(days=25 * n + 3), minutes="Minutes"))
        priority = Priority(team=team, title=f"Priority {n}", description="Speeding on Main Street",
                            agreed_on=date(2026, 9, 1) - timedelta(days=n))
        priority.actions = [PriorityAction(taken_on=date(2026, 10, 1) + timedelta(days=a), description=f"Action {a}")
                            for a in range(n + 1)]
        db.session.add(priority)
        db.session.add(Update(team=team, published_on=date(2026, 11, 1) - timedelta(days=n), you_said="Said",
                              we_did="Did"))
        received = now - timedelta(days=30 + 9 * n)
        db.session.add(Message(reference=f"Q{team.id:04d}{n:06d}", team=team, kind="message", name="R",
                               email="r@example.org", contact_by="email", subject="s", body="b",
                               received_at=received, first_human_reply_at=received + timedelta(hours=n)))
    db.session.commit()


def queries_for(client, url):
    statements = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    db.session.expunge_all()  # the request shares the test's session: it must load, as a fresh one would
    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return response.get_data(as_text=True), statements


def test_the_team_page_reads_as_many_queries_with_a_full_page_as_with_a_little(client, team, clock):
    from tests.factories import SQUARE

    publish(team, clock.now, range(1))
    client.get(TEAM_PAGE)  # the first request of a process loads what every later one shares
    page, few = queries_for(client, TEAM_PAGE)
    assert "Officer 0" in page and "Priority 0" in page
    publish(team, clock.now, range(1, 12))
    for n, (east, north) in enumerate([(0.03, 0), (-0.03, 0), (0, 0.02), (0, -0.02)]):  # four neighbours
        moved = {"type": "Polygon", "coordinates": [[[x + east, y + north] for x, y in SQUARE["coordinates"][0]]]}
        make_area(neighbourhood_id=f"E0200240{n}", name=f"Leeds {200 + n}", geometry=moved)
    page, many = queries_for(client, TEAM_PAGE)
    assert "Officer 11" in page and "Priority 11" in page and "PACT 11" in page and "Leeds 203" in page
    assert len(many) == len(few), "\n".join(many)
