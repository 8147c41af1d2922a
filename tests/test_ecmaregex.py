"""Regular expressions from standards, rule packs and schemas: the ECMA-262 translation.

Expectations come from the ECMA-262 specification (the dialect tests), from Python's ``re``
given the ECMA-262 meaning explicitly (``tests/regex_oracle.py``: known-correct on small
inputs), and from jsonschema-rs running the Rust rendering of the same translation.  Every
behaviour test runs on both engines: RE2, and the Rust ``regex`` crate used where google-re2
has no wheel.
"""

from __future__ import annotations

import contextlib
import importlib.util
import pickle
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ocp_check import ecmaregex
from ocp_check.durations import DurationError, parse_duration
from ocp_check.ecmaregex import SafePattern, UnsafePattern
from tests.regex_oracle import ECMA_SPACE, REPO, python_oracle, shipped_patterns

ENGINES = [
    name for name, module in (("re2", "re2"), ("rust", "jsonschema_rs")) if importlib.util.find_spec(module)
]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def compile_safe(engine: str) -> Callable[[str], SafePattern]:
    """``ecmaregex.compile_safe`` for one engine."""
    return lambda pattern: SafePattern(pattern, engine=engine)


DURATION_PATTERN = r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
SHIPPED = shipped_patterns()


# --- the shipped standards ---------------------------------------------------------------------


def test_the_shipped_patterns_are_collected_from_every_place_they_live() -> None:
    """Schemas, ``patternProperties`` keys, rule packs, parameters and the meta-schemas."""
    assert (
        r"^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+S)?)?$"
        in SHIPPED
    )
    assert "^x-" in SHIPPED  # a patternProperties key of the OpenAPI schemas
    assert r"^3\.[01]\.[0-9]+$" in SHIPPED  # a rule pack's pattern check
    assert "^(cursor|offset|limit|page|per_?page)$" in SHIPPED  # a parameter's default
    assert r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$" in SHIPPED  # a meta-schema
    assert len(SHIPPED) >= 90


@pytest.mark.parametrize("pattern", SHIPPED)
def test_every_shipped_pattern_is_accepted(pattern: str, compile_safe: Callable[[str], SafePattern]) -> None:
    assert compile_safe(pattern).source == pattern


def _mutations(text: str) -> list[str]:
    out = [text, text + "\n", "\n" + text, text[:-1], text[1:], text + "x", text.upper(), text + "٣"]
    if text:
        middle = len(text) // 2
        out += [text[:middle] + text[middle + 1 :], text[:middle] + "-" + text[middle:]]
    return out


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("pattern", SHIPPED)
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_shipped_patterns_agree_with_the_oracle(pattern: str, engine: str, data: st.DataObject) -> None:
    """Texts drawn from the pattern itself, and their near misses, against Python's ``re``."""
    oracle = re.compile(python_oracle(pattern), re.ASCII)
    compiled = SafePattern(pattern, engine=engine)
    drawn = data.draw(st.one_of(st.from_regex(re.compile(pattern), fullmatch=False), st.text(max_size=12)))
    for text in _mutations(drawn):
        assert compiled.search(text) is bool(oracle.search(text)), (pattern, text)


# --- the ECMA-262 dialect ----------------------------------------------------------------------


def test_dollar_is_end_of_input(compile_safe: Callable[[str], SafePattern]) -> None:
    pattern = compile_safe(r"^[0-9]{3}$")
    assert re.search(r"^[0-9]{3}$", "123\n")  # what Python would say
    assert not pattern.search("123\n")
    assert pattern.search("123")
    assert not pattern.search("1234")


def test_caret_is_start_of_input_only(compile_safe: Callable[[str], SafePattern]) -> None:
    assert not compile_safe(r"^b").search("a\nb")
    assert compile_safe(r"^a").search("a\nb")
    assert not compile_safe(r"a$").search("a\nb")


def test_digit_and_word_classes_are_ascii(compile_safe: Callable[[str], SafePattern]) -> None:
    assert re.search(r"\d", "٣")  # Python's default
    assert not compile_safe(r"\d").search("٣")
    assert not compile_safe(r"^\w+$").search("café")
    assert compile_safe(r"^\w+$").search("cafe_1")
    assert compile_safe(r"\bcaf\b").search("café")  # é is not a word character
    assert compile_safe(r"^\D\W$").search("٣é")


