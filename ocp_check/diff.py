"""The structured difference between two versions of a standard, classed by its effect on bids.

Vendors plan against the next version, editors review what they changed, cities decide
whether to move, and the version number has to say which of those changes can break a bid
that conformed before. The diff is over the standards' data, not their files: clauses, rules,
parameters, vocabulary terms, the document schema, submission completeness and metadata.

Every change is a value (``Change``) with its kind and its class
(``docs/standards-governance.md``, "Versioning rules"):

- **breaking** — a submission that conformed to the old version, or a city profile that was
  valid for it, may not under the new one: a new MUST clause, a level raised to MUST, a new or
  changed check under a MUST clause, a removed accepted value, a tightened threshold, a
  narrower parameter, a removed clause or parameter.
- **additive** — everything that conformed still conforms, and more is possible or more is
  said: a new SHOULD or MAY clause, checks under SHOULD/MAY clauses (warnings, not
  failures), new accepted values, a relaxed threshold, a clause in force later.
- **editorial** — no finding of any submission changes: wording, titles, sources, messages,
  fixes, labels, vocabulary versions.

The class is computed from the data and is a floor: a change of a clause's text is editorial
here because the tool cannot read meaning, and the editors may number it as more than that,
never less. ``standards diff`` renders the diff (``render/diff.py``: text, Markdown for a
comment thread; JSON from ``to_dict``); the engine's multi-version delta reads the kinds; the
self-check compares the class with the version number (``versioning.py``).

One job, in one module although it is a little over 600 lines: each part of a standard
(clauses, rules, parameters, vocabularies, schemas, completeness) is compared by the same
classing rules, and keeping them side by side is how they stay consistent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ocp_check.errors import UsageError
from ocp_check.i18n import _
from ocp_check.model import Level
from ocp_check.rules import Rule, compile_standard
from ocp_check.standards import Parameter, Standard


class ChangeClass(str, Enum):
    BREAKING = "breaking"
    ADDITIVE = "additive"
    EDITORIAL = "editorial"

    @property
    def rank(self) -> int:
        return {"editorial": 0, "additive": 1, "breaking": 2}[self.value]


BREAKING, ADDITIVE, EDITORIAL = ChangeClass.BREAKING, ChangeClass.ADDITIVE, ChangeClass.EDITORIAL

# Rule keys that only change what a finding says, never whether there is one.
_RULE_WORDING = frozenset({"title", "message", "fix", "rationale", "help", "not_applicable", "examples"})
# JSON Schema keywords that annotate and never validate.
_SCHEMA_ANNOTATIONS = frozenset(
    {"$id", "title", "description", "examples", "$comment", "default", "deprecated"}
)



@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two versions.

    ``subject`` is what changed (``clause``, ``rule``, ``parameter``, ``vocabulary``, ``term``,
    ``schema``, ``completeness``, ``metadata``), ``id`` names it, ``kind`` says how (``added``,
    ``removed``, ``level-raised``, ``default-tightened`` …), ``clauses`` are the clauses whose
    findings it can change.
    """

    subject: str
    id: str
    kind: str
    change_class: ChangeClass
    summary: str
    clauses: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "id": self.id,
            "kind": self.kind,
            "class": self.change_class.value,
            "summary": self.summary,
            "clauses": list(self.clauses),
        }


@dataclass(frozen=True)
class StandardDiff:
    old: str
    new: str
    changes: tuple[Change, ...]

    def empty(self) -> bool:
        return not self.changes

    @property
    def change_class(self) -> ChangeClass | None:
        """The strongest class of any change; None when nothing changed."""
        if not self.changes:
            return None
        return max((c.change_class for c in self.changes), key=lambda c: c.rank)

    def counts(self) -> dict[str, int]:
        out = {c.value: 0 for c in ChangeClass}
        for change in self.changes:
            out[change.change_class.value] += 1
        return out

    def of(self, subject: str, *kinds: str) -> list[Change]:
        return [c for c in self.changes if c.subject == subject and (not kinds or c.kind in kinds)]

    def clauses_added(self) -> set[str]:
        return {c.id for c in self.of("clause", "added")}

    def clauses_tightened(self) -> set[str]:
        """Clauses whose findings a breaking change can add (new clauses aside)."""
        added = self.clauses_added()
        return {cid for c in self.changes if c.change_class is BREAKING for cid in c.clauses} - added

    def to_dict(self) -> dict[str, Any]:
        strongest = self.change_class
        return {
            "old": self.old,
            "new": self.new,
            "class": strongest.value if strongest else None,
            "counts": self.counts(),
            "changes": [c.to_dict() for c in self.changes],
        }


