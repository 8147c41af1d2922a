"""Tests for untrusted rule-pack regular expressions (RELIABILITY.md B5, B6)."""

from __future__ import annotations

import contextlib
import random
import re
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ocp_check.durations import DurationError, parse_duration
from ocp_check.saferegex import MAX_INPUT, SafePattern, UnsafePattern, compile_safe

DURATION_PATTERN = r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"

TYPICAL = [
    r"^[a-z][a-z0-9_-]{0,63}$",
    r"^https://",
    r"^(dpv|pd|loc|dtpr|ocp):[A-Za-z_][A-Za-z0-9_-]*$",
    DURATION_PATTERN,
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    r"^[A-Z]{2}$",
    r"\s+$",
    r"[a-z]+@[a-z]+\.[a-z]+",
    r"^(?!\s)",
    r"\bTODO\b",
    r"(foo|bar)+baz",
    r"^(?:ab|ac)*$",
    r"(\d{2}:)*\d{2}",
    r"^[^<>]*$",
    r"a*?b",
    r"",
    r"(?P<name>x)y",
    r"\u00e9|\x41",
    # Delimited repetitions (R4's exception), as in the project's own schemas:
    r"^[a-z][a-z0-9-]*@[0-9]+(\.[0-9]+){0,2}$",
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    r"^[A-Z]{2,4}-[0-9]+(\.[0-9]+)*$",
    r"^[a-z][a-z0-9-]*(@[0-9]+(\.[0-9]+){0,2})?$",
    r"^[a-z0-9]+(-[a-z0-9]+)*$",
    r"^([0-9]{1,3}\.){3}[0-9]{1,3}$",
    r"(a-?)+",
]


# --- accepted patterns and the ECMA-262 dialect ------------------------------------------------


@pytest.mark.parametrize("pattern", TYPICAL)
def test_typical_schema_patterns_are_accepted(pattern: str) -> None:
    assert compile_safe(pattern).source == pattern


def test_dollar_is_end_of_input() -> None:
    pattern = compile_safe(r"^[0-9]{3}$")
    assert re.search(r"^[0-9]{3}$", "123\n")  # what Python would say
    assert not pattern.search("123\n")
    assert pattern.search("123")
    assert not pattern.search("1234")


def test_digit_and_word_classes_are_ascii() -> None:
    assert re.search(r"\d", "٣")  # Python's default
    assert not compile_safe(r"\d").search("٣")
    assert not compile_safe(r"^\w+$").search("café")
    assert compile_safe(r"^\w+$").search("cafe_1")
    assert compile_safe(r"\bcaf\b").search("café")  # é is not a word character


def test_space_class_is_ecma_white_space() -> None:
    space = compile_safe(r"^\s$")
    for char in "\t\n\x0b\x0c\r \u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff":
        assert space.search(char), hex(ord(char))
    for char in "\x85\u180e\u200b_a":
        assert not space.search(char), hex(ord(char))
    assert compile_safe(r"^\S$").search("\u200b")


def test_dot_excludes_line_terminators() -> None:
    dot = compile_safe(r"^.$")
    for char in "\n\r\u2028\u2029":
        assert not dot.search(char)
    for char in "a\x00\x85😀\ud800":
        assert dot.search(char)


def test_caret_is_start_of_input_only() -> None:
    assert not compile_safe(r"^b").search("a\nb")
    assert compile_safe(r"^a").search("a\nb")
    assert not compile_safe(r"a$").search("a\nb")


def test_search_is_unanchored() -> None:
    assert compile_safe("needle").search("haystack with a needle in it")
    assert not compile_safe("needle").search("haystack")
    assert compile_safe("").search("")
    assert compile_safe("x*").search("")


