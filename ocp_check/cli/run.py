"""The commands that run a check: ``check``, ``compare`` and ``verify``.

They share the options of a run, declared once (``run_options``), and build their settings
with the one builder (``settings.build``: options, then the environment, then the project
configuration, then the defaults).
"""

from __future__ import annotations

import contextlib
import inspect
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer

from ocp_check.cli import completion
from ocp_check.cli.common import (
    F,
    StandardsPathOption,
    destinations,
    guarded,
    say,
    write_stdout,
)
from ocp_check.errors import UsageError
from ocp_check.i18n import _, ngettext
from ocp_check.model import FindingCaps, Report
from ocp_check.reading import REPORT_LIMIT as DEFAULT_MAX_REPORT_SIZE
from ocp_check.render import FORMATS, RenderOptions
from ocp_check.terminal import is_terminal, show_progress, text_width, use_color


class Executor(str, Enum):
    local = "local"
    dask = "dask"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


_RUN_OPTIONS: dict[str, tuple[Any, Any]] = {
    "standard": (
        Annotated[
            list[str] | None,
            typer.Option(
                "--standard",
                "-s",
                help=_("Standard version to check against, e.g. ocp-data-governance@1.0 (repeatable)."),
                autocompletion=completion.standards,
            ),
        ],
        None,
    ),
    "root": (Annotated[str | None, typer.Option(help=_("Folder that $ref resolution is confined to."))], None),
    "profile": (
        Annotated[
            Path | None,
            typer.Option(
                help=_("City profile (YAML) tailoring the standards."), autocompletion=completion.data_files
            ),
        ],
        None,
    ),
    "waivers": (
        Annotated[
            list[Path] | None,
            typer.Option(
                "--waivers",
                help=_("The city's waivers file (repeatable)."),
                autocompletion=completion.data_files,
            ),
        ],
        None,
    ),
    "config": (
        Annotated[
            Path | None,
            typer.Option(help=_("Project configuration file [default: .ocp-check.yaml or [tool.ocp-check]].")),
        ],
        None,
    ),
    "today": (
        Annotated[
            str | None, typer.Option(help=_("Date used for waiver expiry and effective dates (YYYY-MM-DD)."))
        ],
        None,
    ),
    "standards_path": (
        Annotated[
            list[Path] | None,
            typer.Option("--standards-path", help=_("Extra folder of standards (repeatable).")),
        ],
        None,
    ),
    "max_file_size": (Annotated[int, typer.Option(help=_("Largest file to load, in bytes."))], 64 * 1024 * 1024),
    "max_depth": (Annotated[int, typer.Option(help=_("Deepest nesting to accept."))], 128),
    "time_budget": (
        Annotated[float, typer.Option(help=_("Seconds one file may take before it is reported and skipped."))],
        60.0,
    ),
    "memory_budget": (
        Annotated[
            int, typer.Option(help=_("Address space per worker process, in MiB (POSIX only; 0 = no limit)."))
        ],
        4096,
    ),
    "jobs": (
        Annotated[
            int | None, typer.Option("--jobs", "-j", help=_("Worker processes [default: the available cores]."))
        ],
        None,
    ),
    "max_findings_per_rule": (
        Annotated[
            int,
            typer.Option(help=_("Findings listed per rule in one document; the rest are counted, not listed.")),
        ],
        FindingCaps().per_rule,
    ),
    "max_findings_per_document": (
        Annotated[int, typer.Option(help=_("Findings listed per document; the rest are counted, not listed."))],
        FindingCaps().per_document,
    ),
}


#: Where each option stands in ``--help``: the shared ones among the command's own.
_HELP_ORDER = (
    "paths", "bids", "standard", "root", "fail_on", "profile", "waivers", "config", "fmt", "output",
    "color", "progress", "compact", "max_findings", "quiet", "verbose", "today", "no_snippets", "standards_path", "max_file_size",
    "max_depth", "time_budget", "memory_budget", "jobs", "each", "changed", "max_findings_per_rule",
    "max_findings_per_document", "shard", "cache_dir", "no_cache", "executor", "scheduler",
    "scheduler_timeout",
)  # fmt: skip


@dataclass(frozen=True)
class RunOptions:
    """The options of a run as a command received them (``settings.Options`` is built from them)."""

    standard: list[str] | None
    root: str | None
    profile: Path | None
    waivers: list[Path] | None
    config: Path | None
    today: str | None
    standards_path: list[Path] | None
    max_file_size: int
    max_depth: int
    time_budget: float
    memory_budget: int
    jobs: int | None
    max_findings_per_rule: int
    max_findings_per_document: int


