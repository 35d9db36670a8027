"""Benchmark the monthly compliance report with 1,000,000 messages over 7,201 teams.

    python benchmarks/compliance_report.py                      # SQLite file in /tmp
    DATABASE_URL=postgresql://postgres@127.0.0.1:5433/bench python benchmarks/compliance_report.py

The database is emptied and migrated first (do not point it at real data). Messages are
spread over 12 London months, 43 forces; 85% get a human reply (most within 24 hours).
Prints the time of the force-wide (all teams) monthly report, one force's report, one
team's public three months and the whole year; beside the whole year, from the same run, the
floor it is measured against: counting the same year's messages per team in one GROUP BY.
Wall and CPU time are both printed (the CPU time of this process, which is SQLite's work;
on PostgreSQL the server's work is in the wall time), with the load average.
"""
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from _common import analyse_after_bulk_load  # noqa: E402
from app import create_app  # noqa: E402
from app.domain import clock  # noqa: E402
from app.extensions import db  # noqa: E402
from app.queries import compliance as report  # noqa: E402
from app.models import Force, Message, Neighbourhood, Team  # noqa: E402
from config import TestConfig  # noqa: E402

MESSAGES = int(os.environ.get("BENCH_MESSAGES", 1_000_000))
TEAMS = int(os.environ.get("BENCH_TEAMS", 7201))
FORCES = 43
BATCH = 20_000


class BenchConfig(TestConfig):
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:////tmp/compliance_bench.db")


def timed(label, function, repeat=3):
    best = best_cpu = None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        best = elapsed if best is None else min(best, elapsed)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    print(f"{label:<55} {best * 1000:8.1f} ms wall {best_cpu * 1000:8.1f} ms cpu (best of {repeat}, "
          f"load {os.getloadavg()[0]:.1f})")
    return result


def build(session):
    url = BenchConfig.SQLALCHEMY_DATABASE_URI
    if url.startswith("postgresql"):
        session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        session.commit()
    elif url.startswith("sqlite:///") and Path(url.removeprefix("sqlite:///")).exists():
        Path(url.removeprefix("sqlite:///")).unlink()
    upgrade()
    chance = random.Random(2008)
    session.execute(insert(Force), [{"id": f"force-{f}", "name": f"Force {f}"} for f in range(FORCES)])
    session.execute(insert(Neighbourhood), [
        {"id": f"N{t:08d}", "force_id": f"force-{t % FORCES}", "name": f"Area {t}", "boundary_geojson": "{}",
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
            wait = (timedelta(hours=chance.expovariate(1 / 8)) if roll < 0.85 else None)
            rows.append({
                "reference": f"B{i:011d}", "team_id": chance.randrange(TEAMS) + 1, "kind": "message",
                "name": "Resident", "email": "r@example.org", "contact_by": "email" if roll < 0.9 else "phone",
                "subject": "Subject", "body": "Body", "urgent": False, "received_at": received,
                "first_human_reply_at": received + wait if wait is not None else None,
                "closed_at": received + timedelta(days=2) if roll < 0.7 else None})
        session.execute(insert(Message), rows)
        session.commit()
    print(f"inserted {MESSAGES:,} messages over {TEAMS:,} teams in {time.perf_counter() - started:.1f} s")
    analyse_after_bulk_load(session, url)


def main():
    app = create_app(BenchConfig)
    with app.app_context():
        session = db.session
        if os.environ.get("BENCH_REUSE") != "1":
            build(session)
        now = datetime(2026, 12, 1, 12, 0)
        print(f"database: {session.get_bind().dialect.name}")
        national = timed(f"monthly report, all {TEAMS:,} teams (Nov 2026)",
                         lambda: report.monthly_report(session, 2026, 11, now))
        print(f"  teams in report: {len(national):,}; messages: {sum(f.all.received for f in national.values()):,}")
        timed("monthly report, one force (force-0)",
              lambda: report.monthly_report(session, 2026, 11, now, force_id="force-0"))
        timed("public page: one team, last 3 months",
              lambda: [report.monthly_report(session, y, m, now, team_ids=[1]) for y, m in
                       clock.previous_months(now.date(), 3)])
        start, end = clock.month_bounds(2025, 12)[0], clock.month_bounds(2026, 11)[1]
        counted = select(Message.team_id, func.count()).where(
            Message.kind == "message", Message.received_at >= start, Message.received_at < end).group_by(Message.team_id)
        repeat = int(os.environ.get("BENCH_REPEAT", 3))
        for _ in range(repeat):  # alternate, so that both see the same load
            timed("reference: count per team over the year (GROUP BY)", lambda: session.execute(counted).all(), 1)
            timed("whole year, all teams (one query)", lambda: report.period_report(session, start, end, now), 1)


if __name__ == "__main__":
    main()
