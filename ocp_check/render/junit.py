"""JUnit XML: the clause matrix as test results, for CI systems that show test reports.

The shape follows the Apache Ant JUnit schema (``JUnit.xsd``), the one most CI systems read:
a ``<testsuites>`` root holding one ``<testsuite>`` per submission and document, each with
the required ``package`` and ``id``, then ``<properties>``, the test cases, ``<system-out>``
and ``<system-err>`` in that order.

Placement. A test case is one clause for one document. A clause's findings belong to the
documents they are located in, so a cross-document clause with findings in two files gives a
test case in each. A clause without findings goes to the one document judged by the clause's
standard (found through the submission's documents list); when there is none, or more than
one, it goes to the submission-level suite, which also holds findings located on no file (a
missing document). Findings that belong to no clause of the matrix (a file that cannot be
loaded, an unrecognised file) still fail: they get a test case named after their rule, in
their file's suite, so nothing that sets the exit code is invisible here.

Statuses, as docs/decisions.md ("Every clause gets a status") maps them. ``fail`` is a ``<failure>`` whose ``type`` is the
highest severity and whose text lists the findings; in a failing clause, a document whose own
findings are all waived reports ``waived`` instead, because that document is not what fails.
``waived``, ``not-applicable``, ``not-in-force`` and ``disabled`` are ``<skipped>`` with the
reason. ``not-checked`` (the document the clause needs is absent or did not load) is also
``<skipped>`` with its reason: JUnit has no better place for "could not be run", and a missing
document already fails its own clause. ``pass`` and ``attested`` are passing test cases; as
this schema gives a test case no output of its own, "attested, not verified" lines go to the
suite's ``<system-out>``.

Safety and determinism. Every text and attribute value, ours or the vendor's, passes through
``sanitize.xml_text`` so characters XML 1.0 cannot hold never make the file unparseable
(docs/decisions.md, "Output safety": XML); vendor text is first made visible with ``sanitize.for_terminal`` (escape
sequences and bidi overrides show as ``\\x1b``/``\\u202e``, because these reports are also
printed in CI logs). The timestamp is the time of ``SOURCE_DATE_EPOCH`` in UTC, or the Unix
epoch; the host name is ``localhost`` and every duration is 0 (docs/decisions.md, "Time, determinism, provenance"), so the same
report gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ocp_check import i18n
from ocp_check.i18n import _, ngettext
from ocp_check.l10n import format_int
from ocp_check.model import (
    DocumentResult,
    Finding,
    FindingCaps,
    FindingState,
    FoldedFindings,
    Report,
    Severity,
    StandardRef,
    Status,
    SubmissionResult,
)
from ocp_check.render import RenderOptions
from ocp_check.reproducible import render_moment
from ocp_check.sanitize import for_terminal, one_line, xml_text
from ocp_check.wording import finding_label, issuer_word, level_word, status_word

#: The statuses of a skipped test case; its message is the status, in the words of every
#: other format.
_SKIPPED = (Status.WAIVED, Status.NOT_APPLICABLE, Status.NOT_IN_FORCE, Status.DISABLED, Status.NOT_CHECKED)
_MAX_FINDINGS = 100


def timestamp() -> str:
    """``SOURCE_DATE_EPOCH`` as a UTC date-time without zone (as the schema wants), or the epoch."""
    return render_moment(1, 9999).strftime("%Y-%m-%dT%H:%M:%S")


def _vendor(s: str) -> str:
    """Multi-line vendor text: controls visible, then only characters XML can hold."""
    return xml_text(for_terminal(s))


def _attr(s: str, limit: int = 1000) -> str:
    """A one-line attribute value."""
    return xml_text(one_line(s, limit))


def _element(
    parent: ET.Element, tag: str, attrs: dict[str, str] | None = None, text: str | None = None
) -> ET.Element:
    """A child element; every value passes ``xml_text`` here, the one place elements are made."""
    child = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in (attrs or {}).items()})
    if text is not None:
        child.text = xml_text(text)
    return child


@dataclass
class _Case:
    name: str
    classname: str
    status: Status
    reason: str = ""
    findings: list[Finding] = field(default_factory=list)
    folded: list[FoldedFindings] = field(default_factory=list)  # left out of the list by a cap


@dataclass
class _Suite:
    name: str
    file: str
    document: DocumentResult | None
    cases: list[_Case] = field(default_factory=list)
    out: list[str] = field(default_factory=list)


def _given_path(sub: SubmissionResult, file: str) -> str:
    if sub.root == "<stdin>" or not file:
        return file or sub.name
    return f"{sub.root}/{file}" if sub.root not in ("", ".") else file


def _num(n: int) -> str:
    """A count as the run's language writes it (``1,244`` / ``1 244``)."""
    return format_int(n, i18n.current_language())


