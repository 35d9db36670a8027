"""A resident, new to the portal, has their say in Chromium: from the team page to the form,
confirmed through the emailed link (a real SMTP server), and after closing sees the results on
the team page and on the priority the team agreed from them."""
import re
from datetime import date, datetime

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.mail import SmtpSettings, deliver_pending
from app.models import Meeting
from app.services import consultations as service
from tests.factories import add_postcode, make_area
from tests.inbox_support import PASSWORD, clock, make_user, totp_code  # noqa: F401  (clock is a fixture)

TEAM = "/teams/west-yorkshire/E02002330"


@pytest.fixture
def consultation(app_context, clock):  # noqa: F811
    team = make_area()
    add_postcode("LS1 1AZ", team.neighbourhood_id)
    officer = make_user("pc.jones@example.org", teams=[team], name="PC Jones")
    meeting = Meeting(team_id=team.id, kind="pact", title="December PACT", venue="Hall", purpose="Priorities",
                      starts_at=datetime(2026, 12, 2, 18, 30), published_at=datetime(2026, 11, 1))
    db.session.add(meeting)
    db.session.flush()
    found = service.open_consultation(
        db.session, team, title="What should we tackle this winter?", meeting_id=meeting.id,
        opens_on=date(2026, 11, 16), closes_on=date(2026, 11, 30),
        issues=[("Speeding on Otley Road", "priority"), ("Drug dealing in the park", "messages"),
                ("Burglary", "crime")], by=officer, now=clock.now)
    db.session.commit()
    return found


def sign_in_at_the_apps_time(app, page, email):
    """Two-step sign-in with the authenticator's code for the app's (moved) clock."""
    page.goto("/staff/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/staff/sign-in/code")
    page.fill("#code", totp_code(app))
    page.click("button:has-text('Continue')")
    page.wait_for_url(lambda url: "/staff/" in url and "/sign-in" not in url)


def test_a_resident_has_their_say_confirms_by_email_and_sees_the_results(app, browser, live_server, page,
                                                                         consultation, clock, smtp_server):  # noqa: F811
    page.goto(TEAM)
    page.get_by_role("link", name=re.compile("^Have your say")).first.click()
    expect(page.get_by_role("heading", name="What should we tackle this winter?")).to_be_visible()

    page.get_by_label("Most important to you").select_option(label="Drug dealing in the park")
    page.get_by_label("Second (optional)").select_option(label="Speeding on Otley Road")
    page.get_by_label("Online, on this website").check()
    page.get_by_label("At street briefings").check()
    page.get_by_label("Your postcode").fill("ls1 1az")
    page.get_by_label("By email", exact=True).check()
    page.get_by_label("Email address").fill("new.resident@example.org")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="Check your email to confirm your answer")).to_be_visible()

    assert deliver_pending(db.session, SmtpSettings(app.config)) == (1, 0)
    [email] = smtp_server.to("new.resident@example.org")
    link = re.search(r"https?://[^/\s]+(/have-your-say/confirm/\S+)", email.get_content()).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm my answer").click()
    expect(page.get_by_role("heading", name="Thank you for having your say")).to_be_visible()

    clock.advance(days=13)  # 1 December: closed at the end of 30 November
    officer = browser.new_context(base_url=live_server).new_page()
    sign_in_at_the_apps_time(app, officer, "pc.jones@example.org")
    team_id = consultation.team_id
    officer.goto(f"/staff/teams/{team_id}/consultations/{consultation.id}")
    expect(officer.locator("#status")).to_have_text("Closed")
    officer.get_by_label("Residents who took part at the meeting").fill("23")
    officer.get_by_role("button", name="Save the count").click()
    officer.get_by_role("link", name="New priority from this consultation").click()
    officer.get_by_label("Title").fill("Drug dealing in the park")
    officer.get_by_label("What the problem is and what you will do").fill("Evening patrols and a closure order.")
    officer.get_by_label("Area or streets it covers").fill("Woodhouse Moor")
    for prefix, (day, month, year) in (("agreed_on", (1, 12, 2026)), ("review_on", (1, 3, 2027))):
        officer.locator(f"#{prefix}-day").fill(str(day))
        officer.locator(f"#{prefix}-month").fill(str(month))
        officer.locator(f"#{prefix}-year").fill(str(year))
    officer.get_by_role("button", name="Save priority").click()
    expect(officer.get_by_text("Priority published")).to_be_visible()
    officer.context.close()

    page.goto(TEAM)
    expect(page.locator("#have-your-say").locator("..")).to_contain_text("1 resident online, 23 at the meeting")
    page.get_by_role("link", name="See the results of ‘What should we tackle this winter?’").first.click()
    expect(page.locator("tbody tr").first).to_contain_text("Drug dealing in the park")
    page.goto(TEAM)
    page.get_by_role("link", name="Drug dealing in the park").click()
    expect(page.locator("main")).to_contain_text("How it was decided: 1 resident online, 23 at the meeting")
