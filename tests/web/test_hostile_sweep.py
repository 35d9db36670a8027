"""Several hundred hostile requests at every route (tests/hostile_sweep.py): none is a 5xx,
on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""
import pytest

from tests.hostile_sweep import report, run, seed
from tests.inbox_support import sign_in


@pytest.fixture
def tile_cache(app, tmp_path):
    app.config["TILE_CACHE_DIR"] = str(tmp_path / "tiles")
    app.extensions.pop("tile_cache", None)
    yield
    app.extensions.pop("tile_cache", None)
    app.config.pop("TILE_CACHE_DIR")


def test_no_hostile_input_gets_a_server_error(app, app_context, tile_cache, capsys):
    ids = seed()
    client = app.test_client()
    sign_in(client, ids.pop("admin"))
    sweep = run(app, ids, client)
    summary = report(sweep, app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0])
    with capsys.disabled():
        print("\n" + summary)
    assert sweep.tried >= 500
    assert not sweep.server_errors, summary
