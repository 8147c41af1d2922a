"""The terminal report, rendered with rich.

Vendor strings (document values and file names) never reach rich as markup: everything
goes through ``rich.text.Text`` after ``sanitize.for_terminal``/``one_line``, which make
control characters, escape sequences and bidi overrides visible instead of active
(docs/decisions.md, "Output safety": terminal). The output is grouped by submission and file, each finding shows
severity, clause, ``file:line:col``, message and how to fix it, and the last line is a
one-line verdict. A run of several submissions ends with one table row per submission
(``render/summary.py``) just above that verdict, so the end of a long run says where each
bid stands.

Lines are wrapped at word boundaries in ``RenderOptions.width`` (the terminal's width), each
wrapped line keeping its item's indentation; with no width (a file, a pipe) nothing is
wrapped. ``compact`` gives one line per finding (``file:line:col: severity: clause: message
[rule]``, the shape editors and CI problem matchers read; never wrapped); ``max_findings`` lists at most
that many findings per submission, the most severe first, and says how many it left out.
Both change only this rendering, never the report.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from ocp_check.i18n import _, current_language, ngettext, pgettext
from ocp_check.l10n import format_int, written_date
from ocp_check.model import (
    Finding,
    FindingCaps,
    FindingState,
    Level,
    Report,
    Severity,
    Status,
    SubmissionResult,
    WaiverUse,
    exit_code_for,
    verdict_headline,
)
from ocp_check.render import RenderOptions
from ocp_check.render.summary import print_summary, wanted
from ocp_check.sanitize import for_terminal, one_line
from ocp_check.terminal import TABLE_WIDTH
from ocp_check.wording import (
    finding_label,
    finding_label_count,
    issuer_word,
    kind_word,
    level_word,
    severity_word,
    state_word,
    status_count,
    status_word,
)

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

#: Every document kind a report can name (the widest word sets the column's width).
_KINDS = ("data-manifest", "retention-policy", "openapi", "compliance-report", "unrecognised")


def _num(n: int) -> str:
    """A count as the run's language writes it (``1,244`` / ``1 244``)."""
    return format_int(n, current_language())


def _widest(words: list[str]) -> int:
    """The width of a column of words: the longest, so that French words line up too."""
    return max(cell_len(w) for w in words)


def _split(message: str) -> tuple[str, str]:
    """A message rendered with the placeholder :data:`_SLOT`, cut around it: the words before
    and after a part that gets a style of its own."""
    before, _slot, after = message.partition(_SLOT)
    return before, after


#: Stands for a styled part inside a message (never in a message or a report).
_SLOT = "\x00slot\x00"


def _path(sub: SubmissionResult, file: str) -> str:
    if sub.root in ("<stdin>",) or not file:
        return file or sub.name
    return f"{sub.root}/{file}" if sub.root not in ("", ".") else file


class _Lines:
    """The report's lines, collected and printed at once: one ``Console.print`` per line cost
    more than everything else in a report of hundreds of bids (seconds for 40,000 lines)."""

    def __init__(self, console: Console, color: bool, out: io.StringIO) -> None:
        self.console = console
        self.color = color
        self.out = out
        self.pending: list[Text] = []

    def print(self, text: Text | None = None) -> None:
        self.pending.append(text if text is not None else Text())

    def flush(self) -> None:
        """Print what is collected; lines are already wrapped, so nothing is wrapped again.
        Without colour a line is its plain text (tabs expanded as rich would), which spares
        rich's rendering altogether."""
        if not self.pending:
            return
        if self.color:
            self.console.print(Text("\n").join(self.pending), soft_wrap=True)
        else:
            for text in self.pending:
                plain = text.plain
                self.out.write((plain.expandtabs(8) if "\t" in plain else plain) + "\n")
        self.pending = []


