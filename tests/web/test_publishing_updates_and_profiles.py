"""“You said – We did” posts, officers' own profiles and photos, and what sergeants manage."""
import io
from datetime import date, timedelta

import pytest
from PIL import Image

from app.clock_source import today_in_london as local_today
from app.extensions import db
from app.models import AuditEntry, Membership, Officer, Update
from tests.factories import make_area
from tests.web.publishing_support import add_staff, date_parts, post_form, sign_in


@pytest.fixture
def team(app_context):
    return make_area()


@pytest.fixture
def officer(client, team):
    user = add_staff(team)
    sign_in(client, user)
    return user


@pytest.fixture
def sergeant(client, team):
    user = add_staff(team, role="sergeant", name="Sgt Example", officer_role="Sergeant")
    sign_in(client, user)
    return user


def update_form(**overrides):
    return {"published_on": date_parts(local_today()), "raised_at": "meeting", "you_said": "Parking on pavements",
            "we_did": "Tickets issued with the council", "priority_id": "0", "message_id": "", **overrides}


def test_a_you_said_we_did_post_is_on_the_team_page_and_its_monthly_list(client, team, officer):
    assert post_form(client, f"/staff/teams/{team.id}/updates/new", update_form()).status_code == 302
    base = f"/teams/west-yorkshire/{team.neighbourhood_id}"
    assert "Tickets issued with the council" in client.get(base).get_data(as_text=True)
    monthly = client.get(f"{base}/you-said-we-did?month={local_today():%Y-%m}").get_data(as_text=True)
    assert "Parking on pavements" in monthly and "raised at a public meeting" in monthly
    earlier = client.get(f"{base}/you-said-we-did?month=2001-01").get_data(as_text=True)
    assert "Parking on pavements" not in earlier and "Nothing was published this month" in earlier


def test_a_message_is_linked_only_with_the_residents_consent_and_shows_no_details(client, team, officer):
    refused = post_form(client, f"/staff/teams/{team.id}/updates/new", update_form(message_id="42"))
    assert refused.status_code == 400 and "Only link a message when the resident has agreed" in refused.get_data(as_text=True)
    post_form(client, f"/staff/teams/{team.id}/updates/new", update_form(message_id="42", resident_consent="y"))
    update = db.session.scalar(db.select(Update))
    assert update.message_id == 42 and update.resident_consent
    page = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}").get_data(as_text=True)
    assert "answers a message a resident sent" in page and "42" not in page.split("You said")[-1].split("</section>")[0]


@pytest.mark.parametrize("overrides,message", [
    ({"you_said": ""}, "Enter what residents raised"),
    ({"we_did": ""}, "Enter what the team did"),
    ({"raised_at": "pub"}, "Not a valid choice"),
    ({"published_on": date_parts(date.today() + timedelta(days=9))}, "must be today or in the past"),
])
def test_bad_you_said_we_did_input_is_refused(client, team, officer, overrides, message):
    response = post_form(client, f"/staff/teams/{team.id}/updates/new", update_form(**overrides))
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def image_upload(fmt="JPEG"):
    out = io.BytesIO()
    image = Image.new("RGB", (900, 600), "blue")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    image.save(out, fmt, exif=exif) if fmt == "JPEG" else image.save(out, fmt)
    out.seek(0)
    return out


def test_an_officers_photo_is_re_encoded_and_shown_only_after_consent(client, team, officer, app):
    response = post_form(client, "/staff/profile", {"pen_picture": "I run the Tuesday surgery.",
                                                    "photo": (image_upload(), "me.jpg")},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    saved = db.session.get(Officer, officer.officer_id)
    assert saved.photo_path.endswith(".jpg") and saved.photo_path != "me.jpg"
    page = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}").get_data(as_text=True)
    assert "I run the Tuesday surgery." in page and saved.photo_path not in page
    post_form(client, "/staff/profile", {"pen_picture": "I run the Tuesday surgery.", "photo_consent": "y"})
    page = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}").get_data(as_text=True)
    assert saved.photo_path in page
    photo = client.get(f"/teams/photos/{saved.photo_path}")
    assert photo.status_code == 200 and b"SecretCam" not in photo.data
    assert Image.open(io.BytesIO(photo.data)).size == (480, 480)


