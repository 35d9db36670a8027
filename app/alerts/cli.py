"""`flask --app app alerts send`: queue due alert emails, then send the outbox. Safe to run
from cron as often as you like (hourly suits): each subscriber gets at most one alert email
a day, and a run that was stopped part-way is finished by the next one."""
import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.jobs import single_run

alerts_group = AppGroup("alerts", help="Email alerts by postcode.")


@alerts_group.command("send")
@click.option("--queue-only", is_flag=True, help="Queue the emails in the outbox but do not send them.")
@single_run("alerts send")
def send(queue_only):
    """Queue each subscriber's due digest and officers' messages, then deliver the outbox."""
    from app.alerts.sending import send_alerts
    from app.jobs import deliver_outbox
    from app.mail import SmtpSettings

    # Links and dates in emails are built as for a request to the public address.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        report = send_alerts(db.session)
    click.echo(f"Alert emails queued: {report.emails_queued}; waiting for tomorrow (one a day): "
               f"{report.waiting_for_tomorrow}; nothing new: {report.nothing_to_send}; "
               f"unconfirmed removed: {report.unconfirmed_removed}")
    if not queue_only:
        result = deliver_outbox(db.session, SmtpSettings(current_app.config))
        if result is None:
            click.echo("Outbox: another run is sending it")
        else:
            click.echo(f"Outbox: {result[0]} sent, {result[1]} failed (retried later)")