def _line(console: _Lines, options: RenderOptions, text: Text, indent: int = 0, hang: int = 0) -> None:
    """Print ``text`` after ``indent`` spaces; wrapped at word boundaries in the width, if
    there is one, with every further line ``hang`` spaces deeper (a word longer than a line
    is folded). ``text`` holds no newline."""
    if options.width is None:
        console.print(Text(" " * indent) + text if indent else text)
        return
    room = max(options.width - indent, 10)
    plain = text.plain
    if not text.spans and "\t" not in plain and cell_len(plain) == len(plain):
        # One style, one cell per character: the standard library's wrapper gives the same
        # lines several times faster than rich (most lines of a report are like this).
        wrapper = textwrap.TextWrapper(
            width=max(options.width, indent + hang + 10),
            initial_indent=" " * indent,
            subsequent_indent=" " * (indent + hang),
            break_on_hyphens=False,
            break_long_words=True,
        )
        for line in wrapper.wrap(plain) or [" " * indent]:
            console.print(Text(line.rstrip(), style=text.style))
        return
    first = text.wrap(console.console, room, overflow="fold")[0]
    rest = text[len(first) :]
    first.rstrip()
    console.print(Text(" " * indent) + first)
    skip = len(rest.plain) - len(rest.plain.lstrip(" "))
    rest = rest[skip:]
    if not rest.plain:
        return
    for piece in rest.wrap(console.console, max(room - hang, 10), overflow="fold"):
        piece.rstrip()
        console.print(Text(" " * (indent + hang)) + piece)


def _label(f: Finding) -> str:
    """A finding's severity when it is active, else its state: the words of the report."""
    return finding_label(f.severity if f.state is FindingState.ACTIVE else f.state)


def _label_width() -> int:
    """The severity column: as wide as the widest severity (``warning``, ``avertissement``)."""
    return _widest([severity_word(s) for s in Severity])


def _where(sub: SubmissionResult, f: Finding) -> str:
    loc = f.location
    where = _path(sub, loc.file)
    if loc.line is not None:
        where = f"{where}:{loc.line}:{loc.column or 1}"
    return one_line(where, 300)


def _compact(console: _Lines, sub: SubmissionResult, f: Finding, options: RenderOptions) -> None:
    """One line: ``file:line:col: severity: clause: message [rule]``, never wrapped, even in a
    width: editors, problem matchers and ``grep`` read a finding from its line, and a terminal
    folds a long line by itself."""
    line = Text(_where(sub, f) + ": ")
    line.append(_label(f), style=_SEVERITY_STYLE[f.severity] if f.active else "dim")
    line.append(": ")
    if f.clause:
        line.append(f.clause, style="bold")
        line.append(": ")
    line.append(one_line(f.message, 400))
    line.append(f" [{f.rule}]", style="dim")
    console.print(line)


def _finding(console: _Lines, sub: SubmissionResult, f: Finding, options: RenderOptions) -> None:
    if options.compact:
        _compact(console, sub, f, options)
        return
    label = _label(f)
    style = _SEVERITY_STYLE[f.severity] if f.active else "dim"
    line = Text()
    line.append(label.ljust(_label_width()), style=style)
    line.append(" ")
    line.append(f.clause or f.rule, style="bold")
    line.append("  ")
    loc = f.location
    line.append(_where(sub, f), style="underline" if options.color else "")
    _line(console, options, line, 2, 8)
    _line(console, options, Text(one_line(f.message, 400)), 10)
    meta = [_("rule {rule}", rule=f.rule), level_word(f.level)]
    if f.standard:
        meta.append(str(f.standard))
    if loc.pointer:
        meta.append(one_line(loc.pointer, 120))
    _line(console, options, Text(" · ".join(meta), style="dim"), 10)
    if f.waiver is not None:
        w = f.waiver
        values = {
            "id": one_line(w.id, 60),
            "issuer": issuer_word(w.issuer),
            "approver": one_line(w.approved_by, 80),
            "date": written_date(w.expires, current_language()),
        }
        if w.honoured:
            about = _("waiver {id} ({issuer}, honoured): approved by {approver}, expires {date}", **values)
        else:
            about = _(
                "waiver {id} ({issuer}, NOT honoured): approved by {approver}, expires {date}", **values
            )
        if w.note:
            about += f"; {one_line(w.note, 160)}"
        _line(console, options, Text(about, style="magenta"), 10)
    if f.effective_from:
        _line(
            console,
            options,
            Text(_("in force from {date}: will fail from then", date=f.effective_from), style="dim"),
            10,
        )
    fix, _after = _split(_("fix: {fix}", fix=_SLOT))
    _line(
        console,
        options,
        Text(_("fix: {fix}", fix=one_line(f.fix, 400)), style="green" if options.color else ""),
        10,
        cell_len(fix),
    )
    if f.snippet and options.verbose >= 0 and not options.quiet:
        # Source lines are shown as they are (cut at 160 characters), never wrapped: a
        # wrapped line of code would read as two.
        width = max(len(str(n)) for n, _ in f.snippet)
        for number, text in f.snippet:
            marker = ">" if number == loc.line else " "
            source = Text(f"        {marker} {number:>{width}} | {for_terminal(text)[:160]}", style="dim")
            if options.width is not None:
                source.truncate(options.width, overflow="ellipsis")
            console.print(source)


