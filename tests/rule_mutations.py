"""Small changes to one shipped rule, made in memory, that its cases must notice.

A rule's cases prove the rule only if a wrong rule fails them. For every rule this module
makes the changes an editor could make by mistake, one at a time:

- a threshold (``compare``, ``duration``, ``date`` and its ``plus``) moved one step either way
  (one unit for numbers, one day for durations) and its operator made strict or not strict;
- a bound (``min_items``, ``max_items``, the ``min``/``max`` of ``count`` and ``count_in``)
  moved by one either way;
- a parameter replaced by its default written as a literal;
- a ``when`` condition (of the rule or of its ``for_each``) dropped.

``caught`` runs the standard's own cases (the bases and the cases of that rule) against the
changed rule, as ``ocp-check standards test`` would, and says whether any of them failed.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ocp_check import rules
from ocp_check.cases import run_cases
from ocp_check.catalog import Catalog
from ocp_check.i18n import current_language
from ocp_check.jsondata import JSON
from ocp_check.standards import Standard

_STRICTER = {"<=": "<", "<": "<=", ">=": ">", ">": ">="}
_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(T.*)?")


#: ``when`` conditions that only say a value is present, in front of a check that passes an
#: absent (or null) value anyway: ``duration`` and ``in`` have nothing to judge, and a
#: ``duration`` whose ``{path}`` operand is absent has nothing to compare with. Dropping such a
#: guard adds no finding (the value's presence is asked, where it must be, by a rule of its
#: own). (standard, rule, where, the value, the check that passes it).
_DR1, _DR2 = "ocp-data-retention@1.0.0", "ocp-data-retention@2.0.0"
_ABSENT_PASSES: tuple[tuple[str, str, str, str, str], ...] = (
    (_DR1, "DR-2.4-statutory-minimum", "/when/2", "minimum_retention", "duration"),
    (_DR1, "DR-2.5-trigger-known", "/when/0", "trigger", "in"),
    (_DR1, "DR-2.6-min-le-active", "/when/0", "minimum_retention (operand)", "duration"),
    (_DR1, "DR-2.6-min-le-active", "/when/1", "active_retention", "duration"),
    (_DR1, "DR-2.6-active-le-max", "/when/0", "maximum_retention (operand)", "duration"),
    (_DR1, "DR-2.6-active-le-max", "/when/1", "active_retention", "duration"),
    (_DR1, "DR-2.6-min-le-max", "/when/1", "minimum_retention", "duration"),
    (_DR1, "DR-2.6-min-le-max", "/when/2", "maximum_retention (operand)", "duration"),
    (_DR1, "DR-2.7-raw-location-max", "/when/2", "maximum_retention", "duration"),
    (_DR1, "DR-7.1-deletion-deadline", "/when/0", "deletion_after_return", "duration"),
    (_DR1, "DR-8.1-breach-records-minimum", "/when/0", "breach_records_retention", "duration"),
    (_DR2, "DR-2.4-statutory-minimum", "/when/3", "minimum_retention", "duration"),
    (_DR2, "DR-2.5-trigger-known", "/when/0", "trigger", "in"),
    (_DR2, "DR-2.6-min-le-active", "/when/0", "minimum_retention (operand)", "duration"),
    (_DR2, "DR-2.6-min-le-active", "/when/1", "active_retention", "duration"),
    (_DR2, "DR-2.6-active-le-max", "/when/0", "maximum_retention (operand)", "duration"),
    (_DR2, "DR-2.6-active-le-max", "/when/1", "active_retention", "duration"),
    (_DR2, "DR-2.6-min-le-max", "/when/1", "minimum_retention", "duration"),
    (_DR2, "DR-2.6-min-le-max", "/when/2", "maximum_retention (operand)", "duration"),
    (_DR2, "DR-2.7-raw-location-max", "/when/3", "maximum_retention", "duration"),
    (_DR2, "DR-7.1-deletion-deadline", "/when/0", "deletion_after_return", "duration"),
    (_DR2, "DR-8.1-breach-records-minimum", "/when/0", "breach_records_retention", "duration"),
)

GOVERNANCE = ("ocp-data-governance@1.0.0", "ocp-data-governance@1.1.0", "ocp-data-governance@2.0.0")

#: Changes no case can notice because the rule does not change: (standard, rule, where) and why.
EQUIVALENT: dict[tuple[str, str, str], str] = {
    **{
        (ref, rule, where): f"an absent {value} already passes the `{check}` check"
        for ref, rule, where, value, check in _ABSENT_PASSES
    },
    **{
        (ref, "DG-2.3-pd-categories", "/assert/all/0/min_items"): (
            "an empty pd_categories list already fails the `not: in` beside min_items"
        )
        for ref in ("ocp-data-governance@1.0.0", "ocp-data-governance@1.1.0")
    },
    **{
        (ref, rule, "/assert/all/0/min_items"): "an empty list already fails the `any_in` beside min_items"
        for ref in ("ocp-data-governance@1.0.0", "ocp-data-governance@1.1.0")
        for rule in ("DG-4.3-anonymising-technique", "DG-8.1-export-formats")
    },
    **{
        (ref, "DX-2.3-operation-not-anonymous", "/when/1"): (
            "an operation without its own `security` passes the `schema` check anyway (an absent"
            " subject passes it), and DX-2.3-secure-default keeps the clause applicable"
        )
        for ref in ("ocp-api-exchange@1.0.0", "ocp-api-exchange@2.0.0")
    },
    ("ocp-data-governance@2.0.0", "DG-2.3-pd-categories", "/assert/all/0/min_items"): (
        "an empty pd_categories list already fails the `not: in` beside min_items"
    ),
    **{
        ("ocp-data-governance@2.0.0", rule, "/assert/all/0/min_items"): (
            "an empty list already fails the `any_in` beside min_items"
        )
        for rule in ("DG-4.3-anonymising-technique", "DG-8.1-export-formats")
    },
    # A presence guard in front of a condition that an absent (or null) value already fails:
    # `any_in` fails on an absent subject, and so does `not: {in: ...}` (`in` passes on it).
    **{
        (ref, rule, where): reason
        for ref in GOVERNANCE
        for rule, where, reason in (
            (
                "DG-2.4-sensitive-flag",
                "/when/0",
                "without pd_categories the `any_in` beside it is already false",
            ),
            ("DG-4.2-k-parameter", "/when/0", "without techniques the `any_in` beside it is already false"),
            (
                "DG-4.2-epsilon-parameter",
                "/when/0",
                "without techniques the `any_in` beside it is already false",
            ),
            (
                "DG-5.3-storage-abroad-flagged",
                "/when/0",
                "without locations the `not: in` beside it is already false",
            ),
            (
                "DG-5.3-backup-abroad-flagged",
                "/when/0",
                "without backup locations the `not: in` beside it is already false",
            ),
            (
                "DG-5.3-sharing-abroad-flagged",
                "/when/0",
                "without a jurisdiction the `not: in` beside it is already false",
            ),
        )
    },
    **{
        (ref, "DG-3.5-broad-purpose-paired", "/when/0"): (
            "without purposes the `any_in` beside it is already false"
        )
        for ref in GOVERNANCE[1:]
    },
    # A presence guard in front of an assertion that passes on an absent value (`in`, `not_in`,
    # `compare`, `duration`, `subset_of`): without the guard a node lacking the value is judged
    # and passes, so no finding can change (the clause may then read "pass" where it read
    # "not applicable", which rule cases do not judge).
    **{
        (ref, rule, where): f"an absent {what} passes the `{check}` of the assertion"
        for ref in GOVERNANCE
        for rule, where, what, check in (
            ("DG-3.2-no-sale-or-advertising", "/when/1", "purposes list", "not_in"),
            ("DG-3.2-no-resale-access", "/when/1", "access list", "not_in"),
            ("DG-5.2-primary-residency", "/when/1", "locations list", "in"),
            ("DG-5.2-backup-residency", "/when/1", "backup locations list", "in"),
            ("DG-6.1-recipient-role", "/when/0", "role", "in"),
            ("XD-2-api-categories-in-manifest", "/when/0", "x-ocp-data-categories", "subset_of"),
            ("XD-9-api-purposes-in-manifest", "/when/0", "x-ocp-purpose", "subset_of"),
        )
    },
    **{
        ("ocp-data-governance@2.0.0", rule, where): f"an absent {what} passes the `{check}` of the assertion"
        for rule, where, what, check in (
            ("DG-3.6-statutory-authority", "/when/3", "legal basis", "in"),
            ("DG-4.4-residual-risk", "/when/0", "residual risk", "compare"),
            ("DG-4.4-review-interval", "/when/0", "review interval", "duration"),
            ("DG-4.5-aggregation-threshold", "/when/0", "minimum cell count", "compare"),
        )
    },
}


@dataclass(frozen=True)
class Mutation:
    """One change to one rule: ``kind`` is ``operator``, ``past``, ``short``, ``literal``
    or ``condition``; ``where`` is the JSON Pointer of the changed part inside the rule."""

    rule: str
    kind: str
    where: str
    description: str
    raw: dict[str, Any]


def _days(text: str, delta: int) -> str | None:
    """A duration ``delta`` days longer (or shorter), or None when it has no days to take."""
    m = _DURATION.fullmatch(text)
    if m is None:
        return None
    years, months, weeks, days, time = m.groups()
    total = int(days or 0) + delta
    if total < 0:
        return None
    out = (
        "P"
        + (f"{years}Y" if years else "")
        + (f"{months}M" if months else "")
        + (f"{weeks}W" if weeks else "")
    )
    out += f"{total}D" if total or not (years or months or weeks or time) else ""
    return out + (time or "")


def _step(value: JSON, kind: str, delta: int) -> JSON | None:
    """``value`` moved by one step: a unit for numbers, a day for durations."""
    if kind == "compare" and isinstance(value, int | float) and not isinstance(value, bool):
        return value + delta
    if kind in ("duration", "plus") and isinstance(value, str):
        return _days(value, delta)
    return None


def _set(raw: dict[str, Any], path: list[str | int], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(raw)
    node: Any = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


def _pointer(path: list[str | int]) -> str:
    return "".join(f"/{p}" for p in path)


def _walk(node: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, [*path, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, [*path, index])


def _threshold_mutations(rule_id: str, raw: dict[str, Any], standard: Standard) -> Iterator[Mutation]:
    parts = {k: raw[k] for k in ("when", "assert", "for_each") if k in raw}
    for path, node in _walk(parts, []):
        if not isinstance(node, dict):
            continue
        for kind in ("compare", "duration", "date"):
            spec = node.get(kind)
            if not isinstance(spec, dict) or "op" not in spec:
                continue
            here = [*path, kind]
            op = spec["op"]
            if op in _STRICTER:
                yield Mutation(
                    rule_id,
                    "operator",
                    _pointer([*here, "op"]),
                    f"{kind} {op} → {_STRICTER[op]}",
                    _set(raw, [*here, "op"], _STRICTER[op]),
                )
            looser = 1 if op in ("<", "<=") else -1 if op in (">", ">=") else 0
            for name, step_kind in (("value", kind), ("plus", "plus")):
                if name not in spec or (kind == "date" and name == "value"):
                    continue
                operand = spec[name]
                is_param = isinstance(operand, dict) and set(operand) == {"param"}
                literal = standard.parameters[operand["param"]].default if is_param else operand
                if isinstance(operand, dict) and not is_param:
                    continue  # a path: nothing to move
                if is_param:
                    yield Mutation(
                        rule_id,
                        "literal",
                        _pointer([*here, name]),
                        f"parameter {operand['param']} replaced by its default {literal!r}",
                        _set(raw, [*here, name], literal),
                    )
                for label, delta in (("past", looser), ("short", -looser)):
                    if not delta:
                        continue
                    moved = _step(literal, step_kind, delta)
                    if moved is None:
                        continue
                    yield Mutation(
                        rule_id,
                        label,
                        _pointer([*here, name]),
                        f"{kind} {name} {literal!r} → {moved!r}" + (" (a literal)" if is_param else ""),
                        _set(raw, [*here, name], moved),
                    )
        for kind, minimum in (("min_items", True), ("max_items", False)):
            value = node.get(kind)
            if isinstance(value, int) and not isinstance(value, bool):
                for label, delta in (("past", -1 if minimum else 1), ("short", 1 if minimum else -1)):
                    if value + delta >= 0:
                        yield Mutation(
                            rule_id,
                            label,
                            _pointer([*path, kind]),
                            f"{kind} {value} → {value + delta}",
                            _set(raw, [*path, kind], value + delta),
                        )
        for kind in ("count", "count_in"):
            spec = node.get(kind)
            if not isinstance(spec, dict):
                continue
            for bound, minimum in (("min", True), ("max", False)):
                value = spec.get(bound)
                if not isinstance(value, int) or isinstance(value, bool):
                    continue
                for label, delta in (("past", -1 if minimum else 1), ("short", 1 if minimum else -1)):
                    if value + delta >= 0:
                        yield Mutation(
                            rule_id,
                            label,
                            _pointer([*path, kind, bound]),
                            f"{kind} {bound} {value} → {value + delta}",
                            _set(raw, [*path, kind, bound], value + delta),
                        )


def _condition_mutations(rule_id: str, raw: dict[str, Any]) -> Iterator[Mutation]:
    for owner in ([], ["for_each"]):
        node: Any = raw
        for part in owner:
            node = node.get(part, {})
        conditions = node.get("when") if isinstance(node, dict) else None
        if not isinstance(conditions, list):
            continue
        for index, condition in enumerate(conditions):
            out = copy.deepcopy(raw)
            target: Any = out
            for part in owner:
                target = target[part]
            del target["when"][index]
            if not target["when"]:
                del target["when"]
            shown = ", ".join(f"{k}: {v}" for k, v in condition.items())[:80]
            yield Mutation(
                rule_id,
                "condition",
                _pointer([*owner, "when", index]),
                f"when condition dropped ({shown})",
                out,
            )


def mutations(standard: Standard) -> list[Mutation]:
    """Every mutation of every rule of ``standard``, in rule-pack order."""
    out: list[Mutation] = []
    for pack in standard.rule_packs:
        data: Any = pack.document.data
        for raw in data.get("rules", []):
            out.extend(_threshold_mutations(raw["id"], raw, standard))
            out.extend(_condition_mutations(raw["id"], raw))
    return out


def mutated_standard(standard: Standard, mutation: Mutation) -> Standard:
    """``standard`` with one rule replaced, in memory (the files are never touched)."""
    packs = []
    for pack in standard.rule_packs:
        data: Any = pack.document.data
        ids = [r.get("id") for r in data.get("rules", [])]
        if mutation.rule not in ids:
            packs.append(pack)
            continue
        new_data = dict(
            data, rules=[mutation.raw if r.get("id") == mutation.rule else r for r in data["rules"]]
        )
        doc = copy.copy(pack.document)
        doc.data = new_data
        packs.append(dataclasses.replace(pack, document=doc))
    return dataclasses.replace(standard, rule_packs=tuple(packs))


def caught(catalog: Catalog, standard: Standard, mutation: Mutation) -> bool:
    """Whether the standard's cases (its bases and the changed rule's own) notice the change."""
    changed = mutated_standard(standard, mutation)
    mutated = copy.copy(catalog)
    mutated._loaded = {**catalog._loaded, standard.ref: changed}
    # The rules compiled for the real standard share the key of the changed one: set them
    # aside while the changed rules are compiled and judged, then put them back.
    key = (standard.ref, str(standard.directory), standard.trusted, current_language())
    saved = rules._COMPILED.pop(key, None)
    try:
        return not all(outcome.ok for outcome in run_cases(mutated, changed, rules={mutation.rule}))
    finally:
        rules._COMPILED.pop(key, None)
        if saved is not None:
            rules._COMPILED[key] = saved
