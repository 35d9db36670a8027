"""Have your say: residents rank issues and confirm by email or a one-time code; only
confirmed answers from in or beside the neighbourhood count, one each; staff open, close and
count within their own team; results reach the team page, the meeting and the priority."""
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (AuditEntry, ConfidenceResponse, Consultation, ConsultationCode, ConsultationResponse, Meeting, OutboxEmail,
                        Priority)
from app.services import consultations as service
from tests.factories import add_postcode, make_area
from tests.inbox_support import clock, make_user, sign_in  # noqa: F401  (clock is a fixture)
from tests.inbox_support import _forget_request_state, csrf_token

BESIDE = {"type": "Polygon", "coordinates": [[[-1.53, 53.79], [-1.50, 53.79], [-1.50, 53.81], [-1.53, 53.81], [-1.53, 53.79]]]}
FAR = {"type": "Polygon", "coordinates": [[[-1.20, 53.60], [-1.17, 53.60], [-1.17, 53.62], [-1.20, 53.62], [-1.20, 53.60]]]}
TEAM = "/teams/west-yorkshire/E02002330"


@pytest.fixture
def area(app_context, clock):  # noqa: F811
    team = make_area()
    beside = make_area(neighbourhood_id="E02002331", name="Leeds 112", geometry=BESIDE)
    far = make_area(neighbourhood_id="E02002399", name="Wakefield 9", geometry=FAR)
    add_postcode("LS1 1AZ", team.neighbourhood_id)
    add_postcode("LS2 7BB", beside.neighbourhood_id, longitude=-1.52)
    add_postcode("WF1 1ZZ", far.neighbourhood_id, latitude=53.61, longitude=-1.18)
    add_postcode("EH1 1AA", None, latitude=55.95, longitude=-3.19)
    meeting = Meeting(team_id=team.id, kind="pact", title="December PACT", venue="Hall", purpose="Priorities",
                      starts_at=datetime(2026, 12, 2, 18, 30), published_at=datetime(2026, 11, 1))
    db.session.add(meeting)
    db.session.commit()
    officer = make_user("pc.leeds@example.org", teams=[team])
    consultation = service.open_consultation(
        db.session, team, title="What should we tackle this winter?", meeting_id=meeting.id,
        opens_on=date(2026, 11, 16), closes_on=date(2026, 11, 30),
        issues=[("Speeding on Otley Road", "priority"), ("Drug dealing in the park", "messages"),
                ("Burglary", "crime")], by=officer, now=clock.now)
    db.session.commit()
    return team, consultation, officer, meeting


def page_url(consultation):
    return f"{TEAM}/have-your-say/{consultation.id}"


def answer(consultation, **overrides):
    first, second, third = (str(i.id) for i in consultation.issues)
    return {"first": second, "second": first, "third": "", "something_else": "", "engagement": ["online", "alerts"],
            "postcode": "ls1 1az", "confirm_by": "email", "email": "resident@example.org", "code": "",
            "website": "", **overrides}


def send(client, consultation, address="198.51.100.7", **overrides):
    url = page_url(consultation)
    return client.post(url, data={"csrf_token": csrf_token(client, url), **answer(consultation, **overrides)},
                       environ_base={"REMOTE_ADDR": address})


def confirm_link(to="resident@example.org"):
    email = db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "consultation_confirm",
                                                         OutboxEmail.to_address == to)
                               .order_by(OutboxEmail.id.desc())).first()
    return re.search(r"https?://[^/\s]+(/have-your-say/confirm/\S+)", email.body_text).group(1)


def confirm(client, link):
    return client.post(link, data={"csrf_token": csrf_token(client, link)})


def counted():
    return db.session.scalar(select(func.count()).select_from(ConsultationResponse)
                             .where(ConsultationResponse.confirmed_key.is_not(None)))


def test_the_team_page_leads_to_have_your_say(client, area):
    page = client.get(TEAM).get_data(as_text=True)
    assert "Have your say" in page and page_url(area[1]) in page


def test_an_answer_counts_only_once_confirmed_by_email_and_forgets_the_address(client, area):
    _team, consultation, _officer, _meeting = area
    response = send(client, consultation)
    assert response.status_code == 302 and response.location.endswith("/have-your-say/check-your-email")
    assert counted() == 0
    link = confirm_link()
    assert client.get(link).status_code == 200 and counted() == 0  # a link scanner confirms nothing
    assert "Thank you for having your say" in confirm(client, link).get_data(as_text=True)
    db.session.expire_all()
    row = db.session.scalar(select(ConsultationResponse))
    assert counted() == 1 and row.email is None and row.postcode == "LS1 1AZ"


