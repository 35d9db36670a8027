"""Outcome categories in plain words, grouped."""
from app.domain.outcomes import (COURT, GROUPS, NO_SUSPECT, NOT_KNOWN, NOT_RECORDED, OTHER, OUT_OF_COURT,
                                 OUTCOMES, UNABLE_TO_PROSECUTE, describe, group_of, grouped_counts)
from tests.crime_data import demo_rows


def test_every_outcome_in_the_real_data_has_plain_words_and_a_known_group():
    outcomes = {r["Last outcome category"] for r in demo_rows()} - {""}
    assert outcomes and outcomes <= set(OUTCOMES)


def test_outcomes_fall_into_the_groups_people_ask_about():
    assert group_of("Offender sent to prison") == COURT
    assert group_of("Awaiting court outcome") == COURT
    assert group_of("Offender given a caution") == OUT_OF_COURT
    assert group_of("Investigation complete; no suspect identified") == NO_SUSPECT
    assert group_of("Unable to prosecute suspect") == UNABLE_TO_PROSECUTE
    assert group_of(None) == NOT_KNOWN
    assert group_of("Something new") == OTHER
    assert group_of(None, is_anti_social_behaviour=True) == NOT_RECORDED


def test_an_unknown_outcome_keeps_its_own_words():
    assert describe("Something new") == "Something new"
    assert "no suspect was identified" in describe("Investigation complete; no suspect identified")


def test_grouped_counts_add_up_and_list_justice_first():
    groups = grouped_counts({"Offender fined": 2, "Offender sent to prison": 1, None: 4,
                             "Unable to prosecute suspect": 3}, anti_social_behaviour=5)
    assert [(key, n) for key, _, n in groups] == [(COURT, 3), (UNABLE_TO_PROSECUTE, 3), (NOT_KNOWN, 4),
                                                  (NOT_RECORDED, 5)]
    assert groups[0][1] == GROUPS[COURT]
