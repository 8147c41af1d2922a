"""The Python API: check submissions, render reports, verify them, read the standards.

This module is the public, semantic-versioned surface of the package (``docs/api.md``): the
names in ``__all__`` (re-exported from ``ocp_check``) keep their meaning across minor
releases. Everything else in the package may change in any release. The command line is
built on the same functions (``cli/run.py`` prepares its settings and runs its checks
through ``_prepare`` and ``_run`` below), so a check made here and one made by
``ocp-check check`` take one path and give the same report.

Errors are exceptions, never exits: ``UsageError`` for options and named paths,
``ConfigError`` for profiles, waivers files and project configurations, ``StandardError``
(and its kinds) for standards; all are ``OcpCheckError``, which the command line turns into
exit code 2. Problems inside the documents checked are findings in the report, as always.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from ocp_check import i18n
from ocp_check.errors import (
    ConfigError,
    OcpCheckError,
    PinMismatch,
    StandardError,
    StandardInvalid,
    StandardNotFound,
    UsageError,
)
from ocp_check.i18n import _, ngettext
from ocp_check.loader import Limits as _LoaderLimits
from ocp_check.model import (
    ClauseResult,
    DocumentKind,
    DocumentResult,
    Finding,
    FindingCaps,
    FindingState,
    Level,
    Location,
    Report,
    Severity,
    StandardRef,
    Status,
    SubmissionResult,
    copied,
    exit_code_for,
)
from ocp_check.reading import REPORT_LIMIT
from ocp_check.render import FORMATS as _FORMATS

if TYPE_CHECKING:
    from ocp_check.catalog import Catalog
    from ocp_check.settings import Options, Setup

__all__ = [
    "FORMATS",
    "MATRIX_FORMATS",
    "ClauseInfo",
    "ClauseResult",
    "ConfigError",
    "DocumentKind",
    "DocumentResult",
    "FailOn",
    "Finding",
    "FindingState",
    "Level",
    "Limits",
    "Location",
    "OcpCheckError",
    "PinMismatch",
    "Report",
    "Severity",
    "StandardError",
    "StandardInvalid",
    "StandardNotFound",
    "StandardRef",
    "StandardSummary",
    "StandardVersion",
    "Status",
    "SubmissionResult",
    "UsageError",
    "Verification",
    "check",
    "check_documents",
    "exit_code",
    "list_standards",
    "load_standard",
    "render_matrix",
    "render_report",
    "verify_report",
]

#: The report formats ``render_report`` writes: the ``--format`` choices of ``ocp-check check``.
FORMATS: tuple[str, ...] = _FORMATS
#: The formats of the clause × submission matrix ``render_matrix`` writes (``ocp-check compare``).
MATRIX_FORMATS: tuple[str, ...] = ("text", "markdown", "csv", "json", "html")

#: The lowest severity that makes a run fail (``--fail-on``); ``never`` fails nothing.
FailOn = Literal["error", "warning", "info", "never"]

_FAIL_ON = ("error", "warning", "info", "never")
_PathArg = str | os.PathLike[str]
_DEFAULT_LOADER = _LoaderLimits()
_DEFAULT_CAPS = FindingCaps()


@dataclass(frozen=True)
class Limits:
    """The bounds of a run: what one vendor file may cost, and how many findings are listed.

    The defaults are the command line's (``--max-file-size``, ``--max-depth``,
    ``--time-budget``, ``--memory-budget``, ``--max-findings-per-rule``,
    ``--max-findings-per-document``). A file over a bound is a finding on that file, never
    an exception; findings over the caps are counted, not listed, and still decide verdicts.
    """

    max_file_size: int = _DEFAULT_LOADER.max_bytes
    max_depth: int = _DEFAULT_LOADER.max_depth
    max_nodes: int = _DEFAULT_LOADER.max_nodes
    time_budget: float = 60.0
    memory_budget_mib: int = 4096
    max_findings_per_rule: int = _DEFAULT_CAPS.per_rule
    max_findings_per_document: int = _DEFAULT_CAPS.per_document


@dataclass(frozen=True)
class StandardSummary:
    """One standard version available to a run, as ``ocp-check standards list`` shows it."""

    id: str
    version: str
    title: str
    #: ``draft``, ``candidate``, ``approved``, ``superseded`` or ``withdrawn``.
    status: str
    #: The kind of document the standard governs (``data-manifest``, ``openapi``…).
    document_kind: str
    #: Whether this is the version a document that names no version is judged against.
    default: bool

    @property
    def ref(self) -> str:
        """``id@version``: what ``check(standards=…)`` and ``load_standard`` take."""
        return f"{self.id}@{self.version}"


@dataclass(frozen=True)
class ClauseInfo:
    """One clause of a standard version: its identifier, level and normative text."""

    id: str
    title: str
    text: str
    level: Level
    #: What the clause is about: ``document``, ``dataset``, ``submission``…
    applies_to: str
    #: How it is verified: ``automated``, ``partial`` or ``manual``.
    verification: str
    #: The date from which the clause binds, when it does not bind at once.
    effective_from: str | None


@dataclass(frozen=True)
class StandardVersion:
    """A standard version, loaded and validated: metadata, content hash and clauses."""

    id: str
    version: str
    title: str
    status: str
    document_kind: str
    publisher: str
    summary: str
    #: SHA-256 of the version's files, as reports record it (and as ``#sha256:`` pins name it).
    sha256: str
    clauses: tuple[ClauseInfo, ...]

    @property
    def ref(self) -> str:
        """``id@version``."""
        return f"{self.id}@{self.version}"


@dataclass(frozen=True)
class Verification:
    """The outcome of ``verify_report``: whether a recorded report matches a fresh check."""

    #: Where the report came from (its path, or ``<report>`` for data given directly).
    source: str
    #: One sentence per difference between the recorded report and the fresh one (at most 50).
    differences: tuple[str, ...]

    @property
    def matches(self) -> bool:
        """True when the report matches the files and standards it names."""
        return not self.differences


# ---------------------------------------------------------------------------------------------
# Checking


def check(
    paths: _PathArg | Iterable[_PathArg],
    *,
    standards: str | Sequence[str] = (),
    profile: _PathArg | None = None,
    waivers: Sequence[_PathArg] = (),
    each: bool = False,
    today: datetime.date | str | None = None,
    root: _PathArg | None = None,
    limits: Limits | None = None,
    jobs: int | None = None,
    snippets: bool = True,
    standards_path: Sequence[_PathArg] = (),
    config: _PathArg | bool = True,
    cache: bool = False,
    cache_dir: _PathArg | None = None,
    scheduler: str | Any = None,
) -> Report:
    """Check the submissions named by ``paths`` and return the report.

    ``paths`` are files, submission folders or folders of submissions, as the command line
    takes them. The keywords are the options of ``ocp-check check``: ``standards`` (one
    reference or several, e.g. ``"ocp-data-governance@1.0"``), a city ``profile``, the city's
    ``waivers`` files, ``each`` (every document a submission of its own), ``today`` (waiver
    expiry and effective dates; else ``SOURCE_DATE_EPOCH``, else the UTC date), ``root``
    (the folder ``$ref`` resolution is confined to), ``limits``, ``jobs`` (worker processes;
    default: the available cores), ``snippets`` (source lines around findings) and extra
    ``standards_path`` folders. ``config`` is the project configuration: ``True`` finds it
    from the working folder up as the command line does, ``False`` uses none, a path names
    one. Options given here win over the configuration.

    ``cache=True`` keeps each submission's result in the result cache and serves it again
    while nothing it depends on has changed (``docs/scaling.md``), in the folder the command
    line would use; ``cache_dir`` names the folder (and turns the cache on). The report is the
    same byte for byte either way; off by default, so a library call writes no files.

    ``scheduler`` judges the submissions on an existing Dask cluster instead of local worker
    processes (the ``dask`` extra; ``docs/scaling.md``): the scheduler's address (connected
    to, and closed, by this call) or a ``distributed.Client`` of yours. The report is the one a
    local run makes.

    Raises ``UsageError`` for options that cannot be honoured, a named path that does not
    exist, or nothing to check; ``ConfigError`` and ``StandardError`` for the tool's own
    inputs. Problems inside the checked documents are findings, never exceptions.
    """
    named = _paths(paths)
    if "-" in named:
        raise UsageError(
            _("'-' (standard input) is for the command line; use check_documents for documents in memory")
        )
    keywords = {k: v for k, v in locals().items() if k in _KEYWORDS}
    options = _options(
        named,
        keywords,
        cache=cache or cache_dir is not None,
        cache_dir=Path(cache_dir) if cache_dir is not None else None,
    )
    setup = _prepare(options)
    with _executor(scheduler) as executor:
        return _run(setup, named, executor=executor)


def check_documents(
    documents: Mapping[str, bytes | str],
    *,
    name: str = "documents",
    standards: str | Sequence[str] = (),
    profile: _PathArg | None = None,
    waivers: Sequence[_PathArg] = (),
    each: bool = False,
    today: datetime.date | str | None = None,
    limits: Limits | None = None,
    jobs: int | None = None,
    snippets: bool = True,
    standards_path: Sequence[_PathArg] = (),
    config: _PathArg | bool = True,
) -> Report:
    """Check documents held in memory as one submission named ``name``.

    ``documents`` maps a relative POSIX path (``"data-manifest.yaml"``,
    ``"schemas/counts.yaml"``) to the file's content, bytes or text (text is encoded as
    UTF-8). The documents are judged exactly as files of those names in a folder ``name``
    would be by ``check([name])``: they are written to a private temporary folder (the
    loader's limits, ``$ref`` confinement and file sniffing all work on files), checked, and
    the folder's path is replaced by ``name`` in the report; the folder is removed before
    this returns. The other keywords are those of ``check``.

    Raises ``UsageError`` for a path that is absolute, empty or leaves the folder, and for a
    mapping with no document; otherwise as ``check``.
    """
    if not documents:
        raise UsageError(_("no documents to check"))
    if not name or "\x00" in name:
        raise UsageError(_("a submission needs a name"))
    keywords = {k: v for k, v in locals().items() if k in _KEYWORDS}
    files = {_document_path(rel): content for rel, content in documents.items()}
    with tempfile.TemporaryDirectory(prefix="ocp-check-") as scratch:
        folder = Path(scratch) / "submission"
        folder.mkdir()
        for rel, content in files.items():
            target = folder.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        where = str(folder)
        options = _options((where,), keywords)
        report = _run(_prepare(options), (where,))
    return _renamed(report, where, name)


def exit_code(report: Report, fail_on: FailOn = "error") -> int:
    """The exit code ``ocp-check check --fail-on FAIL_ON`` gives for ``report``.

    0 when no active finding (shown or counted) is at or above ``fail_on``, else 1. A lower
    threshold can only turn 0 into 1; ``never`` is always 0.
    """
    if fail_on not in _FAIL_ON:
        raise UsageError(_fail_on_error(fail_on))
    return exit_code_for(report, fail_on)


# ---------------------------------------------------------------------------------------------
# Rendering


def render_report(
    report: Report,
    format: str = "text",
    *,
    fail_on: FailOn = "error",
    verbose: int = 0,
    quiet: bool = False,
    color: bool = False,
    width: int | None = None,
    standards_path: Sequence[_PathArg] = (),
) -> str:
    """The report in one of ``FORMATS``, as ``ocp-check check --format FORMAT`` writes it.

    ``fail_on`` is the threshold the verdict sentences speak of; ``verbose``, ``quiet``,
    ``color`` (ANSI colours) and ``width`` (the column to wrap at; ``None``, as for a report
    file, wraps nothing) shape the text format only. SARIF describes its
    rules with the clause texts of the standards the report used, read again from the
    built-in standards and ``standards_path`` (a standard not found there is described by
    its clause titles). The JSON form is the canonical one (``docs/api.md``).
    """
    from ocp_check.render import RenderOptions, render_chunks

    if format not in FORMATS:
        raise UsageError(_format_error(format), hint=_("formats: {formats}", formats=", ".join(FORMATS)))
    if fail_on not in _FAIL_ON:
        raise UsageError(_fail_on_error(fail_on))
    texts = _clause_texts(_catalog(standards_path), report) if format == "sarif" else {}
    options = RenderOptions(
        color=color,
        verbose=verbose,
        quiet=quiet,
        width=width,
        fail_on=fail_on,
        clause_texts=texts,
        base_dir=Path.cwd().as_posix(),
    )
    return "".join(render_chunks(format, report, options))


def render_matrix(report: Report, format: str = "text") -> str:
    """The clause × submission matrix of ``report`` in one of ``MATRIX_FORMATS``, as
    ``ocp-check compare`` writes it: every clause's status in every submission, each
    submission's verdict and counts."""
    from ocp_check.compare import build_matrix
    from ocp_check.render.matrix import MATRIX_RENDERERS

    if format not in MATRIX_RENDERERS:
        raise UsageError(
            _format_error(format), hint=_("formats: {formats}", formats=", ".join(MATRIX_RENDERERS))
        )
    return MATRIX_RENDERERS[format](build_matrix(report))


# ---------------------------------------------------------------------------------------------
# Verifying


def verify_report(
    report: Report | bytes | _PathArg,
    path: _PathArg | None = None,
    *,
    standards_path: Sequence[_PathArg] = (),
    max_report_size: int = REPORT_LIMIT,
) -> Verification:
    """Re-run the check a JSON report records and compare the whole report with it.

    ``report`` is the path of a JSON report written by ``check --format json``, its content
    as bytes, or a ``Report`` (compared through its JSON form). The check is re-run on the
    paths the report records, or on ``path``, with the report's own options, profile,
    waivers and standards (``standards_path`` says where extra standards are).

    Raises ``UsageError`` when the report cannot be read or is not a report, and
    ``PinMismatch`` when the standards here are not the content the report used.
    """
    from ocp_check.render.json import report_to_dict
    from ocp_check.verify import differences, pinned_differences, read_report

    source, text = _report_text(report, max_report_size)
    recorded = read_report(text, source)
    paths = (os.fspath(path),) if path else recorded.paths
    # The re-run speaks the report's language (its human text is compared), whatever the
    # caller's; what the caller is told afterwards is in the caller's language.
    caller = i18n.current_language()
    i18n.set_language(recorded.language)
    try:
        setup = _prepare(recorded.options(standards_path=tuple(Path(p) for p in standards_path)))
        profile = setup.settings.profile
        pinned = pinned_differences(
            recorded.data, [*recorded.standards, *(profile.standards if profile else ())]
        )
        if pinned:
            raise PinMismatch(
                f"{source}: the report's standards differ from the pinned ones: " + "; ".join(pinned),
                hint="the report was not judged by the text the pins name; re-run the check with the pinned standards",
            )
        # The paths a report records are as untrusted as the report; they are read like any of
        # the tool's inputs (bounded, regular files only).
        fresh = report_to_dict(_run(setup, paths))
    finally:
        i18n.set_language(caller)
    if path and len(recorded.paths) == 1 and paths[0] != recorded.paths[0]:
        _rename_roots(fresh, paths[0].rstrip("/"), recorded.paths[0].rstrip("/"))
    return Verification(source=source, differences=tuple(differences(recorded.data, fresh)))


# ---------------------------------------------------------------------------------------------
# Standards


def list_standards(
    *, standards_path: Sequence[_PathArg] = (), config: _PathArg | bool = True
) -> tuple[StandardSummary, ...]:
    """Every standard version available, by id and then version (newest last): the
    built-in ones, ``standards_path``, ``OCP_CHECK_STANDARDS_PATH``, the installed bundles
    and the project configuration's ``standards_path`` (``config`` as in ``check``)."""
    catalog = _catalog(standards_path, config)
    defaults = {entry.ref.id: catalog.match(entry.ref.id) for entry in catalog.entries()}
    return tuple(
        StandardSummary(
            id=entry.ref.id,
            version=entry.ref.version,
            title=entry.title,
            status=entry.status,
            document_kind=entry.kind,
            default=(found := defaults.get(entry.ref.id)) is not None and found.ref == entry.ref,
        )
        for entry in catalog.entries()
    )


def load_standard(
    ref: str, *, standards_path: Sequence[_PathArg] = (), config: _PathArg | bool = True
) -> StandardVersion:
    """Load and validate one standard version: ``id``, ``id@1``, ``id@1.0``, ``id@1.0.2``,
    optionally pinned (``id@1.0.2#sha256:…``), resolved as ``--standard`` resolves it.

    Raises ``StandardNotFound`` (with the available versions in its ``hint``),
    ``StandardInvalid`` or ``PinMismatch``.
    """
    standard = _catalog(standards_path, config).resolve(ref)
    return StandardVersion(
        id=standard.ref.id,
        version=standard.ref.version,
        title=standard.title,
        status=standard.status,
        document_kind=standard.kind.value,
        publisher=standard.publisher,
        summary=standard.summary,
        sha256=standard.sha256,
        clauses=tuple(copied(ClauseInfo, c) for c in standard.clauses),
    )


# ---------------------------------------------------------------------------------------------
# The one path the command line shares (private: not part of the promise)


def _prepare(options: Options) -> Setup:
    """The settings of a run (``settings.build``: options, then the environment, then the
    project configuration, then the defaults), for the API and the command line alike."""
    from ocp_check.settings import build, environment

    return build(options, cwd=Path.cwd(), environ=environment())


def _run(
    setup: Setup, paths: Sequence[str], *, stdin: bytes | None = None, require: bool = True, **engine: Any
) -> Report:
    """Check ``paths`` with a prepared run; ``engine`` passes on what the engine also takes.

    A run that found nothing to judge is a usage error, not a pass: a gate that checked
    nothing must not let a release through. ``require=False`` (``check --changed``, where a
    commit may touch no submission) accepts it.
    """
    from ocp_check.engine import check as engine_check

    if setup.cache_dir is not None and "cache" not in engine:
        from ocp_check.cache import ResultCache

        engine["cache"] = ResultCache(setup.cache_dir)
    report = engine_check(list(paths), setup.settings, setup.catalog, stdin=stdin, **engine)
    if report.shard is not None and not report.submissions:
        from ocp_check.shard import EMPTY_PLAN

        # A part of a run may be empty (more parts than submissions); the run is not.
        require = require and report.shard.plan == EMPTY_PLAN
    # Standard input is something to check even when it could not be read (over the size limit).
    if require and (not report.submissions or (not report.inputs and "-" not in paths)):
        raise UsageError(_("nothing to check: no YAML or JSON document in {paths}", paths=", ".join(paths)))
    return report


@contextlib.contextmanager
def _executor(scheduler: str | Any, timeout: float = 10.0) -> Iterator[Any]:
    """None (the local worker pool) without a scheduler; else a Dask executor on it: a client
    connected to the address (closed afterwards), or the caller's own client (left open)."""
    if scheduler is None:
        yield None
        return
    from ocp_check.dask_executor import DaskExecutor, connect

    if not isinstance(scheduler, str):
        yield DaskExecutor(scheduler)
        return
    client = connect(scheduler, timeout)
    try:
        yield DaskExecutor(client)
    finally:
        with contextlib.suppress(Exception):  # a cluster gone by now has nothing to close
            client.close()


def _clause_texts(catalog: Catalog, report: Report) -> dict[tuple[str, str], str]:
    """The text of every clause of the standards a report used (SARIF describes its rules
    with them); a standard that cannot be loaded again is left to the clause titles."""
    texts: dict[tuple[str, str], str] = {}
    for info in report.standards:
        try:
            standard = catalog.load(info.ref)
        except OcpCheckError:
            continue
        for clause in standard.clauses:
            texts[(str(info.ref), clause.id)] = " ".join(clause.text.split())
    return texts


def _rename_roots(report: dict[str, Any], new: str, old: str) -> None:
    """Show a re-run of PATH under the name the report recorded, so only content is compared."""

    def fix(text: Any) -> Any:
        if isinstance(text, str) and (text == new or text.startswith(new + "/")):
            return old + text[len(new) :]
        return text

    for sub in report.get("submissions", []):
        sub["name"] = fix(sub.get("name"))
        sub["root"] = fix(sub.get("root"))
    for item in report.get("inputs", []):
        item["submission"] = fix(item.get("submission"))


# ---------------------------------------------------------------------------------------------
# Helpers


def _paths(paths: _PathArg | Iterable[_PathArg]) -> tuple[str, ...]:
    if isinstance(paths, (str, os.PathLike)):
        return (os.fspath(paths),)
    named = tuple(os.fspath(p) for p in paths)
    if not named:
        raise UsageError(_("no paths to check"))
    return named


def _options(paths: tuple[str, ...], given: Mapping[str, Any], **more: Any) -> Options:
    """The keywords of ``check`` as the options ``settings.build`` takes: the one mapping, for
    ``check``, ``check_documents`` (which has no ``root``) and the command line. ``given``
    holds every keyword of ``check`` (its signature is where they and their defaults are
    declared); ``more`` holds other fields of ``settings.Options`` a command sets, such as its
    formats and ``fail_on``."""
    from ocp_check.settings import Options

    standards, root, config, today = given["standards"], given.get("root"), given["config"], given["today"]
    bounds = given["limits"] if given["limits"] is not None else Limits()
    return Options(
        paths=paths,
        standards=(standards,) if isinstance(standards, str) else tuple(standards),
        root=os.fspath(root) if root is not None else None,
        profile=Path(given["profile"]) if given["profile"] is not None else None,
        waivers=tuple(Path(w) for w in given["waivers"]),
        config=None if isinstance(config, bool) else Path(config),
        discover_config=config is not False,
        today=today.isoformat() if isinstance(today, datetime.date) else today,
        snippets=given["snippets"],
        standards_path=tuple(Path(p) for p in given["standards_path"]),
        max_file_size=bounds.max_file_size,
        max_depth=bounds.max_depth,
        max_nodes=bounds.max_nodes,
        time_budget=bounds.time_budget,
        memory_budget=bounds.memory_budget_mib,
        jobs=given["jobs"],
        each=given["each"],
        max_findings_per_rule=bounds.max_findings_per_rule,
        max_findings_per_document=bounds.max_findings_per_document,
        **more,
    )


#: The keywords ``check`` and ``check_documents`` pass on to ``_options`` unchanged.
_KEYWORDS = frozenset(
    {
        "standards",
        "profile",
        "waivers",
        "each",
        "today",
        "root",
        "limits",
        "jobs",
        "snippets",
        "standards_path",
        "config",
    }
)


def _catalog(standards_path: Sequence[_PathArg], config: _PathArg | bool = True) -> Catalog:
    """The standards a command that runs no check sees, as ``check`` would see them."""
    from ocp_check.catalog import Catalog
    from ocp_check.config import ProjectConfig, find_config

    project = (
        find_config(None if isinstance(config, bool) else Path(config), Path.cwd())
        if config is not False
        else ProjectConfig()
    )
    return Catalog([*(Path(p) for p in standards_path), *project.standards_path])


def _fail_on_error(fail_on: object) -> str:
    return _("fail_on must be one of {values}, not {value}", values=", ".join(_FAIL_ON), value=repr(fail_on))


def _format_error(format: object) -> str:
    return _("unknown format {format}", format=repr(format))


def _document_path(rel: str) -> PurePosixPath:
    """A document's name as a path inside the submission folder; anything else is refused."""
    path = PurePosixPath(rel)
    if (
        not rel
        or "\x00" in rel
        or "\\" in rel
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in rel.split("/"))
    ):
        raise UsageError(_("{path} is not a relative path inside the submission (a/b.yaml)", path=repr(rel)))
    return path


