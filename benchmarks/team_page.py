"""Server time of the team page, with a full page of content, and the queries per page.

    DATABASE_URL=sqlite:////tmp/national.db python benchmarks/team_page.py [--seed 50]

Renders /teams/<force>/<neighbourhood> through the Flask test client for random teams
(after one warm-up request each for template compilation) and prints p50/p90/p99, and the
number of SQL statements per page (smallest and largest: the same number whatever the
content). --seed first gives that many teams without members a full page of content, as a
busy team has it: 8 officers, a PACT meeting every week for the next 3 months and every
month for the last 6, 4 open priorities with 6 actions each, 12 "You said – We did" posts
and 90 messages over the last 3 months (most answered), so that the reply figures count.
Figures for teams with and without content are printed separately, with the CPU time per
page (less sensitive than wall time to a loaded machine), the load average, and the reference
measured in the same run: a bare Flask app returning the same HTML. --profile N instead runs
cProfile over N pages of teams with content (request log off) and prints the functions that
took longest, by their own time and with what they called.
"""
import argparse
import cProfile
import logging
import os
import pstats
import random
import time
from datetime import timedelta

from _common import national_database_url, print_percentiles
from sqlalchemy import event, func, insert, select

from app import create_app
from app import clock_source
from app.extensions import db
from app.models import (Meeting, Membership, Message, Neighbourhood, Officer, Priority, PriorityAction, Team,
                        Update)
from config import DevelopmentConfig


def seed(count, rng):
    """A full page of content for `count` teams that have no members yet."""
    teams = db.session.execute(
        select(Team.id, Neighbourhood.force_id).join(Neighbourhood)
        .where(Team.id.not_in(select(Membership.team_id))).order_by(Team.id).limit(count)).all()
    now, today = clock_source.now(), clock_source.today_in_london()
    prefix = f"T{db.session.scalar(select(func.count(Message.id))) or 0:07d}"
    for n, (team_id, force_id) in enumerate(teams):
        for o in range(8):
            officer = db.session.execute(insert(Officer).values(
                force_id=force_id, name=f"Officer {o}", role=["Sergeant", "PC", "PCSO"][o % 3],
                photo_consent=False)).inserted_primary_key[0]
            db.session.execute(insert(Membership).values(officer_id=officer, team_id=team_id,
                                                         started_on=today - timedelta(days=rng.randint(30, 3000))))
        meetings = [now + timedelta(days=7 * w + 2) for w in range(13)] + [now - timedelta(days=30 * m + 5)
                                                                          for m in range(6)]
        db.session.execute(insert(Meeting), [
            {"team_id": team_id, "kind": "pact", "title": "PACT meeting", "venue": "Community centre",
             "purpose": "Agree priorities", "duration_minutes": 60, "cancelled": False, "starts_at": starts,
             "minutes": "Minutes" if starts < now else None} for starts in meetings])
        for p in range(4):
            priority = db.session.execute(insert(Priority).values(
                team_id=team_id, title=f"Priority {p}", description="Speeding on the main road",
                agreed_on=today - timedelta(days=60 + p))).inserted_primary_key[0]
            db.session.execute(insert(PriorityAction), [
                {"priority_id": priority, "taken_on": today - timedelta(days=7 * a), "description": "Speed check"}
                for a in range(6)])
        db.session.execute(insert(Update), [
            {"team_id": team_id, "published_on": today - timedelta(days=7 * u), "you_said": "Parking",
             "we_did": "Tickets", "resident_consent": False} for u in range(12)])
        messages = []
        for i in range(90):
            received = now - timedelta(days=rng.uniform(1, 92))
            replied = received + timedelta(hours=rng.expovariate(1 / 8)) if rng.random() < 0.9 else None
            messages.append({"reference": f"{prefix}{n:05d}{i:02d}"[:16], "team_id": team_id, "kind": "message",
                             "name": "Resident", "email": "r@example.org", "contact_by": "email",
                             "subject": "Subject", "body": "Body", "urgent": False, "received_at": received,
                             "first_human_reply_at": replied})
        db.session.execute(insert(Message), messages)
    db.session.commit()
    print(f"seeded a full page of content for {len(teams)} teams")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N pages of teams with content")
    args = parser.parse_args()
    url = national_database_url()

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        RATELIMIT_ENABLED = False

    app = create_app(Config)
    rng = random.Random(7)
    with app.app_context():
        if args.seed:
            seed(args.seed, rng)
        rows = db.session.execute(select(Neighbourhood.force_id, Neighbourhood.id, Team.id)
                                  .join(Team, Team.neighbourhood_id == Neighbourhood.id)).all()
        with_members = set(db.session.scalars(select(Membership.team_id).distinct()))
    statements = []
    client = app.test_client()
    if args.profile:
        return profile(client, [r for r in rows if r[2] in with_members], rng, args.profile)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *_args: statements.append(1))
    for label, pool in [("team page, teams with content", [r for r in rows if r[2] in with_members]),
                        ("team page, teams without content", [r for r in rows if r[2] not in with_members])]:
        if not pool:
            continue
        chosen = rng.choices(pool, k=args.n)
        for force_id, nid, _ in set(chosen):
            client.get(f"/teams/{force_id}/{nid}")  # warm-up: templates, caches
        timings, queries, pages = [], [], {}
        cpu = time.process_time()
        for force_id, nid, _ in chosen:
            statements.clear()
            started = time.perf_counter()
            response = client.get(f"/teams/{force_id}/{nid}")
            timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(statements))
            assert response.status_code == 200, response.status_code
            pages[(force_id, nid)] = response.get_data()
        cpu_ms = (time.process_time() - cpu) / len(chosen) * 1000
        print_percentiles(label, timings)
        print(f"  CPU per page {cpu_ms:.2f} ms; queries per page: {min(queries)} to {max(queries)}; "
              f"load {os.getloadavg()[0]:.1f}")
        reference(pages, chosen)


def profile(client, pool, rng, count):
    chosen = rng.choices(pool, k=count)
    for force_id, nid, _ in set(chosen):
        client.get(f"/teams/{force_id}/{nid}")  # warm-up
    logging.getLogger("app.requests").disabled = True
    profiler = cProfile.Profile()
    profiler.enable()
    for force_id, nid, _ in chosen:
        assert client.get(f"/teams/{force_id}/{nid}").status_code == 200
    profiler.disable()
    print(f"cProfile over {count} team pages with content; load {os.getloadavg()[0]:.1f}")
    for order in ("tottime", "cumulative"):
        pstats.Stats(profiler).sort_stats(order).print_stats(25)


def reference(pages, chosen):
    """The floor in the same run: a bare Flask app returning the same pages' HTML, through the
    same test client (what serving the page costs with no database, template or middleware)."""
    from flask import Flask

    bare = Flask("bare")
    bare.add_url_rule("/teams/<force_id>/<nid>", "page", lambda force_id, nid: pages[(force_id, nid)])
    client = bare.test_client()
    timings, cpu = [], time.process_time()
    for force_id, nid, _ in chosen:
        started = time.perf_counter()
        client.get(f"/teams/{force_id}/{nid}")
        timings.append((time.perf_counter() - started) * 1000)
    print_percentiles("  the same HTML from bare Flask (reference)", timings)
    print(f"  CPU per page {(time.process_time() - cpu) / len(chosen) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
