"""Signing staff in through the real sign-in form, and posting forms with their CSRF token."""
import re
from datetime import date, datetime
from unittest.mock import patch

from argon2 import PasswordHasher

from app.models import accounts

from app.extensions import db
from app.models import User
from tests.factories import add_officer
from tests.inbox_support import TOTP_SECRET
from tests.inbox_support import sign_in as two_step_sign_in

PASSWORD = "correct horse battery staple"
# Argon2 reads its cost from the stored hash, so a cheap hash makes sign-in cheap too: the
# production cost would add about a second to every test.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def add_staff(team, role="officer", email=None, name="Sam Example", officer_role="PCSO", started_on=date(2022, 3, 1)):
    officer = add_officer(team, name=name, role=officer_role, started_on=started_on)
    user = User(email=email or f"{role}.{officer.id}@police.example", name=name, role=role, officer_id=officer.id,
                force_id=team.neighbourhood.force_id, totp_secret=TOTP_SECRET, totp_confirmed_at=datetime(2020, 1, 1),
                password_changed_at=datetime(2020, 1, 1))
    with patch.object(accounts, "_hasher", CHEAP_HASHER):
        user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def csrf_token(client, url):
    page = client.get(url).get_data(as_text=True)
    match = _TOKEN.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def sign_in(client, user):
    """The real sign-in: password, then the code from the test authenticator."""
    two_step_sign_in(client, user, password=PASSWORD)


def post_form(client, url, data, **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data}, **kwargs)


def date_parts(day):
    """A date as the three boxes of a GOV.UK date input."""
    return [str(day.day), str(day.month), str(day.year)]
