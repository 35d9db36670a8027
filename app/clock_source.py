"""Where the web views and commands get "now" from: naive UTC, replaceable in tests
by setting the `CLOCK` config value to a callable. Outside an application (scripts,
the domain's own tests) it is the system clock. Domain functions never call this:
they are passed `now` or `today`."""
from datetime import datetime, timezone

from flask import current_app, has_app_context

from app.domain.localtime import to_local


def system_now():
    """The machine's clock as naive UTC: the one place it is read."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def now():
    clock = current_app.config.get("CLOCK") if has_app_context() else None
    return clock() if clock else system_now()


def today_in_london():
    """Today's date in Europe/London (not the server's date): what "today" means on a page."""
    return to_local(now()).date()
