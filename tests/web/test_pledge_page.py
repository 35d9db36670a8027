"""How we are doing against the Pledge: a team's figures graded month by month from its own
data, a force's table of teams, sergeants' explanations of missed months, the same as JSON."""
import random
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from app.extensions import db
from app.queries import pledge_figures
from app.services import inbox as service
from app.models import (AuditEntry, Meeting, Membership, Message, PledgeExplanation, Priority, PriorityAction,
                        Update)
from tests.factories import add_officer, make_area
from tests.inbox_support import _forget_request_state, clock, csrf_token, make_user, sign_in  # noqa: F401

PAGE = "/teams/west-yorkshire/E02002330/performance"
EXPLAIN = "/staff/teams/{team_id}/performance/messages/2026-10/explanation"


def add_message(team_id, received_at, replied_after=None, kind="message"):
    db.session.execute(insert(Message), [{
        "reference": service.new_reference(), "team_id": team_id, "kind": kind, "name": "R",
        "email": "r@example.org", "contact_by": "email", "subject": "s", "body": "b", "urgent": False,
        "received_at": received_at,
        "first_human_reply_at": received_at + replied_after if replied_after is not None else None}])


def add_meeting(team_id, starts_at, cancelled=False, published_at=None, recorded_at=None, title="PACT"):
    """A meeting advertised a month ahead and recorded the next day, unless told otherwise."""
    db.session.add(Meeting(team_id=team_id, kind="pact", title=title, starts_at=starts_at, venue="Hall",
                           purpose="Priorities", cancelled=cancelled,
                           published_at=published_at or starts_at - timedelta(days=30),
                           recorded_at=recorded_at or starts_at + timedelta(days=1), attendance=12))


@pytest.fixture
def team(app_context, clock):  # noqa: F811  (the clock stands at Wednesday 18 November 2026)
    team = make_area()
    # October 2026: two messages answered in time, one late; September: one in time.
    add_message(team.id, datetime(2026, 10, 5, 9), timedelta(hours=2))
    add_message(team.id, datetime(2026, 10, 12, 9), timedelta(hours=23, minutes=59))
    add_message(team.id, datetime(2026, 10, 20, 9), timedelta(hours=30))
    add_message(team.id, datetime(2026, 9, 3, 9), timedelta(hours=1))
    add_message(team.id, datetime(2026, 11, 2, 9))  # this month: not yet in the figures
    # Meetings in September and (twice) October; one cancelled in August.
    add_meeting(team.id, datetime(2026, 9, 15, 18))
    add_meeting(team.id, datetime(2026, 10, 6, 18))
    add_meeting(team.id, datetime(2026, 10, 27, 18))
    add_meeting(team.id, datetime(2026, 8, 11, 18), cancelled=True)
    # A priority last updated on 10 August: fresh at the end of August, stale since.
    priority = Priority(team_id=team.id, title="Speeding", description="Speeding", agreed_on=date(2026, 7, 1))
    priority.actions.append(PriorityAction(taken_on=date(2026, 8, 10), description="Speed checks",
                                           created_at=datetime(2026, 8, 10, 16)))
    db.session.add(priority)
    db.session.commit()
    add_officer(team, started_on=date(2022, 3, 1))
    return team


def section(page, measure):
    start = page.index(f'id="measure-{measure}"')
    end = page.find("<section", start)
    return page[start:end if end != -1 else None]


def row(page, measure, month):
    """The words of one month's row of a measure's table, tags stripped."""
    for html in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", section(page, measure), re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        if text.startswith(month):
            return text
    raise AssertionError(f"no row for {month} under {measure}")


def test_messages_answered_in_time_and_late_are_graded_by_month(client, team):
    page = client.get(PAGE).get_data(as_text=True)
    assert row(page, "messages", "October 2026") == (
        "October 2026 2 of 3 answered within 24 hours (66.7%) No explanation given – 18 days since the month closed Poor")
    assert row(page, "messages", "September 2026") == "September 2026 1 of 1 answered within 24 hours (100%) Excellent"
    assert row(page, "messages", "August 2026") == "August 2026 No messages this month Not measured"
    assert "Summary, November 2025 to October 2026" in page
    assert "In the last 12 months we answered 3 of 4 messages within 24 hours (75%)." in page
    assert "Promise kept in 1 of 2 months measured." in section(page, "messages")