def test_space_class_is_ecma_white_space(compile_safe: Callable[[str], SafePattern]) -> None:
    space = compile_safe(r"^\s$")
    for char in "\t\n\x0b\x0c\r \u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff":
        assert space.search(char), hex(ord(char))
    for char in "\x85\u180e\u200b_a":
        assert not space.search(char), hex(ord(char))
    assert compile_safe(r"^\S$").search("\u200b")
    assert compile_safe(r"^[\s]$").search("\u3000")
    assert not compile_safe(r"^[^\s]$").search("\u3000")


def test_dot_excludes_line_terminators_only(compile_safe: Callable[[str], SafePattern]) -> None:
    dot = compile_safe(r"^.$")
    for char in "\n\r\u2028\u2029":
        assert not dot.search(char)
    for char in "a\x00\x85\u0085\ufffd\U0010ffff":
        assert dot.search(char)


def test_code_points_not_code_units(compile_safe: Callable[[str], SafePattern]) -> None:
    """The u flag: an astral character is one code point, as JSON Schema 2020-12 asks."""
    assert compile_safe(r"^.$").search("😀")
    assert compile_safe(r"^\uD83D\uDE00$").search("😀")  # a surrogate pair escape
    assert compile_safe(r"^\u{1F600}$").search("😀")
    assert compile_safe(r"^[😀-😂]$").search("😁")
    assert not compile_safe(r"^..$").search("😀")


def test_lone_surrogates(compile_safe: Callable[[str], SafePattern], engine: str) -> None:
    """Documents never hold one (the loader writes U+FFFD); a caller's text may."""
    assert compile_safe(r"^.$").search("\ud800")
    assert compile_safe(r"^[^a]$").search("\udfff")
    assert compile_safe(r"^.$").search("\ud83d\ude00")  # two surrogates in a str: one code point
    assert not compile_safe(r"^\uD800$").search("\ufffd")
    # RE2 matches them as the code points they are; Rust strings cannot hold them (U+FFFD).
    assert compile_safe(r"^\uD800$").search("\ud800") is (engine == "re2")


def test_search_is_unanchored(compile_safe: Callable[[str], SafePattern]) -> None:
    assert compile_safe("needle").search("haystack with a needle in it")
    assert not compile_safe("needle").search("haystack")
    assert compile_safe("").search("")
    assert compile_safe("x*").search("")


def test_empty_and_full_classes(compile_safe: Callable[[str], SafePattern]) -> None:
    """ECMA-262: ``[]`` matches nothing, ``[^]`` any code point (Python reads both otherwise)."""
    assert not compile_safe("[]").search("a")
    assert not compile_safe("a|[]").search("b")
    assert compile_safe("a|[]").search("a")
    assert compile_safe("^[^]$").search("\n")
    assert compile_safe("^[]a]$").search("") is False
    assert compile_safe(r"^[]*x$").search("x")


def test_escapes(compile_safe: Callable[[str], SafePattern]) -> None:
    for pattern, text in [
        (r"^\t\n\v\f\r$", "\t\n\x0b\x0c\r"),
        (r"^\cJ\cj$", "\n\n"),
        (r"^\0$", "\x00"),
        (r"^\x41\u0042$", "AB"),
        (r"^[\b]$", "\x08"),
        (r"^[a\-z]+$", "a-z"),
        (r"^\/\.\$\{\}\(\)\[\]\|\?\*\+\^\\$", "/.${}()[]|?*+^\\"),
        (r"^\-\_\@\#\ $", "-_@# "),  # escaped ASCII punctuation: the character itself
        (r"^a]b}$", "a]b}"),  # a lone ']' or '}' is itself
        (r"^(?<year>[0-9]{4})$", "2026"),
        (r"^a{2}b{1,}c{0,1}$", "aabbb"),
        (r"^a*?b+?c??$", "bc"),
    ]:
        assert compile_safe(pattern).search(text), pattern


