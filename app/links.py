"""Absolute links for emails, feeds, calendars and the API, with or without a request (cron jobs,
the demo loader).

They are built on PUBLIC_BASE_URL and never on the request's Host header, which a client
chooses. One exception, for development only: a config that sets EMAIL_LINKS_FROM_REQUEST
(development does) builds the links in emails on the address the portal is actually being
served on (`flask run --port 5050`), so that they open; production never sets it.
"""
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request


def _configured_base():
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def base_url():
    """Where email links point: the request's address in development (EMAIL_LINKS_FROM_REQUEST), else PUBLIC_BASE_URL."""
    if current_app.config.get("EMAIL_LINKS_FROM_REQUEST") and has_request_context():
        return request.host_url.rstrip("/")
    return _configured_base()


def _build(base, endpoint, anchor, values):
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/",
                                       url_scheme=parts.scheme or "https")
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def public_url(endpoint, _anchor=None, **values):
    """The public address of `endpoint` with `values`, e.g. https://police.example/teams/…, always on PUBLIC_BASE_URL."""
    return _build(_configured_base(), endpoint, _anchor, values)


def email_link(endpoint, _anchor=None, **values):
    """A link for an email: on PUBLIC_BASE_URL, or in development on the address being served (see base_url)."""
    return _build(base_url(), endpoint, _anchor, values)


def public_host():
    """The host name of the public address (for calendar UIDs and feed tags)."""
    return urlsplit(_configured_base()).hostname or "localhost"
