"""Sets of allowed values and lookups into other documents, and the check keywords that read
other documents of the submission: ``count_in``, ``exists_in``, ``subset_of``, ``count`` and
``same_major_as``.

A value set is a list, a parameter, a vocabulary or a lookup. A document rule's lookup into
its own kind stays in that document (operation ids are unique within one API); other kinds
are every judged document of the kind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from ocp_check.check_base import (
    CheckFn,
    CheckSpecError,
    Compiler,
    Env,
    Failure,
    Subject,
    _count,
    _member,
    _suggest,
    show,
)
from ocp_check.i18n import N_, _
from ocp_check.jsondata import JSON
from ocp_check.model import DocumentKind
from ocp_check.selectors import parse_selector
from ocp_check.standards import Standard


@dataclass(frozen=True)
class ValueSet:
    """A literal list, a parameter, vocabulary terms (by tag), or values from another document."""

    describe: str
    resolve: Callable[[Env], Sequence[JSON]]
    documents: frozenset[str] = frozenset()
    shows_values: bool = False

    def words(self, values: Sequence[JSON]) -> str:
        """How the set reads in a message: a parameter shows the values in force."""
        if not self.shows_values:
            return self.describe
        shown = ", ".join(show(v, 30) for v in values[:8]) + (" …" if len(values) > 8 else "")
        return f"{self.describe} ({shown})" if shown else _("{values} (empty)", values=self.describe)


def _value_set(spec: JSON, standard: Standard, where: str) -> ValueSet:
    if isinstance(spec, list):
        values = list(spec)
        return ValueSet(
            ", ".join(show(v, 40) for v in values[:8]) + (" …" if len(values) > 8 else ""),
            lambda env: values,
        )
    if isinstance(spec, dict) and set(spec) == {"param"}:
        name = spec["param"]
        param = standard.parameters.get(str(name))
        if param is None:
            raise CheckSpecError(_("{where}: unknown parameter {name}", where=where, name=repr(name)))
        if param.type != "array":
            raise CheckSpecError(_("{where}: parameter {name} is not an array", where=where, name=repr(name)))
        return ValueSet(
            _("parameter {name}", name=name),
            lambda env: cast(Sequence[JSON], env.params.get(str(name), param.default)),
            shows_values=True,
        )
    if isinstance(spec, dict) and "vocabulary" in spec and set(spec) <= {"vocabulary", "tags"}:
        vocab_id = str(spec["vocabulary"])
        vocab = standard.vocabularies.get(vocab_id)
        if vocab is None:
            known = ", ".join(sorted(standard.vocabularies)) or "none"
            raise CheckSpecError(_("{where}: unknown vocabulary {vocab_id} (known: {known})", where=where, vocab_id=repr(vocab_id), known=known))
        tags = spec.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise CheckSpecError(_("{where}: tags must be a list of strings", where=where))
        ids = sorted(vocab.ids(cast(list[str], tags)))
        if tags and not ids:
            raise CheckSpecError(_("{where}: no term of {vocab_id} has tags {tags}", where=where, vocab_id=vocab_id, tags=tags))
        label = (
            _("the {title} vocabulary (tagged {tags})", title=vocab.title, tags=", ".join(cast(list[str], tags)))
            if tags
            else _("the {title} vocabulary", title=vocab.title)
        )
        return ValueSet(label, lambda env: ids)
    if isinstance(spec, dict) and "document" in spec:
        lookup = compile_lookup(spec, standard, where)
        return ValueSet(lookup.describe, lookup.values, lookup.documents)
    raise CheckSpecError(
        _("{where}: a value set is a list, {{param: NAME}}, {{vocabulary: ID, tags: [...]}} or {{document: KIND, select: SEL, key: SEL, where: [...], use: value|key}}", where=where)
    )


#: A document kind as a lookup names it ("the retention policy").
_KIND_LABEL = {
    DocumentKind.DATA_MANIFEST.value: N_("the data manifest"),
    DocumentKind.RETENTION_POLICY.value: N_("the retention policy"),
    DocumentKind.OPENAPI.value: N_("the API description"),
    DocumentKind.COMPLIANCE_REPORT.value: N_("the compliance report"),
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
            _("{where}: a lookup takes {{{list}}} (document and select required)", where=where, list=', '.join(sorted(allowed)))
        )
    document = str(spec["document"])
    if document not in _KIND_LABEL:
        raise CheckSpecError(_("{where}: document must be one of {kinds}", where=where, kinds=_KIND_NAMES))
    try:
        selector = parse_selector(str(spec["select"]))
        key_selector = parse_selector(str(spec.get("key", "")))
    except ValueError as err:
        raise CheckSpecError(_("{where}: {err}", where=where, err=err)) from None
    use = spec.get("use", "value")
    if use not in ("value", "key"):
        raise CheckSpecError(_("{where}: use must be 'value' or 'key'", where=where))
    conditions_raw = spec.get("where", [])
    if not isinstance(conditions_raw, list):
        raise CheckSpecError(_("{where}: where takes a list of conditions", where=where))
    from ocp_check.checks import compile_check  # checks.py registers this module's keywords

    conditions = [compile_check(c, standard, f"{where}/where[{i}]") for i, c in enumerate(conditions_raw)]
    cache_key = ("lookup", document, json.dumps(spec, sort_keys=True, default=str))
    label = _(_KIND_LABEL[document])  # rules are compiled in the run's language

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
    return Lookup(_("the values in {place}", place=label), document, values, documents)


def _cross(kind: str) -> Compiler:
    """``count_in``, ``exists_in`` and ``subset_of``: the subject against values gathered
    from a document of the submission (see ``compile_lookup``)."""

    def compile_(
        arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
    ) -> tuple[CheckFn, frozenset[str]]:
        if not isinstance(arg, dict):
            raise CheckSpecError(_("{where}: {kind} takes a lookup mapping", where=where, kind=kind))
        bounds_keys = frozenset({"min", "max"}) if kind == "count_in" else frozenset()
        lookup = compile_lookup(arg, std, where, bounds_keys)
        lo = arg.get("min", 0 if kind == "count_in" else 1)
        hi = arg.get("max")
        if kind == "count_in" and "min" not in arg and "max" not in arg:
            raise CheckSpecError(_("{where}: count_in needs min and/or max", where=where))
        for bound in (lo, hi):
            if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool) or bound < 0):
                raise CheckSpecError(_("{where}: min and max are non-negative integers", where=where))
        label = _(_KIND_LABEL[lookup.document])

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
                            _(
                                "'{value}' is not among the values in {place} ({values})",
                                value=show(item),
                                place=label,
                                values=shown,
                            ),
                            _("a value declared in {place}", place=label),
                            _suggest(item, found),
                        )
                return None
            if not s.present:
                return Failure(
                    _("it is missing, so it cannot be found in {place}", place=label),
                    _("a value present in {place}", place=label),
                    count=0,
                )
            items = s.value if isinstance(s.value, list) else [s.value]
            for item in items:
                n = _count(item, found)
                if n < cast(int, lo) or (hi is not None and n > cast(int, hi)):
                    if hi == lo:
                        bounds = _("exactly {count}", count=lo)
                    elif hi is None:
                        bounds = _("at least {count}", count=lo)
                    elif not lo:
                        bounds = _("at most {count}", count=hi)
                    else:
                        bounds = _("between {low} and {high}", low=lo, high=hi)
                    return Failure(
                        _(
                            "'{value}' appears {count} time(s) in {place}; expected {bounds}",
                            value=show(item),
                            count=n,
                            place=label,
                            bounds=bounds,
                        ),
                        _("{bounds} in {place}", bounds=bounds, place=label),
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
        raise CheckSpecError(_("{where}: count takes {{select, where, min, max}}", where=where))
    try:
        selector = parse_selector(str(arg["select"]))
    except ValueError as err:
        raise CheckSpecError(_("{where}: {err}", where=where, err=err)) from None
    conditions_raw = arg.get("where", [])
    if not isinstance(conditions_raw, list):
        raise CheckSpecError(_("{where}: where takes a list of conditions", where=where))
    from ocp_check.checks import compile_check  # checks.py registers this module's keywords

    conditions = [compile_check(c, std, f"{where}/where[{i}]") for i, c in enumerate(conditions_raw)]
    lo, hi = arg.get("min"), arg.get("max")
    if lo is None and hi is None:
        raise CheckSpecError(_("{where}: count needs min and/or max", where=where))
    for bound in (lo, hi):
        if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool) or bound < 0):
            raise CheckSpecError(_("{where}: min and max are non-negative integers", where=where))
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
            return Failure(_("{count} matching node(s) found", count=n), want, count=n)
        return None

    return run, documents


_MAJOR = re.compile(r"^[a-z][a-z0-9-]*@([0-9]+)(?:\.[0-9]+){0,2}$")


def _c_same_major_as(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    """``same_major_as: {document: KIND, path: /x}``: the subject, a standard reference
    ``id@MAJOR[.MINOR[.PATCH]]``, names the same major version as the reference at ``path``
    in another document of the submission. A missing or malformed reference on the other side
    passes: the rules of that document report it."""
    if not isinstance(arg, dict) or set(arg) != {"document", "path"}:
        raise CheckSpecError(_("{where}: same_major_as takes {{document: KIND, path: /pointer}}", where=where))
    document = str(arg["document"])
    if document not in _KIND_LABEL:
        raise CheckSpecError(_("{where}: document must be one of {kinds}", where=where, kinds=_KIND_NAMES))
    path = str(arg["path"])
    if not path.startswith("/"):
        raise CheckSpecError(
            _("{where}: path must be a JSON Pointer from the document root, such as /standard", where=where)
        )
    label = _(_KIND_LABEL[document])  # rules are compiled in the run's language

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
                return Failure(_("'{value}' is not a standard reference such as id@1.0", value=show(s.value)), "id@MAJOR.MINOR")
            if mine.group(1) != theirs.group(1):
                return Failure(
                    _(
                        "'{value}' names major version {mine}, {place} declares '{other}' (major version {theirs})",
                        value=show(s.value),
                        mine=mine.group(1),
                        place=label,
                        other=show(other.value if other is not None else None),
                        theirs=theirs.group(1),
                    ),
                    _("major version {theirs}, as in {place}", theirs=theirs.group(1), place=label),
                )
        return None

    return run, frozenset({document})