def run_options(func: F) -> F:
    """Give a command the options of a run, received as one ``RunOptions`` in its ``run``."""
    own = [p for p in inspect.signature(func, eval_str=True).parameters.values() if p.name != "run"]
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        for name, (annotation, default) in _RUN_OPTIONS.items()
    ]
    rank = {name: i for i, name in enumerate(_HELP_ORDER)}
    ordered = sorted([*own, *shared], key=lambda p: rank.get(p.name, len(rank)))
    positional = [p for p in ordered if p.default is inspect.Parameter.empty]
    keyword = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in ordered if p not in positional]

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _RUN_OPTIONS}
        return func(*args, run=RunOptions(**values), **kwargs)

    wrapper.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in positional] + keyword
    )
    return wrapper  # type: ignore[return-value]


def _setup(run: RunOptions, *, paths: tuple[str, ...], **given: Any) -> Any:
    """The settings of a run from a command's options (``settings.build``: options, then the
    environment, then the project configuration, then the defaults), made by the Python API's
    own ``_options`` so that the command line and the API take one path."""
    from ocp_check.api import Limits, _options, _prepare

    limits = Limits(**{name: getattr(run, name) for name in _LIMITS}, memory_budget_mib=run.memory_budget)
    keywords = {name: getattr(run, name) for name in ("profile", "today", "root", "jobs")}
    keywords.update(
        standards=tuple(run.standard or ()),
        waivers=tuple(run.waivers or ()),
        standards_path=tuple(run.standards_path or ()),
        config=run.config or True,
        limits=limits,
        each=given.pop("each", False),
        snippets=given.pop("snippets", True),
    )
    options = _options(paths, keywords, **given)
    return _prepare(options)


#: The bounds of ``api.Limits`` that are options of the same name on the command line.
_LIMITS = ("max_file_size", "max_depth", "time_budget", "max_findings_per_rule", "max_findings_per_document")


def _progress_display(flag: bool | None, quiet: bool) -> Any:
    """The progress display of a check on stderr, or a context that shows nothing. Rich is
    imported only when the display is shown: a quiet run or a CI log never pays for it."""
    terminal = is_terminal(sys.stderr)
    if not show_progress(flag, quiet, terminal):
        return contextlib.nullcontext(None)
    from ocp_check.cli.progress import ProgressDisplay

    return ProgressDisplay(sys.stderr, terminal=terminal, color=use_color(None, terminal))


#: ``--cache-dir``, on ``check`` and on ``cache dir|clean``.
# The report options that check, compare and merge share: one declaration each, so their
# help and behaviour cannot drift apart.
FailOnOption = Annotated[
    FailOn | None, typer.Option(help=_("Lowest severity that makes the exit code 1 [default: error]."))
]
FormatOption = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        "-f",
        help=_("Output format ({formats}); FORMAT:PATH writes to a file (repeatable).", formats=", ".join(FORMATS)),
        autocompletion=completion.check_formats,
    ),
]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help=_("Write the (single) report to this file."))]
ColorOption = Annotated[
    bool | None,
    typer.Option(
        "--color/--no-color",
        help=_("Colours in the text report [default: on a terminal; FORCE_COLOR and NO_COLOR are honoured]."),
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help=_("Only errors and the verdict."))]
VerboseOption = Annotated[
    int, typer.Option("--verbose", "-v", count=True, help=_("Show every clause and non-active finding."))
]

CacheDirOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help=_(
            "Result cache folder [default: OCP_CHECK_CACHE_DIR, else .ocp-check-cache beside the "
            "project configuration, else in the current folder]."
        ),
    ),
]


