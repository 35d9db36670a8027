"""Browser test harness: the app served for real on loopback, driven by headless
Chromium through Playwright.

- `live_server` (session): the session's `app` (same database as the other tests)
  served by werkzeug in a background thread on 127.0.0.1 and a free port; yields
  the base URL, e.g. "http://127.0.0.1:41234".
- `browser` (session): Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH),
  headless. Playwright's own browser builds are never downloaded. Tests are
  skipped, with the reason, when Chromium is not installed.
- `page`: a new browser context per test (fresh cookies and storage), a phone-sized
  viewport (390x844) unless the test is marked `@pytest.mark.viewport(w, h)`.

Every test in this folder is marked `browser`, so `-m "not browser"` leaves them out.
"""
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}
HERE = Path(__file__).resolve().parent


def pytest_configure(config):
    config.addinivalue_line("markers", "viewport(width, height): the page fixture's viewport size")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def chromium_path():
    """The Chromium executable to drive, or None when there is none."""
    candidate = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which(candidate)


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "Chromium not found at $CHROMIUM_PATH or /usr/bin/chromium "
            "(apt-get install chromium; Playwright's own browsers are not used)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the test extra
        pytest.skip("the playwright Python package is not installed (pip install -e '.[test]')")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(request, browser, live_server):
    marker = request.node.get_closest_marker("viewport")
    viewport = {"width": marker.args[0], "height": marker.args[1]} if marker else PHONE_VIEWPORT
    context = browser.new_context(base_url=live_server, viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
