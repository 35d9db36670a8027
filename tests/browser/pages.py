"""Every page type of the portal, for the accessibility crawl (tests/browser/test_accessibility.py).

A new page type: add a line to PUBLIC_PAGES, STAFF_PAGES or ADMIN_PAGES (a name and a path;
the path is formatted with the ids of `seed_site()`), seeding anything it needs below. A page
reached by submitting a form names, in ACTIONS, what to do on the path first. The crawl then
runs axe-core on it, checks it at 320 px and in every language it is offered in.
"""
from datetime import date, datetime, timedelta

from flask import current_app

from sqlalchemy import insert

from app.alerts.tokens import CONFIRM, MANAGE, UNSUBSCRIBE, make_token
from app.domain import pledge
from app.clock_source import system_now as utcnow
from app.domain.localtime import to_local
from app.extensions import db
from app.services import inbox as service
from app.models import (FEEDBACK, Abstraction, AlertSubscription, Meeting, Message, PledgeExplanation, Priority,
                        PriorityAction, Update, VisibleTimeReturn)
from tests.crime_data import DEMO_CRIMES, DEMO_NEIGHBOURHOODS
from tests.factories import add_officer, add_postcode, add_station, make_area
from tests.web.publishing_support import add_staff

TEAM = "/teams/{force_id}/{neighbourhood_id}"
STAFF_TEAM = "/staff/teams/{team_id}"
EXPLAIN = STAFF_TEAM + "/performance/messages/{pledge_missed_month}/explanation"
CRIME_TEAM = "/teams/{force_id}/{crime_neighbourhood_id}"  # Leeds city centre: the demo crimes are there
THREAD = "/staff/inbox/teams/{team_id}/messages/"
SUBMIT = "button:not([type=button]), input[type=submit]"