@guarded
@run_options
def check_command(
    run: RunOptions,
    paths: Annotated[
        list[str],
        typer.Argument(help=_("Files, bid folders or folders of bids; '-' reads one document from stdin.")),
    ],
    fail_on: FailOnOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    color: ColorOption = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help=_("Progress on stderr [default: on a terminal, not with -q or in CI]."),
        ),
    ] = None,
    compact: Annotated[bool, typer.Option("--compact", help=_("Text report: one line per finding."))] = False,
    max_findings: Annotated[
        int | None,
        typer.Option(
            "--max-findings",
            help=_("Text report: list at most N findings per submission, the most severe first."),
            metavar="N",
        ),
    ] = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = 0,
    no_snippets: Annotated[
        bool, typer.Option("--no-snippets", help=_("Omit source lines around findings."))
    ] = False,
    each: Annotated[
        bool, typer.Option("--each", help=_("Check every document as a submission of its own."))
    ] = False,
    changed: Annotated[
        bool,
        typer.Option(
            "--changed",
            help=_("PATHs are changed files (from git or pre-commit): check each one's submission folder once."),
        ),
    ] = False,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="I/N",
            help=_("Judge part I of N of the submissions (a CI matrix); 'ocp-check merge' joins the JSON reports."),
        ),
    ] = None,
    cache_dir: CacheDirOption = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help=_("Neither read nor write the result cache."))
    ] = False,
    executor: Annotated[
        Executor,
        typer.Option(help=_("Where submissions are judged: worker processes here, or a Dask cluster.")),
    ] = Executor.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help=_("The Dask scheduler's address (with --executor dask), e.g. tcp://10.0.0.5:8786.")),
    ] = None,
    scheduler_timeout: Annotated[
        float, typer.Option(help=_("Seconds to wait for the Dask scheduler to answer."))
    ] = 10.0,
) -> None:
    if max_findings is not None and max_findings < 0:
        raise UsageError(_("--max-findings must be 0 or more, not {value}", value=max_findings))
    _check_executor(executor, scheduler, scheduler_timeout)
    if changed:
        paths = _changed_submissions(paths, run.root, quiet)
    from ocp_check.api import _clause_texts, _run
    from ocp_check.gcpause import gc_paused
    from ocp_check.model import exit_code_for
    from ocp_check.reading import read_stream
    from ocp_check.render import RENDERERS, RenderOptions

    setup = _setup(
        run,
        paths=tuple(paths),
        fail_on=fail_on.value if fail_on is not None else None,
        formats=tuple(fmt or ()),
        snippets=not no_snippets,
        each=each,
        cache=not no_cache,
        cache_dir=cache_dir,
        shard=shard,
    )
    settings, catalog, threshold = setup.settings, setup.catalog, setup.fail_on
    formats = destinations(setup.formats, output, list(RENDERERS))
    # Standard input is a vendor document: at most --max-file-size bytes are read, more is a finding.
    stdin = read_stream(sys.stdin.buffer, settings.limits.max_bytes) if "-" in paths else None
    color = use_color(color, is_terminal(sys.stdout))
    width = text_width(sys.stdout)
    to_stdout: Iterable[str] | None = None
    with _progress_display(progress, quiet) as watch, _cluster(executor, scheduler, scheduler_timeout) as remote:
        # A commit that touches no bid leaves a pre-commit hook nothing to judge: a pass.
        report = _run(setup, paths, stdin=stdin, require=not changed, watch=watch, executor=remote)
        if watch is not None:
            watch.writing()
        texts = _clause_texts(catalog, report) if any(name == "sarif" for name, _ in formats) else {}
        # --lang fr,en: the HTML report holds the run in each language, so the check is run
        # again in each further one (the standards' text and the engine's words differ).
        translated = (
            _in_other_languages(setup, paths, stdin, changed) if any(n == "html" for n, _ in formats) else []
        )
        to_stdout = _write_reports(
            report,
            formats,
            lambda dest: RenderOptions(
                color=color and dest is None,
                verbose=verbose,
                quiet=quiet,
                # A report file is laid out the same whoever writes it: not wrapped.
                width=width if dest is None else None,
                compact=compact,
                max_findings=max_findings,
                fail_on=threshold,
                clause_texts=texts,
                base_dir=Path.cwd().as_posix(),
            ),
            translated,
        )
    if to_stdout is not None:
        with gc_paused():
            write_stdout(to_stdout)
    if all(dest is not None for _, dest in formats) and not quiet:
        # Every report went to a file: a CI log would otherwise show nothing at all.
        say(_summary_line(report, threshold, formats))
    raise typer.Exit(exit_code_for(report, threshold))


def _write_reports(
    report: Report,
    formats: list[tuple[str, str | None]],
    options: Callable[[str | None], RenderOptions],
    translated: Sequence[tuple[str, Report]] = (),
) -> Iterable[str] | None:
    """Write each report that goes to a file (``formats``: name and destination, None for
    standard output) and return the pieces of the one for standard output, which the caller
    writes when its terminal is free (``check`` first removes its progress display). With
    ``translated`` (the run in each further language of ``--lang``), the HTML report shows
    every language side by side."""
    from ocp_check.gcpause import gc_paused
    from ocp_check.output import write_output
    from ocp_check.render import render_chunks

    to_stdout: Iterable[str] | None = None
    with gc_paused():  # rendering walks the whole report; collections would re-scan it
        for name, dest in formats:
            settings = options(dest)
            if name == "html" and translated:
                from ocp_check import i18n
                from ocp_check.render.html import render_languages

                pieces: Iterable[str] = (
                    render_languages([(i18n.current_language(), report), *translated], settings),
                )
            else:
                pieces = render_chunks(name, report, settings)
            if dest is None:
                to_stdout = pieces  # rendered as it is written
            else:
                write_output(Path(dest), pieces)
    return to_stdout


