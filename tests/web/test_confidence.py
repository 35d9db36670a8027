"""The confidence question on the web: asked on the resident's private page and by the link
in the reply email once a person has replied, one answer per source, published per quarter
on the Pledge pages and in the open API, and reviewed by the team's staff."""
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain import confidence as rules
from app.extensions import db
from app.models import ConfidenceResponse, Consultation, ConsultationResponse, Message, OutboxEmail
from app.services import confidence as survey
from app.services import inbox as service
from tests.factories import make_area
from tests.inbox_support import clock, csrf_token, make_user, sign_in  # noqa: F401

PLEDGE = "/teams/west-yorkshire/E02002330/performance"


@pytest.fixture
def team(app_context):
    return make_area()


@pytest.fixture
def officer(team):
    return make_user("pc.jones@example.org", teams=[team], name="PC Jones")


def received(team, now, **fields):
    message = service.receive(db.session, team, now, name="Alex Resident", email="alex@example.org", phone=None,
                              contact_by="email", subject=fields.pop("subject", "Cars on the pavement"),
                              body="Every evening on Elm Street.", **fields)
    db.session.commit()
    return message


def replied(team, officer, now):
    message = received(team, now - timedelta(hours=2))
    service.reply(db.session, message, officer, "We will patrol Elm Street this week.", now - timedelta(hours=1))
    db.session.commit()
    return message


def answer(client, path, **fields):
    token = csrf_token(client, path)
    action = "/how-did-we-do/" + re.search(r'action="/how-did-we-do/([^"]+)"', client.get(path).get_data(as_text=True)).group(1)
    return client.post(action, data={"csrf_token": token, **fields})


def test_the_private_page_asks_only_once_a_person_has_replied(client, team, officer, clock):
    message = received(team, clock.now - timedelta(hours=1))
    page = client.get(f"/your-message/{message.access_token}").get_data(as_text=True)
    assert "How much do you agree" not in page  # the automatic receipt is not a reply
    assert client.get("/how-did-we-do/" + survey.invitation_token(team.id, "message", message.id)).status_code == 404

    service.reply(db.session, message, officer, "We will patrol Elm Street.", clock.now)
    db.session.commit()
    page = client.get(f"/your-message/{message.access_token}").get_data(as_text=True)
    assert "How much do you agree: the police and local council are dealing with the crime and" in page
    assert "Did we answer your question?" in page


def test_the_resident_answers_from_their_private_page_and_a_change_replaces_the_answer(client, team, officer,
                                                                                       clock):
    message = replied(team, officer, clock.now)
    private = f"/your-message/{message.access_token}"
    response = answer(client, private, agreement="agree", answered="partly")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Thank you. Your answers are recorded. You can change them until 31 December 2026." in page
    stored = db.session.scalar(select(ConfidenceResponse))
    assert (stored.source, stored.source_id, stored.team_id) == ("message", message.id, team.id)
    assert (stored.agreement, stored.answered, stored.quarter) == ("agree", "partly", "2026-Q4")
    assert "See or change your answers" in client.get(private).get_data(as_text=True)

    clock.advance(days=10)
    response = answer(client, response.location, agreement="strongly_disagree", answered="no")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ConfidenceResponse)) == 1
    stored = db.session.scalar(select(ConfidenceResponse))
    assert (stored.agreement, stored.answered, stored.quarter) == ("strongly_disagree", "no", "2026-Q4")


def test_an_answer_cannot_change_once_its_quarter_has_closed(client, team, officer, clock):
    message = replied(team, officer, clock.now)
    path = "/how-did-we-do/" + survey.invitation_token(team.id, "message", message.id)
    assert answer(client, path, agreement="agree").status_code == 302
    clock.advance(days=50)  # January 2027
    page = client.get(path).get_data(as_text=True)
    assert "can no longer be changed" in page and 'name="agreement"' not in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get(f"/your-message/{message.access_token}").get_data(as_text=True))
    response = client.post(path, data={"csrf_token": token.group(1) if token else "", "agreement": "disagree"})
    assert response.status_code in (302, 400)
    db.session.expire_all()
    assert db.session.scalar(select(ConfidenceResponse.agreement)) == "agree"


