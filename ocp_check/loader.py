"""Turn untrusted vendor YAML/JSON files into JSON-model data with exact source positions.

Everything downstream (schema validation, rules, reports) assumes the JSON data model: string
keys, no NaN, no dates, no cycles. PyYAML's defaults break that in many ways (YAML 1.1 typing
turns ``NO`` into ``False`` and ``1:30`` into ``90``, duplicate keys silently win, aliases can
expand to billions of nodes, deep nesting raises ``RecursionError``), and ``json`` keeps the
last duplicate key. So this module composes YAML into PyYAML's node graph with a resolver we
control, measures the graph (size after alias expansion, depth, cycles) before building any
data, and builds the data itself. JSON goes through :mod:`json` with hooks, because it is
50-100x faster than libyaml. Every failure is a :class:`LoadError` with a stable ``code``:
a broken vendor file is a finding, never a traceback (see RELIABILITY.md section A).

Positions are computed lazily, only for the pointers that have findings: YAML from the node
marks kept in the document, JSON by a small scanner that skips uninteresting values at C speed.
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
import stat
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeAlias

import yaml
from yaml.composer import Composer
from yaml.error import Mark
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    ScalarEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

__all__ = [
    "JSON", "USE_LIBYAML", "Limits", "LoadError", "SourceDocument", "decode_text",
    "escape_token", "load_bytes", "load_path", "pointer_join", "split_pointer",
]

JSON: TypeAlias = bool | int | float | str | list["JSON"] | dict[str, "JSON"] | None
Format = Literal["yaml", "json"]
Pos = tuple[int, int]
Scan = Callable[[str, int], tuple[Any, int]]

#: Use libyaml when PyYAML has it. Tests flip this to prove both parsers give identical results.
USE_LIBYAML: bool = yaml.__with_libyaml__


@dataclass(frozen=True, slots=True)
class Limits:
    """Budgets that keep a hostile file from exhausting time or memory."""

    max_bytes: int = 64 * 1024 * 1024  # file size cap
    max_depth: int = 128  # nesting depth of containers, well below every parser's own limit
    max_nodes: int = 2_000_000  # nodes after alias expansion (alias-bomb budget)


_DEFAULT_LIMITS = Limits()


class LoadError(Exception):
    """A vendor file that cannot be turned into JSON-model data. Carries a stable ``code``.

    Codes: size, encoding, syntax, empty, multi-document, depth, alias-bomb, alias-cycle,
    duplicate-key, merge-key, key-type, tag, nan, number, unreadable.
    """

    def __init__(self, code: str, message: str, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line  # 1-based, or None when the problem has no place in the file
        self.column = column

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep it picklable, so a worker process can hand it back to the parent.
        return (LoadError, (self.code, self.message, self.line, self.column))


def _error(code: str, message: str, pos: Pos | None = None) -> LoadError:
    return LoadError(code, message, *(pos or (None, None)))


def _short(value: str, limit: int = 60) -> str:
    """Quote document text for a message, truncated: messages must not echo megabytes."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


# --- RFC 6901 pointers -------------------------------------------------------------------

