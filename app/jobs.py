"""One run at a time of each scheduled job, however many are started at once (cron firing
while the last run is still going, a run by hand, a second host).

A run takes a lock named after its job and holds it until it finishes; a run that finds
the lock taken prints that and exits 0, since the run holding it is doing the same work.
The lock is the database's own, so it is shared by every host that shares the database,
and it is released by the database or the kernel when a run dies, leaving nothing stale:
- PostgreSQL: a session advisory lock (pg_try_advisory_lock) on a connection of its own;
- SQLite: an flock on a file beside the database file (SQLite is one host's anyway).
Row-level guards stay underneath (the outbox claims each email before sending it, an
escalation or alert delivery is recorded under a unique key), so even two jobs that do
not share a lock never send an email twice.
"""
import contextlib
import fcntl
import functools
import hashlib
from pathlib import Path

import click
from sqlalchemy import text

from app.extensions import db


def _advisory_key(name):
    return int.from_bytes(hashlib.sha256(f"npt-portal job {name}".encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def exclusive(engine, name):
    """Yields True while this process holds job `name`, False (at once) if another run holds it."""
    if engine.dialect.name == "postgresql":
        key = _advisory_key(name)
        with engine.connect() as connection:
            held = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
            connection.commit()
            try:
                yield held
            finally:
                if held:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    connection.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        # An in-memory database belongs to this process alone.
        yield True
        return
    lock_path = Path(f"{database}.{name.replace(' ', '-')}.lock")
    with open(lock_path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def single_run(name):
    """Decorates a flask command: it runs only while holding job `name`, else says so and exits 0."""
    def decorate(command):
        @functools.wraps(command)
        def run(*args, **kwargs):
            with exclusive(db.engine, name) as held:
                if not held:
                    click.echo(f"Another run of '{name}' is in progress; this one has nothing to do.")
                    return None
                return command(*args, **kwargs)
        return run
    return decorate


def deliver_outbox(session, settings, now=None):
    """Send the outbox, unless another run is sending it right now. Returns (sent, failed), or
    None when another run holds the outbox."""
    from app.mail import deliver_pending

    with exclusive(db.engine, "outbox") as held:
        if not held:
            return None
        return deliver_pending(session, settings, now)
