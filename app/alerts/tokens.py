"""Signed links in alert emails: confirm, unsubscribe, manage (export and delete).

A token carries only the subscription id and is signed with SECRET_KEY, each purpose with
its own salt so one kind of link cannot be used as another."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

CONFIRM, UNSUBSCRIBE, MANAGE = "alerts-confirm", "alerts-unsubscribe", "alerts-manage"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def _serializer(purpose):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make_token(purpose, subscription_id):
    return _serializer(purpose).dumps(subscription_id)


def read_token(purpose, token):
    """The subscription id, or None for a bad or (confirm links only) expired token."""
    max_age = CONFIRM_MAX_AGE if purpose == CONFIRM else None
    try:
        value = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None
