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

Locations. ``artifactLocation.uri`` is the path as given on the command line (submission
root joined with the file), relative to ``%SRCROOT%``, the working directory of the run: in a
CI job that is the checkout, and GitHub code scanning reads relative URIs as relative to the
repository root. A root given as an absolute path is made relative to the working directory
when it lies inside it (``RenderOptions.base_dir``), else it stays an absolute ``file:`` URI
(GitHub converts those under the checkout itself). URIs are percent-encoded (spaces, ``#``,
``%``, ``:`` and anything outside the URI alphabet), so a vendor's file name can neither be
misread as a fragment or scheme nor disclose the machine's folders. ``%SRCROOT%`` is left
undefined (only described) because its absolute path is the user's business.
Submission-level findings (a missing document) point at the submission folder itself.
Regions are 1-based lines and columns in Unicode code points, as the loader counts them
(``run.columnKind``); a region covers the first character of the value the finding is about
(the loader knows where values start, not where they end).

States. Honoured waivers become ``suppressions`` of kind ``external``, status ``accepted``,
whose justification holds the reason, the approver and the expiry. A vendor
waiver that is shown but not honoured is *not* written as a suppression, not even a
``rejected`` one: consumers differ in how they treat any suppression, and an active error must
never be hidden; the waiver is in ``properties.waiver`` instead. Findings not yet in force (and
those of clauses a profile disabled) are results of ``kind: "informational"`` with
``level: "none"`` and ``properties.state``: SARIF requires ``none`` for any kind other than
``fail``, and these findings do not fail anything today; their ``properties.effectiveFrom``
says when they will.

Text. Messages, fixes, snippets and justifications are for people, and SARIF viewers show them
in terminals and web pages, so control characters, escape sequences, bidi overrides and lone
surrogates are made visible (``sanitize.for_terminal``) on top of JSON escaping. In message
strings (results' messages, rules' descriptions and help) ``{`` and ``}`` are doubled, as SARIF
2.1.0 §3.11.5 requires: a vendor value such as ``{0}`` would otherwise be a placeholder.
Identifiers that tools match on (JSON pointers, rule ids) are kept exact.

Rules carry what GitHub code scanning reads from a ``reportingDescriptor``: ``name``,
``shortDescription`` and ``fullDescription`` (the clause's title and its text), ``help``
(text and Markdown: what the rule checks, how to fix it, where the clause is documented),
``helpUri``, ``defaultConfiguration.level``, and ``properties`` ``tags``, ``precision`` and
``problem.severity``. ``security-severity`` is left out on purpose: it turns results into
security alerts, and a data-governance clause is not a vulnerability score.

Fingerprints. ``partialFingerprints`` hash the standard id, clause, rule, the file's path
and the pointer: a finding keeps its identity when lines move and when the repository is
cloned into another folder. The path is the one given on the command line when it was
relative; for an absolute root only its last folder name and the file below it are used, so
the checkout's location never enters a fingerprint.

Deterministic: no timestamps or host names, object keys sorted, arrays in report order.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ocp_check import i18n
from ocp_check.i18n import N_, _, ngettext, pgettext
from ocp_check.model import (
    ClauseResult,
    Finding,
    FindingState,
    Level,
    Report,
    Severity,
    StandardRef,
    SubmissionResult,
)
from ocp_check.render import RenderOptions
from ocp_check.render.json import finding_identity, folded_to_dict, waiver_to_dict
from ocp_check.sanitize import fix_surrogates, for_terminal
from ocp_check.wording import level_word

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://schemas.opencity.example/ocp-check/"
STANDARDS_URI = "https://schemas.opencity.example/ocp-check/standards/"
FINGERPRINT_KEY = "ocpCheckFinding/v1"
SRCROOT = "%SRCROOT%"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: Titles of the checks ocp-check makes itself (marked here, translated when rendered).
_ENGINE_RULES = {
    "load": N_("The file can be read as a JSON-model document"),
    "schema": N_("The document is valid against the JSON Schema of its standard"),
    "detect": N_("Every candidate file is a recognised document"),
    "foreign": N_("Every file of a bid is an OCP document, not another format"),
    "version": N_("The declared standard version exists and is usable"),
    "submission": N_("The submission holds one document of each kind"),
    "attestation": N_("The vendor answers the attestation for the clause"),
    "incomplete": N_("No template placeholder is left to fill in"),
    "ref": N_("Every $ref resolves inside the submission"),
    "scan": N_("Every file of the bid can be read"),
    "unjudged": N_("At least one clause of a standard can be judged"),
    "waivers": N_("The vendor's waivers file is valid and every waiver is used"),
    "budget": N_("Every file is checked within the time and memory budgets"),
}
_ENGINE_TEXT = {
    "load": N_(
        "ocp-check reads vendor files with the JSON data model and YAML 1.2 core typing, within "
        "size, depth and encoding limits; a file that cannot be read that way (a syntax error, an "
        "unresolved git merge conflict, duplicate keys, custom tags) cannot be judged."
    ),
    "schema": N_("Each document is validated against the JSON Schema its standard version ships."),
    "detect": N_(
        "A file that is neither an OCP document nor reached by $ref from one is named, so "
        "that nothing in a bid goes unseen."
    ),
    "foreign": N_(
        "A file in another format (Fides, Frictionless, DCAT, CKAN, AsyncAPI, JSON "
        "Schema, DTPR, RDF, an empty document or a list) is named with what to hand in instead."
    ),
    "unjudged": N_(
        "A submission in which no clause of any standard in play could be judged is never conformant."
    ),
}
_PRECISION = "very-high"  # every rule is a deterministic check of the documents, not a heuristic
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}
_TEXT_LIMIT = 1024  # GitHub's limit for shortDescription and fullDescription
_SLUG = re.compile(r"[^A-Za-z0-9]+")


