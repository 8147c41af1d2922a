"""The terminal report, rendered with rich.

Vendor strings (document values and file names) never reach rich as markup: everything
goes through ``rich.text.Text`` after ``sanitize.for_terminal``/``one_line``, which make
control characters, escape sequences and bidi overrides visible instead of active
(docs/decisions.md, "Output safety": terminal). The output is grouped by submission and file, each finding shows
severity, clause, ``file:line:col``, message and how to fix it, and the last line is a
one-line verdict.
"""

from __future__ import annotations

import io
from collections import Counter

from rich.console import Console
from rich.text import Text

from ocp_check.model import (
    Finding,
    FindingCaps,
    FindingState,
    Report,
    Severity,
    Status,
    SubmissionResult,
    exit_code_for,
    verdict_headline,
)
from ocp_check.render import RenderOptions
from ocp_check.sanitize import for_terminal, one_line

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_STATUS_STYLE = {
    Status.PASS: "green",
    Status.FAIL: "bold red",
    Status.WAIVED: "magenta",
    Status.NOT_APPLICABLE: "dim",
    Status.ATTESTED: "blue",
    Status.NOT_IN_FORCE: "dim",
    Status.DISABLED: "dim",
    Status.NOT_CHECKED: "yellow",
}


def _path(sub: SubmissionResult, file: str) -> str:
    if sub.root in ("<stdin>",) or not file:
        return file or sub.name
    return f"{sub.root}/{file}" if sub.root not in ("", ".") else file


def _finding(console: Console, sub: SubmissionResult, f: Finding, options: RenderOptions) -> None:
    label = {
        FindingState.WAIVED: "waived",
        FindingState.NOT_IN_FORCE: "future",
        FindingState.DISABLED: "disabled",
    }.get(f.state, f.severity.value)
    style = _SEVERITY_STYLE[f.severity] if f.active else "dim"
    line = Text("  ")
    line.append(f"{label:<7}", style=style)
    line.append(" ")
    line.append(f.clause or f.rule, style="bold")
    line.append("  ")
    loc = f.location
    where = _path(sub, loc.file)
    if loc.line is not None:
        where = f"{where}:{loc.line}:{loc.column or 1}"
    line.append(one_line(where, 300), style="underline" if options.color else "")
    console.print(line)
    console.print(Text("          " + one_line(f.message, 400)))
    meta = f"rule {f.rule} · {f.level.value}"
    if f.standard:
        meta += f" · {f.standard}"
    if loc.pointer:
        meta += f" · {one_line(loc.pointer, 120)}"
    console.print(Text("          " + meta, style="dim"))
    if f.waiver is not None:
        w = f.waiver
        state = "honoured" if w.honoured else "NOT honoured"
        console.print(
            Text(
                f"          waiver {one_line(w.id, 60)} ({w.issuer}, {state}): approved by "
                f"{one_line(w.approved_by, 80)}, expires {w.expires}"
                + (f"; {one_line(w.note, 160)}" if w.note else ""),
                style="magenta",
            )
        )
    if f.effective_from:
        console.print(
            Text(f"          not in force until {f.effective_from}: will fail from then", style="dim")
        )
    console.print(Text("          fix: " + one_line(f.fix, 400), style="green" if options.color else ""))
    if f.snippet and options.verbose >= 0 and not options.quiet:
        width = max(len(str(n)) for n, _ in f.snippet)
        for number, text in f.snippet:
            marker = ">" if number == loc.line else " "
            console.print(
                Text(f"        {marker} {number:>{width}} | {for_terminal(text)[:160]}", style="dim")
            )


def _folded(console: Console, sub: SubmissionResult, caps: FindingCaps, options: RenderOptions) -> None:
    """What the caps left out of the list: counted per file, rule and state, never dropped."""
    total = sub.folded_count()
    console.print(
        Text(
            f"\n  {total:,} more finding{'s' if total != 1 else ''} not shown ({caps.describe()}); "
            "they count in the verdict and the totals:",
            style="bold",
        )
    )
    if options.quiet:
        return
    for g in sub.folded:
        state = g.severity.value if g.active else g.state.value
        where = one_line(_path(sub, g.file), 120)
        label = f"{one_line(g.clause, 40)} ({one_line(g.rule, 80)})" if g.clause else one_line(g.rule, 80)
        console.print(Text(f"    {g.count:>9,}  {state:<12} {label} in {where}"))


