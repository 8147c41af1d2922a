"""The closing table of the text report: one row per submission, where each bid stands.

A run over a folder of bids prints thousands of lines; what a reader needs at the end, just
above the verdict line, is each bid's verdict and counts. The table has a header row and no
box-drawing characters (a screen reader reads those aloud one by one), and the verdict is in
words, coloured only as a second signal. Bid names lose the folder they all share
(``bids in examples/bids/``), which otherwise fills every row.
"""

from __future__ import annotations

import posixpath

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ocp_check.i18n import _, current_language, pgettext
from ocp_check.l10n import format_int
from ocp_check.model import Report
from ocp_check.sanitize import one_line

#: Columns after the submission's name, each a count of its findings (shown and folded).
COUNTS = ("error", "warning", "info", "waived")


def header(key: str) -> str:
    """The heading of a count column, in the run's language."""
    headers = {
        "error": pgettext("count column", "errors"),
        "warning": pgettext("count column", "warnings"),
        "info": pgettext("count column", "info"),
        "waived": pgettext("count column", "waived"),
    }
    return headers[key]


def common_folder(names: list[str]) -> tuple[str, list[str]]:
    """The folder every name is directly inside, and the names without it.

    Only when there are several names and they are siblings; otherwise ``""`` and the names
    as they are.
    """
    parents = {posixpath.dirname(n.rstrip("/")) for n in names}
    if len(names) > 1 and len(parents) == 1:
        [parent] = parents
        if parent:
            return parent, [n.rstrip("/")[len(parent) :].lstrip("/") for n in names]
    return "", names


def wanted(report: Report) -> bool:
    """The table is for runs of several submissions (or evaluations); one says it all above."""
    return len(report.submissions) > 1


def print_summary(console: Console, report: Report) -> None:
    """Print the table (see the module docstring) on ``console``."""
    folder, labels = common_folder([s.name for s in report.submissions])
    table = Table(
        box=None,
        show_edge=False,
        pad_edge=False,
        title=None,
        header_style="bold",
    )
    table.add_column(
        _("submission in {folder}/", folder=one_line(folder, 120))
        if folder
        else pgettext("column", "submission"),
        overflow="fold",
    )
    table.add_column(pgettext("column", "verdict"), no_wrap=True)
    for key in COUNTS:
        table.add_column(header(key), justify="right", no_wrap=True)
    language = current_language()
    for sub, label in zip(report.submissions, labels, strict=True):
        name = one_line(label, 200) + (f" [{one_line(sub.evaluation, 80)}]" if sub.evaluation else "")
        counts = sub.counts()
        table.add_row(
            Text(name),
            Text(
                pgettext("verdict", "conformant") if sub.conformant else pgettext("verdict", "nonconformant"),
                style="green" if sub.conformant else "bold red",
            ),
            *(Text(format_int(counts[key], language)) for key in COUNTS),
        )
    console.print()
    console.print(Text(_("Summary by submission:"), style="bold"))
    console.print(table, soft_wrap=False)
