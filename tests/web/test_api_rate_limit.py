"""The API turns away a client that sends too much, saying when to come back."""
import pytest

from app import create_app
from app.extensions import limiter
from config import TestConfig


@pytest.fixture
def limited_client(app, database_url):
    class Limited(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"

    limited = create_app(Limited)
    yield limited.test_client()
    limiter.reset()
    limiter.enabled = False  # the limiter is process-wide; the other tests run without it


def test_more_than_thirty_requests_in_two_seconds_get_a_json_429_with_retry_after_of_a_second_or_more(limited_client):
    statuses = [limited_client.get("/api/forces").status_code for _ in range(40)]
    assert statuses[0] == 200 and 429 in statuses
    response = limited_client.get("/api/forces")
    assert response.status_code == 429 and response.is_json and response.get_json()["error"]
    assert int(response.headers["Retry-After"]) >= 1
