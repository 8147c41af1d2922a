"""Turn command-line paths into submissions, scanning folders safely.

Folders that vendors send are untrusted: the scan reads regular files only, never follows a
directory symlink (so symlink loops cannot recurse), skips file symlinks whose target leaves
the root (reporting them), never opens FIFOs or devices, and returns files in code-point
order of their relative paths so runs are deterministic.

Grouping into submissions needs to know which files are documents, so this module only
collects candidates; ``engine.py`` groups them (see ``group_submissions``).
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ocp_check.errors import UsageError
from ocp_check.foreign import SNIFF_BYTES, is_data_name, is_sniffed_candidate, needs_sniff
from ocp_check.i18n import _

WAIVER_FILE_NAMES = (".ocp-waivers.yaml", ".ocp-waivers.yml", "ocp-waivers.yaml", "ocp-waivers.yml")
STDIN = "-"


@dataclass(frozen=True, slots=True)
class ScanNote:
    """Something the scan skipped that the report must mention (a warning finding)."""

    rel: str
    message: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to load: its real path and its path relative to the scan root (POSIX)."""

    path: Path
    rel: str


@dataclass
class ScanResult:
    """The candidates under one root, plus waiver files and notes on what was skipped."""

    root: Path
    root_display: str
    candidates: list[Candidate] = field(default_factory=list)
    waiver_files: list[Candidate] = field(default_factory=list)
    notes: list[ScanNote] = field(default_factory=list)
    explicit_files: bool = False
    stdin: bytes | None = None


def is_candidate_name(name: str) -> bool:
    """YAML and JSON files are candidates by name; Markdown and RDF files only by content
    (``is_candidate``), so that a README is never taken for a document."""
    return is_data_name(name)


def _head(path: Path) -> bytes:
    """The first bytes of a regular file, read without blocking; empty when unreadable."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, SNIFF_BYTES)
    except OSError:
        return b""
    finally:
        os.close(fd)


def is_candidate(name: str, path: Path) -> bool:
    """Whether a file is checked: by its name, or for Markdown (front matter) and RDF text
    files (``@prefix``, triples) by its first bytes."""
    if is_data_name(name):
        return True
    return needs_sniff(name) and is_sniffed_candidate(name, _head(path))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def scan_folder(folder: Path, display: str, root: Path | None = None) -> ScanResult:
    """Collect candidate files under ``folder`` (iteratively, no symlinked directories)."""
    real_root = (root or folder).resolve()
    result = ScanResult(root=real_root, root_display=display)
    base = folder.resolve()
    stack: list[Path] = [base]
    while stack:
        current = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as err:
            rel = _rel(current, real_root)
            result.notes.append(ScanNote(rel or ".", _("cannot read folder: {reason}", reason=err.strerror or err)))
            continue
        subdirs: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            rel = _rel(path, real_root)
            try:
                if entry.is_symlink():
                    _handle_symlink(path, rel, real_root, result)
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith((".", "__")) and entry.name != "node_modules":
                        subdirs.append(path)
                    continue
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as err:
                result.notes.append(ScanNote(rel, _("cannot read file: {reason}", reason=err.strerror or err)))
                continue
            _add_file(path, rel, mode, result)
        stack.extend(reversed(subdirs))
    result.candidates.sort(key=lambda c: c.rel)
    result.waiver_files.sort(key=lambda c: c.rel)
    return result


def _rel(path: Path, root: Path) -> str:
    try:
        return PurePosixPath(path.relative_to(root).as_posix()).as_posix()
    except ValueError:
        return path.name


def _add_file(path: Path, rel: str, mode: int, result: ScanResult) -> None:
    """Add a file by the name it has in the bid: a symbolic link's own name, not its target's
    (``openapi.yaml -> real/api.txt`` is the bid's API description)."""
    name = posixpath.basename(rel)
    if name in WAIVER_FILE_NAMES:
        if stat.S_ISREG(mode):
            result.waiver_files.append(Candidate(path, rel))
        return
    if not is_data_name(name) and not (needs_sniff(name) and stat.S_ISREG(mode) and is_candidate(name, path)):
        return
    if not stat.S_ISREG(mode):
        result.notes.append(ScanNote(rel, _("not a regular file (FIFO, device or socket); not opened")))
        return
    result.candidates.append(Candidate(path, rel))


def _handle_symlink(path: Path, rel: str, root: Path, result: ScanResult) -> None:
    """Follow a symlink to a file only when its target stays inside the root."""
    if not (is_candidate_name(path.name) or needs_sniff(path.name) or path.name in WAIVER_FILE_NAMES):
        if path.is_dir():
            result.notes.append(ScanNote(rel, _("symbolic link to a folder; not followed")))
        return
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        result.notes.append(ScanNote(rel, _("broken or looping symbolic link; skipped")))
        return
    if not _inside(target, root):
        result.notes.append(ScanNote(rel, _("symbolic link pointing outside the root; skipped")))
        return
    try:
        mode = os.stat(target).st_mode
    except OSError as err:
        result.notes.append(ScanNote(rel, _("cannot read file: {reason}", reason=err.strerror or err)))
        return
    if stat.S_ISDIR(mode):
        result.notes.append(ScanNote(rel, _("symbolic link to a folder; not followed")))
        return
    _add_file(target, rel, mode, result)


def scan_paths(paths: Sequence[str], root_option: str | None, stdin: bytes | None) -> list[ScanResult]:
    """Group command-line paths: each folder is scanned on its own; files form one group.

    A named path that does not exist is a usage error (exit 2), checked before anything
    else runs.
    """
    results: list[ScanResult] = []
    files: list[Path] = []
    for raw in paths:
        if raw == STDIN:
            continue
        p = Path(raw)
        if not p.exists() and not p.is_symlink():
            raise UsageError(_("{path}: no such file or folder", path=raw))
        if p.is_dir():
            root = Path(root_option) if root_option else p
            if root_option and not _inside(p.resolve(), root.resolve()):
                raise UsageError(_("{path} is outside --root {root}", path=raw, root=root_option))
            results.append(scan_folder(p, raw.rstrip("/") or raw, root))
        else:
            files.append(p)
    if files:
        results.append(_scan_files(files, root_option))
    if STDIN in paths:
        root = Path(root_option) if root_option else Path.cwd()
        result = ScanResult(root=root.resolve(), root_display="<stdin>", stdin=stdin or b"")
        results.append(result)
    return results


def _scan_files(files: list[Path], root_option: str | None) -> ScanResult:
    if root_option:
        root = Path(root_option).resolve()
    else:
        parents = [f.resolve().parent for f in files]
        root = Path(os.path.commonpath([str(p) for p in parents]))
    display = root_option if root_option else os.path.relpath(root)
    result = ScanResult(root=root, root_display=display, explicit_files=True)
    for f in files:
        absolute = f.absolute()
        rel = _rel(Path(os.path.normpath(absolute)), root)
        try:
            mode = os.stat(f).st_mode
        except OSError as err:
            result.notes.append(ScanNote(rel, _("cannot read file: {reason}", reason=err.strerror or err)))
            continue
        real = f.resolve()
        if not _inside(real, root):
            raise UsageError(_("{path} is outside the root {root}", path=f, root=display))
        if not stat.S_ISREG(mode):
            result.notes.append(ScanNote(rel, _("not a regular file (FIFO, device or socket); not opened")))
            continue
        result.candidates.append(Candidate(real, rel))
    result.candidates.sort(key=lambda c: c.rel)
    return result
