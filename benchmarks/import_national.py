"""The national import beside a plain read of the same files, in one run.

    python benchmarks/import_national.py [--data ../shared/data] [--order boundaries-first|postcodes-first]
    DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/DB python benchmarks/import_national.py   # SQLite, then PostgreSQL

Reference: a plain ``csv`` read of the Code-Point gzip files (every row, nothing done with
it), measured before each database and at the end; ratios use the mean of those reads.

Stages, on a fresh schema: the neighbourhoods (7,201 boundaries, forces, teams), then the
postcodes (1,739,998 Code-Point rows, assigned to neighbourhoods as they load) — the
README's order; then the boundaries re-imported over the loaded postcodes (every postcode's
assignment recomputed). Each stage runs in a fresh process, as its ``flask import`` command does, and prints wall
and CPU time (its own and its child's: the postcode import reads in a child process) and the
larger peak RSS of that process and its child; on PostgreSQL, when the server runs on this
machine, also the CPU time of the server's processes during the stage (backends, parallel
workers, WAL writer, checkpointer: read from /proc), as the wall time alone swings with
whatever else the machine is doing.

Goals (issue 15): SQLite import ≤ 8 × the plain read; PostgreSQL ≤ 1.3 × SQLite; the
boundary re-import ≤ 10 × the plain read with peak RSS < 400 MB. The machine may be shared:
the load average is printed at the start and the end.
"""
import argparse
import csv
import gzip
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_average():
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def reset_peak_rss():
    """Start a new peak-RSS window (Linux: VmHWM is reset by writing 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb():
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_with_children():
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _cpu_of(pid, with_children):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if with_children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


class ServerCpu:
    """CPU time used by a PostgreSQL server on this machine: its postmaster, every process
    it has started and waited for (backends, parallel workers) and those still running
    (read from /proc). None where that cannot be read (a server elsewhere, or not Linux)."""

    def __init__(self, conn):
        try:
            backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            status = Path(f"/proc/{backend}/status").read_text()
            self.postmaster = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
            self.seconds()
        except (OSError, StopIteration, ValueError):
            self.postmaster = None

    def seconds(self):
        if self.postmaster is None:
            return None
        total = _cpu_of(self.postmaster, with_children=True)
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.postmaster:
                    total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile: then counted with the postmaster's children
        return total


def children_peak_rss_mb():
    """The largest peak RSS of the child processes waited for (each stage runs in a fresh process)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


class Clock:
    def __init__(self):
        self.plain_reads = []

    def measure(self, _name, fn):
        """Wall time, CPU time of this process and of the child processes it waited for (the
        postcode import reads in a child), and the larger peak RSS of the two."""
        reset_peak_rss()
        wall, cpu = time.perf_counter(), cpu_with_children()
        fn()
        wall, cpu = time.perf_counter() - wall, cpu_with_children() - cpu
        return wall, cpu, max(peak_rss_mb(), children_peak_rss_mb())

    def plain_read(self, codepoint):
        def read():
            for file in sorted(codepoint.glob("*.csv.gz")):
                with gzip.open(file, "rt", newline="") as handle:
                    for _row in csv.reader(handle):
                        pass

        wall, cpu, _ = self.measure("plain read", read)
        self.plain_reads.append((wall, cpu))
        print(f"{'plain csv read of the Code-Point files':<44} {wall:6.2f} s  (CPU {cpu:5.2f} s)   load {load_average()}",
              flush=True)

    @property
    def reference(self):
        return (statistics.fmean(w for w, _ in self.plain_reads), statistics.fmean(c for _, c in self.plain_reads))


def _configured_app(url):
    from app import create_app
    from config import DevelopmentConfig

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Config)


def _stage_in_this_process(url, data, name):
    """One stage as its `flask import` command would run it: its own process, its own peak RSS."""
    from app.extensions import db
    from app.importers.boundaries import read_boundaries
    from app.importers.codepoint import read_codepoint
    from app.importers.loading import load_boundaries, load_postcodes
    from app.importers.report import ImportReport

    app = _configured_app(url)
    report = ImportReport()
    max_distance = app.config["NEAREST_NEIGHBOURHOOD_MAX_METRES"]

    def go():
        with app.app_context(), db.engine.begin() as conn:
            if "postcodes" in name:
                load_postcodes(conn, read_codepoint(data / "codepoint-open", report), report, max_distance)
            else:
                load_boundaries(conn, read_boundaries(data / "neighbourhoods-ew.geojson.gz", report), report, max_distance)

    return Clock().measure(name, go), dict(report.counts)


def _stage_reporting_to(results, url, data, name):
    try:
        results.put(("done", _stage_in_this_process(url, data, name)))
    except BaseException:
        import traceback

        results.put(("failed", traceback.format_exc()))


