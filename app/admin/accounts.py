"""Creating staff accounts and putting them in teams; used by the admin pages and `flask users`."""
from datetime import timedelta

from sqlalchemy import select

from app import clock_source
from app.domain import passwords
from app.models import ADMIN, ROLES, SERGEANT, Membership, Neighbourhood, Officer, Team, User

# The rank the public reads is chosen, never guessed from the account's permissions: an
# "Officer or PCSO" account may be either, and HMIC asks that a PCSO is shown as one.
RANK_FOR_ROLE = {SERGEANT: "Sergeant"}


class AccountError(ValueError):
    pass


def team_by_code(session, code, force_id=None):
    """A team by its neighbourhood code (e.g. E02002330), optionally only within a force."""
    query = select(Team).join(Neighbourhood).where(Team.neighbourhood_id == code.strip())
    if force_id:
        query = query.where(Neighbourhood.force_id == force_id)
    return session.scalar(query)


def create_account(session, *, email, name, role, password, force_id=None, teams=(), today=None,
                   temporary=False, now=None, rank=None):
    """A new staff account. A `temporary` password (one an administrator chose and handed
    over) must be changed by its owner at their first sign-in."""
    email = email.strip().lower()
    if session.scalar(select(User.id).where(User.email == email)):
        raise AccountError(f"An account already uses {email}")
    refused = passwords.problems(password, name=name, email=email)
    if refused:
        raise AccountError(refused[0])
    if rank is not None and rank not in ROLES:
        raise AccountError(f"The rank must be one of: {', '.join(ROLES)}")
    user = User(email=email, name=name.strip(), role=role, force_id=force_id, active=True, session_version=1,
                password_changed_at=None if temporary else (now or clock_source.now()))
    user.set_password(password)
    session.add(user)
    rank = rank or RANK_FOR_ROLE.get(role)
    if role != ADMIN and rank is not None:
        home_force = force_id or next((team.neighbourhood.force_id for team in teams), None)
        if home_force is not None:
            user.officer = Officer(force_id=home_force, name=user.name, role=rank)
            session.add(user.officer)
    for team in teams:
        add_to_team(session, user, team, today, rank)
    return user


def add_to_team(session, user, team, today=None, rank=None):
    if user.role == ADMIN:
        raise AccountError("Administrators see every team; they are not members of one")
    if user.officer is None:
        rank = rank or RANK_FOR_ROLE.get(user.role)
        if rank not in ROLES:
            raise AccountError("Say what the public should read as their rank or role "
                               f"({', '.join(ROLES)}): an officer account may be a constable or a PCSO")
        user.officer = Officer(force_id=team.neighbourhood.force_id, name=user.name, role=rank)
        session.add(user.officer)
    today = today or clock_source.today_in_london()
    current = [m for m in user.officer.memberships if m.team_id == team.id and m.is_current(today)]
    if not current:
        session.add(Membership(officer=user.officer, team=team, started_on=today))


def end_membership(membership, today=None):
    """Access ends now: the last day served was yesterday (ended_on is inclusive)."""
    membership.ended_on = max((today or clock_source.today_in_london()) - timedelta(days=1), membership.started_on)
