"""Placeholders: template values still ``TODO`` make a document incomplete.

``ocp-check init`` writes templates whose values to fill in start with ``TODO``; each one left
is reported once, as ``incomplete`` (docs/ARCHITECTURE.md, "A placeholder is one finding").
The schema stage and ``placeholder_echoes`` fold what would only repeat it.
"""

from __future__ import annotations

import re
from typing import Any

from ocp_check.jsondata import JSON, escape_token
from ocp_check.model import Finding
from ocp_check.stages import findings
from ocp_check.stages.context import Submission


def run(sub: Submission) -> Submission:
    found: list[Finding] = []
    spots: dict[str, tuple[str, ...]] = {}
    for doc in sub.docs:
        document = doc.loaded.document
        if document is None or doc.kind is None or doc.standard is None:
            continue
        if not may_hold_placeholder(document.text):
            continue
        here = placeholders(document.data)
        if here:
            spots[doc.rel] = tuple(pointer for pointer, _ in here)
        found.extend(findings.placeholder(doc.rel, pointer, text, doc.standard) for pointer, text in here)
    return sub.found(found, placeholders=spots)


# How a "T", "O" or "D" can be written without the letter itself (JSON and YAML escapes), and
# a YAML double-quoted line continuation, which joins "TO\<newline>DO" into "TODO".
_ESCAPED_TODO_LETTER = re.compile(
    r"\\(?:u00(?:54|4[fF]|44)|x(?:54|4[fF]|44)|U0000(?:0054|004[fF]|0044)|[\r\n\x85\u2028\u2029])"
)


def may_hold_placeholder(text: str) -> bool:
    """False only when no string value of the document can start with ``TODO``: the text has
    neither the word nor an escape that could spell it. Walking every value of a 13 MB API
    description to find none costs a tenth of its check; searching its text, a hundredth."""
    return "TODO" in text or _ESCAPED_TODO_LETTER.search(text) is not None


def placeholders(data: JSON, limit: int = 200) -> list[tuple[str, str]]:
    """``TODO`` placeholders (as written by ``ocp-check init``), in document order.

    The walk keeps each node's path as a link to its parent's and builds a pointer only for a
    placeholder found: formatting a pointer for every node of a 13 MB API description cost
    more than checking it."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, JSON]] = [(None, data)]
    while stack and len(found) < limit:
        link, value = stack.pop()
        if isinstance(value, str):
            if value.startswith("TODO"):
                tokens: list[str] = []
                while link is not None:
                    link, token = link
                    tokens.append(token)
                pointer = "".join("/" + escape_token(t) for t in reversed(tokens))
                found.append((pointer, value[4:].lstrip(" :") or "a value"))
        elif isinstance(value, dict):
            stack.extend(((link, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((link, str(i)), v) for i, v in reversed(list(enumerate(value))))
    return found


def at_or_below(pointer: str, spots: tuple[str, ...]) -> bool:
    """Whether a pointer is a placeholder or inside one."""
    return any(pointer == p or pointer.startswith(p + "/") for p in spots)