# --------------------------------------------------------------------------- computing


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strict(level: Level) -> bool:
    return level in (Level.MUST, Level.MUST_NOT)


def _by_level(level: Level) -> ChangeClass:
    """A new or changed check fails bids only under MUST / MUST NOT; elsewhere it warns."""
    return BREAKING if _strict(level) else ADDITIVE


def diff_standards(old: Standard, new: Standard) -> StandardDiff:
    """Every change from ``old`` to ``new`` (two versions of one standard), classed."""
    if old.ref.id != new.ref.id:
        raise UsageError(
            _(
                "{old} and {new} are different standards; a diff compares two versions of one standard",
                old=old.ref,
                new=new.ref,
            ),
            hint=_("e.g. {command}", command=f"ocp-check standards diff {old.ref} {old.ref.id}@VERSION"),
        )
    rules_old = {r.id: r for r in compile_standard(old).rules}
    rules_new = {r.id: r for r in compile_standard(new).rules}
    params_used = _parameter_clauses(rules_new.values()) | _parameter_clauses(rules_old.values())
    tags_used = _tag_levels([*rules_old.values(), *rules_new.values()])
    changes = [
        *_metadata(old, new),
        *_clauses(old, new),
        *_rules(rules_old, rules_new),
        *_parameters(old, new, params_used),
        *_vocabularies(old, new, tags_used),
        *_schemas(old, new),
        *_completeness(old, new),
    ]
    return StandardDiff(str(old.ref), str(new.ref), tuple(changes))


def _metadata(old: Standard, new: Standard) -> Iterator[Change]:
    for attr in ("title", "publisher", "summary", "licence"):
        a, b = getattr(old, attr), getattr(new, attr)
        if a != b:
            yield Change(
                "metadata",
                attr,
                "changed",
                EDITORIAL,
                f"{attr}: {_short(str(a), 60)!r} → {_short(str(b), 60)!r}",
            )


def _clauses(old: Standard, new: Standard) -> Iterator[Change]:
    old_c, new_c = old.clause_index, new.clause_index
    for cid, c in new_c.items():
        if cid not in old_c:
            when = f", in force from {c.effective_from}" if c.effective_from else ""
            how = ", by attestation" if c.verification == "attestation" else ""
            yield Change(
                "clause",
                cid,
                "added",
                _by_level(c.level),
                f"{cid} ({c.level.value}{when}{how}): {c.title}",
                (cid,),
            )
    for cid, c in old_c.items():
        if cid not in new_c:
            yield Change(
                "clause",
                cid,
                "removed",
                BREAKING,
                f"{cid} ({c.level.value}): {c.title} — profiles and waivers that name it stop matching",
                (cid,),
            )
    for cid, a in old_c.items():
        b = new_c.get(cid)
        if b is None:
            continue
        if a.level != b.level:
            if b.level.rank > a.level.rank:
                kind, cls, word = "level-raised", _by_level(b.level), "tightened"
            elif b.level.rank < a.level.rank:
                kind, cls, word = "level-lowered", ADDITIVE, "relaxed"
            else:  # MUST ↔ MUST NOT: the opposite requirement
                kind, cls, word = "level-changed", _by_level(b.level), "changed"
            yield Change(
                "clause", cid, kind, cls, f"{cid}: level {a.level.value} → {b.level.value} ({word})", (cid,)
            )
        if a.verification != b.verification:
            yield Change(
                "clause",
                cid,
                "verification-changed",
                _by_level(b.level),
                f"{cid}: verified by {a.verification} → {b.verification}",
                (cid,),
            )
        if a.applies_to != b.applies_to:
            yield Change(
                "clause",
                cid,
                "scope-changed",
                _by_level(b.level),
                f"{cid}: applies to {a.applies_to} → {b.applies_to}",
                (cid,),
            )
        if a.effective_from != b.effective_from:
            later = b.effective_from is not None and (
                a.effective_from is None or b.effective_from > a.effective_from
            )
            yield Change(
                "clause",
                cid,
                "in-force-later" if later else "in-force-earlier",
                ADDITIVE if later else _by_level(b.level),
                f"{cid}: in force from {a.effective_from or 'publication'} → {b.effective_from or 'publication'}",
                (cid,),
            )
        if a.attestation != b.attestation and a.verification == b.verification == "attestation":
            yield Change(
                "clause", cid, "question-changed", EDITORIAL, f"{cid}: attestation question reworded", (cid,)
            )
        if a.title != b.title:
            yield Change(
                "clause", cid, "title-changed", EDITORIAL, f"{cid}: title {a.title!r} → {b.title!r}", (cid,)
            )
        if a.text != b.text:
            yield Change(
                "clause", cid, "text-changed", EDITORIAL, f"{cid}: text now “{_short(b.text)}”", (cid,)
            )
        if [(s.title, s.locator) for s in a.sources] != [(s.title, s.locator) for s in b.sources]:
            yield Change("clause", cid, "sources-changed", EDITORIAL, f"{cid}: sources changed", (cid,))


