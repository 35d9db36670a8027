"""Links in emails, feeds and calendars are built on PUBLIC_BASE_URL, with or without a request;
development alone may put email links on the address being served."""
from app.links import email_link, public_host, public_url


def test_a_link_is_built_on_the_public_address_without_a_request(app, app_context, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://police.example:8443/portal")
    assert public_url("teams.profile", force_id="west-yorkshire", neighbourhood_id="E02002330",
                      _anchor="meetings") == "https://police.example:8443/portal/teams/west-yorkshire/E02002330#meetings"
    assert public_host() == "police.example"


def test_a_request_to_another_host_does_not_change_the_link(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://police.example")
    with app.test_request_context("/", base_url="http://attacker.example"):
        assert public_url("alerts.manage", token="t").startswith("https://police.example/alerts/")


def test_development_email_links_open_on_the_address_being_served(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://police.example")
    monkeypatch.setitem(app.config, "EMAIL_LINKS_FROM_REQUEST", True)
    with app.test_request_context("/", base_url="http://127.0.0.1:5050"):
        assert email_link("alerts.manage", token="t").startswith("http://127.0.0.1:5050/alerts/")
        assert public_url("alerts.manage", token="t").startswith("https://police.example/alerts/")
    with app.app_context():  # a command has no request: the configured address
        assert email_link("alerts.manage", token="t").startswith("https://police.example/alerts/")


def test_production_email_links_ignore_the_request_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://police.example")
    monkeypatch.setitem(app.config, "EMAIL_LINKS_FROM_REQUEST", False)
    with app.test_request_context("/", base_url="http://attacker.example"):
        assert email_link("alerts.manage", token="t").startswith("https://police.example/alerts/")
