"""A hostile-input sweep: every route of the URL map, every method it has (and some it has
not), with integers out of range, NUL bytes, CR/LF, huge strings, path tricks, unknown
charsets and broken bodies, through the Flask test client, signed in as an administrator
so the staff routes are reached past their guards. Counts the answers; 5xx must be 0.

Run by tests/web/test_hostile_sweep.py (SQLite, or PostgreSQL with TEST_DATABASE_URL);
`python tests/hostile_sweep.py` prints the figures on its own throwaway SQLite database."""
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

HUGE_INT = "99999999999999999999999"
INTS = ["0", "2147483648", "9223372036854775808", HUGE_INT]
STRINGS = ["a\x00b", "a\r\nSet-Cookie: x=1", "x" * 5000, "../../etc/passwd", "%00", "%", "'; DROP TABLE users;--",
           "<script>alert(1)</script>", "\u202e\u0000\ufeff", "🙂" * 50, "\udcff" if False else "\u00ff" * 10]
QUERY_NAMES = ["month", "date", "category", "page", "sort", "next", "q", "postcode", "lat", "lng", "poly", "lang",
               "show", "kind", "z", "lon", "v"]
QUERY_VALUES = [f"{HUGE_INT}-1", "\x00", "\r\n", "x" * 3000, "-1", "9999-12", "nan", "1e309", "//evil.example",
                "/\t/evil.example", "javascript:alert(1)"]
FORM_FIELDS = ["name", "email", "subject", "body", "title", "description", "code", "password", "new_password",
               "confirm_password", "current_password", "team_code", "role", "postcode", "venue", "purpose",
               "you_said", "we_did", "pen_picture", "telephone", "social_links", "note", "owner", "channel",
               "contact_by", "urgent", "text", "poly", "date", "lat", "lng", "address", "opening_monday"]
SKIP_POST = {"staff.logout", "staff.logout_everywhere", "admin.sign_out", "admin.reset_two_factor",
             "static"}