def _folded(console: _Lines, sub: SubmissionResult, caps: FindingCaps, options: RenderOptions) -> None:
    """What the caps left out of the list: counted per file, rule and state, never dropped."""
    total = sub.folded_count()
    console.print()
    _line(
        console,
        options,
        Text(
            ngettext(
                "{count} more finding not shown ({caps}); they count in the verdict and the totals:",
                "{count} more findings not shown ({caps}); they count in the verdict and the totals:",
                total,
                count=_num(total),
                caps=caps.describe(),
            ),
            style="bold",
        ),
        2,
    )
    if options.quiet:
        return
    width = _widest([severity_word(s) for s in Severity] + [state_word(s) for s in FindingState])
    for g in sub.folded:
        state = finding_label(g.severity if g.active else g.state)
        where = one_line(_path(sub, g.file), 120)
        label = f"{one_line(g.clause, 40)} ({one_line(g.rule, 80)})" if g.clause else one_line(g.rule, 80)
        row = _("{what} in {file}", what=label, file=where)
        _line(console, options, Text(f"{_num(g.count):>9}  {state.ljust(width)} {row}"), 4, 11)


def _priority(f: Finding) -> int:
    """Which findings ``--max-findings`` keeps first: active errors, warnings, info, the rest."""
    return 3 - f.severity.rank if f.active else 4


def _limit(findings: list[Finding], limit: int | None) -> tuple[list[Finding], list[Finding]]:
    """At most ``limit`` findings, the most severe first, kept in their report order; and the
    ones left out."""
    if limit is None or len(findings) <= limit:
        return findings, []
    order = sorted(range(len(findings)), key=lambda i: (_priority(findings[i]), i))
    keep = set(order[:limit])
    return (
        [f for i, f in enumerate(findings) if i in keep],
        [f for i, f in enumerate(findings) if i not in keep],
    )


def _left_out(console: _Lines, options: RenderOptions, hidden: list[Finding]) -> None:
    """Say how many findings ``--max-findings`` left out of this submission, and of what kind."""
    kinds = Counter(f.severity if f.active else f.state for f in hidden)
    detail = ", ".join(
        finding_label_count(kind, n, _num(n))
        for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], finding_label(kv[0])))
    )
    total = len(hidden)
    console.print()
    _line(
        console,
        options,
        Text(
            ngettext(
                "{count} more finding of this submission not shown here (--max-findings {limit}): "
                "{detail}. They count in the verdict and the totals, and the other formats list them.",
                "{count} more findings of this submission not shown here (--max-findings {limit}): "
                "{detail}. They count in the verdict and the totals, and the other formats list them.",
                total,
                count=_num(total),
                limit=options.max_findings,
                detail=detail,
            ),
            style="bold",
        ),
        2,
    )


def _shown(sub: SubmissionResult, options: RenderOptions) -> list[Finding]:
    """The findings this rendering lists: active ones and waivers (every one with -v); only
    active errors with -q."""
    shown = [f for f in sub.findings if f.active or options.verbose > 0 or f.state is FindingState.WAIVED]
    if options.quiet:
        shown = [f for f in shown if f.active and f.severity is Severity.ERROR]
    return shown


