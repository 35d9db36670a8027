"""Proves the browser harness: real Chromium fetches our compiled stylesheet from the
live server, and the stylesheet applies to a page."""


def test_stylesheet_loads_in_chromium(page, live_server):
    response = page.goto(f"{live_server}/static/css/portal.css")
    assert response is not None
    assert response.status == 200
    assert response.header_value("content-type").startswith("text/css")
    assert response.header_value("x-content-type-options") == "nosniff"
    assert ".portal-header" in response.text()


def test_stylesheet_applies_at_phone_width(page, live_server):
    # A page at the live server's origin (answered by the browser itself, since no
    # template exists for it) whose stylesheet comes from the live server for real.
    html = """<!doctype html><html lang="en"><head>
        <link rel="stylesheet" href="/static/css/portal.css"></head>
        <body class="govuk-template__body"><header class="portal-header"><div class="portal-header__container">
        <p class="portal-header__service-name"><a class="portal-header__link" href="/">Neighbourhood Policing</a></p>
        <a class="portal-header__lang" href="?lang=cy">Cymraeg</a></div></header></body></html>"""
    page.route(f"{live_server}/harness", lambda route: route.fulfill(content_type="text/html", body=html))
    with page.expect_response(f"{live_server}/static/css/portal.css") as stylesheet:
        page.goto(f"{live_server}/harness")
    assert stylesheet.value.status == 200
    header = page.locator(".portal-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(15, 56, 92)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
