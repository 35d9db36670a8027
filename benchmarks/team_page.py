"""Server time of the team page on the national database.

    DATABASE_URL=sqlite:////tmp/national.db python benchmarks/team_page.py

Renders /teams/<force>/<neighbourhood> through the Flask test client for random teams
(after one warm-up request each for template compilation) and prints p50/p90/p99.
Load the demo team content first for a page with members, meetings and priorities:
the figures are printed separately for teams with and without content.
"""
import random
import time

from _common import national_database_url, print_percentiles
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Membership, Neighbourhood, Team
from config import DevelopmentConfig


def main():
    url = national_database_url()

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        RATELIMIT_ENABLED = False

    app = create_app(Config)
    with app.app_context():
        rows = db.session.execute(select(Neighbourhood.force_id, Neighbourhood.id, Team.id)
                                  .join(Team, Team.neighbourhood_id == Neighbourhood.id)).all()
        with_members = set(db.session.scalars(select(Membership.team_id).distinct()))
    rng = random.Random(7)
    client = app.test_client()
    client.get(f"/teams/{rows[0][0]}/{rows[0][1]}")
    for label, pool in [("team page, teams with content", [r for r in rows if r[2] in with_members]),
                        ("team page, teams without content", [r for r in rows if r[2] not in with_members])]:
        if not pool:
            continue
        timings = []
        for force_id, nid, _ in rng.choices(pool, k=500):
            started = time.perf_counter()
            response = client.get(f"/teams/{force_id}/{nid}")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        print_percentiles(label, timings)


if __name__ == "__main__":
    main()