def _finding_text(sub: SubmissionResult, f: Finding) -> str:
    loc = f.location
    where = _given_path(sub, loc.file)
    if loc.line is not None:
        where += f":{loc.line}:{loc.column or 1}"
    state = finding_label(f.severity if f.active else f.state)
    head = _("[{state}] {where}: {message}", state=state, where=where, message=f.message)
    lines = [one_line(head, 2000)]
    meta = [_("rule {rule}", rule=f.rule), level_word(f.level)]
    if f.standard:
        meta.append(str(f.standard))
    if loc.pointer:
        meta.append(_("at {pointer}", pointer=loc.pointer))
    lines.append("  " + one_line(", ".join(meta), 600))
    if f.waiver is not None:
        w = f.waiver
        values = {
            "id": w.id,
            "issuer": issuer_word(w.issuer),
            "reason": w.reason,
            "approver": w.approved_by,
            "date": w.expires,
        }
        if w.honoured:
            text = _(
                "waiver {id} ({issuer}, honoured): {reason}; approved by {approver}, expires {date}", **values
            )
        else:
            text = _(
                "waiver {id} ({issuer}, NOT honoured): {reason}; approved by {approver}, expires {date}",
                **values,
            )
        if w.note:
            text += f"; {w.note}"
        lines.append("  " + one_line(text, 1000))
    if f.effective_from:
        lines.append("  " + _("in force from {date}", date=one_line(f.effective_from, 40)))
    lines.append("  " + _("fix: {fix}", fix=one_line(f.fix, 1000)))
    for number, text in f.snippet:
        marker = ">" if number == loc.line else " "
        lines.append(f"  {marker} {number} | {one_line(text, 300)}")
    return "\n".join(lines)


def _findings_text(sub: SubmissionResult, case: _Case, caps: FindingCaps) -> str:
    findings = case.findings
    shown = [_finding_text(sub, f) for f in findings[:_MAX_FINDINGS]]
    if len(findings) > _MAX_FINDINGS:
        more = len(findings) - _MAX_FINDINGS
        shown.append(ngettext("... and {count} more finding", "... and {count} more findings", more))
    folded = sum(g.count for g in case.folded)
    if folded:
        states = ", ".join(
            f"{_num(g.count)} {finding_label(g.severity if g.active else g.state)}" for g in case.folded
        )
        shown.append(
            ngettext(
                "... and {count} more finding not shown ({caps}): {states}",
                "... and {count} more findings not shown ({caps}): {states}",
                folded,
                count=_num(folded),
                caps=caps.describe(),
                states=states,
            )
        )
    return "\n".join(shown) + "\n" if shown else ""


def _status_of(findings: list[Finding], folded: Sequence[FoldedFindings] = ()) -> Status:
    """The status of a group of findings on their own: any active one fails it."""
    if any(f.active for f in findings) or any(g.active for g in folded):
        return Status.FAIL
    if any(f.state is FindingState.WAIVED for f in findings) or any(
        g.state is FindingState.WAIVED for g in folded
    ):
        return Status.WAIVED
    return Status.NOT_IN_FORCE


def _waiver_summary(findings: list[Finding]) -> str:
    parts = []
    for f in findings:
        w = f.waiver
        if w is not None and f.state is FindingState.WAIVED:
            parts.append(
                _(
                    "waiver {id} approved by {approver}, expires {date}: {reason}",
                    id=w.id,
                    approver=w.approved_by,
                    date=w.expires,
                    reason=w.reason,
                )
            )
    return "; ".join(dict.fromkeys(parts))


def _home_file(sub: SubmissionResult, standard: StandardRef) -> str | None:
    """The one document judged by ``standard``: by exact version, else by standard id."""
    exact = [d for d in sub.documents if d.standard == standard]
    by_id = [d for d in sub.documents if d.standard is not None and d.standard.id == standard.id]
    for docs in (exact, by_id):
        if docs:
            kinds = {d.kind for d in docs}
            same_kind = [d for d in sub.documents if d.kind in kinds and d.kind is not None]
            return docs[0].path if len(same_kind) == 1 and len(docs) == 1 else None
    return None


