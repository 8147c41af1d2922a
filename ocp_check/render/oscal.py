"""OSCAL assessment results (NIST OSCAL 1.2.1, JSON): the clause matrix for GRC tools.

Compliance teams load OSCAL into their governance tools, so this format says what the JSON
report says, in OSCAL's vocabulary, and nothing more. It is validated against NIST's
``oscal_assessment-results_schema-1.2.1.json`` in ``tests/render/test_oscal.py``.

Shape. One ``assessment-results`` document. Its ``metadata`` names the tool version, the
OSCAL version and, as properties, every standard version used with the SHA-256 of its pack
(provenance). There is one ``result`` per submission result, that is per submission and,
when a bid is judged against several versions of a standard, per evaluation. In a result:

* ``reviewed-controls`` lists the clauses of the matrix (``include-controls``), one control
  selection per standard. The schema demands at least one selection, so a submission with no
  clause results (or a run with no submission, which still needs one result) gets
  ``include-all`` with remarks saying that nothing was evaluated.
* ``observations``: one per finding, with ``methods`` ``TEST`` (rules, schema, loading) or
  ``EXAMINE`` (the ``attestation`` rule: a missing or negative vendor answer), the location
  as ``relevant-evidence`` text (file, line, column, JSON Pointer), and rule, severity,
  level, state, clause, standard and waiver as properties. An attested clause has no
  finding, so it gets an ``EXAMINE`` observation of its own recording the vendor's answer:
  its OSCAL finding then points at the evidence it rests on.
* ``findings``: one per clause result, ``target`` type ``objective-id`` with the clause id.
  ``related-observations`` are the observations of findings with the same clause id and
  standard. Findings that belong to no clause of the matrix (a file that cannot be loaded,
  an unrecognised file) remain observations only; the result's remarks count them, and its
  ``verdict`` property still reflects them.
* ``local-definitions.assessment-assets`` defines ocp-check as a ``software`` component, and
  every observation and finding names it as its origin (actor type ``tool``). The tool is not
  a metadata ``party``: OSCAL parties are persons or organisations.

Status mapping. OSCAL knows only ``satisfied`` and ``not-satisfied``. ocp-check says
``satisfied`` only when a check (or, flagged as such, the vendor's attestation) supports it;
everything else is ``not-satisfied``. ``status.reason`` always carries the ocp-check status
(a valid token), and a ``status`` property repeats it, so no information is lost:

=================  ==============================  ==========================================
ocp-check status   ``status.state``                remarks
=================  ==============================  ==========================================
pass               satisfied                       -
fail               not-satisfied                   counts towards the verdict
attested           satisfied                       attested by the vendor, not verified;
                                                   its observation's method is EXAMINE
waived             not-satisfied                   fails, every finding waived; does not
                                                   count towards the verdict
not-applicable     satisfied, implementation       the reason (nothing the clause applies to)
                   status ``not-applicable``
not-in-force       not-satisfied with findings,    in force from a future date; does not
                   satisfied without               count towards the verdict yet
disabled           not-satisfied                   disabled by the profile, not assessed
not-checked        not-satisfied                   the document it needs is absent or did
                                                   not load, so nothing supports it
=================  ==============================  ==========================================

``import-ap``. The schema requires a reference to an assessment plan, and there is no plan
file: the standard versions are the plan. ``href`` is therefore ``#<uuid>`` of a back-matter
resource that says exactly that and lists the standards with their SHA-256. A fragment to a
back-matter resource is OSCAL's own way to reference a document by its resource, it is a
valid ``uri-reference``, and it cannot be mistaken for a plan that exists somewhere; a
``urn:`` built from a submission name would have needed vendor text percent-encoded and would
pretend a per-submission plan covers every submission.

Determinism (docs/decisions.md, "Time, determinism, provenance"). Every date-time (``last-
modified``, ``start``, ``end``, ``collected``) is the moment of ``SOURCE_DATE_EPOCH`` in UTC,
else the Unix epoch; the clock is never read. Every UUID is a version 5 UUID: the document's
over a fixed namespace, the canonical JSON report and that timestamp; each other one over its
parent's UUID and its position, so the same report gives the same bytes and two different
reports share no UUID.

Vendor text. OSCAL's ``title``, ``description`` and ``remarks`` are Markdown (markup-line and
markup-multiline), which OSCAL viewers render, so vendor text placed there goes through
``sanitize.markdown_text`` (prose) or ``sanitize.markdown_code`` (file names, pointers), as
docs/decisions.md ("Output safety") requires for Markdown: a message cannot add a link, an image
or HTML to someone's compliance dashboard. Property values are plain strings (OSCAL
``string``: no leading, trailing or repeated whitespace, no line break), so they keep the
vendor's text with only whitespace runs collapsed to one space; empty values are left out.
Lone surrogates become U+FFFD in the final text, as in every JSON output.

One renderer, in one module although it is long: OSCAL's assessment-results model is large,
and every part of it this renderer writes is checked against the NIST schema in the tests.
"""