PUBLIC_PAGES = [
    ("home", "/"),
    ("find: postcode error", "/find?postcode=NOT+A+POSTCODE"),
    ("find: no team", "/find?postcode=ZZ9+9ZZ"),
    ("find: postcode outside coverage", "/find?postcode=EH1+1AA"),
    ("search by place", "/search?q=Leeds"),
    ("search: nothing typed yet", "/search"),
    ("search: near spelling, Welsh name", "/search?q=Aberteifi"),
    ("find: postcode outside the loaded area", "/find?postcode=CF10+1AA"),
    ("forces", "/forces"),
    ("force", "/forces/{force_id}"),
    ("force meetings", "/forces/{force_id}/meetings"),
    ("meetings near a postcode", "/forces/{force_id}/meetings?postcode=LS1+1AZ&radius=10"),
    ("meetings near you: error", "/forces/{force_id}/meetings?postcode=nonsense"),
    ("meetings held near a postcode", "/forces/{force_id}/meetings?postcode=LS1+1AZ&held=1"),
    ("team page", TEAM + "?postcode=LS1+1AZ"),
    ("easy read", TEAM + "/easy-read"),
    ("priority archive", TEAM + "/priorities/archive"),
    ("priority detail", TEAM + "/priorities/{priority_id}"),
    ("meeting detail", TEAM + "/meetings/{meeting_id}"),
    ("past meeting with minutes", TEAM + "/meetings/{past_meeting_id}"),
    ("you said we did by month", TEAM + "/you-said-we-did"),
    ("about the data", "/about-the-data"),
    ("alerts: subscribe", "/alerts/subscribe"),
    ("alerts: check your email", "/alerts/check-your-email"),
    ("alerts: confirm", "/alerts/confirm/{confirm_token}"),
    ("alerts: manage", "/alerts/manage/{manage_token}"),
    ("alerts: unsubscribe", "/alerts/unsubscribe/{unsubscribe_token}"),
    ("alerts: your data", "/alerts/your-data"),
    ("contact form", TEAM + "/contact"),
    ("contact form with errors", TEAM + "/contact"),
    ("contact: message sent", TEAM + "/contact"),
    ("feedback form", TEAM + "/feedback"),
    ("feedback form about a message", TEAM + "/feedback?reference={message_reference}"),
    ("your message", "/your-message/{message_token}"),
    ("your message: addition with errors", "/your-message/{message_token}"),
    ("your message: phone only, unanswered", "/your-message/{phone_message_token}"),
    ("your message: answered, confidence already given", "/your-message/{closed_message_token}"),
    ("confidence survey", "/how-did-we-do/{survey_token}"),
    ("confidence survey with errors", "/how-did-we-do/{survey_token}"),
    ("confidence survey: answers given, to change", "/how-did-we-do/{answered_survey_token}"),
    ("confidence survey after a consultation", "/how-did-we-do/{consultation_survey_token}"),
    ("your message: get the link", "/your-message/send-link"),
    ("your message: get the link with errors", "/your-message/send-link"),
    ("your message: check your email", "/your-message/send-link"),
    ("privacy notice", "/privacy"),
    ("accessibility statement", "/accessibility"),
    ("cookies", "/cookies"),
    ("feedback form with errors", TEAM + "/feedback"),
    ("crime page", CRIME_TEAM + "/crime"),
    ("crime page filtered by type", CRIME_TEAM + "/crime?category=Burglary"),
    ("crime page without data", TEAM + "/crime"),
    ("crime page: no reported problem reaches the threshold", TEAM + "/crime"),
    ("crime page with reported problems by square", CRIME_TEAM + "/crime#reported-problems"),
    ("report a problem", "/report-a-problem"),
    ("report a problem from the team page", TEAM + "/report-a-problem"),
    ("report a problem with errors", TEAM + "/report-a-problem"),
    ("report a problem: a Scottish postcode", TEAM + "/report-a-problem"),
    ("report a problem: sent", TEAM + "/report-a-problem"),
    ("your message: a reported problem", "/your-message/{report_token}"),
    ("pledge: team", TEAM + "/performance"),
    ("pledge: team in Welsh", TEAM + "/performance?lang=cy"),
    ("pledge: force", "/forces/{force_id}/performance"),
    ("pledge: force sorted by messages answered", "/forces/{force_id}/performance?sort=messages"),
    ("unhappy with our service", "/unhappy-with-our-service"),
    ("unhappy with our service: postcode not found", "/unhappy-with-our-service?postcode=ZZ9+9ZZ"),
    ("staff sign in", "/staff/sign-in"),
    ("staff: forgotten password", "/staff/sign-in/forgotten"),
    ("your data from a message", "{your_data_path}"),
    ("error 404", "/no-such-page"),
]

# Seen signed in as a sergeant of the seeded team.
STAFF_PAGES = [
    ("staff home", "/staff/"),
    ("your account", "/staff/account"),
    ("change your password", "/staff/account/password"),
    ("own profile", "/staff/profile"),
    ("team publishing home", STAFF_TEAM + "/"),
    ("members", STAFF_TEAM + "/members"),
    ("edit member", STAFF_TEAM + "/members/{membership_id}"),
    ("contact details", STAFF_TEAM + "/contact"),
    ("base station", STAFF_TEAM + "/station"),
    ("audit", STAFF_TEAM + "/audit"),
    ("message to subscribers", STAFF_TEAM + "/alerts"),
    ("new meeting", STAFF_TEAM + "/meetings/new"),
    ("edit meeting", STAFF_TEAM + "/meetings/{meeting_id}/edit"),
    ("cancel meeting", STAFF_TEAM + "/meetings/{meeting_id}/cancel"),
    ("record meeting", STAFF_TEAM + "/meetings/{past_meeting_id}/record"),
    ("new priority", STAFF_TEAM + "/priorities/new"),
    ("new priority with errors", STAFF_TEAM + "/priorities/new"),
    ("new meeting with errors", STAFF_TEAM + "/meetings/new"),
    ("new update with errors", STAFF_TEAM + "/updates/new"),
    ("edit priority", STAFF_TEAM + "/priorities/{priority_id}/edit"),
    ("add action", STAFF_TEAM + "/priorities/{priority_id}/actions/new"),
    ("close priority", STAFF_TEAM + "/priorities/{priority_id}/close"),
    ("new update", STAFF_TEAM + "/updates/new"),
    ("edit update", STAFF_TEAM + "/updates/{update_id}/edit"),
    ("inbox: my teams", "/staff/inbox/"),
    ("inbox: team", "/staff/inbox/teams/{team_id}"),
    ("inbox: closed messages", "/staff/inbox/teams/{team_id}?show=closed"),
    ("inbox: message thread", THREAD + "{message_id}"),
    ("inbox: thread with reply errors", THREAD + "{message_id}"),
    ("inbox: feedback thread", THREAD + "{feedback_id}"),
    ("inbox: sergeant review", "/staff/inbox/review"),
    ("inbox: reply-time compliance", "/staff/inbox/compliance"),
    ("inbox: feedback compliance", "/staff/inbox/compliance?kind=feedback"),
    ("pledge: team, with the sergeant's links", TEAM + "/performance"),
    ("pledge: explain a missed month", EXPLAIN),
    ("pledge: explanation with errors", EXPLAIN),
    ("pledge: staff figures, missed months to explain", STAFF_TEAM + "/performance"),
    ("pledge: visible time", STAFF_TEAM + "/visible-time"),
    ("confidence: staff review", STAFF_TEAM + "/confidence"),
    ("confidence: staff review, the no answers", STAFF_TEAM + "/confidence?answered=no"),
    ("pledge: visible time with errors", STAFF_TEAM + "/visible-time"),
    ("inbox: feedback thread with plan errors", THREAD + "{feedback_id}"),
    ("inbox: a reported problem with its place and photo", THREAD + "{report_message_id}"),
    ("reported problems: map, by type and month", STAFF_TEAM + "/reports"),
]

