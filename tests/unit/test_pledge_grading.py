"""Grading against the Pledge: thresholds to Excellent / Good / Fair / Poor, month by month."""
import random
from datetime import date, datetime, time, timedelta

import pytest

from app.domain import pledge
from app.domain.pledge import EXCELLENT, FAIR, GOOD, POOR, PriorityFacts
from config import Config

LIMITS = Config.PLEDGE_THRESHOLDS
TODAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 12)  # UTC, the same London day


@pytest.mark.parametrize("value, expected", [
    (100, EXCELLENT), (95, EXCELLENT), (94.9, GOOD), (85, GOOD), (84.9, FAIR), (70, FAIR), (69.9, POOR), (0, POOR),
])
def test_messages_are_graded_at_each_threshold_edge(value, expected):
    assert pledge.grade(value, LIMITS["messages"]) == expected


@pytest.mark.parametrize("value, expected", [(24, EXCELLENT), (23.5, GOOD), (12, GOOD), (11, FAIR), (6, FAIR),
                                             (5.5, POOR)])
def test_tenure_is_graded_in_months_served(value, expected):
    assert pledge.grade(value, LIMITS["tenure"]) == expected


def test_nothing_to_measure_has_no_grade():
    assert pledge.grade(None, LIMITS["messages"]) is None


def test_a_band_left_out_of_the_thresholds_is_never_given():
    assert pledge.grade(50, {"excellent": 90, "good": 60}) == POOR


def test_only_excellent_and_good_keep_the_promise():
    assert [pledge.is_met(g) for g in (EXCELLENT, GOOD, FAIR, POOR, None)] == [True, True, False, False, False]
    assert [pledge.is_missed(g) for g in (EXCELLENT, GOOD, FAIR, POOR, None)] == [False, False, True, True, False]


def test_the_period_is_the_12_whole_months_before_this_one_oldest_first():
    months = pledge.period(TODAY)
    assert months[0] == (2025, 11) and months[-1] == (2026, 10) and len(months) == 12


def test_a_share_is_graded_each_month_and_pooled_over_the_period():
    line = pledge.ratio_line(pledge.MESSAGES, {(2026, 10): (19, 20), (2026, 9): (1, 2)}, pledge.period(TODAY),
                             LIMITS["messages"])
    october, september, august = line.months[-1], line.months[-2], line.months[-3]
    assert (october.value, october.grade) == (95.0, EXCELLENT)
    assert (september.value, september.grade) == (50.0, POOR)
    assert (august.value, august.grade, august.total) == (None, None, 0)  # "no messages this month"
    assert (line.value, line.grade) == (90.9, GOOD)  # 20 of 22, not the mean of 95% and 50%
    assert (line.months_measured, line.months_met, line.months_missed) == (2, 1, 1)


def kept(day):
    """A meeting at 6pm on `day`, advertised a month ahead and recorded the next morning."""
    starts = datetime.combine(day, time(18))
    return pledge.MeetingFacts(starts, starts - timedelta(days=30), starts + timedelta(hours=15))


def test_a_month_with_a_meeting_is_excellent_and_the_period_counts_the_months():
    days = [date(2026, 10, 6), date(2026, 10, 27), date(2026, 9, 15), date(2026, 11, 3)]
    line = pledge.meetings_line([kept(d) for d in days], NOW, LIMITS["meetings"])
    assert (line.months[-1].done, line.months[-1].grade) == (2, EXCELLENT)
    assert (line.months[-3].done, line.months[-3].grade) == (0, POOR)
    assert line.value == 16.7 and line.grade == POOR


@pytest.mark.parametrize("months_with_meeting, expected", [(12, EXCELLENT), (11, GOOD), (10, FAIR), (9, FAIR),
                                                            (8, POOR)])
def test_meetings_over_the_year_are_graded_by_months_with_one(months_with_meeting, expected):
    days = [date(y, m, 10) for y, m in pledge.period(TODAY)[:months_with_meeting]]
    assert pledge.meetings_line([kept(d) for d in days], NOW, LIMITS["meetings"]).grade == expected


def test_updates_count_posts_in_each_month():
    line = pledge.updates_line([date(2026, 10, 1), date(2026, 10, 2)], TODAY, LIMITS["updates"])
    assert (line.months[-1].done, line.months[-1].grade, line.months[-2].grade) == (2, EXCELLENT, POOR)


