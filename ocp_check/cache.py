"""The result cache: a submission's result, kept under everything that decides it.

A CI pipeline checks the same unchanged bids on every push; a portal re-checks ten thousand
manifests of which a handful changed. As ruff and mypy keep theirs, ``check`` keeps each
submission's result in a cache folder and serves it again when nothing it depends on has
changed, byte for byte the result a fresh run gives.

What decides a result, and so what an entry is keyed by (``key_of``):

- the code: the tool's version, a digest of the package's own files (an edited checkout is
  another tool), the Python version and the versions of the libraries that shape messages;
- the standards: a digest of every file under every folder the catalog reads standards from
  (so a governance status, a rule pack, a vocabulary or a city's own standard that changes
  is a different key), computed once per run;
- every setting that changes results, each field of ``Settings`` named in ``KEYED`` (profile
  and waivers by content, limits, caps, ``--each``, the standards named ...); the fields that
  cannot change a submission's result are named in ``UNKEYED`` with the reason, and a test
  fails when a field is in neither;
- the submission itself: its name, folder, files (path and SHA-256 of the bytes the loader
  reads), the scan's notes, its waivers files;
- two things known only once it is judged, kept inside the entry and checked on every use:
  the files outside the submission that a ``$ref`` reached or looked for (each with its
  SHA-256, or absent), and "today", when the result consulted it (an effective date, a
  waiver's expiry): a result that did not consult it serves every day.

Entries are JSON (``codec.py``), never pickle: a cache folder restored from a CI cache is
not trusted with code execution. Each entry records the cache format and its own key, and
is used only when both match and every field reads back as the expected type; anything else
(a truncated file, another tool's file, an older format, a collision) is a miss, and the
fresh result replaces it. Entries are written to a temporary file in the same folder and
renamed over the old one (``os.replace``), so concurrent runs never see a partial entry.

Results cut short by the budget (a file or stage set aside) depend on timing, and standard
input has no file to key: neither is cached. ``verify`` never uses the cache: it exists to
re-derive a report from the files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ocp_check import __version__, i18n
from ocp_check.codec import (
    BAD_DATA,
    clauses_from_list,
    standard_info_to_dict,
    submission_text,
    task_result_from_dict,
    task_result_to_dict,
)
from ocp_check.grouping import SubmissionTask
from ocp_check.i18n import _
from ocp_check.model import ClauseResult, StandardInfo, StandardRef, SubmissionResult
from ocp_check.reading import ReadError, TooLarge, read_file
from ocp_check.run import Run
from ocp_check.settings import Settings
from ocp_check.stages.context import TaskResult

#: Bumped whenever what an entry holds, or how a key is made, changes.
FORMAT = 2
#: The cache folder's name beside the project configuration (or in the working folder).
DIR_NAME = ".ocp-check-cache"
#: The environment variable naming the cache folder.
ENV_DIR = "OCP_CHECK_CACHE_DIR"
#: What the folder holds besides the entries: tools (git, backups) should leave it alone.
_README = "This folder is ocp-check's result cache. It can be deleted at any time (ocp-check cache clean).\n"
_GITIGNORE = "# Created by ocp-check: the result cache is not part of the project.\n*\n"

#: The fields of ``Settings`` that change a submission's result: each is part of the key.
KEYED = frozenset(
    {
        "standards",
        "root",
        "limits",
        "snippets",
        "parameters",
        "profile",
        "city_waivers",
        "waiver_files",
        "each",
        "narrow",
        "caps",
        "language",
    }
)
#: The fields that do not, and why (a test requires every field in one of the two).
UNKEYED: Mapping[str, str] = {
    "today": "kept in the entry when the result consulted it, and checked on every use",
    "paths": "each submission is keyed by its own files; the paths decide which submissions there are",
    "jobs": "how many workers judge, not what they find",
    "budget": "a result the budget cut short is never stored",
    "shard": "which submissions this run judges, not what any of them gets",
}

_LIBRARIES = ("jsonschema", "jsonschema-rs", "referencing", "PyYAML", "google-re2", "rich")


def default_directory(
    option: str | None, environ: Mapping[str, str], config_dir: Path | None, cwd: Path
) -> Path:
    """``--cache-dir``, else ``OCP_CHECK_CACHE_DIR``, else the configuration's ``cache_dir``
    (already resolved against its file), else ``.ocp-check-cache`` beside the project
    configuration, else in the working folder."""
    if option:
        return Path(option)
    if environ.get(ENV_DIR):
        return Path(environ[ENV_DIR])
    return config_dir if config_dir is not None else cwd / DIR_NAME


def clean(directory: Path) -> bool:
    """Remove the cache folder; False when there was none. Only a folder that holds the
    cache's own marker is removed: a mistyped ``--cache-dir`` must not delete a project."""
    if not directory.exists():
        return False
    if not (directory / "CACHEDIR.TAG").is_file():
        from ocp_check.errors import UsageError

        raise UsageError(
            _("{folder} is not an ocp-check cache folder (no CACHEDIR.TAG); not removed", folder=str(directory))
        )
    shutil.rmtree(directory)
    return True