@pytest.mark.parametrize("upload,message", [
    ((io.BytesIO(b"<script>alert(1)</script>"), "me.jpg"), "not a photo we can read"),
    ((io.BytesIO(b"MZ..."), "tool.exe"), "must be a JPEG, PNG or WebP image"),
    ((io.BytesIO(b"\xff" * (4 * 1024 * 1024 + 10)), "big.jpg"), "smaller than 4 MB"),
])
def test_a_bad_photo_upload_is_refused(client, team, officer, upload, message):
    response = post_form(client, "/staff/profile", {"pen_picture": "", "photo": upload},
                         content_type="multipart/form-data")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.get(Officer, officer.officer_id).photo_path is None


def test_a_pen_picture_cannot_store_script(client, team, officer):
    post_form(client, "/staff/profile", {"pen_picture": "Hello<script>alert(1)</script><b onclick=x()>!</b>"})
    stored = db.session.get(Officer, officer.officer_id).pen_picture
    assert "script" not in stored and "onclick" not in stored and "alert" not in stored


def test_a_sergeant_adds_a_member_whose_tenure_is_shown(client, team, sergeant):
    started = local_today() - timedelta(days=800)
    response = post_form(client, f"/staff/teams/{team.id}/members",
                         {"name": "Kwame Placeholder", "role": "Police Constable", "collar_number": "1234",
                          "started_on": date_parts(started)})
    assert response.status_code == 302
    page = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}").get_data(as_text=True)
    assert "Kwame Placeholder" in page and "2 years" in page


def test_a_sergeant_ends_a_membership_and_the_officer_leaves_the_page(client, team, sergeant):
    membership = db.session.scalar(db.select(Membership).where(Membership.officer_id == sergeant.officer_id))
    response = post_form(client, f"/staff/teams/{team.id}/members/{membership.id}",
                         {"role": "Sergeant", "started_on": date_parts(membership.started_on),
                          "ended_on": date_parts(membership.started_on - timedelta(days=1))})
    assert response.status_code == 400 and "must be after the date they started" in response.get_data(as_text=True)


def test_a_sergeant_sets_contact_routes_and_the_base_station(client, team, sergeant):
    assert post_form(client, f"/staff/teams/{team.id}/contact",
                     {"email": "npt@police.example", "telephone": "101",
                      "social_links": "Facebook, https://facebook.com/example"}).status_code == 302
    assert post_form(client, f"/staff/teams/{team.id}/station",
                     {"name": "Weetwood Police Station", "address": "Otley Road", "postcode": "ls16 5aa",
                      "facilities": "Hearing loop", "open_monday": "9am to 5pm"}).status_code == 302
    page = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}").get_data(as_text=True)
    assert "npt@police.example" in page and "https://facebook.com/example" in page
    assert "Weetwood Police Station" in page and "LS16 5AA" in page and "9am to 5pm" in page


def test_a_social_link_must_be_https(client, team, sergeant):
    response = post_form(client, f"/staff/teams/{team.id}/contact",
                         {"social_links": "Evil, javascript:alert(1)"})
    assert response.status_code == 400 and "https://" in response.get_data(as_text=True)


def test_officers_cannot_manage_membership_or_read_the_audit_log(client, team, officer):
    for path in ("members", "contact", "station", "audit"):
        assert client.get(f"/staff/teams/{team.id}/{path}").status_code == 403


def test_a_sergeant_reads_who_changed_what(client, team, sergeant):
    post_form(client, f"/staff/teams/{team.id}/contact", {"telephone": "0113 000 0000"})
    assert db.session.scalar(db.select(AuditEntry)).user_id == sergeant.id
    page = client.get(f"/staff/teams/{team.id}/audit").get_data(as_text=True)
    assert "Sgt Example" in page and "contact updated" in page and "0113 000 0000" in page


def test_the_staff_home_links_to_each_teams_publishing_pages(client, team, officer):
    page = client.get("/staff/").get_data(as_text=True)
    assert f"/staff/teams/{team.id}/priorities/new" in page and f"/staff/teams/{team.id}/meetings/new" in page