def test_answering_again_replaces_the_earlier_answer(client, area, clock):  # noqa: F811
    consultation = area[1]
    send(client, consultation)
    confirm(client, confirm_link())
    clock.advance(minutes=30)
    send(client, consultation, email="Resident+again@Example.org", first=str(consultation.issues[2].id), second="")
    page = confirm(client, confirm_link("resident+again@example.org")).get_data(as_text=True)
    assert "replaces the answer you gave before" in page
    assert counted() == 1


def answer_confidence(client, page, agreement):
    action = re.search(r'<form method="post" action="([^"]+)" novalidate id="confidence-survey">', page).group(1)
    return client.post(action, data={"csrf_token": csrf_token(client, action),
                                     "agreement": agreement})


def test_the_thank_you_page_asks_the_confidence_question_once_per_resident(client, area, clock):  # noqa: F811
    consultation = area[1]
    send(client, consultation)
    page = confirm(client, confirm_link()).get_data(as_text=True)
    assert "How much do you agree" in page and "Did we answer your question?" not in page
    assert answer_confidence(client, page, "agree").status_code == 302
    clock.advance(minutes=30)
    send(client, consultation, email="resident+again@example.org")
    page = confirm(client, confirm_link("resident+again@example.org")).get_data(as_text=True)
    answer_confidence(client, page, "disagree")
    answers = db.session.scalars(select(ConfidenceResponse)).all()
    assert [(a.source_id, a.agreement) for a in answers] == [(counted_response().id, "disagree")]


def counted_response():
    return db.session.scalar(select(ConsultationResponse).where(ConsultationResponse.confirmed_key.is_not(None)))


def test_sending_again_within_minutes_sends_one_email_and_keeps_the_latest_answer(client, area):
    consultation = area[1]
    send(client, consultation)
    send(client, consultation, first=str(consultation.issues[2].id), second="")
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 1
    confirm(client, confirm_link())
    db.session.expire_all()
    [row] = db.session.scalars(select(ConsultationResponse)).all()
    assert row.ranking == [str(consultation.issues[2].id)] and row.confirmed_at is not None


def test_a_neighbour_across_the_boundary_may_answer(client, area):
    assert send(client, area[1], postcode="LS2 7BB").status_code == 302


@pytest.mark.parametrize("postcode, message", [
    ("WF1 1ZZ", "not in or beside the area"),
    ("EH1 1AA", "outside England and Wales"),
    ("EH99 9ZZ", "outside England and Wales"),
    ("nonsense", "Enter a full postcode"),
    ("", "Enter your postcode"),
])
def test_a_postcode_outside_or_beyond_the_neighbourhood_is_refused_with_a_message(client, area, postcode, message):
    response = send(client, area[1], postcode=postcode)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and "There is a problem" in page
    assert 'value="resident@example.org"' in page  # nothing typed is lost
    assert db.session.scalar(select(func.count()).select_from(ConsultationResponse)) == 0


@pytest.mark.parametrize("fields, message", [
    ({"first": "", "second": ""}, "Choose at least one issue"),
    ({"first": ""}, "Choose your first choice before your second"),
    ({"third": "999"}, "Choose an issue from the list"),
    ({"first": "else", "something_else": ""}, "Say what else matters to you"),
    ({"confirm_by": ""}, "Choose how you will confirm your answer"),
    ({"email": ""}, "Enter your email address"),
    ({"email": "not an address"}, "Enter an email address in the correct format"),
    ({"confirm_by": "code", "code": ""}, "Enter the code an officer gave you"),
    ({"confirm_by": "code", "code": "WRONG123"}, "That code is not right"),
])
def test_missing_or_bad_answers_get_a_clear_message(client, area, fields, message):
    response = send(client, area[1], **fields)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_the_same_issue_twice_is_refused(client, area):
    issue = str(area[1].issues[0].id)
    response = send(client, area[1], first=issue, second=issue)
    assert response.status_code == 400 and "Choose each issue only once" in response.get_data(as_text=True)


def test_a_post_without_the_csrf_token_changes_nothing(client, area):
    response = client.post(page_url(area[1]), data=answer(area[1]))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ConsultationResponse)) == 0


