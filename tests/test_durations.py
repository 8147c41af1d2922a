"""Tests for ISO 8601 duration parsing and the "from every start date" comparison."""

from __future__ import annotations

import datetime
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocp_check.durations import (
    Duration,
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


# --- parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "months", "seconds"),
    [
        ("P90D", 0, 90 * 86400),
        ("P1Y", 12, 0),
        ("P6M", 6, 0),
        ("P2Y6M", 30, 0),
        ("PT72H", 0, 72 * 3600),
        ("P1W", 0, 7 * 86400),
        ("P1Y2M3DT4H5M6S", 14, 3 * 86400 + 4 * 3600 + 5 * 60 + 6),
        ("PT0.5S", 0, Fraction(1, 2)),
        ("PT1M", 0, 60),
        ("P1M", 1, 0),
        ("P0D", 0, 0),
        ("PT0S", 0, 0),
        ("P1WT1S", 0, 7 * 86400 + 1),
        ("P10000Y", 120000, 0),
        ("PT999999999999S", 0, 999999999999),
    ],
)
def test_parse_valid(text: str, months: int, seconds: Fraction | int) -> None:
    d = D(text)
    assert d == Duration(text=text, months=months, seconds=Fraction(seconds))
    assert isinstance(d.seconds, Fraction)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "P",
        "PT",
        "P1M2Y",  # wrong order
        "P1.5M",  # fractional month has no exact length
        "P1.5Y",
        "P1.5D",  # fractions only in seconds
        "PT1.5H",
        "p90d",  # lowercase
        "P90d",
        "-P1D",  # negative
        "P-1D",
        "+P1D",
        " P1D",
        "P1D ",
        "P1D\n",
        "PT1,5S",  # comma decimal
        "PT.5S",
        "PT5.S",
        "P1DT",
        "P1H",  # hours need T
        "PT1D",
        "P1Y1Y",
        "P١D",  # Arabic-Indic digit: ASCII digits only
        "P10001Y",  # more than 10 000 years
        "P120001M",
        "P1234567890123D",  # 13 digits
        "PT0.1234567890123S",
        "P" + "1" * 200 + "D",
        "P1S",
        "1D",
    ],
)
def test_parse_invalid(text: str) -> None:
    with pytest.raises(DurationError):
        D(text)


def test_duration_error_is_value_error() -> None:
    with pytest.raises(ValueError, match="not an ISO 8601 duration"):
        D("ninety days")


def test_non_string_rejected() -> None:
    with pytest.raises(DurationError):
        D(90)  # type: ignore[arg-type]


# --- comparison semantics ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("P1M", "P30D", False),  # January has 31 days
        ("P1M", "P31D", True),
        ("P1Y", "P365D", False),  # leap years
        ("P1Y", "P366D", True),
        ("P6M", "P184D", True),
        ("P6M", "P183D", False),  # from 1 March six months are 184 days
        ("P12M", "P1Y", True),
        ("P90D", "P1Y", True),
        ("PT24H", "P1D", True),
        ("P1W", "P7D", True),
        ("P30D", "P1M", False),  # February is shorter
        ("P28D", "P1M", True),
        ("P1M", "P1M", True),
        ("P2M", "P62D", True),  # July + August
        ("P2M", "P61D", False),
    ],
)
def test_le(a: str, b: str, expected: bool) -> None:
    assert le(D(a), D(b)) is expected
    assert ge(D(b), D(a)) is expected


def test_conventions_example_p6m_le_p183d_is_false() -> None:
    """An example once given for the rule docs/decisions.md keeps said "P6M <= P183D is true".

    The rule itself ("A <= B only if it holds from every start date") says otherwise: from
    1 March, six months end on 1 September, 184 days later.  The exact semantics win; the example
    was wrong and P6M fits only under P184D.
    """
    start = datetime.date(2023, 3, 1)
    assert add_to_date(start, D("P6M")) == datetime.date(2023, 9, 1)
    assert (datetime.date(2023, 9, 1) - start).days == 184
    assert add_to_date(start, D("P6M")) > add_to_date(start, D("P183D"))
    assert le(D("P6M"), D("P183D")) is False
    assert le(D("P6M"), D("P184D")) is True
    assert day_range(D("P6M")) == (181, 184)


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("P12M", "P1Y", "=="),
        ("PT24H", "P1D", "=="),
        ("P1W", "P7D", "=="),
        ("PT60M", "PT1H", "=="),
        ("P2Y6M", "P30M", "=="),
        ("P90D", "P1Y", "<"),
        ("P1Y", "P90D", ">"),
        ("P1M", "P30D", "incomparable"),
        ("P30D", "P1M", "incomparable"),
        ("P6M", "P183D", "incomparable"),
        ("P1M", "P31D", "<="),
        ("P31D", "P1M", ">="),
        ("P1M", "P28D", ">="),
        ("P1Y", "P366D", "<="),
        ("P1Y", "P365D", ">="),
        ("P1Y", "P1Y1D", "<"),
        ("P1M", "P1MT1S", "<"),
        ("PT0.5S", "PT1S", "<"),
        ("P0D", "PT0S", "=="),
        ("P4800M", "P146097D", "=="),  # 400 years are exactly 146 097 days
        ("P10000Y", "P3652425D", "=="),
        ("P1Y1M", "P397D", "<="),  # 1 Dec 2023 + 13 months = 397 days
        ("P1Y1M", "P396D", "incomparable"),
    ],
)
def test_compare(a: str, b: str, relation: str) -> None:
    assert compare(D(a), D(b)) == relation


