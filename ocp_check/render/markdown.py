"""Markdown for pull-request comments and CI job summaries (GitHub-flavoured).

The reader first sees the overall verdict and a small table of counts, then one verdict line
and counts per submission, with the clause matrix (failing clauses first) and the findings
folded in ``<details>`` blocks so a long report does not bury the verdict.

Everything not written by ocp-check itself goes through ``sanitize.markdown_text`` (table
cells and prose: every ASCII punctuation character escaped, line breaks flattened) or
``sanitize.markdown_code`` (paths, shown exactly in a code span), so a vendor value cannot
end a table cell, start a heading, make a link or an image, or inject HTML (docs/decisions.md, "Output safety": Markdown).
Standard texts (clause titles, reasons) are escaped too: they can quote vendor values, and
custom standards are data like any other. ``<details>``/``<summary>`` is the only raw HTML,
each followed by a blank line so GitHub renders the Markdown inside, and the summaries hold
only numbers and fixed words. Findings tables are capped per submission to stay within
GitHub's comment size; the JSON report has them all.
"""

from __future__ import annotations

from collections import Counter

from ocp_check.model import (
    ClauseResult,
    Finding,
    FindingCaps,
    FindingState,
    Report,
    Status,
    SubmissionResult,
    exit_code_for,
    verdict_headline,
)
from ocp_check.render import RenderOptions
from ocp_check.sanitize import markdown_code, markdown_text, truncate

MAX_FINDINGS = 200
_TEXT_LIMIT = 500
_STATUS_ORDER = [
    Status.FAIL,
    Status.NOT_CHECKED,
    Status.WAIVED,
    Status.NOT_IN_FORCE,
    Status.ATTESTED,
    Status.DISABLED,
    Status.NOT_APPLICABLE,
    Status.PASS,
]
_STATUS_ICON = {
    Status.PASS: "✅",
    Status.FAIL: "❌",
    Status.WAIVED: "🟣",
    Status.NOT_APPLICABLE: "➖",
    Status.ATTESTED: "🔵",
    Status.NOT_IN_FORCE: "⏳",
    Status.DISABLED: "➖",
    Status.NOT_CHECKED: "⚠️",
}
_COUNT_COLUMNS = [
    ("error", "errors"),
    ("warning", "warnings"),
    ("info", "info"),
    ("waived", "waived"),
    ("not-in-force", "not-in-force"),
    ("disabled", "disabled"),
]


def _cell(s: str) -> str:
    """A table cell (or prose) from any text: truncated, then escaped."""
    return markdown_text(truncate(s, _TEXT_LIMIT))


def _code(s: str) -> str:
    """A path or name outside a table, exactly as written, in a code span."""
    return markdown_code(truncate(s, _TEXT_LIMIT), in_table=False)


def _verdict(conformant: bool) -> str:
    return "✅ conformant" if conformant else "❌ nonconformant"


def _count_phrase(n: int, key: str) -> str:
    """``1 error``, ``2 errors``, ``3 info``, ``1 not-in-force``: the report's own words."""
    if key in ("error", "warning"):
        return f"{n} {key}{'' if n == 1 else 's'}"
    return f"{n} {key}"


def _table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("| " + " | ".join(align or ["---"] * len(header)) + " |")
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _counts_table(counts: dict[str, int], extra: list[tuple[str, int]]) -> list[str]:
    header = [label for label, _ in extra] + [label for _, label in _COUNT_COLUMNS]
    row = [str(value) for _, value in extra] + [str(counts[key]) for key, _ in _COUNT_COLUMNS]
    return _table(header, [row], ["---:"] * len(header))


def _where(sub: SubmissionResult, f: Finding) -> str:
    loc = f.location
    if sub.root == "<stdin>" or not loc.file:
        path = loc.file or sub.name
    else:
        path = f"{sub.root}/{loc.file}" if sub.root not in ("", ".") else loc.file
    if loc.line is not None:
        path += f":{loc.line}:{loc.column or 1}"
    return markdown_code(truncate(path, _TEXT_LIMIT))


def _state(f: Finding) -> str:
    if f.state is FindingState.WAIVED:
        text = "waived"
        if f.waiver is not None:
            w = f.waiver
            text += f" ({w.issuer}): {w.reason}; approved by {w.approved_by}, expires {w.expires}"
        return _cell(text)
    if f.state is FindingState.NOT_IN_FORCE:
        return _cell(f"not-in-force (until {f.effective_from})" if f.effective_from else "not-in-force")
    if f.state is FindingState.DISABLED:
        return _cell("disabled (by the profile)")
    text = f.severity.value
    if f.waiver is not None and not f.waiver.honoured:
        text += f"; waiver {f.waiver.id} ({f.waiver.issuer}) not honoured"
        if f.waiver.note:
            text += f": {f.waiver.note}"
    return _cell(text)


def _finding_rank(f: Finding) -> int:
    if f.active:
        return 2 - f.severity.rank
    return 3 if f.state is FindingState.WAIVED else 4


