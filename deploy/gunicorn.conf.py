"""gunicorn settings for the portal: `gunicorn -c deploy/gunicorn.conf.py 'app:create_app()'`.

Behind nginx on the same host (deploy/nginx/npt-portal.conf). Every value can be changed
from the environment (the systemd unit reads /etc/npt-portal/env). benchmarks/lookup.py
runs the portal (and its bare Flask reference) with exactly these settings; the figures
behind each choice are in benchmarks/HISTORY.md ("API over HTTP, third round")."""
import gc
import multiprocessing
import os

# Loopback only: nginx terminates TLS and is the only client.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# A worker process per core (the work is CPU-bound: geometry, tiles, templates) ...
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
# ... with a few threads each, so that a slow request (a report, a database wait) does not hold
# up the quick ones behind it. Not more: Python runs one thread of a process at a time, and a
# thread back from the database or Redis waits for the others to hand it the interpreter
# lock, so with 8 threads a 0.5 ms look-up took 4 ms inside the app at the median.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A worker takes at most this many connections and leaves the rest to the others: without a
# cap one worker could accept every kept-alive connection while the other stood idle.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", 3 * threads))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then, so a slow leak never grows without bound; rarely, since a
# new worker loads the app again (a second or two of CPU, while the other worker takes
# everything): every 2,000 requests was every two seconds under load, a third of the throughput.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 200_000))
max_requests_jitter = max_requests // 10
# The app writes one line per request itself (with its request id); gunicorn logs only
# its own events and errors, on stderr, to the journal.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# X-Forwarded-* is read by the app itself, PROXY_COUNT hops deep (werkzeug's ProxyFix).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "npt-portal"


def post_worker_init(worker):
    """The app is loaded: move its ~200,000 objects (modules, routes, SQLAlchemy's tables,
    translations) out of the garbage collector's sight. They live as long as the worker, and a
    full collection went over all of them: a pause of 100-700 ms that every request in flight
    in that worker waited out, once every few thousand requests."""
    gc.collect()
    gc.freeze()
