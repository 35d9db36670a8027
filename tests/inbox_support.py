"""Helpers for the inbox tests: accounts, signing in, CSRF tokens, a clock to move."""
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from sqlalchemy import select, update

from app.admin import accounts
from app.extensions import db

PASSWORD = "correct horse battery"
# Every account the tests make has an authenticator enrolled with this secret.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


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


def make_user(email, role="officer", teams=(), name=None, force_id=None, two_factor=True, rank=None):
    user = accounts.create_account(db.session, email=email, name=name or email.split("@")[0].title(), role=role,
                                   password=PASSWORD, teams=teams, today=date(2020, 1, 1), force_id=force_id,
                                   rank=rank or ("Police Constable" if role == "officer" and teams else None))
    if two_factor:
        user.totp_secret, user.totp_confirmed_at = TOTP_SECRET, datetime(2020, 1, 1)
    db.session.commit()
    return user


def totp_code(app, offset_steps=0):
    """The code the test authenticator shows now, by the app's clock."""
    import pyotp

    from app.clock_source import system_now as utcnow

    now = (app.config.get("CLOCK") or utcnow)()
    return pyotp.TOTP(TOTP_SECRET).at(now.replace(tzinfo=timezone.utc) + timedelta(seconds=30 * offset_steps))


def _forget_request_state():
    """The test's app context outlives requests, and flask-login and flask-wtf cache the
    user and the CSRF token in `g`: forget them between clients."""
    from flask import g, has_app_context

    if has_app_context():
        g.pop("_login_user", None)
        g.pop("csrf_token", None)


def sign_in(client, user, address="192.0.2.1", password=PASSWORD):
    """Sign in as a person does: email and password, then the authenticator's code."""
    from app.models import User

    # The test authenticator may have given this code a moment ago (codes are single use):
    # as if half a minute had passed since the last sign-in.
    db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
    db.session.commit()
    environ = {"REMOTE_ADDR": address}
    email = db.session.scalar(select(User.email).where(User.id == user.id))
    token = csrf_token(client, "/staff/sign-in")
    response = client.post("/staff/sign-in", data={"csrf_token": token, "email": email, "password": password},
                           environ_base=environ)
    assert response.status_code == 302 and response.location.endswith("/staff/sign-in/code"), response.status_code
    token = csrf_token(client, "/staff/sign-in/code")  # a new session from here on: a new token
    response = client.post("/staff/sign-in/code", data={"csrf_token": token, "code": totp_code(client.application)},
                           environ_base=environ)
    assert response.status_code == 302, response.get_data(as_text=True)
    _forget_request_state()
    return response


def csrf_token(client, url):
    _forget_request_state()
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def message_fields(**overrides):
    return {"name": "Alex Resident", "contact_by": "email", "email": "alex@example.org", "phone": "",
            "subject": "Cars parked on the pavement", "body": "Every evening on Elm Street.", "urgent": "no",
            "website": "", **overrides}


def sign_in_first_time(client, email, password, address="192.0.2.1"):
    """A new account's first sign-in: password, then setting up an authenticator from the
    key on the page. Returns (the secret, the recovery codes shown)."""
    import pyotp

    _forget_request_state()
    token = csrf_token(client, "/staff/sign-in")
    response = client.post("/staff/sign-in", data={"csrf_token": token, "email": email, "password": password},
                           environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 302 and response.location.endswith("/staff/sign-in/set-up-two-factor")
    _forget_request_state()  # a new session from here on: a new CSRF token
    page = client.get("/staff/sign-in/set-up-two-factor").get_data(as_text=True)
    secret = re.search(r'id="secret-key">([A-Z2-7]+)<', page).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    from app.clock_source import system_now as utcnow

    now = (client.application.config.get("CLOCK") or utcnow)()
    code = pyotp.TOTP(secret).at(now.replace(tzinfo=timezone.utc))
    response = client.post("/staff/sign-in/set-up-two-factor", data={"csrf_token": token, "code": code},
                           environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 200, response.status_code
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", response.get_data(as_text=True))
    _forget_request_state()
    return secret, codes


def sign_in_browser(page, email, password=PASSWORD, base="", app=None):
    """The two-step sign-in in Chromium: email and password, then the test authenticator's code
    (`app` when the caller has no application context)."""
    from contextlib import nullcontext

    import pyotp

    from app.models import User

    with app.app_context() if app is not None else nullcontext():
        db.session.execute(update(User).where(User.email == email).values(totp_last_step=None))
        db.session.commit()
    page.goto(f"{base}/staff/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/staff/sign-in/code")
    page.fill("#code", pyotp.TOTP(TOTP_SECRET).now())
    page.click("button:has-text('Continue')")
    page.wait_for_url(lambda url: "/staff/" in url and "/sign-in" not in url)