def _cases(sub: SubmissionResult) -> dict[str, list[_Case]]:
    """Test cases by file ("" is the submission-level suite), in clause-matrix order.

    Findings folded by a cap belong to their clause and file like the listed ones: a case
    whose findings are all folded still fails, and says how many it holds.
    """
    by_file: dict[str, list[_Case]] = {}
    claimed: set[int] = set()
    # Findings indexed by clause once: a scan of every finding per clause was quadratic.
    by_clause: dict[tuple[str | None, StandardRef | None], list[Finding]] = {}
    for f in sub.findings:
        by_clause.setdefault((f.clause, f.standard), []).append(f)
    folded_by_clause: dict[tuple[str | None, StandardRef | None], list[FoldedFindings]] = {}
    for g in sub.folded:
        folded_by_clause.setdefault((g.clause, g.standard), []).append(g)
    for c in sub.clauses:
        mine = by_clause.get((c.clause, c.standard), [])
        mine_folded = folded_by_clause.get((c.clause, c.standard), [])
        claimed.update(id(f) for f in mine)
        claimed.update(id(g) for g in mine_folded)
        name = f"{c.clause} {c.title}"
        classname = str(c.standard)
        if not mine and not mine_folded:
            home = _home_file(sub, c.standard) or ""
            by_file.setdefault(home, []).append(_Case(name, classname, c.status, c.reason))
            continue
        by_file_here: dict[str, tuple[list[Finding], list[FoldedFindings]]] = {}
        for f in mine:
            by_file_here.setdefault(f.location.file, ([], []))[0].append(f)
        for g in mine_folded:
            by_file_here.setdefault(g.file, ([], []))[1].append(g)
        for file, (here, here_folded) in sorted(by_file_here.items()):
            status = c.status
            reason = c.reason
            if c.status is Status.FAIL:
                status = _status_of(here, here_folded)
                if status is not Status.FAIL:
                    if status is Status.WAIVED:
                        reason = _("the findings in this document are waived")
                    else:
                        reason = _("the findings in this document are not-in-force")
            by_file.setdefault(file, []).append(_Case(name, classname, status, reason, here, here_folded))

    loose: dict[tuple[str, str], tuple[list[Finding], list[FoldedFindings]]] = {}
    for f in sub.findings:
        if id(f) not in claimed:
            label = f"{f.clause} ({f.rule})" if f.clause else f.rule
            loose.setdefault((f.location.file, label), ([], []))[0].append(f)
    for g in sub.folded:
        if id(g) not in claimed:
            label = f"{g.clause} ({g.rule})" if g.clause else g.rule
            loose.setdefault((g.file, label), ([], []))[1].append(g)
    for (file, label), (findings, folded) in sorted(loose.items()):
        standard = findings[0].standard if findings else folded[0].standard
        classname = str(standard) if standard else "ocp-check"
        status = _status_of(findings, folded)
        if status is Status.FAIL:
            reason = ""
        elif status is Status.WAIVED:
            reason = _("all findings waived")
        else:
            reason = _("all findings not-in-force")
        by_file.setdefault(file, []).append(_Case(label, classname, status, reason, findings, folded))
    return by_file


def _suites(sub: SubmissionResult) -> list[_Suite]:
    cases = _cases(sub)
    documents = {d.path: d for d in sub.documents}
    files = [d.path for d in sub.documents if d.path]
    files += sorted(f for f in cases if f and f not in documents)
    suites = [
        _Suite(f"{sub.name}: {file}", file, documents.get(file), cases.get(file, []))
        for file in dict.fromkeys(files)
    ]
    if cases.get(""):
        suites.append(_Suite(f"{sub.name}: " + _("(submission)"), "", None, cases[""]))
    for suite in suites:
        for case in suite.cases:
            if case.status is Status.ATTESTED:
                if case.reason:
                    line = _(
                        "{clause}: attested, not verified ({reason})", clause=case.name, reason=case.reason
                    )
                else:
                    line = _("{clause}: attested, not verified", clause=case.name)
                suite.out.append(one_line(line, 1000))
    return suites


def _severity(findings: list[Finding], folded: Sequence[FoldedFindings] = ()) -> Severity:
    active = [f.severity for f in findings if f.active] + [g.severity for g in folded if g.active]
    every = active or [f.severity for f in findings] + [g.severity for g in folded]
    return max(every, key=lambda s: s.rank, default=Severity.ERROR)


