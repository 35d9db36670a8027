"""Flask commands: `flask --app app import …`, `flask --app app users …`, `flask --app app demo …`.

The commands are thin: they open a transaction and hand the readers (app.importers.*) to
the loaders (app.importers.loading), printing progress and a summary.
"""
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.crime.commands import import_crimes
from app.extensions import db

import_group = AppGroup("import", help="Import open data: postcodes (Code-Point Open), neighbourhood boundaries, crimes.")
import_group.add_command(import_crimes)


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


demo_group = AppGroup("demo", help="The bundled demo: real Leeds areas and postcodes, made-up team content.")
DEMO_DATA = Path(__file__).resolve().parent.parent / "data" / "demo"


@demo_group.command("setup")
def demo_setup():
    """Create the database, import the bundled extract and add demo team content (idempotent)."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app.demo import DEMO_PASSWORD, demo_loaded, load_demo_content
    from app.models import Crime, Neighbourhood, Postcode

    click.echo(f"Database: {db.engine.url.render_as_string(hide_password=True)}")
    upgrade()
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    ctx = click.get_current_context()
    if not count(Neighbourhood):
        ctx.invoke(import_neighbourhoods, path=str(DEMO_DATA / "neighbourhoods.geojson.gz"))
    if not count(Postcode):
        ctx.invoke(import_postcodes, path=str(DEMO_DATA / "codepoint"))
    if not count(Crime):
        ctx.invoke(import_crimes, path=str(DEMO_DATA / "crimes"))
    if demo_loaded(db.session):
        click.echo("Demo team content is already loaded.")
        return
    accounts = load_demo_content(db.session)
    click.echo("Demo team content loaded. Staff accounts (password for each: " + DEMO_PASSWORD + "):")
    for user in accounts:
        click.echo(f"  {user.email:28} {user.role}")


def init_app(app):
    from app.admin.commands import users
    from app.alerts.cli import alerts_group
    from app.inbox.commands import inbox

    for group in (import_group, demo_group, alerts_group, users, inbox):
        app.cli.add_command(group)
