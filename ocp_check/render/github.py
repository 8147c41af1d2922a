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

from ocp_check import i18n
from ocp_check.i18n import _, ngettext
from ocp_check.l10n import format_int
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
from ocp_check.wording import finding_label_count, issuer_word

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
        if f.waiver is not None:
            w = f.waiver
            message = _(
                "waived: {message} (waived by {approver}, {issuer} waiver {id}, expires {date}: {reason})",
                message=f.message,
                approver=w.approved_by,
                issuer=issuer_word(w.issuer),
                id=w.id,
                date=w.expires,
                reason=w.reason,
            )
        else:
            message = _("waived: {message}", message=f.message)
    else:
        command = _COMMANDS[f.severity]
        message = f.message
        if f.waiver is not None and not f.waiver.honoured:
            if f.waiver.note:
                message += " " + _("(waiver {id} not honoured: {note})", id=f.waiver.id, note=f.waiver.note)
            else:
                message += " " + _("(waiver {id} not honoured)", id=f.waiver.id)
    if not path and sub.name:
        message = f"{sub.name}: {message}"
    text = escape_data(message)
    if f.fix:
        text += "%0A" + escape_data(_("fix: {fix}", fix=f.fix))
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
    values = {"count": _num(g.count), "rule": g.rule, "caps": caps.describe()}
    if g.active:
        message = ngettext(
            "{count} more finding of {rule} not shown ({caps})",
            "{count} more findings of {rule} not shown ({caps})",
            g.count,
            **values,
        )
    else:  # only active and waived findings are annotated
        message = ngettext(
            "{count} more waived finding of {rule} not shown ({caps})",
            "{count} more waived findings of {rule} not shown ({caps})",
            g.count,
            **values,
        )
    if not path and sub.name:
        message = f"{sub.name}: {message}"
    return f"::{command} {','.join(properties)}::{escape_data(message)}"


def _num(n: int) -> str:
    """A count as the run's language writes it (``1,244`` / ``1 244``)."""
    return format_int(n, i18n.current_language())


def _plain(n: int) -> str:
    """A count of the summary line: without a thousands separator in English, as it has always
    been written; French groups its digits."""
    return str(n) if i18n.current_language() == "en" else _num(n)


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
    kinds: list[tuple[Severity | FindingState, str]] = [
        (Severity.ERROR, "error"),
        (Severity.WARNING, "warning"),
        (Severity.INFO, "info"),
        (FindingState.WAIVED, "waived"),
        (FindingState.NOT_IN_FORCE, "not-in-force"),
    ]
    if counts["disabled"]:  # as in the text report: only when a profile disabled something
        kinds.append((FindingState.DISABLED, "disabled"))
    tally = ", ".join(finding_label_count(kind, counts[key], _plain(counts[key])) for kind, key in kinds)
    summary = "ocp-check: " + _(
        "{verdict}; {tally}; {counts}",
        verdict=verdict_headline(report, options.fail_on),
        tally=report.tally(),
        counts=tally,
    )
    summary += f"; {report.accounting_phrase()}"
    judged = report.judged_against()
    if judged:
        summary += f"; {judged}"
    folded = report.folded_count()
    if folded:
        summary += "; " + _(
            "{count} of them not shown ({caps})", count=_num(folded), caps=report.caps.describe()
        )
    lines.append(summary)
    return "\n".join(lines) + "\n"
