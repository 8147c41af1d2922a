"""The ECMA-262 translation (``ecmaregex``, RE2 and Rust) against the automaton it replaces.

Kept only while both exist: the evidence that swapping the engines changes no verdict.  Every
pattern of the shipped standards is run on texts drawn from the pattern itself, their near
misses and random text; random patterns that both engines accept must give the same answers.
Where the two read a pattern differently on purpose (``[]`` and ``[^]``, which ECMA-262 and
Python read differently) the pattern is left out.
"""

from __future__ import annotations

import importlib.util
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ocp_check import saferegex
from ocp_check.ecmaregex import SafePattern, UnsafePattern
from tests.regex_oracle import shipped_patterns
from tests.test_ecmaregex import ecma_and_python, regexish

ENGINES = [
    name for name, module in (("re2", "re2"), ("rust", "jsonschema_rs")) if importlib.util.find_spec(module)
]
ALPHABET = "ab1_ .-:/@P9YMDTHS\n\r\u2028\u00a0٣é😀"


def _near_misses(text: str) -> list[str]:
    out = [text, text + "\n", text[:-1], text[1:], text + "x", text.upper(), text.lower()]
    for index in range(0, len(text), max(1, len(text) // 4)):
        out.append(text[:index] + text[index + 1 :])
        out.append(text[:index] + "٣" + text[index:])
    return out


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("pattern", shipped_patterns())
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_shipped_patterns_give_the_old_answers(pattern: str, engine: str, data: st.DataObject) -> None:
    old = saferegex.compile_safe(pattern)
    new = SafePattern(pattern, engine=engine)
    drawn = data.draw(
        st.one_of(
            st.from_regex(re.compile(pattern), fullmatch=False), st.text(alphabet=ALPHABET, max_size=16)
        )
    )
    for text in _near_misses(drawn):
        assert new.search(text) is old.search(text), (pattern, text)


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(regexish, ecma_and_python().map(lambda pair: pair[0])),
    st.lists(st.text(alphabet=ALPHABET, max_size=10), min_size=1, max_size=6),
)
def test_patterns_both_accept_give_the_same_answers(engine: str, pattern: str, texts: list[str]) -> None:
    assume("[]" not in pattern and "[^]" not in pattern)
    try:
        old = saferegex.compile_safe(pattern)
        new = SafePattern(pattern, engine=engine)
    except (UnsafePattern, saferegex.UnsafePattern):
        assume(False)
        return
    for text in texts:
        assert new.search(text) is old.search(text), (pattern, new.translated, text)