def _display(s: str) -> str:
    """Text for people: control, bidi and surrogate characters shown as visible escapes."""
    return for_terminal(s)


def _message(s: str, limit: int | None = None) -> str:
    """A SARIF message string: shown safely, cut to ``limit`` characters, and with ``{`` and
    ``}`` doubled (§3.11.5) so that no vendor text reads as a placeholder."""
    text = _display(s)
    if limit is not None and len(text) > limit // 2:
        text = text[: limit // 2 - 1] + "…"  # doubled braces at most double the length
    return text.replace("{", "{{").replace("}", "}}")


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


def _is_absolute(path: str) -> bool:
    return path.startswith("/") or bool(re.match(r"^[A-Za-z]:[\\/]", path))


class _Paths:
    """Artifact locations relative to ``%SRCROOT%`` (see the module docstring)."""

    def __init__(self, base_dir: str) -> None:
        self.base_dir = base_dir.rstrip("/")

    def relative(self, path: str) -> str | None:
        """``path`` relative to the working directory, or None when it is absolute outside it."""
        if not _is_absolute(path):
            return _plain(path)
        if self.base_dir and (path == self.base_dir or path.startswith(self.base_dir + "/")):
            return _plain(path[len(self.base_dir) + 1 :])
        return None

    def artifact(self, sub: SubmissionResult, file: str) -> dict[str, Any]:
        if sub.root == "<stdin>":
            return {"uri": _uri("<stdin>")}
        if file:
            path, folder = _given_path(sub, file), False
        else:
            # A submission-level finding: the submission's own folder.
            path, folder = sub.name, True
        relative = self.relative(path)
        if relative is None:
            return {"uri": "file://" + _uri(path) + ("/" if folder else "")}
        uri = _uri(relative) + ("/" if folder and relative else "")
        return {"uri": uri or "./", "uriBaseId": SRCROOT}


def _plain(path: str) -> str:
    """A relative path without leading ``./`` (a file name is never rewritten otherwise)."""
    while path.startswith("./"):
        path = path[2:]
    return "" if path == "." else path


def _identity_path(sub: SubmissionResult, file: str) -> str:
    """The path a fingerprint uses: as given when relative; for an absolute root only its
    last folder name and what lies below it, so a clone elsewhere keeps its fingerprints."""
    if not _is_absolute(sub.root):
        return _given_path(sub, file)
    name = posixpath.basename(sub.root.rstrip("/\\"))
    if not file:
        tail = sub.name[len(sub.root) :].lstrip("/") if sub.name.startswith(sub.root) else ""
        return posixpath.join(name, tail) if tail else name
    return f"{name}/{file}"


def _location(sub: SubmissionResult, f: Finding, paths: _Paths) -> dict[str, Any]:
    loc = f.location
    physical: dict[str, Any] = {"artifactLocation": paths.artifact(sub, loc.file)}
    if loc.line is not None and loc.file:
        column = loc.column or 1
        physical["region"] = {
            "startLine": loc.line,
            "startColumn": column,
            "endLine": loc.line,
            "endColumn": column + 1,
        }
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
        _identity_path(sub, f.location.file),
        f.location.pointer,
    ]
    if sub.evaluation:  # several versions of a standard in one run: one result per version
        parts.append(sub.evaluation)
    key = "\x1f".join(parts)
    return hashlib.sha256(fix_surrogates(key).encode("utf-8")).hexdigest()


