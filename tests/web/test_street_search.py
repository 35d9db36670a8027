"""Street and place search through a Nominatim geocoder (a local server speaking its API)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import make_area

PLACES = {"briggate": [{"lat": "53.7990", "lon": "-1.5420", "display_name": "Briggate, Leeds, England"}],
          "princes street": [{"lat": "55.9520", "lon": "-3.1960", "display_name": "Princes Street, Edinburgh"}]}


class Nominatim(BaseHTTPRequestHandler):
    queries = []

    def do_GET(self):
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        Nominatim.queries.append(params)
        if url.path == "/broken/search":
            self.send_response(500)
            self.end_headers()
            return
        body = json.dumps(PLACES.get(params["q"][0].lower(), [])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim(app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Nominatim)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app.config["GEOCODER_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app.config["GEOCODER_URL"]
    app.config["GEOCODER_URL"] = ""
    server.shutdown()


@pytest.fixture
def leeds(app_context):
    return make_area()


def test_a_street_the_geocoder_knows_leads_to_the_team_whose_area_it_is_in(client, leeds, nominatim):
    page = client.get("/search", query_string={"q": "Briggate"}).get_data(as_text=True)
    assert "The team for Briggate, Leeds, England:" in page
    assert 'href="/teams/west-yorkshire/E02002330"' in page
    assert Nominatim.queries[-1]["countrycodes"] == ["gb"]


def test_a_place_outside_england_and_wales_is_said_to_be_outside_coverage(client, leeds, nominatim):
    page = client.get("/search", query_string={"q": "Princes Street"}).get_data(as_text=True)
    assert "Princes Street, Edinburgh, but it is outside the area this portal covers" in page


def test_a_failing_geocoder_falls_back_to_the_plain_answer(client, leeds, nominatim, app):
    app.config["GEOCODER_URL"] = nominatim + "/broken"
    response = client.get("/search", query_string={"q": "Briggate"})
    assert response.status_code == 200
    assert "Try a different spelling" in response.get_data(as_text=True)


def test_without_a_geocoder_no_request_leaves_the_portal(client, leeds):
    Nominatim.queries.clear()
    page = client.get("/search", query_string={"q": "Briggate"}).get_data(as_text=True)
    assert "Try a different spelling" in page and Nominatim.queries == []