def escape_token(token: str) -> str:
    """Escape one reference token (``~`` first, so ``/`` never turns into ``~01``)."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer_join(pointer: str, token: str | int) -> str:
    """Append one token to a pointer: ``pointer_join("/a", "b/c") == "/a/b~1c"``."""
    return f"{pointer}/{escape_token(str(token))}"


def split_pointer(pointer: str) -> list[str]:
    """Split a pointer into unescaped tokens; ``""`` (the root) gives ``[]``.

    A pointer that does not start with ``/`` is a bug in the caller, not in the vendor's
    file, so it raises ValueError rather than answering "not found".
    """
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


_INDEX = re.compile(r"0|[1-9][0-9]{0,17}")  # array index token (RFC 6901: no leading zeros)


# --- text ----------------------------------------------------------------------------------

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(raw: bytes) -> str:
    """Decode UTF-8 (optionally with a BOM) and nothing else: guessing an encoding would let
    the same file mean different things to different tools."""
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        return raw[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line_start = max(raw.rfind(b"\n", 0, offset) + 1, start)
        line = raw.count(b"\n", 0, offset) + 1
        column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
        message = f"not valid UTF-8 at byte offset {offset} (line {line}, column {column})"
        if raw.startswith(_UTF16_BOMS):
            message += "; the file is UTF-16 (save it as UTF-8)"
        raise LoadError("encoding", message, line, column) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_surrogates(value: str) -> str:
    """Join escaped surrogate pairs and replace lone surrogates with U+FFFD, so reports can
    always be encoded as UTF-8 (a lone surrogate crashes a UTF-8 writer)."""
    if value.isascii() or _SURROGATE.search(value) is None:
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


class _Lines:
    """Line starts of a text, built on first use; maps offsets to 1-based (line, column)."""

    def __init__(self, text: str, breaks: re.Pattern[str]) -> None:
        self._text = text
        self._breaks = breaks
        self._starts: list[int] | None = None

    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in self._breaks.finditer(self._text))]
        return self._starts

    def pos(self, offset: int) -> Pos:
        starts = self.starts()
        index = bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def count(self) -> int:
        starts = self.starts()
        return len(starts) - (1 if len(starts) > 1 and starts[-1] == len(self._text) else 0)

    def text(self, line: int) -> str:
        starts = self.starts()
        end = starts[line] if line < len(starts) else len(self._text)
        return self._text[starts[line - 1]:end].rstrip("\r\n\x85\u2028\u2029")


_YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what PyYAML and libyaml count
_JSON_BREAKS = re.compile("\n")  # what json.JSONDecodeError counts


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building millions of acyclic objects: it made big loads 2-4x
    slower (PERFORMANCE.md) and finds nothing to collect. Restored even on errors."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- YAML: resolver and parsers ----------------------------------------------------------

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
_SEQ, _MAP, _MERGE = _T + "seq", _T + "map", _T + "merge"
_NULL_RE = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL_RE = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_INT_RE = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_FLOAT_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)\Z")
_NONFINITE_RE = re.compile(r"(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z")
_SCALAR_GRAMMAR = {_NULL: _NULL_RE, _BOOL: _BOOL_RE, _INT: _INT_RE}
_MAX_INT_DIGITS = 4300  # CPython's own int/str limit, enforced here on every Python version
_NAN_MESSAGE = "NaN and Infinity are not allowed in the JSON data model"


class _Resolver(BaseResolver):
    """YAML 1.2 core schema, restricted to the JSON spellings; everything else is a string.

    This is what keeps ``NO``, ``on``, ``0755``, ``1:30`` and ``2024-01-31`` strings.
    ``.inf``/``.nan`` resolve to float only so that the builder can refuse them by name.
    """


for _tag, _regexp, _first in (
    (_NULL, _NULL_RE, ["~", "n", "N", ""]),
    (_BOOL, _BOOL_RE, list("tTfF")),
    (_INT, _INT_RE, list("-0123456789")),
    (_FLOAT, _FLOAT_RE, list("-0123456789")),
    (_FLOAT, _NONFINITE_RE, list("-+.")),
):
    _Resolver.add_implicit_resolver(_tag, _regexp, _first)


class _PyLoader(Reader, Scanner, Parser, Composer, _Resolver):
    """Pure-Python composer (no constructor: we never let PyYAML build objects).

    PyYAML's scanner refuses every tab, libyaml accepts tabs as separation (``a: b<TAB>``,
    tab-indented JSON). The two wrappers apply libyaml's rule so both accept the same files.
    """

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)

    def scan_to_next_token(self) -> None:
        # A tab separates tokens in flow context and after a token that no simple key may
        # follow (':' of a simple key, a scalar, '---'); not as indentation, not after '-'.
        while True:
            super().scan_to_next_token()
            if self.peek() != "\t" or not (self.flow_level or not self.allow_simple_key):
                return
            self.forward()

    def scan_plain_spaces(self, indent: int, start_mark: Mark) -> list[str]:
        # Blanks with a tab inside one line of a plain scalar are kept as they are.
        length = 0
        while self.peek(length) in " \t":
            length += 1
        if "\t" in self.prefix(length) and self.peek(length) not in "\r\n\x85\u2028\u2029":
            blanks = self.prefix(length)
            self.forward(length)
            return [blanks]
        chunks: list[str] | None = super().scan_plain_spaces(indent, start_mark)
        return chunks or []


_LoaderClass: TypeAlias = Callable[[str], Any]
_CLoader: _LoaderClass | None = None
if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _LibyamlLoader(CParser, _Resolver):
        """libyaml composer; it calls our resolver exactly as the pure-Python one does."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Resolver.__init__(self)

    _CLoader = _LibyamlLoader


def _mark_pos(mark: Mark | None) -> Pos | None:
    return None if mark is None else (mark.line + 1, mark.column + 1)


def _at(pos: Pos | None) -> str:
    return "" if pos is None else f" at line {pos[0]}"


