"""Light pages (issue 7): the find-your-team and team pages stay under 150 KB gzipped,
HTML + CSS + JS (benchmarks/page_weight.py prints the figures)."""
import sys
from pathlib import Path

from app.demo import load_demo_content
from app.extensions import db
from tests.factories import add_postcode, make_area

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from page_weight import BUDGET_KB, weigh  # noqa: E402


def test_find_and_team_pages_weigh_under_150_kb(client, app_context):
    team = make_area()
    add_postcode("LS1 1AZ", team.neighbourhood_id)
    load_demo_content(db.session, lead_postcode="LS1 1AZ")
    team_url = f"/teams/{team.neighbourhood.force_id}/{team.neighbourhood_id}"
    for url in ["/", "/find?postcode=NOT+A+POSTCODE", team_url, team_url + "/easy-read"]:
        status, _html, assets, total = weigh(client, url)
        assert status in (200, 400) and any(p.endswith("portal.css") for p in assets)
        assert total < BUDGET_KB * 1024, f"{url}: {total / 1024:.1f} KB"
    assert any(p.endswith("leaflet.js") for p in weigh(client, team_url)[2])  # the map's script is counted