def _submission(console: _Lines, sub: SubmissionResult, options: RenderOptions, caps: FindingCaps) -> int:
    """Print one submission; return how many findings ``--max-findings`` left out of it."""
    verdict = Text()
    verdict.append(one_line(sub.name, 200), style="bold")
    if sub.evaluation:
        verdict.append(f"  [{sub.evaluation}]", style="bold")
    verdict.append("  ")
    shouted = (
        pgettext("verdict, shouted", "CONFORMANT")
        if sub.conformant
        else pgettext("verdict, shouted", "NONCONFORMANT")
    )
    verdict.append(shouted, style="bold green" if sub.conformant else "bold red")
    if sub.judged_against:
        verdict.append(f"  ({sub.judged_against})", style="bold yellow")
    console.print()
    _line(console, options, verdict, 0, 2)
    if not options.quiet and not options.compact:
        width = _widest([kind_word(k) for k in _KINDS])
        for d in sub.documents:
            kind = kind_word(d.kind.value if d.kind else "unrecognised")
            if d.standard:
                std = f"{d.standard} ({one_line(d.standard_reason, 120)})"
            else:
                std = one_line(d.unrecognised or d.standard_reason, 120) or "-"
            document = f"{one_line(d.path, 80):<32} {kind.ljust(width)} {std}"
            _line(console, options, Text(document, style="dim"), 2, 4)
        if sub.fragments:
            fragments = ", ".join(one_line(f, 60) for f in sub.fragments)
            _line(
                console,
                options,
                Text(_("fragments (reached by $ref): {list}", list=fragments), style="dim"),
                2,
                4,
            )

    shown, hidden = _limit(_shown(sub, options), options.max_findings)
    if options.compact and shown:
        console.print()
    current_file = None
    for f in shown:
        if f.location.file != current_file and not options.compact:
            current_file = f.location.file
            console.print()
            _line(console, options, Text(one_line(_path(sub, current_file), 200), style="bold"), 2, 4)
        _finding(console, sub, f, options)
    if hidden:
        _left_out(console, options, hidden)
    if sub.folded:
        _folded(console, sub, caps, options)

    counts = Counter(c.status for c in sub.clauses)
    if sub.clauses:
        before, after = _split(_("clauses: {summary}", summary=_SLOT))
        summary = Text(before)
        first = True
        for status in Status:
            if counts.get(status):
                if not first:
                    summary.append(", ")
                summary.append(status_count(status, counts[status]), style=_STATUS_STYLE[status])
                first = False
        summary.append(after)
    else:
        summary = Text(_("clauses: none"))
    console.print()
    _line(console, options, summary, 2, 4)
    failing = any(c.status is Status.FAIL for c in sub.clauses)
    if options.verbose > 0 or (not options.quiet and not options.compact and failing):
        # Every clause with -v, in the report's order; otherwise the failing ones, MUST first.
        listed = (
            list(sub.clauses)
            if options.verbose > 0
            else sorted((c for c in sub.clauses if c.status is Status.FAIL), key=lambda c: -c.level.rank)
        )
        status_width = _widest([status_word(s) for s in Status]) + 1
        level_width = _widest([level_word(v) for v in Level])
        for c in listed:
            row = Text()
            row.append(status_word(c.status).ljust(status_width), style=_STATUS_STYLE[c.status])
            row.append(f"{c.clause:<9} {level_word(c.level).ljust(level_width)} {c.title}")
            if c.reason:
                row.append(f" — {one_line(c.reason, 160)}", style="dim")
            _line(console, options, row, 4, status_width + 10 + level_width + 1)
    return len(hidden)


def _evaluation_word(evaluation: str) -> str:
    """The profile's kind of evaluation, in words (a value the profile schema does not know
    is shown as written)."""
    words = {
        "city": _("city evaluation"),
        "self-assessment": _("self-assessment evaluation"),
    }
    return words.get(evaluation, f"{one_line(evaluation, 40)} evaluation")


def _context_lines(report: Report) -> list[str]:
    """What decided the results besides the files: the profile (and its hash), the date."""
    lines = []
    if report.profile is not None:
        profile = report.profile
        about = [
            one_line(str(profile["path"]), 120) if profile.get("path") else "",
            _("sha256 {hash}", hash=profile["sha256"]) if profile.get("sha256") else "",
            _evaluation_word(str(profile["evaluation"])) if profile.get("evaluation") else "",
        ]
        detail = ", ".join(a for a in about if a)
        name = one_line(str(profile.get("id", "")), 80)
        if detail:
            lines.append(_("profile: {id} ({details})", id=name, details=detail))
        else:
            lines.append(_("profile: {id}", id=name))
    if report.today is not None:
        lines.append(_("today: {date}", date=report.today))
    lines.extend(_("left out: {what}", what=one_line(text, 300)) for text in report.left_out)
    return lines


def _plain(n: int) -> str:
    """A count of the verdict line: without a thousands separator in English, as the line has
    always been written (scripts read it); French groups its digits."""
    return str(n) if current_language() == "en" else _num(n)