def test_a_priority_counts_as_updated_until_it_goes_stale_at_a_month_end():
    facts = [PriorityFacts(date(2026, 7, 1), None, (date(2026, 8, 10),)),
             PriorityFacts(date(2026, 8, 20), date(2026, 9, 10))]  # closed before the end of September
    counts = pledge.priority_counts(facts, [(2026, 6), (2026, 7), (2026, 8), (2026, 9)])
    assert counts == {(2026, 6): (0, 0), (2026, 7): (1, 1), (2026, 8): (2, 2), (2026, 9): (0, 1)}


def test_an_action_after_the_month_end_does_not_count_for_that_month():
    facts = [PriorityFacts(date(2026, 1, 1), None, (date(2026, 9, 5),))]
    assert pledge.priority_counts(facts, [(2026, 8), (2026, 9)]) == {(2026, 8): (0, 1), (2026, 9): (1, 1)}


def test_tenure_is_the_median_of_officers_serving_at_each_month_end():
    memberships = [(date(2024, 10, 1), None), (date(2026, 4, 1), None), (date(2020, 1, 1), date(2026, 6, 30))]
    line = pledge.tenure_line(memberships, TODAY, LIMITS["tenure"])
    october, june = line.months[-1], line.months[-5]
    assert (october.value, october.total, october.grade) == (15.0, 2, GOOD)  # 24 and 6 months
    assert (june.value, june.total) == (20.0, 3)  # 20, 2 and 77 months
    assert line.value == 15.0


def test_no_officers_means_no_tenure_figure():
    line = pledge.tenure_line([], TODAY, LIMITS["tenure"])
    assert line.value is None and line.grade is None and line.months_measured == 0


def test_explanations_are_kept_only_for_missed_months():
    line = pledge.ratio_line(pledge.MESSAGES, {(2026, 10): (1, 2), (2026, 9): (2, 2)}, pledge.period(TODAY),
                             LIMITS["messages"])
    explained = pledge.with_explanations(line, {"2026-10": "Training week", "2026-09": "Not needed"})
    assert explained.explanations == {"2026-10": "Training week"}


def test_the_chart_has_a_bar_a_month_scaled_to_100_percent_and_none_for_no_data():
    line = pledge.ratio_line(pledge.MESSAGES, {(2026, 10): (1, 2), (2026, 9): (2, 2)}, pledge.period(TODAY),
                             LIMITS["messages"])
    rows = pledge.chart_rows(line)
    assert len(rows) == 12
    assert (rows[-1].length, rows[-1].colour) == (50.0, pledge.GRADE_COLOURS[POOR])
    assert rows[-2].length == 100.0
    assert (rows[0].length, rows[0].pattern) == (0.0, "none")


def test_every_grade_has_its_own_fill_so_colour_is_not_the_only_difference():
    patterns = [pledge.GRADE_PATTERNS[grade] for grade in (EXCELLENT, GOOD, FAIR, POOR)]
    assert len(set(patterns)) == 4


# --- what was published in time --------------------------------------------------------

STARTS = datetime(2026, 5, 12, 17)  # 6pm London


@pytest.mark.parametrize("published_before, recorded_after, cancelled, expected", [
    (timedelta(days=30), timedelta(hours=16), False, True),
    (timedelta(days=7), timedelta(days=14), False, True),  # exactly the notice and the record window
    (timedelta(days=6, hours=23), timedelta(hours=16), False, False),  # not advertised a week ahead
    (timedelta(days=30), timedelta(days=14, seconds=1), False, False),  # recorded too late
    (timedelta(days=30), None, False, False),  # never recorded
    (timedelta(days=30), timedelta(hours=-1), False, False),  # "recorded" before it took place
    (timedelta(days=30), timedelta(hours=16), True, False),  # called off
    (-timedelta(days=189), timedelta(days=190), False, False),  # back-filled in November
])
def test_a_meeting_is_held_only_if_advertised_in_time_and_recorded_afterwards(published_before, recorded_after,
                                                                             cancelled, expected):
    meeting = pledge.MeetingFacts(STARTS, STARTS - published_before,
                                  None if recorded_after is None else STARTS + recorded_after, cancelled)
    assert pledge.meeting_counts_as_held(meeting, NOW) is expected