def _in_a_fresh_process(spawn, url, data, name):
    """A stage in a new (not daemonic) process: the postcode import forks a reading child,
    which a multiprocessing pool's daemonic worker may not do."""
    results = spawn.Queue()
    process = spawn.Process(target=_stage_reporting_to, args=(results, url, data, name))
    process.start()
    outcome, result = results.get()
    process.join()
    if outcome != "done":
        raise SystemExit(f"{name} failed:\n{result}")
    return result


def run(url, data, order, clock):
    import logging
    import multiprocessing

    from flask_migrate import upgrade
    from sqlalchemy import text

    from app.domain.postcodes import SCOTTISH_AREAS, area
    from app.extensions import db

    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"\n== {database} ({order}; each stage in a fresh process, as its command runs)")
    clock.plain_read(data / "codepoint-open")
    app = _configured_app(url)
    server = None
    with app.app_context():
        if database == "PostgreSQL":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
            with db.engine.connect() as conn:
                server = ServerCpu(conn)
        logging.disable(logging.INFO)
        upgrade()
        db.engine.dispose()

    figures, reports = {}, {}
    spawn = multiprocessing.get_context("spawn")
    names = (["import neighbourhoods", "import postcodes + assignment"] if order == "boundaries-first"
             else ["import postcodes", "import neighbourhoods + assignment"])
    names.append("re-import neighbourhoods (reassign all)")
    server_cpu = {}
    for name in names:
        server_before = server.seconds() if server else None
        (wall, cpu, rss), reports[name] = _in_a_fresh_process(spawn, url, data, name)
        figures[name] = (wall, cpu, rss)
        server_after = server.seconds() if server else None
        server_cpu[name] = None if server_after is None else server_after - server_before
        print(f"{name:<44} {wall:6.2f} s  (CPU {cpu:5.2f} s)   peak RSS {rss:5.0f} MB"
              + ("" if server_cpu[name] is None else f"   server CPU {server_cpu[name]:5.2f} s"), flush=True)

    with app.app_context(), db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT postcode FROM postcodes WHERE easting IS NOT NULL AND neighbourhood_id IS NULL")
        ).scalars().all()
        counts = conn.execute(text("SELECT count(*), count(easting), count(neighbourhood_id) FROM postcodes")).one()
    with app.app_context():
        db.engine.dispose()

    unassigned_ew = [p for p in rows if area(p) not in SCOTTISH_AREAS]
    plain_wall, plain_cpu = clock.reference
    import_wall = sum(figures[name][0] for name in names[:2])
    import_cpu = sum(figures[name][1] for name in names[:2])
    import_rss = max(figures[name][2] for name in names[:2])
    again_wall, again_cpu, again_rss = figures[names[2]]
    print(f"{'import (both stages)':<44} {import_wall:6.2f} s  (CPU {import_cpu:5.2f} s)   peak RSS {import_rss:5.0f} MB")
    import_server_cpu = None
    if all(server_cpu[name] is not None for name in names[:2]):
        import_server_cpu = sum(server_cpu[name] for name in names[:2])
        print(f"  the server's CPU {import_server_cpu:.2f} s: client and server {import_cpu + import_server_cpu:.2f} s")
    print(f"  = {import_wall / plain_wall:.1f} × the plain read (CPU {import_cpu / plain_cpu:.1f} ×)")
    print(f"boundary re-import = {again_wall / plain_wall:.1f} × the plain read (CPU {again_cpu / plain_cpu:.1f} ×), "
          f"peak RSS {again_rss:.0f} MB")
    print(f"postcodes: {counts[0]:,}, with coordinates {counts[1]:,}, assigned {counts[2]:,}; "
          f"by nearest {reports[names[2]]['postcodes assigned by nearest neighbourhood']:,}; "
          f"outside coverage (Scottish) {len(rows) - len(unassigned_ew):,}; "
          f"E&W left unassigned {len(unassigned_ew):,} {unassigned_ew[:10]}")
    return {"ok": not unassigned_ew, "import": (import_wall, import_cpu), "server cpu": import_server_cpu}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--order", choices=["boundaries-first", "postcodes-first"], default="boundaries-first")
    args = parser.parse_args()
    print(f"load average at the start: {load_average()} ({os.cpu_count()} CPUs)")
    clock = Clock()
    with tempfile.TemporaryDirectory() as folder:
        sqlite = run(f"sqlite:///{folder}/national.db", args.data, args.order, clock)
    results = [sqlite]
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        postgres = run(os.environ["DATABASE_URL"], args.data, args.order, clock)
        results.append(postgres)
        server_cpu = postgres["server cpu"]
        with_server = ("the server's not counted (not on this machine)" if server_cpu is None else
                       f"with the server's {(postgres['import'][1] + server_cpu) / sqlite['import'][1]:.2f} ×")
        print(f"\nPostgreSQL import = {postgres['import'][0] / sqlite['import'][0]:.2f} × SQLite "
              f"(CPU of the import's processes {postgres['import'][1] / sqlite['import'][1]:.2f} ×; {with_server})")
    print()
    clock.plain_read(args.data / "codepoint-open")
    print(f"load average at the end: {load_average()}")
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
