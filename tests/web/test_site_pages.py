"""The pages every public service must have, linked from every page, saying who runs the site."""
import pytest

from tests.factories import make_area

PAGES = ["/privacy", "/accessibility", "/cookies"]


@pytest.fixture
def team(app_context):
    return make_area()


@pytest.mark.parametrize("path", ["/", "/search", "/teams/west-yorkshire/E02002330", "/no-such-page", "/staff/sign-in"])
def test_every_page_links_to_privacy_accessibility_and_cookies_and_names_the_operator(app, client, team, path):
    page = client.get(path).get_data(as_text=True)
    footer = page[page.index('<footer'):]
    for link in PAGES:
        assert f'href="{link}"' in footer
    assert app.config["SITE_OPERATOR"] in footer and app.config["SITE_OPERATOR_EMAIL"] in footer


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("path", PAGES)
def test_the_pages_open_in_english_and_welsh_with_the_operators_contact(app, client, path, lang):
    response = client.get(f"{path}?lang={lang}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f'lang="{lang}"' in page
    assert app.config["SITE_OPERATOR"] in page


def test_the_welsh_privacy_notice_is_in_welsh(client):
    page = client.get("/privacy?lang=cy").get_data(as_text=True)
    assert "Hysbysiad preifatrwydd" in page and "Privacy notice" not in page


def test_the_accessibility_statement_has_what_the_regulations_require(app, client):
    page = client.get("/accessibility").get_data(as_text=True)
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA" in page
    assert 'id="non-accessible"' in page and "maps" in page  # the known issues
    assert "different format" in page  # how to ask for another format
    assert "Equality and Human Rights Commission" in page and "Equality Commission for Northern Ireland" in page
    assert "This statement was prepared on 27 November 2026." in page
    assert "axe-core" in page  # how it was tested


def test_the_cookies_page_lists_the_cookies_the_portal_sets_and_no_tracking(client):
    # The cookies a visitor really gets: the language choice, and the session (CSRF) cookie of a form.
    client.get("/privacy?lang=cy")
    client.get("/alerts/subscribe")
    set_names = {cookie.key for cookie in client._cookies.values()}
    page = client.get("/cookies?lang=en").get_data(as_text=True)
    for name in set_names:
        assert f"<code>{name}</code>" in page
    assert set_names == {"lang", "session"}
    assert "do not use analytics, advertising or any other tracking cookies" in page
