"""What every check keyword is made of: subjects, failures, values, operands.

A check is compiled once from a rule pack into ``(subject, env) -> Failure | None``
(``checks.py``). This module holds the values such a function reads and returns, the sets of
allowed values (vocabularies, lists, parameters), the
operands of comparisons, and how values are shown in messages.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ocp_check.i18n import _
from ocp_check.jsondata import JSON
from ocp_check.selectors import Selected, Walker
from ocp_check.standards import Standard


class CheckSpecError(ValueError):
    """A check written wrongly in a rule pack; the message names what is wrong."""

    def __init__(self, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.pointer = pointer


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a subject failed: text for ``{detail}``, ``{expected}``, ``{suggestion}``, ``{count}``."""

    detail: str
    expected: str = ""
    suggestion: str | Callable[[], str] = ""
    count: int | None = None

    def suggestion_text(self) -> str:
        """The suggestion, computed only now: finding the closest term is the costliest part of a
        failure, and most failures are inside conditions (``when``, ``any``) that never report."""
        return self.suggestion if isinstance(self.suggestion, str) else self.suggestion()


@dataclass(frozen=True, slots=True)
class Subject:
    present: bool
    value: JSON
    node: Selected | None


@dataclass(slots=True)
class Env:
    """What checks may consult: parameters, vocabularies, other documents of the submission."""

    params: Mapping[str, JSON]
    walker: Walker
    # Kind -> the files of that kind a lookup consults: every API description of the
    # submission (a category exported by any of them is exported), or, while one document is
    # judged on its own, just that document for its own kind.
    documents: Mapping[str, tuple[str, ...]]
    node: Selected
    root: Selected
    cache: dict[tuple[str, ...], Any] = field(default_factory=dict)

    def at(self, path: str) -> Selected | None:
        """Resolve a check path: relative to the node, or ``#/...`` from the document root."""
        if path.startswith("#"):
            return self.walker.at(self.root, path[1:])
        return self.walker.at(self.node, path) if path else self.walker.deref(self.node)

    def moved(self, node: Selected, root: Selected | None = None) -> Env:
        """The same environment looking at another node (sharing the lookup cache)."""
        return Env(self.params, self.walker, self.documents, node, root or self.root, self.cache)

    def document_roots(self, kind: str) -> list[Selected]:
        """The roots of the loaded documents of ``kind`` that lookups consult, in file order."""
        roots = []
        for file in self.documents.get(kind, ()):
            doc = self.walker.workspace.document(file)
            if doc is not None:
                roots.append(Selected(file, "", doc.data, ""))
        return roots


CheckFn = Callable[[Subject, Env], "Failure | None"]


@dataclass(frozen=True, slots=True)
class CompiledCheck:
    """A check bound to its subject (``path`` or the selected node's ``key``)."""

    keyword: str
    path: str
    on_key: bool
    run: CheckFn
    documents: frozenset[str]

    def subject(self, env: Env) -> Subject:
        node = env.node
        if self.on_key:
            return Subject(True, node.key, node)
        target = env.at(self.path)
        if target is None or target.value is None:
            return Subject(False, None, target)
        return Subject(True, target.value, target)

    def evaluate(self, node: Selected, env: Env) -> tuple[Failure | None, Subject]:
        """Judge ``node``: ``env`` is moved onto it so relative paths start there."""
        here = env.moved(node) if env.node is not node else env
        subject = self.subject(here)
        return self.run(subject, here), subject


Compiler = Callable[[JSON, Mapping[str, JSON], Standard, str], tuple[CheckFn, frozenset[str]]]


def show(value: JSON, limit: int = 80) -> str:
    """A short, single-line rendering of a value for messages."""
    if isinstance(value, str):
        text = " ".join(value.split())
    elif isinstance(value, (dict, list)):
        text = _preview(value, limit)
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PREVIEW_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def _preview(value: JSON, limit: int) -> str:
    """The whitespace-normalised JSON text of a container, encoded only as far as a message
    shows it: a finding about a large schema must not serialise the whole schema. The
    normalised text of a prefix is a prefix of the normalised whole, so the result is the
    same as normalising everything and cutting."""
    chunks: list[str] = []
    size = 0
    for chunk in _PREVIEW_ENCODER.iterencode(value):
        chunks.append(chunk)
        size += len(chunk)
        if size > 4 * limit + 64:
            text = " ".join("".join(chunks).split())
            if len(text) > limit:
                return text
    return " ".join("".join(chunks).split())


