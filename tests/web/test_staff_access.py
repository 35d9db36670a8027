"""Every staff route against every role: allowed, forbidden, or sent to sign in. An officer
never sees another team's inbox; a sergeant sees only the teams they supervise."""
from datetime import datetime

import pytest

from app.extensions import db
from app.services import inbox as service
from tests.factories import make_area
from tests.inbox_support import csrf_token, make_user, sign_in

ALLOWED, FORBIDDEN, NOT_FOUND = 200, 403, 404


@pytest.fixture
def world(app_context):
    mine = make_area()
    theirs = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    people = {
        "officer": make_user("pc@example.org", teams=[mine]),
        "sergeant": make_user("sarge@example.org", role="sergeant", teams=[mine]),
        "admin": make_user("admin@example.org", role="admin"),
    }
    fields = dict(name="A", email="a@example.org", phone=None, contact_by="email", subject="S", body="B")
    messages = {t: service.receive(db.session, t, datetime(2026, 11, 18, 9), **fields) for t in (mine, theirs)}
    db.session.commit()
    return mine, theirs, people, messages


def routes(mine, theirs, messages):
    own, other = messages[mine], messages[theirs]
    return [
        # (url, officer, sergeant, admin)
        ("/staff/inbox/", ALLOWED, ALLOWED, ALLOWED),
        (f"/staff/inbox/teams/{mine.id}", ALLOWED, ALLOWED, ALLOWED),
        (f"/staff/inbox/teams/{theirs.id}", FORBIDDEN, FORBIDDEN, ALLOWED),
        (f"/staff/inbox/teams/{mine.id}/messages/{own.id}", ALLOWED, ALLOWED, ALLOWED),
        (f"/staff/inbox/teams/{theirs.id}/messages/{other.id}", FORBIDDEN, FORBIDDEN, ALLOWED),
        (f"/staff/inbox/teams/{mine.id}/messages/{other.id}", NOT_FOUND, NOT_FOUND, NOT_FOUND),
        ("/staff/inbox/review", FORBIDDEN, ALLOWED, ALLOWED),
        ("/staff/inbox/compliance", ALLOWED, ALLOWED, ALLOWED),
        ("/staff/inbox/compliance.csv", ALLOWED, ALLOWED, ALLOWED),
        ("/staff/admin/users", FORBIDDEN, FORBIDDEN, ALLOWED),
        ("/staff/admin/users/new", FORBIDDEN, FORBIDDEN, ALLOWED),
    ]


def test_each_role_against_each_staff_page(app, world):
    mine, theirs, people, messages = world
    for url, *expected in routes(mine, theirs, messages):
        for (role, user), status in zip(people.items(), expected):
            client = app.test_client()
            sign_in(client, user)
            assert client.get(url).status_code == status, (role, url)


def test_anonymous_visitors_are_sent_to_sign_in_for_every_staff_page(app, world):
    mine, theirs, _, messages = world
    client = app.test_client()
    for url, *_ in routes(mine, theirs, messages):
        response = client.get(url)
        assert response.status_code == 302 and "/staff/sign-in" in response.location, url


def test_actions_on_another_teams_message_are_forbidden(app, world):
    mine, theirs, people, messages = world
    other = messages[theirs]
    for action in ("reply", "note", "own", "close", "reopen", "reassign"):
        for role in ("officer", "sergeant"):
            client = app.test_client()
            sign_in(client, people[role])
            token = csrf_token(client, f"/staff/inbox/teams/{mine.id}/messages/{messages[mine].id}")
            url = f"/staff/inbox/teams/{theirs.id}/messages/{other.id}/{action}"
            data = {"csrf_token": token, "body": "x", "note": "x", "channel": "email", "owner": "1"}
            assert client.post(url, data=data).status_code == FORBIDDEN, (role, action)
    assert other.entries == [] and other.owner_id is None


def test_an_officer_cannot_reassign_messages(app, world):
    mine, _, people, messages = world
    client = app.test_client()
    sign_in(client, people["officer"])
    url = f"/staff/inbox/teams/{mine.id}/messages/{messages[mine].id}"
    token = csrf_token(client, url)
    assert client.post(url + "/reassign", data={"csrf_token": token, "owner": "1"}).status_code == 403


def test_signing_out_everywhere_ends_every_session(app, world):
    _, _, people, _ = world
    client = app.test_client()
    sign_in(client, people["officer"])
    people["officer"].session_version += 1
    db.session.commit()
    assert client.get("/staff/inbox/").status_code == 302
