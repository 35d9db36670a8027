"""The open API's rate limit per client (API_RATE_LIMIT), counted on the rate limiter's own
store and strategy (Redis and a moving window in production), at one store round trip per
request.

Flask-Limiter's own hooks resolved the blueprint's limit anew on every request, then read
the window back from the store for X-RateLimit-* headers: a second round trip, and with
the resolving about a third of an API request's CPU (cProfile, issue 15). The site's other
limits (sign-in, contact forms) stay with Flask-Limiter, which skips the API
(extensions.PortalLimiter); the API is counted here instead, on the same store. When the limit is reached the answer is a JSON 429 with Retry-After
(a whole number of seconds, at least 1) and the X-RateLimit-* headers saying why."""
import math
import time
from functools import lru_cache

from flask import current_app, jsonify, request
from limits import parse_many

from app.extensions import limiter

SCOPE = "api"


@lru_cache(maxsize=8)
def _limits(text):
    return tuple(parse_many(text))


def init_blueprint(bp):
    limiter.self_counting_blueprints.add(bp.name)

    @bp.before_request
    def count_request():
        if not (limiter.enabled and limiter.initialized):
            return None
        client = request.remote_addr or "127.0.0.1"
        try:
            strategy = limiter.limiter
            refused = [item for item in _limits(current_app.config["API_RATE_LIMIT"])
                       if not strategy.hit(item, client, SCOPE)]
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
