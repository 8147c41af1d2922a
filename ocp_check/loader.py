"""Turn untrusted vendor YAML/JSON files into JSON-model data with exact source positions.

Everything downstream (schemas, rules, reports) assumes the JSON data model: string keys, no
NaN, no dates, no cycles. PyYAML's defaults break it in many ways (YAML 1.1 typing turns ``NO``
into ``False`` and ``1:30`` into ``90``, duplicate keys silently win, aliases expand to billions
of nodes, deep nesting raises ``RecursionError``) and ``json`` keeps the last duplicate key.
So YAML is composed into PyYAML's node graph with a resolver we control; the graph is measured
(size after alias expansion, depth, cycles) before any data exists; then we build the data
ourselves. JSON goes through :mod:`json` with hooks: it is 50-100x faster than libyaml. Every
failure is a :class:`LoadError` with a stable ``code``, because a broken vendor file is a
finding, never a traceback (docs/decisions.md, "Findings, not exceptions").

Positions are computed lazily, only for the pointers that get findings: YAML from the node
marks kept in the document, JSON by a scanner that skips uninteresting values at C speed.

One job, kept in one module on purpose although it is long: the resolver, the measurements
that run before any data exists, the construction and the position index are one guarded
path, and splitting it would spread the invariants that keep hostile files harmless.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import sys
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

from ocp_check.gcpause import gc_paused
from ocp_check.i18n import N_, _
from ocp_check.jsondata import JSON, array_index, escape_token, split_pointer
from ocp_check.reading import ReadError, TooLarge, read_file

__all__ = [
    "MAX_DEPTH",
    "USE_LIBYAML",
    "Limits",
    "LoadError",
    "SourceDocument",
    "decode_text",
    "load_bytes",
    "load_path",
]

Format = Literal["yaml", "json"]
Pos = tuple[int, int]
Scan = Callable[[str, int], tuple[Any, int]]
Hit = tuple[Pos, Pos | None]  # (value position, key position) for one step of a pointer

#: Use libyaml when PyYAML has it. Tests flip this to prove both parsers give the same results.
USE_LIBYAML: bool = yaml.__with_libyaml__


#: The deepest nesting every parser path can follow, so the largest ``max_depth`` accepted:
#: libyaml refuses a 1,000th block level ("exceeded maximum nesting depth"); Python's JSON
#: decoder and PyYAML's pure-Python composer recurse and get the room they need while loading
#: (``_recursion_room``).
MAX_DEPTH = 999


@dataclass(frozen=True, slots=True)
class Limits:
    """Budgets that keep a hostile file from exhausting time or memory."""

    max_bytes: int = 64 * 1024 * 1024  # file size cap
    max_depth: int = 128  # nesting depth of containers, well below every parser's own limit
    max_nodes: int = 2_000_000  # nodes after alias expansion (alias-bomb budget)


_DEFAULT_LIMITS = Limits()


class LoadError(Exception):
    """A vendor file that cannot be turned into JSON-model data. Carries a stable ``code``:
    size, encoding, syntax, empty, multi-document, depth, alias-bomb, alias-cycle,
    duplicate-key, merge-key, key-type, tag, nan, number or unreadable."""

    def __init__(self, code: str, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.code, self.message = code, message
        self.line, self.column = line, column  # 1-based; None when there is no place

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:  # picklable, so a worker process can return it
        return (LoadError, (self.code, self.message, self.line, self.column))


def _fail(code: str, message: str, pos: Pos | None = None, *, where: bool = True) -> LoadError:
    """A LoadError at ``pos``; ``where`` appends " at line L" to the message."""
    if where and pos:
        message = _("{problem} at line {line}", problem=message, line=pos[0])
    return LoadError(code, message, *(pos or (None, None)))


def _short(value: str, limit: int = 60) -> str:
    """Quote document text for a message, truncated: messages must not echo megabytes."""
    return repr(value if len(value) <= limit else value[:limit] + "…")












# --- text ----------------------------------------------------------------------------------


def decode_text(raw: bytes) -> str:
    """UTF-8, with an optional BOM, and nothing else: guessing an encoding would let the same
    file mean different things to different tools."""
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        return raw[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line_start = max(raw.rfind(b"\n", 0, offset) + 1, start)
        line = raw.count(b"\n", 0, offset) + 1
        column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            message = _(
                "not valid UTF-8 at byte offset {offset} (line {line}, column {column}); the file is UTF-16 "
                "(save it as UTF-8)",
                offset=offset,
                line=line,
                column=column,
            )
        else:
            message = _(
                "not valid UTF-8 at byte offset {offset} (line {line}, column {column})",
                offset=offset,
                line=line,
                column=column,
            )
        raise LoadError("encoding", message, line, column) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_surrogates(value: str) -> str:
    """Join escaped surrogate pairs and turn lone surrogates into U+FFFD, so that every report
    can be written as UTF-8 (a lone surrogate crashes the writer)."""
    if value.isascii() or not _SURROGATE.search(value):
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


class _Lines:
    """Line starts of a text, built on first use: offsets to 1-based (line, column)."""

    def __init__(self, text: str, breaks: str) -> None:
        self._text, self._breaks = text, re.compile(breaks)
        self._starts: list[int] | None = None

    def starts(self) -> list[int]:
        if self._starts is None:
            text = self._text
            if self._breaks.pattern == "\n" or _OTHER_BREAKS.search(text) is None:
                # Only "\n" breaks lines: the offsets come from C-level splitting and summing,
                # several times faster than a regex match object per line of a 13 MB file.
                self._starts = list(
                    itertools.accumulate((len(line) + 1 for line in text.split("\n")), initial=0)
                )
                self._starts.pop()
            else:
                self._starts = [0, *(m.end() for m in self._breaks.finditer(text))]
        return self._starts

    def pos(self, offset: int) -> Pos:
        starts = self.starts()
        index = bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def count(self) -> int:  # a final line break does not start another line
        starts = self.starts()
        return len(starts) - (len(starts) > 1 and starts[-1] == len(self._text))

    def text(self, line: int) -> str:
        starts = self.starts()
        end = starts[line] if line < len(starts) else len(self._text)
        return self._text[starts[line - 1] : end].rstrip("\r\n\x85\u2028\u2029")


_YAML_BREAKS = "\r\n|[\r\n\x85\u2028\u2029]"  # the line breaks PyYAML and libyaml count
_JSON_BREAKS = "\n"  # the only one json.JSONDecodeError counts
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")




# --- YAML: resolver and parsers ----------------------------------------------------------

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
_SEQ, _MAP, _MERGE = _T + "seq", _T + "map", _T + "merge"
_NUMBER = r"-?(?:0|[1-9][0-9]*)"
_GRAMMAR = {  # the JSON spellings; the resolver tries int before float
    _NULL: re.compile(r"(?:~|null|Null|NULL|)\Z"),
    _BOOL: re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"),
    _INT: re.compile(_NUMBER + r"\Z"),
    _FLOAT: re.compile(_NUMBER + r"(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z"),
}
_NONFINITE = re.compile(r"(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z")
_NAN_MESSAGE = N_("NaN and Infinity are not allowed in the JSON data model")
#: What Python's json module says, in the catalog.
_JSON_WORDS = {
    "Expecting value": N_("Expecting value"),
    "Expecting ',' delimiter": N_("Expecting ',' delimiter"),
    "Expecting ':' delimiter": N_("Expecting ':' delimiter"),
    "Expecting property name enclosed in double quotes": N_("Expecting property name enclosed in double quotes"),
    "Unterminated string starting at": N_("Unterminated string starting at"),
    "Invalid control character at": N_("Invalid control character at"),
    "Invalid \\escape": N_("Invalid \\escape"),
    "Extra data": N_("Extra data"),
    "Illegal trailing comma before end of object": N_("Illegal trailing comma before end of object"),
    "Illegal trailing comma before end of array": N_("Illegal trailing comma before end of array"),
}
_MAX_INT_DIGITS = 4300  # CPython's int/str limit, enforced on every Python version


class _Resolver(BaseResolver):
    """YAML 1.2 core schema restricted to JSON spellings; any other plain scalar is a string
    (``NO``, ``on``, ``0755``, ``1:30``, ``2024-01-31``). ``.inf``/``.nan`` resolve to float
    only so that the builder can refuse them by name."""


for _tag, _first in (
    (_NULL, ["~", "n", "N", ""]),
    (_BOOL, list("tTfF")),
    (_INT, list("-0123456789")),
    (_FLOAT, list("-0123456789")),
):
    _Resolver.add_implicit_resolver(_tag, _GRAMMAR[_tag], _first)
_Resolver.add_implicit_resolver(_FLOAT, _NONFINITE, list("-+."))


class _PyLoader(Reader, Scanner, Parser, Composer, _Resolver):
    """Pure-Python composer (no constructor: PyYAML never builds objects here).

    PyYAML's scanner refuses every tab; libyaml accepts tabs as separation (``a: b<TAB>``,
    tab-indented JSON). The two wrappers apply libyaml's rule so both accept the same files.
    """

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)

    def scan_to_next_token(self) -> None:
        # A tab separates tokens in flow context and after a token that no simple key can
        # follow (the ':' of a simple key, a scalar, '---'): not as indentation, not after '-'.
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


_SURROGATE_ESCAPE = re.compile(r"(?:0000)?[dD][89a-fA-F]")


def _compose(text: str, limits: Limits, loader_class: _LoaderClass) -> tuple[Node | None, Any]:
    loader = loader_class(text)
    try:
        return loader.get_single_node(), loader_class
    except RecursionError:  # the pure-Python composer, some hundred levels deep
        raise _locate_structure(loader_class, text, limits, None) from None
    except ValueError:  # the pure-Python scanner: chr() of an escape above U+10FFFF
        pos = _mark_pos(loader.get_mark()) if isinstance(loader, _PyLoader) else None
        raise _fail("syntax", _("found invalid Unicode character escape code"), pos) from None
    except yaml.MarkedYAMLError as exc:
        error = _yaml_error(exc, loader_class, text, limits)
        if error is None:  # PyYAML accepts them: same data, slower, and only for such files
            return _compose(text, limits, _PyLoader)
        raise error from None
    except yaml.YAMLError as exc:  # ReaderError: prevented by _load_yaml, kept as a net
        raise _fail("syntax", _("YAML reader error: {error}", error=exc)) from None
    finally:
        loader.dispose()


def _yaml_error(
    exc: yaml.MarkedYAMLError, loader_class: _LoaderClass, text: str, limits: Limits
) -> LoadError | None:
    """The LoadError for a PyYAML/libyaml error; None when libyaml refused a surrogate escape
    such as "\\ud83d\\udc4d" (JSON writers emit them) and PyYAML should try instead."""
    mark = exc.problem_mark or exc.context_mark
    # From the index: at the end of the stream libyaml counts a line that is not there.
    pos = None if mark is None else _Lines(text, _YAML_BREAKS).pos(min(mark.index, len(text)))
    problem, context = exc.problem or "", exc.context or ""
    if mark and "maximum nesting depth" in problem:
        # libyaml stops at 1000 levels, having read all of them before its first event; the
        # first container over our limit lies before that point on the same branch.
        return _locate_structure(_PyLoader, text[: mark.index], limits, None)
    if context == "expected a single document in the stream":
        return _fail("multi-document", _("the file holds more than one YAML document; the second starts"), pos)
    if (
        mark
        and "invalid Unicode character escape" in problem
        and loader_class is not _PyLoader
        and text[mark.index - 1] in "uU"
        and _SURROGATE_ESCAPE.match(text, mark.index)
    ):
        return None
    if context.startswith("found duplicate anchor"):
        first = _mark_pos(exc.context_mark)
        return _fail(
            "syntax",
            _(
                "duplicate anchor at line {line} (first defined at line {first})",
                line=pos and pos[0],
                first=first and first[0],
            ),
            pos,
            where=False,
        )
    said = _parser_words(problem)
    if pos is not None:
        said = _("{problem} at line {line}, column {column}", problem=said, line=pos[0], column=pos[1])
    if context:
        said = _("{problem} ({context})", problem=said, context=_parser_words(context))
    return _fail("syntax", said, pos, where=False)


#: What PyYAML and libyaml say most often, in the catalog; anything else is shown as they say it.
_PARSER_WORDS = {
    "mapping values are not allowed here": N_("mapping values are not allowed here"),
    "mapping values are not allowed in this context": N_("mapping values are not allowed in this context"),
    "did not find expected ',' or ']'": N_("did not find expected ',' or ']'"),
    "did not find expected ',' or '}'": N_("did not find expected ',' or '}}'"),
    "did not find expected key": N_("did not find expected key"),
    "did not find expected '-' indicator": N_("did not find expected '-' indicator"),
    "did not find expected node content": N_("did not find expected node content"),
    "could not find expected ':'": N_("could not find expected ':'"),
    "found character that cannot start any token": N_("found character that cannot start any token"),
    "found unexpected end of stream": N_("found unexpected end of stream"),
    "found undefined alias": N_("found undefined alias"),
    "found a tab character that violates indentation": N_("found a tab character that violates indentation"),
    "found unknown escape character": N_("found unknown escape character"),
    "while parsing a block mapping": N_("while parsing a block mapping"),
    "while parsing a block collection": N_("while parsing a block collection"),
    "while parsing a flow sequence": N_("while parsing a flow sequence"),
    "while parsing a flow mapping": N_("while parsing a flow mapping"),
    "while parsing a flow node": N_("while parsing a flow node"),
    "while parsing a block node": N_("while parsing a block node"),
    "while scanning a simple key": N_("while scanning a simple key"),
    "while scanning a quoted scalar": N_("while scanning a quoted scalar"),
    "while scanning a plain scalar": N_("while scanning a plain scalar"),
    "while scanning an alias": N_("while scanning an alias"),
    "while scanning an anchor": N_("while scanning an anchor"),
}


def _parser_words(text: str) -> str:
    """A parser's problem or context in the run's language when the catalog has it."""
    msgid = _PARSER_WORDS.get(text)
    return _(msgid) if msgid is not None else text


# --- YAML: structure (alias expansion, depth, cycles), before any data is built -----------

_COUNT_CAP = 1 << 62  # expanded counts stay small integers even for absurd bombs


def _kids(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, SequenceNode) else []


def _measure(root: Node, limits: Limits) -> tuple[list[Node], int, bool]:
    """Visit each distinct collection once (memoised on node identity, so a bomb costs what
    its text costs). Returns the collections in document pre-order, the node count after
    alias expansion, and whether a cycle or a too-deep path exists."""
    if isinstance(root, ScalarNode):
        return [], 1, False
    done: dict[int, tuple[int, int]] = {}  # id -> (expanded count, container height)
    active: set[int] = set()  # the collections on the current path: a cycle comes back here
    order: list[Node] = []
    todo: list[tuple[Node, int, list[Node] | None]] = [(root, 1, None)]
    while todo:
        node, depth, kids = todo.pop()
        if kids is not None:  # leaving: all children are measured
            count, height = 1, 1
            for kid in kids:
                kid_count, kid_height = (1, 0) if isinstance(kid, ScalarNode) else done[id(kid)]
                count, height = count + kid_count, max(height, kid_height + 1)
            done[id(node)] = (min(count, _COUNT_CAP), height)
            active.discard(id(node))
        elif id(node) in done:  # a node met twice among one parent's children
            if depth + done[id(node)][1] - 1 > limits.max_depth:
                return order, 0, True
        elif depth > limits.max_depth:
            return order, 0, True
        else:
            kids = _kids(node)
            active.add(id(node))
            order.append(node)
            todo.append((node, depth, kids))
            for kid in reversed(kids):
                if isinstance(kid, ScalarNode):
                    continue
                if id(kid) in active or (id(kid) in done and depth + done[id(kid)][1] > limits.max_depth):
                    return order, 0, True
                if id(kid) not in done:
                    todo.append((kid, depth + 1, None))
    return order, done[id(root)][0], False


def _locate_structure(loader_class: _LoaderClass, text: str, limits: Limits, total: int | None) -> LoadError:
    """Replay the parser's events to name the first place, in document order, where the
    structure is refused. The node graph has no alias nodes, so only the events know where
    an alias is. Runs only on the error path."""
    loader = loader_class(text)
    expanded: dict[str, tuple[int, int]] = {}  # anchor -> (expanded count, container height)
    stack: list[list[Any]] = []  # open collections: [anchor, count, height]
    seen = via_alias = 0
    too_deep = _("nesting deeper than {limit} levels", limit=limits.max_depth)
    try:
        while not isinstance(event := loader.get_event(), DocumentEndEvent | StreamEndEvent):
            pos = _mark_pos(event.start_mark)
            if isinstance(event, CollectionStartEvent):
                if len(stack) >= limits.max_depth:
                    return _fail("depth", too_deep, pos)
                stack.append([event.anchor, 1, 1])
                count, height = 1, -1  # counted now, added to its parent when it ends
            elif isinstance(event, CollectionEndEvent):
                anchor, count, height = stack.pop()
                if anchor:
                    expanded[anchor] = (count, height)
            elif isinstance(event, AliasEvent):
                if any(frame[0] == event.anchor for frame in stack):
                    return _fail(
                        "alias-cycle",
                        _(
                            "alias *{anchor} refers to a node that contains it (the JSON data model has no cycles)",
                            anchor=event.anchor,
                        ),
                        pos,
                    )
                count, height = expanded.get(event.anchor or "", (1, 0))
                if len(stack) + height > limits.max_depth:
                    return _fail("depth", _("{problem} (through alias *{anchor})", problem=too_deep, anchor=event.anchor), pos)
                via_alias += count - 1
            elif isinstance(event, ScalarEvent):
                count, height = 1, 0
                if event.anchor:
                    expanded[event.anchor] = (1, 0)
            else:
                continue
            if height >= 0 and stack:  # a finished node: add it to its parent
                stack[-1][1] = min(stack[-1][1] + count, _COUNT_CAP)
                stack[-1][2] = max(stack[-1][2], height + 1)
            if not isinstance(event, CollectionEndEvent):
                seen += count
            if seen > limits.max_nodes:
                if not via_alias:
                    return _fail("size", _("the document has more than {limit} nodes", limit=limits.max_nodes), pos)
                return _fail(
                    "alias-bomb",
                    _(
                        "alias expansion would create {count} nodes (limit {limit})",
                        count=total or _("more"),
                        limit=limits.max_nodes,
                    ),
                    pos,
                    where=False,
                )
    except (yaml.YAMLError, RecursionError, ValueError):
        pass
    finally:
        loader.dispose()
    return _fail("depth", too_deep)


# --- YAML: building JSON data from the measured graph ------------------------------------


def _show_tag(tag: str) -> str:
    return ("!!" + tag[len(_T) :] if tag.startswith(_T) else tag)[:80]


def _scalar(node: ScalarNode, key: bool = False) -> JSON:
    """A scalar's JSON value, checking explicit tags against the JSON grammar. For a key,
    the result is the source text whatever the tag: ``200:`` is "200" (OpenAPI responses),
    and ``1:``, ``01:`` and ``true:`` are three different keys."""
    tag, value = node.tag, node.value
    if tag == _STR:
        return _fix_surrogates(value) if node.style == '"' else str(value)
    grammar = _GRAMMAR.get(tag)
    if grammar is None:
        raise _fail("tag", _("unsupported tag {tag}", tag=_show_tag(tag)), _mark_pos(node.start_mark))
    if tag == _FLOAT and _NONFINITE.match(value):
        if key:
            return str(value)
        raise _fail("nan", _(_NAN_MESSAGE), _mark_pos(node.start_mark), where=False)
    if not grammar.match(value):
        raise _fail(
            "tag", _("{value} is not a valid {tag}", value=_short(value), tag=_show_tag(tag)), _mark_pos(node.start_mark)
        )
    if key:
        return str(value)
    if tag in (_NULL, _BOOL):
        return None if tag == _NULL else value[0] in "tT"
    number = float(value) if tag == _FLOAT else None
    if len(value) > _MAX_INT_DIGITS or (number is not None and math.isinf(number)):
        raise _fail("number", _("number too large"), _mark_pos(node.start_mark))
    return int(value) if number is None else number


def _key(node: Node) -> str:
    pos = _mark_pos(node.start_mark)
    if not isinstance(node, ScalarNode):
        kind = "sequence" if isinstance(node, SequenceNode) else "mapping"
        raise _fail(
            "key-type", _("a {kind} cannot be a mapping key (the JSON data model has string keys only)", kind=kind), pos
        )
    if node.tag == _MERGE or (node.tag == _STR and node.value == "<<" and not node.style):
        raise _fail(
            "merge-key",
            _("YAML merge keys (<<) are not part of the JSON data model; expand them"),
            pos,
            where=False,
        )
    return str(_scalar(node, key=True))


def _construct(root: Node, order: list[Node]) -> JSON:
    """Build the data in one pass over the collections in document order. A collection's
    container exists before it is filled, so a node reached through several aliases is built
    once and shared (``_measure`` proved the graph acyclic and small enough)."""
    made: dict[int, list[JSON] | dict[str, JSON]] = {}

    def value(node: Node) -> JSON:
        if isinstance(node, ScalarNode):
            return _scalar(node)
        if id(node) not in made:
            made[id(node)] = [] if isinstance(node, SequenceNode) else {}
        return made[id(node)]

    result = value(root)
    for node in order:
        out = made[id(node)]
        kind, wanted = ("sequence", _SEQ) if isinstance(out, list) else ("mapping", _MAP)
        if node.tag != wanted:
            usable = node.tag in (_STR, *_GRAMMAR, _SEQ, _MAP)
            raise _fail(
                "tag",
                _("tag {tag} cannot be used on a {kind}", tag=_show_tag(node.tag), kind=kind)
                if usable
                else _("unsupported tag {tag}", tag=_show_tag(node.tag)),
                _mark_pos(node.start_mark),
            )
        if isinstance(out, list):
            out.extend(value(item) for item in node.value)
            continue
        for key_node, value_node in node.value:
            key = _key(key_node)
            if key in out:
                first = next(k for k, _ in node.value if _key(k) == key)
                raise _fail(
                    "duplicate-key",
                    _(
                        "duplicate key {key} at line {line} (first defined at line {first})",
                        key=_short(key),
                        line=key_node.start_mark.line + 1,
                        first=first.start_mark.line + 1,
                    ),
                    _mark_pos(key_node.start_mark),
                    where=False,
                )
            out[key] = value(value_node)
    return result


_NON_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _load_yaml(text: str, lines: _Lines, limits: Limits) -> tuple[JSON, Node]:
    # Checked here, the same way for both parsers: libyaml reports a byte offset, PyYAML a
    # character offset, and neither a line.
    if bad := _NON_PRINTABLE.search(text):
        pos = lines.pos(bad.start())
        raise _fail(
            "encoding",
            _(
                "character U+{code} is not allowed in YAML at line {line}, column {column}",
                code=f"{ord(bad.group()):04X}",
                line=pos[0],
                column=pos[1],
            ),
            pos,
            where=False,
        )
    root, loader_class = _compose(text, limits, _CLoader if USE_LIBYAML and _CLoader else _PyLoader)
    if root is None:
        raise _fail("empty", _("the file is empty (no YAML/JSON document)"))
    order, total, broken = _measure(root, limits)
    if broken or total > limits.max_nodes:
        raise _locate_structure(loader_class, text, limits, total or None)
    return _construct(root, order), root


class _YamlIndex:
    """Positions from the composed node graph; each mapping's key table is built once."""

    def __init__(self, text: str, lines: _Lines, root: Node) -> None:
        self._text, self._lines, self._root = text, lines, root
        self._maps: dict[int, dict[str, tuple[Node, Node]]] = {}

    def _pos(self, node: Node) -> Pos:
        mark = node.start_mark
        if isinstance(node, ScalarNode) and node.value == "" and not node.style:
            # libyaml and PyYAML disagree on where an empty value starts (before or after the
            # blanks that follow ':' or '---'); stepping back over them, they agree.
            index = min(mark.index, len(self._text))
            while index and self._text[index - 1] in " \t\r\n\x85\u2028\u2029":
                index -= 1
            return self._lines.pos(index)
        return mark.line + 1, mark.column + 1

    def walk(self, tokens: list[str]) -> tuple[int, Hit]:
        """How many tokens exist, and the position of the deepest node reached (and of its key)."""
        node, key_node, depth = self._root, None, 0
        for token in tokens:
            if isinstance(node, MappingNode):
                if id(node) not in self._maps:
                    self._maps[id(node)] = {_key(k): (v, k) for k, v in node.value}
                if token not in self._maps[id(node)]:
                    break
                node, key_node = self._maps[id(node)][token]
            elif isinstance(node, SequenceNode) and array_index(token) is not None and int(token) < len(node.value):
                node, key_node = node.value[int(token)], None
            else:
                break
            depth += 1
        return depth, (self._pos(node), None if key_node is None else self._pos(key_node))


