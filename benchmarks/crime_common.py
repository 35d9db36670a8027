"""Shared set-up for the crime benchmarks: an app on a fresh database with the national
neighbourhoods, and a synthetic national month of street-level crimes."""
import csv
import gzip
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"
REAL_MONTH = SHARED / "police-uk" / "2018-07-west-yorkshire-street.csv.gz"
NATIONAL_NEIGHBOURHOODS = SHARED / "neighbourhoods-ew.geojson.gz"


def make_app(database_url=None):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.extensions import db
    from config import Config

    url = database_url or os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        TILE_CACHE_DIR = tempfile.mkdtemp(prefix="tile-cache-")

    app = create_app(BenchConfig)
    with app.app_context():
        if url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
    result = app.test_cli_runner().invoke(args=["import", "neighbourhoods", str(NATIONAL_NEIGHBOURHOODS)])
    assert result.exit_code == 0, result.output
    return app


def real_distribution():
    """(categories, outcomes) of the real month, to sample synthetic rows from."""
    with gzip.open(REAL_MONTH, "rt", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["Crime type"] for r in rows], [r["Last outcome category"] for r in rows]


def synthetic_month(folder, crimes=500_000, month="2030-01", seed=8):
    """A national month: one street file per force, crimes at ~25 snap points around each
    neighbourhood centre, counts skewed like real ones; 2% without a location."""
    from app.importers.police_uk import HEADER

    rng = np.random.default_rng(seed)
    with gzip.open(NATIONAL_NEIGHBOURHOODS, "rt") as f:
        features = json.load(f)["features"]
    centres, forces, names = [], [], []
    import shapely
    from shapely.geometry import shape

    for feature in features:
        point = shapely.get_coordinates(shape(feature["geometry"]).representative_point())[0]
        centres.append(point)
        forces.append(feature["properties"]["force"])
        names.append(feature["properties"]["name"])
    centres = np.array(centres)
    per_area = 25
    snap = np.repeat(centres, per_area, axis=0) + rng.normal(0, 0.006, (len(centres) * per_area, 2))
    snap = np.round(snap, 6)
    snap_force = np.repeat(np.array(forces, dtype=object), per_area)
    snap_name = np.repeat(np.array(names, dtype=object), per_area)
    weights = rng.pareto(1.5, len(snap)) + 0.2
    chosen = rng.choice(len(snap), size=crimes, p=weights / weights.sum())
    categories, outcomes = real_distribution()
    pick = rng.integers(0, len(categories), crimes)
    unlocated = rng.random(crimes) < 0.02
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writers, handles = {}, []
    for i in range(crimes):
        force = snap_force[chosen[i]]
        writer = writers.get(force)
        if writer is None:
            slug = force.lower().replace(" & ", " and ").replace(" ", "-")
            handle = open(folder / f"{month}-{slug}-street.csv", "w", newline="")
            handles.append(handle)
            writer = writers[force] = csv.writer(handle)
            writer.writerow(HEADER)
        category = categories[pick[i]]
        crime_id = "" if category == "Anti-social behaviour" else f"{seed:02d}{i:062x}"
        reporter = f"{force} Police"
        if unlocated[i]:
            writer.writerow([crime_id, month, reporter, reporter, "", "", "No Location", "", "", category,
                             outcomes[pick[i]], ""])
        else:
            lon, lat = snap[chosen[i]]
            writer.writerow([crime_id, month, reporter, reporter, f"{lon:.6f}", f"{lat:.6f}",
                             f"On or near Street {chosen[i] % 997}", "", f"{snap_name[chosen[i]]}", category,
                             outcomes[pick[i]], ""])
    for handle in handles:
        handle.close()
    return folder


def percentile(values, p):
    return float(np.percentile(np.array(values) * 1000, p))