_SURROGATE_CODE = re.compile(r"(?:0000)?[dD][89a-fA-F]")


class _Surrogates(Exception):
    """libyaml refuses surrogate escapes such as "\\ud83d\\udc4d" that JSON writers emit."""


def _compose(text: str, limits: Limits) -> tuple[Node | None, _LoaderClass]:
    loader_class = _CLoader if USE_LIBYAML and _CLoader is not None else _PyLoader
    try:
        return _compose_with(loader_class, text, limits), loader_class
    except _Surrogates:
        # The pure-Python scanner accepts them; same data, slower, and only for such files.
        return _compose_with(_PyLoader, text, limits), _PyLoader


def _compose_with(loader_class: _LoaderClass, text: str, limits: Limits) -> Node | None:
    loader = loader_class(text)
    try:
        node: Node | None = loader.get_single_node()
        return node
    except RecursionError:  # pure-Python composer, some hundred levels deep
        raise _locate_structure(loader_class, text, limits, None) from None
    except ValueError:  # pure-Python scanner: chr() of an escape above U+10FFFF
        pos = _mark_pos(loader.get_mark()) if isinstance(loader, _PyLoader) else None
        raise _error("syntax", f"found invalid Unicode character escape code{_at(pos)}",
                     pos) from None
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, loader_class, text, limits) from None
    except yaml.YAMLError as exc:  # ReaderError: prevented by _check_printable, kept as a net
        raise _error("syntax", f"YAML reader error: {exc}") from None
    finally:
        loader.dispose()


def _yaml_error(exc: yaml.MarkedYAMLError, loader_class: _LoaderClass, text: str,
                limits: Limits) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    # From the character index: at the end of the stream libyaml counts a line that is not there.
    pos = None if mark is None else _Lines(text, _YAML_BREAKS).pos(min(mark.index, len(text)))
    problem, context = exc.problem or "", exc.context or ""
    if "maximum nesting depth" in problem and mark is not None:
        # libyaml stops at 1000 levels and reads all of them before its first event; the
        # first container over our limit lies before that point, on the same branch.
        return _locate_structure(_PyLoader, text[: mark.index], limits, None)
    if context == "expected a single document in the stream":
        return _error("multi-document", "the file holds more than one YAML document; the "
                      f"second starts{_at(pos)}", pos)
    if "invalid Unicode character escape" in problem and loader_class is not _PyLoader and mark:
        if text[mark.index - 1] in "uU" and _SURROGATE_CODE.match(text, mark.index):
            raise _Surrogates
    if context.startswith("found duplicate anchor"):
        first = _mark_pos(exc.context_mark)
        return _error("syntax", f"duplicate anchor{_at(pos)} (first defined{_at(first)})", pos)
    where = "" if pos is None else f" at line {pos[0]}, column {pos[1]}"
    return _error("syntax", f"{problem}{where}" + (f" ({context})" if context else ""), pos)


# --- YAML: structure (alias expansion, depth, cycles) before any data is built -------------

_COUNT_CAP = 1 << 62  # keep expanded counts small integers even for absurd bombs


def _kids(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, SequenceNode) else []


def _measure(root: Node, limits: Limits) -> tuple[list[Node], int, bool]:
    """Visit each distinct collection once (memoised on node identity, so an alias bomb costs
    what its text costs) and return the collections in document pre-order, the node count
    after alias expansion, and whether the depth or cycle rules are broken."""
    if not isinstance(root, SequenceNode | MappingNode):
        return [], 1, False
    done: dict[int, tuple[int, int]] = {}  # id -> (expanded count, container height)
    active: set[int] = set()  # the collections on the current path: a cycle comes back here
    order: list[Node] = []
    todo: list[tuple[Node, int, list[Node] | None]] = [(root, 1, None)]
    while todo:
        node, depth, kids = todo.pop()
        if kids is not None:  # leaving: children are measured
            count, height = 1, 1
            for kid in kids:
                if isinstance(kid, ScalarNode):
                    count += 1
                else:
                    kid_count, kid_height = done[id(kid)]
                    count, height = count + kid_count, max(height, kid_height + 1)
            done[id(node)] = (min(count, _COUNT_CAP), height)
            active.discard(id(node))
            continue
        if id(node) in done:  # the same node twice among one parent's children
            if depth + done[id(node)][1] - 1 > limits.max_depth:
                return order, 0, True
            continue
        if depth > limits.max_depth:
            return order, 0, True
        kids = _kids(node)
        active.add(id(node))
        order.append(node)
        todo.append((node, depth, kids))
        for kid in reversed(kids):
            if isinstance(kid, ScalarNode):
                continue
            if id(kid) in active:
                return order, 0, True
            if id(kid) in done:
                if depth + done[id(kid)][1] > limits.max_depth:
                    return order, 0, True
            else:
                todo.append((kid, depth + 1, None))
    return order, done[id(root)][0], False


