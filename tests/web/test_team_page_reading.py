"""How the team page reads its content since the third round of issue 15 (plain rows for its
officers, statements built once, the reply record from a statement of its own, templates
reading the page's language): the page shows what the slower reads showed, and an edit
shows at once (nothing of a team's content is kept between requests)."""
from datetime import date, datetime, timedelta

from flask import render_template_string

from app.domain import pledge
from app.extensions import db
from app.models import Meeting, Membership, Officer
from app.queries import compliance
from app.queries import teams as team_queries
from tests.factories import add_officer, make_area
from tests.inbox_support import clock, make_user  # noqa: F401
from tests.web.test_reply_figures_stored import varied  # noqa: F401

TEAM_PAGE = "/teams/west-yorkshire/E02002330"


def test_one_teams_reply_record_is_the_pledge_pages_count(varied):  # noqa: F811
    teams, now = varied
    year = pledge.period(now.date())
    for team in teams:
        pledge_page = compliance.counts_by_month(db.session, year, team_ids=[team.id]).get(team.id, {})
        for first in range(len(year) - 2):
            months = year[first:first + 3]
            assert compliance.team_counts_by_month(db.session, team.id, months) == \
                {month: pledge_page[month] for month in months if month in pledge_page}
        assert compliance.team_counts_by_month(db.session, team.id, year) == pledge_page


def test_the_reply_record_refuses_months_that_are_not_consecutive(app_context):
    team = make_area()
    try:
        compliance.team_counts_by_month(db.session, team.id, [(2026, 1), (2026, 3)])
    except ValueError as error:
        assert "consecutive" in str(error)
    else:
        raise AssertionError("months with a gap were counted as if consecutive")


def test_the_page_lists_the_officers_the_team_lists_publicly(client, app_context, clock):  # noqa: F811
    team = make_area()
    add_officer(team, name="Pat Sergeant", role="Sergeant", started_on=date(2021, 5, 1))
    add_officer(team, name="Alex PCSO", role="PCSO", started_on=date(2019, 2, 1))
    add_officer(team, name="Ann PCSO", role="PCSO", started_on=date(2024, 7, 1), photo_path="ann.jpg",
                photo_consent=True)
    add_officer(team, name="Robin Withheld", role="PCSO", photo_path="robin.jpg", photo_consent=False)
    left = add_officer(team, name="Former Officer", role="Inspector")
    db.session.get(Membership, left.memberships[0].id).ended_on = date(2026, 1, 31)
    add_officer(team, name="Future Officer", role="Inspector", started_on=date(2027, 1, 1))
    switched_off = make_user("gone@example.org", teams=[team], name="Switched Off")
    switched_off.active = False
    make_user("kept@example.org", teams=[team], name="Kept On")
    db.session.commit()
    team_id = team.id
    db.session.expunge_all()

    listed = team_queries.public_members(team_id, date(2026, 11, 18))
    as_the_model_lists = team_queries.team("west-yorkshire", "E02002330").current_memberships
    assert [(m.officer.name, m.started_on) for m in listed] == \
        [(m.officer.name, m.started_on) for m in as_the_model_lists]
    assert [m.officer.name for m in listed] == ["Pat Sergeant", "Kept On", "Alex PCSO", "Ann PCSO", "Robin Withheld"]
    assert [m.officer.public_photo for m in listed][3:] == ["ann.jpg", None]

    page = client.get(TEAM_PAGE).get_data(as_text=True)
    for shown in ["Kept On", "Pat Sergeant", "Alex PCSO", "Ann PCSO", "Robin Withheld", "Photo of Ann PCSO"]:
        assert shown in page
    for hidden in ["Switched Off", "Former Officer", "Future Officer", "robin.jpg"]:
        assert hidden not in page
    assert page.index("Pat Sergeant") < page.index("Alex PCSO") < page.index("Ann PCSO")


def test_an_edit_shows_on_the_team_page_at_once(client, app_context, clock):  # noqa: F811
    team = make_area()
    officer = add_officer(team, name="Sam Example")
    client.get(TEAM_PAGE)
    db.session.get(Officer, officer.id).name = "Sam Renamed"
    db.session.add(Meeting(team=team, kind="pact", title="Street meeting", venue="Park gates", purpose="Parking",
                           starts_at=datetime(2026, 11, 25, 18, 30)))
    db.session.commit()
    page = client.get(TEAM_PAGE).get_data(as_text=True)
    assert "Sam Renamed" in page and "Sam Example" not in page
    assert "Street meeting" in page and "Wednesday 25 November 2026, 18:30" in page


def test_template_strings_are_translated_formatted_and_escaped_once(app):
    template = ('{{ _("Contact:") }}|{{ _("%(name)s", name=name) }}|{{ _("100%% of %(n)s", n=3) }}|'
                '{{ ngettext("%(num)d year", "%(num)d years", 2) }}|{{ day|format_date("d MMMM y") }}|'
                '{{ name|english }}')
    for language, expected in [
        ("en", "Contact:|&lt;b&gt;Tom &amp; Jo&lt;/b&gt;|100% of 3|2 years|1 March 2026|&lt;b&gt;Tom &amp; Jo&lt;/b&gt;"),
        ("cy", "Cysylltu:|&lt;b&gt;Tom &amp; Jo&lt;/b&gt;|100% of 3|2 flynedd|1 Mawrth 2026|"
               '<span lang="en" dir="auto">&lt;b&gt;Tom &amp; Jo&lt;/b&gt;</span>'),
    ]:
        with app.test_request_context(f"/?lang={language}"):
            assert render_template_string(template, name="<b>Tom & Jo</b>", day=date(2026, 3, 1)) == expected
