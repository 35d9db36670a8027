"""Helpers for the inbox tests: accounts, signing in, CSRF tokens, a clock to move."""
import re
from datetime import date, datetime, timedelta

import pytest

from app.admin import accounts
from app.extensions import db

PASSWORD = "correct horse battery"


class MovableClock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **kwargs):
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock(app):
    moving = MovableClock(datetime(2026, 11, 18, 10, 0))  # a Wednesday
    app.config["CLOCK"] = moving
    yield moving
    app.config.pop("CLOCK", None)


def make_user(email, role="officer", teams=(), name=None, rank=None):
    user = accounts.create_account(db.session, email=email, name=name or email.split("@")[0].title(), role=role,
                                   password=PASSWORD, teams=teams, today=date(2020, 1, 1),
                                   rank=rank or ("Police Constable" if role == "officer" and teams else None))
    db.session.commit()
    return user


def _forget_request_state():
    """The test's app context outlives requests, and flask-login and flask-wtf cache the
    user and the CSRF token in `g`: forget them between clients."""
    from flask import g, has_app_context

    if has_app_context():
        g.pop("_login_user", None)
        g.pop("csrf_token", None)


def sign_in(client, user):
    _forget_request_state()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def csrf_token(client, url):
    _forget_request_state()
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def message_fields(**overrides):
    return {"name": "Alex Resident", "contact_by": "email", "email": "alex@example.org", "phone": "",
            "subject": "Cars parked on the pavement", "body": "Every evening on Elm Street.", "urgent": "no",
            "website": "", **overrides}
