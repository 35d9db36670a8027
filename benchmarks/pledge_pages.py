"""Benchmark the Pledge pages: a force of 700 teams (West Yorkshire size) within a national
database of 7,201 teams, 1,000,000 messages over 12 months, and meetings, priorities with
actions, "You said – We did" posts and officers for every team.

    python benchmarks/pledge_pages.py                      # SQLite file in /tmp
    BENCH_REUSE=1 python benchmarks/pledge_pages.py        # time again without rebuilding
    BENCH_GC_FREEZE=1 BENCH_REUSE=1 python benchmarks/pledge_pages.py   # gc.freeze() after create_app,
        # as gunicorn's post_fork does in deploy/gunicorn.conf.py (print both: with and without)
    DATABASE_URL=postgresql://postgres@127.0.0.1:5433/bench python benchmarks/pledge_pages.py

The database is emptied and migrated first (do not point it at real data). Prints the time
of whole requests through the app (query, grading, template): the force page sorted by name
and by a measure, a later page, the force's JSON, and one team's page and JSON. Beside the
force page, from the same run, the floor it is measured against: reading the force's year
of messages counted per team in one GROUP BY (the least any page of their figures must do).
"""
import gc
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from _common import analyse_after_bulk_load  # noqa: E402
from app import create_app  # noqa: E402
from app.domain import clock  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (Force, Meeting, Membership, Message, Neighbourhood, Officer, Priority,  # noqa: E402
                        PriorityAction, Team, Update)
from config import TestConfig  # noqa: E402

MESSAGES = int(os.environ.get("BENCH_MESSAGES", 1_000_000))
TEAMS = int(os.environ.get("BENCH_TEAMS", 7201))
FORCE_TEAMS = int(os.environ.get("BENCH_FORCE_TEAMS", 700))
FORCES = 43
BATCH = 20_000
NOW = datetime(2026, 12, 1, 12, 0)


class BenchConfig(TestConfig):
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:////tmp/pledge_bench.db")
    WTF_CSRF_ENABLED = False
    CLOCK = staticmethod(lambda: NOW)


def force_of(t):
    # The first FORCE_TEAMS teams are West Yorkshire; the rest are spread over the other forces.
    return "west-yorkshire" if t < FORCE_TEAMS else f"force-{t % (FORCES - 1)}"


def build(session):
    url = BenchConfig.SQLALCHEMY_DATABASE_URI
    if url.startswith("postgresql"):
        session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        session.commit()
    elif url.startswith("sqlite:///") and Path(url.removeprefix("sqlite:///")).exists():
        Path(url.removeprefix("sqlite:///")).unlink()
    upgrade()
    chance = random.Random(2008)
    session.execute(insert(Force), [{"id": "west-yorkshire", "name": "West Yorkshire"}] +
                    [{"id": f"force-{f}", "name": f"Force {f}"} for f in range(FORCES - 1)])
    session.execute(insert(Neighbourhood), [
        {"id": f"N{t:08d}", "force_id": force_of(t), "name": f"Area {t}", "boundary_geojson": "{}",
         "min_lon": 0, "min_lat": 0, "max_lon": 0, "max_lat": 0, "centre_lat": 0, "centre_lon": 0}
        for t in range(TEAMS)])
    session.execute(insert(Team), [{"id": t + 1, "neighbourhood_id": f"N{t:08d}", "name": f"Team {t}",
                                    "social_links": []} for t in range(TEAMS)])
    session.commit()
    start = clock.month_bounds(2025, 12)[0]
    span = (clock.month_bounds(2026, 11)[1] - start).total_seconds()
    started = time.perf_counter()
    for offset in range(0, MESSAGES, BATCH):
        rows = []
        for i in range(offset, min(offset + BATCH, MESSAGES)):
            received = start + timedelta(seconds=chance.random() * span)
            roll = chance.random()
            wait = timedelta(hours=chance.expovariate(1 / 8)) if roll < 0.85 else None
            rows.append({
                "reference": f"B{i:011d}", "team_id": chance.randrange(TEAMS) + 1,
                "kind": "feedback" if chance.random() < 0.02 else "message", "name": "Resident", "email": "r@example.org",
                "contact_by": "email", "subject": "Subject", "body": "Body", "urgent": False, "received_at": received,
                "first_human_reply_at": received + wait if wait is not None else None, "closed_at": None})
        session.execute(insert(Message), rows)
        session.commit()
    meetings, priorities, actions, updates, officers, memberships = [], [], [], [], [], []
    months = [(2025, 12)] + [(2026, m) for m in range(1, 12)]
    for t in range(TEAMS):
        team_id = t + 1
        for year, month in months:
            for _ in range(chance.choice([0, 1, 1, 2])):
                meetings.append({"team_id": team_id, "kind": "pact", "title": "PACT", "venue": "Hall",
                                 "purpose": "Priorities", "duration_minutes": 60, "cancelled": False,
                                 "starts_at": datetime(year, month, chance.randint(1, 28), 18)})
            if chance.random() < 0.8:
                updates.append({"team_id": team_id, "published_on": date(year, month, chance.randint(1, 28)),
                                "you_said": "y", "we_did": "w", "resident_consent": False})
        for p in range(3):
            priority_id = len(priorities) + 1
            agreed = date(2025, chance.randint(1, 12), 1)
            priorities.append({"id": priority_id, "team_id": team_id, "title": "P", "description": "d",
                               "agreed_on": agreed, "closed_on": date(2026, 9, 1) if p == 2 else None})
            for _ in range(chance.randint(0, 8)):
                actions.append({"priority_id": priority_id, "description": "a",
                                "taken_on": agreed + timedelta(days=chance.randint(1, 600))})
        for o in range(6):
            officer_id = len(officers) + 1
            officers.append({"id": officer_id, "force_id": force_of(t), "name": "Officer", "role": "PCSO",
                             "photo_consent": False})
            memberships.append({"officer_id": officer_id, "team_id": team_id,
                                "started_on": date(2026, 11, 1) - timedelta(days=chance.randint(30, 3000)),
                                "ended_on": None})
    for model, rows in ((Meeting, meetings), (Priority, priorities), (PriorityAction, actions), (Update, updates),
                        (Officer, officers), (Membership, memberships)):
        for offset in range(0, len(rows), BATCH):
            session.execute(insert(model), rows[offset:offset + BATCH])
        session.commit()
    print(f"built {MESSAGES:,} messages, {len(meetings):,} meetings, {len(priorities):,} priorities, "
          f"{len(updates):,} updates, {len(memberships):,} officers over {TEAMS:,} teams "
          f"in {time.perf_counter() - started:.1f} s")
    analyse_after_bulk_load(session, url)


