"""Staff record each stage of the dissatisfaction route (Pledge 10) on the feedback thread;
the stages show there with their times, and the Pledge page counts those followed through."""
from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.services import inbox as service
from app.models import Message
from tests.factories import make_area
from tests.inbox_support import _forget_request_state, clock, csrf_token, make_user, sign_in  # noqa: F401


@pytest.fixture
def team(app_context):
    return make_area()


def feedback(team, received_at):
    message = service.receive(db.session, team, received_at, name="Resident", email="r@example.org", phone=None,
                              contact_by="email", subject="Unhappy with our service", body="Nobody came back to me.",
                              kind="feedback", themes=["no_reply"])
    db.session.commit()
    return message


def test_a_sergeant_records_the_offer_the_plan_and_the_outcome_each_timed(app, client, team, clock):
    message = feedback(team, clock.now - timedelta(days=2))
    thread = f"/staff/inbox/teams/{team.id}/messages/{message.id}"
    sign_in(client, make_user("sarge@example.org", role="sergeant", teams=[team]))
    page = client.get(thread).get_data(as_text=True)
    assert "We offer to meet you or call you" in page and "Not yet due" in page and "Overdue" in page  # no ack yet

    token = csrf_token(client, thread)
    assert client.post(f"{thread}/route/offer", data={"csrf_token": token, "offer": "meet"}).status_code == 302
    missing = client.post(f"{thread}/route/plan", data={"csrf_token": token, "plan": ""})
    assert missing.status_code == 400 and 'href="#plan"' in missing.get_data(as_text=True)
    assert client.post(f"{thread}/route/outcome", data={"csrf_token": token, "outcome": "Too soon"}).status_code == 409
    response = client.post(f"{thread}/route/plan", data={"csrf_token": token, "plan": "Patrol the park on Fridays",
                                                        "due_on": ["4", "12", "2026"]})
    assert response.status_code == 302
    assert client.post(f"{thread}/route/outcome", data={"csrf_token": token,
                                                        "outcome": "Patrols done; fewer reports"}).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Message, message.id)
    assert stored.contact_offer == "meet" and stored.contact_offered_at == clock.now
    assert stored.plan_due_on == date(2026, 12, 4) and stored.outcome == "Patrols done; fewer reports"
    page = client.get(thread).get_data(as_text=True)
    assert "Agreed: Patrol the park on Fridays" in page and "Outcome: Patrols done; fewer reports" in page
    assert page.count("Done on 18 November 2026, 10:00") == 3
    assert client.post(f"{thread}/route/offer", data={"csrf_token": token, "offer": "call"}).status_code == 409


def test_stages_cannot_be_recorded_on_an_ordinary_message_or_without_the_csrf_token(client, team, clock):
    sign_in(client, make_user("sarge@example.org", role="sergeant", teams=[team]))
    ordinary = service.receive(db.session, team, clock.now, name="R", email="r@example.org", phone=None,
                               contact_by="email", subject="Bins", body="b")
    db.session.commit()
    thread = f"/staff/inbox/teams/{team.id}/messages/{ordinary.id}"
    token = csrf_token(client, thread)
    assert client.post(f"{thread}/route/offer", data={"csrf_token": token, "offer": "meet"}).status_code == 404
    unhappy = feedback(team, clock.now)
    assert client.post(f"/staff/inbox/teams/{team.id}/messages/{unhappy.id}/route/offer",
                       data={"offer": "meet"}).status_code == 400


def test_the_pledge_page_counts_feedback_followed_through_in_time(client, team, clock):
    kept = feedback(team, datetime(2026, 10, 5, 9))
    kept.first_human_reply_at = datetime(2026, 10, 5, 10)
    kept.contact_offered_at, kept.contact_offer = datetime(2026, 10, 6, 9), "call"
    kept.plan_agreed_at, kept.plan, kept.plan_due_on = datetime(2026, 10, 9, 9), "Plan", date(2026, 10, 30)
    kept.outcome_at, kept.outcome = datetime(2026, 10, 29, 9), "Done"
    feedback(team, datetime(2026, 10, 12, 9))  # nothing after the receipt: overdue long ago
    db.session.commit()
    page = client.get("/teams/west-yorkshire/E02002330/performance").get_data(as_text=True)
    assert "1 of 2 followed through in time (50%)" in page
    assert "offer to meet you or call you within 5 days" in page


def test_every_page_links_to_the_unhappy_page_which_leads_to_the_teams_form(client, team):
    from tests.factories import add_postcode

    add_postcode("LS1 1AZ", "E02002330")
    for page in ("/", "/teams/west-yorkshire/E02002330", "/teams/west-yorkshire/E02002330/performance"):
        assert 'href="/unhappy-with-our-service"' in client.get(page).get_data(as_text=True)
    page = client.get("/unhappy-with-our-service").get_data(as_text=True)
    assert "We offer to meet you or call you within 5 days." in page
    response = client.get("/unhappy-with-our-service?postcode=ls11az")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/teams/west-yorkshire/E02002330/feedback")
    missing = client.get("/unhappy-with-our-service?postcode=ZZ99+9ZZ")
    assert missing.status_code == 400 and 'href="#postcode"' in missing.get_data(as_text=True)
    assert client.get("/unhappy-with-our-service?postcode=").status_code == 400
