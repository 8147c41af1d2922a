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

from ocp_check.i18n import _, current_language, ngettext, pgettext
from ocp_check.l10n import written_date
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
from ocp_check.wording import kind_word, level_word, severity_word, state_word, status_count, status_word

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
_COUNT_KEYS = ["error", "warning", "info", "waived", "not-in-force", "disabled"]


def _count_label(key: str) -> str:
    """The heading of a count column."""
    labels = {
        "error": pgettext("count column", "errors"),
        "warning": pgettext("count column", "warnings"),
        "info": pgettext("count column", "info"),
        "waived": pgettext("count column", "waived"),
        "not-in-force": pgettext("count column", "not-in-force"),
        "disabled": pgettext("count column", "disabled"),
    }
    return labels[key]


def _cell(s: str) -> str:
    """A table cell (or prose) from any text: truncated, then escaped."""
    return markdown_text(truncate(s, _TEXT_LIMIT))


def _code(s: str) -> str:
    """A path or name outside a table, exactly as written, in a code span."""
    return markdown_code(truncate(s, _TEXT_LIMIT), in_table=False)


def _verdict(conformant: bool) -> str:
    return "✅ " + pgettext("verdict", "conformant") if conformant else "❌ " + pgettext("verdict", "nonconformant")


def _count_phrase(n: int, key: str) -> str:
    """``1 error``, ``2 errors``, ``3 info``, ``1 not-in-force``: the report's own words."""
    phrases = {
        "error": lambda: ngettext("{count} error", "{count} errors", n),
        "warning": lambda: ngettext("{count} warning", "{count} warnings", n),
        "info": lambda: ngettext("{count} info", "{count} info", n),
        "waived": lambda: ngettext("{count} waived", "{count} waived", n),
        "not-in-force": lambda: ngettext("{count} not-in-force", "{count} not-in-force", n),
        "disabled": lambda: ngettext("{count} disabled", "{count} disabled", n),
    }
    return phrases[key]()


def _table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("| " + " | ".join(align or ["---"] * len(header)) + " |")
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _counts_table(counts: dict[str, int], extra: list[tuple[str, int]]) -> list[str]:
    header = [label for label, _n in extra] + [_count_label(key) for key in _COUNT_KEYS]
    row = [str(value) for _l, value in extra] + [str(counts[key]) for key in _COUNT_KEYS]
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
        text = state_word(FindingState.WAIVED)
        if f.waiver is not None:
            w = f.waiver
            text = _(
                "waived ({issuer}): {reason}; approved by {approver}, expires {date}",
                issuer=_issuer(w.issuer),
                reason=w.reason,
                approver=w.approved_by,
                date=written_date(w.expires, current_language()),
            )
        return _cell(text)
    if f.state is FindingState.NOT_IN_FORCE:
        return _cell(
            _("not-in-force (until {date})", date=f.effective_from)
            if f.effective_from
            else pgettext("finding state", "not-in-force")
        )
    if f.state is FindingState.DISABLED:
        return _cell(_("disabled (by the profile)"))
    text = severity_word(f.severity)
    if f.waiver is not None and not f.waiver.honoured:
        if f.waiver.note:
            text = _(
                "{severity}; waiver {id} ({issuer}) not honoured: {note}",
                severity=text,
                id=f.waiver.id,
                issuer=_issuer(f.waiver.issuer),
                note=f.waiver.note,
            )
        else:
            text = _(
                "{severity}; waiver {id} ({issuer}) not honoured",
                severity=text,
                id=f.waiver.id,
                issuer=_issuer(f.waiver.issuer),
            )
    return _cell(text)


def _issuer(issuer: str) -> str:
    words = {"vendor": pgettext("waiver issuer", "vendor"), "city": pgettext("waiver issuer", "city")}
    return words.get(issuer, issuer)


def _finding_rank(f: Finding) -> int:
    if f.active:
        return 2 - f.severity.rank
    return 3 if f.state is FindingState.WAIVED else 4


def _clauses(clauses: tuple[ClauseResult, ...]) -> list[str]:
    counts = Counter(c.status for c in clauses)
    summary = ", ".join(status_count(s, counts[s]) for s in _STATUS_ORDER if counts.get(s))
    ordered = sorted(clauses, key=lambda c: _STATUS_ORDER.index(c.status))
    rows = [
        [
            f"{_STATUS_ICON[c.status]} {_cell(status_word(c.status))}",
            _cell(c.clause),
            _cell(level_word(c.level)),
            _cell(str(c.standard)),
            _cell(c.title),
            str(c.findings),
            _cell(c.reason),
        ]
        for c in ordered
    ]
    summary_text = _("Clauses: {summary}", summary=summary) if summary else _("Clauses: none")
    lines = [f"<details><summary>{summary_text}</summary>", ""]
    if rows:
        header = [
            pgettext("column", "status"),
            pgettext("column", "clause"),
            pgettext("column", "level"),
            pgettext("column", "standard"),
            pgettext("column", "title"),
            pgettext("column", "findings"),
            pgettext("column", "reason"),
        ]
        lines += _table(header, rows)
        lines.append("")
    lines += ["</details>", ""]
    return lines


