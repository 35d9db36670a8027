"""Officers' rich text reaches the public pages escaped once and with its links."""
from datetime import date

from app.extensions import db
from app.models import Priority
from tests.factories import make_area


def test_an_ampersand_in_a_priority_is_shown_as_typed(client, app_context):
    team = make_area()
    db.session.add(Priority(team_id=team.id, title="Chip shop", agreed_on=date(2026, 10, 1),
                            description="Fish & chips queue blocks the road; see www.example.org/map"))
    db.session.commit()
    page = client.get(f"/teams/west-yorkshire/{team.neighbourhood_id}").get_data(as_text=True)
    assert "Fish &amp; chips queue" in page and "&amp;amp;" not in page
    assert '<a href="http://www.example.org/map" rel="nofollow noopener">www.example.org/map</a>' in page