def _locate_structure(loader_class: _LoaderClass, text: str, limits: Limits,
                      total: int | None) -> LoadError:
    """Replay the parser's events to name the first place, in document order, where the
    structure is refused: the node graph has no alias nodes, so only events know where
    an alias is. Runs only on the error path."""
    loader = loader_class(text)
    expanded: dict[str, tuple[int, int]] = {}  # anchor -> (expanded count, container height)
    stack: list[list[Any]] = []  # open collections: [anchor, count, height]
    seen = via_alias = 0
    too_deep = f"nesting deeper than {limits.max_depth} levels"
    try:
        while True:
            event = loader.get_event()
            pos = _mark_pos(event.start_mark)
            if isinstance(event, DocumentEndEvent | StreamEndEvent):
                break
            if isinstance(event, CollectionStartEvent):
                if len(stack) >= limits.max_depth:
                    return _error("depth", f"{too_deep}{_at(pos)}", pos)
                stack.append([event.anchor, 1, 1])
                count, height = 1, -1  # counted now; added to its parent when it ends
            elif isinstance(event, CollectionEndEvent):
                anchor, count, height = stack.pop()
                if anchor:
                    expanded[anchor] = (count, height)
            elif isinstance(event, AliasEvent):
                if any(frame[0] == event.anchor for frame in stack):
                    return _error("alias-cycle", f"alias *{event.anchor}{_at(pos)} refers to a "
                                  "node that contains it; the JSON data model has no cycles", pos)
                count, height = expanded.get(event.anchor or "", (1, 0))
                if len(stack) + height > limits.max_depth:
                    return _error("depth", f"{too_deep}{_at(pos)} (through alias "
                                  f"*{event.anchor})", pos)
                via_alias += count - 1
            elif isinstance(event, ScalarEvent):
                count, height = 1, 0
                if event.anchor:
                    expanded[event.anchor] = (1, 0)
            else:
                continue
            if height >= 0:  # a finished node: add it to its parent
                if stack:
                    stack[-1][1] = min(stack[-1][1] + count, _COUNT_CAP)
                    stack[-1][2] = max(stack[-1][2], height + 1)
                if isinstance(event, CollectionEndEvent):
                    continue
            seen += count
            if seen > limits.max_nodes:
                if not via_alias:
                    return _error("size", f"the document has more than {limits.max_nodes} "
                                  "nodes", pos)
                shown = total if total else f"more than {limits.max_nodes}"
                return _error("alias-bomb", f"alias expansion would create {shown} nodes "
                              f"(limit {limits.max_nodes})", pos)
    except (yaml.YAMLError, RecursionError, ValueError):
        pass
    finally:
        loader.dispose()
    return _error("depth", too_deep)


# --- YAML: building JSON data from the measured graph ------------------------------------

def _show_tag(tag: str) -> str:
    return ("!!" + tag[len(_T):] if tag.startswith(_T) else tag)[:80]


def _node_pos(node: Node) -> Pos | None:
    return _mark_pos(node.start_mark)


def _bad_value(node: ScalarNode) -> LoadError:
    pos = _node_pos(node)
    return _error("tag", f"{_short(node.value)} is not a valid {_show_tag(node.tag)}{_at(pos)}",
                  pos)


def _scalar(node: Node) -> JSON:
    """Turn a scalar node into a JSON value, validating explicit tags against our grammar."""
    if not isinstance(node, ScalarNode):  # a collection tag on a scalar position cannot occur
        raise AssertionError("not a scalar")
    tag, value = node.tag, node.value
    if tag == _STR:
        return _fix_surrogates(value) if node.style == '"' else value
    if tag in (_NULL, _BOOL):
        if not _SCALAR_GRAMMAR[tag].match(value):
            raise _bad_value(node)
        return None if tag == _NULL else value[0] in "tT"
    if tag in (_INT, _FLOAT):
        if _NONFINITE_RE.match(value) and tag == _FLOAT:
            raise _error("nan", _NAN_MESSAGE, _node_pos(node))
        if not (_INT_RE.match(value) or (tag == _FLOAT and _FLOAT_RE.match(value))):
            raise _bad_value(node)
        number = float(value) if tag == _FLOAT else None
        if len(value) > _MAX_INT_DIGITS or (number is not None and math.isinf(number)):
            pos = _node_pos(node)
            raise _error("number", f"number too large{_at(pos)}", pos)
        return int(value) if number is None else number
    pos = _node_pos(node)
    raise _error("tag", f"unsupported tag {_show_tag(tag)}{_at(pos)}", pos)


