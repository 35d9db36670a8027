"""Officers publish priorities, add dated actions and close them into the public archive."""
from datetime import date, timedelta

import pytest

from app.clock_source import today_in_london as local_today
from app.extensions import db
from app.models import AuditEntry, Priority, PriorityAction
from tests.factories import make_area
from tests.web.publishing_support import add_staff, csrf_token, date_parts, post_form, sign_in


@pytest.fixture
def team(app_context):
    return make_area()


@pytest.fixture
def officer(client, team):
    user = add_staff(team)
    sign_in(client, user)
    return user


def priority_form(**overrides):
    today = local_today()
    return {
        "title": "Speeding on Otley Road by the primary school",
        "description": "Drivers speed at school times. <script>alert(1)</script>We will run speed checks.",
        "area": "Otley Road between the roundabouts",
        "how_decided": "Voted for at the PACT meeting",
        "decided_at_meeting_id": "0",
        "residents_consulted": "34",
        "agreed_on": date_parts(today - timedelta(days=3)),
        "review_on": date_parts(today + timedelta(days=90)),
        **overrides,
    }


def public_page(client, team):
    return client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}").get_data(as_text=True)


def test_an_officer_publishes_a_priority_and_it_is_on_the_team_page_without_script(client, team, officer):
    response = post_form(client, f"/staff/teams/{team.id}/priorities/new", priority_form())
    assert response.status_code == 302
    priority = db.session.scalar(db.select(Priority))
    assert priority.residents_consulted == 34 and "<script>" not in priority.description
    assert "alert(1)" not in priority.description
    page = public_page(client, team)
    assert "Speeding on Otley Road by the primary school" in page and "34 residents took part" in page


def test_the_change_is_in_the_audit_log_with_who_and_what(client, team, officer):
    post_form(client, f"/staff/teams/{team.id}/priorities/new", priority_form())
    entry = db.session.scalar(db.select(AuditEntry))
    assert entry.user_id == officer.id and entry.action == "created" and entry.team_id == team.id
    assert entry.changes["title"][1] == "Speeding on Otley Road by the primary school"


@pytest.mark.parametrize("overrides,message", [
    ({"title": ""}, "Enter a title"),
    ({"title": "ASB"}, "Title must be between 10 and 200 characters"),
    ({"area": ""}, "Enter the area or streets the priority covers"),
    ({"agreed_on": ["31", "2", "2026"]}, "Date agreed must be a real date"),
    ({"review_on": ["", "", ""]}, "Enter the review date"),
    ({"agreed_on": date_parts(date.today() + timedelta(days=30))}, "Date agreed must be today or in the past"),
    ({"review_on": date_parts(date.today() - timedelta(days=10))}, "The review date must be after the date agreed"),
    ({"residents_consulted": "-3"}, "Enter a number of 0 or more"),
])
def test_bad_priority_input_is_refused_with_a_clear_error(client, team, officer, overrides, message):
    response = post_form(client, f"/staff/teams/{team.id}/priorities/new", priority_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page and message in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Priority)) == 0


def test_an_action_update_shows_as_the_latest_action_with_its_partner(client, team, officer):
    priority = Priority(team_id=team.id, title="Thefts from cars", description="d", agreed_on=date.today() - timedelta(days=40))
    db.session.add(priority)
    db.session.commit()
    response = post_form(client, f"/staff/teams/{team.id}/priorities/{priority.id}/actions/new",
                         {"taken_on": date_parts(local_today()), "description": "Leaflets on every car",
                          "partner": "Leeds City Council"})
    assert response.status_code == 302
    page = public_page(client, team)
    assert "Leaflets on every car" in page and "with Leeds City Council" in page


def test_an_action_cannot_be_dated_before_the_priority(client, team, officer):
    priority = Priority(team_id=team.id, title="Thefts from cars", description="d", agreed_on=date.today())
    db.session.add(priority)
    db.session.commit()
    response = post_form(client, f"/staff/teams/{team.id}/priorities/{priority.id}/actions/new",
                         {"taken_on": date_parts(date.today() - timedelta(days=5)), "description": "Too early"})
    assert response.status_code == 400 and "cannot be before the priority was agreed" in response.get_data(as_text=True)


def test_a_priority_without_an_update_for_over_a_month_is_flagged_to_the_team(client, team, officer):
    old = Priority(team_id=team.id, title="Old and quiet", description="d", agreed_on=date.today() - timedelta(days=90))
    old.actions.append(PriorityAction(taken_on=date.today() - timedelta(days=40), description="Patrol"))
    fresh = Priority(team_id=team.id, title="Fresh one", description="d", agreed_on=date.today() - timedelta(days=3))
    db.session.add_all([old, fresh])
    db.session.commit()
    page = client.get(f"/staff/teams/{team.id}/").get_data(as_text=True)
    assert page.count("Needs an update") == 1
    assert "Needs an update</strong> Old and quiet" in page


def test_a_closed_priority_moves_to_the_public_archive_with_its_outcome(client, team, officer):
    priority = Priority(team_id=team.id, title="Parking on the school zigzags", description="d",
                        agreed_on=date.today() - timedelta(days=100))
    db.session.add(priority)
    db.session.commit()
    response = post_form(client, f"/staff/teams/{team.id}/priorities/{priority.id}/close",
                         {"closed_on": date_parts(local_today()), "outcome": "Zigzags now enforced by the council"})
    assert response.status_code == 302
    assert "Parking on the school zigzags" not in public_page(client, team)
    archive = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}/priorities/archive").get_data(as_text=True)
    assert "Parking on the school zigzags" in archive and "Zigzags now enforced by the council" in archive


def test_closing_needs_an_outcome(client, team, officer):
    priority = Priority(team_id=team.id, title="Something", description="d", agreed_on=date.today())
    db.session.add(priority)
    db.session.commit()
    response = post_form(client, f"/staff/teams/{team.id}/priorities/{priority.id}/close",
                         {"closed_on": date_parts(local_today()), "outcome": ""})
    assert response.status_code == 400 and "Describe the outcome" in response.get_data(as_text=True)


def test_an_officer_of_another_team_cannot_publish_for_this_one(client, team):
    other = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    sign_in(client, add_staff(other, email="other@police.example"))
    assert client.get(f"/staff/teams/{team.id}/priorities/new").status_code == 403
    token = csrf_token(client, "/staff/")
    response = client.post(f"/staff/teams/{team.id}/priorities/new", data={**priority_form(), "csrf_token": token})
    assert response.status_code == 403


def test_a_priority_of_another_team_is_not_found_through_this_one(client, team, officer):
    other = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    theirs = Priority(team_id=other.id, title="Theirs", description="d", agreed_on=date.today())
    db.session.add(theirs)
    db.session.commit()
    assert client.get(f"/staff/teams/{team.id}/priorities/{theirs.id}/edit").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, team):
    response = client.get(f"/staff/teams/{team.id}/priorities/new")
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_a_form_without_its_csrf_token_is_refused(client, team, officer):
    response = client.post(f"/staff/teams/{team.id}/priorities/new", data=priority_form())
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Priority)) == 0
