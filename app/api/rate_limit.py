"""The open API's rate limit per client (API_RATE_LIMIT), counted on the rate limiter's own
store and strategy (Redis and a moving window in production), shared by every worker and
host.

Flask-Limiter's own hooks resolved the blueprint's limit anew on every request, then read
the window back from the store for X-RateLimit-* headers: a second round trip, and with
the resolving about a third of an API request's CPU (cProfile, issue 15). The site's other
limits (sign-in, contact forms) stay with Flask-Limiter, which skips the API
(extensions.PortalLimiter); the API is counted here instead, on the same store. When the
limit is reached the answer is a JSON 429 with Retry-After (a whole number of seconds, at
least 1) and the X-RateLimit-* headers saying why.

A client that sends many requests is counted in leases: a worker takes several of its
allowance from the store in one round trip and spends them on that client's next requests
(`Leases`). The store's round trip was the largest part of an API request's time under load
(issue 15, third round: a thread waiting for Redis gives up the interpreter lock, and gets
it back behind the others). The store still counts every request a client is let through,
so the limit stays shared by every worker and host.

A lease running low is renewed by the request that finds a quarter of it left, while the
worker's other threads spend the rest: before, every thread that found the lease spent while
one thread was asking the store made its own round trip, so a busy client's lease ran out
into four round trips at once (py-spy of a worker under wrk, issue 15, fourth round: the
store's round trip was 18 % of the worker's samples with one client)."""
import math
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, jsonify, request
from limits import parse_many

from app.extensions import limiter

SCOPE = "api"


@lru_cache(maxsize=8)
def _limits(text):
    return tuple(parse_many(text))


@dataclass
class _Lease:
    remaining: int  # requests this worker may still let through without asking the store
    ends: float  # time.monotonic() after which they are given up
    size: int  # how many the last lease took
    asking: bool = False  # a thread of this worker is asking the store for the next lease
    renewal_refused: bool = False  # the store refused to renew it early: spend it out first


