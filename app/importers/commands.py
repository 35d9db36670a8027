"""Flask commands: `flask --app app import postcodes|neighbourhoods|neighbourhood-names …` (`import crimes` is the crime area's).

The commands are thin: they open a transaction and hand the readers (app.importers.*) to
the loaders (app.importers.loading), printing progress and a summary.
"""
import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

import_group = AppGroup("import", help="Import open data: postcodes (Code-Point Open), neighbourhood boundaries, "
                                       "the names residents use, crimes.")


def _echo_summary(report, started):
    click.echo(f"Done in {time.perf_counter() - started:.1f}s")
    for line in report.summary_lines():
        click.echo(line)


@import_group.command("postcodes")
@click.argument("path", type=click.Path(exists=True))
def import_postcodes(path):
    """Import Code-Point Open postcodes from a CSV(.gz) file or a folder of them."""
    from app.importers.codepoint import read_codepoint
    from app.importers.loading import load_postcodes
    from app.importers.report import ImportReport

    started = time.perf_counter()
    report = ImportReport()
    batches = read_codepoint(path, report, on_file=lambda f: click.echo(f"Reading {f.name}"))
    with db.engine.begin() as conn:
        load_postcodes(
            conn,
            batches,
            report,
            max_distance=current_app.config["NEAREST_NEIGHBOURHOOD_MAX_METRES"],
            progress=click.echo,
        )
    _echo_summary(report, started)


@import_group.command("neighbourhoods")
@click.argument("path", type=click.Path(exists=True))
def import_neighbourhoods(path):
    """Import neighbourhood boundaries: a GeoJSON file (.gz too) or a folder of data.police.uk KML."""
    from app.importers.boundaries import read_boundaries
    from app.importers.loading import load_boundaries
    from app.importers.report import ImportReport
    from app.tile_cache import cache_root, invalidate_months

    started = time.perf_counter()
    report = ImportReport()
    features = read_boundaries(path, report, on_file=lambda f: click.echo(f"Reading {f.name}"))
    with db.engine.begin() as conn:
        load_boundaries(
            conn,
            features,
            report,
            max_distance=current_app.config["NEAREST_NEIGHBOURHOOD_MAX_METRES"],
            progress=click.echo,
        )
    invalidate_months(cache_root(current_app), report.redrawn_months)
    _echo_summary(report, started)


@import_group.command("neighbourhood-names")
@click.argument("path", type=click.Path(exists=True))
def import_neighbourhood_names(path):
    """Names residents use: the House of Commons Library MSOA names CSV, or data.police.uk
    neighbourhood lists (JSON), a file or a folder of them. Load neighbourhoods first."""
    from app.importers.loading import load_names
    from app.importers.names import read_names
    from app.importers.report import ImportReport

    started = time.perf_counter()
    report = ImportReport()
    names = read_names(path, report, on_file=lambda f: click.echo(f"Reading {f.name}"))
    with db.engine.begin() as conn:
        load_names(conn, names, report, progress=click.echo)
    _echo_summary(report, started)
