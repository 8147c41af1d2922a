"""Renderings of the bids-side-by-side matrix (``ocp-check compare``): text, Markdown,
CSV, JSON and HTML. Every bid name and title is escaped for its medium; CSV cells that a
spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import json
import posixpath

from ocp_check.compare import Matrix
from ocp_check.sanitize import csv_cell, csv_row, markdown_text, one_line


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
        ["standard", "clause", "title", *(csv_cell(c.name) for c in matrix.columns)],
        ["", "", "verdict", *(c.verdict for c in matrix.columns)],
        [
            "",
            "",
            "versions",
            *("; ".join(f"{k}@{v}" for k, v in sorted(c.versions.items())) for c in matrix.columns),
        ],
        ["", "", "errors / warnings / waived", *(_counts(c.counts) for c in matrix.columns)],
    ]
    rows.extend([r.standard, r.clause, csv_cell(r.title), *r.cells] for r in matrix.rows)
    return "".join(csv_row(row) for row in rows)


def to_markdown(matrix: Matrix) -> str:
    head = "| standard | clause | title | " + " | ".join(markdown_text(c.name) for c in matrix.columns) + " |"
    sep = "|---|---|---|" + "---|" * len(matrix.columns)
    lines = ["# Bids side by side", "", head, sep]
    lines.append("| | | **verdict** | " + " | ".join(f"**{c.verdict}**" for c in matrix.columns) + " |")
    lines.append(
        "| | | errors / warnings / waived | " + " | ".join(_counts(c.counts) for c in matrix.columns) + " |"
    )
    for r in matrix.rows:
        cells = " | ".join(f"**{s}**" if s == "fail" else s for s in r.cells)
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
    lines = [f"bids in {one_line(folder, 200)}/\n"] if folder else []
    lines.append(f"{'clause':<10} {'':<48} " + " ".join(f"{n:<{width}}" for n in names))
    lines.append(f"{'verdict':<10} {'':<48} " + " ".join(f"{c.verdict:<{width}}" for c in matrix.columns))
    lines.append(
        f"{'':<10} {'errors / warnings / waived':<48} "
        + " ".join(f"{_counts(c.counts):<{width}}" for c in matrix.columns)
    )
    current = None
    for r in matrix.rows:
        if r.standard != current:
            current = r.standard
            versions = ", ".join(c.versions.get(r.standard, "—") for c in matrix.columns)
            lines.append(f"\n{r.standard} (versions: {versions})")
        title = one_line(r.title, 46)
        lines.append(f"{r.clause:<10} {title:<48} " + " ".join(f"{s:<{width}}" for s in r.cells))
    return "\n".join(lines) + "\n"


def to_html(matrix: Matrix) -> str:
    from ocp_check.render.html import render_matrix_page

    return render_matrix_page(matrix)


MATRIX_RENDERERS = {"text": to_text, "markdown": to_markdown, "csv": to_csv, "json": to_json, "html": to_html}
