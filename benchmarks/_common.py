"""Helpers shared by the benchmark scripts."""
import os
import statistics
import sys
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def national_database_url():
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL to a database holding the national import "
                 "(python benchmarks/import_national.py makes one).")
    return url


def percentiles(samples_ms):
    ordered = sorted(samples_ms)

    def at(p):
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {"p50": at(50), "p90": at(90), "p99": at(99), "max": ordered[-1], "mean": statistics.fmean(ordered)}


def print_percentiles(label, samples_ms):
    figures = percentiles(samples_ms)
    print(f"{label}: n={len(samples_ms)} " + " ".join(f"{k}={v:.2f}ms" for k, v in figures.items()))


def analyse_after_bulk_load(session, url):
    """Statistics for the planner after a benchmark's bulk insert, as the database would soon
    have them anyway."""
    if url.startswith("postgresql"):
        # VACUUM as autovacuum soon would: it sets the visibility map, without which
        # PostgreSQL's index-only scans of the team index visit the table for every row.
        session.commit()
        with session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        session.execute(text("ANALYZE"))
        session.commit()
