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
from ocp_check.i18n import _, current_language, ngettext, pgettext
from ocp_check.model import Level
from ocp_check.rules import Rule, compile_standard
from ocp_check.standards import Parameter, Standard
from ocp_check.translations import Texts
from ocp_check.wording import level_word


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


def _q(value: object) -> str:
    """A quoted value inside a change summary: ``'text'`` (English, as ``repr``) or « text »."""
    if current_language() == "fr":
        return f"«\u00a0{value}\u00a0»"
    return repr(value)


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
        *_rules(rules_old, rules_new, new),
        *_parameters(old, new, params_used),
        *_vocabularies(old, new, tags_used),
        *_schemas(old, new),
        *_completeness(old, new),
    ]
    return StandardDiff(str(old.ref), str(new.ref), tuple(changes))


def _metadata(old: Standard, new: Standard) -> Iterator[Change]:
    """A change of the standard's own record. Whether it changed is decided on the authoritative
    (English) text; the title and summary are quoted in the run's language, from each version's
    translation where it has one, unless the translations read the same (the change is then in
    the English alone, and only the English shows it)."""
    tx_old, tx_new = Texts(old, current_language()), Texts(new, current_language())
    for attr in ("title", "publisher", "summary", "licence"):
        a, b = getattr(old, attr), getattr(new, attr)
        if a != b:
            if attr in ("title", "summary"):
                shown = getattr(tx_old, attr), getattr(tx_new, attr)
                if shown[0] != shown[1]:
                    a, b = shown
            yield Change(
                "metadata",
                attr,
                "changed",
                EDITORIAL,
                _(
                    "{field}: {old} → {new}",
                    field=attr,
                    old=_q(_short(str(a), 60)),
                    new=_q(_short(str(b), 60)),
                ),
            )


def _clauses(old: Standard, new: Standard) -> Iterator[Change]:
    old_c, new_c = old.clause_index, new.clause_index
    # Titles and text in the run's language (the standard's translation; English without one).
    tx_old, tx_new = Texts(old, current_language()), Texts(new, current_language())
    for cid, c in new_c.items():
        if cid not in old_c:
            values = {
                "clause": cid,
                "level": level_word(c.level),
                "title": tx_new.clause(cid, "title", c.title),
                "date": c.effective_from,
            }
            attested = c.verification == "attestation"
            if c.effective_from and attested:
                text = _("{clause} ({level}, in force from {date}, by attestation): {title}", **values)
            elif c.effective_from:
                text = _("{clause} ({level}, in force from {date}): {title}", **values)
            elif attested:
                text = _("{clause} ({level}, by attestation): {title}", **values)
            else:
                text = _("{clause} ({level}): {title}", **values)
            yield Change(
                "clause",
                cid,
                "added",
                _by_level(c.level),
                text,
                (cid,),
            )
    for cid, c in old_c.items():
        if cid not in new_c:
            yield Change(
                "clause",
                cid,
                "removed",
                BREAKING,
                _(
                    "{clause} ({level}): {title} — profiles and waivers that name it stop matching",
                    clause=cid,
                    level=level_word(c.level),
                    title=tx_old.clause(cid, "title", c.title),
                ),
                (cid,),
            )
    for cid, a in old_c.items():
        b = new_c.get(cid)
        if b is None:
            continue
        if a.level != b.level:
            levels = {"clause": cid, "old": level_word(a.level), "new": level_word(b.level)}
            if b.level.rank > a.level.rank:
                kind, cls = "level-raised", _by_level(b.level)
                text = _("{clause}: level {old} → {new} (tightened)", **levels)
            elif b.level.rank < a.level.rank:
                kind, cls = "level-lowered", ADDITIVE
                text = _("{clause}: level {old} → {new} (relaxed)", **levels)
            else:  # MUST ↔ MUST NOT: the opposite requirement
                kind, cls = "level-changed", _by_level(b.level)
                text = _("{clause}: level {old} → {new} (changed)", **levels)
            yield Change("clause", cid, kind, cls, text, (cid,))
        if a.verification != b.verification:
            yield Change(
                "clause",
                cid,
                "verification-changed",
                _by_level(b.level),
                _("{clause}: verified by {old} → {new}", clause=cid, old=a.verification, new=b.verification),
                (cid,),
            )
        if a.applies_to != b.applies_to:
            yield Change(
                "clause",
                cid,
                "scope-changed",
                _by_level(b.level),
                _("{clause}: applies to {old} → {new}", clause=cid, old=a.applies_to, new=b.applies_to),
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
                _(
                    "{clause}: in force from {old} → {new}",
                    clause=cid,
                    old=a.effective_from or _("publication"),
                    new=b.effective_from or _("publication"),
                ),
                (cid,),
            )
        if a.attestation != b.attestation and a.verification == b.verification == "attestation":
            yield Change(
                "clause",
                cid,
                "question-changed",
                EDITORIAL,
                _("{clause}: attestation question reworded", clause=cid),
                (cid,),
            )
        if a.title != b.title:
            yield Change(
                "clause",
                cid,
                "title-changed",
                EDITORIAL,
                _(
                    "{clause}: title {old} → {new}",
                    clause=cid,
                    old=_q(tx_old.clause(cid, "title", a.title)),
                    new=_q(tx_new.clause(cid, "title", b.title)),
                ),
                (cid,),
            )
        if a.text != b.text:
            yield Change(
                "clause",
                cid,
                "text-changed",
                EDITORIAL,
                _("{clause}: text now “{text}”", clause=cid, text=_short(tx_new.clause(cid, "text", b.text))),
                (cid,),
            )
        if [(s.title, s.locator) for s in a.sources] != [(s.title, s.locator) for s in b.sources]:
            yield Change(
                "clause",
                cid,
                "sources-changed",
                EDITORIAL,
                _("{clause}: sources changed", clause=cid),
                (cid,),
            )