# --- JSON ----------------------------------------------------------------------------------


def _reject(code: str) -> NoReturn:
    raise LoadError(code, "")  # placed and worded by _json_failure


def _pairs(fixing: bool) -> Callable[[list[tuple[str, JSON]]], dict[str, JSON]]:
    def hook(pairs: list[tuple[str, JSON]]) -> dict[str, JSON]:
        if fixing:  # only when the text has surrogate escapes at all
            pairs = [(_fix_surrogates(k), _fix_surrogates(v) if isinstance(v, str) else v) for k, v in pairs]
        result = dict(pairs)
        if len(result) != len(pairs):
            _reject("duplicate-key")
        return result

    return hook


def _float(text: str) -> float:
    value = float(text)
    return _reject("number") if math.isinf(value) else value  # "1e400" parses as inf


def _decoder(fixing: bool) -> json.JSONDecoder:
    return json.JSONDecoder(
        object_pairs_hook=_pairs(fixing), parse_float=_float, parse_constant=lambda name: _reject("nan")
    )


def _scanner(decoder: json.JSONDecoder) -> Scan:
    """A decoder's C scanner: (value, end) from any offset, so values are skipped at C speed."""
    scan: Scan = vars(decoder)["scan_once"]
    return scan


_SKIP = _scanner(json.JSONDecoder())
_WS = re.compile(r"[ \t\n\r]*")
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def _ws(text: str, index: int) -> int:
    return _WS.match(text, index).end()  # type: ignore[union-attr]  # always matches


