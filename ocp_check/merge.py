"""``ocp-check merge``: the JSON reports of the parts of a sharded run, joined into one.

The result is the report the whole run would have made, byte for byte in its JSON form, so it
renders in every format and ``verify`` accepts it (it records the options of the whole run).
Parts are joined only when they are parts of one run: the same tool version, options (less
the part's own number), standards (ids, versions and content hashes), profile, date and plan,
each part present exactly once. Anything else is refused (exit 2, one line): a merged report
that silently mixed two commits' results would be worse than none.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ocp_check import i18n
from ocp_check.codec import BAD_DATA, report_from_dict
from ocp_check.errors import UsageError
from ocp_check.i18n import _
from ocp_check.model import (
    InputFile,
    Report,
    StandardInfo,
    StandardRef,
    SubmissionResult,
    VersionDelta,
    WaiverUse,
)
from ocp_check.standards import version_key

__all__ = ["merge_reports", "parse_part"]


def parse_part(text: str, source: str) -> dict[str, Any]:
    """A shard's JSON report as data; anything else is a usage error."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise UsageError(_("{file}: not a JSON report: {error}", file=source, error=str(err))) from None
    if not isinstance(data, dict) or data.get("report_format") != "1.0":
        raise UsageError(_("{file}: not an ocp-check JSON report (report_format 1.0)", file=source))
    if not isinstance(data.get("shard"), dict) or not isinstance(data.get("options"), dict):
        raise UsageError(
            _("{file}: not the report of a part of a sharded run (made without --shard I/N)", file=source)
        )
    return data


def _same(parts: Sequence[tuple[str, dict[str, Any]]], what: str, value: Any) -> None:
    """Refuse parts that differ in ``value``; ``what`` is a message with {source} and {other}."""
    first_source, first = parts[0]
    for source, data in parts[1:]:
        if value(data) != value(first):
            raise UsageError(i18n.render(what, {"source": source, "other": first_source}))


def _options(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data["options"].items() if k != "shard"}


def merge_reports(parts: Sequence[tuple[str, dict[str, Any]]]) -> Report:
    """One report from the parts of a sharded run (``(source, data)`` each, from ``parse_part``)."""
    if not parts:
        raise UsageError(_("merge needs the JSON reports of the parts of a sharded run"))
    _same(parts, _("cannot merge: {source} and {other} differ in tool version"), lambda d: d.get("tool"))
    _same(parts, _("cannot merge: {source} and {other} differ in options"), _options)
    _same(parts, _("cannot merge: {source} and {other} differ in profile"), lambda d: d.get("profile"))
    _same(parts, _("cannot merge: {source} and {other} differ in standards left out"), lambda d: d.get("left_out"))
    _same(
        parts,
        _("cannot merge: {source} and {other} differ in city waivers"),
        lambda d: [
            (w.get("id"), w.get("source"), w.get("expires"), w.get("expired")) for w in d.get("waivers", [])
        ],
    )
    _same(parts, _("cannot merge: {source} and {other} differ in number of parts"), lambda d: d["shard"].get("count"))
    _same(
        parts,
        _("cannot merge: {source} and {other} differ in plan (the files or the paths checked differ)"),
        lambda d: d["shard"].get("plan"),
    )
    dates = {d["today"] for _s, d in parts if d.get("today") is not None}
    if len(dates) > 1:
        raise UsageError(
            _("cannot merge: the parts were judged on different dates ({dates})", dates=", ".join(sorted(dates)))
        )
    try:
        reports = [(source, report_from_dict(data)) for source, data in parts]
    except BAD_DATA as err:
        raise UsageError(_("cannot merge: a report does not read back: {error}", error=str(err))) from None
    seen: dict[int, str] = {}
    count = 0
    for source, report in reports:
        shard = report.shard
        if shard is None or len(shard.positions) != len(report.submissions):
            raise UsageError(_("{file}: its shard record does not match its submissions", file=source))
        count = shard.count
        if shard.index in seen:
            raise UsageError(
                _(
                    "cannot merge: {source} and {other} are both part {part}",
                    source=seen[shard.index],
                    other=source,
                    part=f"{shard.index}/{count}",
                )
            )
        seen[shard.index] = source
    missing = [str(i) for i in range(1, count + 1) if i not in seen]
    if missing:
        raise UsageError(_("cannot merge: part(s) {parts} of {count} missing", parts=", ".join(missing), count=str(count)))
    standards: dict[StandardRef, StandardInfo] = {}
    for source, report in reports:
        for info in report.standards:
            if standards.setdefault(info.ref, info) != info:
                raise UsageError(_("cannot merge: {source} used other content for {ref}", source=source, ref=str(info.ref)))
    return _join([r for _s, r in reports], standards)


def _evaluation_rank(sub: SubmissionResult) -> tuple[Any, ...]:
    return version_key(sub.evaluation.rpartition("@")[2]) if sub.evaluation else ()


def _join(reports: list[Report], standards: dict[StandardRef, StandardInfo]) -> Report:
    placed: list[tuple[tuple[Any, ...], int, SubmissionResult]] = []
    deltas: list[tuple[int, VersionDelta]] = []
    positions: set[tuple[str, int]] = set()
    for report in reports:
        assert report.shard is not None
        first_evaluation: list[int] = []
        for sub, position in zip(report.submissions, report.shard.positions, strict=True):
            if (sub.evaluation, position) in positions:
                raise UsageError(_("cannot merge: two parts hold submission {name}", name=sub.name))
            positions.add((sub.evaluation, position))
            placed.append((_evaluation_rank(sub), position, sub))
            if sub.evaluation == report.submissions[0].evaluation:
                first_evaluation.append(position)
        deltas.extend(zip(first_evaluation, report.deltas, strict=False))
    placed.sort(key=lambda item: (item[0], item[1]))
    deltas.sort(key=lambda item: item[0])
    inputs: list[InputFile] = sorted(
        (i for r in reports for i in r.inputs), key=lambda i: (i.submission, i.path)
    )
    first = reports[0]
    waivers = tuple(
        WaiverUse(
            id=w.id,
            issuer=w.issuer,
            source=w.source,
            approved_by=w.approved_by,
            expires=w.expires,
            matched=sum(r.waivers[i].matched for r in reports if i < len(r.waivers)),
            expired=w.expired,
        )
        for i, w in enumerate(first.waivers)
    )
    return Report(
        tool_version=first.tool_version,
        submissions=tuple(sub for _rank, _position, sub in placed),
        standards=tuple(sorted(standards.values(), key=lambda i: (i.ref.id, version_key(i.ref.version)))),
        inputs=tuple(inputs),
        options={k: v for k, v in first.options.items() if k != "shard"},
        today=next((r.today for r in reports if r.today is not None), None),
        profile=first.profile,
        waivers=waivers,
        deltas=tuple(d for _position, d in deltas),
        left_out=first.left_out,
        caps=first.caps,
    )