def test_nothing_chosen_is_a_clear_error_and_nothing_is_stored(client, team, officer, clock):
    message = replied(team, officer, clock.now)
    path = "/how-did-we-do/" + survey.invitation_token(team.id, "message", message.id)
    response = answer(client, path, agreement="not-a-choice")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "Choose how much you agree, or choose Don" in page
    assert db.session.scalar(select(func.count()).select_from(ConfidenceResponse)) == 0


def test_dont_know_is_an_answer_but_is_not_counted_in_the_share(client, team, officer, clock):
    message = replied(team, officer, clock.now)
    assert answer(client, f"/your-message/{message.access_token}", agreement="dont_know").status_code == 302
    assert db.session.scalar(select(ConfidenceResponse.agreement)) == "dont_know"


def test_the_survey_needs_its_csrf_token(client, team, officer, clock):
    message = replied(team, officer, clock.now)
    path = "/how-did-we-do/" + survey.invitation_token(team.id, "message", message.id)
    assert client.post(path, data={"agreement": "agree"}).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ConfidenceResponse)) == 0


def test_a_forged_or_altered_invitation_opens_nothing(client, team, officer, clock):
    message = replied(team, officer, clock.now)
    token = survey.invitation_token(team.id, "message", message.id)
    assert client.get("/how-did-we-do/" + token[:-2] + "xx").status_code == 404
    assert client.get("/how-did-we-do/nonsense").status_code == 404
    other_team = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    assert client.get("/how-did-we-do/" + survey.invitation_token(other_team.id, "message", message.id)).status_code == 404


def test_feedback_is_not_asked_about(client, team, officer, clock):
    feedback = received(team, clock.now - timedelta(hours=2), kind="feedback", subject="Unhappy")
    service.reply(db.session, feedback, officer, "Sorry to hear it.", clock.now)
    db.session.commit()
    assert "How much do you agree" not in client.get(f"/your-message/{feedback.access_token}").get_data(as_text=True)


def test_the_reply_email_carries_the_survey_link_in_the_residents_language(client, team, officer, clock):
    message = received(team, clock.now - timedelta(hours=1), language="cy")
    service.reply(db.session, message, officer, "Diolch.", clock.now)
    db.session.commit()
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "message_reply"))
    link = re.search(r"http://[^/\s]+(/how-did-we-do/\S+)", email.body_text).group(1)
    assert "Did we answer your question?" not in email.body_text  # in Welsh
    page = client.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    receipt = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "message_receipt"))
    assert "/how-did-we-do/" not in receipt.body_text


def consultation_answer(team, now, confirmed=True):
    consultation = Consultation(team_id=team.id, title="Autumn priorities", opens_on=now.date(),
                                closes_on=now.date() + timedelta(days=14), created_at=now)
    response = ConsultationResponse(consultation=consultation, resident_key="k1", channel="code", postcode="LS1 1AZ",
                                    created_at=now, confirmed_at=now if confirmed else None,
                                    confirmed_key="k1" if confirmed else None)
    db.session.add_all([consultation, response])
    db.session.commit()
    return response


def test_a_consultation_invitation_asks_only_the_confidence_question(client, team, clock):
    response = consultation_answer(team, clock.now)
    path = "/how-did-we-do/" + survey.invitation_token(team.id, "consultation", response.id)
    page = client.get(path).get_data(as_text=True)
    assert "How much do you agree" in page and "Did we answer your question?" not in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(path, data={"csrf_token": token, "agreement": "agree", "answered": "no"}).status_code == 302
    stored = db.session.scalar(select(ConfidenceResponse))
    assert (stored.source, stored.source_id, stored.answered) == ("consultation", response.id, None)


def test_a_consultation_invitation_needs_a_confirmed_answer_of_that_team(client, team, clock):
    unconfirmed = consultation_answer(team, clock.now, confirmed=False)
    other_team = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    for team_id, source_id in ((team.id, unconfirmed.id), (team.id, 9999), (other_team.id, unconfirmed.id)):
        path = "/how-did-we-do/" + survey.invitation_token(team_id, "consultation", source_id)
        assert "How much do you agree" not in client.get(path).get_data(as_text=True)


