"""Resolve versions: which standard version judges each document, and each kind in play.

The one place versions are chosen (docs/decisions.md, "Choosing a standard version"):

1. ``--standard`` (command line or project configuration), then the profile's standards
   (``overrides``, built once per run);
2. the version the document declares, when the catalog knows it for the document's kind
   (a deprecated or withdrawn one is a finding naming its successor);
3. otherwise the default version of the kind (an unknown declared version is a finding).

Documents of a kind the run does not judge (``--standard`` narrows) are read but get no
standard. A description in an OpenAPI version the chosen standard ships no schema for is
marked with a problem (reported by the schema stage, left out by the rules). Every kind,
the hub requires (or the profile names), present or not, gets the standard that decides its
clauses, so the matrix is complete; an optional kind (the compliance report) is in play only
when present.
The multi-version runs of ``engine.check`` (several versions of one standard) are split here
too (``versions_to_compare``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ocp_check.catalog import Catalog
from ocp_check.errors import UsageError
from ocp_check.i18n import _
from ocp_check.model import DocumentKind, Finding, StandardRef
from ocp_check.stages import findings
from ocp_check.stages.context import Doc, Submission
from ocp_check.standards import Standard, split_pin, version_key

ALL_KINDS = tuple(DocumentKind)


def run(sub: Submission) -> Submission:
    found: list[Finding] = []
    used: set[StandardRef] = set(sub.used)
    docs = []
    for doc in sub.docs:
        if doc.kind is not None and doc.loaded.foreign is None and doc.loaded.error is None:
            doc = _resolve(sub, doc, found)
            if doc.standard is not None:
                used.add(doc.standard.ref)
        docs.append(doc)
    sub = sub.found(found, docs=tuple(docs))
    required = required_kinds(sub)
    kind_standard = _kind_standards(sub, required)
    used.update(s.ref for s in kind_standard.values())
    return sub.but(kind_standard=kind_standard, optional=frozenset(ALL_KINDS) - required, used=frozenset(used))


def _resolve(sub: Submission, doc: Doc, found: list[Finding]) -> Doc:
    run, detection = sub.run, doc.detection
    assert detection is not None and detection.kind is not None
    kind = detection.kind
    left_out = run.left_out(kind)
    if left_out is not None:
        return dataclasses.replace(doc, reason=left_out)
    if kind in run.overrides:
        reason = _chosen_reason(run.settings.profile.id if run.settings.profile else None, kind in run.cli_kinds)
        return _covering(dataclasses.replace(doc, standard=run.overrides[kind], reason=reason))
    declared = detection.declared
    if declared:
        entry = run.catalog.match(declared)
        if entry is not None and entry.kind == kind.value:
            standard = run.catalog.load(entry.ref)
            if standard.status in ("deprecated", "withdrawn"):
                found.append(findings.retired_version(doc.rel, detection.declared_pointer, standard))
            reason = _("declared in the document ({declared})", declared=declared)
            return _covering(dataclasses.replace(doc, standard=standard, reason=reason))
        fallback = run.catalog.newest_for_kind(kind)
        why = (
            _("governs {kind} documents, not {other}", kind=entry.kind, other=kind.value)
            if entry is not None
            else _("is not a known standard version")
        )
        found.append(findings.unknown_version(doc.rel, detection.declared_pointer, declared, why, fallback))
        if fallback is None:
            return doc
        reason = _("the default version (declared '{declared}' is unknown)", declared=declared)
        return _covering(dataclasses.replace(doc, standard=fallback, reason=reason))
    newest = run.catalog.newest_for_kind(kind)
    if newest is None:
        # Only drafts exist for this kind (the compliance report): they judge only what names them.
        found.append(findings.undeclared_draft_only(doc.rel, detection.declared_pointer, kind, run.catalog))
        return doc
    return _covering(dataclasses.replace(doc, standard=newest, reason=_("no version declared: the default version")))


def _chosen_reason(profile: str | None, named: bool) -> str:
    """Why a version the run imposes judges a document. Worded here, while judging, rather
    than once when the run is built: a bilingual report judges again in each language with
    the same run settings (docs/ARCHITECTURE.md, "Two languages")."""
    if named:
        return _("chosen with --standard")
    return _("chosen by profile {id}", id=profile) if profile else ""


def _covering(doc: Doc) -> Doc:
    """A description in a format version the chosen standard ships no schema for (OpenAPI 3.2
    under ocp-api-exchange 1.0) cannot be judged by it: judging it by another version's schema
    and rules would give wrong passes, so it is reported and left out, as an unknown version is."""
    detection, standard = doc.detection, doc.standard
    if detection is None or standard is None or detection.problem or not detection.schema_key:
        return doc
    if detection.schema_key in standard.schema_files:
        return doc
    covered = ", ".join(k for k in standard.schema_keys() if k)
    data = doc.loaded.document.data if doc.loaded.document is not None else None
    version = data.get("openapi") if isinstance(data, dict) else None
    problem = _(
        "OpenAPI {version} is not covered by {standard}, which judges OpenAPI {covered}: convert the "
        "description, or declare a version of the standard that covers it",
        version=version if isinstance(version, str) else detection.schema_key,
        standard=standard.ref,
        covered=covered,
    )
    return dataclasses.replace(
        doc, detection=dataclasses.replace(detection, problem=problem, problem_pointer="/openapi")
    )


def _kind_standards(sub: Submission, required: frozenset[DocumentKind]) -> dict[DocumentKind, Standard]:
    """The standard for each kind the hub requires, present or not, so the clause matrix is
    complete; an optional kind (the compliance report) only when present or when the profile
    requires it. With ``--each`` a document stands alone: only its own standard is in play."""
    run = sub.run
    out: dict[DocumentKind, Standard] = {}
    for kind in ALL_KINDS:
        docs = sub.by_kind.get(kind, [])
        if run.left_out(kind) is not None or (not docs and (sub.standalone or kind not in required)):
            continue
        chosen = docs[0].standard if docs and docs[0].standard else None
        if chosen is None:
            chosen = run.overrides.get(kind) or run.catalog.newest_for_kind(kind)
        if chosen is not None:
            out[kind] = chosen
    return out


def required_kinds(sub: Submission) -> frozenset[DocumentKind]:
    """The kinds whose standards are in play even when the document is absent: those the hub
    (the manifest's standard) requires, and those the profile's ``documents:`` names. A profile
    that relaxes a required kind still sees its clauses as not checked; an optional kind (the
    compliance report) is required only when the profile names it."""
    run = sub.run
    manifests = sub.by_kind.get(DocumentKind.DATA_MANIFEST, [])
    hub = manifests[0].standard if manifests and manifests[0].standard else None
    hub = (
        hub
        or run.overrides.get(DocumentKind.DATA_MANIFEST)
        or run.catalog.newest_for_kind(DocumentKind.DATA_MANIFEST)
    )
    core = hub.completeness_requires if hub is not None else ALL_KINDS[:3]
    profile = run.settings.profile
    return frozenset(core) | frozenset(profile.documents or () if profile else ())


def overrides(catalog: Catalog, named: Sequence[str], profile_standards: Sequence[str]) -> dict[DocumentKind, Standard]:
    """The versions a run imposes by kind: named ones (one per kind), then the profile's."""
    chosen: dict[DocumentKind, Standard] = {}
    for text in named:
        standard = catalog.resolve(text)
        if standard.kind in chosen and chosen[standard.kind].ref != standard.ref:
            raise UsageError(
                f"--standard names two versions for {standard.kind.value} documents: "
                f"{chosen[standard.kind].ref} and {standard.ref}"
            )
        chosen[standard.kind] = standard
    for text in profile_standards:
        standard = catalog.resolve(text)
        chosen.setdefault(standard.kind, standard)
    return chosen


def versions_to_compare(catalog: Catalog, named: Sequence[str]) -> tuple[str, list[str], tuple[str, ...]]:
    """When ``--standard`` names several versions of one standard: its id, those versions in
    order, and the other standards named; ``("", [], ())`` when it names one of each."""
    by_id: dict[str, list[str]] = {}
    for text in named:
        catalog.resolve(text)  # unknown: StandardNotFound; pinned to other content: PinMismatch
        entry = catalog.match(split_pin(text)[0])
        if entry is None:
            continue
        refs = by_id.setdefault(entry.ref.id, [])
        if str(entry.ref) not in refs:
            refs.append(str(entry.ref))
    multi = [sid for sid, refs in by_id.items() if len(refs) > 1]
    if len(multi) > 1:
        raise UsageError("several versions may be compared for one standard at a time")
    if not multi:
        return "", [], ()
    sid = multi[0]
    others = tuple(r for other, refs in by_id.items() if other != sid for r in refs)
    return sid, sorted(by_id[sid], key=lambda r: version_key(r.split("@")[1])), others
