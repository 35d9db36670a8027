"""200 residents post at once to a running multi-threaded server: every message arrives,
none lost, none duplicated."""
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import event, func, select

from app.extensions import db, limiter
from app.models import Message
from tests.factories import make_area


@pytest.fixture
def team(app_context):
    return make_area()


@pytest.fixture
def patient_sqlite(app_context):
    """SQLite lets one writer in at a time; let the others wait their turn (30 s) rather
    than fail after pysqlite's default 5 s. PostgreSQL needs nothing."""
    if db.engine.dialect.name != "sqlite":
        yield
        return

    def wait_for_locks(connection, _record):
        connection.execute("PRAGMA busy_timeout = 30000")

    event.listen(db.engine, "connect", wait_for_locks)
    db.engine.dispose()
    yield
    event.remove(db.engine, "connect", wait_for_locks)
    db.engine.dispose()


def test_200_parallel_messages_all_arrive_once(live_server, team, patient_sqlite):
    assert not limiter.enabled  # the test configuration switches rate limiting off
    url = f"{live_server}/teams/west-yorkshire/E02002330/contact"

    def post(number):
        with requests.Session() as session:
            form = session.get(url, timeout=60).text
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
            response = session.post(url, timeout=60, allow_redirects=False, data={
                "csrf_token": token, "name": f"Resident {number}", "contact_by": "email",
                "email": f"r{number}@example.org", "subject": f"Message {number}", "body": "Hello",
                "urgent": "no", "website": ""})
            return response.status_code

    with ThreadPoolExecutor(max_workers=25) as pool:
        statuses = list(pool.map(post, range(200)))
    assert statuses == [302] * 200
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Message)) == 200
    assert db.session.scalar(select(func.count(func.distinct(Message.reference)))) == 200
    assert db.session.scalar(select(func.count(func.distinct(Message.subject)))) == 200
