"""A force's administrator acts for that force's teams only. Every staff URL rule with an
id in it is walked, generated from the app's URL map (a route added later is walked too),
with another force's ids: each answers 403 or 404 and nothing in the database changes."""
import json
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.services import inbox as service
from app.models import LocalReport, Meeting, Membership, Priority, Update
from tests.factories import add_station, make_area
from tests.inbox_support import csrf_token, make_user, sign_in

OTHER_FORCE = "north-yorkshire"
SQUARE_B = {"type": "Polygon", "coordinates": [[[-1.10, 53.95], [-1.05, 53.95], [-1.05, 53.97], [-1.10, 53.97],
                                               [-1.10, 53.95]]]}
# Tables whose rows a request may add without acting on anything: sign-in bookkeeping.
BOOKKEEPING = {"login_attempts", "staff_sessions"}


@pytest.fixture
def two_forces(app_context):
    mine = make_area()
    theirs = make_area(force_id=OTHER_FORCE, force_name="North Yorkshire", neighbourhood_id="E02002700",
                       name="York 1", local_authority="York", geometry=SQUARE_B)
    add_station(theirs)
    their_officer = make_user("pc.york@example.org", teams=[theirs], force_id=OTHER_FORCE)
    admin = make_user("admin.wy@example.org", role="admin", force_id="west-yorkshire")
    fields = dict(name="Resident", email="resident@example.org", phone=None, contact_by="email",
                  subject="Noise", body="Every night")
    message = service.receive(db.session, theirs, datetime(2026, 11, 18, 9), **fields)
    meeting = Meeting(team=theirs, kind="pact", title="York PACT", starts_at=datetime(2026, 12, 1, 18),
                      venue="Hall", purpose="Priorities")
    priority = Priority(team=theirs, title="Speeding", description="On the A64", agreed_on=date(2026, 10, 1))
    update = Update(team=theirs, published_on=date(2026, 11, 1), you_said="Litter", we_did="Cleared")
    report = LocalReport(message_id=message.id, team_id=theirs.id, problem_type="noise", latitude=54.0,
                         longitude=-1.0, photo_path="0123456789abcdef0123456789abcdef.jpg",
                         reported_at=datetime(2026, 11, 18, 9))
    db.session.add_all([meeting, priority, update, report])
    db.session.commit()
    membership = db.session.scalar(select(Membership).where(Membership.officer_id == their_officer.officer_id))
    ids = {"team_id": theirs.id, "message_id": message.id, "meeting_id": meeting.id, "priority_id": priority.id,
           "update_id": update.id, "membership_id": membership.id, "user_id": their_officer.id,
           "report_id": report.id}
    return mine, admin, ids


def staff_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff/") and rule.arguments:
            yield rule


def url_for_rule(rule, ids):
    values = {"measure": "meetings", "month_key": "2026-10", "action": "close", "token": "not-a-reset-token", "stage": "offer"}
    url = rule.rule
    for name in rule.arguments:
        value = ids.get(name, values.get(name))
        assert value is not None, f"the walk does not know what to put in <{name}> of {rule.rule}"
        url = re.sub(r"<(?:[^:<>]+:)?%s>" % name, str(value), url)
    url = re.sub(r"<any\([^)]*\):action>", "close", url)
    return url


def snapshot():
    rows = {}
    for table in db.metadata.sorted_tables:
        if table.name in BOOKKEEPING:
            continue
        rows[table.name] = sorted(json.dumps([str(v) for v in row], sort_keys=True)
                                  for row in db.session.execute(table.select()))
    return rows


def test_every_staff_route_refuses_another_forces_ids_to_a_force_administrator(app, two_forces):
    mine, admin, ids = two_forces
    client = app.test_client()
    sign_in(client, admin)
    assert client.get(f"/staff/inbox/teams/{mine.id}").status_code == 200  # their own force: allowed
    token = csrf_token(client, "/staff/")
    form = {"csrf_token": token, "email": "attacker@evil.example", "telephone": "0100", "body": "Hello",
            "note": "n", "channel": "email", "owner": str(admin.id), "name": "X", "title": "X",
            "description": "X", "address": "X", "postcode": "LS1 1AZ", "role": "PCSO", "team_code": "E02002700",
            "subject": "S", "text": "Because", "reason": "R", "active": "y"}
    db.session.expire_all()
    before = snapshot()
    walked = []
    for rule in staff_rules(app):
        url = url_for_rule(rule, ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data=form if method == "POST" else None)
            walked.append((method, url))
            assert response.status_code in (403, 404), (method, url, response.status_code)
    db.session.expire_all()
    assert snapshot() == before
    assert len(walked) >= 30, walked  # every team, message, meeting, priority, update, member and user route


def test_the_walk_covers_every_staff_route_with_an_id(app):
    arguments = {name for rule in staff_rules(app) for name in rule.arguments}
    assert {"team_id", "message_id", "meeting_id", "priority_id", "update_id", "membership_id",
            "user_id"} <= arguments