def add_answers(team, quarter_day, counts, source="consultation", start=1000):
    number = start
    for agreement, how_many in counts.items():
        for _ in range(how_many):
            db.session.add(ConfidenceResponse(team_id=team.id, source=source, source_id=number, agreement=agreement,
                                              quarter=rules.quarter_of(quarter_day).key, language="en",
                                              first_answered_at=quarter_day, answered_at=quarter_day))
            number += 1
    db.session.commit()


def test_the_pledge_page_shows_not_enough_responses_below_the_minimum_and_the_figure_at_it(client, team, clock):
    add_answers(team, datetime(2026, 10, 5), {"agree": 20, "disagree": 9, "dont_know": 4})
    page = client.get(PLEDGE).get_data(as_text=True)
    row = re.search(r"October to December 2026 \(so far\)</th>(.*?)</tr>", page, re.S).group(1)
    assert "Not enough responses yet" in row and "29 answers" in row and "and 4 don" in row
    assert "%" not in row.split("Did we answer")[0].replace("95%", "")

    add_answers(team, datetime(2026, 10, 6), {"strongly_agree": 1}, start=2000)
    page = client.get(PLEDGE).get_data(as_text=True)
    row = re.search(r"October to December 2026 \(so far\)</th>(.*?)</tr>", page, re.S).group(1)
    low, high = (round(bound * 100) for bound in rules.wilson_interval(21, 30))
    assert "<strong>70%</strong>" in row and "30 answers" in row and f"{low}% to {high}%" in row
    assert "July to September 2026</th>" in page  # earlier quarters listed, with nothing to show
    force_page = client.get("/forces/west-yorkshire/performance").get_data(as_text=True)
    assert "<strong>70%</strong>" in force_page


def test_the_minimum_can_be_set_in_config(app, client, team, clock):
    add_answers(team, datetime(2026, 10, 5), {"agree": 3, "disagree": 2})
    app.config["CONFIDENCE_MINIMUM_RESPONSES"] = 5
    try:
        assert "<strong>60%</strong>" in client.get(PLEDGE).get_data(as_text=True)
    finally:
        app.config.pop("CONFIDENCE_MINIMUM_RESPONSES")


def test_the_open_api_gives_the_figure_its_count_and_interval_and_nothing_below_the_minimum(client, team, clock):
    add_answers(team, datetime(2026, 8, 5), {"agree": 18, "strongly_agree": 6, "neither": 10, "dont_know": 2})
    add_answers(team, datetime(2026, 11, 5), {"agree": 3, "disagree": 1}, start=3000)
    body = client.get("/api/west-yorkshire/E02002330/confidence").get_json()
    assert body["minimum"] == 30 and body["question"].startswith("How much do you agree")
    current, summer = body["quarters"][0], body["quarters"][1]
    assert (current["quarter"], current["complete"], current["responses"], current["shown"]) == \
        ("2026-Q4", False, 4, False)
    assert current["share"] is None and current["interval"] is None and current["agree"] is None
    assert (summer["quarter"], summer["complete"], summer["from"], summer["to"]) == \
        ("2026-Q3", True, "2026-07-01", "2026-09-30")
    assert (summer["responses"], summer["agree"], summer["dont_know"]) == (34, 24, 2)
    assert summer["share"] == pytest.approx(24 / 34, abs=1e-4)
    assert summer["interval"] == pytest.approx(list(rules.wilson_interval(24, 34)), abs=1e-4)

    force = client.get("/api/west-yorkshire/confidence").get_json()
    assert force["quarters"][1]["responses"] == 34
    assert force["teams"][0]["neighbourhood"] == "E02002330" and force["teams"][0]["quarters"][1]["shown"]
    assert client.get("/api/west-yorkshire/E09999999/confidence").status_code == 404
    assert client.get("/api/no-such-force/confidence").status_code == 404


def test_the_openapi_document_describes_the_confidence_endpoints(client, app_context):
    document = client.get("/api/openapi.json").get_json()
    assert "/{force}/{neighbourhood}/confidence" in document["paths"]
    assert "/{force}/confidence" in document["paths"]
    assert "ConfidenceQuarter" in document["components"]["schemas"]


