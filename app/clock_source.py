"""Where the web views and commands get "now" from: naive UTC, replaceable in tests
by setting the `CLOCK` config value to a callable."""
from flask import current_app

from app.domain.localtime import utcnow


def now():
    clock = current_app.config.get("CLOCK")
    return clock() if clock else utcnow()