def test_months_without_feedback_say_so_rather_than_a_percentage(client, team):
    page = client.get(PAGE).get_data(as_text=True)
    assert row(page, "feedback", "October 2026") == "October 2026 No feedback this month Not measured"
    assert "0%" not in section(page, "feedback") and "100%" not in section(page, "feedback")


def test_meetings_are_graded_month_by_month_and_a_cancelled_one_does_not_count(client, team):
    page = client.get(PAGE).get_data(as_text=True)
    assert row(page, "meetings", "October 2026") == "October 2026 2 meetings held Excellent"
    assert row(page, "meetings", "August 2026") == (
        "August 2026 No meeting held No explanation given – 79 days since the month closed Poor")
    assert "We held a public meeting in 2 of the last 12 months." in page


def test_a_stale_priority_misses_the_promise_from_the_month_it_goes_stale(client, team):
    page = client.get(PAGE).get_data(as_text=True)
    assert row(page, "priorities", "August 2026") == (
        "August 2026 1 of 1 current priorities updated in the last month (100%) Excellent")
    assert row(page, "priorities", "October 2026") == (
        "October 2026 0 of 1 current priorities updated in the last month (0%) "
        "No explanation given – 18 days since the month closed Poor")
    assert row(page, "priorities", "June 2026") == "June 2026 No current priorities Not measured"


def test_a_meeting_and_a_post_written_today_but_dated_in_a_closed_month_leave_its_grade_and_show_as_late(
        client, team):
    before = client.get(PAGE).get_data(as_text=True)
    assert row(before, "meetings", "May 2026").startswith("May 2026 No meeting held")
    # 18 November: an officer enters a meeting "held" on 12 May and a post dated 15 May.
    written = datetime(2026, 11, 18, 10, 5)
    add_meeting(team.id, datetime(2026, 5, 12, 18), title="Back-filled PACT", published_at=written,
                recorded_at=written)
    db.session.add(Update(team_id=team.id, published_on=date(2026, 5, 15), you_said="Litter by the shops",
                          we_did="A clean-up", created_at=written))
    db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    may_meetings = row(page, "meetings", "May 2026")
    assert may_meetings.startswith("May 2026 No meeting held") and may_meetings.endswith("Poor")
    assert "Late change Meeting on 12 May (Back-filled PACT) added on 18 November 2026, 10:05" in may_meetings
    assert "not counted in its figure" in may_meetings
    may_posts = row(page, "updates", "May 2026")
    assert may_posts.startswith("May 2026 Nothing posted") and may_posts.endswith("Poor")
    assert "Post dated 15 May (“Litter by the shops”) added on 18 November 2026, 10:05" in may_posts
    assert section(page, "meetings").count("Late change") == 1


def test_a_meeting_counts_only_if_advertised_in_time_and_recorded_afterwards(client, team):
    add_meeting(team.id, datetime(2026, 7, 7, 18), title="Two days' notice",
                published_at=datetime(2026, 7, 5, 9))
    add_meeting(team.id, datetime(2026, 6, 9, 18), title="Never recorded", recorded_at=datetime(2026, 11, 1))
    add_meeting(team.id, datetime(2026, 5, 12, 18), title="Advertised and recorded",
                recorded_at=datetime(2026, 5, 20, 9))
    db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    assert row(page, "meetings", "July 2026").startswith("July 2026 No meeting held")
    assert row(page, "meetings", "June 2026").startswith("June 2026 No meeting held")
    assert row(page, "meetings", "May 2026").startswith("May 2026 1 meeting held")
    assert "What counts, and when" in page and "at least 7 days before it took place" in page