def test_staff_review_the_did_we_answer_answers_with_their_messages_no_first(client, team, officer, clock):
    sergeant = make_user("sarge@example.org", role="sergeant", teams=[team], name="Sgt Patel")
    answered_yes = replied(team, officer, clock.now)
    answered_no = replied(team, officer, clock.now)
    db.session.execute(Message.__table__.update().where(Message.id == answered_no.id).values(subject="Noise at night"))
    db.session.commit()
    for message, said in ((answered_yes, "yes"), (answered_no, "no")):
        survey.answer(db.session, survey.Invitation(team.id, "message", message.id), clock.now, agreement="agree",
                      answered=said)
    db.session.commit()
    sign_in(client, sergeant)
    page = client.get(f"/staff/teams/{team.id}/confidence").get_data(as_text=True)
    review = page[page.index('id="confidence-review"'):]
    assert review.index(answered_no.reference) < review.index(answered_yes.reference)
    assert f"/staff/inbox/teams/{team.id}/messages/{answered_no.id}" in review
    only_no = client.get(f"/staff/teams/{team.id}/confidence?answered=no").get_data(as_text=True)
    only_no = only_no[only_no.index('id="confidence-review"'):]
    assert answered_no.reference in only_no and answered_yes.reference not in only_no
    assert client.get(f"/staff/teams/{team.id}/confidence?quarter=2019-Q1").status_code == 404


def test_staff_of_another_team_and_the_public_cannot_see_the_review(client, team, clock):
    other = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    stranger = make_user("other@example.org", role="sergeant", teams=[other])
    assert client.get(f"/staff/teams/{team.id}/confidence").status_code in (302, 401)
    sign_in(client, stranger)
    assert client.get(f"/staff/teams/{team.id}/confidence").status_code == 403


def test_answers_are_rate_limited_per_address(app, team, officer, clock):
    from app import create_app
    from app.extensions import limiter
    from config import TestConfig

    class Limited(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        RATELIMIT_ENABLED = True
        CONFIDENCE_RATE_LIMIT = "2 per minute"

    message = replied(team, officer, clock.now)
    limited = create_app(Limited)
    try:
        client = limited.test_client()
        with limited.app_context():
            path = "/how-did-we-do/" + survey.invitation_token(team.id, "message", message.id)
        statuses = [answer(client, path, agreement=choice).status_code for choice in ("agree", "neither", "disagree")]
    finally:
        limiter.reset()
        limiter.enabled = False  # the limiter is shared; leave it as the test config has it
    assert statuses == [302, 302, 429]


def test_the_migration_goes_down_and_up_again(app_context):
    from alembic.script import ScriptDirectory
    from flask import current_app
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    before = script.get_revision("0019_confidence").down_revision
    db.session.remove()
    downgrade(revision=before)
    assert "confidence_responses" not in inspect(db.engine).get_table_names()
    upgrade()
    # SQLite answers PRAGMA index_list from the schema a connection last loaded: a pooled
    # connection from before the migration would show the table without its unique index.
    db.engine.dispose()
    inspector = inspect(db.engine)
    assert "confidence_responses" in inspector.get_table_names()
    unique = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("confidence_responses")}
    assert ("source", "source_id") in unique


def test_two_answers_sent_at_once_keep_one_row_the_later_replacing_the_earlier(team, officer, clock, monkeypatch):
    message = replied(team, officer, clock.now)
    invitation = survey.Invitation(team.id, "message", message.id)
    survey.answer(db.session, invitation, clock.now, agreement="agree", answered="yes")
    db.session.commit()
    # The second request looked before the first had stored its answer (a double click).
    looked_up = survey.response_for
    lookups = []

    def first_sees_nothing(session, inv):
        lookups.append(inv)
        return None if len(lookups) == 1 else looked_up(session, inv)

    monkeypatch.setattr(survey, "response_for", first_sees_nothing)
    survey.answer(db.session, invitation, clock.now, agreement="disagree", answered="no")
    db.session.commit()
    rows = db.session.scalars(select(ConfidenceResponse)).all()
    assert len(lookups) == 2  # the insert met the unique key, and the stored answer was found and replaced
    assert [(r.agreement, r.answered) for r in rows] == [("disagree", "no")]
