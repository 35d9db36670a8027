"""Every link in an error summary points at an element that exists and takes focus: for a
date, its Day box (the date's own id is the wrapper of its three boxes)."""
import re

import pytest

from tests.factories import make_area
from tests.web.publishing_support import add_staff, post_form, sign_in

FOCUSABLE = re.compile(r'<(input|select|textarea|button)\b[^>]*\bid="([^"]+)"')


@pytest.fixture
def team(app_context):
    return make_area()


@pytest.mark.parametrize("form,dates", [
    ("priorities/new", ["agreed_on"]),
    ("meetings/new", ["day"]),
    ("updates/new", ["published_on"]),
])
def test_error_summary_links_go_to_form_controls(client, team, form, dates):
    sign_in(client, add_staff(team, role="sergeant"))
    page = post_form(client, f"/staff/teams/{team.id}/{form}", {}).get_data(as_text=True)
    summary = page[page.index('govuk-error-summary'):page.index('</ul>', page.index('govuk-error-summary'))]
    targets = re.findall(r'href="#([^"]+)"', summary)
    controls = {match.group(2) for match in FOCUSABLE.finditer(page)}
    assert targets and all(target in controls for target in targets), (targets, controls)
    for field in dates:
        assert f"{field}-day" in targets
