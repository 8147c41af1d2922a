"""From scanned candidates to submission tasks, before anything is parsed.

A folder given on the command line is one submission, and its subfolders that
hold documents of their own are separate submissions; files named together form one
submission. Deciding which subfolders "hold documents" must not require parsing every file
in the parent process (parsing happens in the budgeted workers), so a folder counts as
holding documents when one of its files *announces* a document kind near its top: a
``kind:`` line naming a data manifest, a retention policy or a compliance report, or an
``openapi:`` / ``swagger:`` key (JSON spellings included). The full detection still happens when the file is loaded;
this sniff only draws submission boundaries, and a fragment folder such as ``models/`` (no
file announcing a kind) stays part of its bid. A folder of its own whose files announce
nothing is still a submission, unless every file in it is a fragment reached by ``$ref`` from
another submission (decided once the others are judged, in ``engine.py``).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from ocp_check.foreign import is_data_name
from ocp_check.model import KEYED_KINDS
from ocp_check.reading import ReadError, read_head
from ocp_check.scan import Candidate, ScanResult

SNIFF_BYTES = 64 * 1024
_KEYED_VALUES: tuple[str, ...] = tuple(k.value for k in KEYED_KINDS)
_KEYED = "|".join(_KEYED_VALUES).encode()
_ANNOUNCES = re.compile(
    rb"(?m)^(?:kind[ \t]*:[ \t]*[\"']?(?:" + _KEYED + rb")\b"
    rb"|(?:openapi|swagger)[ \t]*:)"
    rb"|\"(?:openapi|swagger)\"[ \t\r\n]*:"
    rb"|\"kind\"[ \t\r\n]*:[ \t\r\n]*\"(?:" + _KEYED + rb")\""
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
    # Files whose first bytes announce a document kind (set by ``group``).
    announcing: list[str] = field(default_factory=list)
    # No file announces a document: its files may all be fragments of another submission.
    documentless: bool = False


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
    return next(value for value in _KEYED_VALUES if value.encode() in text)


def announces_document(path: Path) -> bool:
    """Whether the first bytes of a file announce a document kind (see the module docstring).

    Only YAML and JSON files can: Markdown front matter and RDF are never OCP documents."""
    if not is_data_name(path.name):
        return False
    try:
        head = read_head(path, SNIFF_BYTES)  # never blocks: the file may have become a FIFO
    except ReadError:
        return False
    return announced_kind(head) is not None


def _ancestors(directory: str) -> list[str]:
    """The folders from the scan root ("") down to ``directory``, both included."""
    chain = [""]
    if directory:
        parts = directory.split("/")
        chain.extend("/".join(parts[: i + 1]) for i in range(len(parts)))
    return chain


class _Owners:
    """Which folder's submission each file belongs to (docs/ARCHITECTURE.md, "Every file is
    accounted for").

    A file belongs to the nearest folder, its own or above, that holds a document. A file with
    no such folder above it belongs to the outermost folder on its path that holds candidate
    files and has no submission below it: in ``bids/`` holding ``good/`` (documents) and
    ``broken/`` (one unparseable file), ``broken/`` is a submission of its own; in a bid of
    unparseable files, its ``models/`` subfolder stays part of it."""

    def __init__(self, candidates: list[Candidate], announcing: set[str]) -> None:
        self.doc_dirs = {posixpath.dirname(rel) for rel in announcing}
        self.above_submissions = {a for d in self.doc_dirs for a in _ancestors(d)[:-1]}
        self.holding = {posixpath.dirname(c.rel) for c in candidates}

    def __call__(self, directory: str) -> str:
        chain = _ancestors(directory)
        for folder in reversed(chain):
            if folder in self.doc_dirs:
                return folder
        free = [folder for folder in chain if folder not in self.above_submissions]
        return next((folder for folder in free if folder in self.holding), directory)


def group(scan: ScanResult) -> list[SubmissionTask]:
    """Split one scan into submission tasks, in code-point order of their folders.

    Tasks of folders without documents are marked ``documentless``: the engine makes them
    submissions only for the files that no other submission reaches by ``$ref``."""
    if scan.stdin is not None:
        return [SubmissionTask("<stdin>", scan.root, "<stdin>", [], stdin=scan.stdin)]
    notes = [(n.rel, n.message) for n in scan.notes]
    announcing = {c.rel for c in scan.candidates if announces_document(c.path)}
    if scan.explicit_files:
        task = SubmissionTask(scan.root_display, scan.root, scan.root_display, list(scan.candidates), notes)
        task.announcing = [c.rel for c in scan.candidates if c.rel in announcing]
        return [task]
    owner = _Owners(scan.candidates, announcing)
    tasks: dict[str, SubmissionTask] = {}

    def task_for(directory: str) -> SubmissionTask:
        if directory not in tasks:
            name = scan.root_display if directory == "" else f"{scan.root_display}/{directory}"
            tasks[directory] = SubmissionTask(name, scan.root, scan.root_display, [])
        return tasks[directory]

    for candidate in scan.candidates:
        task_for(owner(posixpath.dirname(candidate.rel))).candidates.append(candidate)
    for rel, message in notes:
        task_for(owner(posixpath.dirname(rel))).notes.append((rel, message))
    for candidate in scan.waiver_files:
        task_for(owner(posixpath.dirname(candidate.rel))).waiver_files.append(candidate)
    if not tasks:
        task_for("")
    ordered = [tasks[k] for k in sorted(tasks)]
    for task in ordered:
        task.announcing = [c.rel for c in task.candidates if c.rel in announcing]
        task.documentless = not task.announcing and not task.waiver_files and len(ordered) > 1
    return ordered