def test_word_boundaries_are_ascii(compile_safe: Callable[[str], SafePattern]) -> None:
    assert compile_safe(r"\bfoo\b").search("a foo b")
    assert not compile_safe(r"\bfoo\b").search("afoo")
    assert compile_safe(r"\Bfoo").search("afoo")
    assert compile_safe(r"\B").search("")  # ECMA-262: /\B/.test("") is true
    assert compile_safe(r"\B").search("é")


def test_non_boundary_is_tested_between_code_points_only(compile_safe: Callable[[str], SafePattern]) -> None:
    """RE2 may try a match inside a UTF-8 sequence; ECMA-262 has no position there."""
    assert not compile_safe(r"\B").search("aéa")  # every position is a boundary
    assert not compile_safe(r"(?:x|)\B").search("aéa")
    assert compile_safe(r"\B").search("aéé")


def test_lookahead(compile_safe: Callable[[str], SafePattern]) -> None:
    assert compile_safe(r"^a(?=b)").search("ab")
    assert not compile_safe(r"^a(?=b)").search("ac")
    assert compile_safe(r"a(?!b)").search("ab ac")
    assert not compile_safe(r"a(?!b)").search("ab")
    assert compile_safe(r"a(?!$)").search("ab")
    assert not compile_safe(r"a(?!$)").search("a")
    assert compile_safe(r"a(?=$|\d)").search("a1")
    assert compile_safe(r"a(?=$|\d)").search("xa")
    assert not compile_safe(r"a(?=$|\d)").search("ab")
    assert compile_safe(r"(?=)a").search("a")
    assert not compile_safe(r"(?!)a").search("a")
    assert compile_safe(r"^(?=[a-c])(?![b-d])\w$").search("a")
    assert not compile_safe(r"^(?=[a-c])(?![b-d])\w$").search("b")


def test_lookahead_in_repetition(compile_safe: Callable[[str], SafePattern]) -> None:
    pattern = compile_safe(r"^(?:(?!-)[a-z-])+$")
    assert pattern.search("abc")
    assert not pattern.search("a-c")


def test_lookahead_reaches_past_its_group(compile_safe: Callable[[str], SafePattern]) -> None:
    """``(?=\\d)`` tests what follows its group: the rest of the pattern is taken in."""
    pattern = compile_safe(r"^(a(?=\d)|b)\d?x$")
    assert pattern.search("a1x")
    assert not pattern.search("ax")
    assert pattern.search("bx")


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
def test_duration_schema_pattern(
    text: str, expected: bool, compile_safe: Callable[[str], SafePattern]
) -> None:
    assert compile_safe(DURATION_PATTERN).search(text) is expected


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=300)
@given(st.text(alphabet="PYMWDTHS0159.", max_size=12))
def test_duration_schema_pattern_agrees_with_parse_duration(engine: str, text: str) -> None:
    try:
        parse_duration(text)
    except DurationError as error:
        if "more than" in str(error):  # size limits the pattern does not express
            return
        parsed = False
    else:
        parsed = True
    assert SafePattern(DURATION_PATTERN, engine=engine).search(text) is parsed


# --- the translation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "translated"),
    [
        (r"^[a-z][a-z0-9_]*$", r"^[a-z][0-9_a-z]*$"),
        (r"\d\w", r"[0-9][0-9A-Z_a-z]"),
        (
            r"^3\.0\.\d(-.+)?$",
            r"^3\.0\.[0-9](?:-[\x{0}-\x{9}\x{B}-\x{C}\x{E}-\x{2027}\x{202A}-\x{10FFFF}]+)?$",
        ),
        (
            r"\s",
            r"[\x{9}-\x{D} \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}-\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]",
        ),
        (r"(a|b)+?", r"(?:a|b)+"),
        (r"a(?!$)", r"a[\x{0}-\x{10FFFF}]"),
        (r"a(?!b)", r"a(?:[\x{0}-ac-\x{10FFFF}]|$)"),
        (r"^(?:(?!-)[a-z-])+$", r"^(?:[a-z])+$"),
        (r"^P(?!$)(\d+Y)?(T\d+H)?$", r"^P(?:[0-9][0-9]*Y(?:T[0-9]+H)?$|T[0-9]+H$)"),
        (r"\B", r"^[\x{0}-\x{10FFFF}]*?(?:\B)"),
        (r"[]", r"[^\x{0}-\x{10FFFF}]"),
        (r"x{0}y", "y"),
    ],
)
@pytest.mark.skipif("re2" not in ENGINES, reason="google-re2 is not installed")
def test_translation_for_re2(pattern: str, translated: str) -> None:
    assert SafePattern(pattern, engine="re2").translated == translated


