"""`flask import crimes`: complete, idempotent, replaced by a newer release, assigned to areas."""
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.importers.crime_store import REPEATED
from app.models import Crime, CrimeRelease
from tests.conftest import SHARED_DATA, needs_shared_data
from tests.crime_data import DEMO_CRIMES, DEMO_NEIGHBOURHOODS, crime_row, csv_text, demo_rows


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["import", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


@pytest.fixture
def leeds(app):
    run(app, "neighbourhoods", str(DEMO_NEIGHBOURHOODS))
    return app


def stored(app):
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(Crime.id, Crime.month, Crime.force_id, Crime.crime_ref, Crime.category, Crime.outcome,
                   Crime.longitude, Crime.latitude, Crime.lsoa_code, Crime.neighbourhood_id).order_by(Crime.id)).all()]


def test_the_extract_imports_completely_matching_counts_computed_from_the_csv(leeds):
    output = run(leeds, "crimes", str(DEMO_CRIMES))
    expected = demo_rows()
    with leeds.app_context():
        by_category = dict(db.session.execute(select(Crime.category, func.count()).group_by(Crime.category)).all())
        by_lsoa = dict(db.session.execute(select(Crime.lsoa_code, func.count()).group_by(Crime.lsoa_code)).all())
        asb = db.session.scalar(select(func.count()).where(Crime.category == "Anti-social behaviour",
                                                           Crime.crime_ref.is_(None)))
        unmapped = db.session.scalar(select(func.count()).where(Crime.longitude.is_(None)))
        unassigned_located = db.session.scalar(select(func.count()).where(Crime.longitude.is_not(None),
                                                                          Crime.neighbourhood_id.is_(None)))
        release = db.session.scalar(select(CrimeRelease))
    assert by_category == Counter(r["Crime type"] for r in expected)
    assert by_lsoa == Counter(r["LSOA code"] or None for r in expected)
    assert asb == sum(1 for r in expected if r["Crime type"] == "Anti-social behaviour") > 0
    assert unmapped == sum(1 for r in expected if not r["Longitude"]) == release.without_location
    assert unassigned_located == 0
    assert release.rows == len(expected) and release.force_id == "west-yorkshire" and release.version == 1
    assert f"crimes loaded: {len(expected):,}" in output and "skipped: 0" in output


def test_each_crime_is_in_the_neighbourhood_containing_its_point(leeds):
    run(leeds, "crimes", str(DEMO_CRIMES))
    with leeds.app_context():
        from app.importers.stored import boundaries_from_db

        boundaries = boundaries_from_db(db.session.connection())
        sample = db.session.execute(select(Crime.latitude, Crime.longitude, Crime.neighbourhood_id)
                                    .where(Crime.longitude.is_not(None)).order_by(Crime.id).limit(300)).all()
    assert all(boundaries.locate(lat, lon) == nid for lat, lon, nid in sample)


def test_importing_the_same_month_twice_changes_nothing(leeds):
    run(leeds, "crimes", str(DEMO_CRIMES))
    before = stored(leeds)
    output = run(leeds, "crimes", str(DEMO_CRIMES))
    assert stored(leeds) == before
    assert "releases unchanged: 1" in output and "crimes loaded" not in output
    with leeds.app_context():
        assert db.session.scalar(select(CrimeRelease.version)) == 1


def test_a_newer_release_of_a_month_replaces_it(leeds, tmp_path):
    first = tmp_path / "v1" / "2018-07-west-yorkshire-street.csv"
    second = tmp_path / "v2" / "2018-07-west-yorkshire-street.csv"
    first.parent.mkdir()
    second.parent.mkdir()
    asb = crime_row("", category="Anti-social behaviour", outcome="")
    first.write_text(csv_text([crime_row("a", outcome="Under investigation"), crime_row("b"), asb, asb]))
    second.write_text(csv_text([crime_row("a", outcome="Offender sent to prison"), asb, asb]))
    run(leeds, "crimes", str(first))
    output = run(leeds, "crimes", str(second))
    with leeds.app_context():
        rows = db.session.execute(select(Crime.crime_ref, Crime.outcome).order_by(Crime.id)).all()
        assert db.session.scalar(select(CrimeRelease.version)) == 2
    assert Counter(rows) == Counter([("a", "Offender sent to prison"), (None, None), (None, None)])
    assert "releases replaced by a newer version: 1" in output


def test_the_same_month_in_two_files_of_one_import_is_read_once(leeds, tmp_path):
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "2018-07-west-yorkshire-street.csv").write_text(csv_text([crime_row("x")]))
    output = run(leeds, "crimes", str(tmp_path))
    with leeds.app_context():
        assert db.session.scalar(select(func.count()).select_from(Crime)) == 1
    assert REPEATED in output


@needs_shared_data()
def test_the_real_month_imports_completely(app):
    path = SHARED_DATA / "police-uk" / "2018-07-west-yorkshire-street.csv.gz"
    output = run(app, "crimes", str(path))
    assert "crimes loaded: 31,635" in output and "skipped: 0" in output
