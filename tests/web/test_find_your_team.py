"""A resident finds their team by postcode, by place, or from a force's list."""
import pytest

from tests.factories import add_postcode, make_area


@pytest.fixture
def leeds(app_context):
    team = make_area()
    add_postcode("LS1 1AZ", team.neighbourhood_id)
    add_postcode("EH1 1YZ", None, latitude=55.95, longitude=-3.19)  # Scotland: located, unclaimed
    add_postcode("LS1 9ZZ", None, latitude=None, longitude=None, quality=90)
    return team


@pytest.mark.parametrize("typed", ["LS1 1AZ", "ls11az", " LS1  1AZ ", "Ls1 1aZ"])
def test_a_postcode_in_any_spacing_or_case_leads_to_the_team_page(client, leeds, typed):
    response = client.get("/find", query_string={"postcode": typed})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/teams/west-yorkshire/E02002330")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Leeds 111 Neighbourhood Policing Team" in page
    assert "This is the team for LS1 1AZ" in page


def test_an_empty_postcode_asks_for_one_in_an_error_summary(client, leeds):
    response = client.get("/find", query_string={"postcode": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "Enter a postcode" in page
    assert "<title>Error:" in page


def test_a_malformed_postcode_says_what_a_postcode_looks_like(client, leeds):
    response = client.get("/find", query_string={"postcode": "LS1 ZZZ"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a full postcode, like LS1 1AZ" in page
    assert 'href="#postcode"' in page  # the summary links to the field


def test_a_scottish_postcode_is_outside_the_area_covered(client, leeds):
    response = client.get("/find", query_string={"postcode": "eh11yz"})
    assert response.status_code == 404
    assert "EH1 1YZ is outside the area this portal covers" in response.get_data(as_text=True)


def test_a_northern_irish_postcode_is_outside_the_area_covered_even_though_not_in_the_data(client, leeds):
    response = client.get("/find", query_string={"postcode": "BT1 1AA"})
    assert "outside the area this portal covers" in response.get_data(as_text=True)


def test_a_postcode_without_coordinates_explains_and_offers_place_search(client, leeds):
    page = client.get("/find", query_string={"postcode": "LS1 9ZZ"}).get_data(as_text=True)
    assert "real postcode, but the postcode data has no location" in page
    assert 'action="/search"' in page


def test_an_unknown_postcode_explains_and_offers_place_search(client, leeds):
    response = client.get("/find", query_string={"postcode": "LS99 9ZZ"})
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "We could not find LS99 9ZZ" in page and 'action="/search"' in page


@pytest.mark.parametrize("query", ["leeds 111", "LEEDS", "Neighbourhood Policing Team", "LS1"])
def test_place_search_finds_the_team_by_name_authority_or_district(client, leeds, query):
    page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    assert "1 team found" in page
    assert "/teams/west-yorkshire/E02002330" in page


def test_place_search_with_nothing_matching_suggests_what_to_try(client, leeds):
    page = client.get("/search", query_string={"q": "Atlantis"}).get_data(as_text=True)
    assert "0 teams found" in page


def test_place_search_treats_like_wildcards_as_text(client, leeds):
    page = client.get("/search", query_string={"q": "%_%"}).get_data(as_text=True)
    assert "0 teams found" in page


def test_suggestions_are_json_for_the_search_box(client, leeds):
    suggestions = client.get("/search/suggestions", query_string={"q": "leeds"}).get_json()
    assert suggestions == [{"label": "Leeds 111 Neighbourhood Policing Team", "detail": "West Yorkshire",
                            "url": "/teams/west-yorkshire/E02002330"}]


def test_forces_list_leads_to_a_list_of_teams_that_works_without_javascript(client, leeds):
    assert "/forces/west-yorkshire" in client.get("/forces").get_data(as_text=True)
    page = client.get("/forces/west-yorkshire").get_data(as_text=True)
    assert '<a class="govuk-link" href="/teams/west-yorkshire/E02002330">' in page


def test_force_boundaries_are_geojson_with_team_links(client, leeds):
    collection = client.get("/forces/west-yorkshire/neighbourhoods.geojson").get_json()
    assert collection["type"] == "FeatureCollection"
    assert collection["features"][0]["properties"]["url"] == "/teams/west-yorkshire/E02002330"


def test_unknown_force_and_team_are_404_not_500(client, leeds):
    assert client.get("/forces/atlantis").status_code == 404
    assert client.get("/teams/west-yorkshire/E99999999").status_code == 404
    assert client.get("/teams/atlantis/E02002330").status_code == 404
