"""ISO 8601 durations, compared as lengths of time rather than as strings.

Retention policies state periods such as ``P90D``, ``P6M`` or ``P1Y``, and clauses compare them
with limits ("keep raw sensor data at most ``P6M``").  Comparing the numbers alone would be wrong:
a month is 28 to 31 days and a year 365 or 366, so ``P1M`` is neither shorter nor longer than
``P30D``.  The project's documented rule (docs/decisions.md, "Rules are data") is therefore that
``A <= B`` holds only if ``start + A <= start + B`` for *every* start date, which is what a
procurement officer can rely on whatever day the clock starts.

Adding months follows ISO 8601 / XML Schema: the day is clamped to the end of the target month
(31 January + ``P1M`` is 28 or 29 February).  The exact comparison uses the fact that the
Gregorian calendar repeats every 400 years (146 097 days, a whole number of weeks), so
enumerating every start over one 400-year cycle covers all dates.  Start days 2..27 behave like
day 1 (no clamping can happen), so only days 1, 28, 29, 30 and 31 of each month are examined.
The spans are cached per month count modulo 4800, so comparisons are fast after the first one and
never slow for huge values; absurd values are rejected outright to keep every computation cheap.

Durations are never negative and only the seconds component may have a fraction: a fractional
month or year has no exact length, and the project's own schema pattern allows a fraction only in
seconds.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Literal

from ocp_check import l10n
from ocp_check.i18n import _, current_language, ngettext

__all__ = [
    "MAX_YEARS",
    "Duration",
    "DurationError",
    "add_to_date",
    "compare",
    "day_range",
    "describe",
    "ge",
    "gt",
    "le",
    "lt",
    "parse_date",
    "parse_duration",
]

#: Largest calendar part accepted, in years.  Retention periods are days to decades; anything
#: beyond ten millennia is a typo or an attempt to make the checker do silly arithmetic.
MAX_YEARS = 10_000
#: Longest digit string accepted in any component (and in a fraction), for the same reason.
MAX_DIGITS = 12
#: Longest text even looked at: seven 12-digit components with their designators fit easily.
_MAX_TEXT = 120

_SECONDS_PER_DAY = 86_400
_CYCLE_MONTHS = 4_800  # 400 years
_CYCLE_DAYS = 146_097  # days in 400 Gregorian years
_START_DAYS = (1, 28, 29, 30, 31)

# ASCII digits only ([0-9], not \d) and fullmatch: the grammar is deliberately strict, so
# lowercase designators, signs, commas, whitespace and wrong component order all fail.
_DURATION_RE = re.compile(
    r"P"
    r"(?:(?P<years>[0-9]+)Y)?"
    r"(?:(?P<months>[0-9]+)M)?"
    r"(?:(?P<weeks>[0-9]+)W)?"
    r"(?:(?P<days>[0-9]+)D)?"
    r"(?:(?P<time>T)"
    r"(?:(?P<hours>[0-9]+)H)?"
    r"(?:(?P<minutes>[0-9]+)M)?"
    r"(?:(?P<seconds>[0-9]+)(?:\.(?P<fraction>[0-9]+))?S)?"
    r")?"
)
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

Relation = Literal["<", "<=", "==", ">=", ">", "incomparable"]


class DurationError(ValueError):
    """A duration or date that is not valid in the strict dialect this project accepts.

    It subclasses :class:`ValueError` so callers that only know "bad value" still catch it, while
    the message says exactly which part of the vendor's text is wrong.
    """


@dataclass(frozen=True, slots=True)
class Duration:
    """A parsed duration: a calendar part and an exact part.

    Months (and years, as twelve months) have no fixed length, so they are kept apart from
    everything else, which converts exactly to seconds (a day is 86 400 s: retention periods are
    about calendar days, not about leap seconds or daylight-saving changes).  ``text`` keeps the
    vendor's own spelling so messages quote what the document says.  Equality of two ``Duration``
    objects compares the spelling too; use :func:`compare` to compare lengths.
    """

    text: str
    months: int
    seconds: Fraction


def _number(value: str, component: str, text: str) -> int:
    if len(value) > MAX_DIGITS:
        raise DurationError(_("duration {text}: the {component} component has more than {limit} digits", text=repr(text), component=component, limit=MAX_DIGITS))
    return int(value)


def parse_duration(text: str) -> Duration:
    """Parse an ISO 8601 duration such as ``P1Y2M3DT4H5M6S`` or ``PT0.5S``.

    The dialect is strict on purpose: a retention period that only some readers understand (a
    lowercase ``p90d``, a comma decimal, ``P1M2Y`` in the wrong order, a fractional month) must be
    reported, not guessed at.
    """
    if not isinstance(text, str):
        raise DurationError(_("a duration must be a string, not {type}", type=type(text).__name__))
    if len(text) > _MAX_TEXT:
        raise DurationError(_("duration is too long ({value} characters)", value=len(text)))
    match = _DURATION_RE.fullmatch(text)
    if match is None:
        raise DurationError(
            _("{text} is not an ISO 8601 duration (expected e.g. P90D, P6M, P1Y, PT72H; uppercase designators in the order Y M W D T H M S)", text=repr(text))
        )
    parts = match.groupdict()
    if match.group("time") is not None and not any(
        parts[name] is not None for name in ("hours", "minutes", "seconds")
    ):
        raise DurationError(_("duration {text}: 'T' must be followed by hours, minutes or seconds", text=repr(text)))
    if not any(
        parts[name] is not None
        for name in ("years", "months", "weeks", "days", "hours", "minutes", "seconds")
    ):
        raise DurationError(_("duration {text} has no components", text=repr(text)))

    def get(name: str) -> int:
        value = parts[name]
        return 0 if value is None else _number(value, name, text)

    years = get("years")
    if years > MAX_YEARS:
        raise DurationError(_("duration {text}: more than {limit} years", text=repr(text), limit=MAX_YEARS))
    months = years * 12 + get("months")
    if months > MAX_YEARS * 12:
        raise DurationError(_("duration {text}: more than {limit} years of months", text=repr(text), limit=MAX_YEARS))
    seconds = Fraction(
        ((get("weeks") * 7 + get("days")) * 24 + get("hours")) * 3600 + get("minutes") * 60 + get("seconds")
    )
    fraction = parts["fraction"]
    if fraction is not None:
        if len(fraction) > MAX_DIGITS:
            raise DurationError(_("duration {text}: the seconds fraction has more than {limit} digits", text=repr(text), limit=MAX_DIGITS))
        seconds += Fraction(int(fraction), 10 ** len(fraction))
    return Duration(text=text, months=months, seconds=seconds)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


@lru_cache(maxsize=1)
def _calendar() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Ordinal of the 1st and length of each month over two 400-year cycles from 2000-01.

    Two cycles so that a start anywhere in the first cycle plus up to 4 799 months still lands
    inside the table.
    """
    firsts: list[int] = []
    lengths: list[int] = []
    for index in range(2 * _CYCLE_MONTHS):
        year, month0 = divmod(index, 12)
        year += 2000
        firsts.append(datetime.date(year, month0 + 1, 1).toordinal())
        lengths.append(_days_in_month(year, month0 + 1))
    return tuple(firsts), tuple(lengths)