def _renamed(report: Report, where: str, name: str) -> Report:
    """The report with the temporary folder ``where`` shown as ``name``."""

    def fix(text: str) -> str:
        if text == where:
            return name
        if text.startswith(where + "/"):
            return name + text[len(where) :]
        return text

    options = dict(report.options)
    recorded = options.get("paths")
    if isinstance(recorded, list):
        options["paths"] = [fix(p) if isinstance(p, str) else p for p in recorded]
    return dataclasses.replace(
        report,
        submissions=tuple(
            dataclasses.replace(s, name=fix(s.name), root=fix(s.root)) for s in report.submissions
        ),
        inputs=tuple(dataclasses.replace(i, submission=fix(i.submission)) for i in report.inputs),
        deltas=tuple(dataclasses.replace(d, submission=fix(d.submission)) for d in report.deltas),
        options=options,
    )


def _report_text(report: Report | bytes | _PathArg, limit: int) -> tuple[str, str]:
    """The JSON text of a report given as a path, bytes or a ``Report``; and where it came from."""
    from ocp_check.reading import ReadError, read_file

    if limit < 1:
        raise UsageError(_("max_report_size must be positive"))
    if isinstance(report, Report):
        return "<report>", render_report(report, "json")
    if isinstance(report, bytes):
        if len(report) > limit:
            raise UsageError(
                ngettext(
                    "<report>: larger than {limit} bytes",
                    "<report>: larger than {limit} bytes",
                    limit,
                    limit=limit,
                )
            )
        return "<report>", report.decode("utf-8", errors="replace")
    source = os.fspath(report)
    try:
        raw = read_file(Path(source), limit)
    except ReadError as err:
        raise UsageError(
            _("{file}: no such file", file=source) if err.missing else f"{source}: {err.reason}"
        ) from None
    return source, raw.decode("utf-8", errors="replace")
