"""Page weight: HTML + every CSS and JS file a page loads, gzip-compressed (level 9),
photos and map tiles excluded. Budget: 150 KB per page (issue 7, slow phones).

    python benchmarks/page_weight.py

Serves the app through the Flask test client on a throwaway SQLite database with one
team filled with the fictional demo content, and prints KB per page; exits 1 when a
page is over budget.
"""
import gzip
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import _common  # noqa: F401  (puts the project on sys.path)
from flask_migrate import upgrade

from app import create_app
from app.demo import load_demo_content
from app.extensions import db
from config import TestConfig

BUDGET_KB = 150
ASSET = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*rel="stylesheet"[^>]*\bhref)="([^"]+)"')
JS_IMPORT = re.compile(r"""(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]""")


def gz(data):
    return len(gzip.compress(data, compresslevel=9))


def assets_of(client, html, page_url):
    """Every stylesheet and script the page references, with the modules scripts import."""
    todo = [urljoin(page_url, src) for src in ASSET.findall(html)]
    seen = {}
    while todo:
        url = todo.pop()
        path = urlsplit(url).path
        if path in seen:
            continue
        body = client.get(path).get_data()
        seen[path] = body
        if path.endswith((".js", ".mjs")):
            for a, b in JS_IMPORT.findall(body.decode("utf-8", "replace")):
                todo.append(urljoin(url, a or b))
    return seen


def weigh(client, url):
    response = client.get(url)
    html = response.get_data()
    assets = assets_of(client, html.decode(), "http://localhost" + url)
    total = gz(html) + sum(gz(body) for body in assets.values())
    return response.status_code, gz(html), {p: gz(b) for p, b in assets.items()}, total


def main():
    with tempfile.TemporaryDirectory() as folder:
        class Config(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder}/weight.db"
            UPLOAD_FOLDER = folder

        app = create_app(Config)
        with app.app_context():
            upgrade()
            from tests.factories import add_postcode, make_area

            team = make_area()
            add_postcode("LS1 1AZ", team.neighbourhood_id)
            load_demo_content(db.session, lead_postcode="LS1 1AZ")
            team_url = f"/teams/{team.neighbourhood.force_id}/{team.neighbourhood_id}"
        pages = [("home", "/"), ("postcode error", "/find?postcode=NOT+A+POSTCODE"),
                 ("team page (demo content)", team_url), ("easy read", team_url + "/easy-read")]
        client = app.test_client()
        over = False
        for name, url in pages:
            status, html_gz, assets, total = weigh(client, url)
            over |= total > BUDGET_KB * 1024
            print(f"{name:26} {url:48} {status}  {total / 1024:6.1f} KB  (HTML {html_gz / 1024:.1f} KB; "
                  + ", ".join(f"{Path(p).name} {s / 1024:.1f}" for p, s in sorted(assets.items())) + ")")
        print(f"budget {BUDGET_KB} KB per page: {'OVER' if over else 'all under'}")
        return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