def _key(node: Node) -> str:
    """Mapping keys are the scalar's source text, whatever it would resolve to: ``200:`` is
    "200" (OpenAPI responses) and ``1:`` / ``01:`` / ``true:`` stay distinct keys."""
    pos = _node_pos(node)
    if not isinstance(node, ScalarNode):
        kind = "sequence" if isinstance(node, SequenceNode) else "mapping"
        raise _error("key-type", f"a {kind} cannot be a mapping key{_at(pos)}; the JSON data "
                     "model has string keys only", pos)
    tag = node.tag
    if tag == _MERGE or (tag == _STR and node.value == "<<" and not node.style):
        raise _error("merge-key", "YAML merge keys (<<) are not part of the JSON data model; "
                     "expand them", pos)
    if tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL):
        raise _error("tag", f"unsupported tag {_show_tag(tag)}{_at(pos)}", pos)
    grammar = _SCALAR_GRAMMAR.get(tag)
    if tag == _FLOAT and not (_FLOAT_RE.match(node.value) or _INT_RE.match(node.value)
                              or _NONFINITE_RE.match(node.value)):
        raise _bad_value(node)
    if grammar is not None and not grammar.match(node.value):
        raise _bad_value(node)
    return _fix_surrogates(node.value) if node.style == '"' else str(node.value)


def _duplicate(node: Node, key: str, second: Node) -> LoadError:
    first = next(k for k, _ in node.value if isinstance(k, ScalarNode) and _key(k) == key)
    pos, first_pos = _node_pos(second), _node_pos(first)
    return _error("duplicate-key", f"duplicate key {_short(key)}{_at(pos)} (first defined"
                  f"{_at(first_pos)})", pos)


def _construct(root: Node, order: list[Node]) -> JSON:
    """Build the data in one pass over the collections in document order. Every collection's
    container exists before it is filled, so a node reached through several aliases is built
    once and shared (``_measure`` has already proved the graph acyclic and small enough)."""
    if isinstance(root, ScalarNode):
        return _scalar(root)
    made: dict[int, list[JSON] | dict[str, JSON]] = {}

    def container(node: Node) -> JSON:
        if isinstance(node, ScalarNode):
            return _scalar(node)
        out = made.get(id(node))
        if out is None:
            out = made[id(node)] = [] if isinstance(node, SequenceNode) else {}
        return out

    result = container(root)
    for node in order:
        out = made[id(node)]
        kind, wanted = ("sequence", _SEQ) if isinstance(node, SequenceNode) else ("mapping", _MAP)
        if node.tag != wanted:
            pos = _node_pos(node)
            unsupported = node.tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL, _SEQ, _MAP)
            message = (f"unsupported tag {_show_tag(node.tag)}" if unsupported else
                       f"tag {_show_tag(node.tag)} cannot be used on a {kind}")
            raise _error("tag", message + _at(pos), pos)
        if isinstance(out, list):
            out.extend(container(item) for item in node.value)
            continue
        for key_node, value_node in node.value:
            key = _key(key_node)
            if key in out:
                raise _duplicate(node, key, key_node)
            out[key] = container(value_node)
    return result


_NON_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _load_yaml(text: str, lines: _Lines, limits: Limits) -> tuple[JSON, Node]:
    # Checked here, identically for both parsers: libyaml reports a byte offset, PyYAML a
    # character offset, and neither gives a line.
    bad = _NON_PRINTABLE.search(text)
    if bad:
        pos = lines.pos(bad.start())
        raise _error("encoding", f"character U+{ord(bad.group()):04X} is not allowed in YAML "
                     f"at line {pos[0]}, column {pos[1]}", pos)
    root, loader_class = _compose(text, limits)
    if root is None:
        raise _error("empty", "the file is empty (no YAML/JSON document)")
    order, total, broken = _measure(root, limits)
    if broken or total > limits.max_nodes:
        raise _locate_structure(loader_class, text, limits, total or None)
    return _construct(root, order), root


