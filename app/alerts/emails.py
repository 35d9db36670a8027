"""The text of alert emails, and the links every one of them carries."""
from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from app.alerts.tokens import CONFIRM, MANAGE, UNSUBSCRIBE, make_token
from app.labels import month_label


def public_url(endpoint, **values):
    """An absolute link for an email: built on PUBLIC_BASE_URL, never on a request's Host."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def links(subscription):
    return {
        "unsubscribe": public_url("alerts.unsubscribe", token=make_token(UNSUBSCRIBE, subscription.id)),
        "manage": public_url("alerts.manage", token=make_token(MANAGE, subscription.id)),
    }


def unsubscribe_headers(subscription):
    # RFC 8058 one-click unsubscribe: mail clients POST to the link.
    return {
        "List-Unsubscribe": f"<{links(subscription)['unsubscribe']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def confirmation(subscription):
    url = public_url("alerts.confirm", token=make_token(CONFIRM, subscription.id))
    body = render_template("alerts/email/confirm.txt", subscription=subscription, confirm_url=url)
    return _("Confirm your neighbourhood policing alerts"), body


def your_data(subscriptions):
    body = render_template("alerts/email/your_data.txt",
                           subscriptions=[(s, links(s)) for s in subscriptions])
    return _("Your neighbourhood policing alerts"), body


def alert(subscription, team, messages, digest):
    body = render_template("alerts/email/alert.txt", subscription=subscription, team=team, messages=messages,
                           digest=digest, links=links(subscription), month_label=month_label)
    if messages and not digest:
        subject = messages[0].subject if len(messages) == 1 else _("Messages from %(team)s", team=team.name)
    else:
        subject = _("News from %(team)s", team=team.name)
    return subject, body
