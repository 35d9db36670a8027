from app.web import security_headers_for


def test_the_content_security_policy_allows_only_our_own_origin_by_default():
    csp = security_headers_for({})["Content-Security-Policy"]
    assert "img-src 'self' data: blob:;" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_a_configured_base_map_may_serve_images_from_its_subdomains():
    csp = security_headers_for({"BASEMAP_TILE_URL": "https://{s}.tile.example.org/{z}/{x}/{y}.png"})
    assert "img-src 'self' data: blob: https://*.tile.example.org;" in csp["Content-Security-Policy"]


def test_strict_transport_security_only_when_cookies_are_secure():
    assert "Strict-Transport-Security" not in security_headers_for({})
    assert "Strict-Transport-Security" in security_headers_for({"SESSION_COOKIE_SECURE": True})