from __future__ import annotations

import json
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ocp_check import i18n
from ocp_check.i18n import _, ngettext
from ocp_check.l10n import format_int
from ocp_check.model import (
    ClauseResult,
    DocumentKind,
    Finding,
    FindingCaps,
    FindingState,
    FoldedFindings,
    Report,
    Severity,
    StandardInfo,
    StandardRef,
    Status,
    SubmissionResult,
)
from ocp_check.render import RenderOptions
from ocp_check.render.json import report_to_dict
from ocp_check.reproducible import render_moment
from ocp_check.sanitize import fix_surrogates, markdown_code, markdown_text
from ocp_check.wording import (
    finding_label,
    finding_label_count,
    issuer_word,
    level_word,
    status_count,
    status_word,
)

OSCAL_VERSION = "1.2.1"

#: Namespace of ocp-check's own property names. OSCAL reserves properties without ``ns`` for
#: names NIST defines, so every property here is qualified.
PROPERTY_NS = "urn:ocp-check:oscal"

#: Fixed namespace of every UUID in the output (UUID v5 of the property namespace).
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, PROPERTY_NS)


#: ``status.state`` and remarks per status; ``not-in-force`` depends on its findings.
_SATISFIED = {Status.PASS, Status.ATTESTED, Status.NOT_APPLICABLE}


def _status_remarks(status: Status) -> str:
    """What a clause's status means for the verdict, in the run's language."""
    remarks: dict[Status, Callable[[], str]] = {
        Status.PASS: lambda: "",
        Status.FAIL: lambda: _("The clause fails; its findings count towards the verdict."),
        Status.ATTESTED: lambda: _("Attested by the vendor, not verified by ocp-check."),
        Status.WAIVED: lambda: _(
            "The clause fails, but every finding is waived: the requirement is not met, and the "
            "waiver means it does not count towards the verdict."
        ),
        Status.NOT_APPLICABLE: lambda: _(
            "Status not-applicable: nothing the clause is about exists in this submission."
        ),
        Status.NOT_IN_FORCE: lambda: _(
            "Status not-in-force: its effective date is still to come; it does not count towards the "
            "verdict until then."
        ),
        Status.DISABLED: lambda: _(
            "Disabled by the profile: not assessed, and it does not count towards the verdict."
        ),
        Status.NOT_CHECKED: lambda: _(
            "Status not-checked: the document it needs is absent or could not be loaded, so nothing "
            "supports it being satisfied."
        ),
    }
    return remarks[status]()


def _num(n: int) -> str:
    """A count as the run's language writes it (``1,244`` / ``1 244``)."""
    return format_int(n, i18n.current_language())


def _plain_count(n: int) -> str:
    """A count the English text has always written without a thousands separator; French
    groups its digits."""
    return str(n) if i18n.current_language() == "en" else _num(n)


def timestamp() -> str:
    """``SOURCE_DATE_EPOCH`` as an OSCAL date-time in UTC, or the Unix epoch. OSCAL's date-time
    pattern accepts only the years 1900 to 2999, so a moment outside them (which no real
    build uses) falls back too rather than producing an invalid document."""
    return render_moment(1900, 2999).strftime("%Y-%m-%dT%H:%M:%SZ")


def _uuid(*parts: str) -> str:
    """A version 5 UUID over ``parts``.

    The parts are joined as ASCII-only JSON, so lone surrogates in vendor text (which
    ``uuid5`` cannot encode) are hashed faithfully and no two part lists share a name.
    """
    name = json.dumps(parts, ensure_ascii=True, separators=(",", ":"))
    return str(uuid.uuid5(UUID_NAMESPACE, name))