def test_tenure_and_the_thresholds_are_shown(client, team, app):
    page = client.get(PAGE).get_data(as_text=True)
    assert row(page, "tenure", "October 2026").endswith("Excellent")
    grading = page[page.index('id="how-we-grade"'):]
    assert "95% or more" in grading and "24 months or more" in grading
    app.config["PLEDGE_THRESHOLDS"]["messages"]["fair"] = 60
    try:
        page = client.get(PAGE).get_data(as_text=True)
        assert row(page, "messages", "October 2026").endswith("Fair")
    finally:
        app.config["PLEDGE_THRESHOLDS"]["messages"]["fair"] = 70


def test_each_measure_has_an_accessible_svg_chart_of_12_bars_without_inline_styles(client, team):
    page = client.get(PAGE).get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", section(page, "messages"), re.S).group(0)
    assert 'role="img"' in svg and "aria-label=" in svg and "<title>" in svg and "<desc>" in svg
    rows = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert len(rows) == 12  # a row a month, its month and grade in words
    bars = svg[svg.index("</defs>"):].count("<rect")
    assert bars == sum(1 for label in rows if not label.endswith("Not measured"))
    assert "style=" not in svg
    assert "<script" not in svg


def test_the_pledge_page_is_in_welsh_down_to_the_grades_and_the_chart(client, team):
    page = client.get(PAGE + "?lang=cy").get_data(as_text=True)
    assert "Sut rydym yn cadw at yr Addewid Plismona" in page
    assert row(page, "messages", "Hydref 2026").startswith("Hydref 2026 Atebwyd 2 o 3 o fewn 24 awr (66.7%) ")
    assert row(page, "messages", "Awst 2026") == "Awst 2026 Dim negeseuon y mis hwn Heb ei fesur"
    svg = re.search(r"<svg.*?</svg>", section(page, "messages"), re.S).group(0)
    assert "y 12 mis diwethaf. Mae'r un ffigurau yn y tabl." in svg and "Medi 2026: Atebwyd 1 o 1" in svg
    assert "95% neu fwy" in page[page.index('id="how-we-grade"'):]


def test_the_team_page_and_force_page_link_to_the_pledge_pages(client, team):
    assert PAGE in client.get("/teams/west-yorkshire/E02002330").get_data(as_text=True)
    assert "/forces/west-yorkshire/performance" in client.get("/forces/west-yorkshire").get_data(as_text=True)


def test_the_force_page_has_a_row_per_team_sortable_and_paginated(client, team, app):
    other = make_area(neighbourhood_id="E02002331", name="Aardvark 1")
    add_message(other.id, datetime(2026, 10, 5, 9))  # never answered
    db.session.commit()
    page = client.get("/forces/west-yorkshire/performance").get_data(as_text=True)
    assert page.index("Aardvark 1") < page.index("Leeds 111")  # by name
    assert "Messages answered within 24 hours: 0 of 2 teams graded Good or Excellent." in page
    page = client.get("/forces/west-yorkshire/performance?sort=meetings").get_data(as_text=True)
    assert page.index("Aardvark 1") < page.index("Leeds 111")  # fewest meetings first
    page = client.get("/forces/west-yorkshire/performance?sort=tenure").get_data(as_text=True)
    assert page.index("Leeds 111") < page.index("Aardvark 1")  # nothing to measure last
    app.config["PLEDGE_TEAMS_PER_PAGE"] = 1
    try:
        second = client.get("/forces/west-yorkshire/performance?page=2").get_data(as_text=True)
        assert "Leeds 111" in second and "Aardvark 1 Neighbourhood" not in second
        assert client.get("/forces/west-yorkshire/performance?page=3").status_code == 404
    finally:
        app.config["PLEDGE_TEAMS_PER_PAGE"] = 50
    assert client.get("/forces/nowhere/performance").status_code == 404


