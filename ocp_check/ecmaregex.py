r"""Regular expressions from standards, rule packs and schemas: ECMA-262 translated for RE2.

Why this exists
---------------
Rule packs and inline schemas are data a third party may write, and their regular
expressions are matched against vendor documents anybody may write.  Python's ``re``
backtracks without a time limit (``^(a+)+$`` against 30 ``a`` and a ``!`` takes seconds and
doubles with every character), and its dialect is not the one JSON Schema ``pattern`` uses
(ECMA-262: ``$`` is the very end, ``\d`` is ASCII).  So every pattern is

1. **vetted when its standard, rule pack or schema loads**: :func:`compile_safe` parses the
   ECMA-262 subset below and raises :class:`UnsafePattern` with the construct and the reason
   for anything else, so a bad pack fails loudly and early instead of on some vendor's file;
2. **translated** to the syntax of RE2 (Google's linear-time engine, PyPI ``google-re2``)
   with every class written out as explicit code-point ranges, so nothing depends on what RE2
   thinks ``\d``, ``\s`` or ``.`` mean;
3. **matched by RE2**, which takes time linear in the input whatever the pattern (an automaton,
   never backtracking) in bounded memory.  There is no limit on the input's length.

The same translation, rendered for the Rust ``regex`` crate (``SafePattern.rust``), is what
the jsonschema-rs fast path is given, so both validators see one meaning; it is also the
engine where google-re2 is not installed (:data:`ENGINE`).  Why RE2, and the measurements
that chose it, are in ``docs/ARCHITECTURE.md`` (Dependencies).

Dialect: ECMA-262 with the ``u`` flag, as JSON Schema 2020-12 (section 6.4) asks
----------------------------------------------------------------------------------
ECMA-262 (15th edition, 2024), section 22.2: the pattern grammar with ``[+UnicodeMode]``, no
``i``, ``m``, ``s`` or ``v`` flag; class escapes in 22.2.2.9; *WhiteSpace* and
*LineTerminator* in 12.2 and 12.3.

* Matching is unanchored (the pattern may match anywhere), as ``pattern`` is in JSON Schema.
* ``^`` is the start of the input and ``$`` the very end (no ``m`` flag: ``^[0-9]{3}$`` does
  not accept ``"123\n"``, which Python's ``$`` would).
* ``\d`` is ``[0-9]``, ``\w`` is ``[A-Za-z0-9_]``, and ``\b`` / ``\B`` use that ``\w``:
  Arabic-Indic ``٣`` is not a digit, ``é`` not a word character.  ``\s`` is ECMA-262
  *WhiteSpace* and *LineTerminator*: U+0009-U+000D, U+0020, U+00A0, U+1680, U+2000-U+200A,
  U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
* ``.`` is any code point except the line terminators U+000A, U+000D, U+2028, U+2029.
* The input is a sequence of code points (the ``u`` flag), so ``^.$`` matches one emoji.
  ``\uD83D\uDE00`` in a pattern is that one code point; lone surrogates are code points too.
* ``[]`` matches nothing and ``[^]`` any code point, as in ECMA-262.
* Escapes: ``\t \n \v \f \r``, ``\cA``-``\cZ``, ``\0``, ``\xHH``, ``\uHHHH``, ``\u{H…}``,
  ``\d \D \w \W \s \S \b \B``, inside a class also ``\b`` (backspace) and ``\-``.  An escaped
  ASCII punctuation character or space is that character (``\.``, ``\/``, also ``\-``,
  ``\_`` or ``\ ``, which ECMA-262 accepts only without the ``u`` flag: the meaning is the
  same everywhere they are accepted).
  A lone ``]`` or ``}`` is that character; a ``{`` must begin a quantifier.
* Greedy and lazy quantifiers are accepted; laziness does not change whether a match exists.
* Lookahead ``(?=…)`` / ``(?!…)`` whose alternatives each test only the next code point
  (a character or class) or the end of the input (``$``), e.g. ``(?!$)``, ``(?=[0-9])``,
  ``(?![-_])``.  RE2 has no lookaround, so the translation removes it: the condition is
  applied to the first code point of what follows (see :func:`_eliminate`).

Refused (each with a message naming the construct)
--------------------------------------------------
* Anything ECMA-262 does not define or that is not regular: backreferences (``\1``,
  ``\k<n>``), lookbehind, inline flags and modifiers (``(?i)``, ``(?i:…)``), Python's
  ``(?P<n>…)``, atomic groups, possessive quantifiers, ``\A``, ``\Z``, ``\z``, Unicode
  property escapes (``\p{…}``) and unknown letter escapes.
* Lookahead that looks further than one code point, or that sits at the end of a repeated
  group so that what it tests lies outside the repetition (``(?:a(?=b))+``).
* Patterns longer than :data:`MAX_PATTERN` characters, groups nested more than
  :data:`MAX_DEPTH` deep, counts above :data:`MAX_REPEAT`, and patterns with more than
  :data:`MAX_POSITIONS` character positions once counted quantifiers are expanded: these bound
  the automaton, so a pathological pattern still costs at most a few microseconds a character.

One job, in one module on purpose although it is long: the parser, the checks that refuse
what the subset does not hold, and the translations for RE2 and for Rust's ``regex`` crate
must agree construct by construct, and reading them side by side is how they are kept so.
"""