def test_a_bot_filling_the_hidden_field_is_shown_the_usual_page_and_nothing_is_kept(client, area):
    response = send(client, area[1], website="http://spam.example")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ConsultationResponse)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 0


@pytest.fixture
def limited_client(app, database_url, clock):  # noqa: F811
    from app import create_app
    from app.extensions import limiter
    from config import TestConfig

    class Limited(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"
        CLOCK = clock

    limited = create_app(Limited)
    yield limited.test_client()
    limiter.reset()
    limiter.enabled = False  # the limiter is process-wide; the other tests run without it


def test_answers_are_rate_limited_per_client_address(limited_client, area):
    statuses = [send(limited_client, area[1], email=f"r{i}@example.org", address="203.0.113.9").status_code
                for i in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    assert send(limited_client, area[1], email="other@example.org", address="203.0.113.10").status_code == 302


def test_a_one_time_code_confirms_at_once_and_cannot_be_used_twice(client, area, clock):  # noqa: F811
    team, consultation, officer, _meeting = area
    service.issue_codes(db.session, consultation, 2, by=officer, now=clock.now)
    db.session.commit()
    code = db.session.scalars(select(ConsultationCode.code)).first()
    typed = f"{code[:4].lower()}-{code[4:].lower()}"
    response = send(client, consultation, confirm_by="code", code=typed, email="")
    assert response.status_code == 302 and "/have-your-say/thank-you/" in response.location
    assert counted() == 1
    again = send(client, consultation, confirm_by="code", code=code, email="", address="198.51.100.8")
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)
    assert counted() == 1


def test_a_confirmation_after_closing_does_not_count(client, area, clock):  # noqa: F811
    send(client, area[1])
    link = confirm_link()
    clock.advance(days=13)  # 1 December: closed at the end of 30 November
    page = client.get(link).get_data(as_text=True)
    assert "has closed" in page
    token = csrf_token(client, "/alerts/subscribe")
    assert client.post(link, data={"csrf_token": token}).status_code == 200 and counted() == 0


def test_results_after_closing_on_the_team_page_the_meeting_and_the_priority(app, client, area, clock):  # noqa: F811
    team, consultation, officer, meeting = area
    speeding, drugs, burglary = consultation.issues
    for i, (first, second) in enumerate([(drugs, speeding), (drugs, burglary), (speeding, "")]):
        send(client, consultation, email=f"r{i}@example.org", first=str(first.id),
             second=str(second.id) if second else "")
        confirm(client, confirm_link(f"r{i}@example.org"))
    send(client, consultation, email="never@example.org")  # never confirmed: never counts
    results_url = f"{page_url(consultation)}/results"
    assert "will be published here when it closes" in client.get(results_url).get_data(as_text=True)

    clock.advance(days=13)
    staff = app.test_client()
    sign_in(staff, officer)
    detail = f"/staff/teams/{team.id}/consultations/{consultation.id}"
    staff.post(f"{detail}/meeting-count", data={"csrf_token": csrf_token(staff, detail), "at_meeting": "23"})
    results = client.get(results_url).get_data(as_text=True)
    assert "How it was decided:" in results and "3 residents online" in results and "23 at the meeting" in results
    assert results.index("Drug dealing in the park") < results.index("Speeding on Otley Road") < \
        results.index("Burglary")

    new_priority = f"/staff/teams/{team.id}/priorities/new?consultation={consultation.id}"
    form = staff.get(new_priority).get_data(as_text=True)
    assert 'value="26"' in form  # 3 online + 23 at the meeting
    response = staff.post(new_priority, data={
        "csrf_token": csrf_token(staff, new_priority), "title": "Drug dealing in the park",
        "description": "We will patrol the park every evening.", "area": "Woodhouse Moor",
        "how_decided": "Ranked first by residents", "decided_at_meeting_id": "0",
        "consultation_id": str(consultation.id), "residents_consulted": "", "agreed_on": ["1", "12", "2026"],
        "review_on": ["1", "3", "2027"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    priority = db.session.scalar(select(Priority))
    assert priority.consultation_id == consultation.id and priority.residents_consulted == 26

    for url in (TEAM, f"{TEAM}/priorities/{priority.id}", f"{TEAM}/meetings/{meeting.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "How it was decided:" in page and "3 residents online" in page and "23 at the meeting" in page, url
        assert results_url in page, url


def test_staff_open_a_consultation_from_suggested_and_their_own_issues_audited(app, area, clock):  # noqa: F811
    team, _consultation, officer, _meeting = area
    db.session.add(Priority(team_id=team.id, title="Parking by the school", description="d", agreed_on=date(2026, 10, 1)))
    db.session.commit()
    staff = app.test_client()
    sign_in(staff, officer)
    url = f"/staff/teams/{team.id}/consultations/new"
    page = staff.get(url).get_data(as_text=True)
    assert "Parking by the school" in page
    response = staff.post(url, data={
        "csrf_token": csrf_token(staff, url), "title": "Spring priorities", "meeting_id": "0",
        "opens_on": ["18", "11", "2026"], "closes_on": ["10", "12", "2026"],
        "candidates": ["priority:Parking by the school"], "own_issues": "Bins left out\n\n  Street lights  "})
    assert response.status_code == 302
    created = db.session.scalar(select(Consultation).where(Consultation.title == "Spring priorities"))
    assert [(i.title, i.source) for i in created.issues] == [
        ("Parking by the school", "priority"), ("Bins left out", "team"), ("Street lights", "team")]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "consultations",
                                                      AuditEntry.object_id == created.id)).user_id == officer.id


def test_staff_dates_and_issue_count_are_checked(app, area):
    team, _consultation, officer, _meeting = area
    staff = app.test_client()
    sign_in(staff, officer)
    url = f"/staff/teams/{team.id}/consultations/new"
    response = staff.post(url, data={
        "csrf_token": csrf_token(staff, url), "title": "Spring priorities", "meeting_id": "0",
        "opens_on": ["18", "11", "2026"], "closes_on": ["1", "11", "2026"], "own_issues": "Only one"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose or add at least two issues" in page


def test_closing_early_publishes_the_results_and_is_audited(app, client, area):
    team, consultation, officer, _meeting = area
    staff = app.test_client()
    sign_in(staff, officer)
    detail = f"/staff/teams/{team.id}/consultations/{consultation.id}"
    assert staff.post(f"{detail}/close", data={"csrf_token": csrf_token(staff, detail)}).status_code == 302
    assert "How it was decided:" in client.get(f"{page_url(consultation)}/results").get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_type == "consultations")
                             .order_by(AuditEntry.id.desc())) == "closed"


def test_staff_print_a_batch_of_codes(app, area):
    team, consultation, officer, _meeting = area
    staff = app.test_client()
    sign_in(staff, officer)
    detail = f"/staff/teams/{team.id}/consultations/{consultation.id}"
    response = staff.post(f"{detail}/codes", data={"csrf_token": csrf_token(staff, detail), "count": "5"})
    assert response.status_code == 302
    page = staff.get(response.location).get_data(as_text=True)
    assert len(re.findall(r"<code>[A-Z0-9]{4}-[A-Z0-9]{4}</code>", page)) == 5
    too_many = staff.post(f"{detail}/codes", data={"csrf_token": csrf_token(staff, detail), "count": "5000"})
    assert too_many.status_code == 400 and "between 1 and 200" in too_many.get_data(as_text=True)


def test_staff_of_another_team_cannot_see_or_change_a_consultation(app, area):
    team, consultation, _officer, _meeting = area
    other_team = make_area(neighbourhood_id="E02002400", name="Leeds 200",
                           geometry={"type": "Polygon", "coordinates": [[[-1.0, 53.0], [-0.9, 53.0], [-0.9, 53.1],
                                                                         [-1.0, 53.1], [-1.0, 53.0]]]})
    stranger = make_user("pc.other@example.org", teams=[other_team])
    staff = app.test_client()
    sign_in(staff, stranger)
    base = f"/staff/teams/{team.id}/consultations"
    token = csrf_token(staff, "/staff/")
    for url in (base, f"{base}/new", f"{base}/{consultation.id}"):
        assert staff.get(url).status_code == 403, url
    for action in ("close", "codes", "meeting-count"):
        response = staff.post(f"{base}/{consultation.id}/{action}",
                              data={"csrf_token": token, "count": "3", "at_meeting": "4"})
        assert response.status_code == 403, action
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).closed_early_on is None
    assert db.session.scalar(select(func.count()).select_from(ConsultationCode)) == 0
    _forget_request_state()
    assert app.test_client().get(base).status_code == 302  # signed out: to the sign-in page


def test_candidate_issues_come_from_priorities_messages_and_crime(area, clock):  # noqa: F811
    from app.models import Crime, CrimeRelease
    from app.queries.consultations import candidate_issues
    from app.services import inbox

    team = area[0]
    db.session.add(Priority(team_id=team.id, title="Parking by the school", description="d", agreed_on=date(2026, 10, 1)))
    for subject in ("Drug dealing on Elm Street", "People dealing drugs by the shops"):
        inbox.receive(db.session, team, clock.now - timedelta(days=3), name="R", email="r@example.org", phone=None,
                      contact_by="email", subject=subject, body="Please help")
    from app.models import LocalReport

    for kind in ("parking", "parking", "noise", "other"):
        db.session.add(LocalReport(team_id=team.id, problem_type=kind, latitude=53.8, longitude=-1.545,
                                   reported_at=clock.now - timedelta(days=5)))
    db.session.add(CrimeRelease(force_id="west-yorkshire", force_name="West Yorkshire", month="2026-09", version=1,
                                digest="x", rows=3, without_location=0, imported_at=clock.now))
    for i, category in enumerate(["Burglary", "Burglary", "Anti-social behaviour"]):
        db.session.add(Crime(month="2026-09", force_id="west-yorkshire", category=category,
                             neighbourhood_id=team.neighbourhood_id, longitude=-1.545, latitude=53.8,
                             location="On or near Elm Street", crime_ref=f"ref{i}"))
    db.session.commit()
    found = [(c.title, c.source) for c in candidate_issues(team, clock.now)]
    assert found[:2] == [("Parking by the school", "priority"), ("Drug dealing and drug use", "messages")]
    assert [source for _title, source in found[2:4]] == ["reports", "reports"]  # parking, then noise; not "other"
    assert found[4:] == [("Burglary", "crime"), ("Anti-social behaviour", "crime")]


def test_the_open_api_lists_consultations_with_results_once_closed(client, area, clock):  # noqa: F811
    consultation = area[1]
    [listed] = client.get("/api/west-yorkshire/E02002330/consultations").get_json()
    assert listed["status"] == "open" and listed["results"] is None and len(listed["issues"]) == 3
    send(client, consultation)
    confirm(client, confirm_link())
    clock.advance(days=13)
    [listed] = client.get("/api/west-yorkshire/E02002330/consultations").get_json()
    assert listed["status"] == "closed" and listed["results"]["residents_online"] == 1
    assert listed["results"]["method"] == "borda-3-2-1"
    assert listed["results"]["issues"][0] == {"id": consultation.issues[1].id, "title": "Drug dealing in the park",
                                              "points": 3, "first_choices": 1, "residents": 1}


def test_the_calendar_and_the_feed_carry_the_opening_and_closing_dates(client, area):
    consultation = area[1]
    ics = client.get(f"{TEAM}/calendar.ics").get_data(as_text=True)
    assert f"UID:consultation-{consultation.id}-opens@" in ics and "DTSTART;VALUE=DATE:20261116" in ics
    assert f"UID:consultation-{consultation.id}-closes@" in ics and "DTSTART;VALUE=DATE:20261130" in ics
    atom = client.get(f"{TEAM}/feed.atom").get_data(as_text=True)
    assert "Have your say opens: What should we tackle this winter?" in atom
    assert "Have your say closes" not in atom  # not yet: 30 November is still to come


@pytest.mark.parametrize("lang, heading, button", [("cy", "Pa faterion sydd bwysicaf i chi?", "Anfon fy ateb"),
                                                   ("pl", "Które problemy są dla Ciebie najważniejsze?", "Wyślij odpowiedź"),
                                                   ("ur", "کون سے مسائل آپ کے لیے سب سے اہم ہیں؟", "میرا جواب بھیجیں")])
def test_the_form_is_in_welsh_polish_and_urdu(client, area, lang, heading, button):
    page = client.get(f"{page_url(area[1])}?lang={lang}").get_data(as_text=True)
    assert heading in page and button in page


def test_the_form_works_without_javascript_every_control_is_in_the_html(client, area):
    page = client.get(page_url(area[1])).get_data(as_text=True)
    for control in ('name="first"', 'name="second"', 'name="third"', 'name="something_else"', 'name="engagement"',
                    'name="postcode"', 'name="confirm_by"', 'name="email"', 'name="code"'):
        assert control in page, control


def test_every_problem_is_shown_at_once(client, area):
    page = send(client, area[1], first="", second="", postcode="WF1 1ZZ").get_data(as_text=True)
    assert "Choose at least one issue" in page and "not in or beside the area" in page