def _in_other_languages(setup: Any, paths: list[str], stdin: Any, changed: bool) -> list[tuple[str, Any]]:
    """The same check run in each further language of ``--lang`` (``fr,en``), for the HTML
    report that shows them side by side."""
    from ocp_check import i18n
    from ocp_check.api import _run

    out = []
    for language in i18n.other_languages():
        with i18n.using(language):
            out.append((language, _run(setup, paths, stdin=stdin, require=not changed)))
    return out


def _check_executor(kind: Executor, scheduler: str | None, timeout: float) -> None:
    """Refuse, before any work, an executor the options cannot honour."""
    if kind is Executor.local and scheduler:
        raise UsageError(_("--scheduler needs --executor dask"))
    if kind is Executor.dask and not scheduler:
        raise UsageError(_("--executor dask needs --scheduler ADDRESS (the Dask scheduler)"))
    if not (math.isfinite(timeout) and 0 < timeout <= 3600):
        raise UsageError(
            _("--scheduler-timeout must be a number of seconds above 0 and at most 3600, not {value}", value=f"{timeout:g}")
        )


def _cluster(kind: Executor, scheduler: str | None, timeout: float) -> Any:
    """No executor (the local worker pool), or one on the Dask cluster, closed afterwards."""
    from ocp_check.api import _executor

    return _executor(scheduler if kind is Executor.dask else None, timeout)


def _summary_line(report: Any, threshold: str, formats: list[tuple[str, str | None]]) -> str:
    """One line for stderr when no report goes to stdout: the verdict as the exit code has
    it, the counts, and where the reports are."""
    from ocp_check.model import verdict_headline

    counts = report.counts()
    written = ", ".join(f"{name}:{dest}" for name, dest in formats)
    findings = _(
        "{errors}, {warnings}, {info}, {waived}",
        errors=ngettext("{count} error", "{count} errors", counts["error"]),
        warnings=ngettext("{count} warning", "{count} warnings", counts["warning"]),
        # TRANSLATORS: "info" is the severity: "3 info" are three findings of severity info.
        info=ngettext("{count} info", "{count} info", counts["info"]),
        waived=ngettext("{count} waived", "{count} waived", counts["waived"]),
    )
    return _(
        "ocp-check: {verdict}; {tally}; {findings}; {accounting}; reports: {written}",
        verdict=verdict_headline(report, threshold),
        tally=report.tally(),
        findings=findings,
        accounting=report.accounting_phrase(),
        written=written,
    )


def _changed_submissions(paths: list[str], root: str | None, quiet: bool) -> list[str]:
    """The submission folders of changed files; the files set aside are named on stderr."""
    from ocp_check.changed import select_submissions

    if "-" in paths:
        raise UsageError(_("--changed takes file paths, not standard input"))
    selection = select_submissions(paths, Path(root) if root else Path.cwd(), Path.cwd())
    if not quiet:
        for path, reason in selection.skipped:
            say(_("not checked: {path}: {reason}", path=path, reason=reason))
    return selection.folders


@guarded
@run_options
def compare_command(
    run: RunOptions,
    bids: Annotated[list[str], typer.Argument(help=_("Bid folders (or folders of bids) to compare."))],
    fmt: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help=_("text, markdown, csv, json or html; FORMAT:PATH writes a file (repeatable)."),
            autocompletion=completion.compare_formats,
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("Write the (single) matrix to this file."))
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help=_("Progress on stderr [default: on a terminal, not in CI].")
        ),
    ] = None,
) -> None:
    from ocp_check.api import MATRIX_FORMATS, _run, render_matrix
    from ocp_check.output import write_output

    setup = _setup(run, paths=tuple(bids))
    formats = destinations(fmt or ["text"], output, list(MATRIX_FORMATS))
    with _progress_display(progress, False) as watch:
        report = _run(setup, bids, watch=watch)
    outputs = [(render_matrix(report, name), dest) for name, dest in formats]
    for text, dest in outputs:
        if dest is None:
            write_stdout([text])
        else:
            write_output(Path(dest), text)
    if all(dest is not None for _, dest in formats):
        # Every matrix went to a file: say where, as check does, so a log is never silent.
        written = ", ".join(f"{name}:{dest}" for name, dest in formats)
        say(
            _(
                "ocp-check: {tally}; {accounting}; reports: {written}",
                tally=report.tally(),
                accounting=report.accounting_phrase(),
                written=written,
            )
        )


