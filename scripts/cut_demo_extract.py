"""Cut the bundled demo extract from the national open data.

    python scripts/cut_demo_extract.py [--data ../shared/data] [--out data/demo]

* data/demo/neighbourhoods.geojson.gz — the neighbourhoods (MSOAs) of the Leeds local
  authority (West Yorkshire Police), properties unchanged.
* data/demo/codepoint/<area>.csv.gz — the Code-Point Open rows (same headerless format) of
  every postcode that the national assignment (app.domain.areas, all 7,201 neighbourhoods,
  nearest fallback within NEAREST_NEIGHBOURHOOD_MAX_METRES) puts in one of those
  neighbourhoods, plus a few real Scottish postcodes (EH1) and a few real postcodes without
  coordinates (quality 90), so the demo can show those answers too.

Output is deterministic (sorted rows, gzip without timestamps).
"""
import argparse
import gzip
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.areas import DEFAULT_MAX_DISTANCE, Boundaries  # noqa: E402
from app.domain.postcodes import area  # noqa: E402

LOCAL_AUTHORITY = "Leeds"
SCOTTISH_SAMPLE = ("EH1 ", 6)  # the first six EH1 postcodes with coordinates
NO_COORDINATES_SAMPLE = ("bd.csv.gz", 4)  # the first four quality-90 rows of BD (Bradford)


def write_gzip(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
        out.write(data.encode("utf-8"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "demo")
    args = parser.parse_args()

    with gzip.open(args.data / "neighbourhoods-ew.geojson.gz", "rt", encoding="utf-8") as handle:
        national = json.load(handle)
    features = national["features"]
    leeds = [f for f in features if f["properties"].get("local_authority") == LOCAL_AUTHORITY]
    leeds_ids = {f["properties"]["id"] for f in leeds}
    collection = {k: v for k, v in national.items() if k != "features"}
    collection["features"] = leeds
    write_gzip(args.out / "neighbourhoods.geojson.gz", json.dumps(collection, separators=(",", ":")))
    print(f"{len(leeds)} {LOCAL_AUTHORITY} neighbourhoods")

    boundaries = Boundaries(
        (f["properties"]["id"], shapely.from_geojson(json.dumps(f["geometry"]))) for f in features
    )
    leeds_area = shapely.union_all(boundaries.geometries[np.isin(boundaries.ids, list(leeds_ids))])
    min_x, min_y, max_x, max_y = leeds_area.buffer(DEFAULT_MAX_DISTANCE).bounds

    keep = defaultdict(list)  # file name -> lines
    scottish_prefix, scottish_count = SCOTTISH_SAMPLE
    no_coords_file, no_coords_count = NO_COORDINATES_SAMPLE
    for file in sorted((args.data / "codepoint-open").glob("*.csv.gz")):
        with gzip.open(file, "rt", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        candidates, xs, ys = [], [], []
        for line in lines:
            postcode, quality, easting, northing = line.split(",")
            x, y = float(easting), float(northing)
            if quality == "90" and file.name == no_coords_file and no_coords_count:
                keep[file.name].append(line)
                no_coords_count -= 1
            elif postcode.startswith(scottish_prefix) and quality != "90" and scottish_count:
                keep[file.name].append(line)
                scottish_count -= 1
            elif min_x <= x <= max_x and min_y <= y <= max_y and quality != "90":
                candidates.append((line, postcode))
                xs.append(x)
                ys.append(y)
        if candidates:
            assignment = boundaries.assign(xs, ys, [p for _, p in candidates], max_distance=DEFAULT_MAX_DISTANCE)
            for (line, _), nid in zip(candidates, assignment.neighbourhood_ids):
                if nid in leeds_ids:
                    keep[file.name].append(line)

    total = 0
    for name in sorted(keep):
        rows = sorted(set(keep[name]))
        total += len(rows)
        write_gzip(args.out / "codepoint" / name, "\n".join(rows) + "\n")
        print(f"{name}: {len(rows):,} rows ({sorted({area(r.split(',')[0]) for r in rows})})")
    print(f"{total:,} Code-Point rows")


if __name__ == "__main__":
    main()
