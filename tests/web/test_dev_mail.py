"""Development mail: /dev/mail shows every queued email in development only, and links in
emails point at the address the portal is served on there; production uses PUBLIC_BASE_URL
whatever Host header a request carries."""
import re

import pytest

from app import create_app
from app.extensions import db
from app.services import inbox as service
from app.models import OutboxEmail
from config import DevelopmentConfig, ProductionConfig, TestConfig
from tests.factories import make_area
from tests.inbox_support import message_fields


def app_for(base, database_url, **settings):
    class Config(base):
        SQLALCHEMY_DATABASE_URI = database_url
        WTF_CSRF_ENABLED = True
        RATELIMIT_ENABLED = False
        SESSION_COOKIE_SECURE = False
        locals().update(settings)

    return create_app(Config)


def mail_rules(app):
    return [rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/dev/mail")]


@pytest.fixture
def production_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-for-this-test-0123456789")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://npt.police.example")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/0")


def test_the_dev_mail_page_exists_only_in_development(app, database_url, production_environment):
    assert mail_rules(app_for(DevelopmentConfig, database_url)) == ["/dev/mail/", "/dev/mail/<int:email_id>"]
    assert mail_rules(app) == []  # the test configuration
    assert mail_rules(app_for(TestConfig, database_url)) == []
    assert mail_rules(app_for(ProductionConfig, database_url)) == []
    production = app_for(ProductionConfig, database_url).test_client()
    assert production.get("/dev/mail/", base_url="https://npt.police.example").status_code == 404


@pytest.fixture
def team(app_context):
    return make_area()


def test_in_development_every_email_can_be_read_with_links_on_the_served_address(database_url, team):
    development = app_for(DevelopmentConfig, database_url)
    client = development.test_client()
    with development.app_context():
        client.get("/", base_url="http://127.0.0.1:5057")
        url = "/teams/west-yorkshire/E02002330/contact"
        page = client.get(url, base_url="http://127.0.0.1:5057").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post(url, data={"csrf_token": token, **message_fields()}, base_url="http://127.0.0.1:5057")
        listing = client.get("/dev/mail/", base_url="http://127.0.0.1:5057").get_data(as_text=True)
        assert "We have received your message" in listing
        email_id = db.session.scalar(db.select(OutboxEmail.id))
        shown = client.get(f"/dev/mail/{email_id}", base_url="http://127.0.0.1:5057").get_data(as_text=True)
    link = re.search(r'<a class="govuk-link" href="(http://127\.0\.0\.1:5057/your-message/[^"]+)"', shown)
    assert link, shown
    assert client.get(link.group(1).replace("http://127.0.0.1:5057", ""),
                      base_url="http://127.0.0.1:5057").status_code == 200


def test_in_production_links_use_public_base_url_never_the_host_header(database_url, team, production_environment):
    production = app_for(ProductionConfig, database_url)
    production.config["TRUSTED_HOSTS"] = None  # even behind a proxy that passes any Host through
    with production.test_request_context("/", base_url="http://attacker.example"):
        assert service.private_link("abc") == "https://npt.police.example/your-message/abc"
    with production.app_context():  # a cron command: no request at all
        assert service.private_link("abc") == "https://npt.police.example/your-message/abc"


def test_an_email_is_shown_escaped_with_only_its_web_addresses_linked():
    from app.devmail.views import linked

    shown = str(linked('<script>x</script> see http://127.0.0.1:5000/a?b=1&c=2 "quoted"'))
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert '<a class="govuk-link" href="http://127.0.0.1:5000/a?b=1&amp;c=2">' in shown


def test_dev_mail_answers_only_on_this_machine_and_never_through_a_proxy(database_url):
    development = app_for(DevelopmentConfig, database_url)
    client = development.test_client()
    assert client.get("/dev/mail/").status_code == 200  # the test client comes from 127.0.0.1
    assert client.get("/dev/mail/", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 404
    assert client.get("/dev/mail/", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