@functools.cache
def code_digest() -> str:
    """The package's own files (code and schemas): an edited checkout is another tool."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package).as_posix()
        if rel.startswith("standards/") or "__pycache__" in rel or not path.is_file():
            continue
        if path.suffix not in (".py", ".json", ".typed"):
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _normal(name: str) -> str:
    """A distribution's name as its packaging normal form compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def _library_versions() -> tuple[tuple[str, str], ...]:
    """The installed version of each library that shapes messages, as the first
    ``NAME-VERSION.dist-info`` folder on ``sys.path`` names it (the distribution Python
    imports). Asking ``importlib.metadata`` for six versions read their metadata files and
    cost 50–150 ms, a third of a warm run of a thousand submissions; listing the folders
    costs under a millisecond. A library installed otherwise (an ``.egg-info``) is asked
    of ``importlib.metadata``."""
    wanted = {_normal(name): name for name in _LIBRARIES}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")  # noqa: PTH208 - names only, for speed
        except OSError:  # not a folder (a zip file), or gone
            continue
        for folder in names:
            if not folder.endswith(".dist-info"):
                continue
            # The name in a wheel's folder has its dashes escaped to "_": the first "-" ends it.
            dist, dash, version = folder[: -len(".dist-info")].partition("-")
            key = _normal(dist)
            if dash and key in wanted and key not in found:
                found[key] = version
    out = []
    for name in _LIBRARIES:
        if _normal(name) in found:
            out.append((name, found[_normal(name)]))
            continue
        from importlib import metadata

        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            out.append((name, ""))
    return tuple(out)


def _walk(folder: Path) -> Iterator[Path]:
    for base, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            yield Path(base) / name


def standards_digest(run: Run) -> str:
    """Every file under every folder the catalog reads standards from, and under every
    standard version's own folder (which may be a link elsewhere)."""
    folders: dict[Path, None] = {}
    for root in run.catalog.roots:
        if root.is_dir():
            folders[root.resolve()] = None
    for entry in run.catalog.entries():
        folders[entry.directory.resolve()] = None
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(str(folder).encode() + b"\0")
        for path in _walk(folder):
            try:
                data = path.read_bytes()
            except OSError:
                data = b"\xff unreadable"
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def settings_key(settings: Settings) -> dict[str, Any]:
    """The settings that change results, as JSON data (``KEYED``)."""
    profile = settings.profile
    return {
        "standards": list(settings.standards),
        "root": settings.root,
        "limits": dataclasses.asdict(settings.limits),
        "snippets": settings.snippets,
        "parameters": settings.parameters,
        "profile": None
        if profile is None
        else {
            "info": profile.info(),
            "standards": list(profile.standards),
            "parameters": profile.parameters,
            "levels": sorted((f"{s}/{c}", level.value) for (s, c), level in profile.levels.items()),
            "disabled": sorted((f"{s}/{c}", why) for (s, c), why in profile.disabled.items()),
            "documents": None if profile.documents is None else [k.value for k in profile.documents],
            "waivers": [repr(w) for w in profile.waivers],
        },
        "city_waivers": [repr(w) for w in settings.city_waivers],
        "waiver_files": [list(item) for item in settings.waiver_files],
        "each": settings.each,
        "narrow": settings.narrow,
        "caps": [settings.caps.per_rule, settings.caps.per_document],
        # Messages, titles and reasons are in the run's language: a French run never serves
        # an English entry. The language the process speaks is what the stages write in; it is
        # the settings' except in the further runs of ``--lang fr,en``, which share them.
        "language": [settings.language, i18n.current_language()],
    }