def _submission(console: Console, sub: SubmissionResult, options: RenderOptions, caps: FindingCaps) -> None:
    verdict = Text()
    verdict.append("\n")
    verdict.append(one_line(sub.name, 200), style="bold")
    if sub.evaluation:
        verdict.append(f"  [{sub.evaluation}]", style="bold")
    verdict.append("  ")
    verdict.append(sub.verdict.upper(), style="bold green" if sub.conformant else "bold red")
    if sub.judged_against:
        verdict.append(f"  ({sub.judged_against})", style="bold yellow")
    console.print(verdict)
    if not options.quiet:
        for d in sub.documents:
            kind = d.kind.value if d.kind else "unrecognised"
            if d.standard:
                std = f"{d.standard} ({one_line(d.standard_reason, 120)})"
            else:
                std = one_line(d.unrecognised or d.standard_reason, 120) or "-"
            console.print(Text(f"  {one_line(d.path, 80):<32} {kind:<17} {std}", style="dim"))
        if sub.fragments:
            console.print(
                Text(
                    "  fragments (reached by $ref): " + ", ".join(one_line(f, 60) for f in sub.fragments),
                    style="dim",
                )
            )

    shown = [f for f in sub.findings if f.active or options.verbose > 0 or f.state is FindingState.WAIVED]
    if options.quiet:
        shown = [f for f in shown if f.active and f.severity is Severity.ERROR]
    current_file = None
    for f in shown:
        if f.location.file != current_file:
            current_file = f.location.file
            console.print(Text("\n  " + one_line(_path(sub, current_file), 200), style="bold"))
        _finding(console, sub, f, options)
    if sub.folded:
        _folded(console, sub, caps, options)

    counts = Counter(c.status for c in sub.clauses)
    summary = Text("\n  clauses: ")
    first = True
    for status in Status:
        if counts.get(status):
            if not first:
                summary.append(", ")
            summary.append(f"{counts[status]} {status.value}", style=_STATUS_STYLE[status])
            first = False
    if not sub.clauses:
        summary.append("none")
    console.print(summary)
    if options.verbose > 0 or (options.quiet is False and any(c.status is Status.FAIL for c in sub.clauses)):
        for c in sub.clauses:
            if options.verbose == 0 and c.status is not Status.FAIL:
                continue
            row = Text("    ")
            row.append(f"{c.status.value:<15}", style=_STATUS_STYLE[c.status])
            row.append(f"{c.clause:<9} {c.level.value:<10} {c.title}")
            if c.reason:
                row.append(f" — {one_line(c.reason, 160)}", style="dim")
            console.print(row)


def _context_lines(report: Report) -> list[str]:
    """What decided the results besides the files: the profile (and its hash), the date."""
    lines = []
    if report.profile is not None:
        profile = report.profile
        about = [
            one_line(str(profile["path"]), 120) if profile.get("path") else "",
            f"sha256 {profile['sha256']}" if profile.get("sha256") else "",
            f"{profile['evaluation']} evaluation" if profile.get("evaluation") else "",
        ]
        detail = ", ".join(a for a in about if a)
        lines.append(
            f"profile: {one_line(str(profile.get('id', '')), 80)}" + (f" ({detail})" if detail else "")
        )
    if report.today is not None:
        lines.append(f"today: {report.today}")
    lines.extend(f"left out: {one_line(text, 300)}" for text in report.left_out)
    return lines


def render(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=options.color,
        color_system="standard" if options.color else None,
        width=options.width,
        no_color=not options.color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )
    header = Text(f"ocp-check {report.tool_version}", style="bold")
    if report.standards:
        header.append("  standards: " + ", ".join(f"{s.ref} ({s.status_text()})" for s in report.standards), style="dim")
    console.print(header)
    for text in _context_lines(report):
        console.print(Text(text, style="dim"))
    for sub in report.submissions:
        _submission(console, sub, options, report.caps)
    if report.waivers:
        console.print(Text("\nCity waivers:", style="bold"))
        for w in report.waivers:
            used = (
                "matched no finding"
                if w.matched == 0
                else f"matched {w.matched} finding{'s' if w.matched != 1 else ''}"
            )
            state = "; EXPIRED" if w.expired else ""
            console.print(
                Text(
                    f"  {one_line(w.id, 60)} ({one_line(w.source, 80)}): approved by "
                    f"{one_line(w.approved_by, 80)}, expires {w.expires}{state}; {used}"
                )
            )
    if report.deltas:
        console.print(Text("\nVersions side by side:", style="bold"))
        for d in report.deltas:
            console.print(Text(f"  {one_line(d.submission, 120)}: {d.summary}"))
    counts = report.counts()
    console.print(Text("\n" + report.accounting_phrase(), style="dim"))
    headline = verdict_headline(report, options.fail_on)
    line = Text("\n")
    if exit_code_for(report, options.fail_on) == 0:
        line.append(f"✔ {headline}", style="bold green")
    else:
        line.append(f"✘ {headline}", style="bold red")
    line.append(
        f"; {report.tally()}; "
        f"{counts['error']} error{'s' if counts['error'] != 1 else ''}, {counts['warning']} warning"
        f"{'s' if counts['warning'] != 1 else ''}, {counts['info']} info, {counts['waived']} waived"
    )
    if counts["not-in-force"]:
        line.append(f", {counts['not-in-force']} not yet in force")
    if counts["disabled"]:
        line.append(f", {counts['disabled']} in clauses the profile disables")
    folded = report.folded_count()
    if folded:
        line.append(f" ({folded:,} not shown: {report.caps.describe()})")
    console.print(line)
    return buffer.getvalue()