# Seen signed in as an administrator of the seeded force.
ADMIN_PAGES = [
    ("admin: users", "/staff/admin/users"),
    ("admin: new user", "/staff/admin/users/new"),
    ("admin: new user with errors", "/staff/admin/users/new"),
    ("admin: edit user", "/staff/admin/users/{sergeant_user_id}"),
]


def submit_form(page):
    """Send the page's main form as it stands (empty: its error summary is then checked)."""
    with page.expect_navigation():
        page.locator("#main-content form[method=post]").last.locator(SUBMIT).first.click()


def send_message(page):
    page.fill("#name", "Alex Resident")
    page.check("input[name=contact_by][value=email]")
    page.fill("#email", "alex@example.org")
    page.fill("#subject", "Cars on the pavement")
    page.fill("#body", "Every evening on Elm Street.")
    page.check("input[name=urgent][value=no]")
    submit_form(page)
    assert "/contact/sent" in page.url, page.url


def ask_for_the_link(page):
    page.fill("#reference", "NPT-ABCD2345")
    page.fill("#email", "alex@example.org")
    submit_form(page)
    assert "Check your email" in page.title(), page.url


def fill_report(page, place):
    page.get_by_label("Street, place or postcode").fill(place)
    page.check("input[name=problem_type][value=parking]")
    page.fill("#description", "Vans park on the pavement by the school.")
    page.fill("#name", "Alex Resident")
    page.check("input[name=contact_by][value=email]")
    page.fill("#email", "alex@example.org")
    submit_form(page)


def send_report(page):
    fill_report(page, "LS1 1AZ")
    assert "/report-a-problem/sent" in page.url, page.url


ACTIONS = {
    "report a problem with errors": submit_form,
    "report a problem: a Scottish postcode": lambda page: fill_report(page, "EH1 1YZ"),
    "report a problem: sent": send_report,
    "your message: addition with errors": submit_form,
    "confidence survey with errors": submit_form,
    "your message: get the link with errors": submit_form,
    "your message: check your email": ask_for_the_link,
    "contact form with errors": submit_form,
    "contact: message sent": send_message,
    "feedback form with errors": submit_form,
    "admin: new user with errors": submit_form,
    "new priority with errors": submit_form,  # dates among the errors: links must reach the Day box
    "new meeting with errors": submit_form,
    "new update with errors": submit_form,
    "inbox: thread with reply errors": lambda page: submit_form_named(page, "reply"),
    "pledge: explanation with errors": lambda page: explain_too_briefly(page),
    "pledge: visible time with errors": submit_form,
    "inbox: feedback thread with plan errors": lambda page: submit_form_named(page, "plan"),
}