def test_boundaries_and_lookahead() -> None:
    assert compile_safe(r"\bfoo\b").search("a foo b")
    assert not compile_safe(r"\bfoo\b").search("afoo")
    assert compile_safe(r"\Bfoo").search("afoo")
    assert compile_safe(r"^a(?=b)").search("ab")
    assert not compile_safe(r"^a(?=b)").search("ac")
    assert compile_safe(r"a(?!b)").search("ab ac")
    assert not compile_safe(r"a(?!b)").search("ab")
    assert compile_safe(r"a(?!$)").search("ab")
    assert not compile_safe(r"a(?!$)").search("a")
    assert compile_safe(r"a(?=$|\d)").search("a1")
    assert compile_safe(r"a(?=$|\d)").search("xa")
    assert not compile_safe(r"a(?=$|\d)").search("ab")
    assert compile_safe(r"x(?=\b)").search("x y")
    assert compile_safe(r"\B").search("")  # ECMA-262: /\B/.test("") is true


def test_lookahead_in_repetition() -> None:
    pattern = compile_safe(r"^(?:(?!-)[a-z-])+$")
    assert pattern.search("abc")
    assert not pattern.search("a-c")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P90D", True),
        ("P1Y", True),
        ("P6M", True),
        ("PT72H", True),
        ("P1Y2M3DT4H5M6S", True),
        ("PT0.5S", True),
        ("P1W", True),
        ("P", False),
        ("PT", False),
        ("P1DT", False),
        ("P1M2Y", False),
        ("p90d", False),
        ("P90D\n", False),
        ("P١D", False),
        ("xP90D", False),
    ],
)
def test_duration_schema_pattern(text: str, expected: bool) -> None:
    assert compile_safe(DURATION_PATTERN).search(text) is expected


@settings(max_examples=300)
@given(st.text(alphabet="PYMWDTHS0159.", max_size=12))
def test_duration_schema_pattern_agrees_with_parse_duration(text: str) -> None:
    try:
        parse_duration(text)
    except DurationError as error:
        if "more than" in str(error):  # size limits the pattern does not express
            return
        parsed = False
    else:
        parsed = True
    assert compile_safe(DURATION_PATTERN).search(text) is parsed


# --- rejected patterns -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(a+)+$", "nested quantifier '(a+)+' can take exponential time"),
        (r"(a*)*", "nested quantifier '(a*)*'"),
        (r"(\w+\s?)*", r"nested quantifier '(\w+\s?)*'"),
        (r"(a?a)*", "nested quantifier"),
        (r"(-a*b*)*", "nested quantifier"),  # two quantifiers: not a delimited repetition
        (r"(-[a-z]+-?)*", "nested quantifier"),  # the delimiter also matches inside
        (r"([0-9]{1,3}\.?){3}", "nested quantifier"),  # optional delimiter
        (r"(a|aa)+", "repeated alternation"),
        (r"^(a|a)*$", "repeated alternation"),  # RELIABILITY.md B5's example
        (r"(ab|a.)*", "repeated alternation"),
        (r"(x|)*", "repeat an empty match"),
        (r"(z(?:xy|))+", "a branch can match the empty string"),
        (r"(?:[ab]x|ay)*", "two branches can start with the same character"),
        (r"(?:\b)*", "repeat an empty match"),
        (r"a*a*a*a*b", "4 consecutive unbounded quantifiers"),
        (r".*a.*a.*a.*a", "4 consecutive unbounded quantifiers"),
        (r"(a)\1", "backreference"),
        (r"(?P<n>a)(?P=n)", "backreference"),
        (r"(?<=a)b", "lookbehind"),
        (r"(?<!a)b", "lookbehind"),
        (r"(a)?(?(1)b|c)", "conditional group"),
        (r"(?i)abc", "inline flags"),
        (r"(?x) a b", "inline flags"),
        (r"(?s:.)", "inline flags"),
        (r"(?m)^a", "inline flags"),
        (r"\Aabc", r"'\A', '\Z' and '\z' are not ECMA-262"),
        (r"abc\Z", "not ECMA-262"),
        (r"abc\z", "not ECMA-262"),
        (r"(?=ab)", "more than one character ahead"),
        (r"(?=a+)", "no quantifier"),
        (r"(?=(?=a))", "nested lookahead"),
        (r"a{1001}", "above the limit of 1000"),
        (r"(?:abc){400}", "more than 1000 character positions"),
        ("a" * 1001, "longer than 1000 characters"),
        ("(" * 33 + "a" + ")" * 33, "nested more than 32 deep"),
        (r"(", "invalid regular expression"),
        (r"[z-a]", "invalid regular expression"),
        (r"a**", "invalid regular expression"),
    ],
)
def test_unsafe_patterns_are_rejected_with_a_reason(pattern: str, message: str) -> None:
    with pytest.raises(UnsafePattern) as caught:
        compile_safe(pattern)
    assert message in str(caught.value)


