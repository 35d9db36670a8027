"""The whole journey in Chromium: a resident writes, an officer signs in and replies, the
resident's mailbox receives the reply, and the team's figure for the month changes."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.mail import SmtpSettings, deliver_pending
from app.models import Message
from tests.factories import make_area
from tests.inbox_support import make_user, sign_in_browser


@pytest.fixture
def team(app_context):
    return make_area()


def test_a_resident_message_is_answered_by_an_officer_and_counted(app, page, team, smtp_server):
    make_user("pc.jones@example.org", teams=[team], name="PC Jones")

    page.goto("/teams/west-yorkshire/E02002330")
    page.get_by_role("link", name="Send a message to the team").click()
    page.get_by_label("Your name").fill("Alex Resident")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address").fill("alex@example.org")
    page.get_by_label("Subject").fill("Speeding on Elm Street")
    page.get_by_label("Your message").fill("Cars race past the school every morning.")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#reference")).to_be_visible()
    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"NPT-[A-Z2-9]{8}", reference)
    assert "We will reply by" in page.locator("#promise").inner_text()

    sign_in_browser(page, "pc.jones@example.org")
    page.wait_for_url("**/staff/")
    page.goto("/staff/inbox/compliance")
    assert ("Answered 0 of 0 due within 24 hours. 1 more received is not yet due"
            in page.locator("#summary").inner_text())

    page.goto(f"/staff/inbox/teams/{team.id}")
    page.get_by_role("link", name="Speeding on Elm Street").click()
    page.get_by_label("Your reply").fill("We will run a speed check on Tuesday morning.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply sent.")).to_be_visible()  # waits for the page after the redirect

    db.session.expire_all()
    assert deliver_pending(db.session, SmtpSettings(app.config))[0] == 2  # receipt and reply
    subjects = {m["Subject"]: m for m in smtp_server.to("alex@example.org")}
    reply = subjects[f"Re: Speeding on Elm Street [{reference}]"]
    assert "speed check on Tuesday" in reply.get_content()
    assert db.session.scalar(select(Message)).first_human_reply_at is not None

    page.goto("/staff/inbox/compliance")
    assert "Answered 1 of 1 due within 24 hours." in page.locator("#summary").inner_text()