def test_a_sergeant_explains_a_missed_month_and_it_shows_beside_the_figure(app, client, team):
    sergeant = make_user("sarge@example.org", role="sergeant", teams=[team])
    sign_in(client, sergeant)
    page = client.get(PAGE).get_data(as_text=True)
    url = EXPLAIN.format(team_id=team.id)
    assert url in section(page, "messages")
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "text": "Two officers were on a week of training.",
                                      "improvement": "A second officer now watches the inbox during training."})
    assert response.status_code == 302
    _forget_request_state()
    public = app.test_client().get(PAGE).get_data(as_text=True)
    assert "Explain why" not in public and "Change the explanation" not in public
    october = row(public, "messages", "October 2026")
    assert "Our explanation: Two officers were on a week of training." in october
    assert "What we will do to improve: A second officer now watches the inbox during training." in october
    assert "No explanation given" not in october
    explanation = db.session.scalar(select(PledgeExplanation))
    assert (explanation.measure, explanation.month, explanation.author_id) == ("messages", date(2026, 10, 1),
                                                                               sergeant.id)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "pledge_explanations"))
    assert entry.action == "created" and entry.team_id == team.id and entry.user_id == sergeant.id


def test_only_a_month_that_missed_the_promise_can_be_explained(client, team):
    sign_in(client, make_user("sarge@example.org", role="sergeant", teams=[team]))
    kept = f"/staff/teams/{team.id}/performance/messages/2026-09/explanation"
    assert client.get(kept).status_code == 404
    assert client.get(f"/staff/teams/{team.id}/performance/nonsense/2026-10/explanation").status_code == 404


def test_an_officer_or_another_teams_sergeant_cannot_explain(app, team):
    other = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    url = EXPLAIN.format(team_id=team.id)
    assert app.test_client().get(url).status_code == 302  # anonymous: sent to sign in
    for user, own_team in ((make_user("pc@example.org", teams=[team]), team),
                           (make_user("other.sarge@example.org", role="sergeant", teams=[other]), other)):
        client = app.test_client()
        sign_in(client, user)
        assert client.get(url).status_code == 403
        token = csrf_token(client, f"/staff/teams/{own_team.id}/updates/new")
        response = client.post(url, data={"csrf_token": token, "text": "An explanation of the month."})
        assert response.status_code == 403
    assert db.session.scalar(select(PledgeExplanation)) is None


def test_an_explanation_without_the_csrf_token_is_refused(client, team):
    sign_in(client, make_user("sarge@example.org", role="sergeant", teams=[team]))
    url = EXPLAIN.format(team_id=team.id)
    assert client.post(url, data={"text": "Two officers were on a week of training."}).status_code == 400
    assert db.session.scalar(select(PledgeExplanation)) is None


def test_a_too_short_explanation_is_an_error_linked_to_the_field(client, team):
    sign_in(client, make_user("sarge@example.org", role="sergeant", teams=[team]))
    url = EXPLAIN.format(team_id=team.id)
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "text": "Busy"})
    assert response.status_code == 400 and 'href="#text"' in response.get_data(as_text=True)


def test_the_json_api_gives_the_same_figures(client, team):
    db.session.add(PledgeExplanation(team_id=team.id, measure="messages", month=date(2026, 10, 1),
                                     text="Training week.", created_at=datetime(2026, 11, 2)))
    db.session.commit()
    body = client.get("/api/west-yorkshire/E02002330/performance").get_json()
    assert body["period"] == {"from": "2025-11", "to": "2026-10"}
    messages = next(m for m in body["measures"] if m["measure"] == "messages")
    assert (messages["value"], messages["grade"], messages["months_met"]) == (75.0, "fair", 1)
    october = messages["months"][-1]
    assert october == {"month": "2026-10", "value": 66.7, "grade": "poor", "met": False, "done": 2, "total": 3,
                       "explanation": "Training week.", "improvement": None, "late_changes": []}
    assert messages["months"][0]["grade"] is None and messages["months"][0]["met"] is None
    force = client.get("/api/west-yorkshire/performance").get_json()
    [row_] = force["teams"]
    assert row_["neighbourhood"] == "E02002330"
    assert next(m for m in row_["measures"] if m["measure"] == "meetings")["value"] == 16.7
    assert client.get("/api/nowhere/performance").status_code == 404


