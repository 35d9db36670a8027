"""`flask --app app demo setup`: the bundled demo data and made-up team content."""
from pathlib import Path

import click
from flask.cli import AppGroup

from app.crime.commands import import_crimes
from app.extensions import db
from app.importers.commands import import_neighbourhood_names, import_neighbourhoods, import_postcodes

demo_group = AppGroup("demo", help="The bundled demo: real Leeds areas and postcodes, made-up team content.")
DEMO_DATA = Path(__file__).resolve().parent.parent.parent / "data" / "demo"


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
    if not db.session.scalar(select(func.count()).select_from(Neighbourhood)
                             .where(Neighbourhood.known_name.is_not(None))):
        ctx.invoke(import_neighbourhood_names, path=str(DEMO_DATA / "msoa-names.csv"))
    if demo_loaded(db.session):
        click.echo("Demo team content is already loaded.")
        return
    accounts = load_demo_content(db.session)
    click.echo("Demo team content loaded. Staff accounts (password for each: " + DEMO_PASSWORD + "):")
    for user in accounts:
        click.echo(f"  {user.email:28} {user.role}")
