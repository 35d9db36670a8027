"""Generated requests (schemathesis, from /api/openapi.json) never make the API fail, and every
answer matches the document. Deselect with `-m "not fuzz"`."""
import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from app.extensions import db  # noqa: E402
from app.models import Crime, CrimeRelease, Meeting, Priority, Update  # noqa: E402
from tests.factories import add_officer, add_postcode, add_station, make_area  # noqa: E402

pytestmark = pytest.mark.fuzz


@pytest.fixture
def api_schema(app, app_context):
    from datetime import date, datetime

    team = make_area()
    add_station(team, latitude=53.8, longitude=-1.54)
    add_officer(team, pen_picture="Bio")
    add_postcode("LS1 1AZ", team.neighbourhood_id)
    db.session.add_all([
        Meeting(team_id=team.id, kind="pact", title="PACT", starts_at=datetime(2099, 1, 1, 18), venue="Hall",
                purpose="p", minutes="m"),
        Priority(team_id=team.id, title="t", description="d", agreed_on=date(2026, 1, 1)),
        Update(team_id=team.id, published_on=date(2026, 1, 2), you_said="y", we_did="w"),
        CrimeRelease(month="2018-07", force_id="west-yorkshire", force_name="West Yorkshire Police", digest="x",
                     rows=3, without_location=1, imported_at=datetime(2018, 9, 1)),
        Crime(month="2018-07", force_id="west-yorkshire", crime_ref="a" * 64, category="Burglary",
              outcome="Under investigation", longitude=-1.5491, latitude=53.7965, location="On or near Park Row"),
        Crime(month="2018-07", force_id="west-yorkshire", category="Anti-social behaviour", longitude=-1.5491,
              latitude=53.7965, location="On or near Park Row"),
        Crime(month="2018-07", force_id="west-yorkshire", crime_ref="b" * 64, category="Drugs",
              location="No Location"),
    ])
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def test_no_generated_request_gets_a_server_error_or_an_undocumented_answer(api_schema):
    """Every operation in the document, 30 generated requests each, through the test client.

    Driven by schemathesis's Python API inside a plain test rather than its pytest plugin
    (`from_fixture`/`parametrize`), which reaches into pytest's private attributes and broke
    with pytest 9.2; the generation and the checks are the same."""
    failures, operations, requests_made = {}, 0, 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def answers_as_documented(case):
            nonlocal requests_made
            requests_made += 1
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance, content_type_conformance])

        try:
            answers_as_documented()
        except Exception as error:  # noqa: BLE001  (reported per operation below)
            failures[operation.label] = error
    documented = sum(len(methods) for methods in api_schema.raw_schema["paths"].values())
    assert operations == documented > 10
    assert requests_made >= operations * 5, "hypothesis generated almost nothing"
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
