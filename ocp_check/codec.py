"""Results as JSON data, and back: what the result cache stores and what ``merge`` reads.

The JSON report (``render/json.py``) is the canonical form of a result. Reading it back must
give the very values it was made from, so that a submission taken from the cache, or a shard
report merged with others, renders byte for byte as a fresh run would, in every format. Every
field of every value is therefore written and read here explicitly; a test round-trips the
example bids' results through these functions and compares all renderings.

Input is untrusted (a cache entry may be truncated or written by another tool, a report may
be edited): anything that is not exactly the expected shape raises ``ValueError``,
``KeyError`` or ``TypeError`` (``BAD_DATA``), which a caller treats as "not a result".
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Any

from ocp_check.model import (
    ClauseResult,
    DocumentKind,
    DocumentResult,
    Finding,
    FindingCaps,
    FindingState,
    FoldedFindings,
    InputFile,
    Level,
    Location,
    Report,
    Severity,
    ShardInfo,
    StandardInfo,
    StandardRef,
    Status,
    SubmissionResult,
    VersionDelta,
    WaiverRef,
    WaiverUse,
)
from ocp_check.render.json import standard_info_to_dict, submission_text, submission_to_dict
from ocp_check.stages.context import TaskResult

#: What reading malformed data raises.
BAD_DATA = (ValueError, KeyError, TypeError)

__all__ = [
    "BAD_DATA",
    "report_from_dict",
    "standard_info_to_dict",
    "submission_from_dict",
    "submission_text",
    "task_result_from_dict",
    "task_result_to_dict",
]


def _map(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("expected an object")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected an integer")
    return value


def _opt_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected a boolean")
    return value


def ref_from_text(text: Any) -> StandardRef:
    """``id@version`` back to a ``StandardRef``."""
    sid, at, version = _str(text).rpartition("@")
    if not at or not sid or not version:
        raise ValueError(f"not a standard reference: {text!r}")
    return StandardRef(sid, version)


def _opt_ref(text: Any) -> StandardRef | None:
    return None if text is None else ref_from_text(text)


def finding_from_dict(data: Any) -> Finding:
    d = _map(data)
    loc = _map(d["location"])
    waiver = None
    if "waiver" in d:
        w = _map(d["waiver"])
        waiver = WaiverRef(
            id=_str(w["id"]),
            issuer=_str(w["issuer"]),
            approved_by=_str(w["approved_by"]),
            expires=_str(w["expires"]),
            reason=_str(w["reason"]),
            honoured=_bool(w["honoured"]),
            note=_str(w["note"]),
        )
    return Finding(
        rule=_str(d["rule"]),
        clause=_opt_str(d["clause"]),
        standard=_opt_ref(d["standard"]),
        level=Level(d["level"]),
        severity=Severity(d["severity"]),
        message=_str(d["message"]),
        fix=_str(d["fix"]),
        location=Location(
            file=_str(loc["file"]),
            pointer=_str(loc["pointer"]),
            line=_opt_int(loc["line"]),
            column=_opt_int(loc["column"]),
        ),
        state=FindingState(d["state"]),
        waiver=waiver,
        snippet=tuple((_int(_map(s)["line"]), _str(_map(s)["text"])) for s in _list(d.get("snippet", []))),
        detail=tuple(_str(x) for x in _list(d.get("detail", []))),
        effective_from=_opt_str(d.get("effective_from")),
    )


_CLAUSE_KEYS = ("standard", "clause", "title", "level", "status", "reason", "findings")
_clause_key = operator.itemgetter(*_CLAUSE_KEYS)
#: Marks a remembered list of clause results apart from a remembered clause result.
_LIST = object()


def clause_from_dict(data: Any) -> ClauseResult:
    d = _map(data)
    return ClauseResult(
        standard=ref_from_text(d["standard"]),
        clause=_str(d["clause"]),
        title=_str(d["title"]),
        level=Level(d["level"]),
        status=Status(d["status"]),
        reason=_str(d["reason"]),
        findings=_int(d["findings"]),
    )


def document_from_dict(data: Any) -> DocumentResult:
    d = _map(data)
    kind = d["kind"]
    return DocumentResult(
        path=_str(d["path"]),
        kind=None if kind is None else DocumentKind(kind),
        standard=_opt_ref(d["standard"]),
        standard_reason=_str(d["standard_reason"]),
        sha256=_str(d["sha256"]),
        declared=_opt_str(d["declared"]),
        unrecognised=_str(d.get("unrecognised", "")),
    )


def folded_from_dict(data: Any) -> FoldedFindings:
    d = _map(data)
    return FoldedFindings(
        file=_str(d["file"]),
        rule=_str(d["rule"]),
        clause=_opt_str(d["clause"]),
        standard=_opt_ref(d["standard"]),
        level=Level(d["level"]),
        severity=Severity(d["severity"]),
        state=FindingState(d["state"]),
        count=_int(d["count"]),
    )


def clauses_from_list(items: list[Any], memo: dict[tuple[Any, ...], Any]) -> tuple[ClauseResult, ...]:
    """A submission's clause list, through ``memo``: equal clause results read back as one
    object, and equal lists too (``memo`` keeps their members alive, so their identities are
    stable), so the run that gathers them shares them at no cost."""

    def clause(item: Any) -> ClauseResult:
        if type(item) is not dict or len(item) != len(_CLAUSE_KEYS):
            return clause_from_dict(item)  # raises, unless it is a dict subclass
        key = _clause_key(item)  # KeyError when a key is missing; TypeError when unhashable
        known = memo.get(key)
        if known is None:
            known = memo[key] = clause_from_dict(item)
        return known

    read = tuple(clause(x) for x in items)
    known: tuple[ClauseResult, ...] = memo.setdefault((_LIST, *map(id, read)), read)
    return known


def submission_from_dict(
    data: Any,
    clauses: dict[tuple[Any, ...], Any] | None = None,
    *,
    clause_list: tuple[ClauseResult, ...] | None = None,
) -> SubmissionResult:
    """A submission as ``submission_to_dict`` wrote it (its verdict and counts are derived).

    ``clauses`` remembers the clause results (and lists of them) already read: a portal's
    thousands of manifests share most of them, and reading one back is most of the cost of a
    warm cache. ``clause_list`` is the list already read, when ``data`` holds an empty one
    in its place (the cache reads equal lists once)."""
    d = _map(data)
    if clause_list is not None:
        if _list(d["clauses"]):
            raise ValueError("a clause list in place of the one read apart")
        read = clause_list
    elif clauses is None:
        read = tuple(clause_from_dict(x) for x in _list(d["clauses"]))
    else:
        read = clauses_from_list(_list(d["clauses"]), clauses)
    return SubmissionResult(
        name=_str(d["name"]),
        root=_str(d["root"]),
        documents=tuple(document_from_dict(x) for x in _list(d["documents"])),
        findings=tuple(finding_from_dict(x) for x in _list(d["findings"])),
        clauses=read,
        fragments=tuple(_str(x) for x in _list(d["fragments"])),
        evaluation=_str(d.get("evaluation", "")),
        judged_against=_opt_str(d["judged_against"]) or "",
        folded=tuple(folded_from_dict(x) for x in _list(d.get("folded", []))),
    )


def standard_info_from_dict(data: Any) -> StandardInfo:
    s = _map(data)
    return StandardInfo(
        ref=StandardRef(_str(s["id"]), _str(s["version"])),
        title=_str(s["title"]),
        status=_str(s["status"]),
        sha256=_str(s["sha256"]),
        status_date=_str(s["status_date"]),
        approval=_opt_str(s["approval"]) or "",
        provenance=_str(s["provenance"]),
    )


def task_result_to_dict(result: TaskResult, *, submission: bool = True) -> dict[str, Any]:
    """A worker's result as JSON data (what the result cache stores); without
    ``submission``, all but the submission, which the cache keeps as the report's text."""
    out = {"submission": submission_to_dict(result.submission)} if submission else {}
    return out | {
        "inputs": [[i.submission, i.path, i.sha256] for i in result.inputs],
        "used": [str(r) for r in result.used],
        "consulted_today": result.consulted_today,
        "waiver_usage": [[*key, count] for key, count in sorted(result.waiver_usage.items())],
        "reads": [[rel, digest] for rel, digest in result.reads],
    }