def _clauses(clauses: tuple[ClauseResult, ...]) -> list[str]:
    counts = Counter(c.status for c in clauses)
    summary = ", ".join(f"{counts[s]} {s.value}" for s in _STATUS_ORDER if counts.get(s))
    ordered = sorted(clauses, key=lambda c: _STATUS_ORDER.index(c.status))
    rows = [
        [
            f"{_STATUS_ICON[c.status]} {_cell(c.status.value)}",
            _cell(c.clause),
            _cell(c.level.value),
            _cell(str(c.standard)),
            _cell(c.title),
            str(c.findings),
            _cell(c.reason),
        ]
        for c in ordered
    ]
    lines = [f"<details><summary>Clauses: {summary or 'none'}</summary>", ""]
    if rows:
        lines += _table(["status", "clause", "level", "standard", "title", "findings", "reason"], rows)
        lines.append("")
    lines += ["</details>", ""]
    return lines


def _folded(sub: SubmissionResult, caps: FindingCaps) -> list[str]:
    """The findings the caps left out of the list, counted by file, rule and state."""
    total = sub.folded_count()
    lines = [
        f"{total:,} more finding{'s' if total != 1 else ''} not shown ({_cell(caps.describe())}); "
        "they count in the verdict and the totals:",
        "",
    ]
    rows = [
        [
            _code(g.file) if g.file else _cell("(submission)"),
            _cell(g.clause or "—"),
            _cell(g.rule),
            _cell(g.severity.value if g.active else g.state.value),
            f"{g.count:,}",
        ]
        for g in sub.folded
    ]
    lines += _table(["file", "clause", "rule", "state", "not shown"], rows)
    lines.append("")
    return lines


def _findings(sub: SubmissionResult, caps: FindingCaps) -> list[str]:
    findings = sorted(sub.findings, key=_finding_rank)
    counts = sub.counts()
    summary = ", ".join(_count_phrase(counts[key], key) for key, _ in _COUNT_COLUMNS if counts[key])
    detail = f" ({summary})" if summary else ""
    total = len(findings) + sub.folded_count()
    shown = f"{total}, {len(findings)} shown" if sub.folded else f"{len(findings)}"
    lines = [f"<details><summary>Findings: {shown}{detail}</summary>", ""]
    rows = [
        [
            _where(sub, f),
            _cell(f.clause or f.rule),
            _cell(f.level.value),
            _state(f),
            _cell(f.message),
            _cell(f.fix),
        ]
        for f in findings[:MAX_FINDINGS]
    ]
    if rows:
        lines += _table(["where", "clause", "level", "state", "message", "fix"], rows)
        lines.append("")
    if len(findings) > MAX_FINDINGS:
        lines += [f"… and {len(findings) - MAX_FINDINGS} more findings: see the JSON report.", ""]
    if sub.folded:
        lines += _folded(sub, caps)
    lines += ["</details>", ""]
    return lines


def _submission(sub: SubmissionResult, caps: FindingCaps) -> list[str]:
    failing = sum(1 for c in sub.clauses if c.status is Status.FAIL)
    lines = [f"### {_verdict(sub.conformant)}: {_code(sub.name)}", ""]
    if sub.judged_against:
        lines += [f"⚠ {_cell(sub.judged_against[0].upper() + sub.judged_against[1:])}.", ""]
    extra = [("documents", len(sub.documents)), ("failing clauses", failing)]
    lines += _counts_table(sub.counts(), extra)
    lines.append("")
    if sub.documents:
        documents = []
        for d in sub.documents:
            kind = d.kind.value if d.kind else "unrecognised"
            judged = f" against {d.standard}" if d.standard else ""
            why = f": {d.unrecognised}" if d.unrecognised else ""
            documents.append(f"{_code(d.path)} ({_cell(kind + judged + why)})")
        lines += ["Documents: " + ", ".join(documents), ""]
    lines += _clauses(sub.clauses)
    lines += _findings(sub, caps)
    return lines


def render(report: Report, options: RenderOptions) -> str:
    total = len(report.submissions)
    good = sum(1 for s in report.submissions if s.conformant)
    passed = exit_code_for(report, options.fail_on) == 0
    headline = verdict_headline(report, options.fail_on)
    # The headline is the tool's own words and numbers (no vendor text): shown as written.
    lines = [f"## ocp-check: {'✅' if passed else '❌'} {headline}", ""]
    bids = len({s.name for s in report.submissions})
    extra = [("submissions", bids)]
    if bids != total:
        extra.append(("evaluations", total))
    extra += [("conformant", good), ("nonconformant", total - good)]
    lines += _counts_table(report.counts(), extra)
    lines += ["", f"{_cell(report.tally())}. {_cell(report.accounting_phrase())}.", ""]
    about = f"ocp-check {_cell(report.tool_version)}"
    if report.standards:
        about += " · standards: " + ", ".join(f"{_cell(str(s.ref))} ({_cell(s.status_text())})" for s in report.standards)
    if report.today is not None:
        about += f" · today: {_cell(report.today)}"
    if report.profile is not None:
        about += f" · profile: {_cell(str(report.profile.get('id', '')))}"
        if report.profile.get("sha256"):
            about += f" (sha256 `{_cell(str(report.profile['sha256']))}`)"
    lines += [about, ""]
    if report.left_out:
        lines += [f"Left out: {_cell(text)}." for text in report.left_out] + [""]
    if report.deltas:
        # Several versions of a standard: the difference first, the reports per version below.
        lines += ["**Versions side by side**", ""]
        lines += [f"- {_cell(d.submission)}: {_cell(d.summary)}" for d in report.deltas]
        lines.append("")
    if not report.submissions:
        lines += ["No submissions were checked.", ""]
    for sub in report.submissions:
        lines += _submission(sub, report.caps)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