def _justification(f: Finding) -> str:
    w = f.waiver
    if w is None:
        return pgettext("finding state", "waived")
    text = _(
        "{reason} (waiver {id}, issued by {issuer}, approved by {approver}, expires {date})",
        reason=w.reason,
        id=w.id,
        issuer=w.issuer,
        approver=w.approved_by,
        date=w.expires,
    )
    if w.note:
        text += f"; {w.note}"
    return _display(text)


def _result(sub: SubmissionResult, f: Finding, index: int, paths: _Paths) -> dict[str, Any]:
    properties: dict[str, Any] = {
        **finding_identity(f),
        "pointer": f.location.pointer,
        "submission": _display(sub.name),
        "fix": _display(f.fix),
    }
    if f.effective_from:
        properties["effectiveFrom"] = f.effective_from
    if f.detail:
        properties["detail"] = [_display(d) for d in f.detail]
    if f.waiver is not None:
        properties["waiver"] = waiver_to_dict(f.waiver, _display, camel=True)
    result: dict[str, Any] = {
        "ruleId": _rule_id(f),
        "ruleIndex": index,
        "message": {"text": _message(f.message)},
        "locations": [_location(sub, f, paths)],
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
    rule_id: str,
    findings: list[Finding],
    titles: dict[tuple[StandardRef, str], str],
    clause_texts: Mapping[tuple[str, str], str],
) -> dict[str, Any]:
    """A rule as GitHub code scanning reads it: every field its documentation lists for a
    ``reportingDescriptor`` that this tool can fill truthfully (see the module docstring)."""
    first = findings[0]
    level = max((f.level for f in findings), key=lambda lv: lv.rank)
    clause, standard = first.clause, first.standard
    if clause is not None and standard is not None:
        title = titles.get((standard, clause)) or first.rule
        short = _("{clause}: {title}", clause=clause, title=title)
        text = clause_texts.get((str(standard), clause), "")
        full = _(
            "{standard} {clause} ({level}): {title}.", standard=standard, clause=clause, level=level_word(level), title=title
        ) + (f" {text}" if text else "")
        where = _help_uri(standard, clause)
    else:
        known = _ENGINE_RULES.get(first.rule)
        short = _(known) if known else _("ocp-check rule {rule}", rule=first.rule)
        known_text = _ENGINE_TEXT.get(first.rule)
        full = f"{short}. " + (_(known_text) if known_text else _("A check of ocp-check itself, not of a clause."))
        where = INFORMATION_URI
    fixes = sorted({f.fix for f in findings if f.fix})
    how = fixes[0] if len(fixes) == 1 else _("Each result says how to fix it.")
    help_text = _(
        "{full}\n\nHow to fix: {how}\n\nDocumentation: {uri}", full=full, how=how, uri=where
    )
    help_markdown = _(
        "**{short}**\n\n{full}\n\n**How to fix:** {how}\n\n[Documentation]({uri})",
        short=_display(short),
        full=_display(full),
        how=_display(how),
        uri=where,
    )
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": first.rule[:255],
        "shortDescription": {"text": _message(short, _TEXT_LIMIT)},
        "fullDescription": {"text": _message(full, _TEXT_LIMIT)},
        "help": {"text": _message(help_text), "markdown": _message(help_markdown)},
        "helpUri": where,
        "defaultConfiguration": {"level": _LEVELS[level.severity]},
        "properties": {
            "clause": clause,
            "level": level.value,
            "standard": str(standard) if standard else None,
            "tags": _tags(first, level),
            "precision": _PRECISION,
            "problem.severity": _PROBLEM_SEVERITY[level.severity],
        },
    }
    return descriptor


