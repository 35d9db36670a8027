"""The open API answers data.police.uk's paths with its field names, from the portal's data."""
import re
from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import Meeting, Priority, PriorityAction, Update
from tests.factories import add_officer, add_station, make_area

LEEDS = "/api/west-yorkshire/E02002330"


@pytest.fixture
def team(app_context):
    team = make_area()
    team.email, team.telephone = "npt@example.org", "101"
    team.social_links = [{"label": "Facebook", "url": "https://facebook.example/leeds"}]
    db.session.commit()
    return team


def test_forces_are_listed_with_id_and_name(client, team):
    assert client.get("/api/forces").get_json() == [{"id": "west-yorkshire", "name": "West Yorkshire"}]


def test_one_force_has_the_data_police_uk_fields(client, team):
    force = client.get("/api/forces/west-yorkshire").get_json()
    assert set(force) >= {"id", "name", "description", "url", "telephone", "engagement_methods"}


def test_a_force_lists_its_neighbourhoods(client, team):
    assert client.get("/api/west-yorkshire/neighbourhoods").get_json() == [{"id": "E02002330", "name": "Leeds 111"}]


def test_a_neighbourhood_has_contact_details_centre_locations_and_links(client, team):
    add_station(team, latitude=53.8, longitude=-1.54)
    body = client.get(LEEDS).get_json()
    assert body["id"] == "E02002330" and body["name"] == "Leeds 111"
    assert body["contact_details"] == {"email": "npt@example.org", "telephone": "101",
                                       "facebook": "https://facebook.example/leeds"}
    assert body["centre"] == {"latitude": "53.8", "longitude": "-1.545"}
    assert body["locations"][0]["name"] == "Example Police Station" and body["locations"][0]["type"] == "station"
    assert body["links"] == [{"url": "https://facebook.example/leeds", "title": "Facebook", "description": None}]
    assert body["url_force"].endswith("/teams/west-yorkshire/E02002330")


def test_the_boundary_is_a_ring_of_string_coordinates(client, team):
    points = client.get(f"{LEEDS}/boundary").get_json()
    assert points[0] == {"latitude": "53.79", "longitude": "-1.56"} and len(points) == 5


def test_people_have_name_rank_bio_and_contact_details(client, team):
    add_officer(team, name="Priya Sample", role="PCSO", pen_picture="Runs the Tuesday surgery.")
    assert client.get(f"{LEEDS}/people").get_json() == [
        {"name": "Priya Sample", "rank": "PCSO", "bio": "Runs the Tuesday surgery.", "contact_details": {}}]


def test_events_are_upcoming_meetings_in_london_time(client, team):
    db.session.add_all([
        Meeting(team_id=team.id, kind="surgery", title="Summer surgery", starts_at=datetime(2099, 7, 1, 17, 0),
                duration_minutes=90, venue="Library", address="1 High Street", purpose="Drop in"),
        Meeting(team_id=team.id, kind="pact", title="Past", starts_at=datetime(2020, 1, 1), venue="Hall", purpose="x"),
        Meeting(team_id=team.id, kind="pact", title="Off", starts_at=datetime(2099, 1, 1), venue="Hall", purpose="x",
                cancelled=True),
    ])
    db.session.commit()
    assert client.get(f"{LEEDS}/events").get_json() == [{
        "title": "Summer surgery", "description": "Drop in", "address": "Library, 1 High Street",
        "type": "surgery", "start_date": "2099-07-01T18:00:00", "end_date": "2099-07-01T19:30:00",
        "contact_details": {}}]


def test_priorities_give_issue_and_latest_action_with_their_dates(client, team):
    priority = Priority(team_id=team.id, title="Speeding", description="Speeding by the school",
                        agreed_on=date(2026, 10, 1))
    priority.actions.append(PriorityAction(taken_on=date(2026, 10, 5), description="Speed checks"))
    db.session.add(priority)
    db.session.commit()
    [body] = client.get(f"{LEEDS}/priorities").get_json()
    assert body["issue"] == "Speeding by the school" and body["issue-date"] == "2026-10-01T00:00:00"
    assert body["action"] == "Speed checks" and body["action-date"] == "2026-10-05T00:00:00"


def test_you_said_we_did_and_meetings_with_minutes_are_served(client, team):
    db.session.add(Update(team_id=team.id, published_on=date.today(), you_said="Parking", we_did="Tickets"))
    db.session.add(Meeting(team_id=team.id, kind="pact", title="PACT", venue="Hall", purpose="p",
                           starts_at=datetime.utcnow() - timedelta(days=10), minutes="We agreed three priorities."))
    db.session.commit()
    assert client.get(f"{LEEDS}/you-said-we-did").get_json()[0]["we_did"] == "Tickets"
    assert client.get(f"{LEEDS}/meetings").get_json()[0]["minutes"] == "We agreed three priorities."


def test_locate_neighbourhood_finds_the_neighbourhood_at_a_point(client, team):
    assert client.get("/api/locate-neighbourhood?q=53.8,-1.545").get_json() == {
        "force": "west-yorkshire", "neighbourhood": "E02002330"}
    assert client.get("/api/locate-neighbourhood?q=51.5,-0.12").status_code == 404


def test_locate_neighbourhood_sees_a_boundary_change_without_a_restart(client, team):
    assert client.get("/api/locate-neighbourhood?q=53.8,-1.545").status_code == 200
    make_area(neighbourhood_id="E02002331", name="Leeds 112", geometry={"type": "Polygon", "coordinates": [
        [[-1.0, 53.0], [-0.9, 53.0], [-0.9, 53.1], [-1.0, 53.1], [-1.0, 53.0]]]})
    assert client.get("/api/locate-neighbourhood?q=53.05,-0.95").get_json()["neighbourhood"] == "E02002331"


@pytest.mark.parametrize("path", ["/api/forces/nowhere", "/api/nowhere/neighbourhoods", "/api/west-yorkshire/NOPE",
                                  "/api/west-yorkshire/NOPE/people", "/api/a/b/c/d"])
def test_unknown_things_are_a_json_404_with_a_message(client, team, path):
    response = client.get(path)
    assert response.status_code == 404 and response.is_json and response.get_json()["error"]


@pytest.mark.parametrize("q", ["", "53.8", "a,b", "91,0", "nan,nan", "53.8,-1.5,2"])
def test_a_bad_point_is_a_json_400(client, team, q):
    response = client.get(f"/api/locate-neighbourhood?q={q}")
    assert response.status_code == 400 and response.get_json()["error"]


def test_reads_are_open_to_other_sites_without_cookies(client, team):
    response = client.get("/api/forces")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


def test_the_openapi_document_describes_every_api_route(app, client):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    # Parameters are compared by position only: {force} in the document is <force_id> in Flask.
    described = {re.sub(r"\{[^}]+\}", "{}", "/api" + p) for p in document["paths"]}
    served = {re.sub(r"<[^>]+>", "{}", r.rule) for r in app.url_map.iter_rules()
              if r.endpoint.startswith("api.") and r.endpoint != "api.openapi"}
    assert served == described
