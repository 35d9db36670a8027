"""Open API crime queries on the real West Yorkshire month (31,635 crimes): requests for a
busy Leeds point (every crime within a mile) and a polygon around the city centre, full
request to JSON through the test client; optionally again with a synthetic national month
in the same table.

    python benchmarks/api_crimes.py [--requests 200] [--synthetic 500000]
"""
import argparse
import tempfile
import time

from crime_common import REAL_MONTH, make_app, percentile, synthetic_month

LEEDS = (53.7965, -1.5491)  # city centre: the busiest mile of the extract
CITY_CENTRE_POLY = "53.805,-1.565:53.805,-1.530:53.788,-1.530:53.788,-1.565"


def measure(app, month, label, requests):
    from app.extensions import limiter

    limiter.enabled = False  # measuring the query, not the 15-a-second limit
    client = app.test_client()
    for name, url in [
        ("point, all-crime", f"/api/crimes-street/all-crime?lat={LEEDS[0]}&lng={LEEDS[1]}&date={month}"),
        ("point, burglary", f"/api/crimes-street/burglary?lat={LEEDS[0]}&lng={LEEDS[1]}&date={month}"),
        ("poly, all-crime", f"/api/crimes-street/all-crime?poly={CITY_CENTRE_POLY}&date={month}"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)
        found = len(response.get_json())
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        print(f"{label} — {name}: {found:,} crimes returned; p50 {percentile(times, 50):.1f} ms, "
              f"p95 {percentile(times, 95):.1f} ms ({requests} requests)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--synthetic", type=int, default=0)
    args = parser.parse_args()
    app = make_app()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["import", "crimes", str(REAL_MONTH)]).exit_code == 0
    measure(app, "2018-07", "real month (31,635)", args.requests)
    if args.synthetic:
        folder = synthetic_month(tempfile.mkdtemp(prefix="synthetic-month-"), crimes=args.synthetic)
        assert runner.invoke(args=["import", "crimes", str(folder)]).exit_code == 0
        measure(app, "2018-07", f"real month, with a synthetic national month ({args.synthetic:,}) beside it",
                args.requests)


if __name__ == "__main__":
    main()