def _members(text: str, offset: int, scan: Scan) -> Iterator[tuple[str | None, int, int]]:
    """(key or None, key offset, value offset) for each member of the container at ``offset``.
    A value is skipped (decoded by ``scan``) only when the next member is asked for."""
    index = _ws(text, offset + 1)
    while text[index] not in "]}":
        if text[offset] == "{":
            key, end = scan(text, index)
            value = _ws(text, _ws(text, end) + 1)
            yield key, index, value
        else:
            value = index
            yield None, index, value
        index = _ws(text, scan(text, value)[1])
        if text[index] == ",":
            index = _ws(text, index + 1)


def _json_failure(text: str, lines: _Lines, code: str, fixing: bool) -> LoadError:
    """Place a failure that json reports without a position: descend into the member whose
    decoding fails until every member decodes (a duplicate key) or a scalar fails (NaN, a
    huge number)."""
    scan, offset = _scanner(_decoder(fixing)), _ws(text, 0)
    while text[offset] in "[{":
        failed = offset
        try:
            for member in _members(text, offset, scan):
                failed = member[2]
        except (LoadError, ValueError):
            if failed != offset:
                offset = failed
                continue
        break
    pos = lines.pos(offset)
    if code != "duplicate-key":
        return (
            _fail("nan", _(_NAN_MESSAGE), pos, where=False)
            if code == "nan"
            else _fail("number", _("number too large"), pos)
        )
    firsts: dict[str, int] = {}
    for key, key_offset, _value in _members(text, offset, _SKIP):
        key = _fix_surrogates(key or "")
        if key in firsts:
            return _fail(
                "duplicate-key",
                _(
                    "duplicate key {key} at line {line} (first defined at line {first})",
                    key=_short(key),
                    line=lines.pos(key_offset)[0],
                    first=lines.pos(firsts[key])[0],
                ),
                lines.pos(key_offset),
                where=False,
            )
        firsts[key] = key_offset
    return _fail("duplicate-key", _("duplicate key"), pos)  # pragma: no cover - a net