@dataclass
class Sweep:
    statuses: Counter = field(default_factory=Counter)
    server_errors: list = field(default_factory=list)
    tried: int = 0

    def record(self, method, url, status, note=""):
        self.tried += 1
        self.statuses[status // 100 * 100] += 1
        if status >= 500:
            self.server_errors.append((method, url[:200], status, note))


def seed():
    """Two forces, teams, staff, a message, a meeting, a priority, an update; returns the ids."""
    from app.extensions import db
    from app.services import inbox as service
    from app.models import Meeting, Priority, Update
    from tests.factories import add_postcode, add_station, make_area
    from tests.inbox_support import make_user

    team = make_area()
    other = make_area(force_id="north-yorkshire", force_name="North Yorkshire", neighbourhood_id="E02002700",
                      name="York 1", local_authority="York")
    add_station(team)
    add_postcode("LS1 1AZ", team.neighbourhood_id)
    sergeant = make_user("sarge@example.org", role="sergeant", teams=[team])
    admin = make_user("admin@example.org", role="admin")
    message = service.receive(db.session, team, datetime(2026, 11, 18, 9), name="Alex", email="alex@example.org",
                              phone=None, contact_by="email", subject="Parking", body="Cars")
    meeting = Meeting(team=team, kind="pact", title="PACT", starts_at=datetime(2026, 12, 1, 18), venue="Hall",
                      purpose="Priorities")
    priority = Priority(team=team, title="Speeding", description="A64", agreed_on=date(2026, 10, 1))
    update = Update(team=team, published_on=date(2026, 11, 1), you_said="Litter", we_did="Cleared")
    db.session.add_all([meeting, priority, update])
    db.session.commit()
    return {"team_id": str(team.id), "message_id": str(message.id), "meeting_id": str(meeting.id),
            "priority_id": str(priority.id), "update_id": str(update.id), "user_id": str(sergeant.id),
            "membership_id": str(team.memberships[0].id), "force_id": "west-yorkshire",
            "neighbourhood_id": team.neighbourhood_id, "other_team": str(other.id), "admin": admin}


def _fill(rule, ids, override_name=None, override_value=None):
    plain = {"measure": "meetings", "month_key": "2026-10", "action": "close", "token": "x", "category": "all-crime",
             "text": "LS1 1AZ", "persistent_id": "x", "filename": "x.jpg", "x": "1", "y": "1", "z": "1"}
    url = rule.rule
    for name in rule.arguments:
        value = override_value if name == override_name else ids.get(name, plain.get(name, "1"))
        url = re.sub(r"<(?:[^<>]*:)?%s>" % re.escape(name), lambda _m, v=value: v, url)
    return url.replace("%", "%25") if override_name is None else url


def _quote(value):
    from urllib.parse import quote

    return quote(value, safe="")


def run(app, ids, client):
    """Fire the sweep; returns a Sweep with the counts and any 5xx."""
    from app.extensions import db
    from tests.inbox_support import csrf_token

    sweep = Sweep()
    token = csrf_token(client, "/staff/")

    def fire(method, url, **kwargs):
        try:
            response = client.open(url, method=method, **kwargs)
            status = response.status_code
            note = ""
        except Exception as error:  # noqa: BLE001  an exception is what a 500 would have been
            status, note = 599, f"{type(error).__name__}: {error}"[:300]
            db.session.rollback()
        sweep.record(method, url, status, note)

    rules = sorted((rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"), key=lambda r: r.rule)
    queries = [(name, value) for name in QUERY_NAMES for value in QUERY_VALUES]
    for number, rule in enumerate(rules):
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        base = _fill(rule, ids)
        # Each path argument in turn: integers out of range, or hostile strings.
        for name in rule.arguments:
            converter = rule._converters[name]
            values = INTS if type(converter).__name__ == "DatabaseIntConverter" else STRINGS
            for value in values[:4] if len(rule.arguments) > 2 else values:
                url = _fill(rule, ids, name, _quote(value))
                for method in methods:
                    if method == "POST" and rule.endpoint in SKIP_POST:
                        continue
                    fire(method, url, data={"csrf_token": token} if method == "POST" else None)
        # Hostile query strings on every GET: a different eight of them for each route, so
        # that over the whole map every (name, value) pair is tried.
        if "GET" in methods:
            for offset in range(8):
                query_name, value = queries[(number * 8 + offset) % len(queries)]
                fire("GET", base, query_string={query_name: value})
        # Wrong methods.
        for method in ("PUT", "DELETE", "PATCH"):
            fire(method, base)
        if "POST" in methods and rule.endpoint not in SKIP_POST:
            for value in STRINGS[:4] + ["\r\n" * 3, HUGE_INT]:
                fire("POST", base, data={"csrf_token": token, **{f: value for f in FORM_FIELDS}})
            fire("POST", base, data=b"name=%ff%fe&body=%00",
                 content_type="application/x-www-form-urlencoded; charset=x-unknown-charset")
            fire("POST", base, data=b"--broken\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n",
                 content_type="multipart/form-data; boundary=broken")
            fire("POST", base, data={"csrf_token": "forged", "name": "x"})
    _inbound_mail(app, client, ids, fire)
    return sweep


def _inbound_mail(app, client, ids, fire):
    from app.extensions import db
    from app.models import Message

    reference = db.session.get(Message, int(ids["message_id"])).reference
    saved = app.config.get("INBOUND_MAIL_SECRET")
    app.config["INBOUND_MAIL_SECRET"] = "sweep"
    headers = {"Authorization": "Bearer sweep", "Content-Type": "message/rfc822"}
    bodies = [
        f"From: x@evil.example\r\nSubject: [{reference}]\r\nMessage-ID: <{'x' * 400}@e>\r\n\r\nhi".encode(),
        f"From: alex@example.org\r\nSubject: =?x-bad?q?x?= [{reference}]\r\nContent-Type: text/plain; "
        "charset=x-bad\r\n\r\n\xff\xfe".encode("latin-1"),
        f"From: \x00\r\nSubject: [{reference}]\r\nMessage-ID: <\x00>\r\n\r\n\x00".encode(),
        b"\x00\xff" * 1000,
        b"",
        f"From: alex@example.org\r\nSubject: [{reference}]\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n".encode(),
        f"From: alex@example.org\r\nSubject: [{reference}]\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!".encode(),
    ]
    try:
        for body in bodies:
            fire("POST", "/inbox/inbound-email", data=body, headers=headers)
    finally:
        app.config["INBOUND_MAIL_SECRET"] = saved


def report(sweep, label):
    lines = [f"{label}: {sweep.tried} hostile requests; answers by class: "
             + ", ".join(f"{k}xx={v}" for k, v in sorted((k // 100, v) for k, v in sweep.statuses.items()))
             + f"; 5xx: {len(sweep.server_errors)}"]
    lines += [f"  5xx {method} {url} -> {status} {note}" for method, url, status, note in sweep.server_errors[:40]]
    return "\n".join(lines)


if __name__ == "__main__":
    import os
    import sys
    import tempfile
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from flask_migrate import upgrade

    from app import create_app
    from config import TestConfig
    from tests.inbox_support import sign_in

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/sweep.db"
        UPLOAD_FOLDER = tempfile.mkdtemp()
        TILE_CACHE_DIR = tempfile.mkdtemp()

    application = create_app(Config)
    with application.app_context():
        upgrade()
        seeded = seed()
        test_client = application.test_client()
        sign_in(test_client, seeded.pop("admin"))
        print(report(run(application, seeded, test_client), Config.SQLALCHEMY_DATABASE_URI.split(":")[0]))