def explain_too_briefly(page):
    page.fill("#text", "Busy")  # the form holds the seeded explanation: replace it with too few words
    submit_form(page)
    assert page.locator(".govuk-error-summary").is_visible(), page.url


def submit_form_named(page, action_ends):
    with page.expect_navigation():
        page.locator(f"form[action$='/{action_ends}']").locator(SUBMIT).first.click()


def seed_crimes():
    """The demo extract (Leeds, July 2018), imported as the crime tests import it."""
    runner = current_app.test_cli_runner()
    for args in (["import", "neighbourhoods", str(DEMO_NEIGHBOURHOODS)], ["import", "crimes", str(DEMO_CRIMES)]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output


def seed_names():
    """Names people use, from the test fixtures (HCL CSV and a police.uk list), and a Welsh neighbourhood."""
    from pathlib import Path

    from tests.factories import make_area

    make_area(force_id="dyfed-powys", force_name="Dyfed-Powys", neighbourhood_id="W02000001",
              name="Ceredigion 001", local_authority="Ceredigion")
    names = Path(__file__).resolve().parents[1] / "fixtures" / "names"
    result = current_app.test_cli_runner().invoke(args=["import", "neighbourhood-names", str(names)])
    assert result.exit_code == 0, result.output


def add_message(team_id, received_at, replied_after=None):
    db.session.execute(insert(Message), [{
        "reference": service.new_reference(), "team_id": team_id, "kind": "message", "name": "R",
        "email": "r@example.org", "contact_by": "email", "subject": "s", "body": "b", "urgent": False,
        "received_at": received_at,
        "first_human_reply_at": received_at + replied_after if replied_after is not None else None}])


def seed_pledge(team, sergeant, now):
    """Figures for the Pledge pages over the last whole months: messages answered in and out of
    time, meetings in some months, a priority gone stale, and a sergeant's explanation of the
    missed month. Returns that month's key ("YYYY-MM")."""
    months = pledge.period(to_local(now).date())
    last, before, third = months[-1], months[-2], months[-3]

    def at(month, day, hour=10):
        return datetime(*month, day, hour)

    add_message(team.id, at(last, 10), timedelta(hours=2))
    add_message(team.id, at(last, 12), timedelta(hours=5))
    add_message(team.id, at(last, 14), timedelta(hours=30))  # late: the month is missed
    add_message(team.id, at(before, 9), timedelta(hours=1))
    for month in (last, third):
        db.session.add(Meeting(team_id=team.id, kind="pact", title="PACT meeting", venue="Community centre",
                               purpose="Agree priorities", starts_at=at(month, 15, 18), attendance=9,
                               published_at=at(month, 15, 18) - timedelta(days=30),
                               recorded_at=at(month, 16, 9)))
    # Written today, dated in a closed month: a late change beside that month.
    db.session.add(Update(team_id=team.id, published_on=date(*before, 20), you_said="Litter by the shops",
                          we_did="A clean-up with the council", created_at=now))
    db.session.add(Abstraction(team_id=team.id, officer_id=sergeant.officer_id, reason="training",
                               starts_on=date(*last, 3), ends_on=date(*last, 7), created_at=now))
    db.session.add(VisibleTimeReturn(team_id=team.id, month=date(*last, 1), created_at=now))
    stale = Priority(team_id=team.id, title="Parking by the shops", description="We will ticket and talk to drivers.",
                     agreed_on=date(*third, 2))
    stale.actions.append(PriorityAction(taken_on=date(*third, 5), description="Tickets issued."))
    db.session.add(stale)
    db.session.add(PledgeExplanation(team_id=team.id, measure="messages", month=date(*last, 1),
                                     text="Two officers were on a week of training.", author_id=sergeant.id,
                                     created_at=now))
    db.session.commit()
    return f"{last[0]}-{last[1]:02d}"


def seed_confidence(team, answered, closed, now):
    """Enough answers for a quarter's figure on the Pledge page (consultation responses), and
    the closed message's resident saying we did not answer. Returns the survey tokens."""
    from app.domain import confidence as rules
    from app.models import ConfidenceResponse
    from app.services import confidence

    quarter = rules.quarter_of(to_local(now).date()).key
    choices = ["strongly_agree", "agree", "agree", "neither", "disagree", "dont_know"]
    db.session.add_all([ConfidenceResponse(team_id=team.id, source="consultation", source_id=n,
                                           agreement=choices[n % len(choices)], quarter=quarter, language="en",
                                           first_answered_at=now, answered_at=now) for n in range(40)])
    confidence.answer(db.session, confidence.Invitation(team.id, "message", closed.id), now, agreement="disagree",
                      answered="no")
    db.session.commit()
    return {"survey_token": confidence.invitation_token(team.id, "message", answered.id),
            "answered_survey_token": confidence.invitation_token(team.id, "message", closed.id),
            "consultation_survey_token": confidence.invitation_token(team.id, "consultation", 999)}


def your_data_path(message):
    from flask import current_app

    from app.your_data.views import link_for

    with current_app.test_request_context():
        return link_for(message)


def jpeg_photo():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 300), "green").save(out, "JPEG")
    return out.getvalue()