@pytest.mark.parametrize(
    ("a", "b"),
    [("P1M", "P30D"), ("P1M", "P31D"), ("P90D", "P1Y"), ("P12M", "P1Y"), ("P1Y", "P365D")],
)
def test_strict_and_non_strict_agree_with_compare(a: str, b: str) -> None:
    x, y = D(a), D(b)
    relation = compare(x, y)
    assert le(x, y) == (relation in ("<", "<=", "=="))
    assert ge(x, y) == (relation in (">", ">=", "=="))
    assert lt(x, y) == (relation == "<")
    assert gt(x, y) == (relation == ">")


def test_lt_gt() -> None:
    assert lt(D("P90D"), D("P1Y"))
    assert not lt(D("P1M"), D("P31D"))  # equal from a 1 January start
    assert gt(D("P1Y"), D("P364D"))
    assert not gt(D("P1Y"), D("P365D"))


def _end(start: datetime.date, d: Duration) -> datetime.datetime:
    """start + d, computed independently: calendar months first, then the exact part."""
    year, month0 = divmod(start.year * 12 + start.month - 1 + d.months, 12)
    month = month0 + 1
    last_day = 31
    while True:
        try:
            shifted = datetime.date(year, month, min(start.day, last_day))
            break
        except ValueError:
            last_day -= 1
    return datetime.datetime.combine(shifted, datetime.time()) + datetime.timedelta(seconds=float(d.seconds))


def _brute_force_le(a: Duration, b: Duration) -> bool:
    """a <= b checked by adding both to every day of a nine-year window (two leap cycles)."""
    first = datetime.date(1999, 1, 1)
    days = (datetime.date(2008, 1, 1) - first).days
    starts = (first + datetime.timedelta(days=offset) for offset in range(days))
    return all(_end(start, a) <= _end(start, b) for start in starts)


durations = st.builds(
    lambda months, days, hours: D(f"P{months}M{days}DT{hours}H"),
    st.integers(0, 30),
    st.integers(0, 400),
    st.integers(0, 48),
)


@settings(max_examples=40, deadline=None)
@given(durations, durations)
def test_le_matches_brute_force(a: Duration, b: Duration) -> None:
    assert le(a, b) == _brute_force_le(a, b)


@settings(max_examples=100, deadline=None)
@given(durations, durations)
def test_compare_is_antisymmetric(a: Duration, b: Duration) -> None:
    mirror = {"<": ">", "<=": ">=", "==": "==", ">=": "<=", ">": "<"}
    mirror["incomparable"] = "incomparable"
    assert compare(b, a) == mirror[compare(a, b)]


def test_compare_is_fast_after_first_call_and_for_huge_values() -> None:
    a, b = D("P7M"), D("P213D")
    compare(a, b)
    began = time.perf_counter()
    for _ in range(1000):
        compare(a, b)
    assert time.perf_counter() - began < 0.5
    began = time.perf_counter()
    assert compare(D("P10000Y"), D("P999999999999D")) == "<"
    assert compare(D("P9999Y11M"), D("P119999M")) == "=="
    assert time.perf_counter() - began < 2


# --- day ranges and descriptions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("P1M", 28, 31),
        ("P6M", 181, 184),
        ("P1Y", 365, 366),
        ("P90D", 90, 90),
        ("PT36H", Fraction(3, 2), Fraction(3, 2)),
        ("P4Y", 1460, 1461),  # 2100 is not a leap year: some 4-year spans hold no 29 February
    ],
)
def test_day_range(text: str, low: Fraction | int, high: Fraction | int) -> None:
    assert day_range(D(text)) == (low, high)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P6M", "P6M (181–184 days)"),
        ("P90D", "P90D (90 days)"),
        ("P1Y", "P1Y (365–366 days)"),
        ("PT72H", "PT72H (3 days)"),
        ("P1D", "P1D (1 day)"),
        ("PT36H", "PT36H (1.5 days)"),
        ("PT1H", "PT1H (≈0.042 days)"),
        ("PT0.5S", "PT0.5S (<0.001 days)"),
        ("P0D", "P0D (0 days)"),
    ],
)
def test_describe(text: str, expected: str) -> None:
    assert describe(D(text)) == expected


# --- dates -------------------------------------------------------------------------------------


def test_parse_date() -> None:
    assert parse_date("2024-02-29") == datetime.date(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "2023-02-29",
        "20240101",
        "2024-1-01",
        "2024-01-01T00:00",
        " 2024-01-01",
        "2024-13-01",
        "２０２４-01-01",
        "0000-01-01",
        "2024-01-01\n",
        "",
    ],
)
def test_parse_date_invalid(text: str) -> None:
    with pytest.raises(DurationError):
        parse_date(text)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        ("2023-01-31", "P1M", "2023-02-28"),
        ("2024-01-31", "P1M", "2024-02-29"),
        ("2024-02-29", "P1Y", "2025-02-28"),
        ("2023-03-01", "P6M", "2023-09-01"),
        ("2023-08-31", "P6M", "2024-02-29"),
        ("2023-01-31", "P1M1D", "2023-03-01"),  # months first, then days
        ("2023-01-01", "PT47H59M59.9S", "2023-01-02"),  # time floored to whole days
        ("2023-01-01", "PT48H", "2023-01-03"),
        ("2023-12-31", "P1W", "2024-01-07"),
    ],
)
def test_add_to_date(start: str, duration: str, expected: str) -> None:
    assert add_to_date(parse_date(start), D(duration)) == parse_date(expected)


def test_add_to_date_overflow_is_a_duration_error() -> None:
    with pytest.raises(DurationError):
        add_to_date(datetime.date(2024, 1, 1), D("P9000Y"))
    with pytest.raises(DurationError):
        add_to_date(datetime.date(2024, 1, 1), D("P999999999999D"))
