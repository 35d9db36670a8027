"""The API turns away a client that sends too much, saying when to come back."""
import time

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


# One process of the portal (the API as a gunicorn worker runs it, through the test client),
# sending `requests` from CLIENT and then 5 from OTHER_CLIENT, both behind one proxy (nginx
# appends the address it saw to X-Forwarded-For; the client's own addresses come before it).
PROCESS = r"""
import json, os, sys, time
from app import create_app
from config import TestConfig

class Limited(TestConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ["REDIS_URL"]
    API_RATE_LIMIT = "200 per minute"
    PROXY_COUNT = 1

client = create_app(Limited).test_client()
while not os.path.exists(os.environ["GO"]):
    time.sleep(0.01)

def get(address, forged="203.0.113.66"):
    response = client.get("/api/postcodes/not-a-postcode",
                          headers={"X-Forwarded-For": f"{forged}, {address}"})
    return response.status_code, response.headers.get("Retry-After"), response.is_json

first = [get("198.51.100.7") for _ in range(int(sys.argv[1]))]
other = [get("198.51.100.8", forged="198.51.100.7") for _ in range(5)]
print(json.dumps({"first": first, "other": other}))
"""


def test_two_processes_share_each_clients_limit_in_redis_behind_the_proxy(redis_server, tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    go = tmp_path / "go"
    env = {**os.environ, "REDIS_URL": redis_server.url, "GO": str(go)}
    root = Path(__file__).resolve().parents[2]
    processes = [subprocess.Popen([sys.executable, "-c", PROCESS, "150"], cwd=root, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    time.sleep(0.5)
    go.touch()  # both start sending at once, so that their leases interleave
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))

    let_through = [sum(status == 400 for status, _wait, _json in result["first"]) for result in results]
    refused = [answer for result in results for answer in result["first"] if answer[0] != 400]
    print(f"\n300 requests of one client, 150 in each process: {let_through} let through, limit 200")
    # Never more than the limit between them, however the two processes' leases fell; at most a
    # lease each (a twentieth of the limit: 10) taken and not spent when the other ran dry.
    assert 200 - 2 * 10 <= sum(let_through) <= 200
    assert all(count > 0 for count in let_through)
    assert refused and all(status == 429 and is_json and int(wait) >= 1 for status, wait, is_json in refused)
    # A second client behind the same proxy, even naming the first as its forwarded address, has its own.
    assert all(status == 400 for result in results for status, _wait, _json in result["other"])
