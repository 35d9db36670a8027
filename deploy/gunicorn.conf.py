"""gunicorn settings for the portal: `gunicorn -c deploy/gunicorn.conf.py 'app:create_app()'`.

Behind nginx on the same host (deploy/nginx/npt-portal.conf). Every value can be changed
from the environment (the systemd unit reads /etc/npt-portal/env)."""
import multiprocessing
import os

# Loopback only: nginx terminates TLS and is the only client.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# A worker process per core (the work is CPU-bound: geometry, tiles, templates) ...
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
# ... with threads enough for nginx's keep-alive connections and slow database waits.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 8))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The app writes one line per request itself (with its request id); gunicorn logs only
# its own events and errors, on stderr, to the journal.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# X-Forwarded-* is read by the app itself, PROXY_COUNT hops deep (werkzeug's ProxyFix).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "npt-portal"
