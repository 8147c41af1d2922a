"""Publication checks of a standards folder: published versions are immutable, and every
version number agrees with its changes.

Two promises make a version usable in a contract (``docs/standards-governance.md``): the text
a city relied on is the text it gets back (a lock file records the content SHA-256 of every
published version, and any change to one fails), and the number says what the change does
to bids (breaking → major, additive → minor, editorial → patch, from the structured diff).
``tests/test_standards_selfcheck.py`` and CI run these checks on the shipped standards;
``ocp-check standards lock`` writes the lock and ``standards lock --check`` runs them on any folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ocp_check.catalog import Catalog
from ocp_check.diff import diff_standards
from ocp_check.governance import LOCK_FILE, LockEntry, VersionState, lock_problems, read_lock, render_lock
from ocp_check.loader import LoadError, load_path
from ocp_check.standards import Standard
from ocp_check.versioning import version_problem


@dataclass(frozen=True, slots=True)
class TreeCheck:
    problems: tuple[str, ...]
    versions: int


def _tree_catalog(root: Path) -> Catalog:
    """The versions of ``root`` alone, or of the shipped standards when ``root`` is them."""
    from ocp_check.standard_files import builtin_standards_dir

    if root.resolve() == builtin_standards_dir().resolve():
        return Catalog(use_env=False)
    return Catalog([root], use_env=False)


def _versions(catalog: Catalog, root: Path) -> list[Standard]:
    out = []
    for entry in catalog.entries():
        if entry.directory.parent.parent.resolve() == root.resolve():
            out.append(catalog.load(entry.ref))
    return out


def read_lock_file(root: Path) -> dict[str, LockEntry]:
    """The lock of ``root`` (empty when there is none), read with the bounded loader."""
    path = root / LOCK_FILE
    if not path.is_file():
        return {}
    try:
        doc = load_path(path, f"{root.name}/{LOCK_FILE}")
    except LoadError as err:
        from ocp_check.errors import StandardInvalid

        raise StandardInvalid(f"{root.name}/{LOCK_FILE}: {err.message}") from None
    try:
        return read_lock(doc.data)
    except (KeyError, TypeError, AttributeError):
        from ocp_check.errors import StandardInvalid

        raise StandardInvalid(f"{root.name}/{LOCK_FILE}: every entry needs a status and a sha256") from None


def check_tree(root: Path) -> TreeCheck:
    """Every lock and numbering problem of the standards in ``root``."""
    catalog = _tree_catalog(root)
    standards = _versions(catalog, root)
    states = [VersionState(str(s.ref), s.status, s.sha256) for s in standards]
    problems = list(lock_problems(states, read_lock_file(root)))
    for standard in standards:
        problem = numbering_problem(catalog, standard)
        if problem:
            problems.append(problem)
    return TreeCheck(tuple(problems), len(standards))


def numbering_problem(catalog: Catalog, standard: Standard) -> str | None:
    """Why ``standard``'s number contradicts its changes from the version it supersedes."""
    if not standard.supersedes:
        return None
    previous = catalog.match(standard.supersedes)
    if previous is None or str(previous.ref) != standard.supersedes:
        return f"{standard.ref} supersedes {standard.supersedes}, which is not in the same folder"
    diff = diff_standards(catalog.load(previous.ref), standard)
    note = standard.governance.versioning_note
    return version_problem(diff, note.should_have_been if note else None)


def lock_text(root: Path) -> str:
    """The lock file ``root`` should have: every published version with its content hash.

    Entries already locked keep their recorded hash, so writing the lock never launders a
    change to a published version (the check still fails on it).
    """
    catalog = _tree_catalog(root)
    entries = dict(read_lock_file(root))
    for standard in _versions(catalog, root):
        ref = str(standard.ref)
        if standard.governance.published and ref not in entries:
            entries[ref] = LockEntry(status=standard.status, sha256=standard.sha256)
        elif ref in entries:
            entries[ref] = LockEntry(status=standard.status, sha256=entries[ref].sha256)
    return render_lock(entries)
