"""`flask --app app alerts send`: queue due alert emails, then send the outbox. Safe to run
from cron as often as you like (hourly suits): each subscriber gets at most one alert email
a day, and a run that was stopped part-way is finished by the next one."""
import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

alerts_group = AppGroup("alerts", help="Email alerts by postcode.")


@alerts_group.command("send")
@click.option("--queue-only", is_flag=True, help="Queue the emails in the outbox but do not send them.")
def send(queue_only):
    """Queue each subscriber's due digest and officers' messages, then deliver the outbox."""
    from app.alerts.sending import send_alerts
    from app.mail import SmtpSettings, deliver_pending

    report = send_alerts(db.session)
    click.echo(f"Alert emails queued: {report.emails_queued}; waiting for tomorrow (one a day): "
               f"{report.waiting_for_tomorrow}; nothing new: {report.nothing_to_send}; "
               f"unconfirmed removed: {report.unconfirmed_removed}")
    if not queue_only:
        sent, failed = deliver_pending(db.session, SmtpSettings(current_app.config))
        click.echo(f"Outbox: {sent} sent, {failed} failed (retried later)")
