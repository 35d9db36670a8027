"""Welsh, Polish and Urdu: the switch keeps you on the page, the choice is remembered,
`lang`/`dir` are right, dates, roles and meeting types read in the chosen language."""
import re
from datetime import date, datetime

import pytest
from flask_babel import refresh

from app.extensions import db
from app.models import Meeting
from tests.factories import add_officer, make_area
from tests.inbox_support import clock, csrf_token, make_user, message_fields  # noqa: F401
from tests.web.publishing_support import add_staff, sign_in


@pytest.fixture
def team(app_context):
    return make_area()


def get(client, url, **kwargs):
    # The fixtures' app context outlives requests, and Flask-Babel caches the locale in it.
    refresh()
    return client.get(url, **kwargs)


def team_url(team):
    return f"/teams/{team.neighbourhood.force_id}/{team.neighbourhood_id}"


def html_tag(page):
    return re.search(r"<html[^>]*>", page).group(0)


def test_the_language_switch_keeps_the_page_and_its_query(client, team):
    page = get(client, team_url(team) + "?postcode=LS1+1AZ").get_data(as_text=True)
    links = re.findall(r'<a href="([^"]+)" lang="(\w+)"[^>]*class="portal-header__lang"', page)
    assert {lang for _, lang in links} == {"cy", "pl", "ur"}
    welsh = dict((lang, href) for href, lang in links)["cy"]
    assert welsh.startswith(team_url(team) + "?") and "postcode=LS1+1AZ" in welsh and "lang=cy" in welsh
    response = get(client, welsh.replace("&amp;", "&"))
    body = response.get_data(as_text=True)
    assert "Dyma'r tîm ar gyfer LS1 1AZ." in body.replace("&#39;", "'")
    assert 'lang="cy"' in html_tag(body) and 'dir="ltr"' in html_tag(body)


def test_the_choice_is_remembered_by_a_cookie(client, team):
    response = get(client, "/?lang=cy")
    assert "lang=cy" in response.headers["Set-Cookie"]
    later = get(client, team_url(team)).get_data(as_text=True)
    assert 'lang="cy"' in html_tag(later) and "Eich tîm" in later


def test_the_browser_language_is_used_when_nothing_was_chosen(client, team):
    page = get(client, "/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert 'lang="pl"' in html_tag(page) and "Znajdź swój zespół policji dzielnicowej" in page


def test_urdu_pages_are_right_to_left(client, team):
    page = get(client, team_url(team) + "?lang=ur").get_data(as_text=True)
    assert 'lang="ur"' in html_tag(page) and 'dir="rtl"' in html_tag(page)
    assert "آپ کی ٹیم" in page
    # each language's own name is marked up in its own language and direction
    assert re.search(r'lang="en" hreflang="en" dir="ltr"', page)


def test_dates_roles_and_meeting_types_are_in_welsh(client, team):
    add_officer(team, name="Priya Sample", role="Police Constable", started_on=date(2021, 12, 6))
    db.session.add(Meeting(team_id=team.id, kind="street_briefing", title="Briffio", venue="Y Parc",
                           purpose="Sgwrs", starts_at=datetime(2099, 12, 3, 18, 0)))
    db.session.commit()
    page = get(client, team_url(team) + "?lang=cy").get_data(as_text=True)
    assert "Rhagfyr 2021" in page and "Cwnstabl yr Heddlu" in page
    meeting = get(client, f"{team_url(team)}/meetings/{db.session.scalar(db.select(Meeting.id))}?lang=cy")
    body = meeting.get_data(as_text=True)
    assert "Rhagfyr 2099" in body and "Sesiwn friffio ar y stryd" in body and "Dydd Iau" in body


def test_error_pages_are_translated(client):
    page = get(client, "/no-such-page?lang=cy").get_data(as_text=True)
    assert "Heb ddod o hyd i'r dudalen" in page.replace("&#39;", "'")


def test_the_staff_area_is_in_english_and_says_so(client, team):
    user = add_staff(team, role="sergeant")
    sign_in(client, user)
    get(client, "/?lang=cy")
    page = get(client, "/staff/").get_data(as_text=True)
    assert 'lang="en"' in html_tag(page)
    assert "The staff area is in English only." in page and '<span lang="cy">' in page


def test_the_easy_read_page_is_linked_from_the_team_page_and_in_welsh(client, team):
    assert f'href="{team_url(team)}/easy-read"' in get(client, team_url(team)).get_data(as_text=True)
    page = get(client, team_url(team) + "/easy-read?lang=cy").get_data(as_text=True)
    assert "Swyddog Cymorth Cymunedol yr Heddlu" in page and "o fewn 24 awr" in page
    assert "govuk-exit-this-page" in page


@pytest.mark.parametrize("path", ["/alerts/subscribe", "/teams/west-yorkshire/E02002330/contact",
                                  "/teams/west-yorkshire/E02002330/feedback"])
def test_quick_exit_is_a_plain_link_to_a_neutral_site(client, app, team, path):
    page = get(client, path).get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)"[^>]*govuk-exit-this-page__button', page)
    assert link and link.group(1) == app.config["QUICK_EXIT_URL"] == "https://www.bbc.co.uk/weather"
    assert "Leave this site quickly" in page
    # First in the content: the first link after the skip target, before the form.
    main = page.split('id="main-content"', 1)[1]
    assert main.index("govuk-exit-this-page") < main.index("<h1")


def test_the_contact_form_its_errors_and_the_receipt_are_in_welsh_and_the_sergeant_reads_english(client, team, clock):
    from sqlalchemy import select

    from app.models import OutboxEmail

    make_user("sarge@example.org", role="sergeant", teams=[team])
    url = team_url(team) + "/feedback?lang=cy"
    page = get(client, url).get_data(as_text=True)
    assert "Yn anhapus â" in page and "n gwasanaeth?" in page and "Sut gwnaethom eich trin" in page
    refresh()
    token = csrf_token(client, url)
    refresh()
    errors = client.post(url, data={"csrf_token": token, "contact_by": "email"}).get_data(as_text=True)
    assert "Rhowch eich enw" in errors and "Rhowch eich cyfeiriad e-bost, neu dewiswch gael galwad ffôn" in errors
    fields = {k: v for k, v in message_fields().items() if k not in ("subject", "urgent")}
    refresh()
    sent = client.post(url, data={"csrf_token": token, **fields, "themes": ["attitude"]})
    assert sent.status_code == 302
    refresh()
    thanks = client.get(sent.location).get_data(as_text=True)
    assert "Byddwn yn ateb erbyn Dydd Iau 19 Tachwedd am 10:00" in thanks
    emails = {e.kind: e for e in db.session.scalars(select(OutboxEmail))}
    assert "Derbynneb awtomatig yw hon, nid ateb." in emails["feedback_receipt"].body_text
    assert emails["feedback_routed"].subject.startswith("Feedback about ")
    assert "A resident is unhappy" in emails["feedback_routed"].body_text

