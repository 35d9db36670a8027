"""The crime endpoints of the open API answer as data.police.uk's do, from the imported CSVs."""
import pytest
from sqlalchemy import text

from app.domain import crime_search
from app.extensions import db
from tests.crime_data import crime_row, csv_text

PARK_ROW = ("-1.549100", "53.796500")  # Leeds city centre
A_MILE_NORTH = ("-1.549100", "53.812000")  # about 1.07 miles north: outside the radius
HALF_A_MILE_EAST = ("-1.537000", "53.796500")
NEAR = "lat=53.7965&lng=-1.5491"
ID = "e11dade0a92a912d12329b9b2abb856ac9520434ad6845c30f503e9901d140f1"


@pytest.fixture
def crimes(app, app_context, tmp_path):
    def publish(rows, month="2018-07"):
        path = tmp_path / month / f"{month}-west-yorkshire-street.csv"
        path.parent.mkdir(exist_ok=True)
        path.write_text(csv_text(rows))
        result = app.test_cli_runner().invoke(args=["import", "crimes", str(path)])
        assert result.exit_code == 0, result.output

    publish([
        crime_row(ID, lon=PARK_ROW[0], lat=PARK_ROW[1], category="Burglary", outcome="Under investigation"),
        crime_row("", lon=PARK_ROW[0], lat=PARK_ROW[1], category="Anti-social behaviour", outcome=""),
        crime_row("b" * 64, lon=HALF_A_MILE_EAST[0], lat=HALF_A_MILE_EAST[1], location="On or near Kirkgate",
                  category="Violence and sexual offences", outcome=""),
        crime_row("c" * 64, lon=A_MILE_NORTH[0], lat=A_MILE_NORTH[1], category="Burglary"),
        crime_row("d" * 64, lon="", lat="", location="No Location", category="Burglary"),
    ])
    publish([crime_row("e" * 64, month="2018-06", lon=PARK_ROW[0], lat=PARK_ROW[1], category="Shoplifting",
                       outcome="Offender given penalty notice")], month="2018-06")
    return publish


def test_crimes_within_a_mile_of_a_point_have_data_police_uks_fields(client, crimes):
    found = client.get(f"/api/crimes-street/all-crime?{NEAR}").get_json()
    assert sorted(c["persistent_id"] for c in found) == sorted(["", ID, "b" * 64])
    burglary = next(c for c in found if c["persistent_id"] == ID)
    assert burglary == {
        "category": "burglary",
        "location_type": "Force",
        "location": {"latitude": "53.796500", "longitude": "-1.549100",
                     "street": {"id": burglary["location"]["street"]["id"], "name": "On or near Park Row"}},
        "context": "",
        "outcome_status": {"category": "Under investigation", "date": "2018-07"},
        "persistent_id": ID,
        "id": burglary["id"],
        "location_subtype": "",
        "month": "2018-07",
    }
    assert isinstance(burglary["location"]["street"]["id"], int) and isinstance(burglary["id"], int)


def test_anti_social_behaviour_and_crimes_without_an_outcome_have_a_null_outcome_status(client, crimes):
    found = {c["category"]: c for c in client.get(f"/api/crimes-street/all-crime?{NEAR}").get_json()}
    assert found["anti-social-behaviour"]["outcome_status"] is None
    assert found["anti-social-behaviour"]["persistent_id"] == ""
    assert found["violent-crime"]["outcome_status"] is None


def test_crimes_at_the_same_map_point_share_a_street_id_that_survives_a_reimport(client, crimes):
    def street_ids():
        found = client.get(f"/api/crimes-street/all-crime?{NEAR}").get_json()
        return {c["persistent_id"]: c["location"]["street"]["id"] for c in found}

    before = street_ids()
    assert before[ID] == before[""] != before["b" * 64]
    crimes([crime_row(ID, lon=PARK_ROW[0], lat=PARK_ROW[1], outcome="Unable to prosecute suspect")])
    assert street_ids()[ID] == before[ID]


def test_a_category_slug_filters_and_an_unknown_one_is_a_json_404(client, crimes):
    found = client.get(f"/api/crimes-street/violent-crime?{NEAR}").get_json()
    assert [c["persistent_id"] for c in found] == ["b" * 64]
    response = client.get(f"/api/crimes-street/jaywalking?{NEAR}")
    assert response.status_code == 404 and response.get_json()["error"]


def test_the_latest_month_is_the_default_and_date_picks_another(client, crimes):
    june = client.get(f"/api/crimes-street/all-crime?{NEAR}&date=2018-06").get_json()
    assert [(c["category"], c["month"]) for c in june] == [("shoplifting", "2018-06")]
    assert client.get(f"/api/crimes-street/all-crime?{NEAR}&date=2017-01").get_json() == []


@pytest.mark.parametrize("query", ["", "lat=53.7965", "lat=abc&lng=-1.5", "lat=91&lng=0", "lat=nan&lng=0",
                                   f"{NEAR}&date=2018-13", f"{NEAR}&date=July", "poly=53.8,-1.5",
                                   "poly=53.8,-1.5:53.8,-1.5:53.8,-1.5", "poly=a,b:c,d:e,f",
                                   "poly=" + ":".join(["53.8,-1.5"] * 500)])
def test_a_bad_point_area_or_date_is_a_json_400(client, crimes, query):
    response = client.get(f"/api/crimes-street/all-crime?{query}")
    assert response.status_code == 400 and response.get_json()["error"]


