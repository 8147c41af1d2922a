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

from ocp_check.model import Report
from ocp_check.sanitize import one_line

#: Columns after the submission's name, each a count of its findings (shown and folded).
COUNTS = ("error", "warning", "info", "waived")
HEADERS = {"error": "errors", "warning": "warnings", "info": "info", "waived": "waived"}


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
    table.add_column(f"submission in {one_line(folder, 120)}/" if folder else "submission", overflow="fold")
    table.add_column("verdict", no_wrap=True)
    for key in COUNTS:
        table.add_column(HEADERS[key], justify="right", no_wrap=True)
    for sub, label in zip(report.submissions, labels, strict=True):
        name = one_line(label, 200) + (f" [{one_line(sub.evaluation, 80)}]" if sub.evaluation else "")
        counts = sub.counts()
        table.add_row(
            Text(name),
            Text(sub.verdict, style="green" if sub.conformant else "bold red"),
            *(Text(f"{counts[key]:,}") for key in COUNTS),
        )
    console.print()
    console.print(Text("Summary by submission:", style="bold"))
    console.print(table, soft_wrap=False)