def _plain(value: str) -> str:
    """An OSCAL ``string``: whitespace runs (line breaks included) become one space, trimmed.

    U+FEFF counts as whitespace too, because JSON Schema patterns are ECMAScript's, whose
    ``\\s`` includes it.
    """
    return " ".join(value.replace("\ufeff", " ").split())


def _is_token_char(char: str, first: bool) -> bool:
    if char == "_" or unicodedata.category(char).startswith("L"):
        return True
    return not first and (char in ".-" or unicodedata.category(char).startswith("N"))


def _token(value: str) -> str:
    """An OSCAL ``token`` (an XML NCName) for an id: unchanged when it already is one.

    Clause ids such as ``DG-1.2`` are tokens. Anything else has its other characters replaced
    by ``_`` (and a leading ``_`` added when it does not start with a letter); the original
    id is kept in a property wherever this is used.
    """
    token = "".join(c if _is_token_char(c, False) else "_" for c in value)
    if not token or not _is_token_char(token[0], True):
        token = "_" + token
    return token


def _md(value: str) -> str:
    """Vendor or rule text for an OSCAL Markdown field, rendered literally."""
    return markdown_text(value)


def _code(value: str) -> str:
    """A file name, pointer or id as a Markdown code span: literal, and readable in raw JSON."""
    return markdown_code(value, in_table=False)


def _line(value: str) -> str:
    """A markup-line: one line and never empty (the schema requires both)."""
    text = " ".join(value.split("\n")).strip()
    return text or "(untitled)"


def _prop(name: str, value: str, *, group: str | None = None) -> dict[str, str] | None:
    """One ocp-check property, or ``None`` when the value is empty (the schema forbids it)."""
    text = _plain(value)
    if not text:
        return None
    prop = {"name": name, "ns": PROPERTY_NS, "value": text}
    if group is not None:
        prop["group"] = group
    return prop


def _props(*candidates: dict[str, str] | None) -> list[dict[str, str]]:
    return [p for p in candidates if p is not None]


def _with_props(obj: dict[str, Any], props: list[dict[str, str]]) -> dict[str, Any]:
    """Add ``props`` when there are any: the schema forbids an empty array."""
    if props:
        obj["props"] = props
    return obj


def _standard_props(standards: Iterable[StandardInfo]) -> list[dict[str, str]]:
    """``standard``, ``standard-sha256`` and ``standard-status`` props, tied by ``group`` so
    each hash and status has its name."""
    out: list[dict[str, str]] = []
    for i, s in enumerate(standards, 1):
        group = f"standard-{i}"
        out += _props(
            _prop("standard", str(s.ref), group=group),
            _prop("standard-sha256", s.sha256, group=group),
            _prop("standard-status", s.status, group=group),
        )
    return out


def _origins(tool_uuid: str) -> list[dict[str, Any]]:
    return [{"actors": [{"type": "tool", "actor-uuid": tool_uuid}]}]


def _evidence(f: Finding) -> dict[str, Any]:
    """Where the finding is, as text: OSCAL's ``href`` would need a resolvable URL, and paths
    are relative to the submission root, not to wherever this file ends up."""
    loc = f.location
    if not loc.file:
        text = _("The submission as a whole (no single file).")
    elif loc.line is not None:
        text = _(
            "File {file}, line {line}, column {column}.",
            file=_code(loc.file),
            line=loc.line,
            column=loc.column or 1,
        )
    else:
        text = _("File {file}.", file=_code(loc.file))
    if loc.pointer:
        text += " " + _("JSON Pointer {pointer}.", pointer=_code(loc.pointer))
    elif loc.file:
        text += " " + _("The whole document.")
    props = _props(
        _prop("file", loc.file),
        _prop("line", str(loc.line)) if loc.line is not None else None,
        _prop("column", str(loc.column)) if loc.column is not None else None,
        _prop("pointer", loc.pointer),
    )
    return _with_props({"description": text}, props)


