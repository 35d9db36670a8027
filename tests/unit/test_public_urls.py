"""Links in emails, feeds and calendars are built on PUBLIC_BASE_URL, with or without a request."""
from app.public_urls import public_host, public_url


def test_a_link_is_built_on_the_public_address_without_a_request(app, app_context, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://police.example:8443/portal")
    assert public_url("teams.profile", force_id="west-yorkshire", neighbourhood_id="E02002330",
                      _anchor="meetings") == "https://police.example:8443/portal/teams/west-yorkshire/E02002330#meetings"
    assert public_host() == "police.example"


def test_a_request_to_another_host_does_not_change_the_link(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://police.example")
    with app.test_request_context("/", base_url="http://attacker.example"):
        assert public_url("alerts.manage", token="t").startswith("https://police.example/alerts/")