class Leases:
    """Per worker process: the part of each client's allowance this worker has taken from the
    store and not yet spent.

    A client's first lease is 1 request, so a client that sends a request now and then is
    counted one request at a time, exactly as without leases. A client that spends a whole
    lease before it ends gets twice as many next time, up to a twentieth of the limit (and
    at most MAX_SIZE); one that leaves some unspent gets half. A lease lasts a twentieth of
    the limit's window, a second at most. So for data.police.uk's 30 in 2 seconds (the
    default) a lease is never more than one request: every request is counted in the store
    as it comes.

    What this gives up, for a limit large enough to lease: requests are counted when their
    lease is taken, up to a second before they arrive, so over any window a client can be let
    through up to a lease and a quarter (the quarter left when it was renewed; a lease is a
    twentieth of the limit, 64 at most) per worker more than the limit; and an unspent lease
    counts against it until its window passes (it is refused up to that much early). A worker
    asks for one lease of a client at a time: a lease down to a quarter is renewed by one
    thread while the others spend the rest, and once it is spent out, while one thread asks
    the store for the next, the worker's other threads ask for their own request only."""

    MAX_SIZE = 64
    RENEW = "renew"  # spend(renew=True): spent, and the caller should renew the lease now
    PRUNE_EVERY = 4096  # leases taken between sweeps of the ended ones

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._leases = {}
        self._lock = threading.Lock()
        self._taken = 0

    @staticmethod
    def largest(item):
        return max(1, min(Leases.MAX_SIZE, item.amount // 20))

    def spend(self, item, client, renew=False):
        """True when this worker holds a request of `client`'s allowance for `item`, now spent.
        With `renew`: RENEW (also true) when it is spent and the lease, of 4 or more, is down
        to a quarter: this caller renews it (one thread of the worker at a time) while the
        others spend the rest."""
        with self._lock:
            lease = self._leases.get((item, client))
            if lease is not None and lease.remaining > 0 and self.clock() < lease.ends:
                lease.remaining -= 1
                if (renew and lease.size >= 4 and lease.remaining <= lease.size // 4 and not lease.asking
                        and not lease.renewal_refused):
                    lease.asking = True
                    return self.RENEW
                return True
        return False

    def renewal_size(self, item, client):
        """How many requests to take for the lease being renewed: twice the last, as it is
        being spent before it ends."""
        with self._lock:
            lease = self._leases.get((item, client))
            return min(lease.size * 2 if lease is not None else 1, self.largest(item))

    def renewed(self, item, client, size):
        """`size` more requests were taken from the store for `client`'s lease being renewed;
        what is left of the old one is kept, and the lease lasts from now."""
        now = self.clock()
        with self._lock:
            lease = self._leases.get((item, client))
            left = lease.remaining if lease is not None and now < lease.ends else 0
            self._leases[(item, client)] = _Lease(left + size, now + self.length(item), size)

    def next_size(self, item, client):
        """How many requests to take from the store for `client`'s next lease. While one thread
        of this worker asks for a lease, the others ask for their own request only, so that a
        worker never holds more than one lease of a client."""
        with self._lock:
            lease = self._leases.get((item, client))
            if lease is None or lease.asking:
                return 1
            if lease.remaining <= 0 and self.clock() < lease.ends:  # all spent before it ended
                size = min(lease.size * 2, self.largest(item))
            elif lease.remaining > 0:  # ended with some unspent
                size = max(1, lease.size // 2)
            else:
                size = lease.size
            lease.asking = size > 1
            return size

    def refused(self, item, client):
        """The store refused the lease asked for (or its early renewal: the rest of the lease
        is spent before the next request asks again)."""
        with self._lock:
            lease = self._leases.get((item, client))
            if lease is not None:
                lease.asking = False
                lease.renewal_refused = True

    @staticmethod
    def length(item):
        """Seconds a lease lasts: a twentieth of the limit's window, a second at most."""
        return min(1.0, item.get_expiry() / 20)

    def taken(self, item, client, size):
        """`size` requests were taken from the store for `client`; this request spends one.
        Another thread of this worker may have taken a lease for the same client meanwhile:
        what is left of it is kept, not dropped."""
        now = self.clock()
        with self._lock:
            lease = self._leases.get((item, client))
            if lease is not None and lease.asking and size == 1:
                return  # another thread is asking for the next lease; this request took its own
            left = lease.remaining if lease is not None and now < lease.ends else 0
            self._leases[(item, client)] = _Lease(left + size - 1, now + self.length(item), size)
            self._taken += 1
            if self._taken % self.PRUNE_EVERY == 0:
                for key in [key for key, lease in self._leases.items() if lease.ends <= now]:
                    del self._leases[key]

    def clear(self):
        with self._lock:
            self._leases.clear()


leases = Leases()


def _allowed(strategy, item, client):
    """Let one request of `client` through `item`'s limit: from this worker's lease, or by
    taking a new lease from the store (one round trip). Near the limit, where a whole lease
    would be refused, one request is asked for instead."""
    spent = leases.spend(item, client, renew=True)
    if spent == Leases.RENEW:
        _renew(strategy, item, client)
        return True
    if spent:
        return True
    size = leases.next_size(item, client)
    if _take(strategy, item, client, size):
        leases.taken(item, client, size)
        return True
    leases.refused(item, client)
    if size > 1 and strategy.hit(item, client, SCOPE):
        leases.taken(item, client, 1)
        return True
    return False


def _renew(strategy, item, client):
    """Take the next lease of `client` for `item` before this one runs out (one round trip)."""
    size = leases.renewal_size(item, client)
    if _take(strategy, item, client, size):
        leases.renewed(item, client, size)
    else:
        leases.refused(item, client)


def _take(strategy, item, client, size):
    """Whether the store lets `client` take `size` requests of `item`'s limit (one round trip).
    If the store fails, the lease being asked for is let go, so the next request asks again."""
    try:
        return strategy.hit(item, client, SCOPE, cost=size)
    except Exception:
        leases.refused(item, client)
        raise


def init_blueprint(bp):
    limiter.self_counting_blueprints.add(bp.name)

    @bp.before_request
    def count_request():
        if not (limiter.enabled and limiter.initialized):
            return None
        # The client as the proxies saw it (ProxyFix, PROXY_COUNT hops), never a header it sent itself.
        client = request.remote_addr or "127.0.0.1"
        try:
            strategy = limiter.limiter
            refused = [item for item in _limits(current_app.config["API_RATE_LIMIT"])
                       if not _allowed(strategy, item, client)]
            if not refused:
                return None
            return _too_many(strategy, max(refused, key=lambda item: item.get_expiry()), client)
        except Exception:  # noqa: BLE001  (the store is down: serve, as the site's other limits do)
            if not current_app.config.get("RATELIMIT_SWALLOW_ERRORS"):
                raise
            current_app.logger.exception("API rate limit: the store did not answer; request let through")
            return None


def _too_many(strategy, item, client):
    reset_at, remaining = strategy.get_window_stats(item, client, SCOPE)
    response = jsonify({"status": 429, "error": "Too many requests. Wait a moment, then try again."})
    response.status_code = 429
    response.headers["Retry-After"] = str(max(1, math.ceil(reset_at - time.time())))
    response.headers["X-RateLimit-Limit"] = str(item.amount)
    response.headers["X-RateLimit-Remaining"] = str(max(0, remaining))
    response.headers["X-RateLimit-Reset"] = str(int(reset_at))
    return response
