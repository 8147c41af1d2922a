r"""Regular expressions from rule packs and schemas, checked when loaded and matched in linear time.

Why this exists
---------------
Rule packs are data that a third party may write, and their regular expressions are matched
against vendor documents that anybody may write.  Python's ``re`` backtracks and has no timeout:
``^(a+)+$`` against 30 ``a`` and a ``!`` takes seconds and doubles with every character, and
even "harmless" patterns are quadratic under an unanchored search (``\s+$`` against 100 000
spaces and an ``x`` takes close to a minute, ``[a-z]+@`` over 100 000 letters about ten
seconds).  RELIABILITY.md rows B5/B6 ask for two things, and this module does both:

1. **Reject unsafe constructs when the pack loads** (:func:`compile_safe` raises
   :class:`UnsafePattern` with the construct and the reason), so a bad pack fails loudly and early
   rather than hanging on some vendor's document later.  The rules are listed below; they keep
   patterns portable to the backtracking engines other tools use (ECMA-262 engines, Python
   ``re``), because the same pack may be run elsewhere.
2. **Match without backtracking.**  Accepted patterns are compiled to a Thompson automaton and run
   as a lazily built DFA, so :meth:`SafePattern.search` takes time linear in the input whatever
   the pattern: one step per character, each either a cached look-up (about 0.1 µs) or the
   construction of one new DFA state, which costs one table look-up per eight automaton
   positions (at most :data:`MAX_POSITIONS`).  Measured worst case: about 40 µs a character, a
   few seconds for a 100 000-character value against a pattern built to defeat the cache; the
   same 100 000 characters take about 10 ms for ordinary patterns.  Input longer than
   :data:`MAX_INPUT` is refused rather than truncated, because a truncated match could be a
   wrong verdict.

Dialect (ECMA-262, as used by JSON Schema ``pattern``)
------------------------------------------------------
* ``search`` is unanchored: the pattern may match anywhere, as in JSON Schema.
* ``^`` is the start of the input and ``$`` the very end of the input (Python's ``$`` also
  matches before a final newline, so ``^[0-9]{3}$`` would accept ``"123\n"``; here it does not).
* ``\d`` is ``[0-9]``, ``\w`` is ``[A-Za-z0-9_]`` and ``\b`` uses that ``\w``: Arabic-Indic ``٣``
  is not a digit.  ``\s`` is ECMA-262 white space and line terminators (ASCII white space plus
  U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF).
* ``.`` matches any character except the line terminators ``\n``, ``\r``, U+2028 and U+2029.
* Greedy and lazy quantifiers are accepted; they do not change whether a match exists.
* Patterns are parsed by Python's own parser (``re._parser``, ``sre_parse`` before 3.11), so
  the syntax is the common subset of both dialects; ``\A``, ``\Z`` and ``\z`` (Python only) are
  rejected, and anything Python cannot parse is "invalid regular expression".

Rejected constructs (the exact rules)
-------------------------------------
R1. Patterns longer than :data:`MAX_PATTERN` (1000) characters, or with groups nested more than
    :data:`MAX_DEPTH` (32) deep.
R2. Backreferences (``\1``, ``(?P=name)``), conditional groups (``(?(1)a|b)``), lookbehind
    (``(?<=...)``, ``(?<!...)``), possessive quantifiers and atomic groups, ``\A``/``\Z``, and
    inline flags in any form (``(?i)``, ``(?x:...)``; they change the meaning of the rest).
R3. Lookahead ``(?=...)`` / ``(?!...)`` is allowed only when its body looks at most one character
    ahead: each alternative is zero or more of ``^ $ \b \B`` followed by at most one character,
    class or ``.``; no quantifiers.  That covers the usual ``(?!$)``, ``(?=\d)``, ``(?![-_])``.
R4. Nested quantifiers (star height above one): a quantifier that allows more than one iteration
    (``*``, ``+``, ``{m,n}`` with n > 1) may not contain, anywhere inside, another quantifier that
    leaves a choice (``?``, ``*``, ``+``, ``{m,n}`` with m < n).  This rejects ``(a+)+``,
    ``(a*)*``, ``(\w+\s?)*``, ``(a?a)*`` and ``(-a*b*)*``; fixed counts such as ``(\d{2}:)*``
    are fine because ``{2}`` is just ``\d\d``.  One exception, the *delimited* repetition: the
    repeated part (groups flattened, zero-width assertions ignored) begins or ends with a single
    character or class that nothing else in the part can match, and contains exactly one
    quantifier with a choice.  Each iteration is then marked by its delimiter, so the input
    splits into iterations in one way only: ``(\.[0-9]+)*`` (version numbers),
    ``(-[A-Za-z0-9]{2,8})*`` (language tags), ``^[a-z0-9]+(-[a-z0-9]+)*$`` (slugs) and
    ``([0-9]{1,3}\.){3}`` are accepted.
R5. Ambiguous repetition: under a quantifier that allows more than one iteration, the repeated
    part must not match the empty string (``(a|)*``, ``(\b)*``), and every alternation inside it
    must have branches that cannot match the empty string and pairwise cannot start with the same
    character (``(a|aa)+``, ``(ab|ac|a.)*`` are rejected; ``(foo|bar)*`` is fine).  Python's parser
    factors common prefixes first, so ``(ab|ac)*`` is read as ``(a[bc])*`` and accepted.
R6. Runs of unbounded quantifiers: more than three unbounded quantifiers (``*``, ``+``,
    ``{m,}``) in one sequence (groups that are not repeated are flattened into it) where each
    one's characters overlap the characters of the run so far and everything between them also
    overlaps (zero-width assertions are skipped); e.g. ``a*a*a*a*b`` or ``.*a.*a.*a.*a``.
R7. Counted quantifiers above :data:`MAX_REPEAT` (1000), and patterns whose automaton would have
    more than :data:`MAX_POSITIONS` (1000) character positions once counted quantifiers are
    expanded (``[a-z]{0,1000}`` is at the limit).

The rules R4-R6 are conservative on purpose; the linear matcher does not rely on them.
"""

