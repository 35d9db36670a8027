"""Postcode lookup speed on the national database.

    DATABASE_URL=sqlite:////tmp/national.db python benchmarks/lookup.py [--http]

In process: p50/p99 of `find_postcode` over random real postcodes, and of the JSON
endpoint through the Flask test client. With --http: requests per second and latency for
GET /api/postcodes/<pc> served by gunicorn (a worker per core, 8 threads each, so that every
keep-alive connection has a thread) on 127.0.0.1, driven by wrk (apt-get install wrk) for
--seconds; then, in the same run under the same gunicorn settings and wrk, the reference: a
bare Flask app (benchmarks/bare_app.py) returning the same JSON. The portal runs as deployed:
its API rate limit on, counted in a throwaway Redis (redis-server) at a limit wrk never
reaches, and one log line per request (to a file); the run prints how many requests the
limiter counted and how many lines were logged. The portal's figure is
printed beside the reference's, with the ratio and the load average. --rounds alternates
the two servers several times, so that both see the same load.
"""
import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
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
    import bare_app

    client = app.test_client()
    os.environ["BARE_POSTCODE_JSON"] = json.dumps(client.get(f"/api/postcodes/{quote(postcodes[0])}").get_json())
    bare = bare_app.create_app().test_client()
    for label, tested in [("GET /api/postcodes via test client", client),
                          ("the same, bare Flask (reference)", bare)]:
        timings, cpu = [], time.process_time()
        for pc in postcodes:
            started = time.perf_counter()
            assert tested.get(f"/api/postcodes/{quote(pc)}").status_code == 200
            timings.append((time.perf_counter() - started) * 1000)
        print_percentiles(label, timings)
        print(f"  CPU per request {(time.process_time() - cpu) / len(postcodes) * 1000:.3f} ms "
              f"(load {os.getloadavg()[0]:.1f})")


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


def with_wrk(port, postcodes, seconds, clients=16):
    """Drive a server with wrk (C, keep-alive); return (requests/s, p50 ms, p99 ms, non-2xx)."""
    import re
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        paths = os.path.join(folder, "paths.txt")
        with open(paths, "w") as out:
            out.writelines(f"/api/postcodes/{quote(pc)}\n" for pc in postcodes)
        script = os.path.join(folder, "random.lua")
        with open(script, "w") as out:
            out.write(WRK_SCRIPT % paths)
        output = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", script,
                                 f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout

    def ms(label):
        value, unit = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, ms("50%"), ms("99%"), int(errors.group(1)) if errors else 0


def serve(app_spec, env, probe, cwd=None, log=None):
    """Start gunicorn and wait until both workers answer `probe` (the master binds the port
    before its workers have loaded the app)."""
    import urllib.request

    port = free_port()
    workers = os.cpu_count() or 1
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", "8",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", app_spec], env=env, cwd=cwd, stderr=log)
    answered, deadline = 0, time.monotonic() + 120
    while answered < 2 * workers and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=30) as response:
                answered += response.status == 200
        except OSError:
            time.sleep(0.2)
    return server, port


class RateLimitStore:
    """A throwaway Redis (redis-server on a free port) holding the API's rate-limit counters,
    as in production: the portal is measured with its limit on and counting every request."""

    def __init__(self, unix_socket=False):
        self.unix_socket = unix_socket

    def __enter__(self):
        import tempfile

        import redis

        if not shutil.which("redis-server"):
            sys.exit("--http needs redis-server (apt-get install redis-server)")
        if self.unix_socket:  # as deploy/README suggests when Redis is on the app's host
            self.folder = tempfile.TemporaryDirectory()
            path = os.path.join(self.folder.name, "redis.sock")
            listen = ["--port", "0", "--unixsocket", path]
            self.url = f"redis+unix://{path}?db=0"
            self.client = redis.Redis(unix_socket_path=path)
        else:
            self.port = free_port()
            listen = ["--port", str(self.port), "--bind", "127.0.0.1"]
            self.url = f"redis://127.0.0.1:{self.port}/0"
            self.client = redis.Redis.from_url(self.url)
        self.process = subprocess.Popen(["redis-server", *listen, "--save", "", "--appendonly", "no"],
                                        stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                break
            except (redis.ConnectionError, FileNotFoundError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        return self

    def counted(self):
        """Requests the limiter has counted, over all its keys (one per client)."""
        return sum(self.client.llen(key) for key in self.client.keys("*"))

    def __exit__(self, *_exc):
        self.client.close()
        self.process.terminate()
        self.process.wait()
        if self.unix_socket:
            self.folder.cleanup()


# High enough never to refuse wrk (one client, all the requests of a run), but counted: the
# same store, strategy (moving window) and one round trip per request as the production limit.
BENCHMARK_API_LIMIT = "10000000 per hour"


def over_http(postcodes, document, seconds=10, rounds=1, redis_unix_socket=False):
    import tempfile

    if not shutil.which("wrk"):
        sys.exit("--http needs wrk (apt-get install wrk)")
    bare_env = dict(os.environ, BARE_POSTCODE_JSON=json.dumps(document))
    here = os.path.dirname(os.path.abspath(__file__))
    print(f"gunicorn -w {os.cpu_count()} -k gthread --threads 8; wrk -t1 -c16 -d{seconds}s, random postcodes; "
          f"the portal's API limit on, in Redis (over {'a Unix socket' if redis_unix_socket else 'TCP'}), "
          f"at {BENCHMARK_API_LIMIT!r}; its log lines to a file")
    with RateLimitStore(redis_unix_socket) as store, tempfile.TemporaryFile("w+") as log:
        portal_env = dict(os.environ, PORTAL_ENV="development", PORTAL_RATELIMIT_ENABLED="true",
                          PORTAL_RATELIMIT_STORAGE_URI=store.url, PORTAL_API_RATE_LIMIT=BENCHMARK_API_LIMIT)
        for _ in range(rounds):
            figures = {}
            for name, spec, env, cwd in [("portal", "app:create_app()", portal_env, None),
                                         ("bare Flask (reference)", "bare_app:create_app()", bare_env, here)]:
                counted_before = store.counted()
                log.seek(0, os.SEEK_END)
                logged_before = log.tell()
                server, port = serve(spec, env, f"/api/postcodes/{quote(postcodes[0])}", cwd,
                                     log if name == "portal" else None)
                try:
                    with_wrk(port, postcodes[:200], 1)  # warm the workers
                    figures[name] = with_wrk(port, postcodes, seconds)
                finally:
                    server.terminate()
                    server.wait()
                rate, p50, p99, errors = figures[name]
                print(f"  {name:<24} {rate:8.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:7.2f} ms  non-2xx {errors}"
                      f"  (load {os.getloadavg()[0]:.1f})")
                if name == "portal":
                    log.seek(logged_before)
                    lines = sum('"GET /api/postcodes/' in line for line in log)
                    print(f"    rate limit counted {store.counted() - counted_before} requests in Redis; "
                          f"{lines} request log lines")
            print(f"  portal / reference: {figures['portal'][0] / figures['bare Flask (reference)'][0]:.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", action="store_true")
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--redis-unix-socket", action="store_true",
                        help="Redis on a Unix socket rather than TCP on 127.0.0.1")
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
        with app.test_client() as client:
            document = client.get(f"/api/postcodes/{quote(postcodes[0])}").get_json()
        over_http(postcodes, document, args.seconds, args.rounds, args.redis_unix_socket)


if __name__ == "__main__":
    main()
