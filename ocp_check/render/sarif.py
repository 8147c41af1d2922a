"""SARIF 2.1.0: the report for code-scanning tools (GitHub code scanning, IDE viewers).

One run, one result per finding. The choices below are the ones SARIF leaves open; each is
made so that an active finding can never look suppressed and a result can be tracked from run
to run.

Rules. A rule descriptor is one (standard version, clause, rule) triple, with the id
``<standard>@<version>/<clause>/<rule>`` (or just ``<rule>`` for the engine's own ids that
have no clause, such as ``load``). The engine's ids (``schema``, ``attestation``,
``submission``) are shared by many clauses, and a clause's level and documentation differ
between standard versions, so a bare rule id could not carry one ``helpUri`` and one set of
``properties``. Moving to a new standard version therefore gives new rule ids, which is what
it is: a new set of requirements.

Locations. ``artifactLocation.uri`` is relative to the submission root and percent-encoded
(spaces, ``#``, ``%``, ``:`` and anything outside the URI alphabet), so a vendor's file name
can neither be misread as a fragment or scheme nor disclose the machine's folders
(RELIABILITY.md D6, D9). Each distinct submission root gets a ``uriBaseId``
(``SUBMISSION_<root as letters and digits>``) described in ``originalUriBaseIds``: a relative
root is given relative to ``%SRCROOT%``, the working directory of the run, which is left
undefined (only described) because its absolute path is the user's business; an absolute root
is given as its ``file:`` URI because the user typed it. Submission-level findings (a missing
document) point at the submission folder itself. Regions are 1-based lines and columns in
Unicode code points, as the loader counts them (``run.columnKind``).

States. Honoured waivers become ``suppressions`` of kind ``external``, status ``accepted``,
whose justification holds the reason, the approver and the expiry (CONVENTIONS.md). A vendor
waiver that is shown but not honoured is *not* written as a suppression, not even a
``rejected`` one: consumers differ in how they treat any suppression, and an active error must
never be hidden; the waiver is in ``properties.waiver`` instead. Findings not yet in force (and
those of clauses a profile disabled) are results of ``kind: "informational"`` with
``level: "none"`` and ``properties.state``: SARIF requires ``none`` for any kind other than
``fail``, and these findings do not fail anything today; their ``properties.effectiveFrom``
says when they will.

Text. Messages, fixes, snippets and justifications are for people, and SARIF viewers show them
in terminals and web pages, so control characters, escape sequences, bidi overrides and lone
surrogates are made visible (``sanitize.for_terminal``) on top of JSON escaping. Identifiers
that tools match on (JSON pointers, rule ids) are kept exact. ``partialFingerprints`` hash the
rule, the path as given on the command line (root and file) and the pointer, so a finding keeps
its identity when lines move.

Deterministic: no timestamps or host names, object keys sorted, arrays in report order.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any
from urllib.parse import quote

from ocp_check.model import (
    ClauseResult,
    Finding,
    FindingState,
    Report,
    Severity,
    StandardRef,
    SubmissionResult,
)
from ocp_check.render import RenderOptions
from ocp_check.sanitize import fix_surrogates, for_terminal

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://schemas.opencity.example/ocp-check/"
STANDARDS_URI = "https://schemas.opencity.example/ocp-check/standards/"
FINGERPRINT_KEY = "ocpCheckFinding/v1"
SRCROOT = "%SRCROOT%"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_ENGINE_RULES = {
    "load": "The file can be read as a JSON-model document",
    "schema": "The document is valid against the JSON Schema of its standard",
    "detect": "Every candidate file is a recognised document",
    "version": "The declared standard version exists and is usable",
    "submission": "The submission holds one document of each kind",
    "attestation": "The vendor answers the attestation for the clause",
}
_SLUG = re.compile(r"[^A-Za-z0-9]+")


def _display(s: str) -> str:
    """Text for people: control, bidi and surrogate characters shown as visible escapes."""
    return for_terminal(s)


def _uri(path: str) -> str:
    """Percent-encode a POSIX path as a relative URI reference (``/`` kept as the separator)."""
    return quote(fix_surrogates(path), safe="/")


def _rule_id(f: Finding) -> str:
    parts = [str(f.standard) if f.standard else None, f.clause, f.rule]
    return "/".join(p for p in parts if p)


def _help_uri(standard: StandardRef, clause: str) -> str:
    fragment = quote(fix_surrogates(clause), safe="")
    return f"{STANDARDS_URI}{_uri(standard.id)}/{_uri(standard.version)}#{fragment}"


def _given_path(sub: SubmissionResult, file: str) -> str:
    """The path as the user gave it (root joined with the file), like the text renderer."""
    if sub.root == "<stdin>" or not file:
        return file or sub.name
    return f"{sub.root}/{file}" if sub.root not in ("", ".") else file


class _Bases:
    """One ``uriBaseId`` per distinct submission root, named from the root, collisions numbered."""

    def __init__(self, submissions: tuple[SubmissionResult, ...]) -> None:
        self.ids: dict[str, str] = {}
        for sub in submissions:
            if sub.root in self.ids:
                continue
            slug = _SLUG.sub("_", fix_surrogates(sub.root)).strip("_")[:48]
            base = "SUBMISSION_" + slug if slug else "SUBMISSION"
            name, n = base, 1
            while name in self.ids.values():
                n += 1
                name = f"{base}_{n}"
            self.ids[sub.root] = name

    def original(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            SRCROOT: {
                "description": {
                    "text": "The working directory of the run; relative submission roots are relative to it."
                }
            }
        }
        for root, base in self.ids.items():
            entry: dict[str, Any] = {"description": {"text": _display(f"Submission root {root}")}}
            if root == "<stdin>":
                entry["description"] = {"text": "Standard input"}
            elif root.startswith("/"):
                entry["uri"] = "file://" + _uri(root.rstrip("/") + "/")
            else:
                relative = root.rstrip("/") if root not in ("", ".") else "."
                entry["uri"] = _uri(relative + "/")
                entry["uriBaseId"] = SRCROOT
            out[base] = entry
        return out


def _artifact(sub: SubmissionResult, file: str, bases: _Bases) -> dict[str, Any]:
    base = bases.ids[sub.root]
    if file:
        return {"uri": _uri(file), "uriBaseId": base}
    # A submission-level finding: the submission's own folder under the root.
    prefix = sub.root.rstrip("/") + "/"
    folder = sub.name[len(prefix) :] + "/" if sub.name.startswith(prefix) else "./"
    return {"uri": _uri(folder), "uriBaseId": base}


def _location(sub: SubmissionResult, f: Finding, bases: _Bases) -> dict[str, Any]:
    loc = f.location
    physical: dict[str, Any] = {"artifactLocation": _artifact(sub, loc.file, bases)}
    if loc.line is not None and loc.file:
        region: dict[str, Any] = {"startLine": loc.line}
        if loc.column is not None:
            region["startColumn"] = loc.column
        physical["region"] = region
        lines = [n for n, _ in f.snippet]
        if lines and min(lines) <= loc.line <= max(lines):
            physical["contextRegion"] = {
                "startLine": min(lines),
                "endLine": max(lines),
                "snippet": {"text": "\n".join(_display(text) for _, text in f.snippet)},
            }
    return {"physicalLocation": physical}


def _fingerprint(sub: SubmissionResult, f: Finding) -> str:
    # The standard's id and the clause, not its version: a result keeps its fingerprint when
    # the bid moves to the next version, and attestation findings of different clauses at
    # the same place stay apart.
    parts = [
        f.standard.id if f.standard else "",
        f.clause or "",
        f.rule,
        _given_path(sub, f.location.file),
        f.location.pointer,
    ]
    if sub.evaluation:  # several versions of a standard in one run: one result per version
        parts.append(sub.evaluation)
    key = "\x1f".join(parts)
    return hashlib.sha256(fix_surrogates(key).encode("utf-8")).hexdigest()


def _justification(f: Finding) -> str:
    w = f.waiver
    if w is None:
        return "waived"
    text = (
        f"{w.reason} (waiver {w.id}, issued by {w.issuer}, approved by {w.approved_by}, expires {w.expires})"
    )
    if w.note:
        text += f"; {w.note}"
    return _display(text)


def _result(sub: SubmissionResult, f: Finding, index: int, bases: _Bases) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "rule": f.rule,
        "clause": f.clause,
        "standard": str(f.standard) if f.standard else None,
        "level": f.level.value,
        "severity": f.severity.value,
        "state": f.state.value,
        "pointer": f.location.pointer,
        "submission": _display(sub.name),
        "fix": _display(f.fix),
    }
    if f.effective_from:
        properties["effectiveFrom"] = f.effective_from
    if f.detail:
        properties["detail"] = [_display(d) for d in f.detail]
    if f.waiver is not None:
        w = f.waiver
        properties["waiver"] = {
            "id": _display(w.id),
            "issuer": w.issuer,
            "approvedBy": _display(w.approved_by),
            "expires": _display(w.expires),
            "reason": _display(w.reason),
            "honoured": w.honoured,
            "note": _display(w.note),
        }
    result: dict[str, Any] = {
        "ruleId": _rule_id(f),
        "ruleIndex": index,
        "message": {"text": _display(f.message)},
        "locations": [_location(sub, f, bases)],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(sub, f)},
        "properties": properties,
    }
    if f.state in (FindingState.NOT_IN_FORCE, FindingState.DISABLED):
        result["kind"] = "informational"
        result["level"] = "none"
    else:
        result["kind"] = "fail"
        result["level"] = _LEVELS[f.severity]
    if f.state is FindingState.WAIVED:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": _justification(f)}
        ]
    return result


def _descriptor(
    rule_id: str, findings: list[Finding], titles: dict[tuple[StandardRef, str], str]
) -> dict[str, Any]:
    first = findings[0]
    level = max((f.level for f in findings), key=lambda lv: lv.rank)
    if first.clause is not None and first.standard is not None:
        title = titles.get((first.standard, first.clause))
        short = f"{first.clause}: {title}" if title else f"{first.clause} ({first.rule})"
    else:
        short = _ENGINE_RULES.get(first.rule, f"ocp-check rule {first.rule}")
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": first.rule,
        "shortDescription": {"text": _display(short)},
        "defaultConfiguration": {"level": _LEVELS[level.severity]},
        "properties": {
            "clause": first.clause,
            "level": level.value,
            "standard": str(first.standard) if first.standard else None,
        },
    }
    if first.clause is not None and first.standard is not None:
        descriptor["helpUri"] = _help_uri(first.standard, first.clause)
    fixes = {f.fix for f in findings}
    if len(fixes) == 1 and first.fix:
        descriptor["help"] = {"text": _display(first.fix)}
    return descriptor


def _artifacts(report: Report, bases: _Bases) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for sub in report.submissions:
        for d in sub.documents:
            location = _artifact(sub, d.path, bases)
            key = (location["uriBaseId"], location["uri"])
            if key in seen or not d.path:
                continue
            artifact: dict[str, Any] = {"location": location, "roles": ["analysisTarget"]}
            if re.fullmatch("[0-9a-f]{64}", d.sha256):
                artifact["hashes"] = {"sha-256": d.sha256}
            seen[key] = artifact
    return [seen[k] for k in sorted(seen)]


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log as plain data (what ``render`` serialises)."""
    bases = _Bases(report.submissions)
    titles: dict[tuple[StandardRef, str], str] = {}
    for sub in report.submissions:
        for c in sub.clauses:
            titles.setdefault((c.standard, c.clause), c.title)

    grouped: dict[str, list[Finding]] = {}
    for f in report.all_findings():
        grouped.setdefault(_rule_id(f), []).append(f)
    order = sorted(grouped)
    index = {rule_id: i for i, rule_id in enumerate(order)}
    rules = [_descriptor(rule_id, grouped[rule_id], titles) for rule_id in order]

    results = [_result(sub, f, index[_rule_id(f)], bases) for sub in report.submissions for f in sub.findings]
    run_properties: dict[str, Any] = {
        "verdict": "conformant" if report.conformant else "nonconformant",
        "counts": report.counts(),
        "standards": [str(s.ref) for s in report.standards],
        "standards_status": [{"standard": str(s.ref), "status": s.status_text()} for s in report.standards],
        "submissions": [
            {
                "name": _display(sub.name),
                "root": _display(sub.root),
                "uriBaseId": bases.ids[sub.root],
                "verdict": sub.verdict,
                "judged_against": sub.judged_against,
                "counts": sub.counts(),
                "clauses": _clause_counts(sub.clauses),
            }
            for sub in report.submissions
        ],
    }
    if report.today is not None:
        run_properties["today"] = report.today
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "ocp-check",
                "version": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [{"executionSuccessful": True}],
        "originalUriBaseIds": bases.original(),
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": run_properties,
    }
    artifacts = _artifacts(report, bases)
    if artifacts:
        run["artifacts"] = artifacts
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _clause_counts(clauses: tuple[ClauseResult, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in clauses:
        counts[c.status.value] = counts.get(c.status.value, 0) + 1
    return counts


def render(report: Report, options: RenderOptions) -> str:
    data = sarif_log(report)
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, sort_keys=True)
    return fix_surrogates(text) + "\n"
