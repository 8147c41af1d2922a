"""Durations: the calendar under the comparison, every start day, boundaries and messages.

The comparison is exact only if the calendar is: month lengths, the leap-year rule with its
400-year exception, and every possible start day. These tests compute the same answers with the
standard library's calendar, independently of ``durations.py``.
"""

from __future__ import annotations

import calendar
import datetime
from fractions import Fraction

import pytest

from ocp_check import durations
from ocp_check.durations import (
    DurationError,
    add_to_date,
    compare,
    day_range,
    describe,
    ge,
    gt,
    le,
    lt,
    parse_date,
    parse_duration,
)

D = parse_duration


def test_month_lengths_follow_the_gregorian_calendar() -> None:
    """Every month of 1600–2400, against the standard library: 1700, 1800, 1900, 2100, 2200
    and 2300 are not leap years, 1600, 2000 and 2400 are."""
    for year in range(1600, 2401):
        for month in range(1, 13):
            assert durations._days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2000-01-31", "2000-02-29"),  # divisible by 400: a leap year
        ("2100-01-31", "2100-02-28"),  # divisible by 100 only: not a leap year
        ("1900-01-31", "1900-02-28"),
        ("2400-01-31", "2400-02-29"),
        ("2024-01-31", "2024-02-29"),
        ("2023-01-31", "2023-02-28"),
        ("2023-03-31", "2023-04-30"),
        ("2023-05-31", "2023-06-30"),
        ("2023-08-31", "2023-09-30"),
        ("2023-10-31", "2023-11-30"),
        ("2023-06-30", "2023-07-30"),
        ("2023-11-30", "2023-12-30"),
        ("2023-12-31", "2024-01-31"),
    ],
)
def test_one_month_later_is_clamped_to_the_month_end(start: str, expected: str) -> None:
    assert add_to_date(parse_date(start), D("P1M")) == parse_date(expected)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """Independent of durations.py: XML Schema's month addition with the standard library."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return datetime.date(year, month0 + 1, min(day.day, last))


def test_day_ranges_hold_for_every_start_day_of_a_400_year_cycle() -> None:
    """Shortest and longest span of some month counts, over all 146,097 start days of one
    Gregorian cycle (not only the days 1 and 28–31 the module examines)."""
    months = (1, 2, 6, 12, 48, 1200)
    low = dict.fromkeys(months, 10**9)
    high = dict.fromkeys(months, 0)
    start = datetime.date(2000, 1, 1)
    for offset in range(146_097):
        day = start + datetime.timedelta(days=offset)
        for m in months:
            span = (_add_months(day, m) - day).days
            low[m], high[m] = min(low[m], span), max(high[m], span)
    for m in months:
        assert day_range(D(f"P{m}M")) == (low[m], high[m]), m
    # The 400-year rule is what makes a century 36,525 days from some starts (1 Jan 2000).
    assert (low[1200], high[1200]) == (36524, 36525)


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("P100Y", "P36525D", "<="),
        ("P100Y", "P36524D", ">="),
        ("P100Y", "P36526D", "<"),
        ("P4Y", "P1461D", "<="),
        ("P1Y", "P366D", "<="),
        ("P1Y", "P365D", ">="),
        ("P400Y", "P146097D", "=="),
        ("P1DT1S", "P1D", ">"),
        ("P1D", "P1DT1S", "<"),
        ("PT1S", "PT0S", ">"),
    ],
)
def test_comparisons_at_the_edges(a: str, b: str, relation: str) -> None:
    assert compare(D(a), D(b)) == relation


def test_one_second_decides_every_predicate() -> None:
    one, zero = D("PT1S"), D("PT0S")
    assert not le(one, zero) and le(zero, one) and le(zero, zero)
    assert not lt(zero, zero) and lt(zero, one)
    assert gt(one, zero) and not gt(zero, zero) and not gt(zero, one)
    assert ge(one, zero) and ge(zero, zero) and not ge(zero, one)


def test_day_ranges_beyond_one_cycle() -> None:
    assert day_range(D("P400Y")) == (146097, 146097)
    assert day_range(D("P401Y")) == (146097 + 365, 146097 + 366)
    assert day_range(D("P800YT12H")) == (2 * 146097 + Fraction(1, 2), 2 * 146097 + Fraction(1, 2))


def test_fractions_of_a_second_are_exact() -> None:
    assert D("PT0.25S").seconds == Fraction(1, 4)
    assert D("PT1.125S").seconds == Fraction(9, 8)
    assert D("PT0.999999999999S").seconds == Fraction(999999999999, 10**12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P1MT1S", "P1MT1S (≈28–31 days)"),  # rounds to whole days: no trailing "."
        ("P1MT12H", "P1MT12H (28.5–31.5 days)"),
        ("PT86.4S", "PT86.4S (0.001 days)"),  # exactly a thousandth: shown, not "<0.001"
        ("PT129.6S", "PT129.6S (≈0.002 days)"),  # 0.0015: above the "<0.001" limit
        ("PT86.3568S", "PT86.3568S (<0.001 days)"),  # just under a thousandth
        ("PT86365S", "PT86365S (≈1 days)"),
        ("P400Y", "P400Y (146097 days)"),
    ],
)
def test_describe_rounding(text: str, expected: str) -> None:
    assert describe(D(text)) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (5, "a duration must be a string, not int"),
        ("P1D" + " " * 118, "duration is too long (121 characters)"),
        (
            "p90d",
            "'p90d' is not an ISO 8601 duration (expected e.g. P90D, P6M, P1Y, PT72H; "
            "uppercase designators in the order Y M W D T H M S)",
        ),
        ("P1DT", "duration 'P1DT': 'T' must be followed by hours, minutes or seconds"),
        ("P", "duration 'P' has no components"),
        ("P1234567890123D", "duration 'P1234567890123D': the days component has more than 12 digits"),
        ("P10001Y", "duration 'P10001Y': more than 10000 years"),
        ("P10000Y1M", "duration 'P10000Y1M': more than 10000 years of months"),
        ("PT0.1234567890123S", "duration 'PT0.1234567890123S': the seconds fraction has more than 12 digits"),
    ],
)
def test_parse_errors_say_what_is_wrong(value: object, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(value)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_length_limit_is_inclusive() -> None:
    """Exactly the longest text is still parsed (and judged by the grammar), one more is refused."""
    longest = "P" + "1" * 119
    assert len(longest) == 120
    with pytest.raises(DurationError, match="is not an ISO 8601 duration"):
        parse_duration(longest)
    with pytest.raises(DurationError, match="too long"):
        parse_duration(longest + "D")


def test_twelve_digits_are_accepted_in_every_component_and_the_fraction() -> None:
    assert D("P999999999999D").seconds == 999999999999 * 86400
    assert D("PT0.123456789012S").seconds == Fraction(123456789012, 10**12)


def test_date_messages() -> None:
    with pytest.raises(DurationError) as caught:
        parse_date("2024-1-01")
    assert str(caught.value) == "'2024-1-01' is not a date in the form YYYY-MM-DD"
    with pytest.raises(DurationError) as caught:
        parse_date("2023-02-29")
    assert str(caught.value) == "'2023-02-29' is not a valid date: day is out of range for month"


def test_dates_at_the_ends_of_the_calendar() -> None:
    assert add_to_date(datetime.date(1, 1, 1), D("P1D")) == datetime.date(1, 1, 2)
    assert add_to_date(datetime.date(9999, 1, 1), D("P11M")) == datetime.date(9999, 12, 1)
    with pytest.raises(DurationError) as caught:
        add_to_date(datetime.date(9999, 1, 1), D("P1Y"))
    assert str(caught.value) == "9999-01-01 + P1Y is beyond the year 9999"
    with pytest.raises(DurationError) as caught:
        add_to_date(datetime.date(9999, 12, 1), D("P31D"))
    assert str(caught.value) == "9999-12-01 + P31D is beyond the year 9999"