def _folded(sub: SubmissionResult, caps: FindingCaps) -> list[str]:
    """The findings the caps left out of the list, counted by file, rule and state."""
    total = sub.folded_count()
    lines = [
        ngettext(
            "{count} more finding not shown ({caps}); they count in the verdict and the totals:",
            "{count} more findings not shown ({caps}); they count in the verdict and the totals:",
            total,
            count=f"{total:,}",
            caps=_cell(caps.describe()),
        ),
        "",
    ]
    rows = [
        [
            _code(g.file) if g.file else _cell(_("(submission)")),
            _cell(g.clause or "—"),
            _cell(g.rule),
            _cell(severity_word(g.severity) if g.active else state_word(g.state)),
            f"{g.count:,}",
        ]
        for g in sub.folded
    ]
    header = [
        pgettext("column", "file"),
        pgettext("column", "clause"),
        pgettext("column", "rule"),
        pgettext("column", "state"),
        pgettext("column", "not shown"),
    ]
    lines += _table(header, rows)
    lines.append("")
    return lines


def _findings(sub: SubmissionResult, caps: FindingCaps) -> list[str]:
    findings = sorted(sub.findings, key=_finding_rank)
    counts = sub.counts()
    summary = ", ".join(_count_phrase(counts[key], key) for key in _COUNT_KEYS if counts[key])
    total = len(findings) + sub.folded_count()
    shown = _("{total}, {shown} shown", total=total, shown=len(findings)) if sub.folded else f"{len(findings)}"
    heading = _("Findings: {count} ({summary})", count=shown, summary=summary) if summary else _(
        "Findings: {count}", count=shown
    )
    lines = [f"<details><summary>{heading}</summary>", ""]
    rows = [
        [
            _where(sub, f),
            _cell(f.clause or f.rule),
            _cell(level_word(f.level)),
            _state(f),
            _cell(f.message),
            _cell(f.fix),
        ]
        for f in findings[:MAX_FINDINGS]
    ]
    if rows:
        header = [
            pgettext("column", "where"),
            pgettext("column", "clause"),
            pgettext("column", "level"),
            pgettext("column", "state"),
            pgettext("column", "message"),
            pgettext("column", "fix"),
        ]
        lines += _table(header, rows)
        lines.append("")
    if len(findings) > MAX_FINDINGS:
        more = len(findings) - MAX_FINDINGS
        lines += [
            ngettext(
                "… and {count} more finding: see the JSON report.",
                "… and {count} more findings: see the JSON report.",
                more,
            ),
            "",
        ]
    if sub.folded:
        lines += _folded(sub, caps)
    lines += ["</details>", ""]
    return lines


def _submission(sub: SubmissionResult, caps: FindingCaps) -> list[str]:
    failing = sum(1 for c in sub.clauses if c.status is Status.FAIL)
    lines = ["### " + _("{verdict}: {name}", verdict=_verdict(sub.conformant), name=_code(sub.name)), ""]
    if sub.judged_against:
        lines += [f"⚠ {_cell(sub.judged_against[0].upper() + sub.judged_against[1:])}.", ""]
    extra = [(pgettext("count column", "documents"), len(sub.documents)), (pgettext("count column", "failing clauses"), failing)]
    lines += _counts_table(sub.counts(), extra)
    lines.append("")
    if sub.documents:
        documents = []
        for d in sub.documents:
            kind = kind_word(d.kind.value if d.kind else "unrecognised")
            what = _("{kind} against {standard}", kind=kind, standard=d.standard) if d.standard else kind
            if d.unrecognised:
                what = _("{kind}: {why}", kind=what, why=d.unrecognised)
            documents.append(f"{_code(d.path)} ({_cell(what)})")
        lines += [_("Documents: {list}", list=", ".join(documents)), ""]
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
    extra = [(pgettext("count column", "submissions"), bids)]
    if bids != total:
        extra.append((pgettext("count column", "evaluations"), total))
    extra += [
        (pgettext("count column", "conformant"), good),
        (pgettext("count column", "nonconformant"), total - good),
    ]
    lines += _counts_table(report.counts(), extra)
    lines += ["", f"{_cell(report.tally())}. {_cell(report.accounting_phrase())}.", ""]
    about = f"ocp-check {_cell(report.tool_version)}"
    if report.standards:
        listed = ", ".join(f"{_cell(str(s.ref))} ({_cell(s.status_text(prose=True))})" for s in report.standards)
        about += " · " + _("standards: {list}", list=listed)
    if report.today is not None:
        about += " · " + _("today: {date}", date=_cell(report.today))
    if report.profile is not None:
        about += " · " + _("profile: {id}", id=_cell(str(report.profile.get("id", ""))))
        if report.profile.get("sha256"):
            about += f" (sha256 `{_cell(str(report.profile['sha256']))}`)"
    lines += [about, ""]
    if report.left_out:
        lines += [_("Left out: {what}.", what=_cell(text)) for text in report.left_out] + [""]
    if report.deltas:
        # Several versions of a standard: the difference first, the reports per version below.
        lines += ["**" + _("Versions side by side") + "**", ""]
        lines += [f"- {_cell(d.submission)}: {_cell(d.summary)}" for d in report.deltas]
        lines.append("")
    if not report.submissions:
        lines += [_("No submissions were checked."), ""]
    for sub in report.submissions:
        lines += _submission(sub, report.caps)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
