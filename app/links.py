"""Absolute links for emails.

Production (and any config without EMAIL_LINKS_FROM_REQUEST) builds them on PUBLIC_BASE_URL
and never on the request's Host header, which a client chooses. Development sets
EMAIL_LINKS_FROM_REQUEST so that a link in an email opens the portal on the address it is
actually being served on (`flask run --port 5050`), not on a configured one.
"""
from flask import current_app, has_request_context, request, url_for


def base_url():
    if current_app.config.get("EMAIL_LINKS_FROM_REQUEST") and has_request_context():
        return request.host_url.rstrip("/")
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def email_link(endpoint, **values):
    if has_request_context():
        path = url_for(endpoint, **values)
    else:  # a command (cron, the demo loader): build the path without a request
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base_url() + path
