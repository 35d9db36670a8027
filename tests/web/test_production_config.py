"""The production configuration: starts only with a real secret and a shared rate-limit store,
and then serves with Secure cookies, HSTS, trusted host names, links built on PUBLIC_BASE_URL,
the client's address taken from PROXY_COUNT proxies, a request id and one log line per
request, health and readiness, and errors logged with their stack trace but never shown."""
import logging
import secrets

import pytest

from app import create_app
from app.extensions import limiter
from config import ConfigurationError, ProductionConfig, TestConfig
from tests.factories import make_area

PUBLIC = "https://portal.example.police.uk"


@pytest.fixture
def production_env(monkeypatch, redis_server):
    monkeypatch.setenv("SECRET_KEY", secrets.token_hex(32))
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", redis_server.url)
    return redis_server


@pytest.fixture
def make_production_app(app, database_url, production_env):
    made = []

    def make(**settings):
        class Production(ProductionConfig):
            SQLALCHEMY_DATABASE_URI = database_url

        for name, value in settings.items():
            setattr(Production, name, value)
        made.append(create_app(Production))
        return made[-1]

    yield make
    try:
        limiter.reset()
    except Exception:  # noqa: BLE001  (a test stopped the store)
        pass
    limiter.enabled = False  # the limiter is process-wide; the other tests run without it


@pytest.mark.parametrize("secret", [None, "", "dev-only-not-secret", "short"])
def test_production_refuses_to_start_without_a_real_secret_and_says_which(monkeypatch, secret, production_env):
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigurationError, match="SECRET_KEY: set it to a long random value"):
        ProductionConfig()


def test_production_refuses_per_process_rate_limit_counters(monkeypatch, production_env):
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(ConfigurationError, match="RATELIMIT_STORAGE_URI"):
        ProductionConfig()


