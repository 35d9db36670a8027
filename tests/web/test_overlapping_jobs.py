"""Scheduled jobs started several at once — cron firing while the last run still works, a
second host — on this run's database (SQLite, or PostgreSQL under TEST_DATABASE_URL): real
processes, a real SMTP server; none fails, no email goes twice, and a run that finds its job
taken says so and exits 0."""
import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest

from app.clock_source import system_now as utcnow
from app.extensions import db
from app.services import inbox as service
from app.jobs import exclusive
from app.models import AlertMessage, AlertSubscription
from tests.factories import add_postcode, make_area
from tests.inbox_support import make_user

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESIDENTS = 12
SUBSCRIBERS = 12


def flask_command(database_url, smtp_port, *args):
    env = {**os.environ, "PORTAL_ENV": "test", "TEST_DATABASE_URL": database_url, "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(smtp_port), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process):
    out, err = process.communicate(timeout=180)
    return process.returncode, out, err


@pytest.fixture
def work_due(app_context):
    """Messages that have waited 17 hours (each due one escalation), subscribers each due one
    alert, and the residents' receipts waiting in the outbox."""
    now = utcnow()
    team = make_area()
    add_postcode("LS1 1AZ", team.neighbourhood_id)
    make_user("sarge@example.org", role="sergeant", teams=[team])
    for number in range(RESIDENTS):
        service.receive(db.session, team, now - timedelta(hours=17), name="Alex", email=f"resident{number}@example.org",
                        phone=None, contact_by="email", subject=f"Parking {number}", body="Cars on the pavement")
        db.session.commit()
    for number in range(SUBSCRIBERS):
        db.session.add(AlertSubscription(email=f"subscriber{number}@example.org", postcode="LS1 1AZ", sector="LS1 1",
                                         neighbourhood_id=team.neighbourhood_id, frequency="weekly",
                                         created_at=now - timedelta(days=3), confirmed_at=now - timedelta(days=3)))
    db.session.add(AlertMessage(team_id=team.id, signature="PC Example", subject="Road closed", body="Detour",
                                sectors=[], created_at=now - timedelta(minutes=1)))
    db.session.commit()
    db.session.remove()
    # A receipt to each resident, an escalation to the sergeant for each message, an alert each.
    return RESIDENTS + RESIDENTS + SUBSCRIBERS


def test_three_of_each_job_at_once_send_every_email_once_and_all_exit_0(app, database_url, smtp_server, work_due):
    commands = [("inbox", "escalate"), ("alerts", "send"), ("inbox", "send-mail")] * 3
    port = app.config["MAIL_PORT"]
    runs = [flask_command(database_url, port, *command) for command in commands]
    results = [finish(run) for run in runs]
    # Whatever a run queued after the last sender had looked is sent by the next cron minute.
    results.append(finish(flask_command(database_url, port, "inbox", "send-mail")))

    failures = [(code, err) for code, _out, err in results if code != 0 or "Traceback" in err]
    held = sum("Another run" in out or "another run" in out for _code, out, _err in results)
    sent = [(m["To"], m["Subject"]) for m in smtp_server.messages]
    duplicates = sum(count - 1 for count in Counter(sent).values())
    print(f"\n{len(results)} runs on {database_url.split(':')[0]}: {len(failures)} crashed, {held} found their job "
          f"taken, {len(sent)} emails sent, {duplicates} duplicates")
    assert failures == []
    assert duplicates == 0
    assert len(sent) == work_due
    assert len(smtp_server.to("sarge@example.org")) == RESIDENTS


def test_runs_that_find_their_job_taken_do_nothing_and_exit_0(app, database_url, smtp_server, work_due):
    jobs = {"inbox escalate": ("inbox", "escalate"), "alerts send": ("alerts", "send"),
            "outbox": ("inbox", "send-mail")}
    with app.app_context(), exclusive(db.engine, "inbox escalate") as escalate, \
            exclusive(db.engine, "alerts send") as alerts, exclusive(db.engine, "outbox") as outbox:
        assert escalate and alerts and outbox
        runs = [flask_command(database_url, app.config["MAIL_PORT"], *command) for command in jobs.values()]
        results = [finish(run) for run in runs]
    assert [(code, "nother run" in out) for code, out, _err in results] == [(0, True)] * 3, results
    assert smtp_server.messages == []
