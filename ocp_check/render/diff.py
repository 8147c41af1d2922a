"""The renderings of a structured standards diff (``diff.StandardDiff``): text for a
terminal, Markdown for a public comment thread. The JSON form is ``StandardDiff.to_dict``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ocp_check.diff import ADDITIVE, BREAKING, EDITORIAL, Change, ChangeClass, StandardDiff
from ocp_check.i18n import N_, _, ngettext, pgettext
from ocp_check.sanitize import markdown_code, markdown_text
from ocp_check.versioning import expected_version

#: The kinds of content, in the order of the rendering, with their heading (translated when
#: rendered: the language is the run's, chosen after this module is imported).
_SECTIONS = (
    ("clause", N_("Clauses")),
    ("rule", N_("Rules")),
    ("parameter", N_("Parameters")),
    ("vocabulary", N_("Vocabularies")),
    ("term", N_("Vocabulary terms")),
    ("schema", N_("Document schema")),
    ("completeness", N_("Submission completeness")),
    ("metadata", N_("Metadata")),
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
    BREAKING: N_("a submission that conforms to {old} may not conform to {new}"),
    ADDITIVE: N_("everything that conforms to {old} still conforms to {new}"),
    EDITORIAL: N_("no finding of any submission changes"),
}


def _meaning(cls: ChangeClass, d: StandardDiff) -> str:
    return _(_MEANING[cls], old=d.old, new=d.new)


def _class_word(cls: ChangeClass) -> str:
    """A change class as a word of a sentence or a table cell: ``breaking`` / ``majeur``."""
    words = {
        BREAKING: pgettext("change class", "breaking"),
        ADDITIVE: pgettext("change class", "additive"),
        EDITORIAL: pgettext("change class", "editorial"),
    }
    return words[cls]


def _class_count(cls: ChangeClass, n: int) -> str:
    phrases = {
        BREAKING: lambda: ngettext("{count} breaking", "{count} breaking", n),
        ADDITIVE: lambda: ngettext("{count} additive", "{count} additive", n),
        EDITORIAL: lambda: ngettext("{count} editorial", "{count} editorial", n),
    }
    return phrases[cls]()


def _headline(d: StandardDiff) -> str:
    strongest = d.change_class
    if strongest is None:
        return _("No differences.")
    counts = d.counts()
    count_text = ", ".join(_class_count(c, counts[c.value]) for c in ChangeClass if counts[c.value])
    old_v = d.old.split("@", 1)[1]
    expected = expected_version(old_v, strongest)
    heads = {
        BREAKING: N_("Class: BREAKING ({meaning}); {changes}: {counts}. The versioning rules number this {expected} after {old}."),
        ADDITIVE: N_("Class: ADDITIVE ({meaning}); {changes}: {counts}. The versioning rules number this {expected} after {old}."),
        EDITORIAL: N_("Class: EDITORIAL ({meaning}); {changes}: {counts}. The versioning rules number this {expected} after {old}."),
    }
    return _(
        heads[strongest],
        meaning=_meaning(strongest, d),
        changes=ngettext("{count} changes", "{count} changes", len(d.changes)),
        counts=count_text,
        expected=expected,
        old=old_v,
    )


def _numbered(d: StandardDiff) -> Iterator[tuple[str, str, list[tuple[str, Change]]]]:
    for subject, title in _SECTIONS:
        items = d.of(subject)
        if items:
            yield subject, title, [(f"{_PREFIX[subject]}{i}", c) for i, c in enumerate(items, 1)]


def render_diff(d: StandardDiff) -> str:
    """Plain text for a terminal: the class first, then every change numbered with its class."""
    lines = [f"{d.old} → {d.new}", _headline(d)]
    for _subject, title, items in _numbered(d):
        lines.append("\n" + _("{heading} ({count}):", heading=_(title), count=len(items)))
        lines.extend(f"  {num:<4} [{_class_word(c.change_class)}] {c.summary}" for num, c in items)
    return "\n".join(lines) + "\n"


def render_diff_markdown(d: StandardDiff) -> str:
    """Markdown for a public comment thread: the class and the count by class first, then one
    numbered table per kind of content, so a comment can cite "C3" or "P1"."""
    change = f"{markdown_code(d.old, in_table=False)} → {markdown_code(d.new, in_table=False)}"
    lines = ["## " + _("Proposed change: {change}", change=change), ""]
    lines.append(markdown_text(_headline(d)))
    if d.empty():
        return "\n".join(lines) + "\n"
    counts = d.counts()
    heads = (pgettext("diff column", "class"), pgettext("diff column", "changes"), pgettext("diff column", "meaning"))
    lines += ["", "| " + " | ".join(heads) + " |", "|---|---|---|"]
    for cls in ChangeClass:
        meaning = markdown_text(_meaning(cls, d))
        lines.append(f"| {_class_word(cls)} | {counts[cls.value]} | {meaning} |")
    columns = (
        "#",
        pgettext("diff column", "class"),
        pgettext("diff column", "change"),
        pgettext("diff column", "clauses"),
    )
    for _subject, title, items in _numbered(d):
        lines += ["", f"### {_(title)}", "", "| " + " | ".join(columns) + " |", "|---|---|---|---|"]
        for num, c in items:
            clauses = ", ".join(markdown_code(x) for x in c.clauses)
            lines.append(f"| {num} | {_class_word(c.change_class)} | {markdown_text(c.summary)} | {clauses} |")
    lines += [
        "",
        _(
            "Comment on a change by its number (for example “C1”). The class is computed from the "
            "standard's data and is a floor: editors may treat a change as more than it says, never less."
        ),
    ]
    return "\n".join(lines) + "\n"