def test_the_notice_and_record_window_are_configurable():
    meeting = pledge.MeetingFacts(STARTS, STARTS - timedelta(days=3), STARTS + timedelta(days=20))
    assert not pledge.meeting_counts_as_held(meeting, NOW)
    assert pledge.meeting_counts_as_held(meeting, NOW, notice=timedelta(days=2), record_within=timedelta(days=21))


def test_a_meeting_not_yet_recorded_counts_once_it_is_but_not_before():
    meeting = pledge.MeetingFacts(STARTS, STARTS - timedelta(days=30), STARTS + timedelta(days=2))
    assert not pledge.meeting_counts_as_held(meeting, STARTS + timedelta(days=1))
    assert pledge.meeting_counts_as_held(meeting, STARTS + timedelta(days=3))


def test_a_post_counts_from_the_day_it_was_written_if_later_than_its_date():
    assert pledge.counted_on(date(2026, 5, 15), date(2026, 11, 18)) == date(2026, 11, 18)
    assert pledge.counted_on(date(2026, 11, 20), date(2026, 11, 18)) == date(2026, 11, 20)  # dated ahead
    line = pledge.updates_line([pledge.counted_on(date(2026, 5, 15), date(2026, 11, 18))], TODAY, LIMITS["updates"])
    assert all(m.done == 0 for m in line.months)  # November is not yet in the period


def test_changes_after_a_month_closed_are_late_and_those_within_it_are_not():
    changes = [
        pledge.LateChange(pledge.MEETINGS, date(2026, 5, 12), datetime(2026, 11, 18, 10), pledge.ADDED, "PACT"),
        pledge.LateChange(pledge.MEETINGS, date(2026, 5, 12), datetime(2026, 5, 31, 22, 30), pledge.CHANGED),  # 11:30pm BST, 31 May
        pledge.LateChange(pledge.MEETINGS, date(2026, 5, 12), datetime(2026, 5, 31, 23, 30), pledge.CHANGED),  # 1 June in London
        pledge.LateChange(pledge.UPDATES, date(2026, 10, 1), datetime(2026, 10, 2), pledge.ADDED),
    ]
    late = pledge.late_changes_by_month(changes)
    assert [c.made_at for c in late[pledge.MEETINGS]["2026-05"]] == [datetime(2026, 5, 31, 23, 30),
                                                                     datetime(2026, 11, 18, 10)]
    assert pledge.UPDATES not in late


def test_missed_months_without_an_explanation_wait_longest_first():
    months = pledge.period(TODAY)
    line = pledge.ratio_line(pledge.MESSAGES, {(2026, 10): (1, 2), (2026, 9): (0, 1), (2026, 8): (5, 5)}, months,
                             LIMITS["messages"])
    explained = pledge.with_explanations(line, {"2026-10": "Training week", "2026-08": "Kept: not shown"},
                                         {"2026-10": "Cover arranged"})
    assert explained.explanations == {"2026-10": "Training week"}
    assert explained.improvements == {"2026-10": "Cover arranged"}
    [waiting] = pledge.awaiting_explanation([explained], TODAY)
    assert (waiting.measure, waiting.key, waiting.days_since_closed) == (pledge.MESSAGES, "2026-09", 49)
    assert pledge.days_since_closed(2026, 10, date(2026, 11, 1)) == 1


