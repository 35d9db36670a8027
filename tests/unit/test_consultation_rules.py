"""Have your say: the rules as pure functions (one response each, eligibility, scoring, closing)."""
from datetime import date

from app.domain import consultations as rules
from app.domain.consultations import Ballot

OPENS, CLOSES = date(2026, 11, 2), date(2026, 11, 20)


def ballot(resident, order, *ranking, on=date(2026, 11, 10), engagement=(), channel=rules.BY_EMAIL):
    return Ballot(resident=resident, confirmed_on=on, confirmed_order=order, ranking=tuple(ranking),
                  engagement=tuple(engagement), channel=channel)


def test_a_consultation_is_open_from_its_opening_day_to_the_end_of_its_closing_day():
    assert rules.status(OPENS, CLOSES, None, date(2026, 11, 1)) == rules.SCHEDULED
    assert rules.status(OPENS, CLOSES, None, OPENS) == rules.OPEN
    assert rules.status(OPENS, CLOSES, None, CLOSES) == rules.OPEN
    assert rules.status(OPENS, CLOSES, None, date(2026, 11, 21)) == rules.CLOSED


def test_closing_early_closes_it_from_that_day():
    assert rules.status(OPENS, CLOSES, date(2026, 11, 12), date(2026, 11, 11)) == rules.OPEN
    assert rules.status(OPENS, CLOSES, date(2026, 11, 12), date(2026, 11, 12)) == rules.CLOSED
    assert rules.last_day(CLOSES, date(2026, 11, 12)) == date(2026, 11, 12)
    assert rules.last_day(CLOSES, None) == CLOSES


def test_dates_that_cannot_work_are_refused():
    today = date(2026, 11, 1)
    assert rules.dates_problem(date(2026, 11, 5), date(2026, 11, 4), today) == "closes_before_opening"
    assert rules.dates_problem(date(2026, 10, 1), date(2026, 10, 30), today) == "closes_in_past"
    assert rules.dates_problem(date(2026, 11, 1), date(2027, 3, 1), today) == "too_long"
    assert rules.dates_problem(date(2026, 11, 1), date(2026, 11, 1), today) is None


def test_a_resident_ranks_up_to_three_different_issues_in_order():
    issues = {"1", "2", "3", "4"}
    assert rules.ranking(["2", "1", ""], issues) == (["2", "1"], None)
    assert rules.ranking(["2", "else", "4", "3"], issues) == (["2", "else", "4"], None)  # a fourth is ignored
    assert rules.ranking(["", "", ""], issues) == ([], "none")
    assert rules.ranking(["", "1", ""], issues) == ([], "gap")
    assert rules.ranking(["1", "1", ""], issues) == ([], "repeated")
    assert rules.ranking(["9", "", ""], issues) == ([], "unknown")


def test_only_the_latest_confirmed_response_of_each_resident_counts():
    kept = rules.one_per_resident([ballot("a", 1, "1"), ballot("b", 2, "2"), ballot("a", 3, "3")])
    assert [(b.resident, b.ranking) for b in kept] == [("b", ("2",)), ("a", ("3",))]


def test_responses_confirmed_outside_the_open_days_do_not_count():
    ballots = [ballot("a", 1, "1", on=date(2026, 11, 1)), ballot("b", 2, "1", on=OPENS),
               ballot("c", 3, "1", on=date(2026, 11, 12)), ballot("d", 4, "1", on=date(2026, 11, 13))]
    assert [b.resident for b in rules.counted(ballots, OPENS, CLOSES, date(2026, 11, 12))] == ["b", "c"]


def test_borda_points_three_two_one_and_ties_go_to_more_first_choices():
    ballots = [ballot("a", 1, "1", "2", "3"), ballot("b", 2, "2", "1"), ballot("c", 3, "3"),
               ballot("d", 4, "2", "else")]
    scores = rules.score(ballots, ["1", "2", "3"])
    assert [(s.key, s.points, s.first_choices, s.mentions) for s in scores] == [
        ("2", 8, 2, 3), ("1", 5, 1, 2), ("3", 4, 1, 2)]


def test_a_lone_first_choice_keeps_its_full_weight():
    scores = rules.score([ballot("a", 1, "1"), ballot("b", 2, "2", "1")], ["1", "2"])
    assert [(s.key, s.points) for s in scores] == [("1", 5), ("2", 3)]


def test_an_exact_tie_keeps_the_order_the_team_listed():
    scores = rules.score([ballot("a", 1, "2"), ballot("b", 2, "1")], ["1", "2"])
    assert [s.key for s in scores] == ["1", "2"]


def test_results_count_residents_online_with_codes_at_the_meeting_and_how_they_prefer_to_hear():
    ballots = [ballot("a", 1, "1", engagement=["online", "alerts"]),
               ballot("b", 2, "else", channel=rules.BY_CODE, engagement=["meetings"]),
               ballot("a", 3, "2", engagement=["online"]),
               ballot("late", 4, "1", on=date(2026, 11, 25))]
    results = rules.results(ballots, ["1", "2"], OPENS, CLOSES, None, at_meeting=23)
    assert (results.residents_online, results.by_code, results.at_meeting, results.residents_total) == (2, 1, 23, 25)
    assert results.something_else == 1
    assert results.engagement == {"online": 1, "meetings": 1, "street_briefings": 0, "surgeries": 0, "alerts": 0}
    assert [(s.key, s.points) for s in results.issues] == [("2", 3), ("1", 0)]


def test_a_postcode_counts_inside_the_neighbourhood_or_one_bordering_it():
    assert rules.eligible_neighbourhood("E1", "E1", {"E2"})
    assert rules.eligible_neighbourhood("E2", "E1", {"E2"})
    assert not rules.eligible_neighbourhood("E9", "E1", {"E2"})
    assert not rules.eligible_neighbourhood(None, "E1", {"E2"})


def test_one_mailbox_is_one_resident_however_the_address_is_written():
    key = rules.resident_key("secret", email="jo.smith@gmail.com")
    assert rules.resident_key("secret", email=" JoSmith+police@googlemail.com ") == key
    assert rules.resident_key("secret", email="jo.smith@example.org") != rules.resident_key(
        "secret", email="josmith@example.org")
    assert rules.resident_key("other secret", email="jo.smith@gmail.com") != key
    assert rules.resident_key("secret", code="K7MD3QX9") != key


def test_codes_are_read_however_they_are_typed():
    assert rules.normalise_code(" k7md-3qx9 ") == "K7MD3QX9"


def test_themes_of_messages_need_two_messages_and_come_most_mentioned_first():
    texts = ["Speeding on Otley Road", "Cars speed past the school", "Drug dealing in the park",
             "Dealing again by the shops", "Someone dealing drugs", "Noise at night", "Parking on the pavement",
             "Unspeedy"]  # "speed" inside a word is not a mention
    assert rules.message_themes(texts) == [("Drug dealing and drug use", 3), ("Speeding and dangerous driving", 2)]


def test_suggestions_are_listed_once():
    merged = rules.merge_candidates([[rules.Candidate("Speeding and dangerous driving", "priority")],
                                     [rules.Candidate("speeding and  dangerous driving", "messages"),
                                      rules.Candidate("Noise", "messages")]])
    assert [(c.title, c.source) for c in merged] == [("Speeding and dangerous driving", "priority"),
                                                      ("Noise", "messages")]
