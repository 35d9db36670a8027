"""Signed links for "Have your say": the confirmation link emailed to a resident, and the
"thank you" page after answering. A token carries only the response id, signed with
SECRET_KEY and a salt of its own purpose."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

CONFIRM, DONE = "consultation-confirm", "consultation-done"
MAX_AGE = {CONFIRM: 7 * 24 * 3600, DONE: 24 * 3600}


def _serializer(purpose):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make_token(purpose, response_id):
    return _serializer(purpose).dumps(response_id)


def read_token(purpose, token):
    """The response id, or None for a bad or expired token."""
    try:
        value = _serializer(purpose).loads(token, max_age=MAX_AGE[purpose])
    except BadSignature:
        return None
    return value if isinstance(value, int) else None
