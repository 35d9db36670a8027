"""Report a local problem on a map: the point decides the team, the report is a message in
its inbox under the 24-hour clock, bad input is answered beside the field with nothing lost,
staff see their own team's reports only, and the public only counts the grid allows."""
import io
import os
import re
import uuid
from datetime import datetime, timedelta

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from PIL import Image
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from app.domain.local_reports import THRESHOLD
from app.extensions import db
from app.models import AuditEntry, LocalReport, Message
from app.queries.local_reports import top_reported_types
from tests.factories import add_postcode, make_area
from tests.inbox_support import _forget_request_state, clock, csrf_token, make_user, sign_in  # noqa: F401

REPORT = "/teams/west-yorkshire/E02002330/report-a-problem"
CRIME = "/teams/west-yorkshire/E02002330/crime"
PIN = {"latitude": "53.800500", "longitude": "-1.548500"}  # inside the test neighbourhood


@pytest.fixture
def team(app_context):
    team = make_area()
    add_postcode("LS1 1AZ", team.neighbourhood_id, latitude=53.8, longitude=-1.545)
    return team


def fields(**overrides):
    return {"name": "Alex Resident", "contact_by": "email", "email": "alex@example.org", "phone": "",
            "problem_type": "speeding", "description": "Cars race down Elm Street after school.",
            "place": "", "latitude": "", "longitude": "", "website": "", **overrides}


def send(client, url=REPORT, **overrides):
    token = csrf_token(client, url)
    photo = overrides.pop("photo", None)
    data = {"csrf_token": token, **fields(**overrides)}
    if photo is not None:
        data["photo"] = (io.BytesIO(photo), "photo.jpg")
    return client.post(url, data=data, content_type="multipart/form-data")


def jpeg_with_gps(size=(900, 600)):
    image = Image.new("RGB", size, "green")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (53.0, 48.0, 1.8), 3: "W", 4: (1.0, 32.0, 54.6)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_pin_dropped_on_the_map_becomes_a_message_in_the_teams_inbox_with_its_place(client, team, clock):
    response = send(client, **PIN)
    assert response.status_code == 302 and response.location.endswith("/report-a-problem/sent")
    page = client.get(response.location).get_data(as_text=True)
    message = db.session.scalar(select(Message))
    report = db.session.scalar(select(LocalReport))
    assert message.team_id == team.id and message.received_at == clock.now and message.kind == "message"
    assert (report.latitude, report.longitude, report.problem_type) == (53.8005, -1.5485, "speeding")
    assert report.message_id == message.id and report.place_text is None
    assert message.reference in page and team.name in page
    assert "We will reply by Thursday 19 November at 10:00 AM" in page  # the same 24-hour clock
    assert "/your-message/" in page


def test_without_javascript_a_typed_postcode_places_the_report(client, team):
    assert send(client, place="ls1 1az").status_code == 302
    report = db.session.scalar(select(LocalReport))
    assert (report.latitude, report.longitude, report.place_text, report.place_found) == \
        (53.8, -1.545, "ls1 1az", "LS1 1AZ")


