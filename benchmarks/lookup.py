"""Postcode lookup speed on the national database.

    DATABASE_URL=sqlite:////tmp/national.db python benchmarks/lookup.py [--http]

In process: p50/p99 of `find_postcode` over random real postcodes, and of the JSON
endpoint through the Flask test client. With --http: requests per second and latency for
GET /api/postcodes/<pc> served by gunicorn exactly as deployed (deploy/gunicorn.conf.py:
its workers, threads, connection cap and garbage-collector freeze) on a free port on
127.0.0.1, driven by wrk (apt-get install wrk) for --seconds; then, in the same run under
the same gunicorn settings and wrk, the reference: a bare Flask app (benchmarks/bare_app.py)
returning the same JSON. The portal runs as deployed: its API rate limit on, counted in a
throwaway Redis (redis-server) at a limit wrk never reaches, and one log line per request
(to a file); the run prints how many requests the limiter counted, how many lines were
logged, and the time each request spent inside the app (from those lines) beside wrk's.
Both servers' worker CPU per request is printed, with the ratio of their throughputs and
the load average. --rounds alternates the two servers several times, so that both see the
same load; --client-addresses N sends each request from one of N clients (X-Forwarded-For,
read by the portal as behind one proxy), so that the limit is counted for many clients.
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
local clients = %d
math.randomseed(7)
request = function()
  local path = paths[math.random(#paths)]
  if clients == 0 then return wrk.format("GET", path) end
  local n = math.random(clients)
  local address = string.format("10.%%d.%%d.%%d", math.floor(n / 65536), math.floor(n / 256) %% 256, n %% 256)
  return wrk.format("GET", path, {["X-Forwarded-For"] = address})
end
"""


def with_wrk(port, postcodes, seconds, clients=16, addresses=0):
    """Drive a server with wrk (C, keep-alive), each request from one of `addresses` client
    addresses in X-Forwarded-For (0: none, all from wrk's own); return (requests/s, p50 ms,
    p99 ms, non-2xx, requests)."""
    import re
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        paths = os.path.join(folder, "paths.txt")
        with open(paths, "w") as out:
            out.writelines(f"/api/postcodes/{quote(pc)}\n" for pc in postcodes)
        script = os.path.join(folder, "random.lua")
        with open(script, "w") as out:
            out.write(WRK_SCRIPT % (paths, addresses))
        output = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", script,
                                 f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout

    def ms(label):
        value, unit = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return rate, ms("50%"), ms("99%"), int(errors.group(1)) if errors else 0, requests


DEPLOYED_CONFIG = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "deploy", "gunicorn.conf.py")


def serve(app_spec, env, probe, cwd=None, log=None):
    """Start gunicorn as deployed (deploy/gunicorn.conf.py, on a free port) and wait until its
    workers answer `probe` (the master binds the port before its workers have loaded the app)."""
    import urllib.request

    port = free_port()
    workers = os.cpu_count() or 1
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", DEPLOYED_CONFIG, app_spec],
                              env=dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_LOG_LEVEL="warning"),
                              cwd=cwd, stderr=log)
    answered, deadline = 0, time.monotonic() + 120
    while answered < 2 * workers and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=30) as response:
                answered += response.status == 200
        except OSError:
            time.sleep(0.2)
    return server, port


def workers_cpu_seconds(server):
    """User + system CPU of a gunicorn master's workers so far, those it has recycled included
    (Linux /proc: the live workers' own, and the master's count of its exited children)."""
    ticks = os.sysconf("SC_CLK_TCK")

    def fields(pid):
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()

    master = fields(server.pid)
    total = (int(master[13]) + int(master[14])) / ticks
    with open(f"/proc/{server.pid}/task/{server.pid}/children") as children:
        for pid in children.read().split():
            worker = fields(pid)
            total += (int(worker[11]) + int(worker[12])) / ticks
    return total


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


