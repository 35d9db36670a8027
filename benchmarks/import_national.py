"""Import the national data into a fresh database and print wall time per stage + peak RSS.

    python benchmarks/import_national.py [--data ../shared/data] [--order boundaries-first|postcodes-first]
    DATABASE_URL=postgresql://... python benchmarks/import_national.py   # also PostgreSQL

Stages: migrate, neighbourhoods (7,201 boundaries, forces, teams), postcodes (1,739,998
Code-Point rows, assigned to neighbourhoods on the way in), then a re-import of the
boundaries (which recomputes the assignment of every postcode) and a check that every
postcode with coordinates outside the Scottish areas has a neighbourhood.
Goal: under 60 s in all and peak RSS under 2 GB.
"""
import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(url, data, order):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.domain.postcodes import SCOTTISH_AREAS
    from app.extensions import db
    from app.importers.boundaries import read_boundaries
    from app.importers.codepoint import read_codepoint
    from app.importers.loading import load_boundaries, load_postcodes
    from app.importers.report import ImportReport
    from config import DevelopmentConfig

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    print(f"\n== {url.split('@')[-1]} ({order})")
    timings = {}

    def stage(name, fn):
        started = time.perf_counter()
        fn()
        timings[name] = time.perf_counter() - started
        print(f"{name:<40} {timings[name]:7.1f} s   peak RSS {peak_rss_mb():7.0f} MB", flush=True)

    with app.app_context():
        def migrate():
            if url.startswith("postgresql"):
                db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
                db.session.commit()
            upgrade()

        stage("migrate (fresh schema)", migrate)
        max_distance = app.config["NEAREST_NEIGHBOURHOOD_MAX_METRES"]
        reports = {}

        def neighbourhoods(name):
            def go():
                report = reports[name] = ImportReport()
                with db.engine.begin() as conn:
                    load_boundaries(conn, read_boundaries(data / "neighbourhoods-ew.geojson.gz", report), report, max_distance)
            return go

        def postcodes():
            report = reports["postcodes"] = ImportReport()
            with db.engine.begin() as conn:
                load_postcodes(conn, read_codepoint(data / "codepoint-open", report), report, max_distance)

        if order == "boundaries-first":
            stage("import neighbourhoods", neighbourhoods("neighbourhoods"))
            stage("import postcodes + assignment", postcodes)
        else:
            stage("import postcodes", postcodes)
            stage("import neighbourhoods + assignment", neighbourhoods("neighbourhoods"))
        total = sum(timings.values())
        stage("re-import neighbourhoods (reassign all)", neighbourhoods("again"))

        with db.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT postcode FROM postcodes WHERE easting IS NOT NULL AND neighbourhood_id IS NULL")
            ).scalars().all()
            counts = conn.execute(
                text("SELECT count(*), count(easting), count(neighbourhood_id) FROM postcodes")
            ).one()
        from app.domain.postcodes import area

        unassigned_ew = [p for p in rows if area(p) not in SCOTTISH_AREAS]
        print(f"{'total (migrate + both imports)':<40} {total:7.1f} s   peak RSS {peak_rss_mb():7.0f} MB")
        print(f"postcodes: {counts[0]:,}, with coordinates {counts[1]:,}, assigned {counts[2]:,}")
        print(f"assigned by nearest-neighbourhood fallback: {reports['again'].counts['postcodes assigned by nearest neighbourhood']:,}")
        print(f"outside coverage (Scottish areas): {len(rows) - len(unassigned_ew):,}")
        print(f"E&W postcodes with coordinates left unassigned: {len(unassigned_ew):,} {unassigned_ew[:10]}")
        return len(unassigned_ew) == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--order", choices=["boundaries-first", "postcodes-first"], default="boundaries-first")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        ok &= run(f"sqlite:///{folder}/national.db", args.data, args.order)
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        ok &= run(os.environ["DATABASE_URL"], args.data, args.order)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
