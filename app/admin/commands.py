"""`flask --app app users …`: staff accounts from the command line."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.admin import accounts
from app.extensions import db
from app.models import ACCOUNT_ROLES, OFFICER, ROLES, User

users = AppGroup("users", help="Staff accounts.")


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(list(ACCOUNT_ROLES)), default=OFFICER, show_default=True)
@click.option("--force", "force_id", help="Force id, e.g. west-yorkshire (limits an administrator to it).")
@click.option("--team", "team_codes", multiple=True, help="Neighbourhood code of a team; repeatable.")
@click.option("--rank", type=click.Choice(ROLES), help="What the public reads, e.g. PCSO (needed for an officer in a team).")
@click.password_option(help="At least 12 characters; prompted for when left out.")
def create(email, name, role, force_id, team_codes, rank, password):
    """Create a staff account, optionally in one or more teams."""
    teams = []
    for code in team_codes:
        team = accounts.team_by_code(db.session, code, force_id)
        if team is None:
            raise click.ClickException(f"No team with neighbourhood code {code}")
        teams.append(team)
    try:
        user = accounts.create_account(db.session, email=email, name=name, role=role, password=password,
                                       force_id=force_id, teams=teams, rank=rank)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} (id {user.id}) in {len(teams)} team(s)")


@users.command("add-to-team")
@click.argument("email")
@click.argument("team_code")
@click.option("--rank", type=click.Choice(ROLES), help="What the public reads, if they are not yet in a team.")
def add_to_team(email, team_code, rank):
    """Make a user a member of a team, from today."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    team = accounts.team_by_code(db.session, team_code)
    if user is None or team is None:
        raise click.ClickException("No such user or team")
    try:
        accounts.add_to_team(db.session, user, team, rank=rank)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{user.email} is in {team.name}")


@users.command("list")
def list_users():
    for user in db.session.scalars(select(User).order_by(User.email)):
        click.echo(f"{user.id}\t{user.email}\t{user.role}\t{'active' if user.active else 'inactive'}")
