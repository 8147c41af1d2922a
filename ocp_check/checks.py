"""The check language: one check compiled once from a rule pack, its keywords, named conditions.

Each check keyword has a compiler that validates its options when the pack loads (so a typo
is exit 2 naming the rule, never a surprise halfway through a run) and returns a function
``(subject, env) -> Failure | None``. Checks know nothing about rule ids or severities; the
rule engine stamps those, as yamllint and jsonschema's keyword functions do. The keywords
about one value are in ``check_keywords.py``, the value sets and the keywords that read other
documents in ``check_lookups.py``, what they share in ``check_base.py``; this module holds
``compile_check`` and the registry of keywords, the combinators (``all``, ``any``, ``not``) and
named conditions (defined once per standard, used by ``condition: NAME``).

When the subject is absent, only the presence-like checks fail (``present: true``,
``not_empty``, ``equals``, ``type``, ``min_items``, ``any_in``, ``superset_of`` of a non-empty
set, ``count_in``, ``exists_in``, ``condition``);
the others have nothing to judge and pass. Rules that need a value pair them with
``present: true``.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ocp_check.check_base import (
    CheckFn,
    CheckSpecError,
    CompiledCheck,
    Compiler,
    Env,
    Failure,
    Subject,
)
from ocp_check.check_keywords import (
    _c_any_in,
    _c_compare,
    _c_date,
    _c_duration,
    _c_equals,
    _c_in,
    _c_items,
    _c_not_empty,
    _c_not_in,
    _c_pattern,
    _c_present,
    _c_schema,
    _c_superset_of,
    _c_type,
    _c_unique,
)
from ocp_check.check_lookups import _c_count, _c_same_major_as, _cross
from ocp_check.i18n import _
from ocp_check.jsondata import JSON
from ocp_check.selectors import Selected
from ocp_check.standards import Standard

# --------------------------------------------------------------------------- helpers














# --------------------------------------------------------------------------- value sets






















# --------------------------------------------------------------------------- operand values








# --------------------------------------------------------------------------- compilers









































def _c_combine(kind: str) -> Compiler:
    def compile_(
        arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
    ) -> tuple[CheckFn, frozenset[str]]:
        specs = [arg] if kind == "not" else arg
        if not isinstance(specs, list) or not specs or (kind == "not" and not isinstance(arg, dict)):
            raise CheckSpecError(
                _("{where}: {kind} takes a check", where=where, kind=kind)
                if kind == "not"
                else _("{where}: {kind} takes a list of checks", where=where, kind=kind)
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
                    _(" and ").join(r.detail for r in results if r),
                    _(" or ").join(r.expected for r in results if r),
                )
            return None if results[0] is not None else Failure(_("the excluded condition holds"), _("the opposite"))

        return run, docs

    return compile_


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
            raise CheckSpecError(_("{where}: condition names are lower-case words with hyphens, not {name}", where=where, name=repr(name)))
        if name in out:
            raise CheckSpecError(_("{where}: condition {name} is defined twice", where=where, name=repr(name)))
        if not isinstance(specs, list) or not specs:
            raise CheckSpecError(_("{where}/{name}: a condition is a non-empty list of checks", where=where, name=name))
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
        raise CheckSpecError(_("{where}: unknown condition {arg} (defined: {names})", where=where, arg=repr(arg), names=names))
    named = known[arg]

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present or s.node is None:
            return Failure(_("it is missing"), _("a node meeting the condition {name}", name=arg))
        if named.holds(s.node, env):
            return None
        return Failure(
            _("the condition {name} does not hold", name=arg), _("a node meeting the condition {name}", name=arg)
        )

    return run, named.documents






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
        raise CheckSpecError(_("{where}: a check is a mapping such as {{path: /x, present: true}}", where=where))
    keywords = [k for k in spec if k in CHECKS]
    if len(keywords) != 1:
        found = ", ".join(sorted(k for k in spec if k not in _SUBJECT_KEYS)) or "none"
        raise CheckSpecError(
            _("{where}: exactly one check is needed (found: {found}); known checks: {list}", where=where, found=found, list=', '.join(sorted(CHECKS)))
        )
    keyword = keywords[0]
    compiler, extras = CHECKS[keyword]
    unknown = set(spec) - {keyword} - _SUBJECT_KEYS - extras
    if unknown:
        raise CheckSpecError(_("{where}: unknown option(s) for {keyword}: {list}", where=where, keyword=keyword, list=', '.join(sorted(unknown))))
    path = spec.get("path", "")
    if not isinstance(path, str) or (path and not path.startswith(("/", "#/"))):
        raise CheckSpecError(
            _("{where}: path must be a relative JSON Pointer ('/x') or '#/x' from the document root", where=where)
        )
    subject = spec.get("subject")
    if subject not in (None, "key"):
        raise CheckSpecError(_("{where}: subject may only be 'key'", where=where))
    if subject == "key" and path:
        raise CheckSpecError(_("{where}: use either path or subject: key, not both", where=where))
    extra = {k: spec[k] for k in extras if k in spec}
    run, documents = compiler(spec[keyword], extra, standard, f"{where}: {keyword}")
    return CompiledCheck(keyword, path, subject == "key", run, documents)
