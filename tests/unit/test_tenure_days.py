"""Tenure over many days at once (a force's JSON asks for every team's officers at each of 12
month ends): the same answer as asking day by day."""
import random
from datetime import date, timedelta

from app.domain import pledge, tenure


def test_the_days_served_are_those_serving_on_gives_one_by_one():
    chance = random.Random(3)
    days = sorted({date(2026, 1, 1) + timedelta(days=chance.randrange(400)) for _ in range(12)})
    for _ in range(3000):
        near_a_day = chance.choice(days) + timedelta(days=chance.choice([-1, 0, 1]))
        started = near_a_day if chance.random() < 0.5 else date(2025, 10, 1) + timedelta(days=chance.randrange(520))
        ended = chance.choice([None, started + timedelta(days=chance.randint(-3, 300)),
                               chance.choice(days) + timedelta(days=chance.choice([-1, 0, 1]))])
        assert list(tenure.serving_range(started, ended, days)) == [
            index for index, day in enumerate(days) if tenure.serving_on(started, ended, day)], (started, ended)


def test_a_teams_tenure_each_month_is_the_median_of_those_serving_at_its_end():
    chance = random.Random(8)
    months = pledge.period(date(2026, 12, 1))
    for _ in range(300):
        memberships = [(start, chance.choice([None, start + timedelta(days=chance.randint(0, 400))]))
                       for start in (date(2025, 11, 30) + timedelta(days=chance.choice([0, 1, 30, 31, 60, 90, 365])
                                                                      - chance.randint(0, 900))
                                     for _ in range(chance.randint(0, 7)))]
        line = pledge.tenure_line(memberships, date(2026, 12, 1), {"excellent": 24, "good": 12, "fair": 6})
        for month in line.months:
            end = pledge.month_end(month.year, month.month)
            served = sorted(tenure.months_between(start, end) for start, ended in memberships
                            if tenure.serving_on(start, ended, end))
            middle = len(served) // 2
            expected = None if not served else float(served[middle] if len(served) % 2 else
                                                      (served[middle - 1] + served[middle]) / 2)
            assert (month.value, month.total) == (expected, len(served))