def _observation_description(f: Finding) -> str:
    parts = [_md(f.message)]
    if f.detail:
        parts.append("\n".join(f"- {_md(d)}" for d in f.detail))
    if f.fix:
        parts.append(_("Fix: {fix}", fix=_md(f.fix)))
    return "\n\n".join(parts)


def _observation_remarks(f: Finding) -> str:
    notes: list[str] = []
    if f.waiver is not None:
        w = f.waiver
        values = {
            "id": _code(w.id),
            "issuer": _md(issuer_word(w.issuer)),
            "approver": _md(w.approved_by),
            "date": _md(w.expires),
            "reason": _md(w.reason),
        }
        if w.honoured:
            notes.append(
                _(
                    "Waived: waiver {id} issued by {issuer}, approved by {approver}, expires {date}. Reason: {reason}",
                    **values,
                )
            )
        else:
            notes.append(
                _(
                    "A waiver matches but is not honoured: waiver {id} issued by {issuer}, approved by "
                    "{approver}, expires {date}. Reason: {reason}",
                    **values,
                )
            )
        if w.note:
            notes.append(_md(w.note))
    if f.effective_from:
        notes.append(
            _(
                "The clause is in force from {date}; until then this finding does not count towards the verdict.",
                date=_md(f.effective_from),
            )
        )
    return "\n\n".join(notes)


def _observation(f: Finding, obs_uuid: str, tool_uuid: str, stamp: str) -> dict[str, Any]:
    title = _code(f.rule)
    if f.location.file:
        title = _("{rule} at {location}", rule=title, location=_code(f.location.display()))
    obs: dict[str, Any] = {"uuid": obs_uuid, "title": _line(title)}
    obs["description"] = _observation_description(f)
    _with_props(
        obs,
        _props(
            _prop("rule", f.rule),
            _prop("severity", f.severity.value),
            _prop("level", f.level.value),
            _prop("state", f.state.value),
            _prop("clause", f.clause or ""),
            _prop("standard", str(f.standard) if f.standard else ""),
            _prop("waiver", f.waiver.id if f.waiver else ""),
            _prop("effective-from", f.effective_from or ""),
        ),
    )
    obs["methods"] = ["EXAMINE"] if f.rule == "attestation" else ["TEST"]
    obs["types"] = ["finding"]
    obs["origins"] = _origins(tool_uuid)
    obs["relevant-evidence"] = [_evidence(f)]
    obs["collected"] = stamp
    remarks = _observation_remarks(f)
    if remarks:
        obs["remarks"] = remarks
    return obs


def _attested_observation(
    c: ClauseResult, sub: SubmissionResult, obs_uuid: str, tool_uuid: str, stamp: str
) -> dict[str, Any]:
    """The evidence of an attested clause: the vendor's answer, examined and not verified."""
    manifests = [d.path for d in sub.documents if d.kind is DocumentKind.DATA_MANIFEST]
    if len(manifests) == 1:
        answer = _(
            "The vendor's answer under {key} in {file}.", key=_code("attestations"), file=_code(manifests[0])
        )
    else:
        answer = _("The vendor's answer under {key} in the data manifest.", key=_code("attestations"))
    obs: dict[str, Any] = {
        "uuid": obs_uuid,
        "title": _line(_("Vendor attestation for {clause}", clause=_code(c.clause))),
        "description": _md(c.reason) if c.reason else _("Attested by the vendor, not verified."),
    }
    _with_props(
        obs,
        _props(
            _prop("clause", c.clause),
            _prop("standard", str(c.standard)),
            _prop("status", c.status.value),
        ),
    )
    return obs | {
        "methods": ["EXAMINE"],
        "origins": _origins(tool_uuid),
        "relevant-evidence": [{"description": answer}],
        "collected": stamp,
        "remarks": _("Attested by the vendor, not verified."),
    }


def _state(c: ClauseResult) -> str:
    if c.status in _SATISFIED or (c.status is Status.NOT_IN_FORCE and c.findings == 0):
        return "satisfied"
    return "not-satisfied"


