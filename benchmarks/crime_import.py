"""Import rate of `flask import crimes`: the real month, a re-import, and a synthetic national month.

    python benchmarks/crime_import.py [--synthetic N]     (BENCH_DATABASE_URL=postgresql://… for PostgreSQL)
"""
import argparse
import tempfile
import time

from crime_common import REAL_MONTH, make_app, synthetic_month


def timed_import(app, path):
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["import", "crimes", str(path)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    rows = next(int(line.split(":")[1].replace(",", "")) for line in result.output.splitlines()
                if line.startswith("crimes read"))
    return rows, elapsed, result.output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=500_000)
    args = parser.parse_args()
    app = make_app()
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")

    from app.importers.police_uk import read_police_uk
    from app.importers.report import ImportReport

    started = time.perf_counter()
    rows = sum(len(f) for f in read_police_uk(REAL_MONTH, ImportReport()))
    read = time.perf_counter() - started
    print(f"real month, read only:      {rows:,} rows in {read:.2f}s = {rows / read:,.0f} rows/s")
    rows, elapsed, _ = timed_import(app, REAL_MONTH)
    print(f"real month, full import:    {rows:,} rows in {elapsed:.2f}s = {rows / elapsed:,.0f} rows/s "
          "(includes building the national boundary index)")
    rows, elapsed, _ = timed_import(app, REAL_MONTH)
    print(f"real month, same again:     {rows:,} rows in {elapsed:.2f}s = {rows / elapsed:,.0f} rows/s (unchanged)")

    if args.synthetic:
        folder = synthetic_month(tempfile.mkdtemp(prefix="synthetic-month-"), crimes=args.synthetic)
        rows, elapsed, output = timed_import(app, folder)
        print(f"synthetic national month:   {rows:,} rows in {elapsed:.2f}s = {rows / elapsed:,.0f} rows/s "
              f"({len(list(folder.glob('*.csv')))} force files)")


if __name__ == "__main__":
    main()