def _write_case(parent: ET.Element, sub: SubmissionResult, case: _Case, caps: FindingCaps) -> None:
    node = _element(
        parent,
        "testcase",
        {"name": one_line(case.name, 500), "classname": one_line(case.classname, 300), "time": "0"},
    )
    details = _findings_text(sub, case, caps)
    if case.status is Status.FAIL:
        active = [f for f in case.findings if f.active]
        count = len(active) + sum(g.count for g in case.folded if g.active)
        if active:
            message = ngettext(
                "{count} finding: {message}", "{count} findings: {message}", count, message=active[0].message
            )
        elif count:
            message = ngettext(
                "{count} finding, none shown ({caps})",
                "{count} findings, none shown ({caps})",
                count,
                caps=caps.describe(),
            )
        else:
            message = case.reason or _("failed")
        _element(
            node,
            "failure",
            {"message": _attr(message, 500), "type": _severity(case.findings, case.folded).value},
            _vendor(details),
        )
    elif case.status in _SKIPPED:
        message = status_word(case.status)
        reason = case.reason
        if case.status is Status.WAIVED:
            waivers = _waiver_summary(case.findings)
            reason = f"{reason}; {waivers}" if reason and waivers else reason or waivers
        if reason:
            message = _("{status}: {reason}", status=message, reason=reason)
        _element(
            node,
            "skipped",
            {"message": _attr(message, 1000)},
            _vendor(details) if details else None,
        )


def _write_suite(
    parent: ET.Element,
    report: Report,
    sub: SubmissionResult,
    suite: _Suite,
    number: int,
    stamp: str,
) -> None:
    failures = sum(1 for c in suite.cases if c.status is Status.FAIL)
    skipped = sum(1 for c in suite.cases if c.status in _SKIPPED)
    node = _element(
        parent,
        "testsuite",
        {
            "name": _attr(suite.name, 1000),
            "timestamp": stamp,
            "hostname": "localhost",
            "tests": str(len(suite.cases)),
            "failures": str(failures),
            "errors": "0",
            "skipped": str(skipped),
            "time": "0",
            "package": _attr(sub.name, 1000),
            "id": str(number),
        },
    )
    properties = _element(node, "properties")
    values: list[tuple[str, str]] = [
        ("ocp-check.version", report.tool_version),
        ("submission", sub.name),
        ("submission.root", sub.root),
        ("submission.verdict", sub.verdict),
    ]
    if sub.judged_against:
        values.append(("submission.judged_against", sub.judged_against))
    values += [(f"standard.{s.ref}.status", s.status_text()) for s in report.standards]
    if suite.file:
        values.append(("document", suite.file))
    doc = suite.document
    if doc is not None:
        values.append(("document.kind", doc.kind.value if doc.kind else "unrecognised"))
        if doc.standard is not None:
            values.append(("document.standard", str(doc.standard)))
            values.append(("document.standard_reason", doc.standard_reason))
        if doc.sha256:
            values.append(("document.sha256", doc.sha256))
    if report.today is not None:
        values.append(("today", report.today))
    # JUnit has no language attribute: the suite says which language its messages are in.
    values.append(("language", i18n.tag()))
    if sub.folded:
        values.append(("submission.findings_not_shown", str(sub.folded_count())))
        here = sum(g.count for case in suite.cases for g in case.folded)
        if here:
            values.append(("findings.not_shown", str(here)))
        values.append(("findings.max_per_rule", str(report.caps.per_rule)))
        values.append(("findings.max_per_document", str(report.caps.per_document)))
    for name, value in values:
        _element(properties, "property", {"name": name, "value": _attr(value, 1000)})
    for case in suite.cases:
        _write_case(node, sub, case, report.caps)
    _element(node, "system-out", text=_vendor("".join(line + "\n" for line in suite.out)))
    _element(node, "system-err", text="")


def _suites_of(report: Report) -> Iterable[tuple[SubmissionResult, _Suite]]:
    for sub in report.submissions:
        for suite in _suites(sub):
            yield sub, suite


def render(report: Report, options: RenderOptions) -> str:
    stamp = timestamp()
    root = ET.Element("testsuites")
    for number, (sub, suite) in enumerate(_suites_of(report)):
        _write_suite(root, report, sub, suite, number, stamp)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