def _finding(c: ClauseResult, finding_uuid: str, tool_uuid: str, related: list[str]) -> dict[str, Any]:
    reason = _("Reason: {reason}", reason=_md(c.reason)) if c.reason else ""
    remarks = " ".join(p for p in (_status_remarks(c.status), reason) if p)
    status: dict[str, Any] = {"state": _state(c), "reason": c.status.value}
    if remarks:
        status["remarks"] = remarks
    target: dict[str, Any] = {
        "type": "objective-id",
        "target-id": _token(c.clause),
        "title": _line(_md(c.title) or _code(c.clause)),
        "status": status,
    }
    if c.status is Status.NOT_APPLICABLE:
        target["implementation-status"] = {"state": "not-applicable"}
    out: dict[str, Any] = {
        "uuid": finding_uuid,
        "title": _line(f"{_code(c.clause)} {_md(c.title)}"),
        "description": (
            _(
                "{level} clause {clause} of {standard}: {title}. Status: {status}.",
                level=level_word(c.level),
                clause=_code(c.clause),
                standard=_code(str(c.standard)),
                title=_md(c.title),
                status=status_word(c.status),
            )
            + (f" {_md(c.reason)}" if c.reason else "")
        ),
        "props": _props(
            _prop("clause", c.clause),
            _prop("standard", str(c.standard)),
            _prop("level", c.level.value),
            _prop("status", c.status.value),
            _prop("findings", str(c.findings)),
        ),
        "origins": _origins(tool_uuid),
        "target": target,
    }
    if related:
        out["related-observations"] = [{"observation-uuid": u} for u in related]
    return out


def _reviewed_controls(clauses: tuple[ClauseResult, ...]) -> dict[str, Any]:
    """The clauses of the matrix, one control selection per standard, in report order."""
    by_standard: dict[StandardRef, dict[str, None]] = {}  # ordered sets: no search per clause
    for c in clauses:
        by_standard.setdefault(c.standard, {})[_token(c.clause)] = None
    if not by_standard:
        return {
            "control-selections": [
                {
                    "description": _("No clause was evaluated for this submission."),
                    "include-all": {},
                    "remarks": _(
                        "The schema requires a control selection; none of the standards' "
                        "clauses produced a result here, so nothing was actually reviewed."
                    ),
                }
            ]
        }
    return {
        "control-selections": [
            {
                "description": _("Clauses of {standard} in the clause matrix.", standard=_code(str(ref))),
                "props": _props(_prop("standard", str(ref))),
                "include-controls": [{"control-id": i} for i in ids],
            }
            for ref, ids in by_standard.items()
        ]
    }


def _assessment_assets(tool_uuid: str, platform_uuid: str, version: str) -> dict[str, Any]:
    return {
        "components": [
            {
                "uuid": tool_uuid,
                "type": "software",
                "title": "ocp-check",
                "description": _(
                    "Checks vendor data manifests, retention policies and OpenAPI descriptions "
                    "against the Open City Platform data-governance standards."
                ),
                "props": _props(_prop("version", version)),
                "status": {"state": "operational"},
            }
        ],
        "assessment-platforms": [
            {
                "uuid": platform_uuid,
                "title": "ocp-check",
                "uses-components": [{"component-uuid": tool_uuid}],
            }
        ],
    }


def _result_description(sub: SubmissionResult) -> str:
    verdict = (
        i18n.pgettext("verdict", "conformant")
        if sub.conformant
        else i18n.pgettext("verdict", "nonconformant")
    )
    if sub.evaluation:
        head = _(
            "Submission {name} (evaluation {evaluation}): {verdict}.",
            name=_code(sub.name),
            evaluation=_code(sub.evaluation),
            verdict=verdict,
        )
    else:
        head = _("Submission {name}: {verdict}.", name=_code(sub.name), verdict=verdict)
    statuses = Counter(c.status for c in sub.clauses)
    clause_text = ", ".join(status_count(s, statuses[s]) for s in Status if statuses[s]) or _("none")
    counts = sub.counts()
    finding_text = ", ".join(_finding_count(k, n) for k, n in counts.items() if n) or _("none")
    judged = " " + _("It was {judged}.", judged=_md(sub.judged_against)) if sub.judged_against else ""
    return (
        f"{head}{judged}\n\n"
        + _("Clauses: {list}.", list=clause_text)
        + "\n\n"
        + _("Findings: {list}.", list=finding_text)
    )