@guarded
def merge_command(
    reports: Annotated[
        list[Path],
        typer.Argument(
            metavar="REPORT.json...", help=_("The JSON reports of every part of one run (check --shard I/N).")
        ),
    ],
    fail_on: FailOnOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    color: ColorOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = 0,
    standards_path: StandardsPathOption = None,
    max_report_size: Annotated[
        int, typer.Option(help=_("Largest report to read, in bytes."))
    ] = DEFAULT_MAX_REPORT_SIZE,
) -> None:
    """Join the JSON reports of the parts of a sharded run into the report of the whole run.

    Exit codes: 0 conformant, 1 nonconformant (as the whole run would end), 2 the reports are
    not every part of one run, or another error.
    """
    from ocp_check import i18n
    from ocp_check.api import _catalog, _clause_texts
    from ocp_check.gcpause import gc_paused
    from ocp_check.merge import merge_reports, parse_part
    from ocp_check.model import exit_code_for
    from ocp_check.reading import ReadError, read_file
    from ocp_check.render import RENDERERS, RenderOptions

    if max_report_size < 1:
        raise UsageError(_("--max-report-size must be positive"))
    formats = destinations(fmt or ["json"], output, list(RENDERERS))
    parts = []
    for path in reports:
        try:
            raw = read_file(path, max_report_size)
        except ReadError as err:
            raise UsageError(_("{file}: cannot read the report: {reason}", file=str(path), reason=err.reason)) from None
        parts.append((str(path), parse_part(raw.decode("utf-8", "replace"), str(path))))
    report = merge_reports(parts)
    threshold = fail_on.value if fail_on is not None else "error"
    catalog = _catalog(tuple(standards_path or ()))
    use = use_color(color, is_terminal(sys.stdout))
    width = text_width(sys.stdout)
    # The parts' human text is in the language they record: the whole report is rendered in
    # it too, as the unsharded run was (the parts agree on it: their options are compared).
    recorded = report.options.get("language", "en")
    language = i18n.parse_language(recorded) if isinstance(recorded, str) else None
    with i18n.using(language or "en"):
        texts = _clause_texts(catalog, report) if any(name == "sarif" for name, _ in formats) else {}
        to_stdout = _write_reports(
            report,
            formats,
            lambda dest: RenderOptions(
                color=use and dest is None,
                verbose=verbose,
                quiet=quiet,
                width=width if dest is None else None,
                fail_on=threshold,
                clause_texts=texts,
                base_dir=Path.cwd().as_posix(),
            ),
        )
        if to_stdout is not None:  # rendered as it is written, in the parts' language
            with gc_paused():
                write_stdout(to_stdout)
        summary = _summary_line(report, threshold, formats)
    if all(dest is not None for _, dest in formats) and not quiet:
        say(summary)
    raise typer.Exit(exit_code_for(report, threshold))


@guarded
def verify_command(
    report_file: Annotated[
        Path, typer.Argument(metavar="REPORT.json", help=_("A JSON report made by 'check --format json'."))
    ],
    path: Annotated[
        str | None,
        typer.Argument(help=_("The submission to verify against [default: the paths the report records].")),
    ] = None,
    standards_path: StandardsPathOption = None,
    max_report_size: Annotated[
        int, typer.Option(help=_("Largest report to read, in bytes."))
    ] = DEFAULT_MAX_REPORT_SIZE,
) -> None:
    from ocp_check.api import verify_report

    if max_report_size < 1:
        raise UsageError(_("--max-report-size must be positive"))
    found = verify_report(
        report_file, path, standards_path=tuple(standards_path or ()), max_report_size=max_report_size
    ).differences
    if not found:
        sys.stdout.write(_("{file}: verified: the report matches the files and standards it names", file=report_file) + "\n")
        raise typer.Exit(0)
    sys.stdout.write(
        ngettext(
            "{file}: does NOT match ({count} difference):",
            "{file}: does NOT match ({count} differences):",
            len(found),
            file=report_file,
        )
        + "\n"
    )
    for line in found:
        sys.stdout.write(f"  - {line}\n")
    raise typer.Exit(1)
