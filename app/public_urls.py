"""Absolute links for emails, feeds, calendars and the API, built on the PUBLIC_BASE_URL
setting, never on a request's Host header; they work with or without a request (cron jobs)."""
from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint, _anchor=None, **values):
    """The public address of `endpoint` with `values`, e.g. https://police.example/teams/…"""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                                       url_scheme=base.scheme or "https")
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{_anchor}" if _anchor else url


def public_host():
    """The host name of the public address (for calendar UIDs and feed tags)."""
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"