def _finding_count(key: str, n: int) -> str:
    """``5 errors``, ``2 waived``: a submission's count of findings of one kind."""
    kinds: dict[str, Severity | FindingState] = {
        "error": Severity.ERROR,
        "warning": Severity.WARNING,
        "info": Severity.INFO,
        "waived": FindingState.WAIVED,
        "not-in-force": FindingState.NOT_IN_FORCE,
        "disabled": FindingState.DISABLED,
    }
    return finding_label_count(kinds[key], n, _plain_count(n)) if key in kinds else f"{n} {key}"


def _result(
    sub: SubmissionResult, result_uuid: str, stamp: str, version: str, caps: FindingCaps
) -> dict[str, Any]:
    tool_uuid = _uuid(result_uuid, "tool")
    if sub.evaluation:
        title = _(
            "Submission {name}, evaluation {evaluation}",
            name=_code(sub.name),
            evaluation=_code(sub.evaluation),
        )
    else:
        title = _("Submission {name}", name=_code(sub.name))
    out: dict[str, Any] = {
        "uuid": result_uuid,
        "title": _line(title),
        "description": _result_description(sub),
        "start": stamp,
        "end": stamp,
    }
    doc_props: list[dict[str, str]] = []
    for i, d in enumerate(sub.documents, 1):
        group = f"document-{i}"
        doc_props += _props(
            _prop("document", d.path, group=group),
            _prop("document-kind", d.kind.value if d.kind else "", group=group),
            _prop("document-sha256", d.sha256, group=group),
        )
    _with_props(
        out,
        _props(
            _prop("submission", sub.name),
            _prop("root", sub.root),
            _prop("evaluation", sub.evaluation),
            _prop("verdict", sub.verdict),
            _prop("findings-not-shown", str(sub.folded_count()) if sub.folded else ""),
            _prop("max-findings-per-rule", str(caps.per_rule) if sub.folded else ""),
            _prop("max-findings-per-document", str(caps.per_document) if sub.folded else ""),
        )
        + doc_props,
    )
    out["local-definitions"] = {
        "assessment-assets": _assessment_assets(tool_uuid, _uuid(result_uuid, "platform"), version)
    }
    out["reviewed-controls"] = _reviewed_controls(sub.clauses)

    observations: list[dict[str, Any]] = []
    by_clause: dict[tuple[str, StandardRef], list[str]] = {}
    for i, f in enumerate(sub.findings):
        obs_uuid = _uuid(result_uuid, "observation", str(i))
        observations.append(_observation(f, obs_uuid, tool_uuid, stamp))
        if f.clause is not None and f.standard is not None:
            by_clause.setdefault((f.clause, f.standard), []).append(obs_uuid)

    findings: list[dict[str, Any]] = []
    matched: set[tuple[str, StandardRef]] = set()
    for i, c in enumerate(sub.clauses):
        key = (c.clause, c.standard)
        matched.add(key)
        related = list(by_clause.get(key, []))
        if c.status is Status.ATTESTED:
            obs_uuid = _uuid(result_uuid, "attestation", str(i))
            observations.append(_attested_observation(c, sub, obs_uuid, tool_uuid, stamp))
            related.append(obs_uuid)
        findings.append(_finding(c, _uuid(result_uuid, "finding", str(i)), tool_uuid, related))

    if observations:
        out["observations"] = observations
    if findings:
        out["findings"] = findings
    unmatched = sum(
        1
        for f in sub.findings
        if f.clause is None or f.standard is None or (f.clause, f.standard) not in matched
    )
    remarks = []
    if unmatched:
        remarks.append(
            ngettext(
                "{count} finding belongs to no clause of the matrix (for example a file that could not be "
                "loaded or was not recognised): they appear as observations only, and active ones still "
                "count towards the verdict.",
                "{count} findings belong to no clause of the matrix (for example a file that could not be "
                "loaded or was not recognised): they appear as observations only, and active ones still "
                "count towards the verdict.",
                unmatched,
                count=_plain_count(unmatched),
            )
        )
    if sub.folded:
        remarks.append(_folded_remark(sub, caps))
    if remarks:
        out["remarks"] = "\n\n".join(remarks)
    return out


