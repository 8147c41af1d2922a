"""From scanned candidates to submission tasks, before anything is parsed.

CONVENTIONS.md: a folder given on the command line is one submission, and its subfolders that
hold documents of their own are separate submissions; files named together form one
submission. Deciding which subfolders "hold documents" must not require parsing every file
in the parent process (parsing happens in the budgeted workers), so a folder counts as
holding documents when one of its files *announces* a document kind near its top: a
``kind: data-manifest`` / ``kind: retention-policy`` line, or an ``openapi:`` / ``swagger:``
key (JSON spellings included). The full detection still happens when the file is loaded;
this sniff only draws submission boundaries, and a fragment folder such as ``models/`` (no
file announcing a kind) stays part of its bid.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from ocp_check.scan import Candidate, ScanResult

SNIFF_BYTES = 64 * 1024
_ANNOUNCES = re.compile(
    rb"(?m)^(?:kind[ \t]*:[ \t]*[\"']?(?:data-manifest|retention-policy)\b|(?:openapi|swagger)[ \t]*:)"
    rb"|\"(?:openapi|swagger)\"[ \t\r\n]*:"
    rb"|\"kind\"[ \t\r\n]*:[ \t\r\n]*\"(?:data-manifest|retention-policy)\""
)
#: A JSON Schema declares its meta-schema. The OpenAPI schemas that ``schema export`` and
#: ``init`` write have an ``"openapi"`` property, which the JSON branch above would take for a
#: document's key: a folder of exported schemas would become a submission of its own.
_JSON_SCHEMA = re.compile(rb'"\$schema"[ \t\r\n]*:[ \t\r\n]*"https?://json-schema\.org/')


@dataclass
class SubmissionTask:
    """One submission to evaluate: its files, the scan's notes and vendor waiver files."""

    name: str
    root: Path
    root_display: str
    candidates: list[Candidate]
    notes: list[tuple[str, str]] = field(default_factory=list)
    waiver_files: list[Candidate] = field(default_factory=list)
    stdin: bytes | None = None
    skipped: dict[str, str] = field(default_factory=dict)


def announced_kind(head: bytes) -> str | None:
    """The document kind the first bytes of a file announce (``openapi`` for both API formats).

    Used for files that cannot be loaded: a bid's manifest that fails to parse is still its
    manifest, reported as unloadable, not as missing.
    """
    found = _ANNOUNCES.search(head[:SNIFF_BYTES])
    if found is None or _JSON_SCHEMA.search(head[:SNIFF_BYTES]):
        return None
    text = found.group(0)
    if b"openapi" in text or b"swagger" in text:
        return "openapi"
    return "data-manifest" if b"data-manifest" in text else "retention-policy"


def announces_document(path: Path) -> bool:
    """Whether the first bytes of a file announce a document kind (see the module docstring)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return announced_kind(head) is not None


def _owner(directory: str, doc_dirs: set[str]) -> str:
    """The nearest ancestor folder (or itself) that holds documents; "" is the scan root."""
    current = directory
    while current:
        if current in doc_dirs:
            return current
        current = posixpath.dirname(current)
    return ""


def group(scan: ScanResult) -> list[SubmissionTask]:
    """Split one scan into submission tasks, in code-point order of their folders."""
    if scan.stdin is not None:
        return [SubmissionTask("<stdin>", scan.root, "<stdin>", [], stdin=scan.stdin)]
    notes = [(n.rel, n.message) for n in scan.notes]
    if scan.explicit_files:
        return [SubmissionTask(scan.root_display, scan.root, scan.root_display, list(scan.candidates), notes)]
    doc_dirs = {posixpath.dirname(c.rel) for c in scan.candidates if announces_document(c.path)}
    tasks: dict[str, SubmissionTask] = {}

    def task_for(directory: str) -> SubmissionTask:
        if directory not in tasks:
            name = scan.root_display if directory == "" else f"{scan.root_display}/{directory}"
            tasks[directory] = SubmissionTask(name, scan.root, scan.root_display, [])
        return tasks[directory]

    for candidate in scan.candidates:
        task_for(_owner(posixpath.dirname(candidate.rel), doc_dirs)).candidates.append(candidate)
    for rel, message in notes:
        task_for(_owner(posixpath.dirname(rel), doc_dirs)).notes.append((rel, message))
    for candidate in scan.waiver_files:
        task_for(_owner(posixpath.dirname(candidate.rel), doc_dirs)).waiver_files.append(candidate)
    if not tasks:
        task_for("")
    ordered = [tasks[k] for k in sorted(tasks)]
    # A folder whose files announce no document (a shared "models/" folder next to several
    # bids, say) is not a submission of its own when real submissions exist: its files are
    # fragments, loaded on demand when a $ref reaches them. Its scan notes are kept.
    announcing = {c.rel for c in scan.candidates if posixpath.dirname(c.rel) in doc_dirs}
    real = [t for t in ordered if any(c.rel in announcing for c in t.candidates) or t.waiver_files]
    if real and len(real) < len(ordered):
        for dropped in (t for t in ordered if t not in real):
            real[0].notes.extend(dropped.notes)
        return real
    return ordered