@lru_cache(maxsize=1)
def _starts() -> tuple[tuple[int, int], ...]:
    """Every distinct kind of start date in one 400-year cycle: (month index, day of month)."""
    _firsts, lengths = _calendar()
    return tuple(
        (index, day) for index in range(_CYCLE_MONTHS) for day in _START_DAYS if day <= lengths[index]
    )


@lru_cache(maxsize=256)
def _spans(months_mod: int) -> tuple[int, ...]:
    """Days covered by ``months_mod`` calendar months from each start in :func:`_starts`.

    Adding months keeps the day of month, clamped to the target month's length.
    """
    firsts, lengths = _calendar()
    result: list[int] = []
    for index, day in _starts():
        target = index + months_mod
        result.append(firsts[target] - firsts[index] + min(day, lengths[target]) - day)
    return tuple(result)


def _span_parts(months: int) -> tuple[int, int]:
    """Split a month count into a cached residue and a whole number of 400-year cycles."""
    cycles, residue = divmod(months, _CYCLE_MONTHS)
    return residue, cycles * _CYCLE_DAYS


@lru_cache(maxsize=4096)
def _month_bounds(months_mod: int) -> tuple[int, int]:
    spans = _spans(months_mod)
    return min(spans), max(spans)


@lru_cache(maxsize=4096)
def _difference_bounds(a_mod: int, b_mod: int) -> tuple[int, int]:
    """Min and max over all starts of ``span(a_mod) - span(b_mod)``, in days."""
    if a_mod == b_mod:
        return 0, 0
    if b_mod == 0:
        return _month_bounds(a_mod)
    if a_mod == 0:
        low, high = _month_bounds(b_mod)
        return -high, -low
    differences = [x - y for x, y in zip(_spans(a_mod), _spans(b_mod), strict=True)]
    return min(differences), max(differences)


def _range_of_difference(a: Duration, b: Duration) -> tuple[Fraction, Fraction]:
    """Min and max of ``(start + a) - (start + b)`` in seconds over every start date."""
    a_mod, a_days = _span_parts(a.months)
    b_mod, b_days = _span_parts(b.months)
    low, high = _difference_bounds(a_mod, b_mod)
    offset = (a_days - b_days) * _SECONDS_PER_DAY + a.seconds - b.seconds
    return low * _SECONDS_PER_DAY + offset, high * _SECONDS_PER_DAY + offset


def day_range(d: Duration) -> tuple[Fraction, Fraction]:
    """Shortest and longest length of ``d`` in days over every possible start date.

    This is what a message shows next to the vendor's text, so a reader sees at once why
    ``P6M`` does not fit under a ``P183D`` limit.
    """
    residue, cycle_days = _span_parts(d.months)
    low, high = _month_bounds(residue) if residue else (0, 0)
    extra = Fraction(d.seconds, _SECONDS_PER_DAY)
    return low + cycle_days + extra, high + cycle_days + extra