@pytest.mark.parametrize(
    ("pattern", "rust"),
    [
        (r"^[a-z][a-z0-9_]*$", r"^[a-z][0-9_a-z]*$"),
        (r"^[^{}]+$", r"^[\u{0}-z\|\u{7E}-\u{D7FF}\u{E000}-\u{10FFFF}]+$"),
        (r"\bword\B", r"(?-u:\b)word(?-u:\B)"),  # Rust's own \b is Unicode-aware
        (r"^\uD800$", r"^[^\u{0}-\u{10FFFF}]$"),  # a Rust string holds no surrogate
        (r"[]", r"[^\u{0}-\u{10FFFF}]"),
        (r"^\d\.é$", r"^[0-9]\.\u{E9}$"),  # code points as ECMA-262 reads them too
        (r"\B", r"(?-u:\B)"),  # Rust searches from code point to code point
    ],
)
def test_rust_rendering(pattern: str, rust: str) -> None:
    assert SafePattern(pattern).rust == rust


# --- refused patterns --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(a)\1", "backreference"),
        (r"(?<n>a)\k<n>", "backreference"),
        (r"(?P<n>a)", "'(?P...)' is Python's syntax"),
        (r"(?<=a)b", "lookbehind"),
        (r"(?<!a)b", "lookbehind"),
        (r"(a)?(?(1)b|c)", "conditional group"),
        (r"(?>a)b", "atomic group"),
        (r"(?i)abc", "inline flags"),
        (r"(?x) a b", "inline flags"),
        (r"(?s:.)", "inline flags"),
        (r"(?m)^a", "inline flags"),
        (r"\Aabc", r"'\A', '\Z' and '\z' are not ECMA-262"),
        (r"abc\Z", "not ECMA-262"),
        (r"abc\z", "not ECMA-262"),
        (r"\p{L}", "Unicode property escape"),
        (r"\q", r"'\q' is not an ECMA-262 escape"),
        (r"\é", "not an ECMA-262 escape"),
        (r"\x4", "expected 2 hexadecimal digits"),
        (r"\u{110000}", "at most 10FFFF"),
        (r"\c1", "followed by a letter"),
        (r"(?=ab)", "lookahead '(?=ab)' is not supported"),
        (r"(?=a+)", "is not supported"),
        (r"(?=(?=a))", "is not supported"),
        (r"(?=\b)", "is not supported"),
        (r"(?:a(?=b))+", "end of a repeated group"),
        (r"(?=a)*", "nothing to repeat"),
        (r"^*", "nothing to repeat"),
        (r"a**", "nothing to repeat"),
        (r"a*+b", "nothing to repeat"),
        (r"a{2}{3}", "nothing to repeat"),
        (r"{2}", "nothing to repeat"),
        (r"x{,5}", r"must be written '\{'"),
        (r"a{", r"must be written '\{'"),
        (r"a{1001}", "above the limit of 1000"),
        (r"a{3,2}", "numbers out of order"),
        (r"(?:abc){400}", "more than 1000 character positions"),
        ("a" * 1001, "longer than 1000 characters"),
        ("(" * 33 + "a" + ")" * 33, "nested more than 32 deep"),
        (r"(", "missing ')'"),
        (r")", "unbalanced ')'"),
        (r"[a", "missing ']'"),
        (r"[z-a]", "range out of order"),
        (r"[\d-z]", "cannot bound a range"),
        (r"[\B]", "not allowed in a character class"),
        ("\\", "ends with"),
        (r"(?", "must be followed by"),
        (r"(?<1a>x)", "group name"),
        ("(?:(?=a)x|(?=b)y)?" * 16, "too large"),
    ],
)
def test_refused_patterns_say_why(
    pattern: str, message: str, compile_safe: Callable[[str], SafePattern]
) -> None:
    with pytest.raises(UnsafePattern) as caught:
        compile_safe(pattern)
    assert message in str(caught.value)