class _YamlIndex:
    """Positions from the composed node graph; mapping lookups are cached per node."""

    def __init__(self, text: str, lines: _Lines, root: Node) -> None:
        self._text, self._lines, self._root = text, lines, root
        self._maps: dict[int, dict[str, tuple[Node, Node]]] = {}

    def _pos(self, node: Node) -> Pos:
        mark = node.start_mark
        if isinstance(node, ScalarNode) and node.value == "" and not node.style:
            # libyaml and PyYAML disagree on where an empty value starts (before or after
            # the blanks that follow ':' or '---'); both agree once we step back over them.
            index = min(mark.index, len(self._text))
            while index and self._text[index - 1] in " \t\r\n\x85\u2028\u2029":
                index -= 1
            return self._lines.pos(index)
        return mark.line + 1, mark.column + 1

    def walk(self, tokens: list[str]) -> list[tuple[Pos, Pos | None]]:
        node = self._root
        hits: list[tuple[Pos, Pos | None]] = [(self._pos(node), None)]
        for token in tokens:
            if isinstance(node, MappingNode):
                table = self._maps.get(id(node))
                if table is None:
                    table = self._maps[id(node)] = {}
                    for key_node, value_node in node.value:
                        if isinstance(key_node, ScalarNode):
                            table.setdefault(_key(key_node), (value_node, key_node))
                if token not in table:
                    break
                node, key_node = table[token]
                hits.append((self._pos(node), self._pos(key_node)))
            elif isinstance(node, SequenceNode) and _INDEX.fullmatch(token) \
                    and int(token) < len(node.value):
                node = node.value[int(token)]
                hits.append((self._pos(node), None))
            else:
                break
        return hits


# --- JSON ----------------------------------------------------------------------------------

class _HookError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _pairs(pairs: list[tuple[str, JSON]]) -> dict[str, JSON]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _HookError("duplicate-key")
    return result


def _pairs_fixing(pairs: list[tuple[str, JSON]]) -> dict[str, JSON]:
    return _pairs([(_fix_surrogates(k), _fix_surrogates(v) if isinstance(v, str) else v)
                   for k, v in pairs])


def _constant(name: str) -> NoReturn:
    raise _HookError("nan")


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):  # 1e400 parses as inf
        raise _HookError("number")
    return value


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_float=_float, parse_constant=_constant)
_FIXING_DECODER = json.JSONDecoder(object_pairs_hook=_pairs_fixing, parse_float=_float,
                                   parse_constant=_constant)


def _scanner(decoder: json.JSONDecoder) -> Scan:
    scan: Scan = vars(decoder)["scan_once"]  # the C scanner: (value, end) from any offset
    return scan


_SKIP = _scanner(json.JSONDecoder())
_WS = re.compile(r"[ \t\n\r]*")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _ws(text: str, index: int) -> int:
    return _WS.match(text, index).end()  # type: ignore[union-attr]  # always matches


def _members(text: str, offset: int, skip: Scan) -> Iterator[tuple[str | None, int, int]]:
    """Yield (key or None, key offset, value offset) for each member of the container at
    ``offset``, in order. A value is skipped only when the next member is asked for."""
    is_object = text[offset] == "{"
    index = _ws(text, offset + 1)
    if text[index] in "]}":
        return
    while True:
        if is_object:
            key, end = skip(text, index)
            value = _ws(text, _ws(text, end) + 1)
            yield key, index, value
        else:
            value = index
            yield None, index, value
        index = _ws(text, skip(text, value)[1])
        if text[index] != ",":
            return
        index = _ws(text, index + 1)


def _locate_failure(text: str, scan: Scan) -> int:
    """Offset of the innermost value whose decoding fails while each member decodes: the
    bad scalar (NaN, huge number) or the object holding a duplicate key."""
    offset = _ws(text, 0)
    while text[offset] in "[{":
        failed = None
        try:
            for _, _, value in _members(text, offset, scan):
                failed = value
            return offset
        except (_HookError, ValueError):
            assert failed is not None
            offset = failed
    return offset


def _json_failure(text: str, lines: _Lines, exc: Exception, fixing: bool) -> LoadError:
    code = exc.code if isinstance(exc, _HookError) else "number"
    scan = _scanner(_FIXING_DECODER if fixing else _DECODER)
    try:
        offset = _locate_failure(text, scan)
    except (_HookError, ValueError, IndexError, RecursionError):  # pragma: no cover - a net
        offset = -1
    pos = None if offset < 0 else lines.pos(offset)
    if code == "nan":
        return _error("nan", _NAN_MESSAGE, pos)
    if code == "number":
        return _error("number", f"number too large{_at(pos)}", pos)
    firsts: dict[str, int] = {}
    for key, key_offset, _ in _members(text, offset, _SKIP) if offset >= 0 else ():
        key = _fix_surrogates(key or "")
        if key in firsts:
            pos = lines.pos(key_offset)
            return _error("duplicate-key", f"duplicate key {_short(key)}{_at(pos)} (first "
                          f"defined{_at(lines.pos(firsts[key]))})", pos)
        firsts[key] = key_offset
    return _error("duplicate-key", "duplicate key", pos)  # pragma: no cover - a net