def seed_reports(team, now):
    """A resident's report (with a photo) to the seeded team, and enough reports in the crime
    neighbourhood in the last ended quarter for the public squares to show."""
    from app import report_photos
    from app.domain.local_reports import THRESHOLD, latest_published_quarter, quarter_bounds
    from app.models import LocalReport, Team
    from app.services.local_reports import receive_report

    message = receive_report(db.session, team, now - timedelta(hours=1), problem_type="parking", latitude=53.8005,
                             longitude=-1.5485, description="Vans park on the pavement by the school.",
                             name="Alex Resident", email="alex@example.org", phone=None, contact_by="email",
                             photo_path=report_photos.save(jpeg_photo()))
    crime_team = db.session.scalar(db.select(Team).where(Team.neighbourhood_id == "E02006875"))
    start, _end = quarter_bounds(*latest_published_quarter(to_local(now).date()))
    for kind, n, (lat, lon) in (("speeding", THRESHOLD, (53.7975, -1.5490)), ("litter", THRESHOLD + 2,
                                                                               (53.7975, -1.5490)),
                                ("noise", THRESHOLD - 1, (53.7975, -1.5490)), ("parking", THRESHOLD,
                                                                                (53.8020, -1.5410))):
        for i in range(n):
            db.session.add(LocalReport(team_id=crime_team.id, problem_type=kind, latitude=lat, longitude=lon,
                                       reported_at=start + timedelta(days=3, hours=i)))
    db.session.commit()
    return message