def test_a_force_table_line_without_months_has_the_same_period_figure_as_the_full_line():
    months = pledge.period(TODAY)
    rng = random.Random(15)
    grades = set()
    for _ in range(200):
        counts = {key: (done, done + rng.randint(0, 3)) for key in months if rng.random() < 0.7
                  for done in [rng.randint(0, 5)]}
        meetings = [pledge.MeetingFacts(datetime(*key, rng.randint(1, 28), 18), datetime(*key, 1) - timedelta(days=9),
                                        datetime(*key, 28, 20) + timedelta(days=1), False)
                    for key in months if rng.random() < 0.8]
        posts = [date(*key, rng.randint(1, 28)) for key in months if rng.random() < 0.6]
        priorities = [PriorityFacts(TODAY - timedelta(days=rng.randint(0, 500)), None,
                                    tuple(TODAY - timedelta(days=rng.randint(0, 400))
                                          for _ in range(rng.randint(0, 3))))
                      for _ in range(rng.randint(0, 4))]
        memberships = [(TODAY - timedelta(days=rng.randint(0, 900)),
                        rng.choice([None, TODAY - timedelta(days=rng.randint(0, 300))]))
                       for _ in range(rng.randint(0, 5))]
        pairs = [(pledge.ratio_line("messages", counts, months, LIMITS["messages"]),
                  pledge.ratio_line("messages", counts, months, LIMITS["messages"], monthly=False)),
                 (pledge.meetings_line(meetings, NOW, LIMITS["meetings"]),
                  pledge.meetings_line(meetings, NOW, LIMITS["meetings"], monthly=False)),
                 (pledge.updates_line(posts, TODAY, LIMITS["updates"]),
                  pledge.updates_line(posts, TODAY, LIMITS["updates"], monthly=False)),
                 (pledge.priorities_line(priorities, TODAY, LIMITS["priorities"]),
                  pledge.priorities_line(priorities, TODAY, LIMITS["priorities"], monthly=False)),
                 (pledge.tenure_line(memberships, TODAY, LIMITS["tenure"]),
                  pledge.tenure_line(memberships, TODAY, LIMITS["tenure"], monthly=False))]
        for full, period_only in pairs:
            assert (period_only.measure, period_only.value, period_only.grade) == (full.measure, full.value,
                                                                                   full.grade)
            assert period_only.months == []
            grades.add((full.measure, full.grade))
    assert len(grades) >= 15  # five measures, each seen at three grades or more (not one easy case)


# The configured limits, and limits a force might configure: a band left out, none, out of order.
SOME_THRESHOLDS = [*LIMITS.values(), {"excellent": 90, "good": 60}, {"good": 50}, {"fair": 40}, {},
                   {"excellent": 50, "good": 80, "fair": 20}, {"excellent": 12.5, "fair": 3},
                   {"excellent": 100, "good": 0}]


def test_a_value_is_graded_as_met_exactly_from_the_least_met_value():
    for thresholds in SOME_THRESHOLDS:
        lowest = pledge.least_met(thresholds)
        for tenth in range(-5, 1205):
            value = tenth / 10
            assert pledge.is_met(pledge.grade(value, thresholds)) == (lowest is not None and value >= lowest), (
                thresholds, value)
    assert pledge.least_met({}) is None and pledge.least_met({"fair": 40}) is None


def test_a_force_json_line_without_months_tallies_its_months_as_the_full_line_does():
    """The force's JSON gives each team's months measured and met without building 12 months a
    line: the tally must be what the team's own month-by-month line counts."""
    months = pledge.period(TODAY)
    rng = random.Random(515)
    tallies = set()
    for round_ in range(300):
        thresholds = SOME_THRESHOLDS[round_ % len(SOME_THRESHOLDS)]
        counts = {key: (done, done + rng.choice([0, 0, 1, 2, 7])) for key in months if rng.random() < 0.7
                  for done in [rng.randint(0, 9)]}
        held = {key: True for key in months if rng.random() < rng.random()}
        memberships = [(TODAY - timedelta(days=rng.randint(0, 900)),
                        rng.choice([None, TODAY - timedelta(days=rng.randint(0, 400))]))
                       for _ in range(rng.randint(0, 5))]
        pairs = [(pledge.ratio_line("messages", counts, months, thresholds),
                  pledge.ratio_line("messages", counts, months, thresholds, monthly=False)),
                 (pledge.monthly_habit_line("meetings", held, {}, months, thresholds),
                  pledge.period_habit_line("meetings", len(held), len(months), thresholds)),
                 (pledge.tenure_line(memberships, TODAY, thresholds),
                  pledge.tenure_line(memberships, TODAY, thresholds, monthly=False, tally=True))]
        for full, tallied in pairs:
            assert tallied.months == [] and tallied.tally is not None
            assert (tallied.value, tallied.grade, tallied.months_measured, tallied.months_met) == (
                full.value, full.grade, full.months_measured, full.months_met), (full.measure, thresholds)
            tallies.add((full.measure, 0 < full.months_met < full.months_measured))
    assert len(tallies) == 6  # each measure seen with some months met and others not, and without
