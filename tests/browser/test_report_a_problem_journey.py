"""Report a problem on a map, in Chromium, as a new user would: from the team page, a pin on
the map, a photo; the officer (signed in with the second factor) finds it in the inbox with
its location and on the team's reports map; the public sees it only counted in its square,
and only once there are enough reports. Without JavaScript, a typed postcode does the same."""
import io
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from app.clock_source import system_now
from app.domain.local_reports import THRESHOLD
from app.extensions import db
from app.models import LocalReport, Message
from tests.factories import add_postcode, make_area
from tests.inbox_support import make_user, sign_in_browser

TEAM_PAGE = "/teams/west-yorkshire/E02002330"


@pytest.fixture
def team(app_context):
    team = make_area()
    add_postcode("LS1 1AZ", team.neighbourhood_id, latitude=53.8, longitude=-1.545)
    return team


def photo_with_location():
    image = Image.new("RGB", (640, 480), "green")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif.get_ifd(0x8825).update({1: "N", 2: (53.0, 48.0, 1.8), 3: "W", 4: (1.0, 32.0, 54.6)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def fill_details(page):
    page.get_by_label("Speeding").check()
    page.get_by_label("Describe the problem").fill("Cars race down Elm Street after school.")
    page.get_by_label("Your name").fill("Alex Resident")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address").fill("alex@example.org")


def test_a_pinned_report_reaches_the_officer_with_its_place_and_the_public_only_as_a_count(app, page, team):
    make_user("pc.jones@example.org", teams=[team], name="PC Jones")

    page.goto(TEAM_PAGE)
    page.get_by_role("link", name="Report a problem on a map").click()
    expect(page.locator("#report-map")).to_be_visible()
    page.locator("#report-map").click()  # the middle of the map: inside the neighbourhood
    expect(page.locator("#pin-status")).to_contain_text("Pin dropped")
    fill_details(page)
    page.get_by_label("Photo (optional)").set_input_files(
        {"name": "elm-street.jpg", "mimeType": "image/jpeg", "buffer": photo_with_location()})
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#reference")).to_be_visible()
    reference = page.locator("#reference").inner_text()
    assert team.name in page.locator("#sent-to").inner_text()

    db.session.expire_all()
    report = db.session.scalar(select(LocalReport))
    n = team.neighbourhood
    assert n.min_lat <= report.latitude <= n.max_lat and n.min_lon <= report.longitude <= n.max_lon
    assert report.place_text is None and report.photo_path

    # The reporter's own page, from the link on the sent page.
    page.locator("#private-link").click()
    expect(page.locator("#report-details")).to_contain_text("Speeding")
    photo = page.locator("#report-details img")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") == 640

    sign_in_browser(page, "pc.jones@example.org")
    page.goto(f"/staff/inbox/teams/{team.id}")
    page.get_by_role("link", name="Problem reported: Speeding").click()
    expect(page.locator("#report-location")).to_contain_text("Pin dropped on the map")
    expect(page.locator("#report-location")).to_contain_text(f"{report.latitude:.5f}, {report.longitude:.5f}")
    page.get_by_role("link", name="See it on the team's reports map").click()
    expect(page.locator("#report-map path.leaflet-interactive").first).to_be_visible()
    expect(page.locator(".leaflet-popup-content")).to_contain_text(reference)
    expect(page.locator("#reports")).to_contain_text("Speeding")

    # The quarter has ended: one report alone is not shown to the public...
    later = system_now() + timedelta(days=100)
    app.config["CLOCK"] = lambda: later
    try:
        page.goto(TEAM_PAGE + "/crime")
        expect(page.locator("#reported-none")).to_be_visible()
        # ...and with four more of the same type in the same square, only the count is.
        for i in range(THRESHOLD - 1):
            message = Message(reference=f"NPT-BRWS{i:04d}", team_id=team.id, name="R", contact_by="phone",
                              phone="0113 496 0000", subject="s", body="b", received_at=report.reported_at)
            db.session.add(message)
            db.session.flush()
            db.session.add(LocalReport(message_id=message.id, team_id=team.id, problem_type="speeding",
                                       latitude=report.latitude, longitude=report.longitude,
                                       reported_at=report.reported_at))
        db.session.commit()
        page.goto(TEAM_PAGE + "/crime")
        expect(page.locator("#reported-by-square")).to_contain_text(f"Speeding: {THRESHOLD}")
        expect(page.locator("#report-grid-map path.leaflet-interactive").first).to_be_visible()
        html = page.content()
        assert "Elm Street" not in html and f"{report.latitude:.4f}" not in html
    finally:
        app.config.pop("CLOCK", None)


def test_without_javascript_a_typed_postcode_does_the_same_and_a_scottish_one_is_explained(browser, live_server,
                                                                                          team):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(TEAM_PAGE + "/report-a-problem")
        expect(page.locator("#report-map")).to_be_hidden()
        fill_details(page)
        page.get_by_label("Street, place or postcode").fill("EH1 1YZ")
        page.get_by_role("button", name="Send report").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("That place is in Scotland")
        expect(page.get_by_label("Describe the problem")).to_have_value("Cars race down Elm Street after school.")
        page.get_by_label("Street, place or postcode").fill("LS1 1AZ")
        page.get_by_role("button", name="Send report").click()
        expect(page.locator("#reference")).to_be_visible()
    finally:
        context.close()
    db.session.expire_all()
    report = db.session.scalar(select(LocalReport))
    assert (report.place_found, report.latitude, report.longitude) == ("LS1 1AZ", 53.8, -1.545)


def test_a_photo_over_the_limit_is_refused_in_the_browser_before_it_is_sent(page, team):
    page.goto(TEAM_PAGE + "/report-a-problem")
    page.get_by_label("Photo (optional)").set_input_files(
        {"name": "huge.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8" + b"0" * (8 * 1024 * 1024 + 1)})
    expect(page.locator("#photo-status")).to_contain_text("The photo must be smaller than 8 MB")
    assert page.locator("#photo").evaluate("input => input.files.length") == 0
