"""A real postcode outside the loaded data (the demo has Leeds only) says which area the
portal has data for, instead of "check the postcode"."""
import pytest

from tests.factories import add_postcode, make_area


@pytest.fixture
def leeds(app_context):
    team = make_area()
    add_postcode("LS1 1AZ", team.neighbourhood_id)
    return team


@pytest.mark.parametrize("postcode", ["CF10 1AA", "SW1A 1AA", "L1 8JQ"])
def test_a_postcode_in_an_area_without_data_names_the_area_the_portal_covers(client, leeds, postcode):
    response = client.get("/find", query_string={"postcode": postcode})
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert f"We do not have information for {postcode}" in page
    assert "West Yorkshire: Leeds" in page
    assert "Check the postcode is right" not in page


def test_an_unknown_postcode_in_a_loaded_area_asks_to_check_it(client, leeds):
    page = client.get("/find?postcode=LS1+9ZZ").get_data(as_text=True)
    assert "Check the postcode is right" in page and "We do not have information" not in page


def test_a_scottish_postcode_not_in_the_data_is_still_outside_england_and_wales(client, leeds):
    page = client.get("/find?postcode=EH3+9AA").get_data(as_text=True)
    assert "outside the area this portal covers" in page and "Police Scotland" in page


def test_the_coverage_lists_every_force_and_council_loaded(client, leeds, app_context):
    make_area(force_id="dyfed-powys", force_name="Dyfed-Powys", neighbourhood_id="W02000001",
              name="Ceredigion 001", local_authority="Ceredigion")
    page = client.get("/find?postcode=CF10+1AA").get_data(as_text=True)
    assert "Dyfed-Powys: Ceredigion" in page and "West Yorkshire: Leeds" in page
