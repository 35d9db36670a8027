"""The rules for alert digests and the one-email-a-day limit."""
from datetime import date

import pytest

from app.domain.alerts import digest_period, may_email, message_reaches


def test_a_weekly_digest_covers_the_previous_monday_to_sunday():
    period = digest_period("weekly", date(2026, 11, 25))  # a Wednesday
    assert (period.key, period.start, period.end) == ("2026-W47", date(2026, 11, 16), date(2026, 11, 22))
    assert period.upcoming_until == date(2026, 11, 30)


def test_the_weekly_period_is_the_same_all_week_so_it_is_sent_once():
    keys = {digest_period("weekly", date(2026, 11, d)).key for d in range(23, 30)}
    assert keys == {"2026-W47"}


def test_a_weekly_digest_across_new_year_uses_the_iso_week_year():
    assert digest_period("weekly", date(2027, 1, 6)).key == "2026-W53"


def test_a_monthly_digest_covers_the_previous_calendar_month():
    period = digest_period("monthly", date(2026, 3, 1))
    assert (period.key, period.start, period.end) == ("2026-02", date(2026, 2, 1), date(2026, 2, 28))
    assert period.upcoming_until == date(2026, 4, 1)
    assert digest_period("monthly", date(2027, 1, 31)).key == "2026-12"


def test_an_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        digest_period("daily", date(2026, 1, 1))


def test_at_most_one_email_a_day():
    assert may_email(None, date(2026, 11, 23))
    assert may_email(date(2026, 11, 22), date(2026, 11, 23))
    assert not may_email(date(2026, 11, 23), date(2026, 11, 23))


def test_a_message_to_sectors_reaches_only_those_sectors():
    assert message_reaches([], "LS1 1") and message_reaches(["LS1 1", "LS1 2"], "LS1 2")
    assert not message_reaches(["LS1 1"], "LS6 3")
