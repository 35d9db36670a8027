"""Smoke test: the app factory builds an app that serves our static assets with the
security headers every response carries."""


def test_compiled_stylesheet_is_served(client):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert b".portal-header" in response.data


def test_vendored_scripts_are_served(client):
    for path in ("/static/vendor/govuk-frontend/govuk-frontend.min.js", "/static/vendor/leaflet/leaflet.js"):
        assert client.get(path).status_code == 200, path


def test_responses_carry_security_headers(client):
    response = client.get("/static/css/portal.css")
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("X-Frame-Options") == "DENY"
