"""Staff sign-in as the audit retried it: sessions end on sign-out, `next` stays on this
site, unknown emails cost as much as known ones, failures slow an attacker but never lock
the real user out, passwords follow the policy, and every sign-in needs a second factor."""
import statistics
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, OutboxEmail, PasswordReset, RecoveryCode, StaffSession, User
from app.models import accounts as account_models
from tests.factories import add_station, make_area
from tests.inbox_support import (PASSWORD, _forget_request_state, clock, csrf_token, make_user,  # noqa: F401
                                 sign_in, sign_in_first_time, totp_code)

ATTACKER, REAL_USER = "203.0.113.66", "198.51.100.7"
SLOW_ATTACKER = "203.0.113.67"  # its own address: the per-minute request limit counts by address too


@pytest.fixture
def team(app_context):
    return make_area()


def fresh_get(client, url):
    """A GET as its own browser would make it (the test's app context caches the user in `g`)."""
    _forget_request_state()
    return client.get(url)


def post_password(client, email, password, address=REAL_USER, next_path=None):
    token = csrf_token(client, "/staff/sign-in")
    url = "/staff/sign-in" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"csrf_token": token, "email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def post_code(client, code, address=REAL_USER):
    token = csrf_token(client, "/staff/sign-in/code")
    return client.post("/staff/sign-in/code", data={"csrf_token": token, "code": code},
                       environ_base={"REMOTE_ADDR": address})


# --- sessions ---------------------------------------------------------------------------

def test_a_session_cookie_kept_from_before_sign_out_is_refused_afterwards(app, team):
    officer = make_user("pc@example.org", teams=[team])
    client = app.test_client()
    sign_in(client, officer)
    kept = client.get_cookie("session").value
    assert client.get("/staff/inbox/").status_code == 200
    token = csrf_token(client, "/staff/")
    assert client.post("/staff/sign-out", data={"csrf_token": token}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", kept)
    response = fresh_get(replay, f"/staff/inbox/teams/{team.id}")
    assert response.status_code == 302 and "/staff/sign-in" in response.location
    assert db.session.scalar(select(func.count()).select_from(StaffSession)) == 0


def test_signing_out_one_browser_leaves_the_others_signed_in(app, team):
    officer = make_user("pc@example.org", teams=[team])
    phone, desk = app.test_client(), app.test_client()
    sign_in(phone, officer)
    sign_in(desk, officer)
    phone.post("/staff/sign-out", data={"csrf_token": csrf_token(phone, "/staff/")})
    assert fresh_get(desk, "/staff/inbox/").status_code == 200


# --- next= -----------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "/%5C%5Cevil.example",
                                    "https://evil.example/", "/%0D%0ALocation:%20https://evil.example",
                                    "javascript:alert(1)", "/%0a/evil.example", "%2F%2Fevil.example"])
def test_next_never_leaves_the_site(app, team, target):
    officer = make_user("pc@example.org", teams=[team])
    client = app.test_client()
    assert post_password(client, officer.email, PASSWORD, next_path=target).status_code == 302
    response = post_code(client, totp_code(app))
    assert response.status_code == 302 and response.location == "/staff/"


def test_next_returns_to_a_page_on_this_site(app, team):
    officer = make_user("pc@example.org", teams=[team])
    client = app.test_client()
    post_password(client, officer.email, PASSWORD, next_path="/staff/inbox/%3Fshow%3Dclosed")
    assert post_code(client, totp_code(app)).location == "/staff/inbox/?show=closed"


# --- equal time for unknown emails --------------------------------------------------------

def test_an_unknown_email_takes_as_long_to_refuse_as_a_known_one(app, team):
    account_models.use_hash_profile("RFC_9106_LOW_MEMORY")  # the production cost, so the difference shows
    try:
        make_user("pc@example.org", teams=[team])
        client = app.test_client()

        def timed(email, address):
            started = time.perf_counter()
            assert post_password(client, email, "not the password", address=address).status_code == 401
            return time.perf_counter() - started

        known = statistics.median(timed("pc@example.org", f"192.0.2.{i}") for i in range(5))
        unknown = statistics.median(timed(f"nobody{i}@example.org", f"192.0.2.{i + 10}") for i in range(5))
        assert unknown > 0.6 * known, (known, unknown)
    finally:
        account_models.use_hash_profile(app.config["PASSWORD_HASH_PROFILE"])


# --- throttling, never a lock-out -----------------------------------------------------------

def test_an_attacker_is_slowed_more_with_each_failure(app, team, clock):
    make_user("sarge@example.org", role="sergeant", teams=[team])
    client = app.test_client()
    for _ in range(3):
        assert post_password(client, "sarge@example.org", "guess", address=SLOW_ATTACKER).status_code == 401
    response = post_password(client, "sarge@example.org", "guess", address=SLOW_ATTACKER)
    assert response.status_code == 401  # the fourth comes at once, then waits begin
    waits = []
    for _ in range(4):
        refused = post_password(client, "sarge@example.org", "guess", address=SLOW_ATTACKER)
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock.advance(seconds=waits[-1])
        assert post_password(client, "sarge@example.org", "guess", address=SLOW_ATTACKER).status_code == 401
    assert waits == sorted(waits) and waits[-1] > waits[0]