def _folded_remark(sub: SubmissionResult, caps: FindingCaps) -> str:
    """Findings the caps left out of the observations: counted here, and in the findings'
    clause statuses and the verdict like the ones observed."""
    total = sub.folded_count()
    groups = "; ".join(_folded_group(g) for g in sub.folded)
    return ngettext(
        "{count} more finding are not shown as observations ({caps}); they count in the clause "
        "statuses and the verdict: {groups}.",
        "{count} more findings are not shown as observations ({caps}); they count in the clause "
        "statuses and the verdict: {groups}.",
        total,
        count=_num(total),
        caps=caps.describe(),
        groups=groups,
    )


def _folded_group(g: FoldedFindings) -> str:
    """``1,234 warning of `rule` in `file```: one group of findings a cap left out."""
    values = {
        "count": _num(g.count),
        "label": finding_label(g.severity if g.active else g.state),
        "rule": _code(g.rule),
    }
    if g.file:
        return _("{count} {label} of {rule} in {file}", file=_code(g.file), **values)
    return _("{count} {label} of {rule}", **values)


def _empty_result(result_uuid: str, stamp: str) -> dict[str, Any]:
    """The one result a run without submissions still needs (the schema wants at least one)."""
    return {
        "uuid": result_uuid,
        "title": _("No submission"),
        "description": _("The run checked no submission."),
        "start": stamp,
        "end": stamp,
        "reviewed-controls": {
            "control-selections": [
                {
                    "description": _("No clause was evaluated."),
                    "include-all": {},
                    "remarks": _("The schema requires a control selection; nothing was reviewed."),
                }
            ]
        },
    }


def _plan_resource(report: Report, plan_uuid: str) -> dict[str, Any]:
    """The back-matter resource ``import-ap`` points to: the standards standing in for a plan."""
    names = ", ".join(str(s.ref) for s in report.standards) or _("none")
    return _with_props(
        {
            "uuid": plan_uuid,
            "title": _("Assessment plan: the standard versions applied"),
            "description": _(
                "No OSCAL assessment plan exists for this run. ocp-check judged every "
                "submission against the standard versions listed in this resource's "
                "properties, each identified by the SHA-256 of its pack; those standards are "
                "the plan."
            ),
            "citation": {"text": _line(_("Open City Platform standards: {list}", list=_md(names)))},
        },
        _standard_props(report.standards),
    )


def report_to_oscal(report: Report) -> dict[str, Any]:
    """The OSCAL document as plain data (see the module docstring for every choice)."""
    stamp = timestamp()
    canonical = json.dumps(report_to_dict(report), sort_keys=True, ensure_ascii=True)
    doc_uuid = _uuid("assessment-results", stamp, canonical)
    plan_uuid = _uuid(doc_uuid, "assessment-plan")
    version = _plain(report.tool_version) or "unknown"

    metadata: dict[str, Any] = {
        "title": _("ocp-check conformance results"),
        "last-modified": stamp,
        "version": version,
        "oscal-version": OSCAL_VERSION,
    }
    _with_props(
        metadata,
        _props(
            _prop("tool", "ocp-check"),
            _prop("verdict", "conformant" if report.conformant else "nonconformant"),
            _prop("today", report.today or ""),
            # OSCAL 1.2.1 has no language field: the text's language as a property.
            _prop("language", i18n.tag()),
        )
        + _standard_props(report.standards),
    )
    results = [
        _result(sub, _uuid(doc_uuid, "result", str(i)), stamp, version, report.caps)
        for i, sub in enumerate(report.submissions)
    ] or [_empty_result(_uuid(doc_uuid, "result", "none"), stamp)]
    return {
        "assessment-results": {
            "uuid": doc_uuid,
            "metadata": metadata,
            "import-ap": {
                "href": f"#{plan_uuid}",
                "remarks": _(
                    "There is no assessment plan document: this references the back-matter "
                    "resource that lists the standard versions applied."
                ),
            },
            "results": results,
            "back-matter": {"resources": [_plan_resource(report, plan_uuid)]},
        }
    }


def render(report: Report, options: RenderOptions) -> str:
    """OSCAL assessment-results JSON text, ending with a newline."""
    text = json.dumps(report_to_oscal(report), indent=2, ensure_ascii=False, allow_nan=False)
    return fix_surrogates(text) + "\n"
