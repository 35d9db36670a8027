"""A form sent after the session ended (the CSRF token no longer matches) loses nothing: the
page says what happened and shows what was typed, to send again or to copy."""
import html
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Priority
from tests.factories import make_area
from tests.web.publishing_support import add_staff, csrf_token, sign_in

LONG_TEXT = "Drivers speed past the school at 8:30 every morning.\nWe will run speed checks & talk to parents."


@pytest.fixture
def team(app_context):
    return make_area()


def test_a_signed_in_officers_form_with_a_stale_token_comes_back_with_the_text_to_send_again(client, team):
    sign_in(client, add_staff(team))
    url = f"/staff/teams/{team.id}/priorities/new"
    response = client.post(url, data={"csrf_token": "from-a-session-that-ended", "title": "Speeding by the school",
                                      "description": LONG_TEXT})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your form was not sent: your session ended" in page
    assert html.escape(LONG_TEXT, quote=False) in page and 'value="Speeding by the school"' in page
    assert f'action="{url}"' in page and "Send again" in page
    assert db.session.scalar(select(func.count()).select_from(Priority)) == 0  # nothing saved behind its back
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert fresh == csrf_token(client, url)  # the new token is this session's: sending again works


def test_a_signed_out_officer_is_told_to_copy_the_text_and_sign_in_again(client, team):
    response = client.post(f"/staff/teams/{team.id}/priorities/new",
                           data={"description": LONG_TEXT, "password": "never shown"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.escape(LONG_TEXT, quote=False) in page
    assert "never shown" not in page
    assert "Sign in again" in page and "Send again" not in page
