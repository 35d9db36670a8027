"""Crime tile render times for the densest tiles: uncached (query + draw + PNG) and from
the cache (a full request answered from memory), for the real month and a synthetic
national month.

    python benchmarks/tiles.py [--synthetic N] [--tiles 30]
"""
import argparse
import tempfile
import time
from collections import Counter

import mercantile
from sqlalchemy import func, select

from crime_common import REAL_MONTH, make_app, percentile, synthetic_month

ZOOMS = (12, 14, 15, 16)


def densest_tiles(app, month, z, count):
    from app.extensions import db
    from app.models import Crime

    with app.app_context():
        points = db.session.execute(
            select(Crime.longitude, Crime.latitude, func.count()).where(Crime.month == month,
                                                                        Crime.longitude.is_not(None))
            .group_by(Crime.longitude, Crime.latitude)).all()
    per_tile = Counter()
    for lon, lat, n in points:
        per_tile[mercantile.tile(lon, lat, z)] += n
    return [tile for tile, _ in per_tile.most_common(count)]


def measure(app, month, label, count):
    client = app.test_client()
    cache = None
    for z in ZOOMS:
        tiles = densest_tiles(app, month, z, count)
        uncached, cached = [], []
        for tile in tiles:
            url = f"/tiles/crimes/{z}/{tile.x}/{tile.y}.png?month={month}"
            if cache is None:
                client.get(url)
                cache = app.extensions["tile_cache"]
            cache.clear_memory()
            for folder in list(cache.root.glob("*")):
                import shutil

                shutil.rmtree(folder)
            started = time.perf_counter()
            response = client.get(url)
            uncached.append(time.perf_counter() - started)
            assert response.status_code == 200
            started = time.perf_counter()
            response = client.get(url)
            cached.append(time.perf_counter() - started)
        print(f"{label} z{z}: {len(tiles)} densest tiles — uncached p50 {percentile(uncached, 50):.1f} ms, "
              f"p95 {percentile(uncached, 95):.1f} ms; cached p50 {percentile(cached, 50):.2f} ms, "
              f"p95 {percentile(cached, 95):.2f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=500_000)
    parser.add_argument("--tiles", type=int, default=30)
    args = parser.parse_args()
    app = make_app()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["import", "crimes", str(REAL_MONTH)]).exit_code == 0
    measure(app, "2018-07", "real month (31,635)", args.tiles)
    if args.synthetic:
        folder = synthetic_month(tempfile.mkdtemp(prefix="synthetic-month-"), crimes=args.synthetic)
        assert runner.invoke(args=["import", "crimes", str(folder)]).exit_code == 0
        measure(app, "2030-01", f"synthetic national ({args.synthetic:,})", args.tiles)


if __name__ == "__main__":
    main()