def test_unsafe_pattern_is_a_value_error(compile_safe: Callable[[str], SafePattern]) -> None:
    with pytest.raises(ValueError, match="backreference"):
        compile_safe(r"(a)\1")


def test_constructing_directly_checks_too(engine: str) -> None:
    with pytest.raises(UnsafePattern):
        SafePattern(r"(?<=a)", engine=engine)


def test_non_string_pattern(compile_safe: Callable[[str], SafePattern]) -> None:
    with pytest.raises(UnsafePattern, match="must be a string"):
        compile_safe(42)  # type: ignore[arg-type]


def test_equality_and_hash_by_source() -> None:
    assert ecmaregex.compile_safe("a+") == ecmaregex.compile_safe("a+")
    assert hash(ecmaregex.compile_safe("a+")) == hash(SafePattern("a+", engine="rust"))
    assert ecmaregex.compile_safe("a+") != ecmaregex.compile_safe("a*")
    assert "a+" in repr(ecmaregex.compile_safe("a+"))


def test_a_pattern_pickles_as_its_source(engine: str) -> None:
    pattern = SafePattern(r"^a\d+$", engine=engine)
    copy = pickle.loads(pickle.dumps(pattern))
    assert (copy, copy.engine, copy.translated) == (pattern, engine, pattern.translated)
    assert copy.search("a12") and not copy.search("a12\n")


def test_the_default_engine_is_re2_where_installed() -> None:
    assert ("re2" if ecmaregex.re2 else "rust") == ecmaregex.ENGINE
    assert ecmaregex.compile_safe("a").engine == ecmaregex.ENGINE


# --- time: linear whatever the pattern ---------------------------------------------------------

LONG = 1_000_000


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        # Each of these takes minutes or longer with Python's re (exponential or quadratic).
        (r"^(a+)+$", "a" * LONG + "!"),
        (r"^(a|a)*$", "a" * LONG + "!"),
        (r"^(\w+\s?)*$", "ab " * (LONG // 3) + "!"),
        (r"a*b", "a" * LONG),
        (r"\s+$", " " * (LONG - 1) + "x"),
        (r"[a-z]+@", "a" * LONG),
        (r"a*a*a*a*a*b", "a" * LONG),
        (r"\bfoo\b", "xfoo " * (LONG // 5)),
        (DURATION_PATTERN, "P" + "1" * (LONG - 1)),
    ],
)
def test_a_million_characters_take_well_under_a_second(
    pattern: str, text: str, compile_safe: Callable[[str], SafePattern]
) -> None:
    compiled = compile_safe(pattern)
    began = time.perf_counter()
    assert compiled.search(text) is False
    assert time.perf_counter() - began < 1.0


def test_long_input_is_matched_not_refused(compile_safe: Callable[[str], SafePattern]) -> None:
    """No input limit: a verdict on a long value is a verdict, not an error."""
    assert compile_safe(r"^[a-z]+$").search("a" * 5_000_000)
    assert not compile_safe(r"^[a-z]+$").search("a" * 5_000_000 + "!")


@pytest.mark.slow
def test_worst_case_automaton_stays_linear(compile_safe: Callable[[str], SafePattern]) -> None:
    """A pattern built to defeat RE2's DFA cache: RE2 falls back to its NFA, still linear."""
    rng = random.Random(7)
    text = "".join(rng.choice("ab") for _ in range(100_000))
    compiled = compile_safe(r"a[ab]{998}c")
    began = time.perf_counter()
    assert compiled.search(text) is False
    assert time.perf_counter() - began < 15  # about 2 s here; the automaton it replaced took 4


# --- properties --------------------------------------------------------------------------------

REGEX_ALPHABET = st.sampled_from(
    [*"ab.^$|()[]{}*+?-\\dswbBDSWzZA019,=!<:Pux", "(?:", "(?=", "(?!", "(?<", "(?<n>", "\\u{", "\\c"]
)
regexish = st.lists(REGEX_ALPHABET, max_size=24).map("".join)


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=40), regexish))
def test_compile_safe_raises_only_unsafe_pattern(pattern: str) -> None:
    for engine in ENGINES:
        with contextlib.suppress(UnsafePattern):  # any other exception fails the test
            SafePattern(pattern, engine=engine)


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
    (r"\s", f"[{ECMA_SPACE}]"),
    (r"\S", f"[^{ECMA_SPACE}]"),
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
    ("(?![ab])", "(?![ab])"),
    ("(?!a|$)", r"(?!a|\Z)"),
]
QUANTIFIERS = ["*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?", "{0,1}"]


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