def _today(run: Run) -> str:
    return run.today.isoformat()


def file_digest(path: Path, max_bytes: int) -> str | None:
    """The SHA-256 of what the loader reads of a file; None for a file that cannot be read
    (never cached: the reason may change without the file changing)."""
    try:
        raw = read_file(path, max_bytes, keep_head=True)
    except TooLarge as err:
        # The finding names the size: two files with the same first bytes differ by it.
        return f"over:{err.size}:{hashlib.sha256(err.head).hexdigest()}"
    except ReadError:
        return None
    return hashlib.sha256(raw).hexdigest()


def probe(root: Path, rel: str, max_bytes: int) -> str | None:
    """A file a ``$ref`` reached, as the workspace would find it now: its SHA-256, "" when
    there is no such file inside the root, None when it cannot be told (unreadable, over the
    size limit: such an entry is never used)."""
    try:
        real = (root / rel).resolve(strict=True)
        real.relative_to(root)
    except (OSError, ValueError, RuntimeError):
        return ""
    if not real.is_file():
        return ""
    try:
        return hashlib.sha256(read_file(real, max_bytes)).hexdigest()
    except ReadError as err:
        return "" if err.missing else None


_REPLACEMENT = "\ufffd"
#: How a submission's text in the JSON report introduces its clause list, and ends it: keys of
#: a submission are indented six spaces (``render/json.py``), deeper lines more, and a JSON
#: string holds no raw line break, so the first closing line at that depth ends the list.
_CLAUSES = b'\n      "clauses": '
_CLOSE = b"\n      ]"


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _clause_span(body: bytes) -> tuple[int, int] | None:
    """Where the clause list of a submission's report text starts and ends."""
    at = body.find(_CLAUSES)
    if at < 0:
        return None
    start = at + len(_CLAUSES)
    if body.startswith(b"[]", start):
        return start, start + 2
    close = body.find(_CLOSE, start)
    return None if close < 0 else (start, close + len(_CLOSE))


@dataclasses.dataclass(frozen=True, slots=True)
class StoredText:
    """Where an entry keeps the JSON report's text of its submission: the rest of the file
    after ``offset``, whose SHA-256 was ``sha256`` when it was read or written.

    The report is written after every submission is judged; holding the texts of a portal's
    ten thousand submissions until then would cost as much memory as the report itself, so
    the JSON renderer reads each one back when it reaches it (``Report.json_texts``)."""

    path: Path
    offset: int
    sha256: str

    def read(self) -> str | None:
        """The text, or None when the entry is gone or no longer holds it (another run may
        have replaced it since): the renderer then encodes the submission itself."""
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                body = handle.read()
        except OSError:
            return None
        if hashlib.sha256(body).hexdigest() != self.sha256:
            return None
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:  # pragma: no cover - the digest matched what was written
            return None


