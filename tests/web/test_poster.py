"""The printable poster: an A4 PDF, a page in English and one in Welsh, from the team's own
data, with a QR code that decodes (with a real decoder) to the team page."""
import io
from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import Meeting, Priority
from tests.factories import add_officer, add_station, make_area
from tests.inbox_support import clock, make_user, sign_in  # noqa: F401

pypdf = pytest.importorskip("pypdf", reason="pypdf reads the poster back (pip install -e '.[test]')")

POSTER = "/staff/teams/{team_id}/poster.pdf"
TEAM_PAGE = "https://police.example/teams/west-yorkshire/E02002330"


@pytest.fixture
def team(app_context, clock, app):  # noqa: F811
    team = make_area()
    team.telephone, team.email = "101", "leeds111@police.example"
    add_station(team)
    add_officer(team, name="Sam Example", role="PCSO")
    add_officer(team, name="Gwyn Ŵyn", role="Police Constable")
    for days, title in ((3, "PACT meeting at the library"), (10, "Street briefing on Park Lane"),
                        (20, "Mobile police station"), (40, "A fourth meeting, too far ahead")):
        db.session.add(Meeting(team_id=team.id, kind="pact", title=title, venue="Central Library",
                               purpose="p", starts_at=clock.now + timedelta(days=days)))
    db.session.add(Meeting(team_id=team.id, kind="pact", title="Called off", venue="Hall", purpose="p",
                           starts_at=clock.now + timedelta(days=1), cancelled=True))
    db.session.add(Priority(team_id=team.id, title="Speeding on Otley Road", description="d",
                            agreed_on=date(2026, 10, 1)))
    db.session.commit()
    saved = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = "https://police.example/"
    yield team
    app.config["PUBLIC_BASE_URL"] = saved


def fetch_poster(client, team):
    client.environ_base["HTTP_HOST"] = "evil.example"  # a forged Host header must not reach the QR code
    sign_in(client, make_user("pc@example.org", teams=[team]))
    response = client.get(POSTER.format(team_id=team.id))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def test_the_poster_is_an_a4_pdf_in_english_and_welsh_with_the_team_and_its_next_three_meetings(client, team):
    reader = pypdf.PdfReader(io.BytesIO(fetch_poster(client, team)))
    assert len(reader.pages) == 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
    english, welsh = (" ".join(p.extract_text().split()) for p in reader.pages)
    for text in (english, welsh):
        assert "Leeds 111 Neighbourhood Policing Team" in text
        assert "PACT meeting at the library" in text and "Mobile police station" in text
        assert "A fourth meeting" not in text and "Called off" not in text
        assert "Speeding on Otley Road" in text and "Gwyn Ŵyn" in text
        assert TEAM_PAGE in text and "evil.example" not in text
    assert "Sam Example, PCSO" in english and "Your Neighbourhood Policing Team" in english
    assert "Saturday 21 November 2026, 10:00" in english
    assert "Dydd Sadwrn 21 Tachwedd 2026" in welsh and "Your Neighbourhood Policing Team" not in welsh


def test_the_posters_qr_code_decodes_to_the_team_page(client, team):
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 rasterises the page (pip install -e '.[test]')")
    cv2 = pytest.importorskip("cv2", reason="OpenCV decodes the QR code (opencv-python-headless)")
    import numpy

    document = pdfium.PdfDocument(fetch_poster(client, team))
    for index in range(len(document)):
        image = document[index].render(scale=200 / 72).to_pil().convert("L")  # 200 dpi, as a printer would
        decoded, points, _ = cv2.QRCodeDetector().detectAndDecode(numpy.array(image))
        assert decoded == TEAM_PAGE, f"page {index + 1}"


def test_the_poster_is_for_the_teams_staff_only(app, client, team):
    assert app.test_client().get(POSTER.format(team_id=team.id)).status_code == 302  # sign in first
    other = make_area(neighbourhood_id="E02002331", name="Leeds 112")
    sign_in(client, make_user("other@example.org", teams=[other]))
    assert client.get(POSTER.format(team_id=team.id)).status_code == 403


def test_the_staff_team_home_links_to_the_poster(client, team):
    sign_in(client, make_user("pc@example.org", teams=[team]))
    assert POSTER.format(team_id=team.id) in client.get(f"/staff/teams/{team.id}/").get_data(as_text=True)
