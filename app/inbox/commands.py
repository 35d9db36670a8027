"""`flask --app app inbox …`: escalation, outgoing mail and residents' emailed replies,
each safe to run from cron every minute."""
import email
import imaplib
import mailbox
from email import policy

import click
from flask import current_app
from flask.cli import AppGroup

from app import clock_source
from app.extensions import db
from app.services import inbox as service
from app.jobs import deliver_outbox, single_run
from app.mail import SmtpSettings

inbox = AppGroup("inbox", help="The team inbox: escalate, send-mail, fetch, anonymise.")


@inbox.command("escalate")
@single_run("inbox escalate")
def escalate():
    """Email sergeants about messages without a human reply (INBOX_ESCALATION_HOURS)."""
    sent = service.escalate(db.session, clock_source.now())
    click.echo(f"{sent} escalation(s) queued")


@inbox.command("send-mail")
def send_mail():
    """Send what is due in the outbox over SMTP, with retries."""
    result = deliver_outbox(db.session, SmtpSettings(current_app.config), clock_source.now())
    if result is None:
        click.echo("Another run is sending the outbox; this one has nothing to do.")
        return
    sent, failed = result
    click.echo(f"{sent} sent, {failed} failed (will be retried)")


@inbox.command("anonymise")
def anonymise():
    """Remove residents' personal details from messages closed more than MESSAGE_RETENTION_DAYS
    ago, the bodies and addresses of sent emails, and photos of report forms never finished. Safe to run from cron, and twice at once."""
    from app.services import retention

    from app import report_photos
    from app.queries.local_reports import photo_names

    now = clock_source.now()
    anonymised, pruned = retention.run(db.session, now, current_app.config["MESSAGE_RETENTION_DAYS"])
    unclaimed = report_photos.remove_unclaimed(photo_names(), now)
    click.echo(f"{anonymised} message(s) anonymised, {pruned} sent email(s) pruned, "
               f"{unclaimed} unclaimed report photo(s) removed")


def _attach(raw):
    parsed = email.message_from_bytes(raw, policy=policy.default)
    entry = service.attach_inbound(db.session, parsed, clock_source.now())
    db.session.commit()
    return entry is not None


@inbox.command("fetch")
@click.option("--maildir", type=click.Path(exists=True, file_okay=False), help="Read new mail from a Maildir.")
@click.option("--mbox", type=click.Path(exists=True, dir_okay=False), help="Read an mbox file.")
@click.option("--imap", "use_imap", is_flag=True, help="Read unseen mail over IMAP (IMAP_HOST, IMAP_USER, "
                                                         "IMAP_PASSWORD, IMAP_FOLDER).")
def fetch(maildir, mbox, use_imap):
    """Add residents' emailed replies to their threads. Mail seen before is recognised by its
    Message-ID, so reading the same mailbox twice adds nothing twice."""
    if sum(bool(x) for x in (maildir, mbox, use_imap)) != 1:
        raise click.UsageError("Give exactly one of --maildir, --mbox or --imap")
    _fetch_once(maildir, mbox, use_imap)


@single_run("inbox fetch")
def _fetch_once(maildir, mbox, use_imap):
    attached = read = 0
    if maildir:
        box = mailbox.Maildir(maildir, create=False)
        for key in list(box.iterkeys()):
            item = box[key]
            if "S" in item.get_flags():
                continue
            read += 1
            attached += _attach(item.as_bytes())
            item.add_flag("S")
            item.set_subdir("cur")
            box[key] = item
    elif mbox:
        for item in mailbox.mbox(mbox, create=False):
            read += 1
            attached += _attach(item.as_bytes())
    else:
        config = current_app.config
        connection = imaplib.IMAP4_SSL(config["IMAP_HOST"], int(config.get("IMAP_PORT", 993)))
        try:
            connection.login(config["IMAP_USER"], config["IMAP_PASSWORD"])
            connection.select(config.get("IMAP_FOLDER", "INBOX"))
            _, data = connection.search(None, "UNSEEN")
            for number in data[0].split():
                _, parts = connection.fetch(number, "(RFC822)")
                read += 1
                attached += _attach(parts[0][1])
                connection.store(number, "+FLAGS", "\\Seen")
        finally:
            connection.logout()
    click.echo(f"{read} email(s) read, {attached} added to threads")
