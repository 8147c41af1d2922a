"""The renderings of a structured standards diff (``diff.StandardDiff``): text for a
terminal, Markdown for a public comment thread. The JSON form is ``StandardDiff.to_dict``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ocp_check.diff import ADDITIVE, BREAKING, EDITORIAL, Change, ChangeClass, StandardDiff
from ocp_check.sanitize import markdown_code, markdown_text
from ocp_check.versioning import expected_version

_SECTIONS = (
    ("clause", "Clauses"),
    ("rule", "Rules"),
    ("parameter", "Parameters"),
    ("vocabulary", "Vocabularies"),
    ("term", "Vocabulary terms"),
    ("schema", "Document schema"),
    ("completeness", "Submission completeness"),
    ("metadata", "Metadata"),
)


_PREFIX = {
    "clause": "C",
    "rule": "R",
    "parameter": "P",
    "vocabulary": "V",
    "term": "T",
    "schema": "S",
    "completeness": "D",
    "metadata": "M",
}


_MEANING = {
    BREAKING: "a submission that conforms to {old} may not conform to {new}",
    ADDITIVE: "everything that conforms to {old} still conforms to {new}",
    EDITORIAL: "no finding of any submission changes",
}


def _headline(d: StandardDiff) -> str:
    strongest = d.change_class
    if strongest is None:
        return "No differences."
    counts = d.counts()
    count_text = ", ".join(f"{counts[c.value]} {c.value}" for c in ChangeClass if counts[c.value])
    old_v = d.old.split("@", 1)[1]
    expected = expected_version(old_v, strongest)
    return (
        f"Class: {strongest.value.upper()} ({_MEANING[strongest].format(old=d.old, new=d.new)}); "
        f"{len(d.changes)} changes: {count_text}. The versioning rules number this {expected} after {old_v}."
    )


def _numbered(d: StandardDiff) -> Iterator[tuple[str, str, list[tuple[str, Change]]]]:
    for subject, title in _SECTIONS:
        items = d.of(subject)
        if items:
            yield subject, title, [(f"{_PREFIX[subject]}{i}", c) for i, c in enumerate(items, 1)]


def render_diff(d: StandardDiff) -> str:
    """Plain text for a terminal: the class first, then every change numbered with its class."""
    lines = [f"{d.old} → {d.new}", _headline(d)]
    for _, title, items in _numbered(d):
        lines.append(f"\n{title} ({len(items)}):")
        lines.extend(f"  {num:<4} [{c.change_class.value}] {c.summary}" for num, c in items)
    return "\n".join(lines) + "\n"


def render_diff_markdown(d: StandardDiff) -> str:
    """Markdown for a public comment thread: the class and the count by class first, then one
    numbered table per kind of content, so a comment can cite "C3" or "P1"."""
    lines = [
        f"## Proposed change: {markdown_code(d.old, in_table=False)} → {markdown_code(d.new, in_table=False)}",
        "",
    ]
    lines.append(markdown_text(_headline(d)))
    if d.empty():
        return "\n".join(lines) + "\n"
    counts = d.counts()
    lines += ["", "| class | changes | meaning |", "|---|---|---|"]
    for cls in ChangeClass:
        meaning = markdown_text(_MEANING[cls].format(old=d.old, new=d.new))
        lines.append(f"| {cls.value} | {counts[cls.value]} | {meaning} |")
    for _, title, items in _numbered(d):
        lines += ["", f"### {title}", "", "| # | class | change | clauses |", "|---|---|---|---|"]
        for num, c in items:
            clauses = ", ".join(markdown_code(x) for x in c.clauses)
            lines.append(f"| {num} | {c.change_class.value} | {markdown_text(c.summary)} | {clauses} |")
    lines += [
        "",
        "Comment on a change by its number (for example “C1”). The class is computed from the "
        "standard's data and is a floor: editors may treat a change as more than it says, never less.",
    ]
    return "\n".join(lines) + "\n"
