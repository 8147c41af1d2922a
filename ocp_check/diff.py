"""``ocp-check standards diff``: what changed between two versions of a standard.

Vendors plan against the next version; editors review what they changed. The diff is over
the standards' data, not their files: clauses (added, removed, changed in title, text, level,
verification or effective date), parameters (defaults, types), vocabularies (terms added or
removed) and rules (added, removed, changed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ocp_check.rules import compile_standard
from ocp_check.standards import Standard


@dataclass
class StandardDiff:
    old: str
    new: str
    clauses_added: list[str] = field(default_factory=list)
    clauses_removed: list[str] = field(default_factory=list)
    clauses_changed: list[str] = field(default_factory=list)
    parameters: list[str] = field(default_factory=list)
    vocabularies: list[str] = field(default_factory=list)
    rules_added: list[str] = field(default_factory=list)
    rules_removed: list[str] = field(default_factory=list)
    rules_changed: list[str] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not any(
            (
                self.clauses_added,
                self.clauses_removed,
                self.clauses_changed,
                self.parameters,
                self.vocabularies,
                self.rules_added,
                self.rules_removed,
                self.rules_changed,
                self.metadata,
            )
        )

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__.items())


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diff_standards(old: Standard, new: Standard) -> StandardDiff:
    out = StandardDiff(str(old.ref), str(new.ref))
    for attr in ("title", "status", "licence", "publisher"):
        a, b = getattr(old, attr), getattr(new, attr)
        if a != b:
            out.metadata.append(f"{attr}: {a!r} → {b!r}")

    old_c, new_c = old.clause_index, new.clause_index
    for cid in new_c:
        if cid not in old_c:
            c = new_c[cid]
            when = f", in force from {c.effective_from}" if c.effective_from else ""
            out.clauses_added.append(f"{cid} ({c.level.value}{when}): {c.title}")
    for cid in old_c:
        if cid not in new_c:
            out.clauses_removed.append(f"{cid} ({old_c[cid].level.value}): {old_c[cid].title}")
    for cid in old_c:
        if cid not in new_c:
            continue
        a, b = old_c[cid], new_c[cid]
        changes = []
        if a.level != b.level:
            direction = (
                "tightened"
                if b.level.rank > a.level.rank
                else "relaxed"
                if b.level.rank < a.level.rank
                else "changed"
            )
            changes.append(f"level {a.level.value} → {b.level.value} ({direction})")
        if a.title != b.title:
            changes.append(f"title {a.title!r} → {b.title!r}")
        if a.text != b.text:
            changes.append(f"text changed: now “{_short(b.text)}”")
        if a.verification != b.verification:
            changes.append(f"verification {a.verification} → {b.verification}")
        if a.effective_from != b.effective_from:
            changes.append(
                f"effective from {a.effective_from or 'publication'} → {b.effective_from or 'publication'}"
            )
        if [s.title for s in a.sources] != [s.title for s in b.sources]:
            changes.append("sources changed")
        if changes:
            out.clauses_changed.append(f"{cid}: " + "; ".join(changes))

    for name in sorted(set(old.parameters) | set(new.parameters)):
        pa, pb = old.parameters.get(name), new.parameters.get(name)
        if pa is None and pb is not None:
            out.parameters.append(f"added {name} = {json.dumps(pb.default)}")
        elif pb is None and pa is not None:
            out.parameters.append(f"removed {name}")
        elif pa is not None and pb is not None:
            if pa.default != pb.default:
                out.parameters.append(f"{name}: default {json.dumps(pa.default)} → {json.dumps(pb.default)}")
            if pa.type != pb.type:
                out.parameters.append(f"{name}: type {pa.type} → {pb.type}")

    for vid in sorted(set(old.vocabularies) | set(new.vocabularies)):
        va, vb = old.vocabularies.get(vid), new.vocabularies.get(vid)
        if va is None:
            out.vocabularies.append(f"added vocabulary {vid} ({vb.version if vb else ''})")
            continue
        if vb is None:
            out.vocabularies.append(f"removed vocabulary {vid}")
            continue
        added = sorted(set(vb.terms) - set(va.terms))
        removed = sorted(set(va.terms) - set(vb.terms))
        version = f" (version {va.version} → {vb.version})" if va.version != vb.version else ""
        if added or removed or version:
            parts = []
            if added:
                parts.append("added " + ", ".join(added))
            if removed:
                parts.append("removed " + ", ".join(removed))
            out.vocabularies.append(f"{vid}{version}: " + ("; ".join(parts) or "metadata changed"))

    ra = {r.id: r for r in compile_standard(old).rules}
    rb = {r.id: r for r in compile_standard(new).rules}
    out.rules_added = [f"{rid} ({rb[rid].clause}, {rb[rid].level.value})" for rid in rb if rid not in ra]
    out.rules_removed = [f"{rid} ({ra[rid].clause})" for rid in ra if rid not in rb]
    for rid in ra:
        if rid in rb:
            a_raw, b_raw = dict(ra[rid].raw), dict(rb[rid].raw)
            level_change = ra[rid].level != rb[rid].level
            if a_raw != b_raw or level_change:
                keys = sorted(k for k in set(a_raw) | set(b_raw) if a_raw.get(k) != b_raw.get(k))
                if level_change:
                    keys.append(f"level {ra[rid].level.value} → {rb[rid].level.value}")
                out.rules_changed.append(f"{rid}: " + ", ".join(keys))
    return out


def render_diff(d: StandardDiff) -> str:
    lines = [f"{d.old} → {d.new}"]
    sections = [
        ("Metadata", d.metadata),
        ("Clauses added", d.clauses_added),
        ("Clauses removed", d.clauses_removed),
        ("Clauses changed", d.clauses_changed),
        ("Parameters", d.parameters),
        ("Vocabularies", d.vocabularies),
        ("Rules added", d.rules_added),
        ("Rules removed", d.rules_removed),
        ("Rules changed", d.rules_changed),
    ]
    for title, items in sections:
        if items:
            lines.append(f"\n{title} ({len(items)}):")
            lines.extend(f"  - {item}" for item in items)
    if d.empty():
        lines.append("\nNo differences.")
    return "\n".join(lines) + "\n"