def test_a_sergeant_records_time_away_confirms_the_month_and_the_pledge_page_shows_visible_time(app, client, team):
    sergeant = make_user("sarge@example.org", role="sergeant", teams=[team])
    sign_in(client, sergeant)
    officer = db.session.scalar(select(Membership).where(Membership.team_id == team.id,
                                                         Membership.officer_id != sergeant.officer_id)).officer
    url = f"/staff/teams/{team.id}/visible-time"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "officer_id": officer.id,
                                      "reason": "court", "starts_on": ["5", "10", "2026"],
                                      "ends_on": ["9", "10", "2026"]})
    assert response.status_code == 302
    bad = client.post(url, data={"csrf_token": csrf_token(client, url), "officer_id": officer.id, "reason": "court",
                                 "starts_on": ["9", "10", "2026"], "ends_on": ["5", "10", "2026"]})
    assert bad.status_code == 400 and 'href="#ends_on-day"' in bad.get_data(as_text=True)
    before = client.get(PAGE).get_data(as_text=True)
    assert row(before, "visible", "October 2026").startswith("October 2026 Not recorded")
    token = csrf_token(client, url)
    assert client.post(f"{url}/2026-10/confirm", data={"csrf_token": token}).status_code == 302
    page = app.test_client().get(PAGE).get_data(as_text=True)
    # Two officers served all 31 days (62 duty days); one was at court for 5.
    assert row(page, "visible", "October 2026") == (
        "October 2026 91.9% of duty time in the neighbourhood (57 of 62 officer days) Excellent")
    assert "Duty time is every day an officer served this team in the month" in page
    force = app.test_client().get("/forces/west-yorkshire/performance").get_data(as_text=True)
    assert "91.9% of duty time in the neighbourhood" in force


def test_an_officer_cannot_record_time_away(client, team):
    sign_in(client, make_user("pc@example.org", teams=[team]))
    assert client.get(f"/staff/teams/{team.id}/visible-time").status_code == 403


def test_the_json_api_lists_late_changes_beside_their_month(client, team):
    add_meeting(team.id, datetime(2026, 5, 12, 17), title="Back-filled PACT", published_at=datetime(2026, 11, 18, 10),
                recorded_at=datetime(2026, 11, 18, 10))
    db.session.commit()
    body = client.get("/api/west-yorkshire/E02002330/performance").get_json()
    meetings = next(m for m in body["measures"] if m["measure"] == "meetings")
    may = next(m for m in meetings["months"] if m["month"] == "2026-05")
    assert (may["done"], may["grade"]) == (0, "poor")
    assert may["late_changes"] == [{"dated": "2026-05-12", "made_at": "2026-11-18T10:00:00", "action": "added",
                                    "title": "Back-filled PACT"}]
    assert {m["measure"] for m in body["measures"]} >= {"visible", "follow_up"}


def test_a_priority_update_back_dated_into_a_closed_month_is_a_late_change_and_not_counted(client, team):
    priority = db.session.scalar(select(Priority))
    priority.actions.append(PriorityAction(taken_on=date(2026, 9, 28), description="Speed checks",
                                           created_at=datetime(2026, 11, 18, 9)))
    db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    september = row(page, "priorities", "September 2026")
    assert september.startswith("September 2026 0 of 1 current priorities updated in the last month (0%)")
    assert "Update to the priority ‘Speeding’ dated 28 September added on 18 November 2026, 09:00" in september


def test_an_edit_or_cancellation_after_the_month_closed_shows_as_a_late_change(client, team):
    september = db.session.scalar(select(Meeting).where(Meeting.starts_at == datetime(2026, 9, 15, 18)))
    db.session.add_all([
        AuditEntry(at=datetime(2026, 9, 20, 9), action="updated", object_type="meetings", object_id=september.id,
                   team_id=team.id, changes={}),  # within the month: not late
        AuditEntry(at=datetime(2026, 11, 17, 14, 30), action="updated", object_type="meetings",
                   object_id=september.id, team_id=team.id, changes={"venue": ["Hall", "Library"]}),
    ])
    db.session.commit()
    text = row(client.get(PAGE).get_data(as_text=True), "meetings", "September 2026")
    assert text.count("changed on") == 1
    assert "Meeting on 15 September (PACT) changed on 17 November 2026, 14:30" in text