def compare(a: Duration, b: Duration) -> Relation:
    """Relate two durations over every start date.

    ``"<"`` / ``">"``: strictly shorter / longer from every start; ``"<="`` / ``">="``: never
    longer / shorter but equal from some starts; ``"=="``: equal from every start (``P12M`` and
    ``P1Y``, ``PT24H`` and ``P1D``); ``"incomparable"``: which one is longer depends on the start
    (``P1M`` and ``P30D``).
    """
    low, high = _range_of_difference(a, b)
    if low == 0 and high == 0:
        return "=="
    if high < 0:
        return "<"
    if high <= 0:
        return "<="
    if low > 0:
        return ">"
    if low >= 0:
        return ">="
    return "incomparable"


def le(a: Duration, b: Duration) -> bool:
    """``a <= b`` from every start date (the project's meaning of "at most")."""
    return _range_of_difference(a, b)[1] <= 0


def lt(a: Duration, b: Duration) -> bool:
    """``a < b`` from every start date."""
    return _range_of_difference(a, b)[1] < 0


def ge(a: Duration, b: Duration) -> bool:
    """``a >= b`` from every start date (the project's meaning of "at least")."""
    return _range_of_difference(a, b)[0] >= 0


def gt(a: Duration, b: Duration) -> bool:
    """``a > b`` from every start date."""
    return _range_of_difference(a, b)[0] > 0


def _format_days(value: Fraction) -> tuple[str, bool]:
    """Days as short decimal text, and whether that text is exact."""
    if value.denominator == 1:
        return str(value.numerator), True
    rounded = round(value, 3)
    if rounded == 0:
        return "0.001", False
    return f"{float(rounded):.3f}".rstrip("0").rstrip("."), rounded == value


def describe(d: Duration) -> str:
    """The vendor's text followed by its length in days, e.g. ``"P6M (181–184 days)"``.

    Messages about retention limits show this for both sides, so nobody has to know that six
    months can be 181 days.  Lengths that are not whole days are rounded to three decimals and
    marked ``≈`` (``"PT1H (≈0.042 days)"``); under a thousandth of a day reads ``"<0.001 days"``.
    The words and the decimal mark are the run's language's (« P6M (181–184 jours) »).
    """
    low, high = day_range(d)
    if low == high:
        text, exact = _format_days(low)
        if low != 0 and low < Fraction(1, 1000):
            return _("{duration} (<{days} days)", duration=d.text, days=_shown(_format_days(Fraction(1, 1000))[0]))
        mark = "" if exact else "≈"
        # English says "1 day" but "0.5 days"; French uses the singular below 2 (« 0,5 jour »).
        count = 1 if low == 1 or (low < 2 and current_language() == "fr") else 2
        return ngettext(
            "{duration} ({approx}{days} day)",
            "{duration} ({approx}{days} days)",
            count,
            duration=d.text,
            approx=mark,
            days=_shown(text),
        )
    low_text, low_exact = _format_days(low)
    high_text, high_exact = _format_days(high)
    mark = "" if low_exact and high_exact else "≈"
    return _(
        "{duration} ({approx}{low}–{high} days)",
        duration=d.text,
        approx=mark,
        low=_shown(low_text),
        high=_shown(high_text),
    )


def _shown(number: str) -> str:
    """A number of days as ``_format_days`` writes it, in the run's language (``0,042``)."""
    return l10n.localize_number(number, current_language())


def parse_date(text: str) -> datetime.date:
    """Parse a strict ``YYYY-MM-DD`` date (``--today``, waiver expiry, effective dates).

    :meth:`datetime.date.fromisoformat` also accepts forms such as ``20240101`` on newer Pythons;
    the project wants one spelling everywhere, with the same result on every supported version.
    """
    if not isinstance(text, str) or _DATE_RE.fullmatch(text) is None:
        raise DurationError(_("{text} is not a date in the form YYYY-MM-DD", text=repr(text)))
    try:
        return datetime.date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
    except ValueError as error:
        raise DurationError(_("{text} is not a valid date: {error}", text=repr(text), error=error)) from None


def add_to_date(start: datetime.date, d: Duration) -> datetime.date:
    """Add ``d`` to a date: months first (clamped to the month's end), then whole days.

    This is the order XML Schema uses; the time part is floored to whole days because the
    result is a date (an expiry or a deletion deadline), never a moment.
    """
    month_index = start.year * 12 + (start.month - 1) + d.months
    year, month0 = divmod(month_index, 12)
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise DurationError(_("{date} + {duration} is beyond the year {year}", date=start.isoformat(), duration=d.text, year=datetime.MAXYEAR))
    day = min(start.day, _days_in_month(year, month0 + 1))
    shifted = datetime.date(year, month0 + 1, day)
    whole_days = d.seconds // _SECONDS_PER_DAY
    try:
        return shifted + datetime.timedelta(days=int(whole_days))
    except OverflowError:
        raise DurationError(_("{date} + {duration} is beyond the year {year}", date=start.isoformat(), duration=d.text, year=datetime.MAXYEAR)) from None
