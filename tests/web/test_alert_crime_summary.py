"""The monthly crime summary in alert emails: for subscribers who chose it, once per month of
crime data, in the first digest after the month is imported."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.alerts import emails
from app.extensions import db
from app.models import AlertDelivery, AlertSubscription, Crime, CrimeRelease, OutboxEmail
from tests.factories import make_area
from tests.web.test_alerts import alert_emails, csrf_from, run_send, subscribe

NOW = datetime(2026, 11, 25, 9, 0)  # a Wednesday


@pytest.fixture
def team(app_context):
    return make_area()


def publish(month, counts, neighbourhood_id="E02002330", force_id="west-yorkshire"):
    """A release of the month with ``counts`` {category: n} crimes in the neighbourhood."""
    db.session.add(CrimeRelease(month=month, force_id=force_id, force_name="West Yorkshire Police",
                                digest=month, rows=sum(counts.values()), without_location=0,
                                imported_at=datetime(2026, 11, 20)))
    for category, n in counts.items():
        db.session.add_all(Crime(month=month, force_id=force_id, category=category, longitude=-1.545,
                                 latitude=53.8, neighbourhood_id=neighbourhood_id) for _ in range(n))
    db.session.commit()


def subscriber(email="resident@example.org", frequency="monthly", wants_crime_summary=True, **fields):
    s = AlertSubscription(email=email, postcode="LS1 1AZ", sector="LS1 1", neighbourhood_id="E02002330",
                          frequency=frequency, created_at=datetime(2026, 9, 1), confirmed_at=datetime(2026, 9, 1),
                          wants_crime_summary=wants_crime_summary, **fields)
    db.session.add(s)
    db.session.commit()
    return s


def test_the_monthly_digest_gives_the_total_top_categories_change_and_a_link_to_the_map(app, team):
    subscriber()
    publish("2026-09", {"Burglary": 4, "Drugs": 2})
    publish("2026-10", {"Violence and sexual offences": 5, "Burglary": 3, "Shoplifting": 2, "Drugs": 1})
    run_send(app, now=NOW)
    [email] = alert_emails()
    body = email.body_text
    assert "Crime in October 2026" in body
    assert "11 crimes and reports of anti-social behaviour were recorded in Leeds 111 in October 2026." in body
    assert "That is 5 more than in September 2026 (6)." in body
    assert "* Violence and sexual offences: 5\n* Burglary: 3\n* Shoplifting: 2\n" in body
    assert "Drugs: 1" not in body
    assert "/teams/west-yorkshire/E02002330/crime?month=2026-10" in body


def test_a_fall_and_a_month_without_the_one_before_are_put_plainly(app, team):
    subscriber()
    publish("2026-10", {"Burglary": 1})
    run_send(app, now=NOW)
    [email] = alert_emails()
    assert "1 crime or report of anti-social behaviour was recorded in Leeds 111 in October 2026." in email.body_text
    assert "That is" not in email.body_text  # no September data to compare with

    publish("2026-11", {})
    run_send(app, now=datetime(2026, 12, 2, 9, 0))
    second = alert_emails()[1].body_text
    assert "No crimes or anti-social behaviour were recorded in Leeds 111 in November 2026." in second
    assert "That is 1 fewer than in October 2026 (1)." in second


def test_a_weekly_subscriber_gets_it_in_the_first_digest_after_the_import_and_only_once(app, team):
    subscriber(frequency="weekly")
    publish("2026-10", {"Burglary": 2})
    assert run_send(app, now=NOW).emails_queued == 1
    assert "Crime in October 2026" in alert_emails()[0].body_text
    # the next week: nothing new, so no email at all
    assert run_send(app, now=NOW + timedelta(days=7)).emails_queued == 0
    publish("2026-11", {"Burglary": 3})
    assert run_send(app, now=NOW + timedelta(days=8)).emails_queued == 0  # that week's digest was dealt with
    assert run_send(app, now=NOW + timedelta(days=14)).emails_queued == 1
    assert "Crime in November 2026" in alert_emails()[1].body_text


def test_only_subscribers_who_chose_it_get_it(app, team):
    subscriber(wants_crime_summary=False)
    publish("2026-10", {"Burglary": 2})
    assert run_send(app, now=NOW).emails_queued == 0


def test_a_run_that_crashes_part_way_sends_each_summary_once(app, team, monkeypatch):
    subscriber(email="first@example.org")
    subscriber(email="second@example.org")
    publish("2026-10", {"Burglary": 2})
    real = emails.alert

    def crash_on_second(subscription, *args):
        if subscription.email == "second@example.org":
            raise RuntimeError("process killed")
        return real(subscription, *args)

    monkeypatch.setattr(emails, "alert", crash_on_second)
    with pytest.raises(RuntimeError):
        run_send(app, now=NOW)
    db.session.rollback()
    monkeypatch.setattr(emails, "alert", real)
    assert run_send(app, now=NOW).emails_queued == 1
    assert run_send(app, now=NOW + timedelta(days=1)).emails_queued == 0
    assert [e.to_address for e in alert_emails()] == ["first@example.org", "second@example.org"]
    recorded = db.session.execute(select(AlertDelivery.key, AlertDelivery.email_id)
                                  .where(AlertDelivery.key == "crime:2026-10")).all()
    assert len(recorded) == 2 and all(email_id for _key, email_id in recorded)


def test_the_summary_can_be_chosen_when_subscribing_and_is_in_the_exported_data(app, client, team):
    from tests.factories import add_postcode

    add_postcode("LS1 1AZ", team.neighbourhood_id)
    assert subscribe(client, topics=["crime"]).status_code == 302
    subscription = db.session.scalar(select(AlertSubscription))
    assert subscription.wants_crime_summary and not subscription.wants_priorities
    page = client.get("/alerts/subscribe").get_data(as_text=True)
    assert "A summary of crime in your neighbourhood" in page and csrf_from(client.get("/alerts/subscribe"))
    from app.alerts.tokens import MANAGE, make_token

    exported = client.get(f"/alerts/manage/{make_token(MANAGE, subscription.id)}/your-data.json").get_json()
    assert exported["topics"] == ["crime"]
    assert db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "alert_confirm"))
