"""Photos residents send with a local problem report: re-encoded (app.domain.photos: no
EXIF, so no location), kept under UPLOAD_FOLDER/reports with a random name, and served
only to the reporter (through their private link) and to the team's staff."""
import re
import secrets
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