from __future__ import annotations

import importlib
import re
import sys
import warnings
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias

__all__ = [
    "MAX_DEPTH",
    "MAX_INPUT",
    "MAX_PATTERN",
    "MAX_POSITIONS",
    "MAX_REPEAT",
    "SafePattern",
    "UnsafePattern",
    "compile_safe",
]

#: Longest input :meth:`SafePattern.search` accepts; longer values get an error, not a guess.
MAX_INPUT: Final = 100_000
#: Longest pattern accepted, in characters.
MAX_PATTERN: Final = 1000
#: Deepest nesting of groups accepted (Python's parser recurses per level).
MAX_DEPTH: Final = 32
#: Largest count in ``{m,n}``.
MAX_REPEAT: Final = 1000
#: Most character positions in the automaton after expanding counted quantifiers.
MAX_POSITIONS: Final = 1000
#: DFA states cached per pattern before the cache is flushed (bounds memory, not time).
_MAX_DFA_STATES: Final = 5000
#: Cached reach-table entries per pattern before the tables are cleared (bounds memory).
_MAX_TABLE_ENTRIES: Final = 200_000
#: Characters whose class is remembered per pattern.
_MAX_CLASS_CACHE: Final = 4096

# Python's regular-expression parser moved in 3.11 (importing ``sre_parse`` there warns).  It is
# an internal module without a stable type, so it is used only inside :func:`_convert`, which
# turns its tree into the typed nodes below.
_PARSER: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")
_UNBOUNDED: Final[int] = int(_PARSER.MAXREPEAT)
_MAX_CODE: Final = 0x10FFFF


class UnsafePattern(ValueError):
    """A pattern the project refuses to run, or an input it refuses to match.

    The message names the construct and why it is refused, so a rule-pack author can fix it; a
    :class:`ValueError` so callers treating "bad rule pack" generically still catch it.
    """


# --- character sets ----------------------------------------------------------------------------

Ranges: TypeAlias = tuple[tuple[int, int], ...]


def _normalise(ranges: Iterable[tuple[int, int]]) -> Ranges:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            if high > merged[-1][1]:
                merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return tuple(merged)


def _negate(ranges: Ranges) -> Ranges:
    result: list[tuple[int, int]] = []
    start = 0
    for low, high in ranges:
        if low > start:
            result.append((start, low - 1))
        start = high + 1
    if start <= _MAX_CODE:
        result.append((start, _MAX_CODE))
    return tuple(result)


def _overlaps(a: Ranges, b: Ranges) -> bool:
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i][1] < b[j][0]:
            i += 1
        elif b[j][1] < a[i][0]:
            j += 1
        else:
            return True
    return False


def _contains(ranges: Ranges, code: int) -> bool:
    index = bisect_right(ranges, (code, _MAX_CODE + 1)) - 1
    return index >= 0 and ranges[index][0] <= code <= ranges[index][1]