def _json_too_deep(text: str, lines: _Lines, limits: Limits) -> LoadError:
    """The first container deeper than the limit, counting brackets outside strings."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        char = text[match.start()]
        depth += (char in "[{") - (char in "]}")
        if depth > limits.max_depth:
            return _fail("depth", _("nesting deeper than {limit} levels", limit=limits.max_depth), lines.pos(match.start()))
    return _fail("depth", _("nesting deeper than {limit} levels", limit=limits.max_depth))  # pragma: no cover


def _within_depth(data: JSON, max_depth: int, fixing: bool) -> bool:
    """Level by level, without recursion; also fixes surrogates in arrays (the object hook
    did the objects) when the text has surrogate escapes at all."""
    level = [data] if isinstance(data, dict | list) else []
    for _level in range(max_depth):
        deeper: list[Any] = []
        for node in level:
            if fixing and isinstance(node, list):
                node[:] = [_fix_surrogates(v) if isinstance(v, str) else v for v in node]
            values = node.values() if isinstance(node, dict) else node
            deeper.extend(v for v in values if v.__class__ is dict or v.__class__ is list)
        level = deeper
    return not level


def _load_json(text: str, lines: _Lines, limits: Limits) -> JSON:
    if not text.strip(" \t\r\n"):
        raise _fail("empty", _("the file is empty (no YAML/JSON document)"))
    if (nul := text.find("\x00")) >= 0:
        pos = lines.pos(nul)
        raise _fail(
            "encoding",
            _("NUL character at line {line}, column {column} (is the file UTF-16?)", line=pos[0], column=pos[1]),
            pos,
            where=False,
        )
    fixing = re.search(r"\\u[dD][89a-fA-F]", text) is not None
    try:
        data: JSON = _decoder(fixing).decode(text)
    except json.JSONDecodeError as exc:
        pos = (exc.lineno, exc.colno)
        said = _(_JSON_WORDS[exc.msg]) if exc.msg in _JSON_WORDS else exc.msg
        raise _fail(
            "syntax", _("{problem} at line {line}, column {column}", problem=said, line=pos[0], column=pos[1]), pos, where=False
        ) from None
    except RecursionError:
        raise _json_too_deep(text, lines, limits) from None
    except (LoadError, ValueError) as exc:  # ValueError: an int of more than 4300 digits
        code = exc.code if isinstance(exc, LoadError) else "number"
        raise _json_failure(text, lines, code, fixing) from None
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
        # container offset -> (key -> (value, key) offsets, item offsets, unread members)
        self._seen: dict[int, tuple[dict[str, tuple[int, int]], list[int], list[Any]]] = {}

    def _child(self, offset: int, token: str) -> tuple[int, int | None] | None:
        is_object = self._text[offset] == "{"
        if self._text[offset] not in "[{" or not (is_object or array_index(token) is not None):
            return None
        if offset not in self._seen:
            self._seen[offset] = ({}, [], [_members(self._text, offset, _SKIP)])
        keys, items, unread = self._seen[offset]
        while True:
            if is_object and token in keys:
                return keys[token]
            if not is_object and int(token) < len(items):
                return items[int(token)], None
            if not unread or (member := next(unread[0], None)) is None:
                unread.clear()
                return None
            key, key_offset, value = member
            if is_object:
                keys.setdefault(_fix_surrogates(key or ""), (value, key_offset))
            else:
                items.append(value)

    def walk(self, tokens: list[str]) -> tuple[int, Hit]:
        """How many tokens exist, and the position of the deepest value reached (and of its
        key): only that one is turned into a line and column."""
        offset, key_offset, depth = _ws(self._text, 0), None, 0
        for token in tokens:
            if (found := self._child(offset, token)) is None:
                break
            offset, key_offset = found
            depth += 1
        lines = self._lines
        return depth, (lines.pos(offset), None if key_offset is None else lines.pos(key_offset))


# --- documents -----------------------------------------------------------------------------


class SourceDocument:
    """A loaded vendor file: its text, JSON-model data and lazily computed source positions."""

    __slots__ = ("_index", "_lines", "data", "format", "name", "text")

    def __init__(
        self, name: str, text: str, data: JSON, fmt: Format, index: _YamlIndex | _JsonIndex, lines: _Lines
    ) -> None:
        self.name = name  # display name from the caller: a relative path or "<stdin>"
        self.text = text  # decoded, BOM removed
        self.data = data
        self.format: Format = fmt
        self._index, self._lines = index, lines

    def __repr__(self) -> str:
        return f"<SourceDocument {self.name!r} ({self.format})>"

    def _walk(self, pointer: str) -> tuple[list[str], int, Hit]:
        tokens = split_pointer(pointer)
        return tokens, *self._index.walk(tokens)

    def position(self, pointer: str) -> Pos | None:
        """1-based (line, column) of the value at ``pointer``; None if there is no such value."""
        tokens, depth, hit = self._walk(pointer)
        return hit[0] if depth == len(tokens) else None

    def key_position(self, pointer: str) -> Pos | None:
        """Where the mapping key naming the last token is (None for items, the root, missing)."""
        tokens, depth, hit = self._walk(pointer)
        return hit[1] if depth == len(tokens) else None

    def nearest_position(self, pointer: str) -> tuple[str, int, int]:
        """The deepest existing ancestor of ``pointer`` (itself if it exists) and its position,
        so that a finding about a missing member still points at its parent."""
        tokens, depth, hit = self._walk(pointer)
        return "".join(f"/{escape_token(t)}" for t in tokens[:depth]), *hit[0]

    def snippet(
        self, line: int, context: int = 1, *, column: int | None = None, width: int = 240
    ) -> list[tuple[int, str]]:
        """Up to ``2*context+1`` lines around ``line`` as (number, text). Lines longer than
        ``width`` are cut to a window (around ``column`` on ``line``): a minified JSON file is
        one line of megabytes."""
        result = []
        first, last = max(line - max(context, 0), 1), min(line + max(context, 0), self._lines.count())
        for number in range(first, last + 1):
            text = self._lines.text(number)
            if len(text) > width:
                centre = (column or 1) - 1 if number == line else 0
                start = max(0, min(centre - width // 2, len(text) - width))
                text = (
                    ("…" if start else "")
                    + text[start : start + width]
                    + ("…" if start + width < len(text) else "")
                )
            result.append((number, text))
        return result


@contextmanager
def _recursion_room(depth: int) -> Iterator[None]:
    """Enough recursion for ``depth`` levels of nesting while a file is parsed.

    ``json`` (on Python 3.10 and 3.11) and PyYAML's pure-Python composer recurse once or twice
    per level, so the default limit of 1,000 frames stops them a few hundred levels deep. The
    limit is raised for the parse only, by what ``max_depth`` levels need (at most 999, a few
    thousand frames: far from the C stack's own limit), and restored after.
    """
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(old + 3 * depth)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def load_bytes(
    raw: bytes, name: str, *, fmt: Format | None = None, limits: Limits = _DEFAULT_LIMITS
) -> SourceDocument:
    """Load one vendor file from its bytes (``fmt=None`` means YAML). Raises LoadError only."""
    if len(raw) > limits.max_bytes:
        raise _fail("size", _("file is {size} bytes; the limit is {limit}", size=len(raw), limit=limits.max_bytes))
    text = decode_text(raw)
    try:
        with gc_paused(), _recursion_room(limits.max_depth):
            if fmt == "json":
                lines = _Lines(text, _JSON_BREAKS)
                data = _load_json(text, lines, limits)
                return SourceDocument(name, text, data, "json", _JsonIndex(text, lines), lines)
            lines = _Lines(text, _YAML_BREAKS)
            data, root = _load_yaml(text, lines, limits)
            return SourceDocument(name, text, data, "yaml", _YamlIndex(text, lines, root), lines)
    except RecursionError:  # pragma: no cover - every walk here is iterative; a net
        raise _fail("depth", _("nesting deeper than {limit} levels", limit=limits.max_depth)) from None
    except MemoryError:  # pragma: no cover
        raise _fail("size", _("ran out of memory while loading the file")) from None


def load_path(path: Path, name: str, *, limits: Limits = _DEFAULT_LIMITS) -> SourceDocument:
    """Load a file: ``.json`` is JSON, anything else YAML. Read by ``reading.read_file``: a
    regular file only (a FIFO or a device would block or never end), opened non-blocking, at
    most ``max_bytes`` bytes. Messages name the file by ``name``, never by its absolute path."""
    fmt: Format = "json" if path.suffix.lower() == ".json" else "yaml"
    try:
        raw = read_file(path, limits.max_bytes)
    except TooLarge as exc:
        if exc.size is not None:
            said = _("file is {size} bytes; the limit is {limit}", size=exc.size, limit=limits.max_bytes)
        else:
            said = _("file is more than {size} bytes; the limit is {limit}", size=exc.limit, limit=limits.max_bytes)
        raise _fail("size", said) from None
    except ReadError as exc:
        reason = _("not a regular file") if exc.code == "not-regular" else exc.reason.lower()
        raise _fail("unreadable", _("cannot read {name}: {reason}", name=name, reason=reason)) from None
    return load_bytes(raw, name, fmt=fmt, limits=limits)