def test_delimited_repetition_is_linear_for_backtracking_engines_too() -> None:
    """R4's exception is about portability: Python's re, a backtracking engine, stays fast."""
    for pattern, text in [
        (r"^[A-Z]{2,4}-[0-9]+(\.[0-9]+)*$", "AB-1" + ".1" * 5000 + "!"),
        (r"^[a-z0-9]+(-[a-z0-9]+)*$", "a" + "-a" * 5000 + "!"),
        (r"^([0-9]{1,3}\.){3}[0-9]{1,3}$", "1." * 5000 + "!"),
    ]:
        compile_safe(pattern)
        began = time.perf_counter()
        assert not re.search(pattern.replace("$", r"\Z"), text)
        assert time.perf_counter() - began < 0.5


def test_possessive_and_atomic_are_rejected() -> None:
    for pattern in (r"a*+b", r"(?>a)b"):
        with pytest.raises(UnsafePattern):
            compile_safe(pattern)


def test_unsafe_pattern_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="nested quantifier"):
        compile_safe(r"(a+)+")


def test_constructing_directly_checks_too() -> None:
    with pytest.raises(UnsafePattern):
        SafePattern(r"(a+)+")


def test_non_string_pattern() -> None:
    with pytest.raises(UnsafePattern):
        compile_safe(42)  # type: ignore[arg-type]


def test_equality_and_hash_by_source() -> None:
    assert compile_safe("a+") == compile_safe("a+")
    assert hash(compile_safe("a+")) == hash(SafePattern("a+"))
    assert compile_safe("a+") != compile_safe("a*")
    assert "a+" in repr(compile_safe("a+"))


# --- time --------------------------------------------------------------------------------------


def test_input_longer_than_the_limit_is_refused() -> None:
    pattern = compile_safe("a")
    assert pattern.search("b" * MAX_INPUT + "") is False
    with pytest.raises(UnsafePattern, match="input too long"):
        pattern.search("a" * (MAX_INPUT + 1))


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        # Each of these takes between 5 and 70 seconds with Python's re (quadratic search).
        (r"a*b", "a" * MAX_INPUT),
        (r"\s+$", " " * (MAX_INPUT - 1) + "x"),
        (r"[a-z]+@", "a" * MAX_INPUT),
        (r"(ab|cd)+$", "ab" * (MAX_INPUT // 2 - 1) + "x"),
        (r"a.*b", "a" * MAX_INPUT),
        (r"a*a*a*b", "a" * MAX_INPUT),
        (r"^[a-z][a-z0-9_-]{0,63}$", "a" * MAX_INPUT),
        (r"\bfoo\b", "xfoo " * (MAX_INPUT // 5)),
        (DURATION_PATTERN, "P" + "1" * (MAX_INPUT - 1)),
    ],
)
def test_safe_pattern_on_100k_characters_is_fast(pattern: str, text: str) -> None:
    compiled = compile_safe(pattern)
    began = time.perf_counter()
    assert compiled.search(text) is False
    assert time.perf_counter() - began < 1.0


@pytest.mark.slow
def test_worst_case_automaton_stays_linear() -> None:
    """Every step builds a new DFA state: the slowest case, still about 40 µs a character."""
    rng = random.Random(7)
    text = "".join(rng.choice("ab") for _ in range(MAX_INPUT))
    compiled = compile_safe(r"a[ab]{998}c")
    began = time.perf_counter()
    assert compiled.search(text) is False
    assert time.perf_counter() - began < 30


# --- properties --------------------------------------------------------------------------------

REGEX_ALPHABET = st.sampled_from(
    [*"ab.^$|()[]{}*+?-\\dswbBDSWzZA019,=!<:P", "(?:", "(?=", "(?!", "(?<", "(?P<n>"]
)
regexish = st.lists(REGEX_ALPHABET, max_size=24).map("".join)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=40), regexish))
def test_compile_safe_raises_only_unsafe_pattern(pattern: str) -> None:
    with contextlib.suppress(UnsafePattern):  # any other exception fails the test
        compile_safe(pattern)