def _json_too_deep(text: str, lines: _Lines, limits: Limits) -> LoadError:
    """Find the first container deeper than the limit by counting brackets outside strings."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        char = text[match.start()]
        if char in "[{":
            depth += 1
            if depth > limits.max_depth:
                pos = lines.pos(match.start())
                return _error("depth", f"nesting deeper than {limits.max_depth} levels"
                              f"{_at(pos)}", pos)
        elif char in "]}":
            depth -= 1
    return _error("depth", f"nesting deeper than {limits.max_depth} levels")


def _within_depth(data: JSON, max_depth: int, fixing: bool) -> bool:
    """Level by level, iteratively; also fixes surrogates in arrays (objects did it in the
    hook) when the text has surrogate escapes at all."""
    level = [data] if isinstance(data, dict | list) else []
    for _ in range(max_depth):
        if not level:
            return True
        deeper: list[Any] = []
        for node in level:
            values = node.values() if isinstance(node, dict) else node
            if fixing and isinstance(node, list):
                node[:] = [_fix_surrogates(v) if isinstance(v, str) else v for v in node]
            deeper.extend(v for v in values if v.__class__ is dict or v.__class__ is list)
        level = deeper
    return not level


def _load_json(text: str, lines: _Lines, limits: Limits) -> JSON:
    if not text.strip(" \t\r\n"):
        raise _error("empty", "the file is empty (no YAML/JSON document)")
    nul = text.find("\x00")
    if nul >= 0:
        pos = lines.pos(nul)
        raise _error("encoding", f"NUL character at line {pos[0]}, column {pos[1]} (is the "
                     "file UTF-16?)", pos)
    fixing = _SURROGATE_ESCAPE.search(text) is not None
    try:
        data: JSON = (_FIXING_DECODER if fixing else _DECODER).decode(text)
    except json.JSONDecodeError as exc:
        pos = (exc.lineno, exc.colno)
        raise _error("syntax", f"{exc.msg} at line {pos[0]}, column {pos[1]}", pos) from None
    except RecursionError:
        raise _json_too_deep(text, lines, limits) from None
    except (_HookError, ValueError) as exc:  # ValueError: an int over 4300 digits
        raise _json_failure(text, lines, exc, fixing) from None
    if fixing and isinstance(data, str):
        data = _fix_surrogates(data)
    if not _within_depth(data, limits.max_depth, fixing):
        raise _json_too_deep(text, lines, limits)
    return data


class _JsonIndex:
    """Positions from the text: walks toward a pointer, scanning each container's members at
    most once (lazily, only up to the member asked for) and skipping values at C speed."""

    def __init__(self, text: str, lines: _Lines) -> None:
        self._text, self._lines = text, lines
        self._seen: dict[int, tuple[dict[str, tuple[int, int]], list[int], list[Any]]] = {}

    def _child(self, offset: int, token: str) -> tuple[int, int | None] | None:
        text = self._text
        if text[offset] not in "[{":
            return None
        entry = self._seen.get(offset)
        if entry is None:
            entry = self._seen[offset] = ({}, [], [_members(text, offset, _SKIP)])
        keys, items, rest = entry
        is_object = text[offset] == "{"
        if not is_object and not _INDEX.fullmatch(token):
            return None
        while True:
            if is_object and token in keys:
                return keys[token]
            if not is_object and int(token) < len(items):
                return items[int(token)], None
            member = next(rest[0], None) if rest else None
            if member is None:
                rest.clear()
                return None
            key, key_offset, value = member
            if is_object:
                keys.setdefault(_fix_surrogates(key or ""), (value, key_offset))
            else:
                items.append(value)

    def walk(self, tokens: list[str]) -> list[tuple[Pos, Pos | None]]:
        offset = _ws(self._text, 0)
        hits: list[tuple[Pos, Pos | None]] = [(self._lines.pos(offset), None)]
        for token in tokens:
            found = self._child(offset, token)
            if found is None:
                break
            offset, key_offset = found
            key_pos = None if key_offset is None else self._lines.pos(key_offset)
            hits.append((self._lines.pos(offset), key_pos))
        return hits


# --- documents -----------------------------------------------------------------------------

class SourceDocument:
    """A loaded vendor file: its text, JSON-model data and lazily computed source positions."""

    __slots__ = ("_index", "_lines", "data", "format", "name", "text")

    def __init__(self, name: str, text: str, data: JSON, fmt: Format,
                 index: _YamlIndex | _JsonIndex, lines: _Lines) -> None:
        self.name = name  # display name from the caller (relative path or "<stdin>")
        self.text = text  # decoded text, BOM removed
        self.data = data
        self.format: Format = fmt
        self._index = index
        self._lines = lines

    def __repr__(self) -> str:
        return f"<SourceDocument {self.name!r} ({self.format})>"

    def _walk(self, pointer: str) -> tuple[list[str], list[tuple[Pos, Pos | None]]]:
        tokens = split_pointer(pointer)
        return tokens, self._index.walk(tokens)

    def position(self, pointer: str) -> Pos | None:
        """(line, column), 1-based, of the value at ``pointer``; None if it does not exist."""
        tokens, hits = self._walk(pointer)
        return hits[-1][0] if len(hits) == len(tokens) + 1 else None

    def key_position(self, pointer: str) -> Pos | None:
        """Position of the mapping key naming the last token (None for items, root, missing)."""
        tokens, hits = self._walk(pointer)
        return hits[-1][1] if len(hits) == len(tokens) + 1 else None

    def nearest_position(self, pointer: str) -> tuple[str, int, int]:
        """The deepest existing ancestor of ``pointer`` (itself if it exists) and its position,
        so a finding about a missing member can still point at its parent."""
        tokens, hits = self._walk(pointer)
        found = "".join(f"/{escape_token(t)}" for t in tokens[: len(hits) - 1])
        return found, *hits[-1][0]

    def snippet(self, line: int, context: int = 1, *, column: int | None = None,
                width: int = 240) -> list[tuple[int, str]]:
        """Up to ``2*context+1`` lines around ``line`` as (line number, text). Lines longer
        than ``width`` are cut to a window (around ``column`` on ``line``), because a
        minified JSON file is one line of megabytes."""
        context = max(context, 0)
        result = []
        for number in range(max(line - context, 1), min(line + context, self._lines.count()) + 1):
            text = self._lines.text(number)
            if len(text) > width:
                centre = (column or 1) - 1 if number == line else 0
                start = max(0, min(centre - width // 2, len(text) - width))
                text = ("…" if start else "") + text[start:start + width] + (
                    "…" if start + width < len(text) else "")
            result.append((number, text))
        return result


def load_bytes(raw: bytes, name: str, *, fmt: Format | None = None,
               limits: Limits = _DEFAULT_LIMITS) -> SourceDocument:
    """Load one vendor file's bytes (``fmt=None`` means YAML). Raises LoadError only."""
    if len(raw) > limits.max_bytes:
        raise _error("size", f"file is {len(raw)} bytes; the limit is {limits.max_bytes}")
    text = decode_text(raw)
    try:
        with _gc_paused():
            if fmt == "json":
                lines = _Lines(text, _JSON_BREAKS)
                data = _load_json(text, lines, limits)
                return SourceDocument(name, text, data, "json", _JsonIndex(text, lines), lines)
            lines = _Lines(text, _YAML_BREAKS)
            data, root = _load_yaml(text, lines, limits)
            return SourceDocument(name, text, data, "yaml", _YamlIndex(text, lines, root), lines)
    except RecursionError:  # pragma: no cover - every walk is iterative; a net for parsers
        raise _error("depth", f"nesting deeper than {limits.max_depth} levels") from None
    except MemoryError:
        raise _error("size", "ran out of memory while loading the file") from None


def load_path(path: Path, name: str, *, limits: Limits = _DEFAULT_LIMITS) -> SourceDocument:
    """Load a file; the format comes from the suffix (``.json`` is JSON, anything else YAML).

    Only regular files are read (a FIFO or device would block or never end), opened
    non-blocking, and at most ``max_bytes + 1`` bytes are read. Messages use ``name``,
    never the absolute path.
    """
    fmt: Format = "json" if path.suffix.lower() == ".json" else "yaml"
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise _error("unreadable", f"cannot read {name}: not a regular file")
            if info.st_size > limits.max_bytes:
                raise _error("size", f"file is {info.st_size} bytes; the limit is "
                             f"{limits.max_bytes}")
            raw = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise _error("unreadable", f"cannot read {name}: "
                     f"{(exc.strerror or type(exc).__name__).lower()}") from None
    return load_bytes(raw, name, fmt=fmt, limits=limits)
