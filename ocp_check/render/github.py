"""GitHub Actions workflow commands: findings as annotations on the pull request's files.

One ``::error``/``::warning``/``::notice`` line per active finding (by severity: error,
warning, info), and a ``::notice`` for each waived one, saying who waived it, so a reviewer
sees waivers where they apply. Findings not yet in force are left out (they change nothing
today) and only counted in the summary. The annotation's file is the path as given on the
command line (submission root joined with the file), which is relative to the workspace when
ocp-check runs from the checkout; submission-level findings (a missing document) carry no
file. Findings the caps left out of the report get one annotation per file, rule and state,
saying how many there are. The last line is a plain summary, not a command.

Escaping. GitHub decodes ``%25``, ``%0D`` and ``%0A`` in a command's message, and also
``%3A`` and ``%2C`` in its properties, where ``:`` and ``,`` are delimiters. Vendor text is
first made a single line with visible escapes (``sanitize.one_line``: control characters,
escape sequences, bidi overrides, newlines), then ``%`` and the delimiters are encoded, so
a message holding ``%0A::error::forged`` shows those characters instead of starting a second
command, and nothing can add or change a property. The only line breaks in a message are
ours: the fix goes on the annotation's second line.
"""

from __future__ import annotations

from ocp_check.model import (
    Finding,
    FindingCaps,
    FindingState,
    FoldedFindings,
    Report,
    Severity,
    SubmissionResult,
    verdict_headline,
)
from ocp_check.render import RenderOptions
from ocp_check.sanitize import one_line

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_MESSAGE_LIMIT = 4000
_PROPERTY_LIMIT = 1000


def _percent(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_data(s: str) -> str:
    """A message: one visible line, then GitHub's data escapes."""
    return _percent(one_line(s, _MESSAGE_LIMIT))


def escape_property(s: str) -> str:
    """A property value: as a message, plus ``:`` and ``,``, which delimit properties."""
    return _percent(one_line(s, _PROPERTY_LIMIT)).replace(":", "%3A").replace(",", "%2C")


def _path(sub: SubmissionResult, file: str) -> str | None:
    """The path as given on the command line; None when the finding is on no file."""
    if not file or sub.root == "<stdin>":
        return None
    return f"{sub.root}/{file}" if sub.root not in ("", ".") else file


def _line(sub: SubmissionResult, f: Finding) -> str:
    loc = f.location
    properties: list[str] = []
    path = _path(sub, loc.file)
    if path is not None:
        properties.append(f"file={escape_property(path)}")
        if loc.line is not None:
            properties.append(f"line={loc.line}")
            if loc.column is not None:
                properties.append(f"col={loc.column}")
    title = f"{f.clause} {f.rule}" if f.clause else f.rule
    properties.append(f"title={escape_property(title)}")
    if f.state is FindingState.WAIVED:
        command = "notice"
        message = f"waived: {f.message}"
        if f.waiver is not None:
            w = f.waiver
            message += f" (waived by {w.approved_by}, {w.issuer} waiver {w.id}, "
            message += f"expires {w.expires}: {w.reason})"
    else:
        command = _COMMANDS[f.severity]
        message = f.message
        if f.waiver is not None and not f.waiver.honoured:
            message += f" (waiver {f.waiver.id} not honoured"
            message += f": {f.waiver.note})" if f.waiver.note else ")"
    if not path and sub.name:
        message = f"{sub.name}: {message}"
    text = escape_data(message)
    if f.fix:
        text += "%0A" + escape_data("fix: " + f.fix)
    return f"::{command} {','.join(properties)}::{text}"


def _folded_line(sub: SubmissionResult, g: FoldedFindings, caps: FindingCaps) -> str:
    """One annotation per group of findings the caps left out: the pull request still shows
    that a file has more of them, and how many."""
    properties: list[str] = []
    path = _path(sub, g.file)
    if path is not None:
        properties.append(f"file={escape_property(path)}")
    title = f"{g.clause} {g.rule}" if g.clause else g.rule
    properties.append(f"title={escape_property(title)}")
    command = "notice" if g.state is FindingState.WAIVED else _COMMANDS[g.severity]
    state = "" if g.active else f" {g.state.value}"
    message = f"{g.count:,} more{state} finding{'s' if g.count != 1 else ''} of {g.rule} not shown ({caps.describe()})"
    if not path and sub.name:
        message = f"{sub.name}: {message}"
    return f"::{command} {','.join(properties)}::{escape_data(message)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(report: Report, options: RenderOptions) -> str:
    lines = [
        _line(sub, f)
        for sub in report.submissions
        for f in sub.findings
        if f.state in (FindingState.ACTIVE, FindingState.WAIVED)
    ]
    lines += [
        _folded_line(sub, g, report.caps)
        for sub in report.submissions
        for g in sub.folded
        if g.state in (FindingState.ACTIVE, FindingState.WAIVED)
    ]
    counts = report.counts()
    summary = (
        f"ocp-check: {verdict_headline(report, options.fail_on)}; {report.tally()}; "
        f"{_plural(counts['error'], 'error')}, "
        f"{_plural(counts['warning'], 'warning')}, {counts['info']} info, "
        f"{counts['waived']} waived, {counts['not-in-force']} not-in-force"
    )
    if counts["disabled"]:  # as in the text report: only when a profile disabled something
        summary += f", {counts['disabled']} disabled"
    summary += f"; {report.accounting_phrase()}"
    judged = report.judged_against()
    if judged:
        summary += f"; {judged}"
    folded = report.folded_count()
    if folded:
        summary += f"; {folded:,} of them not shown ({report.caps.describe()})"
    lines.append(summary)
    return "\n".join(lines) + "\n"