from __future__ import annotations

import functools
import importlib
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias

from ocp_check.errors import OcpCheckError

__all__ = [
    "ENGINE",
    "MAX_DEPTH",
    "MAX_PATTERN",
    "MAX_POSITIONS",
    "MAX_REPEAT",
    "SafePattern",
    "UnsafePattern",
    "compile_safe",
]

#: Longest pattern accepted, in characters.
MAX_PATTERN: Final = 1000
#: Deepest nesting of groups accepted (the parser recurses per level).
MAX_DEPTH: Final = 32
#: Largest count in ``{m,n}`` (RE2's own limit too).
MAX_REPEAT: Final = 1000
#: Most character positions after expanding counted quantifiers (bounds the automaton).
MAX_POSITIONS: Final = 1000
_MAX_CODE: Final = 0x10FFFF


class UnsafePattern(ValueError):
    """A pattern the project refuses to run.

    The message names the construct and why it is refused, so a rule-pack author can fix it; a
    :class:`ValueError` so callers treating "bad rule pack" generically still catch it.
    """


# --- code-point sets -----------------------------------------------------------------------------

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


def _intersect(a: Ranges, b: Ranges) -> Ranges:
    return _negate(_normalise([*_negate(a), *_negate(b)]))


_ALL: Final[Ranges] = ((0, _MAX_CODE),)
_DIGIT: Final = _normalise([(0x30, 0x39)])
_WORD: Final = _normalise([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
_SPACE: Final = _normalise(
    [
        *[(0x09, 0x0D), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A)],
        *[(0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000)],
        (0xFEFF, 0xFEFF),
    ]
)
_DOT: Final = _negate(_normalise([(0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029)]))
_SURROGATES: Final[Ranges] = ((0xD800, 0xDFFF),)
_CLASS_ESCAPES: Final = {
    "d": _DIGIT,
    "D": _negate(_DIGIT),
    "w": _WORD,
    "W": _negate(_WORD),
    "s": _SPACE,
    "S": _negate(_SPACE),
}
_CONTROL_ESCAPES: Final = {"t": 0x09, "n": 0x0A, "v": 0x0B, "f": 0x0C, "r": 0x0D}


# --- the pattern tree ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Char:
    """One code point from a set."""

    ranges: Ranges


@dataclass(frozen=True, slots=True)
class _Assert:
    """A zero-width assertion: ``^``, ``$``, ``\\b`` or ``\\B``."""

    kind: str


@dataclass(frozen=True, slots=True)
class _Look:
    """A one-code-point lookahead, as the condition it puts on the next position.

    The next code point must be in ``chars``, or the input must end there when ``end``.
    """

    chars: Ranges
    end: bool

    def __and__(self, other: _Look) -> _Look:
        return _Look(_intersect(self.chars, other.chars), self.end and other.end)

    @property
    def possible(self) -> bool:
        return bool(self.chars) or self.end


@dataclass(frozen=True, slots=True)
class _Group:
    """An alternation of sequences; with no branch at all it never matches."""

    branches: tuple[_Seq, ...]


@dataclass(frozen=True, slots=True)
class _Repeat:
    body: _Group
    low: int
    high: int | None  # None: unbounded


_Node: TypeAlias = _Char | _Assert | _Look | _Group | _Repeat
_Seq: TypeAlias = tuple[_Node, ...]
_NEVER: Final = _Group(())


# --- the parser ----------------------------------------------------------------------------------

_STRING_ANCHORS: Final = (
    r"'\A', '\Z' and '\z' are not ECMA-262: use '^' and '$', which mean the start and the end "
    "of the input here"
)
_LOOK_SHAPE: Final = (
    "only a lookahead that tests the next character or the end of the input, such as "
    r"'(?=\d)', '(?![-_])' or '(?!$)', can be translated"
)


class _Parser:
    """A recursive-descent parser of the subset described in the module docstring."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0
        self.depth = 0

    def error(self, message: str) -> UnsafePattern:
        return UnsafePattern(f"invalid regular expression at position {self.at}: {message}")

    def peek(self, offset: int = 0) -> str:
        index = self.at + offset
        return self.source[index] if index < len(self.source) else ""

    def parse(self) -> _Group:
        group = self.disjunction()
        if self.at < len(self.source):  # only a ')' stops a disjunction early
            raise self.error("unbalanced ')'")
        return group

    def disjunction(self) -> _Group:
        branches = [self.alternative()]
        while self.peek() == "|":
            self.at += 1
            branches.append(self.alternative())
        return _Group(tuple(branches))

    def alternative(self) -> _Seq:
        items: list[_Node] = []
        while self.at < len(self.source) and self.peek() not in "|)":
            items.append(self.term())
        return tuple(items)

    def term(self) -> _Node:
        atom = self.atom()
        quantifier = self.quantifier()
        if quantifier is None:
            return atom
        if isinstance(atom, _Assert | _Look):
            raise self.error("nothing to repeat: an assertion cannot be quantified")
        if quantifier[1] == 0:
            return _Group(((),))  # 'a{0}' matches the empty string
        body = atom if isinstance(atom, _Group) else _Group(((atom,),))
        return _Repeat(body, *quantifier)

    def quantifier(self) -> tuple[int, int | None] | None:
        char = self.peek()
        if char in ("*", "+", "?") and char:
            self.at += 1
            bounds: tuple[int, int | None] = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{":
            found = self.braces()
            if found is None:
                raise self.error(r"a '{' that does not begin a quantifier must be written '\{'")
            bounds = found
        else:
            return None
        if self.peek() == "?":  # lazy: the same matches exist
            self.at += 1
        return bounds

    def braces(self) -> tuple[int, int | None] | None:
        """``{n}``, ``{n,}`` or ``{n,m}`` at the cursor (consumed), or None."""
        end = self.source.find("}", self.at)
        if end < 0:
            return None
        low_text, comma, high_text = self.source[self.at + 1 : end].partition(",")
        if not (low_text.isascii() and low_text.isdigit()):
            return None
        if high_text and not (high_text.isascii() and high_text.isdigit()):
            return None
        low = int(low_text)
        high = None if comma and not high_text else int(high_text or low_text)
        for count in (low, high):
            if count is not None and count > MAX_REPEAT:
                raise UnsafePattern(f"repetition count {count} is above the limit of {MAX_REPEAT}")
        if high is not None and high < low:
            raise self.error(f"numbers out of order in {{{low},{high}}}")
        self.at = end + 1
        return low, high

    def atom(self) -> _Node:
        char = self.peek()
        if char in ("^", "$"):
            self.at += 1
            return _Assert(char)
        if char == ".":
            self.at += 1
            return _Char(_DOT)
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == "\\":
            return self.escape()
        if char in ("*", "+", "?"):
            raise self.error(f"nothing to repeat before '{char}'")
        if char == "{":
            raise self.error(
                "nothing to repeat before '{'"
                if self.braces() is not None
                else r"a '{' that does not begin a quantifier must be written '\{'"
            )
        self.at += 1
        return _Char(((ord(char), ord(char)),))

    def group(self) -> _Node:
        start = self.at
        self.at += 1
        look: bool | None = None  # True: positive lookahead, False: negative
        if self.peek() == "?":
            marker = self.source[self.at + 1 : self.at + 4]
            if marker.startswith(":"):
                self.at += 2
            elif marker.startswith(("=", "!")):
                look = marker[0] == "="
                self.at += 2
            elif marker.startswith(("<=", "<!")):
                raise UnsafePattern(
                    "lookbehind '(?<=...)' / '(?<!...)' is not supported: RE2, the linear-time "
                    "engine, has no lookaround"
                )
            elif marker.startswith("<"):
                self.group_name()
            elif marker.startswith("P"):
                raise UnsafePattern(
                    "'(?P...)' is Python's syntax, not ECMA-262: write a named group as "
                    "'(?<name>...)'; backreferences are not supported"
                )
            elif marker.startswith(">"):
                raise UnsafePattern("atomic group '(?>...)' is not allowed: it is not ECMA-262")
            elif marker.startswith("("):
                raise UnsafePattern("conditional group '(?(...)...)' is not allowed: it is not ECMA-262")
            elif marker[:1] and marker[0] in "imsxuvyg-":
                raise UnsafePattern(
                    "inline flags such as '(?i)' or '(?i:...)' are not allowed: they change what "
                    "the pattern means"
                )
            else:
                raise self.error("'(?' must be followed by ':', '=', '!' or '<name>'")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise UnsafePattern(f"groups are nested more than {MAX_DEPTH} deep")
        body = self.disjunction()
        self.depth -= 1
        if self.peek() != ")":
            self.at = start
            raise self.error("missing ')'")
        self.at += 1
        if look is None:
            return body
        condition = _look_condition(body, self.source[start : self.at])
        if look:
            return condition
        return _Look(_negate(condition.chars), not condition.end)

    def group_name(self) -> None:
        close = self.source.find(">", self.at)
        name = self.source[self.at + 2 : close] if close > 0 else ""
        if not (name.isidentifier() and "$" not in name):
            raise self.error("a group name must be an identifier, as in '(?<year>...)'")
        self.at = close + 1

    def char_class(self) -> _Char:
        start = self.at
        self.at += 1
        negate = self.peek() == "^"
        if negate:
            self.at += 1
        ranges: list[tuple[int, int]] = []
        while self.peek() != "]":
            if not self.peek():
                self.at = start
                raise self.error("missing ']'")
            low = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.at += 1
                high = self.class_atom()
                if len(low) != 1 or len(high) != 1 or low[0][0] != low[0][1] or high[0][0] != high[0][1]:
                    raise self.error(r"a class escape such as '\d' cannot bound a range")
                if high[0][0] < low[0][0]:
                    raise self.error("range out of order in character class")
                ranges.append((low[0][0], high[0][0]))
            else:
                ranges.extend(low)
        self.at += 1
        result = _normalise(ranges)
        return _Char(_negate(result) if negate else result)

    def class_atom(self) -> Ranges:
        char = self.peek()
        if char != "\\":
            self.at += 1
            return ((ord(char), ord(char)),)
        following = self.peek(1)
        if following == "b":
            self.at += 2
            return ((0x08, 0x08),)
        if following == "-":
            self.at += 2
            return ((0x2D, 0x2D),)
        if following == "B":
            raise self.error(r"'\B' is not allowed in a character class")
        node = self.escape()
        assert isinstance(node, _Char)  # \b and \B are handled above
        return node.ranges

    def escape(self) -> _Node:
        following = self.peek(1)
        self.at += 2
        if not following:
            self.at -= 2
            raise self.error("the pattern ends with '\\'")
        if following in _CLASS_ESCAPES:
            return _Char(_CLASS_ESCAPES[following])
        if following in ("b", "B"):
            return _Assert("\\" + following)
        if following in _CONTROL_ESCAPES:
            return _literal(_CONTROL_ESCAPES[following])
        if following == "c":
            letter = self.peek()
            if not (letter.isascii() and letter.isalpha()):
                raise self.error(r"'\c' must be followed by a letter A-Z")
            self.at += 1
            return _literal(ord(letter) % 32)
        if following == "0" and self.peek() not in tuple(string.digits):
            return _literal(0)
        if following in string.digits:
            raise UnsafePattern(
                f"backreference or octal escape '\\{following}' is not allowed: matching "
                "backreferences needs backtracking, which can take exponential time"
            )
        if following == "k":
            raise UnsafePattern(r"backreference '\k<name>' is not allowed: it needs backtracking")
        if following == "x":
            return _literal(self.hex_digits(2))
        if following == "u":
            return _literal(self.unicode_escape())
        if following in ("p", "P"):
            raise UnsafePattern(
                f"Unicode property escape '\\{following}{{...}}' is not supported: write the "
                "characters as a class"
            )
        if following in ("A", "Z", "z"):
            raise UnsafePattern(_STRING_ANCHORS)
        if following in string.punctuation or following == " ":
            return _literal(ord(following))
        self.at -= 2
        raise self.error(f"'\\{following}' is not an ECMA-262 escape")

    def hex_digits(self, count: int) -> int:
        digits = self.source[self.at : self.at + count]
        if len(digits) != count or not all(d in string.hexdigits for d in digits):
            raise self.error(f"expected {count} hexadecimal digits")
        self.at += count
        return int(digits, 16)

    def unicode_escape(self) -> int:
        if self.peek() == "{":
            close = self.source.find("}", self.at)
            digits = self.source[self.at + 1 : close] if close > 0 else ""
            if not digits or not all(d in string.hexdigits for d in digits) or int(digits, 16) > _MAX_CODE:
                raise self.error(r"'\u{...}' must hold a code point in hexadecimal, at most 10FFFF")
            self.at = close + 1
            return int(digits, 16)
        code = self.hex_digits(4)
        if 0xD800 <= code <= 0xDBFF and self.source[self.at : self.at + 2] == "\\u":
            saved = self.at
            self.at += 2
            trail = self.hex_digits(4) if self.peek() != "{" else -1
            if 0xDC00 <= trail <= 0xDFFF:  # a surrogate pair escape is one code point
                return 0x10000 + ((code - 0xD800) << 10) + (trail - 0xDC00)
            self.at = saved
        return code


def _literal(code: int) -> _Char:
    return _Char(((code, code),))


def _look_condition(body: _Group, label: str) -> _Look:
    """The condition a lookahead body puts on the next position, or UnsafePattern."""
    chars: list[tuple[int, int]] = []
    end = False
    for branch in body.branches:
        items = branch
        while len(items) == 1 and isinstance(items[0], _Group) and len(items[0].branches) == 1:
            items = items[0].branches[0]
        if not items:
            return _Look(_ALL, True)  # an empty alternative always holds
        if len(items) == 1 and isinstance(items[0], _Group):
            inner = _look_condition(items[0], label)
            chars.extend(inner.chars)
            end = end or inner.end
        elif len(items) == 1 and isinstance(items[0], _Char):
            chars.extend(items[0].ranges)
        elif len(items) == 1 and items[0] == _Assert("$"):
            end = True
        else:
            raise UnsafePattern(f"lookahead '{label}' is not supported: {_LOOK_SHAPE}")
    return _Look(_normalise(chars), end)


# --- removing lookahead --------------------------------------------------------------------------
#
# RE2 has no lookaround.  A one-code-point lookahead is a condition on the first code point
# matched by what follows it, so it can be moved into that code point's class: with the
# continuation ``K`` of ``(?=[0-9])K``, every way ``K`` can begin is kept with its first class
# intersected with ``[0-9]``.  Two steps make that exact:
#
# 1. ``_absorb``: a group (or optional group) that holds a lookahead takes in everything that
#    follows it in its sequence, ``(A(?=x)|B)C`` becoming ``(A(?=x)C|BC)``, so that a
#    lookahead is followed in its own sequence by everything that can come after it.  Inside
#    a repeated group this is impossible (what follows is the next iteration), so there the
#    lookahead must be decided within the group's body.
# 2. ``_eliminate``: each lookahead, from the last, is replaced by the alternatives of what
#    follows it with the condition applied (``_restrict``).  Where what follows can match
#    without consuming a code point, the condition reaches the end of the pattern and becomes
#    one consumed code point (or ``$``): matching is unanchored at the end, so consuming the
#    code point a lookahead looked at does not change whether a match exists.


def _has_free_look(node: _Node) -> bool:
    """Whether ``node`` holds a lookahead outside any repetition of more than one iteration."""
    if isinstance(node, _Look):
        return True
    if isinstance(node, _Group):
        return any(_has_free_look(item) for branch in node.branches for item in branch)
    if isinstance(node, _Repeat) and node.high == 1:
        return _has_free_look(node.body)
    return False


#: Most tree nodes the lookahead translation may build: copying what follows a lookahead
#: into every alternative can grow a pattern quickly, so the growth is bounded.
_MAX_NODES: Final = 20_000


class _Budget:
    """Counts the nodes the translation builds and refuses a pattern that needs too many."""

    def __init__(self) -> None:
        self.left = _MAX_NODES

    def spend(self, items: _Seq) -> _Seq:
        self.left -= len(items)
        if self.left < 0:
            raise UnsafePattern(
                "the pattern's lookaheads would make its translation too large: write the "
                "alternatives out instead"
            )
        return items


def _absorb(items: _Seq, budget: _Budget) -> _Seq:
    out: list[_Node] = []
    for index, node in enumerate(items):
        if isinstance(node, _Group | _Repeat) and _has_free_look(node):
            rest = items[index + 1 :]
            group = node.body if isinstance(node, _Repeat) else node
            branches = [_absorb(budget.spend(branch + rest), budget) for branch in group.branches]
            if isinstance(node, _Repeat) and node.low == 0:
                branches.append(_absorb(rest, budget))
            out.append(_Group(tuple(branches)))
            return tuple(out)
        if isinstance(node, _Repeat):
            body = _Group(tuple(_absorb(b, budget) for b in node.body.branches))
            node = _Repeat(body, node.low, node.high)
        elif isinstance(node, _Group):
            node = _Group(tuple(_absorb(b, budget) for b in node.branches))
        out.append(node)
    return tuple(out)


#: A way of matching nothing so far: the assertions met on the way, and the condition pending.
_Empty: TypeAlias = tuple[_Seq, _Look]


def _restrict(items: _Seq, condition: _Look) -> tuple[list[_Seq], list[_Empty]]:
    """The ways ``items`` can match with ``condition`` on its first code point.

    Returns the alternatives that consume a code point (with the condition applied to it) and
    the ways that consume none (with the condition still to be met by what comes next).
    """
    consumed: list[_Seq] = []
    empties: list[_Empty] = [((), condition)]
    for index, node in enumerate(items):
        rest = items[index + 1 :]
        following: list[_Empty] = []
        for asserted, pending in empties:
            first, still = _restrict_node(node, pending)
            consumed.extend(asserted + seq + rest for seq in first)
            following.extend((asserted + more, cond) for more, cond in still)
        empties = following
        if not empties:
            break
    return consumed, empties


def _restrict_node(node: _Node, condition: _Look) -> tuple[list[_Seq], list[_Empty]]:
    if isinstance(node, _Char):
        ranges = _intersect(node.ranges, condition.chars)
        return ([(_Char(ranges),)] if ranges else []), []
    if isinstance(node, _Assert):
        if node.kind != "$":
            return [], [((node,), condition)]
        return [], ([((node,), _Look((), True))] if condition.end else [])
    if isinstance(node, _Look):
        both = condition & node
        return [], ([((), both)] if both.possible else [])
    if isinstance(node, _Group):
        consumed: list[_Seq] = []
        empties: list[_Empty] = []
        for branch in node.branches:
            first, still = _restrict(branch, condition)
            consumed.extend(first)
            empties.extend(still)
        return consumed, empties
    first, still = _restrict_node(node.body, condition)
    if still and node.low > 0:
        raise UnsafePattern(
            f"a lookahead before a repetition whose part can match nothing cannot be "
            f"translated; {_LOOK_SHAPE}"
        )
    high = None if node.high is None else node.high - 1
    more: _Seq = () if high == 0 else (_Repeat(node.body, max(node.low - 1, 0), high),)
    return [seq + more for seq in first], ([((), condition)] if node.low == 0 else [])


def _consume(condition: _Look) -> _Node:
    """What a condition left at the end of the pattern becomes: the code point it tests."""
    options: list[_Seq] = []
    if condition.chars:
        options.append((_Char(condition.chars),))
    if condition.end:
        options.append((_Assert("$"),))
    return _Group(tuple(options))


def _eliminate(items: _Seq, top: bool, budget: _Budget) -> _Seq:
    """``items`` without lookahead (``_absorb`` has run); ``top``: nothing follows ``items``.

    A group that still holds a lookahead after ``_absorb`` is the last item of its sequence,
    so it inherits ``top``; the body of a repetition never has it.
    """
    items = tuple(_eliminate_inside(node, top, budget) for node in items)
    for index in range(len(items) - 1, -1, -1):
        node = items[index]
        if not isinstance(node, _Look):
            continue
        consumed, empties = _restrict(items[index + 1 :], node)
        if empties and not top:
            raise UnsafePattern(
                "a lookahead at the end of a repeated group tests what lies outside the "
                f"repetition and cannot be translated; {_LOOK_SHAPE}"
            )
        consumed.extend((*asserted, _consume(cond)) for asserted, cond in empties)
        items = (*items[:index], _Group(tuple(budget.spend(seq) for seq in consumed)))
    return items


def _eliminate_inside(node: _Node, top: bool, budget: _Budget) -> _Node:
    if isinstance(node, _Group):
        return _Group(tuple(_eliminate(branch, top, budget) for branch in node.branches))
    if isinstance(node, _Repeat):
        body = _Group(tuple(_eliminate(branch, False, budget) for branch in node.body.branches))
        return _Repeat(body, node.low, node.high)
    return node


def _simplify(node: _Node) -> _Node:
    """Drop the alternatives that cannot match, so that nothing renders an empty class."""
    if isinstance(node, _Char):
        return node if node.ranges else _NEVER
    if isinstance(node, _Group):
        branches = []
        for branch in node.branches:
            items = tuple(_simplify(item) for item in branch)
            if _NEVER not in items:
                branches.append(tuple(i for i in items if i != _Group(((),))))
        return _Group(tuple(branches))
    if isinstance(node, _Repeat):
        body = _simplify(node.body)
        assert isinstance(body, _Group)
        if body == _NEVER:
            return _Group(((),)) if node.low == 0 else _NEVER
        return _Repeat(body, node.low, node.high)
    return node


def _positions(node: _Node) -> int:
    if isinstance(node, _Char):
        return 1
    if isinstance(node, _Group):
        return sum(_positions(item) for branch in node.branches for item in branch)
    if isinstance(node, _Repeat):
        copies = node.low + 1 if node.high is None else max(node.high, 1)
        return copies * _positions(node.body)
    return 0


def _starts_with_non_boundary(items: _Seq) -> bool:
    """Whether ``\\B`` can be tested before the first code point is consumed."""
    for node in items:
        if node == _Assert("\\B"):
            return True
        if isinstance(node, _Group) and any(_starts_with_non_boundary(b) for b in node.branches):
            return True
        if isinstance(node, _Repeat) and _starts_with_non_boundary((node.body,)):
            return True
        if not _nullable(node):
            return False
    return False


def _nullable(node: _Node) -> bool:
    if isinstance(node, _Char):
        return False
    if isinstance(node, _Group):
        return any(all(_nullable(item) for item in branch) for branch in node.branches)
    if isinstance(node, _Repeat):
        return node.low == 0 or _nullable(node.body)
    return True


# --- rendering ----------------------------------------------------------------------------------
#
# Two renderings of one tree.  RE2's is what :meth:`SafePattern.search` runs.  Rust's is for the
# ``regex`` crate inside jsonschema-rs (the fast path, and the engine where google-re2 cannot be
# installed): code points are written ``\u{…}``, which ECMA-262 reads alike (jsonschema-rs
# checks that a draft-04 schema's patterns are ECMA-262); its ``\b`` is Unicode-aware, so
# ECMA-262's ASCII one is written ``(?-u:\b)``; and its strings hold no surrogates, so they are
# left out of every class.

_PLAIN: Final = frozenset(string.ascii_letters + string.digits + "_/:@,;='\"%!<># ")
_META: Final = frozenset("\\.^$|?*+()[]{}")


def _code(code: int, in_class: bool, rust: bool) -> str:
    """One code point in a form the engine reads as that code point."""
    char = chr(code)
    if char in _PLAIN or (not in_class and char in "-&~"):
        return char
    if char in _META:
        return "\\" + char
    return f"\\u{{{code:X}}}" if rust else f"\\x{{{code:X}}}"


def _nothing(rust: bool) -> str:
    """A class no code point is in."""
    return f"[^{_code(0, True, rust)}-{_code(_MAX_CODE, True, rust)}]"


def _render_ranges(ranges: Ranges, rust: bool) -> str:
    if rust:
        ranges = _intersect(ranges, _negate(_SURROGATES))
        if not ranges:
            return _nothing(rust)
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return _code(ranges[0][0], False, rust)
    parts = (
        _code(lo, True, rust) if lo == hi else f"{_code(lo, True, rust)}-{_code(hi, True, rust)}"
        for lo, hi in ranges
    )
    return "[" + "".join(parts) + "]"


def _render_seq(items: _Seq, rust: bool, in_sequence: bool = False) -> str:
    """``items`` one after the other; ``in_sequence``: something else is next to them."""
    return "".join(_render(item, rust, in_sequence or len(items) > 1) for item in items)


def _render(node: _Node, rust: bool, in_sequence: bool = False) -> str:
    if isinstance(node, _Char):
        return _render_ranges(node.ranges, rust)
    if isinstance(node, _Assert):
        return f"(?-u:{node.kind})" if rust and node.kind in ("\\b", "\\B") else node.kind
    if isinstance(node, _Group):
        if not node.branches:
            return _nothing(rust)
        if len(node.branches) == 1:
            return _render_seq(node.branches[0], rust, in_sequence)
        text = "|".join(_render_seq(branch, rust) for branch in node.branches)
        return f"(?:{text})" if in_sequence else text
    assert isinstance(node, _Repeat)
    body = node.body
    if len(body.branches) == 1 and len(body.branches[0]) == 1 and isinstance(body.branches[0][0], _Char):
        inner = _render_ranges(body.branches[0][0].ranges, rust)
    else:
        inner = f"(?:{_render(body, rust)})"
    if node.high is None:
        suffix = {0: "*", 1: "+"}.get(node.low, f"{{{node.low},}}")
    elif (node.low, node.high) == (0, 1):
        suffix = "?"
    elif node.low == node.high:
        suffix = f"{{{node.low}}}"
    else:
        suffix = f"{{{node.low},{node.high}}}"
    return inner + suffix


def _translate(source: object) -> _Group:
    """The vetted, lookahead-free tree of ``source``, or :class:`UnsafePattern`."""
    if not isinstance(source, str):
        raise UnsafePattern(f"a pattern must be a string, not {type(source).__name__}")
    if len(source) > MAX_PATTERN:
        raise UnsafePattern(f"pattern is longer than {MAX_PATTERN} characters ({len(source)})")
    tree = _Parser(source).parse()
    budget = _Budget()
    tree = _Group(tuple(_absorb(branch, budget) for branch in tree.branches))
    tree = _Group(tuple(_eliminate(branch, True, budget) for branch in tree.branches))
    simple = _simplify(tree)
    assert isinstance(simple, _Group)
    if _positions(simple) > MAX_POSITIONS:
        raise UnsafePattern(
            f"pattern expands to more than {MAX_POSITIONS} character positions once counted "
            "quantifiers (and lookaheads) are expanded"
        )
    return simple


def _re2_text(tree: _Group) -> str:
    text = _render(tree, rust=False)
    if any(_starts_with_non_boundary(branch) for branch in tree.branches):
        # RE2's unanchored search may start inside a UTF-8 sequence, where ECMA-262 has no
        # position; a leading \B could hold there.  Search from code point to code point.
        text = f"^[\\x{{0}}-\\x{{10FFFF}}]*?(?:{text})"
    return text


# --- the engines ---------------------------------------------------------------------------------
#
# RE2 where google-re2 is installed (pyproject.toml asks for it where it publishes wheels:
# Linux x86_64 and aarch64 with glibc, macOS, Windows x86-64).  Elsewhere the Rust ``regex``
# crate inside jsonschema-rs (wheels for musl and more architectures): also a finite automaton,
# linear in the input.  A pattern is never run by Python's ``re``.


def _optional(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:  # google-re2 where it has no wheel; jsonschema-rs is optional with RE2
        return None


re2: Any = _optional("re2")
#: The engine patterns are matched with: "re2", or "rust" where google-re2 is not installed.
ENGINE: Final = "re2" if re2 is not None else "rust"


@functools.cache
def _jsonschema_rs() -> Any:
    """jsonschema-rs, imported when first needed (it costs 20 ms at start-up)."""
    module = _optional("jsonschema_rs")
    if module is None or not hasattr(module, "RegexOptions"):
        raise OcpCheckError(
            "no engine for regular expressions: ocp-check matches them with google-re2, or "
            "with jsonschema-rs 0.30 or later where google-re2 has no wheel",
            hint="Install google-re2 (pip install google-re2) or jsonschema-rs.",
        )
    return module


def _re2_options() -> Any:
    options = re2.Options()
    options.log_errors = False  # errors are raised as UnsafePattern, not printed
    options.never_capture = True  # only "is there a match?" is asked
    return options


_RE2_OPTIONS: Final = _re2_options() if re2 is not None else None


def _rust_validator(pattern: str) -> Any:
    """A jsonschema-rs validator of ``{"pattern": pattern}`` on Rust's linear-time engine."""
    module = _jsonschema_rs()
    return module.validator_for({"pattern": pattern}, pattern_options=module.RegexOptions())


#: Python's ``re`` finds a surrogate as fast as anything: one class, nothing to backtrack.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _join_surrogates(text: str, lone: str) -> str:
    """``text`` with surrogate pairs joined and lone surrogates handled by ``lone``."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", lone)


# --- public API ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SafePattern:
    """A vetted pattern, translated and compiled for an engine (by default :data:`ENGINE`).

    Constructing one parses, checks and compiles ``source`` (so ``SafePattern("(?<=a)")``
    raises :class:`UnsafePattern` too; there is no way to get an unchecked one).  Instances
    compare and hash by ``source``.  ``translated`` is the pattern the engine runs, ``rust``
    the same for the Rust ``regex`` crate (what the jsonschema-rs fast path is given).
    """

    source: str
    engine: str = field(default=ENGINE, compare=False)
    translated: str = field(init=False, compare=False)
    rust: str = field(init=False, repr=False, compare=False)
    _match: Callable[[Any], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tree = _translate(self.source)
        rust = _render(tree, rust=True)
        try:
            if self.engine == "re2":
                translated = _re2_text(tree)
                match = re2.compile(translated, _RE2_OPTIONS).search
            else:
                translated = rust
                match = _rust_validator(rust).is_valid
        except (ValueError, getattr(re2, "error", ValueError)) as error:
            detail = error.args[0] if error.args else error
            if isinstance(detail, bytes):
                detail = detail.decode(errors="replace")
            raise UnsafePattern(f"pattern cannot be compiled: {detail}") from None
        object.__setattr__(self, "translated", translated)
        object.__setattr__(self, "rust", rust)
        object.__setattr__(self, "_match", match)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its source and engine, compiled again when loaded (a worker started by
        ``spawn`` receives it that way; the compiled engines do not all pickle)."""
        return (SafePattern, (self.source, self.engine))

    def search(self, text: str) -> bool:
        """Whether the pattern matches anywhere in ``text`` (ECMA-262 / JSON Schema semantics).

        Time is linear in ``len(text)``: the engine runs an automaton, never backtracking.
        """
        if self.engine == "rust":
            if not text.isascii() and _SURROGATE.search(text):
                text = _join_surrogates(text, "replace")  # a Rust string holds no lone surrogate
            return bool(self._match(text))
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates are code points in ECMA-262 with the u flag; RE2 reads their
            # three-byte form as one.  A pair written as two surrogates is one code point.
            data = _join_surrogates(text, "surrogatepass").encode("utf-8", "surrogatepass")
        return self._match(data) is not None


def compile_safe(pattern: str) -> SafePattern:
    """Check an untrusted pattern against the rules in the module docstring and compile it.

    Call this when a rule pack or schema loads, so an unsafe pattern is reported with its
    reason before any document is checked.
    """
    return SafePattern(pattern)