def test_the_real_user_signs_in_while_an_attacker_guesses_the_account(app, team, clock):
    sergeant = make_user("sarge@example.org", role="sergeant", teams=[team])
    attacker = app.test_client()
    for _ in range(60):  # the old rule locked the account for 15 minutes after 5
        post_password(attacker, "sarge@example.org", "guess", address=ATTACKER)
        clock.advance(seconds=1)
    client = app.test_client()
    response = post_password(client, sergeant.email, PASSWORD, address=REAL_USER)
    if response.status_code == 429:  # at most the per-account cap, never minutes
        assert int(response.headers["Retry-After"]) <= 30
        clock.advance(seconds=int(response.headers["Retry-After"]))
        response = post_password(client, sergeant.email, PASSWORD, address=REAL_USER)
    assert response.status_code == 302
    assert post_code(client, totp_code(app)).status_code == 302
    assert client.get("/staff/inbox/").status_code == 200


# --- passwords --------------------------------------------------------------------------------

def change_password(client, current, new, confirm=None):
    token = csrf_token(client, "/staff/account/password")
    return client.post("/staff/account/password", data={
        "csrf_token": token, "current_password": current, "new_password": new, "confirm_password": confirm or new})


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "password1234", "short", "qwertyuiop12", "Priya Sharma rocks",
                                  "sharma-2026-spring"])
def test_weak_passwords_are_refused(app, team, weak):
    officer = make_user("priya.sharma@example.org", teams=[team], name="Priya Sharma")
    client = app.test_client()
    sign_in(client, officer)
    response = change_password(client, PASSWORD, weak)
    assert response.status_code == 400 and "govuk-error-summary" in response.get_data(as_text=True)
    assert officer.check_password(PASSWORD)


def test_staff_change_their_password_and_their_other_devices_are_signed_out(app, team):
    officer = make_user("pc@example.org", teams=[team])
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, officer)
    sign_in(elsewhere, officer)
    assert change_password(here, "wrong password", "a brand new passphrase").status_code == 400
    assert change_password(here, PASSWORD, "a brand new passphrase").status_code == 302
    db.session.refresh(officer)
    assert officer.check_password("a brand new passphrase") and officer.password_changed_at is not None
    assert fresh_get(here, "/staff/inbox/").status_code == 200
    assert fresh_get(elsewhere, "/staff/inbox/").status_code == 302


def test_an_administrator_cannot_set_a_common_temporary_password(app, team):
    client = app.test_client()
    sign_in(client, make_user("admin@example.org", role="admin"))
    token = csrf_token(client, "/staff/admin/users/new")
    response = client.post("/staff/admin/users/new", data={
        "csrf_token": token, "name": "New Officer", "email": "new@example.org", "role": "officer",
        "team_code": "E02002330", "password": "password1234"})
    assert response.status_code == 400 and db.session.scalar(select(User).where(User.email == "new@example.org")) is None


# --- reset by emailed link ------------------------------------------------------------------

def ask_for_reset(client, email):
    token = csrf_token(client, "/staff/sign-in/forgotten")
    return client.post("/staff/sign-in/forgotten", data={"csrf_token": token, "email": email})


def test_a_forgotten_password_is_reset_by_a_one_time_link(app, team, clock):
    officer = make_user("pc@example.org", teams=[team])
    client = app.test_client()
    known = ask_for_reset(client, "pc@example.org")
    unknown = ask_for_reset(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True).replace("pc@example.org", "X") == \
        unknown.get_data(as_text=True).replace("nobody@example.org", "X")
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "password_reset"))
    assert email.to_address == "pc@example.org"
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 1
    link = next(line for line in email.body_text.splitlines() if "/staff/sign-in/reset/" in line)
    path = link[link.index("/staff/"):]
    token = path.rsplit("/", 1)[1]
    stored = db.session.scalar(select(PasswordReset))
    assert token not in stored.token_hash and len(stored.token_hash) == 64  # only a hash at rest

    form = {"csrf_token": csrf_token(client, path), "new_password": "password1234", "confirm_password": "password1234"}
    assert client.post(path, data=form).status_code == 400
    form.update(new_password="river lantern pebble", confirm_password="river lantern pebble")
    assert client.post(path, data=form).status_code == 302
    assert client.get(path).status_code == 404  # single use
    db.session.refresh(officer)
    assert officer.check_password("river lantern pebble")


def test_a_reset_link_expires(app, team, clock):
    make_user("pc@example.org", teams=[team])
    client = app.test_client()
    ask_for_reset(client, "pc@example.org")
    body = db.session.scalar(select(OutboxEmail.body_text))
    path = body[body.index("/staff/sign-in/reset/"):].split()[0]
    clock.advance(minutes=61)
    assert client.get(path).status_code == 404


# --- two-factor sign-in ----------------------------------------------------------------------

