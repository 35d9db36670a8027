"""`flask --app app import crimes PATH`: data.police.uk street-level crimes."""
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db


@click.command("crimes")
@click.argument("path", type=click.Path(exists=True))
@with_appcontext
def import_crimes(path):
    """Import data.police.uk street-level crimes: a CSV(.gz), a folder, or the monthly archive zip."""
    from app.importers.crime_store import load_crimes
    from app.importers.police_uk import read_police_uk
    from app.importers.report import ImportReport
    from app.tile_cache import cache_root, invalidate_months

    started = time.perf_counter()
    report = ImportReport()
    files = read_police_uk(path, report, on_file=lambda name: click.echo(f"Reading {name}"))
    with db.engine.begin() as conn:
        changed = load_crimes(conn, files, report, max_distance=current_app.config["NEAREST_NEIGHBOURHOOD_MAX_METRES"],
                              progress=click.echo)
    invalidate_months(cache_root(current_app), [month for month, _force in changed])
    elapsed = time.perf_counter() - started
    click.echo(f"Done in {elapsed:.1f}s ({report.counts['crimes read'] / max(elapsed, 1e-9):,.0f} rows a second)")
    for line in report.summary_lines():
        click.echo(line)