def _rules(old: Mapping[str, Rule], new: Mapping[str, Rule]) -> Iterator[Change]:
    for rid, r in new.items():
        if rid not in old:
            yield Change(
                "rule",
                rid,
                "added",
                _by_level(r.level),
                f"{rid} ({r.clause}, {r.level.value}): {r.title}",
                (r.clause,),
            )
    for rid, r in old.items():
        if rid not in new:
            # Fewer checks cannot fail a bid; city waivers naming the rule stop matching.
            yield Change(
                "rule", rid, "removed", ADDITIVE, f"{rid} ({r.clause}): no longer checked", (r.clause,)
            )
    for rid, a in old.items():
        b = new.get(rid)
        if b is None:
            continue
        a_raw, b_raw = dict(a.raw), dict(b.raw)
        keys = sorted(k for k in set(a_raw) | set(b_raw) if a_raw.get(k) != b_raw.get(k))
        logic = [k for k in keys if k not in _RULE_WORDING]
        wording = [k for k in keys if k in _RULE_WORDING]
        if logic:
            yield Change(
                "rule",
                rid,
                "check-changed",
                _by_level(b.level),
                f"{rid}: {', '.join(logic)} changed",
                tuple(sorted({a.clause, b.clause})),
            )
        if wording:
            yield Change(
                "rule",
                rid,
                "wording-changed",
                EDITORIAL,
                f"{rid}: {', '.join(wording)} reworded",
                (b.clause,),
            )
        if a.level != b.level and a.clause == b.clause and not logic:
            # The level follows the clause; its change is reported there.
            continue


def _walk(node: Any) -> Iterator[Mapping[str, Any]]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Mapping):
            yield current
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _parameter_clauses(rules: Any) -> dict[str, set[tuple[str, Level]]]:
    """Parameter name → the (clause, level) of every rule that reads it (``{param: name}``)."""
    out: dict[str, set[tuple[str, Level]]] = {}
    for rule in rules:
        for node in _walk(dict(rule.raw)):
            name = node.get("param")
            if isinstance(name, str):
                out.setdefault(name, set()).add((rule.clause, rule.level))
    return out


def _tag_levels(rules: list[Rule]) -> dict[tuple[str, str], set[tuple[str, Level]]]:
    """(vocabulary, tag) → the (clause, level) of every rule that selects terms by that tag."""
    out: dict[tuple[str, str], set[tuple[str, Level]]] = {}
    for rule in rules:
        for node in _walk(dict(rule.raw)):
            vocab, tags = node.get("vocabulary"), node.get("tags")
            if isinstance(vocab, str) and isinstance(tags, list):
                for tag in tags:
                    out.setdefault((vocab, str(tag)), set()).add((rule.clause, rule.level))
    return out


def _users_class(users: set[tuple[str, Level]]) -> ChangeClass:
    if any(_strict(level) for _, level in users):
        return BREAKING
    return ADDITIVE if users else EDITORIAL


def _direction(param: Parameter, a: Any, b: Any) -> str:
    """``tightened``, ``relaxed`` or ``changed`` for a default that moved, from the parameter's
    declared ``stricter`` direction (without it the direction is unknown: ``changed``)."""
    stricter = param.stricter
    if (
        stricter in ("lower", "higher")
        and param.type == "duration"
        and isinstance(a, str)
        and isinstance(b, str)
    ):
        from ocp_check import durations

        try:
            da, db = durations.parse_duration(a), durations.parse_duration(b)
        except durations.DurationError:
            return "changed"
        # Tightened only when it holds from every start date (P1M vs P30D is neither).
        if durations.lt(db, da):
            return "tightened" if stricter == "lower" else "relaxed"
        if durations.gt(db, da):
            return "relaxed" if stricter == "lower" else "tightened"
        return "changed"
    if stricter in ("lower", "higher") and isinstance(a, int | float) and isinstance(b, int | float):
        if a == b:
            return "changed"
        tighter = b < a if stricter == "lower" else b > a
        return "tightened" if tighter else "relaxed"
    if stricter in ("fewer", "more") and isinstance(a, list) and isinstance(b, list):
        sa, sb = {json.dumps(x) for x in a}, {json.dumps(x) for x in b}
        if sa == sb:
            return "reordered"
        if sb <= sa:
            return "tightened" if stricter == "fewer" else "relaxed"
        if sa <= sb:
            return "relaxed" if stricter == "fewer" else "tightened"
    return "changed"