texts_2000 = st.one_of(
    st.text(min_size=1, max_size=20).map(lambda t: (t * 2000)[:2000]),
    st.text(alphabet="ab019 -_.\n", min_size=2000, max_size=2000),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=40), regexish), texts_2000)
def test_accepted_patterns_match_2000_characters_quickly(pattern: str, text: str) -> None:
    try:
        compiled = compile_safe(pattern)
    except UnsafePattern:
        return
    began = time.perf_counter()
    compiled.search(text)
    assert time.perf_counter() - began < 0.2


# --- agreement with a Python oracle ------------------------------------------------------------

_ECMA_SPACE = "\t\n\x0b\x0c\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

# (ECMA-262 source, the equivalent Python pattern under re.ASCII)
ATOMS = [
    ("a", "a"),
    ("b", "b"),
    ("1", "1"),
    ("[ab]", "[ab]"),
    ("[^a]", "[^a]"),
    (".", "[^\n\r\u2028\u2029]"),
    (r"\d", r"\d"),
    (r"\w", r"\w"),
    (r"\s", f"[{_ECMA_SPACE}]"),
    (r"\S", f"[^{_ECMA_SPACE}]"),
    (r"\.", r"\."),
]
ZERO_WIDTH = [
    ("^", "^"),
    ("$", r"\Z"),
    (r"\b", r"\b"),
    (r"\B", r"\B"),
    ("(?=a)", "(?=a)"),
    ("(?!$)", r"(?!\Z)"),
    (r"(?=\d|$)", r"(?=\d|\Z)"),
]
QUANTIFIERS = ["*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?"]


@st.composite
def ecma_and_python(draw: st.DrawFn, depth: int = 0) -> tuple[str, str]:
    parts: list[tuple[str, str]] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 9 if depth < 2 else 6))
        if kind <= 4:
            parts.append(draw(st.sampled_from(ATOMS)))
        elif kind <= 6:
            parts.append(draw(st.sampled_from(ZERO_WIDTH)))
        elif kind <= 8:
            left = draw(ecma_and_python(depth + 1))
            right = draw(ecma_and_python(depth + 1))
            parts.append((f"(?:{left[0]}|{right[0]})", f"(?:{left[1]}|{right[1]})"))
        else:
            inner = draw(ecma_and_python(depth + 1))
            parts.append((f"({inner[0]})", f"({inner[1]})"))
        if kind <= 4 or kind >= 7:
            quantifier = draw(st.sampled_from(["", "", *QUANTIFIERS]))
            parts[-1] = (parts[-1][0] + quantifier, parts[-1][1] + quantifier)
    return "".join(p[0] for p in parts), "".join(p[1] for p in parts)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ecma_and_python(),
    st.lists(st.text(alphabet="ab1_ .\n\r\u2028\u00a0٣é", max_size=10), min_size=1, max_size=5),
)
def test_agrees_with_python_re_on_the_common_dialect(patterns: tuple[str, str], texts: list[str]) -> None:
    ecma, python = patterns
    try:
        compiled = compile_safe(ecma)
    except UnsafePattern:
        assume(False)
        return
    oracle = re.compile(python, re.ASCII)
    for text in texts:
        if not text and r"\B" in ecma:
            continue  # Python's \B never matches an empty input (until 3.14); ECMA's does
        assert compiled.search(text) == bool(oracle.search(text)), (ecma, text)
