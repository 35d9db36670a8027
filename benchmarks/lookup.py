"""Postcode lookup speed on the national database.

    DATABASE_URL=sqlite:////tmp/national.db python benchmarks/lookup.py [--http]

In process: p50/p99 of `find_postcode` over random real postcodes, and of the JSON
endpoint through the Flask test client. With --http: requests per second for
GET /api/postcodes/<pc> served by gunicorn (a worker per core, 8 threads each, so that every keep-alive connection has a thread) on 127.0.0.1,
driven for 10 s by wrk (apt-get install wrk) or, without it, by a thread pool in this process.
"""
import argparse
import http.client
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import quote

from _common import national_database_url, print_percentiles

from app import create_app
from app.extensions import db
from app.lookups import find_postcode
from config import DevelopmentConfig


def sample_postcodes(n, seed=1):
    rows = db.session.execute(db.text("SELECT postcode FROM postcodes WHERE neighbourhood_id IS NOT NULL")).scalars().all()
    return random.Random(seed).sample(rows, min(n, len(rows)))


def in_process(app, postcodes):
    with app.app_context():
        timings = []
        for pc in postcodes:
            started = time.perf_counter()
            assert find_postcode(pc.lower().replace(" ", "")).record.force_name
            timings.append((time.perf_counter() - started) * 1000)
            db.session.expunge_all()
        print_percentiles("find_postcode in process", timings)
    client = app.test_client()
    timings = []
    for pc in postcodes:
        started = time.perf_counter()
        assert client.get(f"/api/postcodes/{quote(pc)}").status_code == 200
        timings.append((time.perf_counter() - started) * 1000)
    print_percentiles("GET /api/postcodes via test client", timings)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WRK_SCRIPT = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
math.randomseed(7)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def with_wrk(port, postcodes, seconds):
    """Drive the server with wrk (C, keep-alive), which leaves more of the 2 cores to gunicorn."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        paths = os.path.join(folder, "paths.txt")
        with open(paths, "w") as out:
            out.writelines(f"/api/postcodes/{quote(pc)}\n" for pc in postcodes)
        script = os.path.join(folder, "random.lua")
        with open(script, "w") as out:
            out.write(WRK_SCRIPT % paths)
        result = subprocess.run(["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", "-s", script,
                                 f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    print("wrk -t1 -c16 against GET /api/postcodes/<random postcode>:")
    print("\n".join("  " + line for line in result.stdout.strip().splitlines()))


def over_http(postcodes, seconds=10, clients=16):
    port = free_port()
    workers = os.cpu_count() or 1
    env = dict(os.environ, PORTAL_ENV="development", PORTAL_RATELIMIT_ENABLED="false")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", "8",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "app:create_app()"], env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        if shutil.which("wrk"):
            with_wrk(port, postcodes, seconds)
            return
        counts, errors = [0] * clients, [0] * clients
        deadline = time.perf_counter() + seconds

        def run(i):
            connection = http.client.HTTPConnection("127.0.0.1", port)
            rng = random.Random(i)
            while time.perf_counter() < deadline:
                connection.request("GET", f"/api/postcodes/{quote(rng.choice(postcodes))}")
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    counts[i] += 1
                else:
                    errors[i] += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        print(f"HTTP GET /api/postcodes: gunicorn {workers} gthread workers, {clients} client threads, "
              f"{sum(counts)} ok, {sum(errors)} errors in {elapsed:.1f}s = {sum(counts) / elapsed:.0f} req/s "
              "(client and server share the 2 cores)")
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", action="store_true")
    parser.add_argument("-n", type=int, default=5000)
    args = parser.parse_args()
    url = national_database_url()

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        RATELIMIT_ENABLED = False

    app = create_app(Config)
    with app.app_context():
        postcodes = sample_postcodes(args.n)
    print(f"{len(postcodes)} random assigned postcodes from {url}")
    in_process(app, postcodes)
    if args.http:
        over_http(postcodes)


if __name__ == "__main__":
    main()