def _parameters(old: Standard, new: Standard, used: dict[str, set[tuple[str, Level]]]) -> Iterator[Change]:
    for name in sorted(set(old.parameters) | set(new.parameters)):
        pa, pb = old.parameters.get(name), new.parameters.get(name)
        clauses = tuple(sorted({c for c, _ in used.get(name, set())}))
        if pa is None and pb is not None:
            yield Change(
                "parameter", name, "added", ADDITIVE, f"added {name} = {json.dumps(pb.default)}", clauses
            )
            continue
        if pb is None and pa is not None:
            yield Change(
                "parameter",
                name,
                "removed",
                BREAKING,
                f"removed {name} (profiles that set it are refused)",
                clauses,
            )
            continue
        assert pa is not None and pb is not None
        if pa.default != pb.default:
            way = _direction(pb, pa.default, pb.default)
            cls = {
                "tightened": _users_class(used.get(name, set())),
                "relaxed": ADDITIVE,
                "reordered": EDITORIAL,
            }.get(way, _users_class(used.get(name, set())))
            word = f" ({way})" if way != "changed" else ""
            yield Change(
                "parameter",
                name,
                f"default-{way}",
                cls,
                f"{name}: default {json.dumps(pa.default)} → {json.dumps(pb.default)}{word}",
                clauses,
            )
        if pa.type != pb.type or pa.items != pb.items:
            yield Change(
                "parameter", name, "type-changed", BREAKING, f"{name}: type {pa.type} → {pb.type}", clauses
            )
        if pa.minimum != pb.minimum:
            narrower = pb.minimum is not None and (pa.minimum is None or pb.minimum > pa.minimum)
            yield Change(
                "parameter",
                name,
                "narrowed" if narrower else "widened",
                BREAKING if narrower else ADDITIVE,
                f"{name}: minimum a profile may set {pa.minimum} → {pb.minimum}",
                clauses,
            )
        if pa.vocabulary != pb.vocabulary or pa.terms != pb.terms:
            narrower = pb.vocabulary is not None and (pa.vocabulary is None or not pa.terms <= pb.terms)
            yield Change(
                "parameter",
                name,
                "narrowed" if narrower else "widened",
                BREAKING if narrower else ADDITIVE,
                f"{name}: values must be terms of {pb.vocabulary or 'no vocabulary'} (was {pa.vocabulary or 'any value'})",
                clauses,
            )
        if pa.stricter != pb.stricter or pa.description != pb.description:
            yield Change("parameter", name, "described", EDITORIAL, f"{name}: description changed", clauses)


def _vocabularies(
    old: Standard, new: Standard, tags_used: dict[tuple[str, str], set[tuple[str, Level]]]
) -> Iterator[Change]:
    for vid in sorted(set(old.vocabularies) | set(new.vocabularies)):
        va, vb = old.vocabularies.get(vid), new.vocabularies.get(vid)
        if va is None and vb is not None:
            yield Change("vocabulary", vid, "added", ADDITIVE, f"added vocabulary {vid} ({vb.version})")
            continue
        if vb is None and va is not None:
            yield Change(
                "vocabulary",
                vid,
                "removed",
                BREAKING,
                f"removed vocabulary {vid}: its terms are no longer accepted",
            )
            continue
        assert va is not None and vb is not None
        if va.version != vb.version:
            yield Change(
                "vocabulary", vid, "version-changed", EDITORIAL, f"{vid}: version {va.version} → {vb.version}"
            )
        for term in sorted(set(vb.terms) - set(va.terms)):
            yield Change("term", f"{vid}/{term}", "added", ADDITIVE, f"{vid}: added {term}")
        for term in sorted(set(va.terms) - set(vb.terms)):
            yield Change(
                "term", f"{vid}/{term}", "removed", BREAKING, f"{vid}: removed {term} (no longer accepted)"
            )
        for term in sorted(set(va.terms) & set(vb.terms)):
            ta, tb = va.terms[term], vb.terms[term]
            for tag in sorted(ta.tags ^ tb.tags):
                users = tags_used.get((vid, tag), set())
                way = "tag-added" if tag in tb.tags else "tag-removed"
                yield Change(
                    "term",
                    f"{vid}/{term}",
                    way,
                    _users_class(users),
                    f"{vid}: {term} {'now' if tag in tb.tags else 'no longer'} tagged {tag}",
                    tuple(sorted({c for c, _ in users})),
                )
            if ta.deprecated != tb.deprecated or ta.replaced_by != tb.replaced_by:
                yield Change(
                    "term",
                    f"{vid}/{term}",
                    "deprecated",
                    ADDITIVE,
                    f"{vid}: {term} deprecated"
                    + (f" in favour of {tb.replaced_by}" if tb.replaced_by else ""),
                )
            if ta.label != tb.label:
                yield Change(
                    "term",
                    f"{vid}/{term}",
                    "label-changed",
                    EDITORIAL,
                    f"{vid}: {term} relabelled {tb.label!r}",
                )