def test_the_report_has_its_own_private_page_the_reporter_comes_back_to(client, team):
    response = send(client, photo=jpeg_with_gps(), **PIN)
    page = client.get(response.location).get_data(as_text=True)
    private = re.search(r'id="private-link" href="([^"]+)"', page).group(1)
    mine = client.get(private)
    body = mine.get_data(as_text=True)
    assert mine.status_code == 200 and "Your report" in body and "Speeding" in body and "53.80050" in body
    assert "Cars race down Elm Street" in body
    photo = client.get(private + "/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg" and "no-store" in photo.headers["Cache-Control"]
    assert client.get("/your-message/not-a-real-token/photo").status_code == 404


def test_the_photo_is_re_encoded_without_its_location(app, client, team):
    assert send(client, photo=jpeg_with_gps(), **PIN).status_code == 302
    report = db.session.scalar(select(LocalReport))
    from pathlib import Path

    stored = (Path(app.config["UPLOAD_FOLDER"]) / "reports" / report.photo_path).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (900, 600)  # whole, not cropped
    assert not image.getexif() and not image.getexif().get_ifd(0x8825)
    assert b"SecretCam" not in stored


@pytest.mark.parametrize("overrides, error", [
    ({}, "Drop a pin on the map where the problem is, or type a street, place or postcode"),
    ({"place": "EH1 1YZ"}, "That place is in Scotland"),
    ({"latitude": "55.95", "longitude": "-3.19"}, "That point is outside England and Wales"),
    ({"latitude": "40.4", "longitude": "-3.7"}, "That point is outside England and Wales"),
    ({"latitude": "nan", "longitude": "nan"}, "That point is outside England and Wales"),
    ({"place": "ls9 9zz"}, "We cannot find the postcode LS9 9ZZ"),
    ({"place": "Elm Street"}, "This site cannot look up street names"),
])
def test_a_place_we_cannot_use_gets_a_clear_message_and_nothing_typed_is_lost(client, team, overrides, error):
    response = send(client, **overrides)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and error in page
    assert 'href="#place"' in page  # the error summary leads to the place box
    assert "Cars race down Elm Street after school." in page and 'value="alex@example.org"' in page
    assert db.session.scalar(select(Message)) is None


def test_a_point_in_england_outside_every_team_is_told_so(client, team):
    response = send(client, latitude="51.5", longitude="-0.12")  # London: no boundary loaded
    assert response.status_code == 400 and "We do not have a police team for that place" in response.get_data(
        as_text=True)


def test_a_street_is_found_by_the_geocoder_when_one_is_configured(app, client, team, monkeypatch):
    from app.geocoding import Place
    from app.reports import views

    app.config["GEOCODER_URL"] = "https://nominatim.example"
    monkeypatch.setattr(views, "geocode_place", lambda geocoder, text: Place(53.801, -1.549, "Elm Street, Leeds"))
    try:
        assert send(client, place="Elm Street").status_code == 302
    finally:
        app.config["GEOCODER_URL"] = ""
    report = db.session.scalar(select(LocalReport))
    assert (report.place_text, report.place_found) == ("Elm Street", "Elm Street, Leeds")


def test_missing_fields_are_each_named(client, team):
    response = send(client, name="", problem_type="", description="", contact_by="", email="", **PIN)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for text_ in ("Enter your name", "Select what the problem is", "Describe the problem",
                  "Select how we should reply"):
        assert text_ in page
    assert 'value="53.800500"' in page  # the pin is kept for the next try


def test_an_oversized_photo_is_refused_beside_the_field_with_everything_kept(client, team):
    big = b"\xff\xd8" + b"0" * (8 * 1024 * 1024 + 10)
    response = send(client, photo=big, **PIN)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "The photo must be smaller than 8 MB" in page
    assert "Cars race down Elm Street after school." in page
    assert db.session.scalar(select(Message)) is None


def test_a_file_that_is_not_a_photo_is_refused(client, team):
    response = send(client, photo=b"<script>alert(1)</script>", **PIN)
    assert response.status_code == 400 and "not a photo we can read" in response.get_data(as_text=True)


def test_a_good_photo_is_kept_when_another_field_has_an_error(client, team):
    response = send(client, photo=jpeg_with_gps(), description="", **PIN)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "We have your photo" in page
    kept = re.search(r'name="photo_kept" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    assert send(client, photo_kept=kept, **PIN).status_code == 302
    assert db.session.scalar(select(LocalReport)).photo_path == f"{kept}.jpg"


def test_photos_of_forms_never_finished_are_removed_a_day_later_and_reports_keep_theirs(app, client, team):
    from app import report_photos

    def kept_photo():
        page = send(client, photo=jpeg_with_gps(), description="", **PIN).get_data(as_text=True)
        return re.search(r'name="photo_kept" type="hidden" value="([0-9a-f]{32})"', page).group(1) + ".jpg"

    claimed, abandoned, recent = kept_photo(), kept_photo(), kept_photo()
    assert send(client, photo_kept=claimed.removesuffix(".jpg"), **PIN).status_code == 302
    with app.test_request_context():
        folder = report_photos.folder()
    two_days_ago = (datetime.now() - timedelta(days=2)).timestamp()
    for name in (claimed, abandoned):
        os.utime(folder / name, (two_days_ago, two_days_ago))
    output = app.test_cli_runner().invoke(args=["inbox", "anonymise"]).output
    assert "1 unclaimed report photo(s) removed" in output
    assert (folder / claimed).is_file() and (folder / recent).is_file() and not (folder / abandoned).exists()


def test_a_bot_filling_the_hidden_field_is_thanked_and_nothing_is_stored(client, team):
    response = send(client, website="http://spam.example", **PIN)
    assert response.status_code == 302
    assert "Thank you" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(Message)) is None


def test_a_post_without_the_csrf_token_is_refused(client, team):
    response = client.post(REPORT, data=fields(**PIN))
    assert response.status_code == 400 and db.session.scalar(select(Message)) is None


def test_the_form_is_rate_limited_per_address(app, team):
    from app import create_app
    from app.extensions import limiter
    from config import TestConfig

    class Limited(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        UPLOAD_FOLDER = app.config["UPLOAD_FOLDER"]
        RATELIMIT_ENABLED = True
        CONTACT_RATE_LIMIT = "2 per minute"

    limited = create_app(Limited)
    try:
        client = limited.test_client()
        statuses = [send(client, **PIN).status_code for _ in range(3)]
    finally:
        limiter.reset()
        limiter.enabled = False
    assert statuses == [302, 302, 429]


def test_the_team_page_and_every_page_lead_to_the_report_form(client, team):
    page = client.get("/teams/west-yorkshire/E02002330").get_data(as_text=True)
    assert REPORT in page
    assert 'href="/report-a-problem"' in client.get("/privacy").get_data(as_text=True)
    site_wide = client.get("/report-a-problem")
    assert site_wide.status_code == 200 and "Report a problem in your area" in site_wide.get_data(as_text=True)


def test_the_point_not_the_page_decides_the_team(client, team):
    make_area(neighbourhood_id="E02002331", name="Leeds 112",
              geometry={"type": "Polygon", "coordinates": [[[-1.53, 53.79], [-1.50, 53.79], [-1.50, 53.81],
                                                            [-1.53, 53.81], [-1.53, 53.79]]]})
    assert send(client, latitude="53.8", longitude="-1.51").status_code == 302  # sent from the first team's page
    message = db.session.scalar(select(Message))
    assert message.team.neighbourhood_id == "E02002331"


# Staff

def test_the_officer_sees_the_location_on_the_message_and_the_report_on_the_team_map(client, team):
    officer = make_user("pc@example.org", teams=[team])
    send(client, photo=jpeg_with_gps(), **PIN)
    message = db.session.scalar(select(Message))
    report = db.session.scalar(select(LocalReport))
    staff = client.application.test_client()
    sign_in(staff, officer)
    thread = staff.get(f"/staff/inbox/teams/{team.id}/messages/{message.id}").get_data(as_text=True)
    assert "Pin dropped on the map" in thread and "53.80050, -1.54850" in thread and "Speeding" in thread
    reports = staff.get(f"/staff/teams/{team.id}/reports")
    body = reports.get_data(as_text=True)
    assert reports.status_code == 200 and message.reference in body and f'id="report-{report.id}"' in body
    assert "&#34;lat&#34;: 53.8005" in body  # the point, for the staff map
    assert staff.get(f"/staff/teams/{team.id}/reports/{report.id}/photo").status_code == 200


def test_staff_of_another_team_or_force_cannot_see_the_reports_or_photos(client, team):
    other = make_area(force_id="north-yorkshire", force_name="North Yorkshire", neighbourhood_id="E02005000",
                      name="York 001")
    stranger = make_user("other@example.org", teams=[other])
    admin_elsewhere = make_user("admin@ny.example", role="admin", force_id="north-yorkshire")
    send(client, photo=jpeg_with_gps(), **PIN)
    report = db.session.scalar(select(LocalReport))
    for user in (stranger, admin_elsewhere):
        staff = client.application.test_client()
        sign_in(staff, user)
        assert staff.get(f"/staff/teams/{team.id}/reports").status_code == 403
        assert staff.get(f"/staff/teams/{team.id}/reports/{report.id}/photo").status_code == 403
    _forget_request_state()
    anonymous = client.application.test_client()
    assert anonymous.get(f"/staff/teams/{team.id}/reports").status_code == 302  # to sign in


def test_removing_a_photo_deletes_it_and_is_in_the_audit_log(client, team):
    sergeant = make_user("sarge@example.org", role="sergeant", teams=[team])
    send(client, photo=jpeg_with_gps(), **PIN)
    report = db.session.scalar(select(LocalReport))
    staff = client.application.test_client()
    sign_in(staff, sergeant)
    token = csrf_token(staff, f"/staff/teams/{team.id}/reports")
    response = staff.post(f"/staff/teams/{team.id}/reports/{report.id}/remove-photo", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.photo_path is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "report photo removed"))
    assert entry.user_id == sergeant.id and entry.team_id == team.id


def test_staff_see_counts_by_type_and_month(client, team, clock):
    officer = make_user("pc@example.org", teams=[team])
    for kind in ("noise", "noise", "litter"):
        send(client, problem_type=kind, **PIN)
    staff = client.application.test_client()
    sign_in(staff, officer)
    body = staff.get(f"/staff/teams/{team.id}/reports").get_data(as_text=True)
    row = re.search(r"<th scope=\"row\" class=\"govuk-table__header\">November 2026</th>(.*?)</tr>", body, re.S).group(1)
    assert re.findall(r">(\d+)<", row) == ["0", "0", "0", "2", "1", "0", "0", "0", "3"]


# Public

def add_reports(team, n, kind="speeding", at=datetime(2026, 8, 10, 12), lat=53.8005, lon=-1.5485):
    for i in range(n):
        message = Message(reference=f"NPT-T{kind[:3].upper()}{i:04d}", team_id=team.id, name="R", contact_by="phone",
                          phone="0113 496 0000", subject="s", body=f"secret words {kind} {i}", received_at=at)
        db.session.add(message)
        db.session.flush()
        db.session.add(LocalReport(message_id=message.id, team_id=team.id, problem_type=kind, latitude=lat,
                                   longitude=lon, reported_at=at))
    db.session.commit()


def test_the_public_sees_only_counts_at_or_above_the_threshold_for_an_ended_quarter(client, team, clock):
    add_reports(team, THRESHOLD, "speeding")
    add_reports(team, THRESHOLD - 1, "noise")
    add_reports(team, THRESHOLD, "litter", at=clock.now - timedelta(days=1))  # this quarter: not yet
    page = client.get(CRIME).get_data(as_text=True)
    section = page[page.index('id="reported-problems"'):]
    assert f"Speeding: {THRESHOLD}" in section
    assert "Noise" not in section and "Litter:" not in section
    assert "secret words" not in page and "53.8005" not in page and "-1.5485" not in page
    assert "July 2026 to September 2026" in section


def test_the_public_sees_nothing_when_no_type_reaches_the_threshold(client, team, clock):
    add_reports(team, THRESHOLD - 1, "speeding")
    page = client.get(CRIME).get_data(as_text=True)
    assert 'id="reported-none"' in page and "Speeding:" not in page


def test_the_api_gives_the_same_counts_and_never_points_or_text(client, team, clock):
    add_reports(team, THRESHOLD + 1, "parking")
    add_reports(team, 2, "noise")
    answer = client.get("/api/west-yorkshire/E02002330/reported-problems").get_json()
    assert answer["quarter"] == "2026-Q3" and answer["threshold"] == THRESHOLD
    assert answer["totals"] == {"parking": THRESHOLD + 1}
    [cell] = answer["cells"]
    assert cell["counts"] == {"parking": THRESHOLD + 1} and cell["total"] == THRESHOLD + 1
    assert cell["south"] <= 53.8005 < cell["north"] and "latitude" not in cell
    assert "secret" not in str(answer)
    assert client.get("/api/west-yorkshire/E02002330/reported-problems?quarter=2026-Q4").status_code == 400
    assert client.get("/api/west-yorkshire/E02002330/reported-problems?quarter=nonsense").status_code == 400
    spec = client.get("/api/openapi.json").get_json()
    assert "/{force}/{neighbourhood}/reported-problems" in spec["paths"]


def test_top_reported_types_for_a_team_over_a_period(team):
    add_reports(team, 3, "noise")
    add_reports(team, 5, "litter")
    add_reports(team, 1, "parking", at=datetime(2025, 1, 1))
    assert top_reported_types(team.id, datetime(2026, 7, 1), datetime(2026, 10, 1)) == [
        ("litter", "Litter", 5), ("noise", "Noise", 3)]


# Migration

@pytest.fixture
def fresh_database_url(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"portal_migration_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_0018_upgrades_and_downgrades(fresh_database_url):
    from app import create_app
    from app.extensions import migrate
    from config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = fresh_database_url

    app = create_app(Config)
    engine = create_engine(fresh_database_url)
    try:
        with app.app_context():
            upgrade()
            assert "local_reports" in inspect(engine).get_table_names()
            before = ScriptDirectory.from_config(migrate.get_config()).get_revision("0018_local_reports").down_revision
            downgrade(revision=before)
            assert "local_reports" not in inspect(engine).get_table_names()
            upgrade()
            assert "local_reports" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_anonymising_the_message_keeps_only_the_type_time_and_square_of_the_report(app, client, team, clock):
    from pathlib import Path

    from app.domain.local_reports import cell_of
    from app.services import retention

    send(client, photo=jpeg_with_gps(), place="LS1 1AZ")
    report = db.session.scalar(select(LocalReport))
    photo = Path(app.config["UPLOAD_FOLDER"]) / "reports" / report.photo_path
    square = cell_of(report.latitude, report.longitude)
    assert retention.export(report.message)["report"]["place_typed"] == "LS1 1AZ"
    retention.anonymise(db.session, report.message_id, clock.now)
    db.session.commit()
    report = db.session.scalar(select(LocalReport))
    assert report.place_text is None and report.place_found is None and report.photo_path is None
    assert not photo.exists()
    assert cell_of(report.latitude, report.longitude) == square and report.problem_type == "speeding"
