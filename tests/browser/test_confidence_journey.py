"""A resident, after an officer replies to their message, answers the confidence question
from their private page in Chromium; the team's Pledge page shows "Not enough responses yet"
until the minimum is reached, then the figure with its count and 95 % interval."""
import re
from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app import clock_source
from app.domain import confidence as rules
from app.domain.localtime import to_local
from app.extensions import db
from app.models import ConfidenceResponse
from tests.factories import make_area
from tests.inbox_support import PASSWORD, make_user, sign_in_browser


@pytest.fixture
def team(app_context):
    return make_area()


def earlier_answers(team, how_many):
    """Residents who answered at the end of a consultation earlier this quarter: all agree."""
    now = clock_source.system_now().replace(microsecond=0)
    quarter = rules.quarter_of(to_local(now).date()).key
    db.session.add_all([ConfidenceResponse(team_id=team.id, source="consultation", source_id=n, agreement="agree",
                                           quarter=quarter, language="en", first_answered_at=now, answered_at=now)
                        for n in range(how_many)])
    db.session.commit()


def confidence_row(page):
    return page.locator("#confidence-figures tbody tr").first


def test_a_resident_answers_after_a_reply_and_the_figure_appears_once_enough_have(browser, live_server, page, team):
    make_user("pc.jones@example.org", teams=[team], name="PC Jones")
    earlier_answers(team, rules.MINIMUM_RESPONSES - 1)

    page.goto("/teams/west-yorkshire/E02002330/contact")
    page.get_by_label("Your name").fill("Sam Resident")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Subject").fill("Bins set on fire")
    page.get_by_label("Your message").fill("Wheelie bins burnt on Ash Grove twice this week.")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Send message").click()
    page.locator("#private-link").click()
    private_url = page.url
    # The automatic receipt is not a reply: nothing is asked yet.
    expect(page.get_by_role("heading", name="Tell us how we are doing")).to_have_count(0)

    officer = browser.new_context(base_url=live_server).new_page()
    sign_in_browser(officer, "pc.jones@example.org", PASSWORD)
    officer.goto(f"/staff/inbox/teams/{team.id}")
    officer.get_by_role("link", name="Bins set on fire").click()
    officer.get_by_label("Your reply").fill("We have asked the fire service and will patrol Ash Grove at night.")
    officer.get_by_role("button", name="Send reply").click()
    officer.context.close()

    pledge = browser.new_context(base_url=live_server).new_page()
    pledge.goto("/teams/west-yorkshire/E02002330/performance")
    expect(confidence_row(pledge)).to_contain_text("Not enough responses yet")
    expect(confidence_row(pledge)).to_contain_text(f"{rules.MINIMUM_RESPONSES - 1} answers")

    page.goto(private_url)
    expect(page.get_by_role("heading", name="Tell us how we are doing")).to_be_visible()
    page.get_by_role("button", name="Send your answers").click()  # nothing chosen: a clear error
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose how much you agree")
    page.locator(".govuk-error-summary a").first.click()
    expect(page.get_by_label("Strongly agree")).to_be_focused()
    page.get_by_label("Disagree", exact=True).check()
    page.get_by_label("Partly").check()
    page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_text("Thank you. Your answers are recorded.")).to_be_visible()
    expect(page.locator("#your-answers")).to_contain_text("Disagree")
    expect(page.locator("#your-answers")).to_contain_text("Partly")

    page.goto(private_url)
    expect(page.get_by_text("Thank you for answering.")).to_be_visible()

    pledge.reload()
    row = confidence_row(pledge)
    agreeing, total = rules.MINIMUM_RESPONSES - 1, rules.MINIMUM_RESPONSES
    low, high = rules.figure(None, {"agree": agreeing, "disagree": 1}).interval_percent
    expect(row).to_contain_text(f"{rules.percent(agreeing / total)}%")
    expect(row).to_contain_text(f"{total} answers")
    expect(row).to_contain_text(f"{low}% to {high}%")
    expect(row.locator("td").first).not_to_contain_text("Not enough responses yet")
    expect(row.locator("td").last).to_contain_text("Not enough responses yet")  # one "did we answer" so far
    pledge.context.close()

    db.session.expire_all()
    stored = db.session.scalar(select(ConfidenceResponse).where(ConfidenceResponse.source == "message"))
    assert (stored.agreement, stored.answered) == ("disagree", "partly")
