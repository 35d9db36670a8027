"""Alerts by postcode: double opt-in, digests at most once a day, one-click unsubscribe,
officers' messages to sectors, and subscribers' data kept from staff."""
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.alerts import emails
from app.alerts.sending import send_alerts
from app.extensions import db
from app.models import (ADMIN, OFFICER, AlertMessage, AlertSubscription, OutboxEmail, Priority, Update, User)
from tests.factories import add_officer, add_postcode, make_area
from tests.inbox_support import PASSWORD, TOTP_SECRET
from tests.inbox_support import sign_in as two_step_sign_in

NOW = datetime(2026, 11, 25, 9, 0)  # a Wednesday; the weekly digest due is for 16–22 November


@pytest.fixture
def team(app_context):
    team = make_area()
    add_postcode("LS1 1AZ", team.neighbourhood_id)
    add_postcode("LS1 2BB", team.neighbourhood_id)
    add_postcode("LS6 3CC", team.neighbourhood_id)
    return team


def csrf_from(response):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def subscribe(client, email="resident@example.org", postcode="LS1 1AZ", **fields):
    token = csrf_from(client.get("/alerts/subscribe"))
    data = {"csrf_token": token, "email": email, "postcode": postcode, "frequency": "weekly",
            "topics": ["priorities", "meetings", "updates"], **fields}
    return client.post("/alerts/subscribe", data=data)


def subscriber(email="resident@example.org", postcode="LS1 1AZ", team=None, confirmed_at=datetime(2026, 11, 1),
               **fields):
    s = AlertSubscription(email=email, postcode=postcode, sector=postcode[:-2], neighbourhood_id="E02002330",
                          frequency="weekly", created_at=datetime(2026, 11, 1), confirmed_at=confirmed_at, **fields)
    db.session.add(s)
    db.session.commit()
    return s


def run_send(app, now=NOW):
    return send_alerts(db.session, now=now)  # as cron runs it: an app but no request


def alert_emails(to=None):
    query = select(OutboxEmail).where(OutboxEmail.kind == "alert").order_by(OutboxEmail.id)
    return [e for e in db.session.scalars(query) if to is None or e.to_address == to]


def link_in(body, path):
    return re.search(rf"https?://[^/\s]+({path}/[^\s]+)", body).group(1)


def test_subscribing_sends_a_confirmation_link_and_nothing_else_until_it_is_used(app, client, team):
    assert subscribe(client, email="Resident@Example.org").status_code == 302
    subscription = db.session.scalar(select(AlertSubscription))
    assert subscription.email == "resident@example.org" and not subscription.confirmed
    [confirm] = db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "alert_confirm")).all()
    path = link_in(confirm.body_text, "/alerts/confirm")
    run_send(app)
    assert alert_emails() == []

    page = client.get(path)  # a link scanner following it confirms nothing
    assert page.status_code == 200 and not db.session.get(AlertSubscription, subscription.id).confirmed
    assert client.post(path, data={"csrf_token": csrf_from(page)}).status_code == 200
    db.session.expire_all()
    assert db.session.get(AlertSubscription, subscription.id).confirmed


def test_a_postcode_without_a_team_is_refused_with_a_message(client, team):
    response = subscribe(client, postcode="SW1A 2AA")
    assert response.status_code == 400 and "cannot find a neighbourhood team" in response.get_data(as_text=True)


def test_a_forged_confirmation_link_is_not_found(client, team):
    subscriber(confirmed_at=None)
    assert client.get("/alerts/confirm/1.forged.sig").status_code == 404


def test_the_weekly_digest_is_queued_once_with_a_one_click_unsubscribe_header(app, client, team):
    subscriber()
    db.session.add_all([
        Priority(team_id=team.id, title="Speeding", description="By the school", agreed_on=date(2026, 11, 18)),
        Priority(team_id=team.id, title="Old news", description="x", agreed_on=date(2026, 11, 2)),
        Update(team_id=team.id, published_on=date(2026, 11, 20), you_said="Parking", we_did="Tickets"),
    ])
    db.session.commit()
    assert run_send(app).emails_queued == 1
    assert run_send(app).emails_queued == 0
    assert run_send(app, now=NOW + timedelta(days=1)).emails_queued == 0  # same week, already had it
    [email] = alert_emails()
    assert "Speeding: By the school" in email.body_text and "Tickets" in email.body_text
    assert "Old news" not in email.body_text
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/alerts/unsubscribe/" in email.headers["List-Unsubscribe"]


def test_topics_not_chosen_are_left_out(app, team):
    subscriber(wants_updates=False)
    db.session.add(Update(team_id=team.id, published_on=date(2026, 11, 20), you_said="Parking", we_did="Tickets"))
    db.session.commit()
    assert run_send(app).emails_queued == 0 and alert_emails() == []


def test_nobody_gets_more_than_one_alert_email_a_day(app, team):
    subscriber()
    db.session.add(Priority(team_id=team.id, title="Speeding", description="d", agreed_on=date(2026, 11, 18)))
    db.session.add(AlertMessage(team_id=team.id, signature="PC Example", subject="Bikes stolen", body="Lock up",
                                sectors=[], created_at=NOW + timedelta(hours=1)))
    db.session.commit()
    run_send(app)
    report = run_send(app, now=NOW + timedelta(hours=2))
    assert report.emails_queued == 0 and report.waiting_for_tomorrow == 1
    assert run_send(app, now=NOW + timedelta(days=1)).emails_queued == 1
    first, second = alert_emails()
    assert "Speeding" in first.body_text and "Bikes stolen" not in first.body_text
    assert "Bikes stolen" in second.body_text and "PC Example" in second.body_text


