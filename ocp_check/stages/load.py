"""Load: every file of the submission, standard input, and the vendor's waivers files.

Each file is read bounded and parsed by the hardened loader (``workspace.load_file``); a file
that does not load, or that holds a format other than an OCP document's, is a finding at the
place that shows it, and the submission goes on. Progress is reported before each file, so a
file that overruns its time budget is the one reported (``pool.py``); a file set aside by an
earlier overrun is hashed for provenance and not parsed again.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from ocp_check.grouping import announced_kind
from ocp_check.i18n import _
from ocp_check.loader import Limits, LoadError
from ocp_check.model import Finding, Level
from ocp_check.reading import ReadError, TooLarge, read_file
from ocp_check.scan import Candidate
from ocp_check.stages import findings
from ocp_check.stages.context import Doc, Submission
from ocp_check.workspace import Loaded, load_file, load_raw


def run(sub: Submission) -> Submission:
    task, limits, files = sub.task, sub.run.settings.limits, sub.workspace.files
    for candidate in task.candidates:
        if candidate.rel in task.skipped:
            files[candidate.rel] = skipped_file(candidate, task.skipped[candidate.rel], limits)
            continue
        sub.progress(f"file:{candidate.rel}")
        files[candidate.rel] = load_file(candidate.path, candidate.rel, limits)
    if task.stdin is not None:
        files["<stdin>"] = load_stdin(task.stdin, limits)
    docs = tuple(Doc(loaded) for loaded in files.values())
    # The vendor's waivers files are read like documents, but are none: a $ref may have
    # reached one already, and that copy is kept.
    vendor = tuple(
        files.setdefault(c.rel, load_file(c.path, c.rel, limits)) for c in task.waiver_files
    )
    found: list[Finding] = [findings.scan_note(rel, message) for rel, message in task.notes]
    for doc in docs:
        if doc.loaded.foreign is not None:
            found.append(findings.foreign(doc.rel, doc.loaded.foreign, Level.MUST))
        elif doc.loaded.error is not None:
            found.append(findings.not_loaded(doc.rel, doc.loaded.error))
    return sub.found(found, docs=docs, vendor_waivers=vendor)


def load_stdin(raw: bytes, limits: Limits) -> Loaded:
    """Standard input, read by the command line up to ``max_bytes + 1`` bytes: more is a finding."""
    if len(raw) > limits.max_bytes:
        error = LoadError(
            "size",
            _(
                "standard input is more than {size} bytes; the limit is {limit}",
                size=limits.max_bytes,
                limit=limits.max_bytes,
            ),
        )
        return Loaded("<stdin>", "", None, error)
    fmt: Literal["json", "yaml"] = "json" if raw.lstrip()[:1] in (b"{", b"[") else "yaml"
    return load_raw("<stdin>", raw, limits, fmt=fmt)


def skipped_file(candidate: Candidate, reason: str, limits: Limits) -> Loaded:
    """A file a worker could not finish: hashed for provenance, reported, not parsed again."""
    raw: bytes | None
    try:
        raw = read_file(candidate.path, limits.max_bytes, keep_head=True)
    except TooLarge as err:
        raw = err.head or None
    except ReadError:
        raw = None
    digest = hashlib.sha256(raw).hexdigest() if raw is not None else ""
    error = LoadError("budget", _("{reason}; not checked", reason=reason))
    return Loaded(candidate.rel, digest, None, error, announced_kind(raw) if raw is not None else None)
