"""Placeholder echoes: what a ``TODO`` placeholder explains is not reported again.

A value still written as a placeholder is reported once, as ``incomplete``: the findings
about that value, or about a value that holds it (a rule judging a list of categories one of
which is still "TODO: …"), would only repeat it, and go once it is filled in. The engine's
own findings are folded only at or below a placeholder. A placeholder in an attestation
answer (``attestations.DG-6.4.answer: "TODO: yes or no"``) belongs to the clause it answers:
that clause fails for it, and no second finding ("not answered yes or no") repeats it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from ocp_check.model import Finding
from ocp_check.stages.context import Submission
from ocp_check.stages.placeholders import at_or_below
from ocp_check.standards import Standard

#: Findings of the engine itself: their place is the problem (a broken $ref, a schema error
#: the lenient validation kept), never a container that merely holds a placeholder.
ENGINE_RULES = frozenset(
    {"load", "schema", "detect", "version", "submission", "ref", "scan", "budget", "waivers", "foreign", "unjudged"}
)


def run(sub: Submission) -> Submission:
    manifest = sub.manifest.rel if sub.manifest is not None else None
    standards = list(sub.kind_standard.values())
    return sub.with_states(
        _without_echoes(_owned_by_clauses(sub.findings, manifest, standards), sub.placeholders),
        _without_echoes(_owned_by_clauses(sub.folded, manifest, standards), sub.placeholders),
    )


def _holds(pointer: str, spots: Sequence[str]) -> bool:
    """Whether a value other than the whole document holds a placeholder."""
    return bool(pointer) and any(p.startswith(pointer + "/") for p in spots)


def _without_echoes(findings: Sequence[Finding], placeholders: Mapping[str, tuple[str, ...]]) -> list[Finding]:
    if not placeholders:
        return list(findings)
    out = []
    for f in findings:
        if f.rule != "incomplete":
            spots = placeholders.get(f.location.file, ())
            pointer = f.location.pointer
            if at_or_below(pointer, spots) or (f.rule not in ENGINE_RULES and _holds(pointer, spots)):
                continue
        out.append(f)
    return out


def _owned_by_clauses(findings: Sequence[Finding], manifest: str | None, standards: list[Standard]) -> list[Finding]:
    """Placeholders in attestation answers, given to the clause they answer."""
    if manifest is None:
        return list(findings)
    owners = {
        clause.id: standard
        for standard in standards
        for clause in standard.clauses
        if clause.verification == "attestation"
    }
    out = []
    for f in findings:
        parts = f.location.pointer.split("/")
        if f.rule == "incomplete" and f.location.file == manifest and len(parts) > 2 and parts[1] == "attestations":
            owner = owners.get(parts[2].replace("~1", "/").replace("~0", "~"))
            if owner is not None:
                clause = owner.clause_index[parts[2].replace("~1", "/").replace("~0", "~")]
                f = dataclasses.replace(f, clause=clause.id, standard=owner.ref)
        out.append(f)
    return out