def test_a_password_alone_does_not_sign_in(app, team):
    officer = make_user("pc@example.org", teams=[team])
    client = app.test_client()
    assert post_password(client, officer.email, PASSWORD).location.endswith("/staff/sign-in/code")
    assert client.get("/staff/inbox/").status_code == 302
    assert post_code(client, "000000").status_code == 401
    assert client.get("/staff/inbox/").status_code == 302


def test_first_sign_in_sets_up_an_authenticator_with_a_qr_code(app, team):
    make_user("new@example.org", teams=[team], two_factor=False)
    client = app.test_client()
    post_password(client, "new@example.org", PASSWORD)
    assert client.get("/staff/").status_code == 302  # nothing but the set-up page until it is done
    page = client.get("/staff/sign-in/set-up-two-factor").get_data(as_text=True)
    assert "<svg" in page and "QR code for your authenticator app" in page and "<img" not in page.split("<main")[1]
    secret, codes = sign_in_first_time(app.test_client(), "new@example.org", PASSWORD)
    assert len(codes) == 10 and len(set(codes)) == 10
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    db.session.refresh(user)
    assert user.has_second_factor and user.totp_secret == secret
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert not any(code.replace("-", "") in h for code in codes for h in stored)


def test_a_code_cannot_be_used_twice(app, team):
    officer = make_user("pc@example.org", teams=[team])
    code = totp_code(app)
    first = app.test_client()
    post_password(first, officer.email, PASSWORD)
    assert post_code(first, code).status_code == 302
    second = app.test_client()
    post_password(second, officer.email, PASSWORD)
    assert post_code(second, code).status_code == 401


def test_a_recovery_code_signs_in_once(app, team):
    make_user("new@example.org", teams=[team], two_factor=False)
    _, codes = sign_in_first_time(app.test_client(), "new@example.org", PASSWORD)
    for expected in (302, 401):
        client = app.test_client()
        post_password(client, "new@example.org", PASSWORD)
        assert post_code(client, codes[0].upper()).status_code == expected


def test_an_administrator_resets_two_factor_and_it_is_audited(app, team):
    officer = make_user("pc@example.org", teams=[team])
    officer_client = app.test_client()
    sign_in(officer_client, officer)
    admin_client = app.test_client()
    sign_in(admin_client, make_user("admin@example.org", role="admin"))
    token = csrf_token(admin_client, f"/staff/admin/users/{officer.id}")
    assert admin_client.post(f"/staff/admin/users/{officer.id}/two-factor/reset",
                             data={"csrf_token": token}).status_code == 302
    db.session.refresh(officer)
    assert not officer.has_second_factor
    assert fresh_get(officer_client, "/staff/inbox/").status_code == 302  # signed out everywhere
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "two-factor reset"))
    assert entry.object_id == officer.id
    assert "two-factor reset" in fresh_get(admin_client, f"/staff/admin/users/{officer.id}").get_data(as_text=True)
    client = app.test_client()
    assert post_password(client, officer.email, PASSWORD).location.endswith("/staff/sign-in/set-up-two-factor")


def test_the_staff_account_page_makes_new_recovery_codes(app, team):
    officer = make_user("pc@example.org", teams=[team])
    client = app.test_client()
    sign_in(client, officer)
    token = csrf_token(client, "/staff/account")
    page = client.post("/staff/account/recovery-codes", data={"csrf_token": token}).get_data(as_text=True)
    assert page.count("<li><code>") == 10
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 10


# --- the base station ----------------------------------------------------------------------

def station_form(client, team, **overrides):
    url = f"/staff/teams/{team.id}/station"
    data = {"csrf_token": csrf_token(client, url), "name": "Millgarth", "address": "1 Street\nLeeds",
            "postcode": "LS1 1AZ", "facilities": "", "directions": "", **overrides}
    return client.post(url, data=data)


def test_a_sergeant_editing_a_shared_station_changes_only_their_teams_copy(app, team):
    other = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    station = add_station(team)
    other.station = station
    db.session.commit()
    sergeant = make_user("sarge@example.org", role="sergeant", teams=[team])
    client = app.test_client()
    sign_in(client, sergeant)
    assert "you do not supervise" in client.get(f"/staff/teams/{team.id}/station").get_data(as_text=True)
    assert station_form(client, team, name="Renamed station").status_code == 302
    db.session.expire_all()
    assert other.station.name == "Example Police Station"
    assert team.station.name == "Renamed station" and team.station_id != other.station_id
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.team_id == team.id)) == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.team_id == other.id)) == 0


def test_a_sergeant_of_every_team_sharing_a_station_edits_it_and_each_team_audits_it(app, team):
    other = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    station = add_station(team)
    other.station = station
    db.session.commit()
    sergeant = make_user("sarge@example.org", role="sergeant", teams=[team, other])
    client = app.test_client()
    sign_in(client, sergeant)
    assert station_form(client, team, name="Renamed station").status_code == 302
    db.session.expire_all()
    assert other.station.name == "Renamed station" and team.station_id == other.station_id
    for each in (team, other):
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.team_id == each.id))
        assert entry.action == "station updated" and entry.changes["name"][1] == "Renamed station"