def _city_waiver(w: WaiverUse) -> str:
    """One line of the city's waivers: what it is and how many findings it matched."""
    values = {
        "id": one_line(w.id, 60),
        "source": one_line(w.source, 80),
        "approver": one_line(w.approved_by, 80),
        "date": written_date(w.expires, current_language()),
    }
    if w.matched == 0 and w.expired:
        return _(
            "{id} ({source}): approved by {approver}, expires {date}; EXPIRED; matched no finding", **values
        )
    if w.matched == 0:
        return _("{id} ({source}): approved by {approver}, expires {date}; matched no finding", **values)
    if w.expired:
        return ngettext(
            "{id} ({source}): approved by {approver}, expires {date}; EXPIRED; matched {count} finding",
            "{id} ({source}): approved by {approver}, expires {date}; EXPIRED; matched {count} findings",
            w.matched,
            count=_num(w.matched),
            **values,
        )
    return ngettext(
        "{id} ({source}): approved by {approver}, expires {date}; matched {count} finding",
        "{id} ({source}): approved by {approver}, expires {date}; matched {count} findings",
        w.matched,
        count=_num(w.matched),
        **values,
    )


def render(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    rich_console = Console(
        file=buffer,
        force_terminal=options.color,
        color_system="standard" if options.color else None,
        # Tables need a width even when text is not wrapped: the one a file gets.
        width=options.width or TABLE_WIDTH,
        no_color=not options.color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=options.width is None,
    )
    console = _Lines(rich_console, options.color, buffer)
    header = Text(f"ocp-check {report.tool_version}", style="bold")
    if report.standards:
        listed = ", ".join(f"{s.ref} ({s.status_text(prose=True)})" for s in report.standards)
        header.append("  " + _("standards: {list}", list=listed), style="dim")
    _line(console, options, header, 0, 2)
    for text in _context_lines(report):
        _line(console, options, Text(text, style="dim"), 0, 2)
    hidden = 0
    for sub in report.submissions:
        hidden += _submission(console, sub, options, report.caps)
    if report.waivers:
        console.print()
        console.print(Text(_("City waivers:"), style="bold"))
        for w in report.waivers:
            _line(console, options, Text(_city_waiver(w)), 2, 4)
    if report.deltas:
        console.print()
        console.print(Text(_("Versions side by side:"), style="bold"))
        for d in report.deltas:
            _line(console, options, Text(f"{one_line(d.submission, 120)}: {d.summary}"), 2, 4)
    if wanted(report):
        console.flush()
        print_summary(rich_console, report)
    counts = report.counts()
    console.print()
    _line(console, options, Text(report.accounting_phrase(), style="dim"))
    if hidden:
        console.print()
        _line(
            console,
            options,
            Text(
                ngettext(
                    "{count} finding is not shown here because of --max-findings {limit}; every "
                    "other format lists it.",
                    "{count} findings are not shown here because of --max-findings {limit}; every "
                    "other format lists them.",
                    hidden,
                    count=_num(hidden),
                    limit=options.max_findings,
                )
            ),
        )
    headline = verdict_headline(report, options.fail_on)
    line = Text()
    if exit_code_for(report, options.fail_on) == 0:
        line.append(f"✔ {headline}", style="bold green")
    else:
        line.append(f"✘ {headline}", style="bold red")
    parts = [
        finding_label_count(Severity.ERROR, counts["error"], _plain(counts["error"])),
        finding_label_count(Severity.WARNING, counts["warning"], _plain(counts["warning"])),
        finding_label_count(Severity.INFO, counts["info"], _plain(counts["info"])),
        finding_label_count(FindingState.WAIVED, counts["waived"], _plain(counts["waived"])),
    ]
    if counts["not-in-force"]:
        parts.append(
            finding_label_count(
                FindingState.NOT_IN_FORCE, counts["not-in-force"], _plain(counts["not-in-force"])
            )
        )
    if counts["disabled"]:
        parts.append(
            finding_label_count(FindingState.DISABLED, counts["disabled"], _plain(counts["disabled"]))
        )
    line.append(f"; {report.tally()}; " + ", ".join(parts))
    folded = report.folded_count()
    if folded:
        caps = report.caps.describe()
        line.append(
            " "
            + ngettext(
                "({count} not shown: {caps})",
                "({count} not shown: {caps})",
                folded,
                count=_num(folded),
                caps=caps,
            )
        )
    console.print()
    _line(console, options, line, 0, 2)
    console.flush()
    return buffer.getvalue()