def test_production_serves_with_hsts_secure_cookies_and_https_links(make_production_app):
    app = make_production_app()
    client = app.test_client()
    page = client.get("/staff/sign-in", base_url=PUBLIC)
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    session_cookie = next(c for c in page.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert app.config["PREFERRED_URL_SCHEME"] == "https"


def test_a_request_for_another_host_name_is_refused(make_production_app):
    client = make_production_app().test_client()
    refused = client.get("/", base_url="https://attacker.example")
    assert refused.status_code == 400 and "attacker.example" not in refused.get_data(True)
    assert client.get("/", base_url=PUBLIC).status_code == 200


def test_links_in_feeds_and_the_api_come_from_configuration_not_the_host_header(app, client, app_context):
    team = make_area()
    n = team.neighbourhood
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    try:
        feed = client.get(f"/teams/{n.force_id}/{n.id}/feed.atom", base_url="http://attacker.example").get_data(True)
        document = client.get("/api/openapi.json", base_url="http://attacker.example").get_json()
        calendar = client.get(f"/teams/{n.force_id}/{n.id}/calendar.ics",
                              base_url="http://attacker.example").get_data(True)
    finally:
        app.config["PUBLIC_BASE_URL"] = TestConfig.PUBLIC_BASE_URL
    assert "attacker.example" not in feed + calendar + str(document)
    assert f"{PUBLIC}/teams/{n.force_id}/{n.id}" in feed
    assert document["servers"][0]["url"] == f"{PUBLIC}/api"


@pytest.mark.parametrize("proxies, expected", [(0, "127.0.0.1"), (1, "203.0.113.9"), (2, "198.51.100.7")])
def test_the_client_address_is_taken_from_as_many_proxies_as_configured(make_production_app, proxies, expected):
    app = make_production_app(PROXY_COUNT=proxies)
    seen = []
    app.before_request(lambda: seen.append(__import__("flask").request.remote_addr))
    app.test_client().get("/healthz", base_url=PUBLIC, environ_base={"REMOTE_ADDR": "127.0.0.1"},
                          headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9", "X-Forwarded-Proto": "https"})
    assert seen == [expected]


def test_the_api_limit_is_configurable_and_retry_after_is_at_least_a_second(make_production_app):
    app = make_production_app(API_RATE_LIMIT="5 per 2 seconds")
    client = app.test_client()
    statuses = [client.get("/api/forces", base_url=PUBLIC).status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    refused = client.get("/api/forces", base_url=PUBLIC)
    assert 1 <= int(refused.headers["Retry-After"]) <= 2


def test_health_and_readiness_check_the_database_and_the_rate_limit_store(make_production_app, production_env):
    app = make_production_app()
    client = app.test_client()
    assert client.get("/healthz", base_url=PUBLIC).get_json() == {"status": "ok", "database": "ok"}
    assert client.get("/readyz", base_url=PUBLIC).get_json() == {
        "status": "ready", "database": "ok", "rate_limit_storage": "ok"}
    production_env.stop()
    not_ready = client.get("/readyz", base_url=PUBLIC)
    assert not_ready.status_code == 503 and not_ready.get_json()["rate_limit_storage"] == "unreachable"
    # The site itself keeps serving while the store is down (nothing a resident sends is lost).
    assert client.get("/", base_url=PUBLIC).status_code == 200


def test_each_request_gets_an_id_and_one_log_line(make_production_app, caplog):
    client = make_production_app().test_client()
    with caplog.at_level(logging.INFO, logger="app.requests"):
        mine = client.get("/healthz", base_url=PUBLIC)
        from_proxy = client.get("/healthz", base_url=PUBLIC, headers={"X-Request-Id": "0123456789abcdef"})
        forged = client.get("/healthz", base_url=PUBLIC, headers={"X-Request-Id": "<script>"})
    assert len(mine.headers["X-Request-Id"]) == 32
    assert from_proxy.headers["X-Request-Id"] == "0123456789abcdef"
    assert forged.headers["X-Request-Id"] != "<script>"
    lines = [r for r in caplog.records if r.name == "app.requests"]
    assert len(lines) == 3 and '"GET /healthz" 200' in lines[0].getMessage()
    assert lines[1].request_id == "0123456789abcdef"


def test_an_error_is_logged_with_its_stack_trace_and_never_shown(make_production_app, caplog):
    app = make_production_app()

    @app.get("/explode-for-test")
    def explode():
        raise ZeroDivisionError("the secret detail")

    with caplog.at_level(logging.ERROR):
        page = app.test_client().get("/explode-for-test", base_url=PUBLIC)
    assert page.status_code == 500
    assert "the secret detail" not in page.get_data(True) and "Traceback" not in page.get_data(True)
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and logged[0].exc_info[0] is ZeroDivisionError
    assert logged[0].request_id == page.headers["X-Request-Id"]


def test_the_api_limit_is_per_client_counted_once_per_request_in_one_store_round_trip(make_production_app, monkeypatch):
    app = make_production_app(API_RATE_LIMIT="3 per 10 seconds")
    client = app.test_client()
    store_calls = []
    for name in ("acquire_entry", "get_moving_window", "incr", "get"):
        original = getattr(limiter.storage, name)
        monkeypatch.setattr(limiter.storage, name,
                            lambda *args, _original=original, _name=name, **kwargs:
                            store_calls.append(_name) or _original(*args, **kwargs))

    def ask(address):
        return client.get("/api/forces", base_url=PUBLIC, environ_base={"REMOTE_ADDR": address})

    first = [ask("192.0.2.1") for _ in range(3)]
    assert [r.status_code for r in first] == [200] * 3
    assert store_calls == ["acquire_entry"] * 3  # one round trip each, no read-back for headers
    refused = ask("192.0.2.1")
    assert refused.status_code == 429 and refused.is_json and refused.get_json()["status"] == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 10
    assert refused.headers["X-RateLimit-Limit"] == "3" and refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["Access-Control-Allow-Origin"] == "*" and refused.headers["X-Request-Id"]
    assert ask("192.0.2.2").status_code == 200  # another client has its own allowance


def test_the_api_keeps_answering_while_the_rate_limit_store_is_down(make_production_app, production_env, caplog):
    client = make_production_app().test_client()
    production_env.stop()
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/forces", base_url=PUBLIC)
    assert response.status_code == 200
    assert any("rate limit" in record.getMessage() for record in caplog.records)
