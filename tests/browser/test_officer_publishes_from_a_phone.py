"""An officer on a phone signs in, adds a priority and a meeting, and sees both on the public page."""
from datetime import datetime, timedelta

import pytest

from app.clock_source import today_in_london as local_today
from app.extensions import db
from app.models import User
from tests.factories import add_officer, make_area
from tests.inbox_support import TOTP_SECRET, sign_in_browser

PASSWORD = "a long enough test password"


@pytest.fixture
def officer(app):
    with app.app_context():
        team = make_area()
        person = add_officer(team, name="Priya Sample", role="PCSO")
        user = User(email="priya@police.example", name="Priya Sample", role="officer", officer_id=person.id,
                    totp_secret=TOTP_SECRET, totp_confirmed_at=datetime(2020, 1, 1),
                    password_changed_at=datetime(2020, 1, 1))
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        yield {"team_id": team.id, "force_id": team.neighbourhood.force_id, "neighbourhood_id": team.neighbourhood_id}
        db.session.remove()


def fill_date(page, name, day):
    page.fill(f"#{name}-day", str(day.day))
    page.fill(f"#{name}-month", str(day.month))
    page.fill(f"#{name}-year", str(day.year))


def test_an_officer_adds_a_priority_and_a_meeting_from_a_phone(page, live_server, officer):
    assert page.viewport_size == {"width": 390, "height": 844}
    sign_in_browser(page, "priya@police.example", PASSWORD, base=live_server)
    page.click("text=New priority")

    today = local_today()
    page.fill("#title", "Speeding on Otley Road by the primary school")
    page.fill("#description", "Drivers speed at school start and finish times. We will run speed checks.")
    page.fill("#area", "Otley Road between the two roundabouts")
    page.fill("#how_decided", "Voted for by residents at the PACT meeting")
    page.fill("#residents_consulted", "31")
    fill_date(page, "agreed_on", today)
    fill_date(page, "review_on", today + timedelta(days=90))
    page.click("button:has-text('Save priority')")
    assert "Priority published" in page.text_content("main")

    page.click("text=New meeting")
    page.check("input[name=kind][value=pact]")
    page.fill("#title", "Headingley PACT meeting")
    fill_date(page, "day", today + timedelta(days=10))
    page.fill("#start_time", "18:30")
    page.fill("#venue", "St Michael's Church Hall")
    page.fill("#purpose", "Hear what matters to residents and agree priorities")
    page.fill("#accessibility", "Step-free entrance, hearing loop")
    page.click("button:has-text('Publish meeting')")
    assert "Meeting published" in page.text_content("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server}/teams/{officer['force_id']}/{officer['neighbourhood_id']}")
    priorities = page.locator("section[aria-labelledby=priorities]")
    meetings = page.locator("section[aria-labelledby=meetings]")
    assert "Speeding on Otley Road by the primary school" in priorities.text_content()
    assert "Headingley PACT meeting" in meetings.text_content()
    assert "18:30" in meetings.text_content() and "hearing loop" in meetings.text_content()
