"""The library of checks: small pure functions, compiled once from a rule pack.

Each check keyword has a compiler that validates its options when the pack loads (so a typo
is exit 2 naming the rule, never a surprise halfway through a run) and returns a function
``(subject, env) -> Failure | None``. Checks know nothing about rule ids or severities; the
rule engine stamps those, as yamllint and jsonschema's keyword functions do.

When the subject is absent, only the presence-like checks fail (``present: true``,
``not_empty``, ``equals``, ``type``, ``min_items``, ``any_in``, ``superset_of`` of a non-empty
set, ``count_in``, ``exists_in``, ``condition``);
the others have nothing to judge and pass. Rules that need a value pair them with
``present: true``.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import difflib
import json
import re
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing import Registry

from ocp_check import durations, formats
from ocp_check.ecmaregex import SafePattern, UnsafePattern, compile_safe
from ocp_check.jsondata import JSON
from ocp_check.schema_validators import build_fast_validator, ecma_validator_class, first_unsafe_pattern
from ocp_check.selectors import Selected, Walker, parse_selector
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


@dataclass
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


@dataclass(frozen=True)
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


# --------------------------------------------------------------------------- helpers


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
    """Equality in the JSON data model: ``1`` is not ``true`` (RELIABILITY.md B10)."""
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
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (dict, list)):
        return ("json", json.dumps(value, sort_keys=True))
    return (_type_name(value) if not isinstance(value, (int, float)) else "number", value)


# --------------------------------------------------------------------------- value sets


@dataclass(frozen=True)
class ValueSet:
    """A literal list, a parameter, vocabulary terms (by tag), or values from another document."""

    describe: str
    resolve: Callable[[Env], Sequence[JSON]]
    suggest_from_vocabulary: bool
    documents: frozenset[str] = frozenset()
    shows_values: bool = False

    def words(self, values: Sequence[JSON]) -> str:
        """How the set reads in a message: a parameter shows the values in force."""
        if not self.shows_values:
            return self.describe
        shown = ", ".join(show(v, 30) for v in values[:8]) + (" …" if len(values) > 8 else "")
        return f"{self.describe} ({shown or 'empty'})"


_KIND_LABEL = {
    "data-manifest": "the data manifest",
    "retention-policy": "the retention policy",
    "openapi": "the API description",
    "compliance-report": "the compliance report",
}
_KIND_NAMES = ", ".join(_KIND_LABEL)


@dataclass(frozen=True)
class Lookup:
    """Values gathered from a document of the submission (cached per evaluation)."""

    describe: str
    document: str
    values: Callable[[Env], list[JSON]]
    documents: frozenset[str]


def compile_lookup(
    spec: Mapping[str, JSON], standard: Standard, where: str, extra_keys: frozenset[str] = frozenset()
) -> Lookup:
    """``{document, select, key, where, use}``: the values of (or member names at) ``key``
    below each node selected in another document that meets the ``where`` conditions.
    Arrays found there are flattened, so a list of ids contributes each id."""
    allowed = {"document", "select", "key", "where", "use"} | extra_keys
    unknown = set(spec) - allowed
    if unknown or not {"document", "select"} <= set(spec):
        raise CheckSpecError(
            f"{where}: a lookup takes {{{', '.join(sorted(allowed))}}} (document and select required)"
        )
    document = str(spec["document"])
    if document not in _KIND_LABEL:
        raise CheckSpecError(f"{where}: document must be one of {_KIND_NAMES}")
    try:
        selector = parse_selector(str(spec["select"]))
        key_selector = parse_selector(str(spec.get("key", "")))
    except ValueError as err:
        raise CheckSpecError(f"{where}: {err}") from None
    use = spec.get("use", "value")
    if use not in ("value", "key"):
        raise CheckSpecError(f"{where}: use must be 'value' or 'key'")
    conditions_raw = spec.get("where", [])
    if not isinstance(conditions_raw, list):
        raise CheckSpecError(f"{where}: where takes a list of conditions")
    conditions = [compile_check(c, standard, f"{where}/where[{i}]") for i, c in enumerate(conditions_raw)]
    cache_key = ("lookup", document, json.dumps(spec, sort_keys=True, default=str))
    label = _KIND_LABEL[document]

    def values(env: Env) -> list[JSON]:
        cached = env.cache.get(cache_key)
        if cached is not None:
            return cast(list[JSON], cached)
        found: list[JSON] = []
        for root in env.document_roots(document):
            for node in env.walker.select(root, selector):
                here = env.moved(node, root)
                if not all(c.evaluate(node, here)[0] is None for c in conditions):
                    continue
                for target in env.walker.select(node, key_selector):
                    if use == "key":
                        found.append(target.key)
                    elif isinstance(target.value, list):
                        found.extend(target.value)
                    elif target.value is not None:
                        found.append(target.value)
        env.cache[cache_key] = found
        return found

    documents = frozenset({document}).union(*(c.documents for c in conditions))
    return Lookup(f"the values in {label}", document, values, documents)


def _value_set(spec: JSON, standard: Standard, where: str) -> ValueSet:
    if isinstance(spec, list):
        values = list(spec)
        return ValueSet(
            ", ".join(show(v, 40) for v in values[:8]) + (" …" if len(values) > 8 else ""),
            lambda env: values,
            False,
        )
    if isinstance(spec, dict) and set(spec) == {"param"}:
        name = spec["param"]
        param = standard.parameters.get(str(name))
        if param is None:
            raise CheckSpecError(f"{where}: unknown parameter {name!r}")
        if param.type != "array":
            raise CheckSpecError(f"{where}: parameter {name!r} is not an array")
        return ValueSet(
            f"parameter {name}",
            lambda env: cast(Sequence[JSON], env.params.get(str(name), param.default)),
            False,
            shows_values=True,
        )
    if isinstance(spec, dict) and "vocabulary" in spec and set(spec) <= {"vocabulary", "tags"}:
        vocab_id = str(spec["vocabulary"])
        vocab = standard.vocabularies.get(vocab_id)
        if vocab is None:
            known = ", ".join(sorted(standard.vocabularies)) or "none"
            raise CheckSpecError(f"{where}: unknown vocabulary {vocab_id!r} (known: {known})")
        tags = spec.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise CheckSpecError(f"{where}: tags must be a list of strings")
        ids = sorted(vocab.ids(cast(list[str], tags)))
        if tags and not ids:
            raise CheckSpecError(f"{where}: no term of {vocab_id} has tags {tags}")
        label = f"the {vocab.title} vocabulary" + (
            f" (tagged {', '.join(cast(list[str], tags))})" if tags else ""
        )
        return ValueSet(label, lambda env: ids, True)
    if isinstance(spec, dict) and "document" in spec:
        lookup = compile_lookup(spec, standard, where)
        return ValueSet(lookup.describe, lookup.values, False, lookup.documents)
    raise CheckSpecError(
        f"{where}: a value set is a list, {{param: NAME}}, {{vocabulary: ID, tags: [...]}} "
        "or {document: KIND, select: SEL, key: SEL, where: [...], use: value|key}"
    )


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
        return any(json_equal(value, v) for v in values)
    entry = _SCALAR_SETS.get(id(values))
    if entry is None or entry[0] is not values:
        if len(_SCALAR_SETS) > 256:
            _SCALAR_SETS.clear()
        entry = (values, frozenset(_hashable(v) for v in values if not isinstance(v, (dict, list))))
        _SCALAR_SETS[id(values)] = entry
    return _hashable(value) in entry[1]


# --------------------------------------------------------------------------- operand values


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
            raise CheckSpecError(f"{where}: unknown parameter {name!r}")
        default = standard.parameters[name].default
        return f"parameter {name}", lambda env: (True, env.params.get(name, default))
    if isinstance(spec, dict) and set(spec) == {"path"}:
        path = str(spec["path"])
        if path and not path.startswith(("/", "#/")):
            raise CheckSpecError(
                f"{where}: path {path!r} must start with '/' (or '#/' for the document root)"
            )

        def at(env: Env) -> tuple[bool, JSON]:
            target = env.at(path)
            if target is None or target.value is None:
                return False, None
            return True, target.value

        return path.lstrip("/") or "the node", at
    if isinstance(spec, (dict, list)):
        raise CheckSpecError(f"{where}: a value is a literal, {{param: NAME}} or {{path: /x}}")
    return show(spec), lambda env: (True, spec)


def _op(spec: Mapping[str, JSON], where: str) -> str:
    op = spec.get("op")
    if op not in _OPS:
        raise CheckSpecError(f"{where}: op must be one of {', '.join(_OPS)}")
    return str(op)


# --------------------------------------------------------------------------- compilers

Compiler = Callable[[JSON, Mapping[str, JSON], Standard, str], tuple[CheckFn, frozenset[str]]]


def _c_present(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, bool):
        raise CheckSpecError(f"{where}: present takes true or false")

    def run(s: Subject, env: Env) -> Failure | None:
        if arg and not s.present:
            return Failure("it is missing", "a value")
        if not arg and s.present:
            return Failure(f"it is present ({show(s.value)})", "no value")
        return None

    return run, frozenset()


def _c_not_empty(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if arg is not True:
        raise CheckSpecError(f"{where}: not_empty takes true")

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return Failure("it is missing", "a non-empty value")
        if s.value in ("", [], {}) or (isinstance(s.value, str) and not s.value.strip()):
            return Failure("it is empty", "a non-empty value")
        return None

    return run, frozenset()


_TYPES = ("string", "number", "integer", "boolean", "array", "object", "null")


def _c_type(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if arg not in _TYPES:
        raise CheckSpecError(f"{where}: type must be one of {', '.join(_TYPES)}")

    def run(s: Subject, env: Env) -> Failure | None:
        actual = _type_name(s.value) if s.present else "missing"
        ok = actual == arg or (arg == "number" and actual == "integer")
        return None if ok else Failure(f"it is {actual}", f"a {arg}")

    return run, frozenset()


def _c_equals(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    def run(s: Subject, env: Env) -> Failure | None:
        if s.present and json_equal(s.value, arg):
            return None
        return Failure(f"it is {show(s.value) if s.present else 'missing'}", show(arg))

    return run, frozenset()


def _c_in(arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str) -> tuple[CheckFn, frozenset[str]]:
    vs = _value_set(arg, std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        values = vs.resolve(env)
        items = s.value if isinstance(s.value, list) else [s.value]
        for item in items:
            if not _member(item, values):
                words = vs.words(values)
                return Failure(f"'{show(item)}' is not in {words}", words, _suggest(item, values))
        return None

    return run, vs.documents


def _c_not_in(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    vs = _value_set(arg, std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        values = vs.resolve(env)
        items = s.value if isinstance(s.value, list) else [s.value]
        for item in items:
            if _member(item, values):
                words = vs.words(values)
                return Failure(f"'{show(item)}' is in {words}", f"nothing from {words}")
        return None

    return run, vs.documents


def _c_any_in(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    vs = _value_set(arg, std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        values = vs.resolve(env)
        items = s.value if isinstance(s.value, list) else ([s.value] if s.present else [])
        if any(_member(item, values) for item in items):
            return None
        return Failure(
            f"none of {show(s.value) if s.present else 'nothing'} is in {vs.words(values)}",
            f"at least one of {vs.words(values)}",
        )

    return run, vs.documents


def _c_superset_of(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    """``superset_of: SET``: an array holding every value of SET (a city's list of prohibited
    uses, all of which a vendor must exclude). An absent subject holds nothing, so it fails
    unless SET is empty; the message names the values missing."""
    vs = _value_set(arg, std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        values = vs.resolve(env)
        items = s.value if isinstance(s.value, list) else ([s.value] if s.present else [])
        missing = [v for v in values if not _member(v, items)]
        if not missing:
            return None
        shown = ", ".join(show(v, 40) for v in missing[:8]) + (" …" if len(missing) > 8 else "")
        return Failure(f"missing {shown}", f"every value of {vs.words(values)}")

    return run, vs.documents


def _compile_patterns(patterns: Sequence[JSON], ignore_case: bool, where: str) -> list[SafePattern]:
    compiled = []
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise CheckSpecError(f"{where}: patterns must be strings")
        if ignore_case and re.search(r"[A-Z]", re.sub(r"\\.", "", pattern)):
            # Case-insensitive matching lower-cases the text, so the pattern must be lower case.
            raise CheckSpecError(
                f"{where}: with ignore_case: true, write the pattern in lower case: {pattern!r}"
            )
        try:
            compiled.append(compile_safe(pattern))
        except UnsafePattern as err:
            raise CheckSpecError(f"{where}: unsafe or invalid pattern {pattern!r}: {err}") from None
    return compiled


def _c_pattern(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    """``pattern: REGEX``, a list of them, or ``{param: NAME}``: passes when any one matches."""
    ignore_case = extra.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        raise CheckSpecError(f"{where}: ignore_case must be true or false")
    param_name: str | None = None
    if isinstance(arg, str):
        sources: list[JSON] = [arg]
    elif isinstance(arg, list) and arg:
        sources = list(arg)
    elif isinstance(arg, dict) and set(arg) == {"param"}:
        param_name = str(arg["param"])
        param = std.parameters.get(param_name)
        if param is None or param.type != "array":
            raise CheckSpecError(f"{where}: {param_name!r} is not an array parameter of {std.ref}")
        sources = list(param.default) if isinstance(param.default, list) else []
    else:
        raise CheckSpecError(
            f"{where}: pattern takes a regular expression, a list of them or {{param: NAME}}"
        )
    default = _compile_patterns(sources, ignore_case, where)
    described = " or ".join(str(p) for p in sources[:3]) + (" …" if len(sources) > 3 else "")
    cache: dict[str, list[SafePattern]] = {}

    def patterns(env: Env) -> list[SafePattern]:
        if param_name is None or param_name not in env.params:
            return default
        value = env.params[param_name]
        key = json.dumps(value, sort_keys=True)
        if key not in cache:
            # Profile values are validated when the profile loads; a bad one here is skipped.
            try:
                cache[key] = _compile_patterns(value if isinstance(value, list) else [], ignore_case, where)
            except CheckSpecError:
                cache[key] = default
        return cache[key]

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        if not isinstance(s.value, str):
            return Failure(f"it is {_type_name(s.value)}, not text", f"text matching {described}")
        text = s.value.lower() if ignore_case else s.value
        ok = any(p.search(text) for p in patterns(env))
        return (
            None
            if ok
            else Failure(f"'{show(s.value)}' does not match {described}", f"text matching {described}")
        )

    return run, frozenset()


def _c_compare(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, dict) or set(arg) != {"op", "value"}:
        raise CheckSpecError(f"{where}: compare takes {{op, value}}")
    op = _op(arg, where)
    label, operand = _operand(arg["value"], std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        ok, other = operand(env)
        if not ok:
            return None
        if not _is_number(s.value) or not _is_number(other):
            return Failure(f"{show(s.value)} is not a number", f"a number {_OP_WORDS[op]} {label}")
        if _OPS[op](s.value, other):
            return None
        return Failure(
            f"{show(s.value)} is not {_OP_WORDS[op]} {show(other)}", f"{_OP_WORDS[op]} {show(other)}"
        )

    return run, frozenset()


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _c_duration(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, dict) or set(arg) != {"op", "value"}:
        raise CheckSpecError(f"{where}: duration takes {{op, value}}")
    op = _op(arg, where)
    if op == "!=":
        raise CheckSpecError(f"{where}: duration comparisons use <, <=, ==, >=, >")
    raw = arg["value"]
    if isinstance(raw, str):
        try:
            durations.parse_duration(raw)
        except durations.DurationError as err:
            raise CheckSpecError(f"{where}: {raw!r} is not an ISO 8601 duration: {err}") from None
    label, operand = _operand(raw, std, where)
    tests = {"<": durations.lt, "<=": durations.le, ">": durations.gt, ">=": durations.ge}

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        try:
            mine = durations.parse_duration(str(s.value)) if isinstance(s.value, str) else None
        except durations.DurationError:
            mine = None
        if mine is None:
            return Failure(
                f"'{show(s.value)}' is not an ISO 8601 duration", "an ISO 8601 duration such as P1Y or P90D"
            )
        ok, other_raw = operand(env)
        if not ok:
            return None
        try:
            other = durations.parse_duration(str(other_raw))
        except durations.DurationError:
            return None
        holds = durations.compare(mine, other) == "==" if op == "==" else tests[op](mine, other)
        if holds:
            return None
        return Failure(
            f"{durations.describe(mine)} is not {_OP_WORDS[op]} {durations.describe(other)}",
            f"{_OP_WORDS[op]} {other.text} ({label})",
        )

    return run, frozenset()


def _c_date(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, dict) or not {"op", "value"} <= set(arg) <= {"op", "value", "plus"}:
        raise CheckSpecError(f"{where}: date takes {{op, value, plus}}")
    op = _op(arg, where)
    label, operand = _operand(arg["value"], std, where)
    plus_raw = arg.get("plus")
    plus_label, plus_operand = ("", None)
    if plus_raw is not None:
        if isinstance(plus_raw, str):
            try:
                durations.parse_duration(plus_raw)
            except durations.DurationError as err:
                raise CheckSpecError(f"{where}: plus must be an ISO 8601 duration: {err}") from None
        plus_label, plus_operand = _operand(plus_raw, std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        mine = _date(s.value)
        if mine is None:
            return Failure(f"'{show(s.value)}' is not a date (YYYY-MM-DD)", "a date")
        ok, other_raw = operand(env)
        other = _date(other_raw) if ok else None
        if other is None:
            return None
        plus = None
        if plus_operand is not None:
            has, plus_raw_value = plus_operand(env)
            try:
                plus = durations.parse_duration(str(plus_raw_value)) if has else None
            except durations.DurationError:
                return None
        bound = durations.add_to_date(other, plus) if plus else other
        if _OPS[op](mine, bound):
            return None
        described = f"{other.isoformat()} + {plus.text}" if plus else other.isoformat()
        return Failure(
            f"{mine.isoformat()} is not {_OP_WORDS[op]} {bound.isoformat()} ({described})",
            f"a date {_OP_WORDS[op]} {label}{' + ' + plus_label if plus_label else ''}",
        )

    return run, frozenset()


def _date(value: JSON) -> datetime.date | None:
    if isinstance(value, str) and formats.is_date(value):
        return datetime.date.fromisoformat(value)
    return None


def _c_items(minimum: bool) -> Compiler:
    def compile_(
        arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
    ) -> tuple[CheckFn, frozenset[str]]:
        if not isinstance(arg, int) or isinstance(arg, bool) or arg < 0:
            raise CheckSpecError(f"{where}: {'min' if minimum else 'max'}_items takes a non-negative integer")

        def run(s: Subject, env: Env) -> Failure | None:
            if not s.present:
                return Failure("it is missing", f"at least {arg} item(s)") if minimum and arg > 0 else None
            if not isinstance(s.value, list):
                return Failure(f"it is {_type_name(s.value)}, not a list", "a list")
            n = len(s.value)
            if minimum and n < arg:
                return Failure(f"it has {n} item(s)", f"at least {arg} item(s)", count=n)
            if not minimum and n > arg:
                return Failure(f"it has {n} item(s)", f"at most {arg} item(s)", count=n)
            return None

        return run, frozenset()

    return compile_


def _c_unique(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, str) or (arg and not arg.startswith("/")):
        raise CheckSpecError(f"{where}: unique takes a relative pointer such as /id or ''")

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present or not isinstance(s.value, list) or s.node is None:
            return None
        seen: dict[object, int] = {}
        for index, item in enumerate(s.value):
            if arg:
                node = env.walker.at(
                    Selected(s.node.file, f"{s.node.pointer}/{index}", item, str(index)), arg
                )
                if node is None:
                    continue
                key_value: JSON = node.value
            else:
                key_value = item
            key = _hashable(key_value)
            if key in seen:
                return Failure(
                    f"'{show(key_value)}' appears at items {seen[key]} and {index}", "unique values"
                )
            seen[key] = index
        return None

    return run, frozenset()


def _schema_refs(node: object) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, value in current.items():
                if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                    found.append(value)
                else:
                    stack.append(value)
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _c_schema(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, dict):
        raise CheckSpecError(f"{where}: schema takes a JSON Schema object")
    fragment = dict(arg)
    fragment.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    if not std.trusted:  # shipped standards are checked by the test suite (load_standard)
        try:
            Draft202012Validator.check_schema(fragment)
        except SchemaError as err:
            raise CheckSpecError(f"{where}: invalid inline schema: {err.message}") from None
    if any(not ref.startswith("#") for ref in _schema_refs(fragment)):
        raise CheckSpecError(f"{where}: inline schemas may only use local $ref ('#/...')")
    # The same guarantee as for the standards' schemas: every pattern is vetted when the pack
    # loads and matched in linear time with ECMA-262 semantics, never by Python's ``re``.
    unsafe = first_unsafe_pattern(fragment)
    if unsafe is not None:
        raise CheckSpecError(f"{where}: schema: unsafe or invalid pattern {unsafe[0]!r}: {unsafe[1]}")
    validator = ecma_validator_class(Draft202012Validator)(
        fragment, registry=Registry(), format_checker=formats.make_format_checker()
    )
    # As for documents (standards.fast_validator): jsonschema-rs only answers "valid?", and
    # every message still comes from python-jsonschema, so reports do not depend on it.
    fast = build_fast_validator(fragment)

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        if fast is not None and fast.is_valid(s.value):
            return None
        error = next(iter(validator.iter_errors(s.value)), None)
        if error is None:
            return None
        return Failure(" ".join(error.message.split())[:200], "a value matching the rule's schema")

    return run, frozenset()


def _c_combine(kind: str) -> Compiler:
    def compile_(
        arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
    ) -> tuple[CheckFn, frozenset[str]]:
        specs = [arg] if kind == "not" else arg
        if not isinstance(specs, list) or not specs or (kind == "not" and not isinstance(arg, dict)):
            raise CheckSpecError(
                f"{where}: {kind} takes {'a check' if kind == 'not' else 'a list of checks'}"
            )
        parts = [compile_check(spec, std, f"{where}/{kind}[{i}]") for i, spec in enumerate(specs)]
        docs = frozenset().union(*(p.documents for p in parts))

        def run(s: Subject, env: Env) -> Failure | None:
            # Parts with their own path (or subject: key) look from the selected node;
            # parts without one judge the same subject as the combination.
            results = [p.evaluate(env.node, env)[0] if (p.path or p.on_key) else p.run(s, env) for p in parts]
            if kind == "all":
                return next((r for r in results if r is not None), None)
            if kind == "any":
                if any(r is None for r in results):
                    return None
                return Failure(
                    " and ".join(r.detail for r in results if r),
                    " or ".join(r.expected for r in results if r),
                )
            return None if results[0] is not None else Failure("the excluded condition holds", "the opposite")

        return run, docs

    return compile_


def _cross(kind: str) -> Compiler:
    """``count_in``, ``exists_in`` and ``subset_of``: the subject against values gathered
    from a document of the submission (see ``compile_lookup``)."""

    def compile_(
        arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
    ) -> tuple[CheckFn, frozenset[str]]:
        if not isinstance(arg, dict):
            raise CheckSpecError(f"{where}: {kind} takes a lookup mapping")
        bounds_keys = frozenset({"min", "max"}) if kind == "count_in" else frozenset()
        lookup = compile_lookup(arg, std, where, bounds_keys)
        lo = arg.get("min", 0 if kind == "count_in" else 1)
        hi = arg.get("max")
        if kind == "count_in" and "min" not in arg and "max" not in arg:
            raise CheckSpecError(f"{where}: count_in needs min and/or max")
        for bound in (lo, hi):
            if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool) or bound < 0):
                raise CheckSpecError(f"{where}: min and max are non-negative integers")
        label = _KIND_LABEL[lookup.document]

        def run(s: Subject, env: Env) -> Failure | None:
            if not env.document_roots(lookup.document):
                return None
            found = lookup.values(env)
            if kind == "subset_of":
                if not s.present:
                    return None
                items = s.value if isinstance(s.value, list) else [s.value]
                for item in items:
                    if not _member(item, found):
                        shown = ", ".join(show(v, 30) for v in found[:6]) or "nothing"
                        return Failure(
                            f"'{show(item)}' is not among the values in {label} ({shown})",
                            f"a value declared in {label}",
                            _suggest(item, found),
                        )
                return None
            if not s.present:
                return Failure(
                    f"it is missing, so it cannot be found in {label}", f"a value present in {label}", count=0
                )
            items = s.value if isinstance(s.value, list) else [s.value]
            for item in items:
                n = _count(item, found)
                if n < cast(int, lo) or (hi is not None and n > cast(int, hi)):
                    if hi == lo:
                        bounds = f"exactly {lo}"
                    elif hi is None:
                        bounds = f"at least {lo}"
                    elif not lo:
                        bounds = f"at most {hi}"
                    else:
                        bounds = f"between {lo} and {hi}"
                    return Failure(
                        f"'{show(item)}' appears {n} time(s) in {label}; expected {bounds}",
                        f"{bounds} in {label}",
                        _suggest(item, found) if n == 0 else "",
                        count=n,
                    )
            return None

        return run, lookup.documents

    return compile_


def _c_count(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    """``count: {select, where, min, max}``: how many nodes below the subject (selected with
    a relative selector that follows $ref) meet the conditions."""
    if not isinstance(arg, dict) or "select" not in arg or not set(arg) <= {"select", "where", "min", "max"}:
        raise CheckSpecError(f"{where}: count takes {{select, where, min, max}}")
    try:
        selector = parse_selector(str(arg["select"]))
    except ValueError as err:
        raise CheckSpecError(f"{where}: {err}") from None
    conditions_raw = arg.get("where", [])
    if not isinstance(conditions_raw, list):
        raise CheckSpecError(f"{where}: where takes a list of conditions")
    conditions = [compile_check(c, std, f"{where}/where[{i}]") for i, c in enumerate(conditions_raw)]
    lo, hi = arg.get("min"), arg.get("max")
    if lo is None and hi is None:
        raise CheckSpecError(f"{where}: count needs min and/or max")
    for bound in (lo, hi):
        if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool) or bound < 0):
            raise CheckSpecError(f"{where}: min and max are non-negative integers")
    documents = frozenset().union(*(c.documents for c in conditions))

    def run(s: Subject, env: Env) -> Failure | None:
        n = 0
        if s.present and s.node is not None:
            for node in env.walker.select(s.node, selector):
                if all(c.evaluate(node, env.moved(node))[0] is None for c in conditions):
                    n += 1
        if (lo is not None and n < cast(int, lo)) or (hi is not None and n > cast(int, hi)):
            want = " and ".join(
                x
                for x in (
                    f"at least {lo}" if lo is not None else "",
                    f"at most {hi}" if hi is not None else "",
                )
                if x
            )
            return Failure(f"{n} matching node(s) found", want, count=n)
        return None

    return run, documents


# --------------------------------------------------------------------------- named conditions

# The named conditions a rule pack may refer to with ``condition: NAME`` while it compiles.
# They are defined once (``conditions:`` at the top of a pack) so that a definition such as
# "this data category is about people" is written in one place and every rule that needs it
# uses the same one; a rule cannot weaken it by restating it differently.
_NO_CONDITIONS: Mapping[str, NamedCondition] = types.MappingProxyType({})
_NAMED: contextvars.ContextVar[Mapping[str, NamedCondition]] = contextvars.ContextVar(
    "ocp_check_named_conditions", default=_NO_CONDITIONS
)


@dataclass(frozen=True)
class NamedCondition:
    """A list of checks that all hold, defined once in a rule pack under a name."""

    name: str
    checks: tuple[CompiledCheck, ...]
    documents: frozenset[str]

    def holds(self, node: Selected, env: Env) -> bool:
        here = env.moved(node)
        return all(c.evaluate(node, here)[0] is None for c in self.checks)


@contextlib.contextmanager
def named_conditions(conditions: Mapping[str, NamedCondition]) -> Iterator[None]:
    """Make ``conditions`` available to ``condition: NAME`` checks compiled inside the block."""
    token = _NAMED.set(conditions)
    try:
        yield
    finally:
        _NAMED.reset(token)


def compile_named_conditions(
    raw: Mapping[str, JSON], standard: Standard, where: str, known: Mapping[str, NamedCondition]
) -> dict[str, NamedCondition]:
    """Compile a pack's ``conditions:`` map. A condition may use the conditions defined before
    it (in ``known`` or earlier in the map), never itself or a later one, so there are no cycles."""
    out = dict(known)
    for name, specs in raw.items():
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9-]{0,62}", name):
            raise CheckSpecError(f"{where}: condition names are lower-case words with hyphens, not {name!r}")
        if name in out:
            raise CheckSpecError(f"{where}: condition {name!r} is defined twice")
        if not isinstance(specs, list) or not specs:
            raise CheckSpecError(f"{where}/{name}: a condition is a non-empty list of checks")
        with named_conditions(out):
            checks = tuple(compile_check(c, standard, f"{where}/{name}[{i}]") for i, c in enumerate(specs))
        out[name] = NamedCondition(name, checks, frozenset().union(*(c.documents for c in checks)))
    return out


def _c_condition(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    """``condition: NAME``: every check of the named condition holds on the subject node."""
    known = _NAMED.get()
    if not isinstance(arg, str) or arg not in known:
        names = ", ".join(sorted(known)) or "none"
        raise CheckSpecError(f"{where}: unknown condition {arg!r} (defined: {names})")
    named = known[arg]

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present or s.node is None:
            return Failure("it is missing", f"a node meeting the condition {arg}")
        if named.holds(s.node, env):
            return None
        return Failure(f"the condition {arg} does not hold", f"a node meeting the condition {arg}")

    return run, named.documents


_MAJOR = re.compile(r"^[a-z][a-z0-9-]*@([0-9]+)(?:\.[0-9]+){0,2}$")


def _c_same_major_as(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    """``same_major_as: {document: KIND, path: /x}``: the subject, a standard reference
    ``id@MAJOR[.MINOR[.PATCH]]``, names the same major version as the reference at ``path``
    in another document of the submission. A missing or malformed reference on the other side
    passes: the rules of that document report it."""
    if not isinstance(arg, dict) or set(arg) != {"document", "path"}:
        raise CheckSpecError(f"{where}: same_major_as takes {{document: KIND, path: /pointer}}")
    document = str(arg["document"])
    if document not in _KIND_LABEL:
        raise CheckSpecError(f"{where}: document must be one of {_KIND_NAMES}")
    path = str(arg["path"])
    if not path.startswith("/"):
        raise CheckSpecError(
            f"{where}: path must be a JSON Pointer from the document root, such as /standard"
        )
    label = _KIND_LABEL[document]

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        # Every document of that kind (several API descriptions may each declare one).
        for root in env.document_roots(document):
            other = env.walker.at(root, path)
            theirs = _MAJOR.match(other.value) if other is not None and isinstance(other.value, str) else None
            if theirs is None:
                continue
            mine = _MAJOR.match(s.value) if isinstance(s.value, str) else None
            if mine is None:
                return Failure(f"'{show(s.value)}' is not a standard reference such as id@1.0", "id@MAJOR.MINOR")
            if mine.group(1) != theirs.group(1):
                return Failure(
                    f"'{show(s.value)}' names major version {mine.group(1)}, {label} declares "
                    f"'{show(other.value if other is not None else None)}' (major version {theirs.group(1)})",
                    f"major version {theirs.group(1)}, as in {label}",
                )
        return None

    return run, frozenset({document})


CHECKS: dict[str, tuple[Compiler, frozenset[str]]] = {
    "present": (_c_present, frozenset()),
    "not_empty": (_c_not_empty, frozenset()),
    "type": (_c_type, frozenset()),
    "equals": (_c_equals, frozenset()),
    "in": (_c_in, frozenset()),
    "not_in": (_c_not_in, frozenset()),
    "any_in": (_c_any_in, frozenset()),
    "pattern": (_c_pattern, frozenset({"ignore_case"})),
    "compare": (_c_compare, frozenset()),
    "duration": (_c_duration, frozenset()),
    "date": (_c_date, frozenset()),
    "min_items": (_c_items(True), frozenset()),
    "max_items": (_c_items(False), frozenset()),
    "unique": (_c_unique, frozenset()),
    "schema": (_c_schema, frozenset()),
    "all": (_c_combine("all"), frozenset()),
    "any": (_c_combine("any"), frozenset()),
    "not": (_c_combine("not"), frozenset()),
    "count_in": (_cross("count_in"), frozenset()),
    "exists_in": (_cross("exists_in"), frozenset()),
    "subset_of": (_cross("subset_of"), frozenset()),
    "superset_of": (_c_superset_of, frozenset()),
    "count": (_c_count, frozenset()),
    "condition": (_c_condition, frozenset()),
    "same_major_as": (_c_same_major_as, frozenset()),
}
_SUBJECT_KEYS = frozenset({"path", "subject"})


def compile_check(spec: JSON, standard: Standard, where: str) -> CompiledCheck:
    """Compile one ``when`` condition or ``assert`` mapping; raise CheckSpecError if wrong."""
    if not isinstance(spec, dict):
        raise CheckSpecError(f"{where}: a check is a mapping such as {{path: /x, present: true}}")
    keywords = [k for k in spec if k in CHECKS]
    if len(keywords) != 1:
        found = ", ".join(sorted(k for k in spec if k not in _SUBJECT_KEYS)) or "none"
        raise CheckSpecError(
            f"{where}: exactly one check is needed (found: {found}); known checks: {', '.join(sorted(CHECKS))}"
        )
    keyword = keywords[0]
    compiler, extras = CHECKS[keyword]
    unknown = set(spec) - {keyword} - _SUBJECT_KEYS - extras
    if unknown:
        raise CheckSpecError(f"{where}: unknown option(s) for {keyword}: {', '.join(sorted(unknown))}")
    path = spec.get("path", "")
    if not isinstance(path, str) or (path and not path.startswith(("/", "#/"))):
        raise CheckSpecError(
            f"{where}: path must be a relative JSON Pointer ('/x') or '#/x' from the document root"
        )
    subject = spec.get("subject")
    if subject not in (None, "key"):
        raise CheckSpecError(f"{where}: subject may only be 'key'")
    if subject == "key" and path:
        raise CheckSpecError(f"{where}: use either path or subject: key, not both")
    extra = {k: spec[k] for k in extras if k in spec}
    run, documents = compiler(spec[keyword], extra, standard, f"{where}: {keyword}")
    return CompiledCheck(keyword, path, subject == "key", run, documents)
