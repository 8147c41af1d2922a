"""From files changed in a repository to the submission folders to check (``check --changed``).

Git hooks and CI jobs know which files changed, not which bids they belong to. A changed
file is part of a submission, and is judged with the rest of it: checked alone, an edited
data manifest would fail for "no retention policy". So each changed path is mapped to its
submission folder, the folder a plain ``ocp-check check`` of the repository would make it part
of: the nearest folder, from the file's own up to the stop folder (``--root``, else the
current folder, which is the repository's top under pre-commit), that holds a file announcing
a document kind (the same sniff that draws submission boundaries in ``grouping.py``).

Folders are checked once however many of their files changed, and a folder inside another
one to check is dropped, since checking the outer folder checks it too. A path that a
folder scan would not read (another suffix, a hidden or ``__`` folder, ``node_modules``), or
that belongs to no submission, is set aside with the reason. A path that no longer exists
(a deleted file) still selects its folder, so the deletion is judged; a folder is checked as
it is, as ``check FOLDER`` would.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ocp_check.grouping import announces_document
from ocp_check.i18n import _
from ocp_check.scan import WAIVER_FILE_NAMES, is_candidate_name


@dataclass
class ChangedSelection:
    """The folders to check, in code-point order, and the paths set aside with the reason."""

    folders: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _scanned_folder_name(name: str) -> bool:
    """Whether a folder scan descends into a folder of this name (see ``scan.scan_folder``)."""
    return not name.startswith((".", "__")) and name != "node_modules"


def _announces(folder: Path, cache: dict[Path, bool]) -> bool:
    """Whether a file directly in ``folder`` announces a document kind."""
    found = cache.get(folder)
    if found is None:
        found = False
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            entries = []
        for entry in entries:
            if is_candidate_name(entry.name) and entry.is_file() and announces_document(Path(entry.path)):
                found = True
                break
        cache[folder] = found
    return found


def _owner(start: Path, stop: Path, cache: dict[Path, bool]) -> Path | None:
    """The nearest folder from ``start`` up to ``stop`` (inclusive) that holds a document."""
    current = start
    while True:
        if _announces(current, cache):
            return current
        if current == stop or current.parent == current:
            return None
        current = current.parent


def _display(folder: Path, cwd: Path) -> str:
    """The folder as the user would name it: relative to the current folder when inside it."""
    try:
        rel = folder.relative_to(cwd)
    except ValueError:
        return str(folder)
    return rel.as_posix() or "."


def select_submissions(paths: Sequence[str], stop: Path, cwd: Path) -> ChangedSelection:
    """Map changed ``paths`` to the submission folders that hold them (see the module text)."""
    selection = ChangedSelection()
    cwd = cwd.resolve()
    stop = (cwd / stop).resolve()
    cache: dict[Path, bool] = {}
    owners: set[Path] = set()
    for raw in paths:
        if (cwd / raw).is_dir():  # a folder named as such is checked as it is
            owners.add((cwd / raw).resolve())
            continue
        # The folder is resolved, not the file: a symbolic link belongs where it lies.
        path = (cwd / raw).parent.resolve() / Path(raw).name
        name = path.name
        if not (is_candidate_name(name) or name in WAIVER_FILE_NAMES):
            selection.skipped.append((raw, _("not a .yaml, .yml or .json document")))
            continue
        try:
            inside = path.parent.relative_to(stop).parts
        except ValueError:
            inside = ()
        if not all(_scanned_folder_name(part) for part in inside):
            selection.skipped.append((raw, _("in a folder that a check does not scan")))
            continue
        owner = _owner(path.parent, stop, cache)
        if owner is None:
            selection.skipped.append(
                (raw, _("in no submission: no data manifest, retention policy or API description beside it or above it"))
            )
            continue
        owners.add(owner)
    outermost = [o for o in owners if not any(other != o and other in o.parents for other in owners)]
    selection.folders = sorted(_display(o, cwd) for o in outermost)
    return selection