def task_result_from_dict(
    data: Any,
    clauses: dict[tuple[Any, ...], Any] | None = None,
    *,
    clause_list: tuple[ClauseResult, ...] | None = None,
) -> TaskResult:
    d = _map(data)
    usage: dict[tuple[str, str, str], int] = {}
    for item in _list(d["waiver_usage"]):
        a, b, c, count = _list(item)
        usage[(_str(a), _str(b), _str(c))] = _int(count)
    reads = []
    for item in _list(d["reads"]):
        rel, digest = _list(item)
        reads.append((_str(rel), _str(digest)))
    inputs = []
    for item in _list(d["inputs"]):
        sub, path, digest = _list(item)
        inputs.append(InputFile(_str(sub), _str(path), _str(digest)))
    return TaskResult(
        standards=tuple(standard_info_from_dict(x) for x in _list(d.get("standards", []))),
        submission=submission_from_dict(d["submission"], clauses, clause_list=clause_list),
        inputs=tuple(inputs),
        used=tuple(ref_from_text(r) for r in _list(d["used"])),
        consulted_today=_bool(d["consulted_today"]),
        waiver_usage=usage,
        reads=tuple(reads),
    )


def report_from_dict(data: Any) -> Report:
    """A JSON report back to the ``Report`` it was rendered from (``merge`` renders it again)."""
    d = _map(data)
    options = _map(d["options"])
    limits = _map(options.get("limits", {}))
    defaults = FindingCaps()
    caps = FindingCaps(
        per_rule=_int(limits.get("max_findings_per_rule", defaults.per_rule)),
        per_document=_int(limits.get("max_findings_per_document", defaults.per_document)),
    )
    standards = tuple(standard_info_from_dict(x) for x in _list(d["standards"]))
    inputs = tuple(
        InputFile(_str(i["submission"]), _str(i["path"]), _str(i["sha256"]))
        for i in (_map(x) for x in _list(d["inputs"]))
    )
    deltas = tuple(
        VersionDelta(
            submission=_str(e["submission"]),
            standard=_str(e["standard"]),
            verdicts=tuple(
                (_str(_map(v)["version"]), _str(_map(v)["verdict"])) for v in _list(e["verdicts"])
            ),
            summary=_str(e["summary"]),
            new_failures=tuple(
                (_str(_map(n)["version"]), _str(_map(n)["clause"]), _str(_map(n)["why"]))
                for n in _list(e["new_failures"])
            ),
        )
        for e in (_map(x) for x in _list(d.get("evaluations", [])))
    )
    waivers = tuple(
        WaiverUse(
            id=_str(w["id"]),
            issuer=_str(w["issuer"]),
            source=_str(w["source"]),
            approved_by=_str(w["approved_by"]),
            expires=_str(w["expires"]),
            matched=_int(w["matched"]),
            expired=_bool(w["expired"]),
        )
        for w in (_map(x) for x in _list(d.get("waivers", [])))
    )
    profile = d.get("profile")
    shard = None
    if "shard" in d:
        part = _map(d["shard"])
        shard = ShardInfo(
            index=_int(part["index"]),
            count=_int(part["count"]),
            plan=_str(part["plan"]),
            positions=tuple(_int(p) for p in _list(part["positions"])),
        )
    return Report(
        tool_version=_str(_map(d["tool"])["version"]),
        submissions=tuple(submission_from_dict(s) for s in _list(d["submissions"])),
        standards=standards,
        inputs=inputs,
        options=dict(options),
        today=_opt_str(d.get("today")),
        profile=None if profile is None else dict(_map(profile)),
        waivers=waivers,
        deltas=deltas,
        left_out=tuple(_str(x) for x in _list(d.get("left_out", []))),
        caps=caps,
        shard=shard,
    )
