"""A resident follows their message in Chromium: from the sent page to their private page,
where the officer's reply appears; they add to the thread, then say they are not happy."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import FEEDBACK, Message
from tests.factories import make_area
from tests.inbox_support import PASSWORD, make_user, sign_in_browser


@pytest.fixture
def team(app_context):
    return make_area()


def test_an_officers_reply_appears_on_the_residents_private_page(browser, live_server, page, team):
    make_user("pc.jones@example.org", teams=[team], name="PC Jones")
    make_user("sarge@example.org", role="sergeant", teams=[team], name="Sgt Patel")

    page.goto("/teams/west-yorkshire/E02002330/contact")
    page.get_by_label("Your name").fill("Sam Resident")
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Phone number").fill("0113 496 0000")
    page.get_by_label("Subject").fill("Bins set on fire")
    page.get_by_label("Your message").fill("Wheelie bins burnt on Ash Grove twice this week.")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#reference")).to_be_visible()
    reference = page.locator("#reference").inner_text()
    page.locator("#private-link").click()
    expect(page.get_by_role("heading", name=f"Your message {reference}")).to_be_visible()
    expect(page.locator("#status")).to_contain_text("Waiting for our reply")
    private_url = page.url

    officer = browser.new_context(base_url=live_server).new_page()
    sign_in_browser(officer, "pc.jones@example.org", PASSWORD)
    officer.goto(f"/staff/inbox/teams/{team.id}")
    officer.get_by_role("link", name="Bins set on fire").click()
    officer.get_by_label("Your reply").fill("We have asked the fire service and will patrol Ash Grove at night.")
    officer.get_by_role("button", name="Send reply").click()
    expect(officer.get_by_text("Phone call recorded.")).to_be_visible()

    page.goto(private_url)
    expect(page.locator(".portal-thread")).to_contain_text("We phoned you – PC Jones")
    expect(page.locator(".portal-thread")).to_contain_text("will patrol Ash Grove at night")
    expect(page.locator("#status")).to_contain_text("Answered")

    page.get_by_label("Add to your message").fill("It happened again last night.")
    page.get_by_role("button", name="Add to your message").click()
    expect(page.get_by_text("Added to your message.")).to_be_visible()
    expect(page.locator(".portal-thread")).to_contain_text("It happened again last night.")
    officer.goto(f"/staff/inbox/teams/{team.id}")
    expect(officer.get_by_text("Resident wrote again")).to_be_visible()

    page.get_by_role("link", name="Tell us you are not happy with our answer").click()
    expect(page.get_by_label("Reference of your message (if it is about one)")).to_have_value(reference)
    page.get_by_label("We did not do what we said we would").check()
    page.get_by_label("Tell us what happened").fill("Patrols have not stopped it.")
    page.get_by_label("Your name").fill("Sam Resident")
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Phone number").fill("0113 496 0000")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#reference")).to_be_visible()

    db.session.expire_all()
    feedback = db.session.scalar(select(Message).where(Message.kind == FEEDBACK))
    assert feedback.about_message.reference == reference
    page.goto(private_url)
    expect(page.locator("#feedback-cases")).to_contain_text(feedback.reference)
    officer.context.close()
