"""Photos residents send with a local problem report: re-encoded (app.domain.photos: no
EXIF, so no location), kept under UPLOAD_FOLDER/reports with a random name, and served
only to the reporter (through their private link) and to the team's staff."""
import re
import secrets
from datetime import timedelta, timezone
from pathlib import Path

from flask import current_app, send_from_directory

from app.domain.photos import reencode_whole

NAME = re.compile(r"^[0-9a-f]{32}\.jpg$")


def folder():
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(data):
    """Re-encode an upload and store it; returns its file name. Raises InvalidPhoto."""
    jpeg = reencode_whole(data)
    name = f"{secrets.token_hex(16)}.jpg"
    (folder() / name).write_bytes(jpeg)
    return name


def exists(name):
    return bool(name) and NAME.match(name) is not None and (folder() / name).is_file()


def send(name):
    """The photo as a private response: never cached by shared caches."""
    response = send_from_directory(folder(), name, max_age=0)
    response.cache_control.private = True
    response.cache_control.no_store = True
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def delete(name):
    if name and NAME.match(name):
        (folder() / name).unlink(missing_ok=True)


# A photo kept for a form sent back with an error waits this long for the resident to finish.
UNCLAIMED_FOR = timedelta(days=1)


def remove_unclaimed(claimed, now):
    """Delete photos no report holds (forms abandoned after an error) once they are older than
    UNCLAIMED_FOR by `now` (naive UTC); `claimed` is the set of names reports hold. Returns how many."""
    cutoff = (now - UNCLAIMED_FOR).replace(tzinfo=timezone.utc).timestamp()
    removed = 0
    for path in folder().iterdir():
        if NAME.match(path.name) and path.name not in claimed and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