class ResultCache:
    """The cache folder, for one run: lookups and stores keyed as the module says."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0
        self._clauses: dict[tuple[Any, ...], Any] = {}  # clause results read back, shared
        self._lists: dict[bytes, tuple[ClauseResult, ...]] = {}  # clause lists, by their text
        # Results read since the last ``finish``, with the evaluation and verdict line their
        # kept text was reported with, and where it is kept.
        self._texts: dict[int, tuple[TaskResult, tuple[str, str], StoredText]] = {}
        # Fresh results judged since the last ``finish``, stored by it.
        self._pending: list[tuple[Run, SubmissionTask, str, dict[str, str], TaskResult]] = []
        # The part of every key that is the same for a whole evaluation, by its settings (a
        # run over two versions of a standard makes two evaluations with their own settings).
        self._prefixes: dict[tuple[int, str], tuple[Settings, str]] = {}
        self._standards: dict[int, tuple[object, str]] = {}

    def _prefix(self, run: Run) -> str:
        memo = (id(run.settings), i18n.current_language())
        known = self._prefixes.get(memo)
        if known is not None and known[0] is run.settings:
            return known[1]
        catalog = self._standards.get(id(run.catalog))
        if catalog is None or catalog[0] is not run.catalog:
            catalog = (run.catalog, standards_digest(run))
            self._standards[id(run.catalog)] = catalog
        data = {
            "format": FORMAT,
            "tool": __version__,
            "code": code_digest(),
            "python": list(sys.version_info[:3]),
            "implementation": sys.implementation.name,
            "libraries": _library_versions(),
            "standards": catalog[1],
            "settings": settings_key(run.settings),
        }
        prefix = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
        self._prefixes[memo] = (run.settings, prefix)
        return prefix

    def key_of(self, run: Run, task: SubmissionTask) -> tuple[str, dict[str, str]] | None:
        """The key of a submission's result and the digest of each of its files; None when
        it cannot be cached."""
        if task.stdin is not None or task.skipped:
            return None
        max_bytes = run.settings.limits.max_bytes
        files = []
        for candidate in (*task.candidates, *task.waiver_files):
            digest = file_digest(candidate.path, max_bytes)
            if digest is None:
                return None
            files.append((candidate.rel, digest))
        data = {
            "run": self._prefix(run),
            "name": task.name,
            "root": task.root_display,
            "candidates": [list(f) for f in files[: len(task.candidates)]],
            "waiver_files": [list(f) for f in files[len(task.candidates) :]],
            "notes": [list(n) for n in task.notes],
            "announcing": list(task.announcing),
            "documentless": task.documentless,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest(), dict(files)

    def _path(self, key: str) -> Path:
        return self.directory / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def lookup(self, run: Run, task: SubmissionTask, key: str) -> TaskResult | None:
        """The stored result of ``key``, or None (absent, foreign, corrupt, or stale)."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        head, _sep, body = raw.partition(b"\n")
        try:
            entry = json.loads(head)
            if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
                return None
            today = entry["today"]
            if today is not None and today != _today(run):
                return None
            text_digest = hashlib.sha256(body).hexdigest()
            if entry["text"] != text_digest:  # truncated, or changed on disk
                return None
            # The clause list, most of the text and the same in most entries, is read once
            # per distinct text; the rest is read with an empty list in its place.
            start, end = entry["clauses"]
            if not (type(start) is int and type(end) is int and 0 < start < end <= len(body)):
                return None
            if body[start - len(_CLAUSES) : start] != _CLAUSES:
                return None
            segment = body[start:end]
            clause_list = self._lists.get(segment)
            if clause_list is None:
                listed = json.loads(segment)
                if not isinstance(listed, list):
                    return None
                clause_list = self._lists[segment] = clauses_from_list(listed, self._clauses)
            data = json.loads(body[:start] + b"[]" + body[end:])
            fields = entry["result"]
            if not isinstance(data, dict) or not isinstance(fields, dict):
                return None
            # The text is the submission as the run that stored it reported it; the worker's
            # result had the evaluation and verdict line the entry records (the run adds its own).
            written = (_text(data.get("evaluation", "")), _text(data["judged_against"] or ""))
            data["evaluation"] = _text(entry["evaluation"])
            data["judged_against"] = _text(entry["judged_against"]) or None
            fields["submission"] = data
            result = task_result_from_dict(fields, self._clauses, clause_list=clause_list)
        except (*BAD_DATA, RecursionError):
            return None
        if result.consulted_today != (today is not None):
            return None
        if result.reads:
            root = task.root.resolve()
            max_bytes = run.settings.limits.max_bytes
            for rel, digest in result.reads:
                if probe(root, rel, max_bytes) != digest:
                    return None
        self._texts[id(result)] = (result, written, StoredText(path, len(head) + 1, text_digest))
        return result

    def store(
        self,
        run: Run,
        task: SubmissionTask,
        key: str,
        digests: Mapping[str, str],
        result: TaskResult,
        submission: SubmissionResult | None = None,
        standards: Mapping[StandardRef, StandardInfo] | None = None,
    ) -> StoredText | None:
        """Keep a fresh result, unless it cannot be trusted to be one of ``key``, with the
        JSON report's text of ``submission``: the result's submission as the run reports it
        (with its evaluation and verdict line), by default the worker's own, and what the
        report says of each standard version it used when ``standards`` has it (so that a
        run served from the cache need not load them). Returns where the text is kept, or
        None when nothing was stored."""
        if not result.complete:
            return None
        # The files the worker read must be the ones the key was made from (a file changed
        # while it was being checked would otherwise pair one content's key with another's result).
        for item in result.inputs:
            if item.path in digests and digests[item.path] != item.sha256:
                return None
        root = task.root.resolve()
        for rel, digest in result.reads:
            if probe(root, rel, run.settings.limits.max_bytes) != digest:
                return None
        worker = result.submission
        sub = worker if submission is None else submission
        known = standards or {}
        text = submission_text(sub)
        if _REPLACEMENT in text:
            # The report repairs a lone surrogate (an undecodable file name) to U+FFFD, so its
            # text would not read back as the result; such a result is not kept.
            return None
        body = text.encode("utf-8")
        digest = hashlib.sha256(body).hexdigest()
        clauses = _clause_span(body)
        if clauses is None:  # pragma: no cover - the JSON report always lists the clauses
            return None
        entry = {
            "format": FORMAT,
            "key": key,
            "tool": __version__,
            "today": _today(run) if result.consulted_today else None,
            "evaluation": worker.evaluation,
            "judged_against": worker.judged_against,
            "text": digest,
            "clauses": list(clauses),
            "result": task_result_to_dict(result, submission=False)
            | {"standards": [standard_info_to_dict(known[r]) for r in result.used if r in known]},
        }
        head = json.dumps(entry, ensure_ascii=True, separators=(",", ":")).encode("ascii")
        path = self._path(key)
        try:
            self._write(path, head + b"\n" + body)
        except OSError:  # a cache that cannot be written is only slower
            return None
        return StoredText(path, len(head) + 1, digest)

    def _write(self, path: Path, data: bytes) -> None:
        if not self.directory.exists():
            self.directory.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                (self.directory / "CACHEDIR.TAG").write_text(
                    "Signature: 8a477f597d28d172789f06886806bc55\n" + "# " + _README
                )
                (self.directory / ".gitignore").write_text(_GITIGNORE)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def judge(
        self,
        run: Run,
        tasks: Sequence[SubmissionTask],
        evaluate: Callable[[list[SubmissionTask]], list[TaskResult]],
    ) -> list[TaskResult]:
        """Results of ``tasks`` in order: from the cache where an entry holds, the rest from
        ``evaluate`` (the worker pool, or another executor). The fresh ones are stored by
        ``finish``, once the run knows how it reports them."""
        results: list[TaskResult | None] = []
        keys: list[tuple[str, dict[str, str]] | None] = []
        misses: list[int] = []
        for index, task in enumerate(tasks):
            key = self.key_of(run, task)
            found = self.lookup(run, task, key[0]) if key is not None else None
            keys.append(key)
            results.append(found)
            if found is None:
                misses.append(index)
        self.hits += len(tasks) - len(misses)
        self.misses += len(misses)
        fresh = evaluate([tasks[i] for i in misses]) if misses else []
        for index, result in zip(misses, fresh, strict=True):
            results[index] = result
            key = keys[index]
            if key is not None:
                self._pending.append((run, tasks[index], key[0], key[1], result))
        return [r for r in results if r is not None]

    def finish(
        self,
        reported: Sequence[tuple[TaskResult, SubmissionResult]],
        standards: Mapping[StandardRef, StandardInfo] | None = None,
    ) -> dict[int, tuple[SubmissionResult, StoredText]]:
        """Store the fresh results judged since the last call, each with the JSON report's
        text of its submission as the run reports it (``reported`` pairs each result with
        that submission), and say where the report's text of every submission is kept, by
        the submission's identity (``Report.json_texts``). A kept text serves only a
        submission reported exactly as the run that stored it reported it. ``standards``
        is what the report says of the standard versions the run used."""
        final = {id(result): (result, sub) for result, sub in reported}
        texts: dict[int, tuple[SubmissionResult, StoredText]] = {}
        for result, sub in reported:
            kept = self._texts.get(id(result))
            if kept is not None and kept[0] is result and kept[1] == (sub.evaluation, sub.judged_against):
                texts[id(sub)] = (sub, kept[2])
        for run, task, key, digests, result in self._pending:
            pair = final.get(id(result))
            reported_as = pair[1] if pair is not None and pair[0] is result else None
            stored = self.store(run, task, key, digests, result, reported_as, standards)
            if stored is not None and reported_as is not None:
                texts[id(reported_as)] = (reported_as, stored)
        self._pending.clear()
        self._texts.clear()
        return texts
