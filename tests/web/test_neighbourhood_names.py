"""`flask import neighbourhood-names`: the House of Commons Library MSOA names CSV and
data.police.uk neighbourhood lists give teams the names residents use; idempotent; skips
reported."""
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.importers.names import read_hcl_names, read_police_neighbourhoods
from app.importers.report import ImportReport
from app.models import Neighbourhood, Team
from tests.factories import make_area

NAMES = Path(__file__).resolve().parents[1] / "fixtures" / "names"


@pytest.fixture
def areas(app_context):
    make_area(neighbourhood_id="E02002373", name="Leeds 044")
    make_area(neighbourhood_id="E02003001", name="Leeds 201")
    make_area(neighbourhood_id="E02003003", name="Leeds 203")
    make_area(force_id="dyfed-powys", force_name="Dyfed-Powys", neighbourhood_id="W02000001",
              name="Ceredigion 001", local_authority="Ceredigion")


def run(app, path):
    result = app.test_cli_runner().invoke(args=["import", "neighbourhood-names", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def team_name(neighbourhood_id):
    return db.session.scalar(select(Team.name).where(Team.neighbourhood_id == neighbourhood_id))


def test_hcl_names_in_english_and_welsh_name_the_teams(app, areas):
    output = run(app, NAMES / "msoa-names.csv")
    assert team_name("E02002373") == "Headingley Neighbourhood Policing Team"
    cardigan = db.session.get(Neighbourhood, "W02000001")
    assert (cardigan.known_name, cardigan.known_name_cy) == ("Cardigan", "Aberteifi")
    assert cardigan.name == "Ceredigion 001"  # the statistical name is kept
    assert cardigan.display_name("cy") == "Aberteifi" and cardigan.display_name("en") == "Cardigan"
    assert "names updated: 2" in output
    assert "no neighbourhood with that id is loaded: 1 (e.g. E02006861)" in output
    assert "row without a House of Commons Library name: 1 (e.g. E02003002)" in output


def test_a_forces_police_uk_list_names_its_teams(app, areas):
    output = run(app, NAMES / "west-yorkshire-neighbourhoods.json")
    assert team_name("E02003001") == "Kirkstall Neighbourhood Policing Team"
    assert "neighbourhood without a name: 1 (e.g. E02003003)" in output
    assert "no neighbourhood with that id is loaded: 1 (e.g. LS99)" in output


def test_importing_the_same_names_again_changes_nothing(app, areas):
    run(app, NAMES)
    again = run(app, NAMES)
    assert "names unchanged: 3" in again and "names updated" not in again


def test_a_csv_in_another_shape_is_refused_with_the_reason():
    report = ImportReport()
    assert list(read_hcl_names("code,name\nE02002373,Headingley\n", report)) == []
    assert report.skipped["CSV without the House of Commons Library MSOA names columns"] == 1


def test_the_hcl_file_with_a_byte_order_mark_and_windows_line_ends_is_read(tmp_path):
    from app.importers.names import read_names

    path = tmp_path / "names.csv"
    path.write_bytes("\ufeffmsoa11cd,msoa11nm,msoa11nmw,msoa11hclnm,msoa11hclnmw,Laname\r\n"
                     "W02000010,Ceredigion 010,Ceredigion 010,Aberystwyth Town,Tref Aberystwyth,Ceredigion\r\n"
                     .encode("utf-8"))
    [name] = read_names(path, ImportReport())
    assert (name.neighbourhood_id, name.name, name.name_cy) == ("W02000010", "Aberystwyth Town", "Tref Aberystwyth")


def test_police_uk_json_that_is_not_a_list_is_skipped():
    report = ImportReport()
    assert list(read_police_neighbourhoods('{"id": "x"}', report)) == []
    assert list(read_police_neighbourhoods("not json", report)) == []
    assert report.total_skipped == 2


def test_search_opens_without_an_error_before_anything_is_typed(client, areas):
    response = client.get("/search")
    assert response.status_code == 200 and "govuk-error-summary" not in response.get_data(as_text=True)
    assert client.get("/search?q=").status_code == 400  # an empty search that was sent says so


def test_a_full_postcode_typed_in_search_goes_to_the_postcode_finder(client, areas):
    response = client.get("/search?q=ls6+3hn")
    assert response.status_code == 302 and "/find?postcode=" in response.location
