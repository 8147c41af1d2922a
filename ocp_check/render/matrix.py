"""Renderings of the bids-side-by-side matrix (``ocp-check compare``): text, Markdown,
CSV, JSON and HTML. Every bid name and title is escaped for its medium; CSV cells that a
spreadsheet would run as a formula are neutralised.

The JSON rendering keeps the report's tokens (``pass``, ``MUST``, ``conformant``); the others
are read by people and say them in the run's language, as every report does.
"""

from __future__ import annotations

import json
import posixpath

from ocp_check.compare import Matrix
from ocp_check.i18n import _, pgettext
from ocp_check.model import Level, Status
from ocp_check.sanitize import csv_cell, csv_row, markdown_text, one_line
from ocp_check.wording import level_word, status_word


def cell_word(token: str) -> str:
    """A cell of the matrix (a status token, or ``—`` for a clause the bid's version lacks)
    in words."""
    try:
        return status_word(Status(token))
    except ValueError:
        return token


def level_cell(token: str) -> str:
    """A level token (``MUST``), or ``—``, in words."""
    try:
        return level_word(Level(token))
    except ValueError:
        return token


def verdict_word(verdict: str) -> str:
    words = {
        "conformant": pgettext("verdict", "conformant"),
        "nonconformant": pgettext("verdict", "nonconformant"),
    }
    return words.get(verdict, verdict)


def _counts_heading() -> str:
    return _("errors / warnings / waived")


def to_json(matrix: Matrix) -> str:
    data = {
        "bids": [
            {
                "name": c.name,
                "verdict": c.verdict,
                "counts": c.counts,
                "versions": c.versions,
                "failing_must_clauses": c.failing_must,
            }
            for c in matrix.columns
        ],
        "clauses": [
            {
                "standard": r.standard,
                "clause": r.clause,
                "title": r.title,
                "cells": [{"status": s, "level": lv} for s, lv in zip(r.cells, r.levels, strict=False)],
            }
            for r in matrix.rows
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_csv(matrix: Matrix) -> str:
    rows = [
        [
            pgettext("column", "standard"),
            pgettext("column", "clause"),
            pgettext("column", "title"),
            *(csv_cell(c.name) for c in matrix.columns),
        ],
        ["", "", pgettext("column", "verdict"), *(verdict_word(c.verdict) for c in matrix.columns)],
        [
            "",
            "",
            pgettext("column", "versions"),
            *("; ".join(f"{k}@{v}" for k, v in sorted(c.versions.items())) for c in matrix.columns),
        ],
        ["", "", _counts_heading(), *(_counts(c.counts) for c in matrix.columns)],
    ]
    rows.extend(
        [r.standard, r.clause, csv_cell(r.title), *(cell_word(s) for s in r.cells)] for r in matrix.rows
    )
    return "".join(csv_row(row) for row in rows)


def to_markdown(matrix: Matrix) -> str:
    columns = " | ".join(pgettext("column", name) for name in ("standard", "clause", "title"))
    head = f"| {columns} | " + " | ".join(markdown_text(c.name) for c in matrix.columns) + " |"
    sep = "|---|---|---|" + "---|" * len(matrix.columns)
    lines = ["# " + _("Bids side by side"), "", head, sep]
    lines.append(
        f"| | | **{pgettext('column', 'verdict')}** | "
        + " | ".join(f"**{verdict_word(c.verdict)}**" for c in matrix.columns)
        + " |"
    )
    lines.append(
        f"| | | {_counts_heading()} | " + " | ".join(_counts(c.counts) for c in matrix.columns) + " |"
    )
    for r in matrix.rows:
        cells = " | ".join(f"**{cell_word(s)}**" if s == "fail" else cell_word(s) for s in r.cells)
        lines.append(f"| {r.standard} | {r.clause} | {markdown_text(r.title)} | {cells} |")
    return "\n".join(lines) + "\n"


def _counts(counts: dict[str, int]) -> str:
    return f"{counts['error']} / {counts['warning']} / {counts['waived']}"


def _labels(names: list[str]) -> tuple[str, list[str]]:
    """Column labels without the folder the bids share (``examples/bids/``), and that folder.

    Bids are usually siblings; their shared path only eats the width of every column.
    """
    parents = {posixpath.dirname(n.rstrip("/")) for n in names}
    if len(names) > 1 and len(parents) == 1:
        [parent] = parents
        if parent:
            return parent, [n.rstrip("/")[len(parent) :].lstrip("/") for n in names]
    return "", names


def to_text(matrix: Matrix) -> str:
    folder, labels = _labels([c.name for c in matrix.columns])
    names = [one_line(n, 28) for n in labels]
    width = max([12, *(len(n) for n in names)])
    lines = [_("bids in {folder}/", folder=one_line(folder, 200)) + "\n"] if folder else []
    lines.append(f"{pgettext('column', 'clause'):<10} {'':<48} " + " ".join(f"{n:<{width}}" for n in names))
    lines.append(
        f"{pgettext('column', 'verdict'):<10} {'':<48} "
        + " ".join(f"{verdict_word(c.verdict):<{width}}" for c in matrix.columns)
    )
    lines.append(
        f"{'':<10} {_counts_heading():<48} "
        + " ".join(f"{_counts(c.counts):<{width}}" for c in matrix.columns)
    )
    current = None
    for r in matrix.rows:
        if r.standard != current:
            current = r.standard
            versions = ", ".join(c.versions.get(r.standard, "—") for c in matrix.columns)
            lines.append("\n" + _("{standard} (versions: {list})", standard=r.standard, list=versions))
        title = one_line(r.title, 46)
        lines.append(f"{r.clause:<10} {title:<48} " + " ".join(f"{cell_word(s):<{width}}" for s in r.cells))
    return "\n".join(lines) + "\n"


def to_html(matrix: Matrix) -> str:
    from ocp_check.render.html import render_matrix_page

    return render_matrix_page(matrix)


MATRIX_RENDERERS = {"text": to_text, "markdown": to_markdown, "csv": to_csv, "json": to_json, "html": to_html}
