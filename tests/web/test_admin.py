"""Force administrators manage accounts and team membership, on the web and on the command line."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.factories import make_area
from tests.inbox_support import csrf_token, make_user, sign_in, sign_in_first_time


@pytest.fixture
def team(app_context):
    return make_area()


def test_an_admin_creates_an_officer_in_a_team_who_then_sees_its_inbox(app, client, team):
    admin = make_user("admin@example.org", role="admin")
    sign_in(client, admin)
    token = csrf_token(client, "/staff/admin/users/new")
    response = client.post("/staff/admin/users/new", data={
        "csrf_token": token, "name": "New Officer", "email": "New@Example.org", "role": "officer", "rank": "PCSO",
        "team_code": "E02002330", "password": "a long enough password"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user.team_ids() == {team.id} and user.check_password("a long enough password")
    assert user.officer.role == "PCSO"
    public = app.test_client().get("/teams/west-yorkshire/E02002330").get_data(as_text=True)
    assert "New Officer" in public and "Police Constable" not in public
    officer_client = app.test_client()
    sign_in_first_time(officer_client, "new@example.org", "a long enough password")
    # The temporary password opens only the page that replaces it.
    refused = officer_client.get(f"/staff/inbox/teams/{team.id}")
    assert refused.status_code == 302 and refused.location.endswith("/staff/account/password")
    token = csrf_token(officer_client, "/staff/account/password")
    changed = officer_client.post("/staff/account/password", data={
        "csrf_token": token, "current_password": "a long enough password", "new_password": "kettle orbit lantern",
        "confirm_password": "kettle orbit lantern"})
    assert changed.status_code == 302
    assert officer_client.get(f"/staff/inbox/teams/{team.id}").status_code == 200


def test_creating_an_account_with_errors_shows_them(client, team):
    sign_in(client, make_user("admin@example.org", role="admin"))
    token = csrf_token(client, "/staff/admin/users/new")
    response = client.post("/staff/admin/users/new", data={"csrf_token": token, "name": "", "email": "x",
                                                            "role": "officer", "password": "short"})
    assert response.status_code == 400 and "govuk-error-summary" in response.get_data(as_text=True)


def test_an_officer_account_needs_the_rank_the_public_will_read(client, team):
    sign_in(client, make_user("admin@example.org", role="admin"))
    token = csrf_token(client, "/staff/admin/users/new")
    response = client.post("/staff/admin/users/new", data={
        "csrf_token": token, "name": "New Officer", "email": "new@example.org", "role": "officer",
        "team_code": "E02002330", "password": "a long enough password"})
    assert response.status_code == 400 and 'href="#rank"' in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None


def test_ending_a_membership_removes_access_to_the_team(client, team):
    officer = make_user("pc@example.org", teams=[team])
    sign_in(client, make_user("admin@example.org", role="admin"))
    page = client.get(f"/staff/admin/users/{officer.id}").get_data(as_text=True)
    end_url = re.search(r'action="(/staff/admin/users/\d+/memberships/\d+/end)"', page).group(1)
    token = csrf_token(client, f"/staff/admin/users/{officer.id}")
    assert client.post(end_url, data={"csrf_token": token}).status_code == 302
    assert officer.team_ids() == set()


def test_the_users_command_creates_an_account(app, team):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", "sgt@example.org", "--name", "Sgt Example", "--role", "sergeant",
        "--team", "E02002330", "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "sgt@example.org"))
    assert user.role == "sergeant" and user.team_ids() == {team.id}
    again = app.test_cli_runner().invoke(args=["users", "create", "--email", "sgt@example.org", "--name", "X",
                                               "--password", "a long enough password"])
    assert again.exit_code != 0 and "already" in again.output


def test_a_switched_off_account_leaves_the_public_team_page_and_the_api(app, client, team):
    officer = make_user("pc@example.org", teams=[team], name="Pat Switched", rank="PCSO")
    assert "Pat Switched" in app.test_client().get("/teams/west-yorkshire/E02002330").get_data(as_text=True)
    admin = make_user("admin@example.org", role="admin")
    sign_in(client, admin)
    token = csrf_token(client, f"/staff/admin/users/{officer.id}")
    response = client.post(f"/staff/admin/users/{officer.id}", data={"csrf_token": token, "role": "officer"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, officer.id).active is False
    public = app.test_client()
    assert "Pat Switched" not in public.get("/teams/west-yorkshire/E02002330").get_data(as_text=True)
    assert "Pat Switched" not in public.get("/api/west-yorkshire/E02002330/people").get_data(as_text=True)