def test_sergeants_see_the_missed_months_waiting_for_an_explanation_until_they_explain(client, team):
    sign_in(client, make_user("sarge@example.org", role="sergeant", teams=[team]))
    waiting = client.get(f"/staff/teams/{team.id}/performance").get_data(as_text=True)
    url = EXPLAIN.format(team_id=team.id)
    assert url in waiting and "Days since the month closed" in waiting
    rows = [" ".join(re.sub(r"<[^>]+>", " ", r).split())
            for r in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", waiting, re.S)]
    assert "Messages answered within 24 hours October 2026 18 Explain why – Messages answered within 24 hours, " \
           "October 2026" in rows
    client.post(url, data={"csrf_token": csrf_token(client, url), "text": "Two officers were on training.",
                           "improvement": "Cover is arranged for training weeks."})
    assert url not in client.get(f"/staff/teams/{team.id}/performance").get_data(as_text=True)


def test_the_force_table_gives_each_team_the_period_figures_of_its_own_page(app_context):
    """The force table reads each team's whole year at once (replies counted per team, not per
    month; meeting and feedback rows graded as read): every grade and value must be those of
    the team's own month-by-month page, for varied teams."""
    chance = random.Random(8)
    now = datetime(2026, 11, 20, 12, 0)
    teams = [make_area(neighbourhood_id=f"E0200240{i}", name=f"Leeds {i}") for i in range(4)]
    db.session.flush()
    for n, team in enumerate(teams):
        for i in range(chance.randint(0, 60)):
            received = datetime(2025, 10, 1) + timedelta(minutes=chance.randrange(60 * 24 * 415))
            replied = received + timedelta(hours=chance.expovariate(1 / 20)) if chance.random() < 0.8 else None
            db.session.add(Message(reference=f"F{n}{i:05d}", team_id=team.id, kind=chance.choice(
                ["message", "message", "feedback"]), name="R", contact_by="email", subject="s", body="b",
                received_at=received, first_human_reply_at=replied if replied and replied < now else None,
                contact_offered_at=received + timedelta(days=chance.randint(1, 9)) if chance.random() < 0.5 else None))
        for i in range(chance.randint(0, 20)):
            starts = datetime(2025, 11, 1) + timedelta(days=chance.randrange(400), hours=18)
            db.session.add(Meeting(team_id=team.id, kind="pact", title="PACT", venue="Hall", purpose="p",
                                   duration_minutes=60, cancelled=chance.random() < 0.1, starts_at=starts,
                                   published_at=starts - timedelta(days=chance.choice([2, 8, 30])),
                                   recorded_at=starts + timedelta(days=chance.choice([1, 3, 20]))
                                   if chance.random() < 0.8 else None))
        for i in range(chance.randint(0, 14)):
            published = date(2025, 11, 1) + timedelta(days=chance.randrange(400))
            db.session.add(Update(team_id=team.id, published_on=published, you_said="y", we_did="w",
                                  resident_consent=False, created_at=datetime.combine(
                                      published, datetime.min.time()) + timedelta(days=chance.choice([0, 0, 40]))))
        for i in range(chance.randint(0, 4)):
            priority = Priority(team_id=team.id, title="P", description="d",
                                agreed_on=date(2025, chance.randint(6, 12), 1))
            db.session.add(priority)
            db.session.flush()
            for _ in range(chance.randint(0, 6)):
                db.session.add(PriorityAction(priority_id=priority.id, description="a",
                                              taken_on=priority.agreed_on + timedelta(days=chance.randint(1, 500))))
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(Message)) > 0
    force_lines = pledge_figures.lines_by_team(force_id="west-yorkshire", now=now, notes=False, monthly=False)
    for team in teams:
        page = pledge_figures.team_lines(team.id, now=now)
        assert [(line.measure, line.value, line.grade) for line in force_lines[team.id]] == [
            (line.measure, line.value, line.grade) for line in page]
