"""The crime summary's figures: total, the most common categories, the change."""
from app.domain.crime_summary import summarise, summary_key
from app.domain.months import previous_month


def test_the_top_three_categories_most_common_first_ties_by_name():
    summary = summarise("2026-10", {"Drugs": 2, "Burglary": 2, "Robbery": 5, "Shoplifting": 1, "Arson": 0})
    assert summary.total == 10
    assert summary.top == (("Robbery", 5), ("Burglary", 2), ("Drugs", 2))


def test_the_change_is_against_the_month_before_only_when_it_has_data():
    assert summarise("2026-01", {"Drugs": 2}, {"Drugs": 5, "Robbery": 1}).change == -4
    assert summarise("2026-01", {"Drugs": 2}, {"Drugs": 5}).previous_month == "2025-12"
    alone = summarise("2026-01", {"Drugs": 2})
    assert alone.change is None and alone.previous_month is None
    assert summarise("2026-01", {}, {}).change == 0


def test_months_and_keys():
    assert previous_month("2026-01") == "2025-12" and previous_month("2026-11") == "2026-10"
    assert summary_key("2026-10") == "crime:2026-10"


def test_the_table_by_type_compares_each_type_and_the_total_with_the_month_before():
    from app.domain.crime_summary import by_category

    table = by_category({"burglary": 3, "drugs": 1}, {"burglary": 5, "shoplifting": 2})
    assert table.rows == [("burglary", 3, 5, -2), ("drugs", 1, 0, 1), ("shoplifting", 0, 2, -2)]
    assert (table.total, table.previous_total, table.total_change) == (4, 7, -3)
    assert by_category({"drugs": 1}, None).total_change is None