def _type_name(value: JSON) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def json_equal(a: JSON, b: JSON) -> bool:
    """Equality in the JSON data model: ``1`` is not ``true`` (docs/decisions.md, "Rules are data")."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=False))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _hashable(value: JSON) -> object:
    if type(value) is str:  # the common case (vocabulary terms), answered first
        return ("string", value)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (dict, list)):
        return ("json", json.dumps(value, sort_keys=True))
    return (_type_name(value) if not isinstance(value, (int, float)) else "number", value)


def _suggest(item: JSON, candidates: Sequence[JSON]) -> str | Callable[[], str]:
    """A deferred 'did you mean' for ``item`` (empty when it is not a string)."""
    if not isinstance(item, str):
        return ""
    return lambda: _closest(item, candidates)


def _closest(value: str, candidates: Sequence[JSON]) -> str:
    words = [c for c in candidates if isinstance(c, str)]
    match = difflib.get_close_matches(value, words, n=1, cutoff=0.6)
    if not match:
        lowered = {w.lower(): w for w in words}
        hit = lowered.get(value.lower())
        if hit:
            match = [hit]
        else:
            tail = value.split(":")[-1].lower()
            for w in words:
                if w.split(":")[-1].lower() == tail:
                    match = [w]
                    break
    return f" (did you mean '{match[0]}'?)" if match else ""


_SCALAR_SETS: dict[int, tuple[Sequence[JSON], frozenset[object]]] = {}


_SCALAR_COUNTS: dict[int, tuple[Sequence[JSON], dict[object, int]]] = {}


def _count(value: JSON, values: Sequence[JSON]) -> int:
    """How often ``value`` occurs in ``values`` (JSON equality). Counted once per value list,
    so ``count_in`` over every operation of a large API stays linear, not quadratic."""
    if isinstance(value, (dict, list)) or len(values) < 8:
        return sum(1 for v in values if json_equal(value, v))
    entry = _SCALAR_COUNTS.get(id(values))
    if entry is None or entry[0] is not values:
        if len(_SCALAR_COUNTS) > 256:
            _SCALAR_COUNTS.clear()
        counts: dict[object, int] = {}
        for v in values:
            if not isinstance(v, (dict, list)):
                key = _hashable(v)
                counts[key] = counts.get(key, 0) + 1
        entry = (values, counts)
        _SCALAR_COUNTS[id(values)] = entry
    return entry[1].get(_hashable(value), 0)


def _member(value: JSON, values: Sequence[JSON]) -> bool:
    """Membership in the JSON data model. A scalar is looked up in a set built once per
    value list (vocabularies and parameters are the same list object on every call), which
    keeps a rule over thousands of nodes linear; containers compare item by item."""
    if isinstance(value, (dict, list)) or len(values) < 8:
        if type(value) is str:  # what json_equal says of a string, without its other cases
            return any(type(v) is str and v == value for v in values)
        return any(json_equal(value, v) for v in values)
    entry = _SCALAR_SETS.get(id(values))
    if entry is None or entry[0] is not values:
        if len(_SCALAR_SETS) > 256:
            _SCALAR_SETS.clear()
        entry = (values, frozenset(_hashable(v) for v in values if not isinstance(v, (dict, list))))
        _SCALAR_SETS[id(values)] = entry
    return _hashable(value) in entry[1]


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}


_OP_WORDS = {"<": "<", "<=": "≤", "==": "=", "!=": "≠", ">=": "≥", ">": ">"}


def _operand(spec: JSON, standard: Standard, where: str) -> tuple[str, Callable[[Env], tuple[bool, JSON]]]:
    """A literal, ``{param: NAME}`` or ``{path: /x}`` (relative to the selected node)."""
    if isinstance(spec, dict) and set(spec) == {"param"}:
        name = str(spec["param"])
        if name not in standard.parameters:
            raise CheckSpecError(_("{where}: unknown parameter {name}", where=where, name=repr(name)))
        default = standard.parameters[name].default
        return f"parameter {name}", lambda env: (True, env.params.get(name, default))
    if isinstance(spec, dict) and set(spec) == {"path"}:
        path = str(spec["path"])
        if path and not path.startswith(("/", "#/")):
            raise CheckSpecError(
                _("{where}: path {path} must start with '/' (or '#/' for the document root)", where=where, path=repr(path))
            )

        def at(env: Env) -> tuple[bool, JSON]:
            target = env.at(path)
            if target is None or target.value is None:
                return False, None
            return True, target.value

        return path.lstrip("/") or "the node", at
    if isinstance(spec, (dict, list)):
        raise CheckSpecError(_("{where}: a value is a literal, {{param: NAME}} or {{path: /x}}", where=where))
    return show(spec), lambda env: (True, spec)


def _op(spec: Mapping[str, JSON], where: str) -> str:
    op = spec.get("op")
    if op not in _OPS:
        raise CheckSpecError(_("{where}: op must be one of {list}", where=where, list=', '.join(_OPS)))
    return str(op)