def test_a_run_that_crashes_part_way_is_finished_by_the_next_without_sending_twice(app, team, monkeypatch):
    subscriber(email="first@example.org")
    subscriber(email="second@example.org")
    db.session.add(Priority(team_id=team.id, title="Speeding", description="d", agreed_on=date(2026, 11, 18)))
    db.session.commit()
    real = emails.alert

    def crash_on_second(subscription, *args):
        if subscription.email == "second@example.org":
            raise RuntimeError("process killed")
        return real(subscription, *args)

    monkeypatch.setattr(emails, "alert", crash_on_second)
    with pytest.raises(RuntimeError):
        run_send(app)
    db.session.rollback()
    monkeypatch.setattr(emails, "alert", real)
    assert run_send(app).emails_queued == 1
    assert [e.to_address for e in alert_emails()] == ["first@example.org", "second@example.org"]


def test_one_click_unsubscribe_needs_no_form_and_deletes_the_address(app, client, team):
    subscription_id = subscriber().id
    db.session.add(Priority(team_id=team.id, title="Speeding", description="d", agreed_on=date(2026, 11, 18)))
    db.session.commit()
    run_send(app)
    [email] = alert_emails()
    url = email.headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(AlertSubscription, subscription_id) is None


def test_a_subscriber_can_export_and_delete_their_data(app, client, team):
    subscriber()
    db.session.add(Priority(team_id=team.id, title="Speeding", description="d", agreed_on=date(2026, 11, 18)))
    db.session.commit()
    run_send(app)
    manage = link_in(alert_emails()[0].body_text, "/alerts/manage")
    page = client.get(manage)
    exported = client.get(f"{manage}/your-data.json").get_json()
    assert exported["email"] == "resident@example.org" and exported["postcode"] == "LS1 1AZ"
    assert exported["emails_sent"][0]["what"] == "digest:2026-W47"
    assert client.post(f"{manage}/delete", data={"csrf_token": csrf_from(page)}).status_code == 200
    assert db.session.scalar(select(AlertSubscription)) is None


def test_asking_for_your_data_emails_the_links_to_the_address_only(client, team):
    subscriber()
    token = csrf_from(client.get("/alerts/your-data"))
    for address in ("resident@example.org", "stranger@example.org"):
        response = client.post("/alerts/your-data", data={"csrf_token": token, "email": address})
        assert response.status_code == 200 and "/alerts/manage/" not in response.get_data(as_text=True)
    sent = db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "alert_your_data")).all()
    assert [e.to_address for e in sent] == ["resident@example.org"] and "/alerts/manage/" in sent[0].body_text


def sign_in(client, team, role=OFFICER, member=True):
    officer = add_officer(team, name="Sam Example", role="PCSO") if member else None
    user = User(email=f"{role}@police.example", name="Sam Example", role=role, officer=officer,
                force_id="west-yorkshire", totp_secret=TOTP_SECRET, totp_confirmed_at=datetime(2020, 1, 1),
                password_changed_at=datetime(2020, 1, 1))
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    two_step_sign_in(client, user)
    return user


def test_officers_of_other_teams_cannot_message_this_teams_subscribers(client, team):
    sign_in(client, team, member=False)
    assert client.get(f"/staff/teams/{team.id}/alerts").status_code == 403


def test_an_officer_messages_chosen_sectors_and_never_sees_an_address(app, client, team):
    subscriber(email="near@example.org", postcode="LS1 1AZ")
    subscriber(email="far@example.org", postcode="LS6 3CC")
    sign_in(client, team)
    page = client.get(f"/staff/teams/{team.id}/alerts")
    html = page.get_data(as_text=True)
    assert "2 people get" in html and "LS1 1" in html and "@example.org" not in html
    response = client.post(f"/staff/teams/{team.id}/alerts", data={
        "csrf_token": csrf_from(page), "subject": "Bikes stolen", "body": "Lock your bike.",
        "audience": "sectors", "sectors": ["LS1 1"]}, follow_redirects=True)
    assert "go to 1 subscriber with" in response.get_data(as_text=True)
    run_send(app, now=datetime.utcnow())
    [email] = alert_emails()
    assert email.to_address == "near@example.org" and email.subject == "Bikes stolen"
    assert "Lock your bike." in email.body_text and "Sam Example, PCSO" in email.body_text


def test_a_message_to_sectors_needs_a_sector(client, team):
    sign_in(client, team, role=ADMIN, member=False)
    page = client.get(f"/staff/teams/{team.id}/alerts")
    response = client.post(f"/staff/teams/{team.id}/alerts", data={
        "csrf_token": csrf_from(page), "subject": "s", "body": "b", "audience": "sectors"})
    assert response.status_code == 400 and "Choose at least one postcode sector" in response.get_data(as_text=True)


def test_the_send_command_queues_and_delivers_over_smtp(app, team, smtp_server):
    subscriber()
    db.session.add(AlertMessage(team_id=team.id, signature="PC Example", subject="Road closed", body="Detour",
                                sectors=[], created_at=datetime.utcnow()))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["alerts", "send"])
    assert "Alert emails queued: 1" in result.output and "1 sent" in result.output
    [received] = smtp_server.to("resident@example.org")
    assert received["Subject"] == "Road closed"
    assert received["List-Unsubscribe"].startswith(f"<{app.config['PUBLIC_BASE_URL']}/alerts/")