def in_app_times(log_lines):
    """Each logged API request's time inside the app (from the request id hook to the log line), ms."""
    import re

    return [float(ms) for ms in re.findall(r'"GET /api/postcodes/[^"]*" 200 \d+ ([\d.]+)ms', "".join(log_lines))]


def over_http(postcodes, document, seconds=10, rounds=1, redis_unix_socket=False, addresses=0):
    import tempfile

    from _common import percentiles

    if not shutil.which("wrk"):
        sys.exit("--http needs wrk (apt-get install wrk)")
    bare_env = dict(os.environ, BARE_POSTCODE_JSON=json.dumps(document))
    here = os.path.dirname(os.path.abspath(__file__))
    print(f"gunicorn -c deploy/gunicorn.conf.py (as deployed: {os.cpu_count()} workers, gthread); wrk -t1 -c16 "
          f"-d{seconds}s, random postcodes, "
          + (f"each request from one of {addresses} client addresses (X-Forwarded-For, PROXY_COUNT=1)"
             if addresses else "all from one client")
          + f"; the portal's API limit on, in Redis (over {'a Unix socket' if redis_unix_socket else 'TCP'}), "
          f"at {BENCHMARK_API_LIMIT!r}; its log lines to a file")
    with RateLimitStore(redis_unix_socket) as store, tempfile.TemporaryFile("w+") as log:
        portal_env = dict(os.environ, PORTAL_ENV="development", PORTAL_RATELIMIT_ENABLED="true",
                          PORTAL_RATELIMIT_STORAGE_URI=store.url, PORTAL_API_RATE_LIMIT=BENCHMARK_API_LIMIT,
                          PORTAL_PROXY_COUNT="1" if addresses else "0")
        for _ in range(rounds):
            figures = {}
            for name, spec, env, cwd in [("portal", "app:create_app()", portal_env, None),
                                         ("bare Flask (reference)", "bare_app:create_app()", bare_env, here)]:
                server, port = serve(spec, env, f"/api/postcodes/{quote(postcodes[0])}", cwd,
                                     log if name == "portal" else None)
                try:
                    with_wrk(port, postcodes[:200], 1, addresses=addresses)  # warm the workers
                    log.seek(0, os.SEEK_END)
                    logged_before = log.tell()
                    counted_before = store.counted()
                    cpu_before = workers_cpu_seconds(server)
                    figures[name] = with_wrk(port, postcodes, seconds, addresses=addresses)
                    cpu = workers_cpu_seconds(server) - cpu_before
                finally:
                    server.terminate()
                    server.wait()
                rate, p50, p99, errors, requests = figures[name]
                print(f"  {name:<24} {rate:8.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:7.2f} ms  non-2xx {errors}"
                      f"  CPU {cpu / requests * 1000:.3f} ms a request  (load {os.getloadavg()[0]:.1f})")
                if name == "portal":
                    log.seek(logged_before)
                    lines = log.readlines()
                    inside = percentiles(in_app_times(lines) or [0.0])
                    print(f"    inside the app p50 {inside['p50']:.2f} ms p99 {inside['p99']:.2f} ms; rate limit "
                          f"counted {store.counted() - counted_before} requests in Redis (leases included); "
                          f"{sum(chr(34) + 'GET /api/postcodes/' in line for line in lines)} request log lines")
            print(f"  portal / reference: {figures['portal'][0] / figures['bare Flask (reference)'][0]:.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", action="store_true")
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--redis-unix-socket", action="store_true",
                        help="Redis on a Unix socket rather than TCP on 127.0.0.1")
    parser.add_argument("--client-addresses", type=int, default=0,
                        help="each request from one of N client addresses (X-Forwarded-For; the portal "
                             "trusts one proxy, as behind nginx), rather than all from wrk's own")
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
        over_http(postcodes, document, args.seconds, args.rounds, args.redis_unix_socket, args.client_addresses)


if __name__ == "__main__":
    main()