def timed(client, label, url, repeat=5):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    best(label, get, repeat)


def best(label, function, repeat=5):
    wall = cpu = None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        elapsed, used = time.perf_counter() - started, time.process_time() - started_cpu
        wall = elapsed if wall is None else min(wall, elapsed)
        cpu = used if cpu is None else min(cpu, used)
    print(f"{label:<58} {wall * 1000:8.1f} ms wall {cpu * 1000:8.1f} ms cpu (best of {repeat}, "
          f"load {os.getloadavg()[0]:.1f})")


def reference(app):
    """The force's messages of the 12 months counted per team in one GROUP BY."""
    start, end = clock.month_bounds(2025, 12)[0], clock.month_bounds(2026, 11)[1]
    query = select(Message.team_id, func.count()).join(Team).join(Neighbourhood).where(
        Neighbourhood.force_id == "west-yorkshire", Message.kind == "message", Message.received_at >= start,
        Message.received_at < end).group_by(Message.team_id)

    def count():
        with app.app_context():
            db.session.execute(query).all()

    return count


def main():
    app = create_app(BenchConfig)
    if os.environ.get("BENCH_GC_FREEZE") == "1":
        # As deploy/gunicorn.conf.py does after fork: the app's startup objects are left out
        # of every later garbage collection, so a request's full collection is cheap.
        gc.freeze()
        print(f"gc.freeze() after create_app: {gc.get_freeze_count():,} objects frozen")
    with app.app_context():
        if os.environ.get("BENCH_REUSE") != "1":
            build(db.session)
        print(f"database: {db.session.get_bind().dialect.name}")
    client = app.test_client()
    for _ in range(int(os.environ.get("BENCH_REPEAT", 2))):  # alternate, so that both see the same load
        best("reference: the force's messages counted per team (GROUP BY)", reference(app), 3)
        timed(client, f"force page, {FORCE_TEAMS} teams, sorted by name", "/forces/west-yorkshire/performance", 3)
    timed(client, "force page, sorted by messages answered", "/forces/west-yorkshire/performance?sort=messages")
    timed(client, "force page, page 10", "/forces/west-yorkshire/performance?page=10")
    timed(client, "force JSON (/api/west-yorkshire/performance)", "/api/west-yorkshire/performance")
    timed(client, "team page", "/teams/west-yorkshire/N00000001/performance")
    timed(client, "team JSON", "/api/west-yorkshire/N00000001/performance")


if __name__ == "__main__":
    main()
