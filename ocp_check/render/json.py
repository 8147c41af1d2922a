"""The JSON report: the canonical, versioned form of a Report.

Its schema ships in the package (``ocp_check/schemas/report.schema.json``) and every test
that produces a JSON report validates it. Key order is fixed and nothing depends on the
clock or the machine unless asked (``today`` appears only when it was consulted), so the
same inputs give byte-identical output.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from ocp_check.model import (
    ClauseResult,
    DocumentResult,
    Finding,
    FoldedFindings,
    Report,
    StandardInfo,
    SubmissionResult,
    WaiverRef,
)
from ocp_check.render import RenderOptions
from ocp_check.sanitize import fix_surrogates

REPORT_FORMAT_VERSION = "1.0"


def finding_identity(f: Finding) -> dict[str, Any]:
    """What a finding is, as every machine-readable report states it (JSON, SARIF properties)."""
    return {
        "rule": f.rule,
        "clause": f.clause,
        "standard": str(f.standard) if f.standard else None,
        "level": f.level.value,
        "severity": f.severity.value,
        "state": f.state.value,
    }


def waiver_to_dict(w: WaiverRef, text: Callable[[str], str] = str, camel: bool = False) -> dict[str, Any]:
    """The waiver that matched a finding; ``text`` prepares the strings the vendor or the city
    wrote, ``camel`` names the keys as SARIF properties are named."""
    return {
        "id": text(w.id),
        "issuer": w.issuer,
        "approvedBy" if camel else "approved_by": text(w.approved_by),
        "expires": text(w.expires),
        "reason": text(w.reason),
        "honoured": w.honoured,
        "note": text(w.note),
    }


def finding_to_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        **finding_identity(f),
        "message": f.message,
        "fix": f.fix,
        "location": {
            "file": f.location.file,
            "pointer": f.location.pointer,
            "line": f.location.line,
            "column": f.location.column,
        },
    }
    if f.effective_from:
        out["effective_from"] = f.effective_from
    if f.waiver is not None:
        out["waiver"] = waiver_to_dict(f.waiver)
    if f.detail:
        out["detail"] = list(f.detail)
    if f.snippet:
        out["snippet"] = [{"line": n, "text": t} for n, t in f.snippet]
    return out


def clause_to_dict(c: ClauseResult) -> dict[str, Any]:
    return {
        "standard": str(c.standard),
        "clause": c.clause,
        "title": c.title,
        "level": c.level.value,
        "status": c.status.value,
        "reason": c.reason,
        "findings": c.findings,
    }


def document_to_dict(d: DocumentResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "path": d.path,
        "kind": d.kind.value if d.kind else None,
        "standard": str(d.standard) if d.standard else None,
        "standard_reason": d.standard_reason,
        "declared": d.declared,
        "sha256": d.sha256,
    }
    if d.unrecognised:
        out["unrecognised"] = d.unrecognised
    return out


def standard_info_to_dict(info: StandardInfo) -> dict[str, Any]:
    """A standard version the run used, as the report's list states it (the result cache
    keeps the same form beside each result)."""
    return {
        "id": info.ref.id,
        "version": info.ref.version,
        "title": info.title,
        "status": info.status,
        "status_date": info.status_date,
        "approval": info.approval or None,
        "provenance": info.provenance,
        "sha256": info.sha256,
    }


def submission_to_dict(s: SubmissionResult) -> dict[str, Any]:
    counts = s.counts()
    out: dict[str, Any] = {
        "name": s.name,
        "root": s.root,
    }
    if s.evaluation:
        out["evaluation"] = s.evaluation
    out.update(
        {
            "verdict": s.verdict,
            "judged_against": s.judged_against or None,
            "counts": counts,
            "documents": [document_to_dict(d) for d in s.documents],
            "fragments": list(s.fragments),
            "clauses": [clause_to_dict(c) for c in s.clauses],
            "findings": [finding_to_dict(f) for f in s.findings],
        }
    )
    if s.folded:
        out["folded"] = [folded_to_dict(g) for g in s.folded]
    return out


def folded_to_dict(g: FoldedFindings) -> dict[str, Any]:
    return {
        "file": g.file,
        "rule": g.rule,
        "clause": g.clause,
        "standard": str(g.standard) if g.standard else None,
        "level": g.level.value,
        "severity": g.severity.value,
        "state": g.state.value,
        "count": g.count,
    }


def report_to_dict(report: Report, *, submissions: bool = True) -> dict[str, Any]:
    """The report as JSON data; ``submissions=False`` leaves that list empty (``render``
    writes it one submission at a time)."""
    out: dict[str, Any] = {
        "report_format": REPORT_FORMAT_VERSION,
        "tool": {"name": "ocp-check", "version": report.tool_version},
        "verdict": "conformant" if report.conformant else "nonconformant",
        "counts": report.counts(),
        "files": report.accounting(),
        "options": report.options,
        "standards": [standard_info_to_dict(s) for s in report.standards],
        "inputs": [{"submission": i.submission, "path": i.path, "sha256": i.sha256} for i in report.inputs],
        "submissions": [submission_to_dict(s) for s in report.submissions] if submissions else [],
    }
    if report.today is not None:
        out["today"] = report.today
    if report.profile is not None:
        out["profile"] = report.profile
    if report.left_out:
        out["left_out"] = list(report.left_out)
    if report.deltas:
        out["evaluations"] = [
            {
                "submission": d.submission,
                "standard": d.standard,
                "verdicts": [{"version": v, "verdict": verdict} for v, verdict in d.verdicts],
                "summary": d.summary,
                "new_failures": [{"version": v, "clause": c, "why": w} for v, c, w in d.new_failures],
            }
            for d in report.deltas
        ]
    if report.shard is not None:
        out["shard"] = {
            "index": report.shard.index,
            "count": report.shard.count,
            "plan": report.shard.plan,
            "positions": list(report.shard.positions),
        }
    if report.waivers:
        out["waivers"] = [
            {
                "id": w.id,
                "issuer": w.issuer,
                "source": w.source,
                "approved_by": w.approved_by,
                "expires": w.expires,
                "matched": w.matched,
                "expired": w.expired,
            }
            for w in report.waivers
        ]
    return out


def dumps(data: Any, level: int = 0) -> str:
    """Canonical JSON text: UTF-8-safe, no NaN, two-space indent, trailing newline.

    Exactly ``json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)``, indented by
    ``level`` steps after each line break. The standard library encodes indented output in
    pure Python, generator by generator; a report of thousands of submissions spent more time
    there than in checking them. ``_pretty`` writes the same text for the plain JSON values a
    report is made of and defers anything else (a subclass, a non-string key) to ``json``.
    """
    out: list[str] = []
    try:
        _pretty(data, out, "\n" + "  " * level)
        text = "".join(out)
    except _Unusual:
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
        if level:
            text = text.replace("\n", "\n" + "  " * level)
    return fix_surrogates(text) + "\n"


class _Unusual(Exception):
    """A value ``_pretty`` leaves to ``json`` (it cannot occur in a report, but stays exact)."""


_string = json.encoder.encode_basestring  # the C function when the accelerator is present


def _pretty(value: Any, out: list[str], newline: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(_string(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            out.append(separator + _string(key) + ": ")
            _pretty(item, out, inner)
            separator = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _pretty(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float and value == value and value not in (_INF, -_INF):
        out.append(float.__repr__(value))
    else:  # NaN and infinities (json raises), subclasses, anything else
        raise _Unusual


_INF = float("inf")


_SUBMISSIONS = '"submissions": []'


def render(report: Report, options: RenderOptions) -> str:
    return "".join(render_chunks(report, options))


def render_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The text of ``dumps(report_to_dict(report))``, one submission at a time.

    A portal of 10,000 manifests makes a report of some 10^5 dicts; converting and encoding
    them all at once held the whole tree, every encoder chunk and the whole text in memory
    together. Each submission is encoded on its own and indented to its place in the list
    (JSON strings hold no raw line breaks, so indenting line by line is exact)."""
    outer = dumps(report_to_dict(report, submissions=False))
    if not report.submissions or outer.count(_SUBMISSIONS) != 1:  # the latter cannot happen
        yield dumps(report_to_dict(report))
        return
    head, tail = outer.split(_SUBMISSIONS)
    yield head + '"submissions": [\n'
    last = len(report.submissions) - 1
    known = report.json_texts
    for index, sub in enumerate(report.submissions):
        kept = known.get(id(sub))
        text = kept[1].read() if kept is not None and kept[0] is sub else None
        if text is None:
            text = submission_text(sub)
        yield "    " + text + (",\n" if index < last else "\n")
    yield "  ]" + tail


def submission_text(sub: SubmissionResult) -> str:
    """A submission as the JSON report writes it in its list: indented to its place, without
    the final line break. The result cache keeps this text beside a result, and a report
    written from cached results copies it instead of encoding the submission again."""
    return dumps(submission_to_dict(sub), 2)[:-1]