def _schema_paths(a: Any, b: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, how) for every validating difference between two schemas."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key in _SCHEMA_ANNOTATIONS:
                continue
            here = f"{path}/{key}"
            if key not in a:
                yield here, "property-added" if path.endswith("/properties") else "added"
            elif key not in b:
                yield here, "property-removed" if path.endswith("/properties") else "removed"
            else:
                yield from _schema_paths(a[key], b[key], here)
    elif isinstance(a, list) and isinstance(b, list) and path.endswith(("/required", "/enum")):
        sa, sb = {json.dumps(x) for x in a}, {json.dumps(x) for x in b}
        if sb - sa:
            yield path, "values-added"
        if sa - sb:
            yield path, "values-removed"
    elif a != b:
        yield path, "changed"


def _schemas(old: Standard, new: Standard) -> Iterator[Change]:
    for key in sorted(set(old.schemas) | set(new.schemas)):
        a, b = old.schemas.get(key), new.schemas.get(key)
        label = f"schema {key}".strip() if key else "schema"
        if a is None or b is None:
            yield Change(
                "schema",
                label,
                "added" if a is None else "removed",
                ADDITIVE if a is None else BREAKING,
                f"{label} {'added' if a is None else 'removed'}",
            )
            continue
        for pointer, how in _schema_paths(a, b):
            # A new optional property, a field no longer required, a new enum value: what
            # validated still validates. Anything else may reject a document that passed.
            additive = (
                how == "property-added"
                or (how == "values-added" and pointer.endswith("/enum"))
                or (how == "values-removed" and pointer.endswith("/required"))
            )
            yield Change(
                "schema",
                f"{label}#{pointer}",
                how,
                ADDITIVE if additive else BREAKING,
                f"{label} {pointer}: {how.replace('-', ' ')}",
                (new.schema_clause,),
            )


def _completeness(old: Standard, new: Standard) -> Iterator[Change]:
    a, b = set(old.completeness_requires), set(new.completeness_requires)
    opt_a, opt_b = set(old.completeness_optional), set(new.completeness_optional)
    if opt_a != opt_b:
        # A kind a submission may now hold (checked only when present) takes nothing away.
        yield Change(
            "completeness",
            f"{new.completeness_clause or 'completeness'}-optional",
            "documents-optional",
            ADDITIVE if opt_b >= opt_a else BREAKING,
            "a submission may also hold: "
            + (", ".join(sorted(k.value for k in opt_b)) or "no optional documents")
            + f" (was {', '.join(sorted(k.value for k in opt_a)) or 'none'})",
            tuple(c for c in (new.completeness_clause,) if c),
        )
    if a == b and old.completeness_clause == new.completeness_clause:
        return
    more = bool(b - a)
    yield Change(
        "completeness",
        new.completeness_clause or old.completeness_clause or "completeness",
        "documents-required" if more else "documents-relaxed",
        BREAKING if more else ADDITIVE,
        "a submission must hold: "
        + (", ".join(sorted(k.value for k in b)) or "any documents")
        + f" (was {', '.join(sorted(k.value for k in a)) or 'any documents'})",
        tuple(c for c in (new.completeness_clause,) if c),
    )


# --------------------------------------------------------------------------- version numbers






# --------------------------------------------------------------------------- rendering










