"""GET /api/postcodes/<postcode>: JSON for scripts and our own checks."""
import pytest

from tests.factories import add_postcode, make_area


@pytest.fixture
def leeds(app_context):
    team = make_area()
    add_postcode("LS1 1AZ", team.neighbourhood_id, latitude=53.79649, longitude=-1.54785)
    add_postcode("EH1 1YZ", None, latitude=55.95, longitude=-3.19)
    add_postcode("LS1 9ZZ", None, latitude=None, longitude=None, quality=90)


def test_a_known_postcode_gives_its_location_force_and_neighbourhood(client, leeds):
    response = client.get("/api/postcodes/ls11az")
    assert response.status_code == 200
    assert response.get_json() == {
        "postcode": "LS1 1AZ", "latitude": 53.79649, "longitude": -1.54785,
        "force": {"id": "west-yorkshire", "name": "West Yorkshire"},
        "neighbourhood": {"id": "E02002330", "name": "Leeds 111"},
    }


@pytest.mark.parametrize("path, status, reason", [
    ("/api/postcodes/NOT-A-POSTCODE", 400, "invalid"),
    ("/api/postcodes/LS99 9ZZ", 404, "not_found"),
    ("/api/postcodes/EH1 1YZ", 404, "outside_coverage"),
    ("/api/postcodes/LS1%209ZZ", 404, "no_coordinates"),
])
def test_each_kind_of_failure_has_its_status_and_reason(client, leeds, path, status, reason):
    response = client.get(path)
    assert response.status_code == status
    body = response.get_json()
    assert body["reason"] == reason and body["error"]


def test_an_answer_carries_the_security_headers_cors_a_request_id_and_one_log_line(client, leeds, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="app.requests"):
        response = client.get("/api/postcodes/LS1 1AZ", headers={"X-Request-Id": "lookup-0001"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Request-Id"] == "lookup-0001"
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")
    lines = [record for record in caplog.records if record.name == "app.requests"]
    assert len(lines) == 1 and '"GET /api/postcodes/LS1 1AZ" 200' in lines[0].getMessage()


def test_the_hooks_skipped_on_the_api_are_installed_hooks_and_every_other_hook_still_runs(database_url, leeds):
    """The API skips app-wide hooks named as idle there (HOOKS_IDLE_ON_API); each name is a
    hook the app has, and a hook not named (one added later) runs on the API as before."""
    from app import create_app
    from app.web import HOOKS_IDLE_ON_API, hook_name
    from config import TestConfig

    class Config(TestConfig):  # as deployed: the rate limiter's hooks installed
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"

    app = create_app(Config)
    client = app.test_client()
    installed = {hook_name(func) for registry in (app.before_request_funcs, app.after_request_funcs,
                                                  app.teardown_request_funcs)
                 for funcs in registry.values() for func in funcs}
    assert HOOKS_IDLE_ON_API <= installed
    ran = []
    app.before_request_funcs[None].append(lambda: ran.append("before") and None)
    app.after_request_funcs[None].append(lambda response: ran.append("after") or response)
    app.teardown_request_funcs[None].append(lambda exc: ran.append("teardown"))
    assert client.get("/api/postcodes/LS1 1AZ").status_code == 200
    assert ran == ["before", "after", "teardown"]


def test_a_view_that_sets_a_security_header_keeps_its_own_value(database_url):
    from flask import Response

    from app import create_app
    from config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    app = create_app(Config)
    app.add_url_rule("/test-framed", "test_framed",
                     lambda: Response("ok", headers={"X-Frame-Options": "SAMEORIGIN"}))
    response = app.test_client().get("/test-framed")
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_on_postgresql_the_api_reads_on_a_held_connection_and_replaces_one_the_database_dropped(
        app, client, database_url, leeds):
    """The look-up keeps a connection per thread between requests; when the database ends it
    (a restart, a failover), the next request is still answered, on a new connection."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite reads on a file, with nothing to drop")
    from sqlalchemy import create_engine, text

    assert client.get("/api/postcodes/LS1 1AZ").status_code == 200
    first = client.get("/api/postcodes/LS1 1AZ")
    killer = create_engine(database_url)
    with killer.connect() as connection:
        ended = connection.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle'")).scalars().all()
        connection.commit()
    killer.dispose()
    assert ended and all(ended)
    again = client.get("/api/postcodes/LS1 1AZ")
    assert again.status_code == 200 and again.get_json() == first.get_json()