def test_crimes_inside_an_area(client, crimes):
    around_park_row = "53.79,-1.56:53.80,-1.56:53.80,-1.54:53.79,-1.54"
    found = client.get(f"/api/crimes-street/all-crime?poly={around_park_row}").get_json()
    assert sorted(c["persistent_id"] for c in found) == ["", ID]
    burglaries = client.get(f"/api/crimes-street/burglary?poly={around_park_row}").get_json()
    assert [c["persistent_id"] for c in burglaries] == [ID]


def test_an_area_with_too_many_crimes_is_refused_with_503_as_data_police_uk_does(client, crimes, monkeypatch):
    monkeypatch.setattr(crime_search, "MAX_CRIMES_IN_AREA", 2)
    whole_of_leeds = "53.70,-1.70:53.90,-1.70:53.90,-1.40:53.70,-1.40"
    response = client.get(f"/api/crimes-street/all-crime?poly={whole_of_leeds}")
    assert response.status_code == 503 and "more than 2 crimes" in response.get_json()["error"]
    assert client.get(f"/api/crimes-street/burglary?poly={whole_of_leeds}").status_code == 200


def test_crime_categories_give_url_and_name_with_all_crime_first(client, crimes):
    categories = client.get("/api/crime-categories?date=2018-07").get_json()
    assert categories[0] == {"url": "all-crime", "name": "All crime"}
    assert {"url": "violent-crime", "name": "Violence and sexual offences"} in categories
    assert {"url": "criminal-damage-arson", "name": "Criminal damage and arson"} in categories
    assert len(categories) == 15
    assert client.get("/api/crime-categories?date=2018-7").status_code == 400


def test_crime_last_updated_is_the_first_day_of_the_latest_month(client, crimes):
    assert client.get("/api/crime-last-updated").get_json() == {"date": "2018-07-01"}


def test_crime_last_updated_without_data_is_a_json_404(client, app_context):
    response = client.get("/api/crime-last-updated")
    assert response.status_code == 404 and response.get_json()["error"]


def test_outcomes_for_a_crime_give_the_latest_outcome_with_its_code(client, crimes):
    body = client.get(f"/api/outcomes-for-crime/{ID}").get_json()
    assert body["outcomes"] == [{"category": {"code": "under-investigation", "name": "Under investigation"},
                                 "date": "2018-07", "person_id": None}]
    assert body["crime"]["persistent_id"] == ID and body["crime"]["category"] == "burglary"
    assert "outcome_status" not in body["crime"]
    june = client.get(f"/api/outcomes-for-crime/{'e' * 64}").get_json()
    assert june["outcomes"][0]["category"] == {"code": "penalty-notice-issued",
                                               "name": "Offender given a penalty notice"}


def test_outcomes_for_a_crime_without_an_outcome_or_a_location(client, crimes):
    assert client.get(f"/api/outcomes-for-crime/{'b' * 64}").get_json()["outcomes"] == []
    unmapped = client.get(f"/api/outcomes-for-crime/{'d' * 64}").get_json()["crime"]
    assert unmapped["location"] is None and unmapped["location_type"] is None
    response = client.get(f"/api/outcomes-for-crime/{'f' * 64}")
    assert response.status_code == 404 and response.get_json()["error"]


def test_the_point_query_is_served_by_the_month_location_index(app, crimes):
    from app.queries import crime as queries

    if db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    query = queries._in_box(queries.select(*queries.CRIME_COLUMNS), "2018-07", None,
                            *crime_search.box_around(53.7965, -1.5491))
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = " ".join(str(row) for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_crimes_month_location" in plan


@pytest.mark.parametrize("category,fields", [
    ("all-crime", {"poly": "53.79,-1.56:53.80,-1.56:53.80,-1.54:53.79,-1.54"}),
    ("burglary", {"poly": "53.79,-1.56:53.80,-1.56:53.80,-1.54:53.79,-1.54", "date": "2018-07"}),
    ("all-crime", {"poly": "53.79,-1.56:53.80,-1.56:53.80,-1.54:53.79,-1.54", "date": "2018-06"}),
    ("all-crime", {"lat": "53.7965", "lng": "-1.5491"}),
    ("all-crime", {"poly": "53.8,-1.5"}),
    ("all-crime", {"date": "2018-13", "lat": "53.7965", "lng": "-1.5491"}),
    ("no-such-category", {"lat": "53.7965", "lng": "-1.5491"}),
])
def test_a_form_encoded_post_answers_as_the_get_does(client, crimes, category, fields):
    from urllib.parse import urlencode

    got = client.get(f"/api/crimes-street/{category}?{urlencode(fields)}")
    posted = client.post(f"/api/crimes-street/{category}", data=fields)  # no CSRF token, as API clients send
    assert posted.status_code == got.status_code and posted.get_json() == got.get_json()
    assert posted.headers["Access-Control-Allow-Origin"] == "*"


def test_a_polygon_too_long_for_a_url_can_be_posted(client, crimes):
    import math

    ring = [(53.795 + 0.01 * math.sin(2 * math.pi * i / 600), -1.55 + 0.01 * math.cos(2 * math.pi * i / 600))
            for i in range(600)]
    poly = ":".join(f"{lat:.6f},{lng:.6f}" for lat, lng in ring)
    assert len(poly) > 8000
    response = client.post("/api/crimes-street/all-crime", data={"poly": poly, "date": "2018-07"})
    assert response.status_code == 200 and ID in [c["persistent_id"] for c in response.get_json()]


def test_the_post_is_in_the_openapi_document(client):
    operation = client.get("/api/openapi.json").get_json()["paths"]["/crimes-street/{category}"]["post"]
    assert "poly" in operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]


def test_other_forms_still_need_their_csrf_token(client, crimes):
    assert client.post("/teams/west-yorkshire/E02002330/contact", data={"name": "x"}).status_code == 400