def _tags(f: Finding, level: Level) -> list[str]:
    """Filters in GitHub's alert list: the tool's domain, the standard, the requirement level."""
    tags = ["data-governance", "ocp-check"]
    if f.standard is not None:
        tags.append(f.standard.id)
    tags.append(level.value.lower().replace(" ", "-"))
    return tags


def _artifacts(report: Report, paths: _Paths) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for sub in report.submissions:
        for d in sub.documents:
            if not d.path:
                continue
            location = paths.artifact(sub, d.path)
            key = (location.get("uriBaseId", ""), location["uri"])
            if key in seen:
                continue
            artifact: dict[str, Any] = {"location": location, "roles": ["analysisTarget"]}
            if re.fullmatch("[0-9a-f]{64}", d.sha256):
                artifact["hashes"] = {"sha-256": d.sha256}
            seen[key] = artifact
    return [seen[k] for k in sorted(seen)]


def sarif_log(report: Report, options: RenderOptions | None = None) -> dict[str, Any]:
    """The SARIF log as plain data (what ``render`` serialises)."""
    options = options or RenderOptions()
    paths = _Paths(options.base_dir)
    titles: dict[tuple[StandardRef, str], str] = {}
    for sub in report.submissions:
        for c in sub.clauses:
            titles.setdefault((c.standard, c.clause), c.title)

    grouped: dict[str, list[Finding]] = {}
    for f in report.all_findings():
        grouped.setdefault(_rule_id(f), []).append(f)
    order = sorted(grouped)
    index = {rule_id: i for i, rule_id in enumerate(order)}
    rules = [_descriptor(rule_id, grouped[rule_id], titles, options.clause_texts) for rule_id in order]

    results = [_result(sub, f, index[_rule_id(f)], paths) for sub in report.submissions for f in sub.findings]
    run_properties: dict[str, Any] = {
        "verdict": "conformant" if report.conformant else "nonconformant",
        "counts": report.counts(),
        "files": report.accounting(),
        "standards": [str(s.ref) for s in report.standards],
        "standards_status": [{"standard": str(s.ref), "status": s.status_text()} for s in report.standards],
        "submissions": [
            {
                "name": _display(sub.name),
                "root": _display(sub.root),
                "verdict": sub.verdict,
                "judged_against": sub.judged_against,
                "counts": sub.counts(),
                "clauses": _clause_counts(sub.clauses),
                **({"folded": [folded_to_dict(g) for g in sub.folded]} if sub.folded else {}),
            }
            for sub in report.submissions
        ],
        "findingCaps": {
            "maxFindingsPerRule": report.caps.per_rule,
            "maxFindingsPerDocument": report.caps.per_document,
        },
    }
    if report.today is not None:
        run_properties["today"] = report.today
    invocation: dict[str, Any] = {"executionSuccessful": True}
    notes = _folded_notifications(report)
    if notes:
        invocation["toolExecutionNotifications"] = notes
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "ocp-check",
                "version": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {
                    "text": _(
                        "The working directory of the run (the checkout, in CI); artifact URIs are relative to it."
                    )
                }
            }
        },
        # SARIF 2.1.0 s. 3.14.7: the language of the run's localizable strings (messages,
        # descriptions); rule ids, properties and levels are the same in every language.
        "language": i18n.tag(),
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": run_properties,
    }
    artifacts = _artifacts(report, paths)
    if artifacts:
        run["artifacts"] = artifacts
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _folded_notifications(report: Report) -> list[dict[str, Any]]:
    """A note per submission whose findings were capped: SARIF has no place for results that
    are counted but not listed, so the run says so (the counts are in its properties)."""
    notes = []
    for sub in report.submissions:
        total = sub.folded_count()
        if total:
            text = ngettext(
                "{name}: {count} more finding not listed as results ({caps}); they count in the verdict "
                "and the counts (run properties: submissions[].folded).",
                "{name}: {count} more findings not listed as results ({caps}); they count in the verdict "
                "and the counts (run properties: submissions[].folded).",
                total,
                name=_display(sub.name),
                count=f"{total:,}",
                caps=report.caps.describe(),
            )
            notes.append({"level": "note", "message": {"text": text}})
    return notes


def _clause_counts(clauses: tuple[ClauseResult, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in clauses:
        counts[c.status.value] = counts.get(c.status.value, 0) + 1
    return counts


def render(report: Report, options: RenderOptions) -> str:
    data = sarif_log(report, options)
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, sort_keys=True)
    return fix_surrogates(text) + "\n"