def _rules(old: Mapping[str, Rule], new: Mapping[str, Rule], standard: Standard) -> Iterator[Change]:
    tx = Texts(standard, current_language())
    for rid, r in new.items():
        if rid not in old:
            yield Change(
                "rule",
                rid,
                "added",
                _by_level(r.level),
                _(
                    "{rule} ({clause}, {level}): {title}",
                    rule=rid,
                    clause=r.clause,
                    level=level_word(r.level),
                    title=tx.rule(rid, "title", r.title),
                ),
                (r.clause,),
            )
    for rid, r in old.items():
        if rid not in new:
            # Fewer checks cannot fail a bid; city waivers naming the rule stop matching.
            yield Change(
                "rule",
                rid,
                "removed",
                ADDITIVE,
                _("{rule} ({clause}): no longer checked", rule=rid, clause=r.clause),
                (r.clause,),
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
                ngettext(
                    "{rule}: {keys} changed",
                    "{rule}: {keys} changed",
                    len(logic),
                    rule=rid,
                    keys=", ".join(logic),
                ),
                tuple(sorted({a.clause, b.clause})),
            )
        if wording:
            yield Change(
                "rule",
                rid,
                "wording-changed",
                EDITORIAL,
                ngettext(
                    "{rule}: {keys} reworded",
                    "{rule}: {keys} reworded",
                    len(wording),
                    rule=rid,
                    keys=", ".join(wording),
                ),
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
                "parameter",
                name,
                "added",
                ADDITIVE,
                _("added {parameter} = {value}", parameter=name, value=json.dumps(pb.default)),
                clauses,
            )
            continue
        if pb is None and pa is not None:
            yield Change(
                "parameter",
                name,
                "removed",
                BREAKING,
                _("removed {parameter} (profiles that set it are refused)", parameter=name),
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
            values = {"parameter": name, "old": json.dumps(pa.default), "new": json.dumps(pb.default)}
            text = {
                "tightened": _("{parameter}: default {old} → {new} (tightened)", **values),
                "relaxed": _("{parameter}: default {old} → {new} (relaxed)", **values),
                "reordered": _("{parameter}: default {old} → {new} (reordered)", **values),
            }.get(way) or _("{parameter}: default {old} → {new}", **values)
            yield Change(
                "parameter",
                name,
                f"default-{way}",
                cls,
                text,
                clauses,
            )
        if pa.type != pb.type or pa.items != pb.items:
            yield Change(
                "parameter",
                name,
                "type-changed",
                BREAKING,
                _("{parameter}: type {old} → {new}", parameter=name, old=pa.type, new=pb.type),
                clauses,
            )
        if pa.minimum != pb.minimum:
            narrower = pb.minimum is not None and (pa.minimum is None or pb.minimum > pa.minimum)
            yield Change(
                "parameter",
                name,
                "narrowed" if narrower else "widened",
                BREAKING if narrower else ADDITIVE,
                _(
                    "{parameter}: minimum a profile may set {old} → {new}",
                    parameter=name,
                    old=pa.minimum,
                    new=pb.minimum,
                ),
                clauses,
            )
        if pa.vocabulary != pb.vocabulary or pa.terms != pb.terms:
            narrower = pb.vocabulary is not None and (pa.vocabulary is None or not pa.terms <= pb.terms)
            yield Change(
                "parameter",
                name,
                "narrowed" if narrower else "widened",
                BREAKING if narrower else ADDITIVE,
                _(
                    "{parameter}: values must be terms of {new} (was {old})",
                    parameter=name,
                    new=pb.vocabulary or _("no vocabulary"),
                    old=pa.vocabulary or _("any value"),
                ),
                clauses,
            )
        if pa.stricter != pb.stricter or pa.description != pb.description:
            yield Change(
                "parameter",
                name,
                "described",
                EDITORIAL,
                _("{parameter}: description changed", parameter=name),
                clauses,
            )


def _vocabularies(
    old: Standard, new: Standard, tags_used: dict[tuple[str, str], set[tuple[str, Level]]]
) -> Iterator[Change]:
    for vid in sorted(set(old.vocabularies) | set(new.vocabularies)):
        va, vb = old.vocabularies.get(vid), new.vocabularies.get(vid)
        if va is None and vb is not None:
            yield Change(
                "vocabulary",
                vid,
                "added",
                ADDITIVE,
                _("added vocabulary {vocabulary} ({version})", vocabulary=vid, version=vb.version),
            )
            continue
        if vb is None and va is not None:
            yield Change(
                "vocabulary",
                vid,
                "removed",
                BREAKING,
                _("removed vocabulary {vocabulary}: its terms are no longer accepted", vocabulary=vid),
            )
            continue
        assert va is not None and vb is not None
        if va.version != vb.version:
            yield Change(
                "vocabulary",
                vid,
                "version-changed",
                EDITORIAL,
                _("{vocabulary}: version {old} → {new}", vocabulary=vid, old=va.version, new=vb.version),
            )
        for term in sorted(set(vb.terms) - set(va.terms)):
            yield Change(
                "term",
                f"{vid}/{term}",
                "added",
                ADDITIVE,
                _("{vocabulary}: added {term}", vocabulary=vid, term=term),
            )
        for term in sorted(set(va.terms) - set(vb.terms)):
            yield Change(
                "term",
                f"{vid}/{term}",
                "removed",
                BREAKING,
                _("{vocabulary}: removed {term} (no longer accepted)", vocabulary=vid, term=term),
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
                    (
                        _("{vocabulary}: {term} now tagged {tag}", vocabulary=vid, term=term, tag=tag)
                        if tag in tb.tags
                        else _(
                            "{vocabulary}: {term} no longer tagged {tag}", vocabulary=vid, term=term, tag=tag
                        )
                    ),
                    tuple(sorted({c for c, _ in users})),
                )
            if ta.deprecated != tb.deprecated or ta.replaced_by != tb.replaced_by:
                yield Change(
                    "term",
                    f"{vid}/{term}",
                    "deprecated",
                    ADDITIVE,
                    (
                        _(
                            "{vocabulary}: {term} deprecated in favour of {replacement}",
                            vocabulary=vid,
                            term=term,
                            replacement=tb.replaced_by,
                        )
                        if tb.replaced_by
                        else _("{vocabulary}: {term} deprecated", vocabulary=vid, term=term)
                    ),
                )
            if ta.label != tb.label:
                yield Change(
                    "term",
                    f"{vid}/{term}",
                    "label-changed",
                    EDITORIAL,
                    _(
                        "{vocabulary}: {term} relabelled {label}",
                        vocabulary=vid,
                        term=term,
                        label=_q(tb.label),
                    ),
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


def _schema_how(words: str) -> str:
    """How a schema changed (``values added``), in the run's language."""
    known = {
        "added": pgettext("schema change", "added"),
        "removed": pgettext("schema change", "removed"),
        "property added": pgettext("schema change", "property added"),
        "property removed": pgettext("schema change", "property removed"),
        "values added": pgettext("schema change", "values added"),
        "values removed": pgettext("schema change", "values removed"),
        "changed": pgettext("schema change", "changed"),
    }
    return known.get(words, words)


def _schemas(old: Standard, new: Standard) -> Iterator[Change]:
    for key in sorted(set(old.schemas) | set(new.schemas)):
        a, b = old.schemas.get(key), new.schemas.get(key)
        label = f"schema {key}".strip() if key else "schema"
        shown = _("schema {name}", name=key) if key else pgettext("document", "schema")
        if a is None or b is None:
            yield Change(
                "schema",
                label,
                "added" if a is None else "removed",
                ADDITIVE if a is None else BREAKING,
                (_("{schema} added", schema=shown) if a is None else _("{schema} removed", schema=shown)),
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
                _(
                    "{schema} {pointer}: {how}",
                    schema=shown,
                    pointer=pointer,
                    how=_schema_how(how.replace("-", " ")),
                ),
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
            _(
                "a submission may also hold: {kinds} (was {old})",
                kinds=", ".join(sorted(k.value for k in opt_b)) or _("no optional documents"),
                old=", ".join(sorted(k.value for k in opt_a)) or pgettext("no documents", "none"),
            ),
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
        _(
            "a submission must hold: {kinds} (was {old})",
            kinds=", ".join(sorted(k.value for k in b)) or _("any documents"),
            old=", ".join(sorted(k.value for k in a)) or _("any documents"),
        ),
        tuple(c for c in (new.completeness_clause,) if c),
    )


# --------------------------------------------------------------------------- version numbers


# --------------------------------------------------------------------------- rendering
