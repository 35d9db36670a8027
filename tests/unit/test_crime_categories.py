"""CSV crime types and outcomes map onto data.police.uk's slugs and codes; distances are right."""
import math

import pytest

from app.domain import crime_search
from app.domain.crime_categories import (ALL_CRIME, CATEGORIES, OUTCOMES, category_list, category_names,
                                         category_slug, outcome_code)
from app.domain.outcomes import OUTCOMES as OUTCOME_WORDS
from tests.crime_data import demo_rows


def test_every_crime_type_and_outcome_in_the_real_extract_has_a_known_slug_and_code():
    rows = demo_rows()
    known_slugs = {slug for slug, _name, _names in CATEGORIES}
    assert {category_slug(r["Crime type"]) for r in rows} <= known_slugs
    outcomes = {r["Last outcome category"] for r in rows if r["Last outcome category"]}
    assert {outcome_code(name)[0] for name in outcomes} <= set(OUTCOMES)


def test_every_outcome_the_crime_pages_explain_has_a_data_police_uk_code():
    assert all(outcome_code(name)[0] in OUTCOMES for name in OUTCOME_WORDS)


def test_violence_is_violent_crime_and_the_csv_penalty_notice_wording_is_understood():
    assert category_slug("Violence and sexual offences") == "violent-crime"
    assert category_names("violent-crime") == ["Violence and sexual offences", "Violent crime"]
    assert outcome_code("Offender given penalty notice") == ("penalty-notice-issued", "Offender given a penalty notice")


def test_a_category_or_outcome_not_known_yet_keeps_its_own_words():
    assert category_slug("Fraud and forgery") == "fraud-and-forgery"
    assert category_names("fraud-and-forgery", ["Burglary", "Fraud and forgery"]) == ["Fraud and forgery"]
    assert outcome_code("Sent to the moon") == ("sent-to-the-moon", "Sent to the moon")
    listed = category_list(["Burglary", "Fraud and forgery"])
    assert listed[0] == (ALL_CRIME, "All crime") and listed[-1] == ("fraud-and-forgery", "Fraud and forgery")
    assert len(listed) == len(CATEGORIES) + 2


def test_distances_match_geopy_and_the_box_holds_the_whole_mile():
    from geopy.distance import great_circle

    leeds, york = (53.7965, -1.5491), (53.9600, -1.0873)
    [ours] = crime_search.distance_metres(*leeds, [york[0]], [york[1]])
    assert ours == pytest.approx(great_circle(leeds, york).meters, rel=1e-3)
    west, south, east, north = crime_search.box_around(*leeds)
    for bearing in range(0, 360, 15):
        # a point just inside the mile, in every direction, is inside the box
        dx = math.sin(math.radians(bearing)) * crime_search.ONE_MILE * 0.999
        dy = math.cos(math.radians(bearing)) * crime_search.ONE_MILE * 0.999
        lat = leeds[0] + math.degrees(dy / crime_search.EARTH_RADIUS)
        lng = leeds[1] + math.degrees(dx / (crime_search.EARTH_RADIUS * math.cos(math.radians(leeds[0]))))
        assert south <= lat <= north and west <= lng <= east