def seed_site():
    """A force with one fully published team (with Pledge figures), a sergeant, and an alerts subscriber.
    Returns the ids the page paths are formatted with (and the sergeant's email)."""
    today = date.today()
    team = make_area()
    neighbourhood = team.neighbourhood
    team.email, team.telephone = "leeds111@police.example", "0113 000 0000"
    add_station(team, latitude=53.8, longitude=-1.545, directions="Bus 1 to the high street.")
    add_officer(team, name="Priya Sample", role="PCSO", pen_picture="Runs the Tuesday surgery.")
    add_officer(team, name="Tom Example", role="Police Constable", collar_number="PC 1234")
    sergeant = add_staff(team, role="sergeant", name="Gareth Demo", officer_role="Sergeant")
    add_postcode("LS1 1AZ", neighbourhood.id)
    add_postcode("EH1 1AA", None)
    now = utcnow().replace(microsecond=0)
    meeting = Meeting(team_id=team.id, kind="pact", title="PACT meeting", venue="Community centre",
                      address="1 High Street", postcode="LS1 1AZ", accessibility="Step-free, hearing loop",
                      purpose="Agree priorities", starts_at=now + timedelta(days=10), duration_minutes=90)
    past = Meeting(team_id=team.id, kind="surgery", title="Surgery", venue="Library", purpose="Drop in",
                   starts_at=now - timedelta(days=20), minutes="We agreed to patrol the park.", attendance=12)
    priority = Priority(team_id=team.id, title="Speeding by the school", description="We will run speed checks.",
                        area="Main road", how_decided="Voted at the PACT meeting", residents_consulted=31,
                        agreed_on=today - timedelta(days=40), review_on=today + timedelta(days=50))
    closed = Priority(team_id=team.id, title="Graffiti in the underpass", description="Cleared with the council.",
                      agreed_on=today - timedelta(days=200), closed_on=today - timedelta(days=30),
                      outcome="Graffiti removed and cameras fitted.")
    db.session.add_all([meeting, past, priority, closed])
    db.session.flush()
    db.session.add(PriorityAction(priority_id=priority.id, taken_on=today - timedelta(days=5),
                                  description="Speed checks on three mornings."))
    update = Update(team_id=team.id, published_on=today - timedelta(days=3), raised_at="meeting",
                    you_said="Cars park on the pavement.", we_did="We spoke to drivers and the council.")
    subscription = AlertSubscription(email="resident@example.org", postcode="LS1 1AZ", sector="LS1 1",
                                     neighbourhood_id=neighbourhood.id, frequency="weekly", created_at=now,
                                     confirmed_at=now)
    db.session.add_all([update, subscription])
    db.session.commit()
    admin = add_staff(team, role="admin", name="Ada Admin", officer_role="Inspector")
    answered = service.receive(db.session, team, now - timedelta(hours=3), name="Alex Resident",
                               email="alex@example.org", phone=None, contact_by="email",
                               subject="Cars on the pavement", body="Every evening on Elm Street.")
    service.reply(db.session, answered, sergeant, "We will patrol Elm Street this week.", now - timedelta(hours=2),
                  fuller_to_follow=True)
    service.note(db.session, answered, sergeant, "Ask the council about bollards.", now - timedelta(hours=1))
    phone_only = service.receive(db.session, team, now - timedelta(hours=20), name="Sam Resident", email=None,
                                 phone="0113 496 0000", contact_by="phone", subject="Noise at night",
                                 body="Every Friday.", urgent=True)
    service.add_from_resident(db.session, answered, "It happened again last night.", now - timedelta(minutes=30))
    feedback = service.receive(db.session, team, now - timedelta(hours=5), kind=FEEDBACK, name="Jo Resident",
                               email="jo@example.org", phone=None, contact_by="email",
                               subject="Unhappy with our service", body="Nobody called me back.",
                               themes=["no_reply", "attitude"], about=answered)
    closed = service.receive(db.session, team, now - timedelta(days=3), name="Kim Resident",
                             email="kim@example.org", phone=None, contact_by="email", subject="Thank you",
                             body="For the meeting.")
    service.reply(db.session, closed, sergeant, "Thank you for coming.", now - timedelta(days=2))
    service.close(db.session, closed, sergeant, now - timedelta(days=2))
    db.session.commit()
    missed = seed_pledge(team, sergeant, now)
    with current_app.test_request_context():
        surveys = seed_confidence(team, answered, closed, now)
    seed_crimes()
    seed_names()
    report = seed_reports(team, now)
    return {
        "force_id": neighbourhood.force_id, "neighbourhood_id": neighbourhood.id, "team_id": team.id,
        "meeting_id": meeting.id, "past_meeting_id": past.id, "priority_id": priority.id,
        "update_id": update.id, "membership_id": team.memberships[0].id,
        "confirm_token": make_token(CONFIRM, subscription.id), "manage_token": make_token(MANAGE, subscription.id),
        "unsubscribe_token": make_token(UNSUBSCRIBE, subscription.id), "sergeant_email": sergeant.email,
        "admin_email": admin.email, "sergeant_user_id": sergeant.id, "message_id": answered.id,
        "feedback_id": feedback.id, "crime_neighbourhood_id": "E02006875", "pledge_missed_month": missed,
        "message_token": answered.access_token, "message_reference": answered.reference,
        "phone_message_token": phone_only.access_token,
        "your_data_path": your_data_path(answered),
        "report_token": report.access_token, "report_message_id": report.id,
        "closed_message_token": closed.access_token, **surveys,
    }