TEXTS = st.lists(st.text(alphabet="ab1_ .\n\r\u2028\u00a0٣é", max_size=10), min_size=1, max_size=5)


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ecma_and_python(), TEXTS)
def test_agrees_with_python_re_on_the_common_dialect(
    engine: str, patterns: tuple[str, str], texts: list[str]
) -> None:
    """Including lookaheads, which the translation removes and Python's ``re`` runs as such."""
    ecma, python = patterns
    try:
        compiled = SafePattern(ecma, engine=engine)
    except UnsafePattern as error:
        # Only lookaheads the translation cannot place are refused in this grammar.
        assert "lookahead" in str(error) or "positions" in str(error), (ecma, error)
        assume(False)
        return
    oracle = re.compile(python, re.ASCII)
    for text in texts:
        if not text and r"\B" in ecma:
            continue  # Python's \B never matches an empty input (until 3.14); ECMA's does
        assert compiled.search(text) == bool(oracle.search(text)), (ecma, compiled.translated, text)


@pytest.mark.skipif(len(ENGINES) < 2, reason="needs both google-re2 and jsonschema-rs")
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ecma_and_python(),
    st.lists(st.text(alphabet="ab1_ .\n\r\u2028\u00a0٣é😀\x00", max_size=10), min_size=1, max_size=5),
)
def test_the_engines_agree(patterns: tuple[str, str], texts: list[str]) -> None:
    """RE2 and the Rust rendering (the fallback engine, and what jsonschema-rs is given)."""
    try:
        re2_pattern = SafePattern(patterns[0], engine="re2")
    except UnsafePattern:
        assume(False)
        return
    rust_pattern = SafePattern(patterns[0], engine="rust")
    for text in texts:
        assert re2_pattern.search(text) is rust_pattern.search(text), (rust_pattern.rust, text)


# --- without google-re2 ------------------------------------------------------------------------

_RUN_WITHOUT_RE2 = """
import sys
if sys.argv[1] in ("no-re2", "no-engine"):
    sys.modules["re2"] = None  # import re2 raises ImportError, as where there is no wheel
if sys.argv[1] == "no-engine":
    sys.modules["jsonschema_rs"] = None
from ocp_check import ecmaregex
assert ecmaregex.ENGINE == ("re2" if sys.argv[1] == "re2" else "rust")
from ocp_check.entry import main
sys.argv = ["ocp-check", *sys.argv[2:]]
main()
"""


@pytest.mark.skipif(len(ENGINES) < 2, reason="needs both google-re2 and jsonschema-rs")
def test_without_google_re2_the_reports_are_identical(tmp_path: Path) -> None:
    """Where google-re2 has no wheel the Rust engine takes over, with the same verdicts."""
    reports = {}
    for mode in ("re2", "no-re2"):
        out = tmp_path / f"{mode}.json"
        args = [
            "check",
            str(REPO / "examples" / "bids"),
            "--format",
            "json",
            "--output",
            str(out),
            "--today",
            "2026-12-01",
        ]
        done = subprocess.run(
            [sys.executable, "-c", _RUN_WITHOUT_RE2, mode, *args], capture_output=True, text=True
        )
        assert done.returncode == 1, done.stderr[-2000:]
        reports[mode] = out.read_bytes()
    assert reports["re2"] == reports["no-re2"]


def test_without_any_engine_the_run_stops_with_exit_2() -> None:
    """Never Python's re: no engine is a broken installation, said in one line, no traceback."""
    done = subprocess.run(
        [sys.executable, "-c", _RUN_WITHOUT_RE2, "no-engine", "rules", "list"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "no engine for regular expressions" in done.stderr and "Traceback" not in done.stderr
