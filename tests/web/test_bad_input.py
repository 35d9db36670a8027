"""Bad input gets a 4xx, never a 500, on SQLite and PostgreSQL alike: integers beyond the
database's range in every `<int:…>` route (walked from the URL map), odd `?month=` values,
NUL bytes in any form, and unknown tile categories (which write nothing to the cache)."""
import random
import re
import string
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Message
from tests.crime_data import DEMO_NEIGHBOURHOODS, LEEDS_CITY_CENTRE, crime_row, csv_text
from tests.factories import make_area
from tests.inbox_support import csrf_token, make_user, message_fields, sign_in

HUGE = "99999999999999999999999"
FILLERS = {"force_id": "west-yorkshire", "neighbourhood_id": "E02002330", "measure": "meetings",
           "month_key": "2026-10", "action": "close", "token": "x", "category": "all-crime", "text": "LS1 1AZ",
           "persistent_id": "x", "filename": "x.jpg", "stage": "offer"}


@pytest.fixture
def team(app_context):
    return make_area()


def int_rules(app):
    return [rule for rule in app.url_map.iter_rules() if any(
        type(conv).__name__ == "DatabaseIntConverter" for conv in rule._converters.values())]


def fill(rule, huge_arg):
    url = rule.rule
    for name in rule.arguments:
        value = HUGE if name == huge_arg else ("1" if name in rule._converters and
                                               type(rule._converters[name]).__name__ == "DatabaseIntConverter"
                                               else FILLERS[name])
        url = re.sub(r"<(?:[^<>]*:)?%s>" % name, value, url)
    return url


def test_every_integer_path_beyond_the_databases_range_is_404(app, team):
    client = app.test_client()
    sign_in(client, make_user("admin@example.org", role="admin"))  # past every role check
    tried = 0
    for rule in int_rules(app):
        for name, converter in rule._converters.items():
            if type(converter).__name__ != "DatabaseIntConverter":
                continue
            url = fill(rule, name)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method)
                assert response.status_code == 404, (method, url, response.status_code)
                tried += 1
    assert tried >= 25


def test_the_meeting_path_from_the_audit_is_404(client, team):
    assert client.get(f"/teams/west-yorkshire/E02002330/meetings/{HUGE}").status_code == 404
    assert client.get(f"/teams/west-yorkshire/E02002330/meetings/{HUGE}.ics").status_code == 404


@pytest.mark.parametrize("month", [f"{HUGE}-1", "2026-99", "0-0", "-1", "2026-", "x", "\x00", "2026-1-1", "9999-12"])
def test_odd_month_values_are_never_a_server_error(app, team, month):
    client = app.test_client()
    sign_in(client, make_user("pc@example.org", teams=[team]))
    for url in ("/teams/west-yorkshire/E02002330/you-said-we-did", "/teams/west-yorkshire/E02002330/crime",
                "/staff/inbox/compliance", "/staff/inbox/compliance.csv", "/tiles/crimes/10/500/330.png",
                "/api/crime-categories", "/api/crimes-street/all-crime"):
        response = client.get(url, query_string={"month": month, "date": month, "lat": "53.8", "lng": "-1.54"})
        assert response.status_code < 500, (url, month, response.status_code)


def test_nul_bytes_in_a_message_are_removed_and_the_message_is_kept(client, team):
    url = "/teams/west-yorkshire/E02002330/contact"
    data = message_fields(name="Al\x00ex", subject="Park\x00ing", body="Cars\x00 on the pavement")
    response = client.post(url, data={"csrf_token": csrf_token(client, url), **data})
    assert response.status_code == 302
    message = db.session.scalar(select(Message))
    assert (message.name, message.subject, message.body) == ("Alex", "Parking", "Cars on the pavement")


def test_a_nul_byte_in_a_path_or_query_is_never_a_server_error(client, team):
    for url in ("/teams/west%00yorkshire/E02002330", "/api/postcodes/LS1%001AZ", "/find?postcode=LS1%001AZ",
                "/api/forces/west%00yorkshire", "/search?q=%00"):
        assert client.get(url).status_code < 500, url


@pytest.fixture
def crime_month(app, tmp_path):
    app.config["TILE_CACHE_DIR"] = str(tmp_path / "tile-cache")
    app.extensions.pop("tile_cache", None)
    runner = app.test_cli_runner()
    runner.invoke(args=["import", "neighbourhoods", str(DEMO_NEIGHBOURHOODS)])
    path = tmp_path / "2018-07-west-yorkshire-street.csv"
    lon, lat = LEEDS_CITY_CENTRE
    path.write_text(csv_text([crime_row(str(i), lon=str(lon), lat=str(lat)) for i in range(5)]))
    runner.invoke(args=["import", "crimes", str(path)])
    yield Path(app.config["TILE_CACHE_DIR"])
    app.extensions.pop("tile_cache", None)
    app.config.pop("TILE_CACHE_DIR")


def test_unknown_tile_categories_are_404_and_write_nothing(client, crime_month):
    import mercantile

    tile = mercantile.tile(*LEEDS_CITY_CENTRE, 15)
    url = f"/tiles/crimes/15/{tile.x}/{tile.y}.png"
    assert client.get(url, query_string={"month": "2018-07", "category": "Burglary"}).status_code == 200
    written = sorted(p for p in crime_month.rglob("*") if p.is_file())
    chooser = random.Random(11)
    for _ in range(300):
        category = "".join(chooser.choice(string.ascii_letters + " ,-") for _ in range(chooser.randint(1, 40)))
        response = client.get(url, query_string={"month": "2018-07", "category": category})
        assert response.status_code == 404, category
    assert sorted(p for p in crime_month.rglob("*") if p.is_file()) == written