_DIGIT: Final = _normalise([(0x30, 0x39)])
_WORD: Final = _normalise([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
_SPACE: Final = _normalise(
    [
        *[(0x09, 0x0D), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A)],
        *[(0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000)],
        (0xFEFF, 0xFEFF),
    ]
)
_LINE_TERMINATORS: Final = _normalise([(0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029)])
_CATEGORIES: Final = {
    "CATEGORY_DIGIT": (_DIGIT, r"\d"),
    "CATEGORY_NOT_DIGIT": (_negate(_DIGIT), r"\D"),
    "CATEGORY_WORD": (_WORD, r"\w"),
    "CATEGORY_NOT_WORD": (_negate(_WORD), r"\W"),
    "CATEGORY_SPACE": (_SPACE, r"\s"),
    "CATEGORY_NOT_SPACE": (_negate(_SPACE), r"\S"),
}


# --- the typed pattern tree --------------------------------------------------------------------


@dataclass(frozen=True)
class _Char:
    ranges: Ranges
    label: str


@dataclass(frozen=True)
class _Assert:
    kind: str  # "begin", "end", "boundary", "non-boundary"


@dataclass(frozen=True)
class _LookAlt:
    asserts: tuple[str, ...]
    ranges: Ranges | None  # None: no character is consumed


@dataclass(frozen=True)
class _Look:
    negative: bool
    alternatives: tuple[_LookAlt, ...]
    body: tuple[_Node, ...]


@dataclass(frozen=True)
class _Group:
    items: tuple[_Node, ...]
    capturing: bool


@dataclass(frozen=True)
class _Alt:
    branches: tuple[tuple[_Node, ...], ...]


@dataclass(frozen=True)
class _Repeat:
    low: int
    high: int | None  # None: unbounded
    body: tuple[_Node, ...]
    lazy: bool

    @property
    def multiple(self) -> bool:
        """More than one iteration allowed: the case nesting rules are about."""
        return self.high is None or self.high > 1

    @property
    def choice(self) -> bool:
        """The number of iterations is not fixed, so a backtracking engine has a choice."""
        return self.high is None or self.high > self.low


_Node: TypeAlias = _Char | _Assert | _Look | _Group | _Alt | _Repeat
_Seq: TypeAlias = tuple[_Node, ...]

_ASSERT_TEXT: Final = {"begin": "^", "end": "$", "boundary": r"\b", "non-boundary": r"\B"}


def _unparse(items: Sequence[_Node]) -> str:
    """Regular-expression text for a tree, to quote constructs in messages."""
    return "".join(_unparse_node(node, len(items) > 1) for node in items)


def _unparse_node(node: _Node, in_sequence: bool = False) -> str:
    if isinstance(node, _Char):
        return node.label
    if isinstance(node, _Assert):
        return _ASSERT_TEXT[node.kind]
    if isinstance(node, _Look):
        return f"(?{'!' if node.negative else '='}{_unparse(node.body)})"
    if isinstance(node, _Group):
        return f"({'' if node.capturing else '?:'}{_unparse(node.items)})"
    if isinstance(node, _Alt):
        text = "|".join(_unparse(branch) for branch in node.branches)
        return f"(?:{text})" if in_sequence else text
    body = node.body
    if len(body) == 1 and isinstance(body[0], _Char | _Group | _Look):
        inner = _unparse_node(body[0])
    else:
        inner = f"(?:{_unparse(body)})"
    if (node.low, node.high) == (0, None):
        suffix = "*"
    elif (node.low, node.high) == (1, None):
        suffix = "+"
    elif (node.low, node.high) == (0, 1):
        suffix = "?"
    elif node.high is None:
        suffix = f"{{{node.low},}}"
    elif node.low == node.high:
        suffix = f"{{{node.low}}}"
    else:
        suffix = f"{{{node.low},{node.high}}}"
    return inner + suffix + ("?" if node.lazy else "")


def _quote(items: Sequence[_Node] | _Node) -> str:
    text = _unparse(items) if isinstance(items, Sequence) else _unparse_node(items)
    if len(text) > 60:
        text = text[:59] + "…"
    return f"'{text}'"


# --- from Python's parse tree to the typed tree ------------------------------------------------


def _char_label(code: int) -> str:
    char = chr(code)
    if (char.isalnum() and code < 0x80) or char in " _-,:;'\"/@%&=<>`~#!":
        return char
    if char in ".^$*+?{}[]()|\\":
        return "\\" + char
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _class_item(op: str, value: Any) -> tuple[Ranges, str]:
    if op == "LITERAL":
        return ((int(value), int(value)),), _char_label(int(value))
    if op == "RANGE":
        low, high = int(value[0]), int(value[1])
        return ((low, high),), f"{_char_label(low)}-{_char_label(high)}"
    if op == "CATEGORY" and str(value) in _CATEGORIES:
        return _CATEGORIES[str(value)]
    raise UnsafePattern(f"unsupported character class item {op} {value}")


def _convert_class(items: Any) -> _Char:
    negate = False
    ranges: list[tuple[int, int]] = []
    labels: list[str] = []
    for op_code, value in items:
        op = str(op_code)
        if op == "NEGATE":
            negate = True
            continue
        item_ranges, label = _class_item(op, value)
        ranges.extend(item_ranges)
        labels.append(label)
    result = _normalise(ranges)
    if negate:
        return _Char(_negate(result), "[^" + "".join(labels) + "]")
    if len(labels) == 1 and labels[0].startswith("\\") and labels[0][1:2] in "dDwWsS":
        return _Char(result, labels[0])
    return _Char(result, "[" + "".join(labels) + "]")


def _convert(data: Any, depth: int = 0) -> _Seq:
    """Turn a Python parse tree into typed nodes, refusing what the matcher does not support."""
    if depth > 4 * MAX_DEPTH:  # a safety net: _nesting_depth has already limited groups
        raise UnsafePattern(f"groups are nested more than {MAX_DEPTH} deep")
    return tuple(_convert_item(str(op_code), value, depth) for op_code, value in data)


def _convert_item(op: str, value: Any, depth: int) -> _Node:
    if op == "LITERAL":
        return _Char(((int(value), int(value)),), _char_label(int(value)))
    if op == "NOT_LITERAL":
        return _Char(_negate(((int(value), int(value)),)), f"[^{_char_label(int(value))}]")
    if op == "ANY":
        return _Char(_negate(_LINE_TERMINATORS), ".")
    if op == "IN":
        return _convert_class(value)
    if op == "AT":
        return _convert_at(str(value))
    if op == "SUBPATTERN":
        group, add_flags, del_flags, body = value
        if add_flags or del_flags:
            raise UnsafePattern(
                "inline flags such as '(?i:...)' are not allowed: they change what the pattern "
                "means and are not ECMA-262"
            )
        return _Group(_convert(body, depth + 1), group is not None)
    if op == "BRANCH":
        return _Alt(tuple(_convert(branch, depth + 1) for branch in value[1]))
    if op in ("MAX_REPEAT", "MIN_REPEAT"):
        low, high, body = int(value[0]), int(value[1]), value[2]
        for count in (low, high):
            if count != _UNBOUNDED and count > MAX_REPEAT:
                raise UnsafePattern(
                    f"repetition count {count} is above the limit of {MAX_REPEAT}: "
                    "large counts make the matcher's automaton too big"
                )
        return _Repeat(
            low,
            None if high == _UNBOUNDED else high,
            _convert(body, depth + 1),
            op == "MIN_REPEAT",
        )
    if op in ("ASSERT", "ASSERT_NOT"):
        direction, body = value
        if int(direction) < 0:
            raise UnsafePattern(
                "lookbehind '(?<=...)' / '(?<!...)' is not supported by the linear-time matcher"
            )
        return _convert_lookahead(op == "ASSERT_NOT", _convert(body, depth + 1))
    if op in ("GROUPREF", "GROUPREF_IGNORE", "GROUPREF_LOC_IGNORE", "GROUPREF_UNI_IGNORE"):
        raise UnsafePattern(
            f"backreference to group {value} is not allowed: matching backreferences needs "
            "backtracking, which can take exponential time"
        )
    if op == "GROUPREF_EXISTS":
        raise UnsafePattern("conditional group '(?(...)...)' is not allowed: it is not ECMA-262")
    if op == "POSSESSIVE_REPEAT":
        raise UnsafePattern("possessive quantifier such as 'a*+' is not allowed: not ECMA-262")
    if op == "ATOMIC_GROUP":
        raise UnsafePattern("atomic group '(?>...)' is not allowed: it is not ECMA-262")
    raise UnsafePattern(f"unsupported regular-expression construct ({op})")


_STRING_ANCHORS: Final = (
    r"'\A', '\Z' and '\z' are not ECMA-262: use '^' and '$', which mean the start and the end "
    "of the input here"
)


def _convert_at(code: str) -> _Assert:
    kinds = {
        "AT_BEGINNING": "begin",
        "AT_END": "end",
        "AT_BOUNDARY": "boundary",
        "AT_NON_BOUNDARY": "non-boundary",
    }
    if code in kinds:
        return _Assert(kinds[code])
    if code in ("AT_BEGINNING_STRING", "AT_END_STRING"):
        raise UnsafePattern(_STRING_ANCHORS)
    raise UnsafePattern(f"unsupported anchor ({code})")


def _look_alternatives(items: _Seq, where: str) -> list[_LookAlt]:
    """Alternatives of a lookahead body, each some assertions then at most one character."""
    alternatives = [_LookAlt((), None)]
    for node in items:
        if isinstance(node, _Group):
            options = _look_alternatives(node.items, where)
        elif isinstance(node, _Alt):
            options = [alt for branch in node.branches for alt in _look_alternatives(branch, where)]
        elif isinstance(node, _Assert):
            options = [_LookAlt((node.kind,), None)]
        elif isinstance(node, _Char):
            options = [_LookAlt((), node.ranges)]
        else:
            raise UnsafePattern(
                f"lookahead {where} may contain no quantifier or nested lookahead: only a "
                "one-character lookahead such as '(?=\\d)' or '(?!$)' is supported"
            )
        combined: list[_LookAlt] = []
        for first in alternatives:
            for second in options:
                if first.ranges is not None and (second.ranges is not None or second.asserts):
                    raise UnsafePattern(
                        f"lookahead {where} looks more than one character ahead: only a "
                        "one-character lookahead such as '(?=\\d)' or '(?!$)' is supported"
                    )
                combined.append(_LookAlt(first.asserts + second.asserts, second.ranges))
        if len(combined) > 64:
            raise UnsafePattern(f"lookahead {where} has too many alternatives")
        alternatives = combined
    return alternatives


def _convert_lookahead(negative: bool, body: _Seq) -> _Look:
    label = f"(?{'!' if negative else '='}{_unparse(body)})"
    alternatives = _look_alternatives(body, f"'{label}'")
    return _Look(negative, tuple(alternatives), body)


def _nesting_depth(pattern: str) -> int:
    """Deepest group nesting, computed before Python's recursive parser sees the pattern."""
    depth = deepest = 0
    index = 0
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "^":
                index += 1
            if pattern[index + 1 : index + 2] == "]":
                index += 1
        elif char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(depth - 1, 0)
        index += 1
    return deepest


def _parse(pattern: str) -> _Seq:
    if not isinstance(pattern, str):
        raise UnsafePattern(f"a pattern must be a string, not {type(pattern).__name__}")
    if len(pattern) > MAX_PATTERN:
        raise UnsafePattern(f"pattern is longer than {MAX_PATTERN} characters ({len(pattern)})")
    if _nesting_depth(pattern) > MAX_DEPTH:
        raise UnsafePattern(f"groups are nested more than {MAX_DEPTH} deep")
    try:
        # Python warns (FutureWarning) about set syntax whose meaning may change, such as "[["
        # or "--" inside a class.  A rule pack should not depend on that: refuse it instead of
        # printing a warning in the middle of a report.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tree = _PARSER.parse(pattern, re.ASCII)
    except re.error as error:
        if "bad escape \\z" in str(error):
            raise UnsafePattern(_STRING_ANCHORS) from None
        raise UnsafePattern(f"invalid regular expression: {error}") from None
    except (RecursionError, OverflowError, ValueError) as error:
        raise UnsafePattern(f"invalid regular expression: {error}") from None
    if caught:
        raise UnsafePattern(
            f"ambiguous character class ({caught[0].message}): escape '[', '-', '&', '~' and "
            "'|' inside a character class"
        )
    if int(tree.state.flags) != int(re.ASCII):
        raise UnsafePattern(
            "inline flags such as '(?i)' or '(?x)' are not allowed: they change what the "
            "pattern means and are not ECMA-262"
        )
    return _convert(tree.data)


# --- static safety rules -----------------------------------------------------------------------


def _children(node: _Node) -> Iterator[_Seq]:
    if isinstance(node, _Group):
        yield node.items
    elif isinstance(node, _Alt):
        yield from node.branches
    elif isinstance(node, _Repeat):
        yield node.body
    # Lookahead bodies are one character at most (R3) and need no further checks.


def _walk(items: _Seq) -> Iterator[_Node]:
    for node in items:
        yield node
        for child in _children(node):
            yield from _walk(child)


def _nullable(items: _Seq) -> bool:
    return all(_node_nullable(node) for node in items)


def _node_nullable(node: _Node) -> bool:
    if isinstance(node, _Char):
        return False
    if isinstance(node, _Assert | _Look):
        return True
    if isinstance(node, _Group):
        return _nullable(node.items)
    if isinstance(node, _Alt):
        return any(_nullable(branch) for branch in node.branches)
    return node.low == 0 or _nullable(node.body)


def _first(items: _Seq) -> Ranges:
    """Characters a match of ``items`` can start with (an over-approximation)."""
    result: list[tuple[int, int]] = []
    for node in items:
        result.extend(_node_first(node))
        if not _node_nullable(node):
            break
    return _normalise(result)


def _node_first(node: _Node) -> Ranges:
    if isinstance(node, _Char):
        return node.ranges
    if isinstance(node, _Group):
        return _first(node.items)
    if isinstance(node, _Alt):
        return _normalise(r for branch in node.branches for r in _first(branch))
    if isinstance(node, _Repeat):
        return _first(node.body)
    return ()


def _chars(node: _Node) -> Ranges:
    """Every character ``node`` can consume."""
    if isinstance(node, _Char):
        return node.ranges
    return _normalise(r for child in _children(node) for item in child for r in _chars(item))


def _delimited(body: _Seq) -> bool:
    """Whether a repeated part splits into iterations in exactly one way (R4's exception).

    True when the part begins or ends with one character (or class) that nothing else in the
    part can match, and holds exactly one quantifier with a choice: every iteration is then
    marked by that delimiter, and inside an iteration the single quantifier's extent is fixed,
    so even a backtracking engine only tries polynomially many ways.
    """
    choices = [node for node in _walk(body) if isinstance(node, _Repeat) and node.choice]
    if len(choices) != 1:
        return False
    flat = [node for node in _flatten(body) if not isinstance(node, _Assert | _Look)]
    for delimiter, rest in ((flat[0], flat[1:]), (flat[-1], flat[:-1])):
        if isinstance(delimiter, _Char) and not any(
            _overlaps(delimiter.ranges, _chars(node)) for node in rest
        ):
            return True
    return False


def _check_nesting(items: _Seq) -> None:
    """R4 and R5, for every quantifier that allows more than one iteration."""
    for node in _walk(items):
        if not isinstance(node, _Repeat) or not node.multiple:
            continue
        for inner in _walk(node.body):
            if isinstance(inner, _Repeat) and inner.choice and not _delimited(node.body):
                raise UnsafePattern(
                    f"nested quantifier {_quote(node)} can take exponential time: the repeated "
                    f"part contains the quantifier {_quote(inner)}"
                )
        if _nullable(node.body):
            raise UnsafePattern(
                f"repetition {_quote(node)} can repeat an empty match: the repeated part must "
                "consume at least one character"
            )
        for inner in _walk(node.body):
            if isinstance(inner, _Alt):
                _check_alternation(node, inner)


def _check_alternation(repeat: _Repeat, alternation: _Alt) -> None:
    firsts: list[Ranges] = []
    for branch in alternation.branches:
        if _nullable(branch):
            raise UnsafePattern(
                f"repeated alternation {_quote(repeat)} can take exponential time: a branch "
                "can match the empty string"
            )
        first = _first(branch)
        for other in firsts:
            if _overlaps(first, other):
                raise UnsafePattern(
                    f"repeated alternation {_quote(repeat)} can take exponential time: two "
                    "branches can start with the same character"
                )
        firsts.append(first)


def _flatten(items: _Seq) -> Iterator[_Node]:
    for node in items:
        if isinstance(node, _Group):
            yield from _flatten(node.items)
        else:
            yield node


def _check_runs(items: _Seq) -> None:
    """R6 for this sequence and, recursively, every sequence inside it."""
    run: list[_Repeat] = []
    run_chars: Ranges = ()
    for node in _flatten(items):
        if isinstance(node, _Assert | _Look):
            continue
        chars = _chars(node)
        if isinstance(node, _Repeat) and node.high is None:
            if run and _overlaps(chars, run_chars):
                run.append(node)
                run_chars = _normalise(run_chars + chars)
            else:
                run, run_chars = [node], chars
            if len(run) > 3:
                quoted = ", ".join(_quote(repeat) for repeat in run)
                raise UnsafePattern(
                    f"{len(run)} consecutive unbounded quantifiers ({quoted}) can match the same "
                    "characters, which can take polynomial time"
                )
        elif not (run and _overlaps(chars, run_chars)):
            run, run_chars = [], ()
    for node in _flatten(items):
        for child in _children(node):
            _check_runs(child)


def _positions(items: _Seq) -> int:
    total = 0
    for node in items:
        if isinstance(node, _Char):
            total += 1
        elif isinstance(node, _Group):
            total += _positions(node.items)
        elif isinstance(node, _Alt):
            total += sum(_positions(branch) for branch in node.branches)
        elif isinstance(node, _Repeat):
            copies = node.low + 1 if node.high is None else max(node.high, 1)
            total += copies * _positions(node.body)
        if total > MAX_POSITIONS:
            break
    return total


def _check(items: _Seq) -> None:
    _check_nesting(items)
    _check_runs(items)
    if _positions(items) > MAX_POSITIONS:
        raise UnsafePattern(
            f"pattern expands to more than {MAX_POSITIONS} character positions once counted "
            "quantifiers are expanded"
        )


# --- the automaton -----------------------------------------------------------------------------

_CHAR, _SPLIT, _ASSERT, _LOOK, _MATCH = range(5)
_END = -1  # the "next character" class at the end of the input

#: What a context decides: the outcome of every assertion kind and every lookahead.
_Signature: TypeAlias = tuple[bool, ...]
#: Positions reachable from a set of positions, and whether the match node is reachable.
_Reach: TypeAlias = tuple[int, bool]


class _State:
    """A DFA state: the positions just matched, and whether the last character was a word one.

    Positions are the character nodes of the automaton, one bit each in ``positions``.
    ``moves`` caches the next state per character class; ``None`` is "not computed yet".
    """

    __slots__ = ("at_start", "moves", "positions", "word_before")

    def __init__(self, positions: int, word_before: bool, at_start: bool, classes: int) -> None:
        self.positions = positions
        self.word_before = word_before
        self.at_start = at_start
        self.moves: list[_State | None] = [None] * classes


_MATCHED: Final = _State(0, False, False, 0)
_DEAD: Final = _State(0, False, False, 0)


class _Program:
    """A Thompson automaton for one pattern, simulated bit-parallel and cached as a DFA.

    A step from a set of positions ``D`` on a character of class ``c`` is
    ``reach(D) & positions_matching(c)``, where ``reach`` follows the empty moves (through
    assertions, decided by the context) from each position in ``D``.  ``reach`` is evaluated a
    byte of ``D`` at a time from lazily filled 256-entry tables, so even a step that builds a new
    DFA state costs about one table look-up per eight positions; steps between known states
    are a single list look-up.
    """

    def __init__(self, items: _Seq) -> None:
        self.kinds: list[int] = []
        self.args: list[int] = []
        self.outs: list[list[int]] = []
        self.sets: list[Ranges] = []
        self.looks: list[_Look] = []
        self.asserts: list[str] = []
        match = self._node(_MATCH, 0)
        self.start = self._sequence(items, match)
        self.anchored = self._is_anchored()
        self._classify_characters()
        self.positions = [node for node, kind in enumerate(self.kinds) if kind == _CHAR]
        self.bit_of = {node: bit for bit, node in enumerate(self.positions)}
        self.width = (len(self.positions) + 7) // 8
        self.assert_kinds = sorted(set(self.asserts))
        self.class_masks: list[int | None] = [None] * len(self.class_starts)
        self.tables: dict[_Signature, list[list[_Reach | None] | None]] = {}
        self.start_reach: dict[_Signature, _Reach] = {}
        self.table_entries = 0
        self.states: dict[tuple[int, bool], _State] = {}
        self.initial = _State(0, False, True, len(self.class_starts))
        self.class_cache: dict[str, int] = {}

    # building

    def _node(self, kind: int, arg: int, outs: Iterable[int] = ()) -> int:
        self.kinds.append(kind)
        self.args.append(arg)
        self.outs.append(list(outs))
        return len(self.kinds) - 1

    def _sequence(self, items: _Seq, then: int) -> int:
        entry = then
        for node in reversed(items):
            entry = self._item(node, entry)
        return entry

    def _item(self, node: _Node, then: int) -> int:
        if isinstance(node, _Char):
            self.sets.append(node.ranges)
            return self._node(_CHAR, len(self.sets) - 1, [then])
        if isinstance(node, _Assert):
            self.asserts.append(node.kind)
            return self._node(_ASSERT, len(self.asserts) - 1, [then])
        if isinstance(node, _Look):
            self.looks.append(node)
            return self._node(_LOOK, len(self.looks) - 1, [then])
        if isinstance(node, _Group):
            return self._sequence(node.items, then)
        if isinstance(node, _Alt):
            return self._node(_SPLIT, 0, [self._sequence(b, then) for b in node.branches])
        return self._repeat(node, then)

    def _repeat(self, node: _Repeat, then: int) -> int:
        entry = then
        if node.high is None:
            loop = self._node(_SPLIT, 0)
            self.outs[loop] = [self._sequence(node.body, loop), then]
            entry = loop
        else:
            for _ in range(node.high - node.low):
                entry = self._node(_SPLIT, 0, [self._sequence(node.body, entry), then])
        for _ in range(node.low):
            entry = self._sequence(node.body, entry)
        return entry

    def _is_anchored(self) -> bool:
        """True when every path to a character or a match passes ``^`` first."""
        stack, seen = [self.start], {self.start}
        while stack:
            node = stack.pop()
            kind = self.kinds[node]
            if kind in (_CHAR, _MATCH):
                return False
            if kind == _ASSERT and self.asserts[self.args[node]] == "begin":
                continue
            for out in self.outs[node]:
                if out not in seen:
                    seen.add(out)
                    stack.append(out)
        return True

    def _classify_characters(self) -> None:
        """Split the code points into classes no set, lookahead or ``\\w`` tells apart."""
        every = [*self.sets, _WORD]
        every.extend(alt.ranges for look in self.looks for alt in look.alternatives if alt.ranges)
        bounds = {0}
        for ranges in every:
            for low, high in ranges:
                bounds.add(low)
                if high < _MAX_CODE:
                    bounds.add(high + 1)
        self.class_starts = sorted(bounds)
        self.word_class = [_contains(_WORD, start) for start in self.class_starts]

    # contexts

    def _holds(self, kind: str, state: _State, cls: int) -> bool:
        if kind == "begin":
            return state.at_start
        if kind == "end":
            return cls == _END
        word_after = cls != _END and self.word_class[cls]
        if kind == "boundary":
            return state.word_before != word_after
        return state.word_before == word_after

    def _look_holds(self, look: _Look, state: _State, cls: int) -> bool:
        found = any(
            all(self._holds(kind, state, cls) for kind in alt.asserts)
            and (alt.ranges is None or self._in_class(alt.ranges, cls))
            for alt in look.alternatives
        )
        return found != look.negative

    def _in_class(self, ranges: Ranges, cls: int) -> bool:
        return cls != _END and _contains(ranges, self.class_starts[cls])

    def _signature(self, state: _State, cls: int) -> _Signature:
        """Everything the empty moves depend on at this point of the input."""
        return tuple(self._holds(kind, state, cls) for kind in self.assert_kinds) + tuple(
            self._look_holds(look, state, cls) for look in self.looks
        )

    def _reach_from(self, node: int, signature: _Signature) -> _Reach:
        """Positions reachable from ``node`` by empty moves, and whether the match is."""
        decided = dict(zip(self.assert_kinds, signature, strict=False))
        looks = signature[len(self.assert_kinds) :]
        stack, seen = [node], {node}
        mask = 0
        matched = False
        kinds, args, outs = self.kinds, self.args, self.outs
        while stack:
            current = stack.pop()
            kind = kinds[current]
            if kind == _CHAR:
                mask |= 1 << self.bit_of[current]
                continue
            if kind == _MATCH:
                matched = True
                continue
            if kind == _ASSERT and not decided[self.asserts[args[current]]]:
                continue
            if kind == _LOOK and not looks[args[current]]:
                continue
            for out in outs[current]:
                if out not in seen:
                    seen.add(out)
                    stack.append(out)
        return mask, matched

    def _chunk_reach(
        self, chunks: list[list[_Reach | None] | None], signature: _Signature, chunk: int, byte: int
    ) -> _Reach:
        """Fill the table entry for eight positions (one byte of a position set)."""
        table = chunks[chunk]
        if table is None:
            table = chunks[chunk] = [None] * 256
        entry = table[byte]
        if entry is None:
            mask = 0
            matched = False
            for bit in range(8):
                if byte >> bit & 1:
                    node = self.positions[chunk * 8 + bit]
                    reach, hit = self._reach_from(self.outs[node][0], signature)
                    mask |= reach
                    matched = matched or hit
            entry = table[byte] = (mask, matched)
            self.table_entries += 1
        return entry

    def _class_mask(self, cls: int) -> int:
        mask = self.class_masks[cls]
        if mask is None:
            start = self.class_starts[cls]
            mask = 0
            for bit, node in enumerate(self.positions):
                if _contains(self.sets[self.args[node]], start):
                    mask |= 1 << bit
            self.class_masks[cls] = mask
        return mask

    # running

    def _reach(self, state: _State, cls: int) -> _Reach:
        signature = self._signature(state, cls)
        if state.at_start or not self.anchored:
            start = self.start_reach.get(signature)
            if start is None:
                start = self.start_reach[signature] = self._reach_from(self.start, signature)
            mask, matched = start
        else:
            mask, matched = 0, False
        if state.positions:
            chunks = self.tables.get(signature)
            if chunks is None:
                chunks = self.tables[signature] = [None] * self.width
            data = state.positions.to_bytes(self.width, "little")
            for chunk, byte in enumerate(data):
                if byte:
                    table = chunks[chunk]
                    entry = None if table is None else table[byte]
                    if entry is None:
                        entry = self._chunk_reach(chunks, signature, chunk, byte)
                    mask |= entry[0]
                    if entry[1]:
                        matched = True
        return mask, matched

    def _step(self, state: _State, cls: int) -> _State:
        if self.table_entries > _MAX_TABLE_ENTRIES:
            self.tables.clear()
            self.table_entries = 0
        reach, matched = self._reach(state, cls)
        if matched:
            result = _MATCHED
        else:
            positions = reach & self._class_mask(cls)
            if not positions and self.anchored:
                result = _DEAD
            else:
                word = self.word_class[cls]
                found = self.states.get((positions, word))
                if found is None:
                    if len(self.states) >= _MAX_DFA_STATES:
                        self._flush()
                    found = self.states[positions, word] = _State(
                        positions, word, False, len(self.class_starts)
                    )
                result = found
        state.moves[cls] = result
        return result

    def _flush(self) -> None:
        """Forget cached states so memory stays bounded; they are rebuilt when needed."""
        for cached in self.states.values():
            cached.moves = [None] * len(self.class_starts)
        self.initial.moves = [None] * len(self.class_starts)
        self.states.clear()

    def class_of(self, char: str) -> int:
        cls = bisect_right(self.class_starts, ord(char)) - 1
        if len(self.class_cache) < _MAX_CLASS_CACHE:
            self.class_cache[char] = cls
        return cls

    def search(self, text: str) -> bool:
        state = self.initial
        cache = self.class_cache
        for char in text:
            cls = cache.get(char)
            if cls is None:
                cls = self.class_of(char)
            following = state.moves[cls]
            if following is None:
                following = self._step(state, cls)
            if following is _MATCHED:
                return True
            if following is _DEAD:
                return False
            state = following
        return self._reach(state, _END)[1]


# --- public API --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SafePattern:
    """A rule-pack or schema pattern that passed the safety rules, ready to match.

    Constructing one checks and compiles ``source`` (so ``SafePattern("(a+)+")`` raises
    :class:`UnsafePattern` too; there is no way to get an unchecked one).  Instances compare and
    hash by ``source`` and may be shared: the matcher's cache only ever holds correct transitions.
    """

    source: str
    _program: _Program = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items = _parse(self.source)
        _check(items)
        object.__setattr__(self, "_program", _Program(items))

    def search(self, text: str) -> bool:
        """Whether the pattern matches anywhere in ``text`` (ECMA-262 / JSON Schema semantics).

        Raises :class:`UnsafePattern` for input longer than :data:`MAX_INPUT` characters instead
        of truncating it: a match on part of a value could give the wrong verdict.
        """
        if len(text) > MAX_INPUT:
            raise UnsafePattern(f"input too long: {len(text)} characters, the limit is {MAX_INPUT}")
        return self._program.search(text)


def compile_safe(pattern: str) -> SafePattern:
    """Check an untrusted pattern against the rules in the module docstring and compile it.

    Call this when a rule pack or schema loads, so an unsafe pattern is reported with its rule
    before any document is checked.
    """
    return SafePattern(pattern)
