"""The command line. The only module that reads argv, prints, or exits.

Commands parse their options into settings, call the pure core (``engine.check`` and
friends), hand the report to a renderer and write the result. Errors of the invocation or of
the tool's own inputs are ``OcpCheckError`` and end with exit code 2 and a one-line message;
anything else is an internal error, also exit 2, with a traceback only under ``--debug``.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ocp_check import __version__
from ocp_check.errors import ExitCode, OcpCheckError, UsageError
from ocp_check.model import FindingCaps
from ocp_check.render import FORMATS
from ocp_check.signals import Stopped

app = typer.Typer(
    name="ocp-check",
    help="Check vendor data manifests, retention policies and OpenAPI descriptions against the "
    "Open City Platform data-governance standards.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
standards_app = typer.Typer(help="List and show the standards this tool knows.", no_args_is_help=True)
rules_app = typer.Typer(help="List and explain the rules of the standards.", no_args_is_help=True)
app.add_typer(standards_app, name="standards")
app.add_typer(rules_app, name="rules")

_STATE: dict[str, Any] = {"debug": False}
# A report of ten thousand submissions is a few hundred megabytes; ``verify`` holds it and a
# fresh one in memory, so a larger one needs the option raised on purpose.
DEFAULT_MAX_REPORT_SIZE = 512 * 1024 * 1024
F = TypeVar("F", bound=Callable[..., Any])


def _err(message: str) -> None:
    """One line on stderr, with control characters made visible (messages quote file names)."""
    safe = "".join(
        ch
        if (ch >= " " and ch != "\x7f" and not "\x80" <= ch <= "\x9f") or ch == "\t"
        else f"\\x{ord(ch):02x}"
        for ch in message
    )
    sys.stderr.write(safe + "\n")


def guarded(func: F) -> F:
    """Turn errors into exit code 2 with one line on stderr (a traceback only with --debug)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except OcpCheckError as err:
            _err(f"error: {err.message}")
            if err.hint:
                _err(f"hint: {err.hint}")
            if _STATE["debug"]:
                traceback.print_exc()
            raise typer.Exit(ExitCode.ERROR) from None
        except KeyboardInterrupt:
            _err("interrupted")
            raise typer.Exit(130) from None
        except Stopped as stop:  # SIGTERM, SIGINT, SIGHUP: every cleanup has run on the way here
            _err(stop.word)
            raise typer.Exit(stop.exit_code) from None
        except BrokenPipeError:  # the reader went away (``| head``): nothing left to say
            _quiet_stdout()
            raise typer.Exit(0) from None
        except OSError as err:
            # Reading vendor files never gets here (those are findings); what is left is a
            # path the user named for the tool's own use: a report, a folder to write into.
            if _STATE["debug"]:
                traceback.print_exc()
            where = f"{err.filename}: " if err.filename else ""
            _err(f"error: {where}{err.strerror or err}")
            raise typer.Exit(ExitCode.ERROR) from None
        except Exception as err:  # the last line of defence: never a bare traceback
            if _STATE["debug"]:
                traceback.print_exc()
            _err(f"internal error: {type(err).__name__}: {err}")
            _err("hint: run again with --debug for a traceback, and report it")
            raise typer.Exit(ExitCode.ERROR) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"ocp-check {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")] = False,
) -> None:
    """Check vendor documents against the Open City Platform data-governance standards.

    Exit codes: 0 conformant, 1 nonconformant, 2 usage or tool error.
    """
    _STATE["debug"] = debug


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _use_color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _catalog(paths: list[Path] | None) -> Any:
    """The standards: built in, the user's, ``--standards-path`` and the project configuration's."""
    from ocp_check.catalog import Catalog
    from ocp_check.config import find_config

    return Catalog([*(paths or []), *find_config(None, Path.cwd()).standards_path])


# ----------------------------------------------------------------------------- the options of a run
# ``check`` and ``compare`` (and any command that runs a check) take the same options for the
# run itself; they are declared once here and handed to the command as one ``RunOptions``.

#: ``--standards-path`` of the commands that read standards without running a check.
StandardsPathOption = Annotated[
    list[Path] | None, typer.Option("--standards-path", help="Extra folder of standards.")
]

_RUN_OPTIONS: dict[str, tuple[Any, Any]] = {
    "standard": (
        Annotated[
            list[str] | None,
            typer.Option(
                "--standard",
                "-s",
                help="Standard version to check against, e.g. ocp-data-governance@1.0 (repeatable).",
            ),
        ],
        None,
    ),
    "root": (Annotated[str | None, typer.Option(help="Folder that $ref resolution is confined to.")], None),
    "profile": (Annotated[Path | None, typer.Option(help="City profile (YAML) tailoring the standards.")], None),
    "waivers": (
        Annotated[list[Path] | None, typer.Option("--waivers", help="The city's waivers file (repeatable).")],
        None,
    ),
    "config": (
        Annotated[
            Path | None,
            typer.Option(help="Project configuration file [default: .ocp-check.yaml or [tool.ocp-check]]."),
        ],
        None,
    ),
    "today": (
        Annotated[str | None, typer.Option(help="Date used for waiver expiry and effective dates (YYYY-MM-DD).")],
        None,
    ),
    "standards_path": (
        Annotated[list[Path] | None, typer.Option("--standards-path", help="Extra folder of standards (repeatable).")],
        None,
    ),
    "max_file_size": (Annotated[int, typer.Option(help="Largest file to load, in bytes.")], 64 * 1024 * 1024),
    "max_depth": (Annotated[int, typer.Option(help="Deepest nesting to accept.")], 128),
    "time_budget": (
        Annotated[float, typer.Option(help="Seconds one file may take before it is reported and skipped.")],
        60.0,
    ),
    "memory_budget": (
        Annotated[int, typer.Option(help="Address space per worker process, in MiB (POSIX only; 0 = no limit).")],
        4096,
    ),
    "jobs": (
        Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes [default: the available cores].")],
        None,
    ),
    "max_findings_per_rule": (
        Annotated[
            int, typer.Option(help="Findings listed per rule in one document; the rest are counted, not listed.")
        ],
        FindingCaps().per_rule,
    ),
    "max_findings_per_document": (
        Annotated[int, typer.Option(help="Findings listed per document; the rest are counted, not listed.")],
        FindingCaps().per_document,
    ),
}

#: Where each option stands in ``--help``: the shared ones among the command's own.
_HELP_ORDER = (
    "paths", "bids", "standard", "root", "fail_on", "profile", "waivers", "config", "fmt", "output",
    "no_color", "quiet", "verbose", "today", "no_snippets", "standards_path", "max_file_size",
    "max_depth", "time_budget", "memory_budget", "jobs", "each", "changed", "max_findings_per_rule",
    "max_findings_per_document",
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


def _setup(run: RunOptions, **given: Any) -> Any:
    """The settings of a run from a command's options (``settings.build``: options, then the
    environment, then the project configuration, then the defaults)."""
    from ocp_check.settings import Options

    return _build(
        Options(
            standards=tuple(run.standard or ()),
            root=run.root,
            profile=run.profile,
            waivers=tuple(run.waivers or ()),
            config=run.config,
            today=run.today,
            standards_path=tuple(run.standards_path or ()),
            max_file_size=run.max_file_size,
            max_depth=run.max_depth,
            time_budget=run.time_budget,
            memory_budget=run.memory_budget,
            jobs=run.jobs,
            max_findings_per_rule=run.max_findings_per_rule,
            max_findings_per_document=run.max_findings_per_document,
            **given,
        )
    )


def _build(options: Any) -> Any:
    from ocp_check.settings import build, environment

    return build(options, cwd=Path.cwd(), environ=environment())


def _parse_format(spec: str, known: list[str]) -> tuple[str, str | None]:
    name, sep, dest = spec.partition(":")
    if name not in known:
        raise UsageError(f"unknown format {name!r}", hint=f"formats: {', '.join(known)}")
    if sep and not dest:
        raise UsageError(
            f"no path after '{name}:'",
            hint=f"write --format {name}:PATH, or --format {name} for standard output",
        )
    return name, (dest if sep else None)


def _check_destinations(formats: list[tuple[str, str | None]]) -> None:
    """Refuse unusable report paths before any work is done, not after a long run."""
    from ocp_check.output import destination_is_stream

    if sum(1 for _, dest in formats if dest is None) > 1:
        raise UsageError("only one format can go to standard output; give the others a :PATH")
    seen: dict[str, str] = {}
    for name, dest in formats:
        if dest is None:
            continue
        path = Path(dest)
        if path.is_dir():
            raise UsageError(f"{dest} is a folder; give the {name} report a file name")
        parent = path.parent
        if not parent.is_dir():
            raise UsageError(f"cannot write {dest}: the folder {parent} does not exist")
        destination_is_stream(path)  # a link, block device or socket is refused now, not after the run
        key = os.path.realpath(path)
        if key in seen:
            raise UsageError(f"the {seen[key]} and {name} reports would both be written to {dest}")
        seen[key] = name


def _write_stdout(pieces: Iterable[str]) -> None:
    """Write a report to standard output; a device that refuses it (``> /dev/full``) is exit 2.

    A reader that goes away (``| head``) is not an error: the verdict still decides the exit
    code. Flushing here, not at exit, is what lets a write error reach the exit code.
    """
    from ocp_check.output import OutputError

    try:
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
    except OSError as err:
        _quiet_stdout()
        raise OutputError(f"cannot write the report to standard output: {err.strerror or err}") from None


def _quiet_stdout() -> None:
    """Point stdout at the null device, so flushing at exit cannot fail on a closed pipe."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


@app.command("check")
@guarded
@run_options
def check_command(
    run: RunOptions,
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, bid folders or folders of bids; '-' reads one document from stdin."),
    ],
    fail_on: Annotated[
        FailOn | None, typer.Option(help="Lowest severity that makes the exit code 1 [default: error].")
    ] = None,
    fmt: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help=f"Output format ({', '.join(FORMATS)}); FORMAT:PATH writes to a file (repeatable).",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the (single) report to this file.")
    ] = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colours (NO_COLOR is honoured too).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors and the verdict.")] = False,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="Show every clause and non-active finding.")
    ] = 0,
    no_snippets: Annotated[
        bool, typer.Option("--no-snippets", help="Omit source lines around findings.")
    ] = False,
    each: Annotated[
        bool, typer.Option("--each", help="Check every document as a submission of its own.")
    ] = False,
    changed: Annotated[
        bool,
        typer.Option(
            "--changed",
            help="PATHs are changed files (from git or pre-commit): check each one's submission folder once.",
        ),
    ] = False,
) -> None:
    """Check submissions and print a conformance report.

    Exit codes: 0 conformant (nothing at or above --fail-on), 1 nonconformant, 2 usage or tool error.
    """
    if changed:
        paths = _changed_submissions(paths, run.root, quiet)
    from ocp_check.engine import check
    from ocp_check.gcpause import gc_paused
    from ocp_check.model import exit_code_for
    from ocp_check.output import write_output
    from ocp_check.reading import read_stream
    from ocp_check.render import RENDERERS, RenderOptions, render_chunks

    setup = _setup(
        run,
        paths=tuple(paths),
        fail_on=fail_on.value if fail_on is not None else None,
        formats=tuple(fmt or ()),
        snippets=not no_snippets,
        each=each,
    )
    settings, catalog, threshold = setup.settings, setup.catalog, setup.fail_on
    formats = [_parse_format(spec, list(RENDERERS)) for spec in setup.formats]
    if output is not None:
        if len(formats) != 1 or formats[0][1] is not None:
            raise UsageError("--output takes one format; use --format FORMAT:PATH for several")
        formats = [(formats[0][0], str(output))]
    _check_destinations(formats)
    # Standard input is a vendor document: at most --max-file-size bytes are read, more is a finding.
    stdin = read_stream(sys.stdin.buffer, settings.limits.max_bytes) if "-" in paths else None
    report = check(paths, settings, catalog, stdin=stdin)
    if not changed:  # a commit that touches no bid leaves a pre-commit hook nothing to judge: a pass
        _something_checked(report, paths)
    color = _use_color(no_color)
    texts = _clause_texts(catalog, report) if any(name == "sarif" for name, _ in formats) else {}
    with gc_paused():  # rendering walks the whole report; collections would re-scan it
        for name, dest in formats:
            options = RenderOptions(
                color=color and dest is None,
                verbose=verbose,
                quiet=quiet,
                fail_on=threshold,
                clause_texts=texts,
                base_dir=Path.cwd().as_posix(),
            )
            pieces = render_chunks(name, report, options)
            if dest is None:
                _write_stdout(pieces)
            else:
                write_output(Path(dest), pieces)
    if all(dest is not None for _, dest in formats) and not quiet:
        # Every report went to a file: a CI log would otherwise show nothing at all.
        _err(_summary_line(report, threshold, formats))
    raise typer.Exit(exit_code_for(report, threshold))


def _summary_line(report: Any, threshold: str, formats: list[tuple[str, str | None]]) -> str:
    """One line for stderr when no report goes to stdout: the verdict as the exit code has
    it, the counts, and where the reports are."""
    from ocp_check.model import verdict_headline

    counts = report.counts()
    written = ", ".join(f"{name}:{dest}" for name, dest in formats)
    return (
        f"ocp-check: {verdict_headline(report, threshold)}; {report.tally()}; "
        f"{counts['error']} error{'s' if counts['error'] != 1 else ''}, "
        f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}, {counts['info']} info, "
        f"{counts['waived']} waived; {report.accounting_phrase()}; reports: {written}"
    )


def _clause_texts(catalog: Any, report: Any) -> dict[tuple[str, str], str]:
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


def _changed_submissions(paths: list[str], root: str | None, quiet: bool) -> list[str]:
    """The submission folders of changed files; the files set aside are named on stderr."""
    from ocp_check.changed import select_submissions

    if "-" in paths:
        raise UsageError("--changed takes file paths, not standard input")
    selection = select_submissions(paths, Path(root) if root else Path.cwd(), Path.cwd())
    if not quiet:
        for path, reason in selection.skipped:
            _err(f"not checked: {path}: {reason}")
    return selection.folders


def _something_checked(report: Any, paths: list[str] | tuple[str, ...]) -> None:
    """A run that found nothing to judge is a usage error, not a pass: a gate that checked
    nothing must not let a release through (exit 2, one line)."""
    # Standard input is something to check even when it could not be read (over the size limit).
    if report is None or not report.submissions or (not report.inputs and "-" not in paths):
        raise UsageError(f"nothing to check: no YAML or JSON document in {', '.join(paths)}")


@standards_app.command("list")
@guarded
def standards_list(
    standards_path: StandardsPathOption = None,
) -> None:
    """List every standard version available, newest last. Exit code 0, or 2 on error."""
    from rich.console import Console
    from rich.table import Table

    catalog = _catalog(standards_path)
    table = Table(title=None, box=None, show_edge=False)
    for column in ("standard", "version", "status", "documents", "title"):
        table.add_column(column)
    for entry in catalog.entries():
        table.add_row(entry.ref.id, entry.ref.version, entry.status, entry.kind, entry.title)
    Console(highlight=False, no_color=not _use_color(False), width=140).print(table)


@standards_app.command("show")
@guarded
def standards_show(
    ref: Annotated[str, typer.Argument(help="ID or ID@VERSION, e.g. ocp-data-governance@1.0.")],
    standards_path: StandardsPathOption = None,
) -> None:
    """Show a standard version: metadata, parameters and clauses. Exit code 0, or 2 on error."""
    from ocp_check.explain import describe_standard

    standard = _catalog(standards_path).resolve(ref)
    sys.stdout.write(describe_standard(standard))


@standards_app.command("vocab")
@guarded
def standards_vocab(
    ref: Annotated[str, typer.Argument(help="ID or ID@VERSION, e.g. ocp-data-governance@2.0.")],
    name: Annotated[
        str | None, typer.Argument(help="One vocabulary of the standard, e.g. sensing-technologies.")
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    """List every term of a standard's vocabularies (or of one) with its label and source.
    Exit code 0, or 2 on error (unknown standard or vocabulary)."""
    from ocp_check.explain import describe_vocabularies

    standard = _catalog(standards_path).resolve(ref)
    sys.stdout.write(describe_vocabularies(standard, name))


@standards_app.command("diff")
@guarded
def standards_diff(
    old: Annotated[str, typer.Argument(help="ID@VERSION, e.g. ocp-data-governance@1.0.")],
    new: Annotated[str, typer.Argument(help="ID@VERSION, e.g. ocp-data-governance@1.1.")],
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output (same as --format json).")] = False,
    fmt: Annotated[
        DiffFormat | None,
        typer.Option("--format", "-f", help="text, markdown (for a public comment thread) or json."),
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    """What changed between two versions of one standard, each change classed breaking, additive or
    editorial. Exit 0, or 2 (also when the two versions belong to different standards)."""
    import json as jsonlib

    from ocp_check.diff import diff_standards, render_diff, render_diff_markdown

    catalog = _catalog(standards_path)
    a, b = catalog.resolve(old), catalog.resolve(new)
    result = diff_standards(a, b)
    chosen = "json" if json_output else (fmt.value if fmt is not None else "text")
    if chosen == "json":
        sys.stdout.write(jsonlib.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    elif chosen == "markdown":
        sys.stdout.write(render_diff_markdown(result))
    else:
        sys.stdout.write(render_diff(result))


@standards_app.command("pack")
@guarded
def standards_pack(
    ref: Annotated[str, typer.Argument(help="ID@VERSION to pack, e.g. ocp-data-governance@1.1.0.")],
    out: Annotated[Path, typer.Argument(help="The bundle file to write (.tar.gz).")],
    sign_key: Annotated[
        Path | None, typer.Option("--sign-key", help="Ed25519 private key (PEM) to sign the bundle with.")
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    """Pack one standard version and its metadata into one file, signed if a key is given. Exit 0, or 2."""
    from ocp_check.bundles import pack, write_bytes_atomic

    standard = _catalog(standards_path).resolve(ref)
    if sign_key is not None and not sign_key.is_file():
        raise UsageError(f"{sign_key}: no such file")
    write_bytes_atomic(out, pack(standard, sign_key))
    signed = "signed" if sign_key else "unsigned"
    sys.stdout.write(f"{out}: {standard.ref} ({standard.status}), content sha256:{standard.sha256}, {signed}\n")


@standards_app.command("install")
@guarded
def standards_install(
    bundle: Annotated[Path, typer.Argument(help="A bundle made by 'standards pack'.")],
    trust: Annotated[
        list[Path] | None, typer.Option("--trust", help="A publisher's public key (PEM) to trust (repeatable).")
    ] = None,
    into: Annotated[
        Path | None, typer.Option("--into", help="Install into this standards folder [default: the user folder].")
    ] = None,
    allow_unsigned: Annotated[
        bool, typer.Option("--allow-unsigned", help="Install a bundle that carries no signature.")
    ] = False,
    allow_untrusted: Annotated[
        bool, typer.Option("--allow-untrusted", help="Install a bundle signed by a key you do not trust.")
    ] = False,
    standards_path: StandardsPathOption = None,
) -> None:
    """Check a bundle (every file's hash, the content hash, the signature) and install it.

    Exit codes: 0 installed (or already there), 2 error: unreadable, altered, unsafe, unsigned
    or untrusted without the flag that allows it, or another text under the same version.
    """
    from ocp_check.bundles import MAX_BUNDLE_BYTES, install, load_public_keys, user_standards_dir
    from ocp_check.workspace import read_regular_file

    if not bundle.is_file():
        raise UsageError(f"{bundle}: no such file")
    raw = read_regular_file(bundle, MAX_BUNDLE_BYTES)
    done = install(
        raw,
        str(bundle),
        into=into or user_standards_dir(),
        catalog=_catalog(standards_path),
        keys=load_public_keys(list(trust or [])),
        allow_unsigned=allow_unsigned,
        allow_untrusted=allow_untrusted,
    )
    verb = "already installed" if done.already else "installed"
    sys.stdout.write(
        f"{done.ref}: {verb} in {done.directory} ({done.trust.describe()}, content sha256:{done.content_sha256})\n"
    )


@standards_app.command("keygen")
@guarded
def standards_keygen(
    key: Annotated[Path, typer.Argument(help="Where to write the new private key (PEM); KEY.pub is written beside it.")],
) -> None:
    """Make an Ed25519 key pair for signing bundles. Keep the private key; publish KEY.pub. Exit 0, or 2."""
    from ocp_check.bundles import keygen

    public, kid = keygen(key)
    sys.stdout.write(f"{key}: private key (keep it secret)\n{public}: public key {kid} (publish it)\n")


@standards_app.command("lock")
@guarded
def standards_lock(
    directory: Annotated[
        Path | None, typer.Argument(help="A standards folder [default: the standards shipped with the tool].")
    ] = None,
    check_only: Annotated[
        bool, typer.Option("--check", help="Only check: published versions unchanged, numbers agree with changes.")
    ] = False,
) -> None:
    """Record the content hash of every published version in the folder's lock file, or check it.

    Exit codes: 0 the lock and the version numbers hold, 1 a published version changed or a
    number contradicts its changes (each problem is listed), 2 error.
    """
    from ocp_check.governance import LOCK_FILE
    from ocp_check.output import write_output
    from ocp_check.publication import check_tree, lock_text
    from ocp_check.standard_files import builtin_standards_dir

    root = directory or builtin_standards_dir()
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder")
    if not check_only:
        write_output(root / LOCK_FILE, lock_text(root))
    result = check_tree(root)
    for problem in result.problems:
        sys.stdout.write(f"{problem}\n")
    sys.stdout.write(
        f"{root}: {result.versions} versions, {len(result.problems)} problem{'s' if len(result.problems) != 1 else ''}\n"
    )
    raise typer.Exit(1 if result.problems else 0)


@standards_app.command("docs")
@guarded
def standards_docs(
    directory: Annotated[Path, typer.Argument(help="Folder for the pages [e.g. docs/standards].")],
    standards_path: StandardsPathOption = None,
) -> None:
    """Generate one Markdown page per standard version from the standards data. Exit 0, or 2."""
    from ocp_check.docgen import page_name, standard_markdown
    from ocp_check.output import write_output

    catalog = _catalog(standards_path)
    directory.mkdir(parents=True, exist_ok=True)
    for entry in catalog.entries():
        standard = catalog.load(entry.ref)
        target = directory / page_name(standard)
        write_output(target, standard_markdown(standard))
        sys.stdout.write(f"{target}\n")


@standards_app.command("test")
@guarded
def standards_test(
    ref: Annotated[str, typer.Argument(help="ID or ID@VERSION whose rule cases to run.")],
    standards_path: StandardsPathOption = None,
) -> None:
    """Run a standard's own rule cases (cases/*.yaml). Exit 0 when all pass, 1 otherwise, 2 on error."""
    from ocp_check.cases import run_cases

    catalog = _catalog(standards_path)
    standard = catalog.resolve(ref)
    failed = 0
    total = 0
    for outcome in run_cases(catalog, standard):
        total += 1
        if not outcome.ok:
            failed += 1
            sys.stdout.write(f"FAIL {outcome.rule} {outcome.variant}: {outcome.message}\n")
    sys.stdout.write(f"{standard.ref}: {total - failed} passed, {failed} failed\n")
    raise typer.Exit(1 if failed else 0)


@app.command("compare")
@guarded
@run_options
def compare_command(
    run: RunOptions,
    bids: Annotated[list[str], typer.Argument(help="Bid folders (or folders of bids) to compare.")],
    fmt: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="text, markdown, csv, json or html; FORMAT:PATH writes a file (repeatable).",
        ),
    ] = None,
) -> None:
    """One matrix of clause × bid, with each bid's verdict and counts. Exit 0 success, 2 error."""
    from ocp_check.compare import build_matrix
    from ocp_check.engine import check
    from ocp_check.output import write_output
    from ocp_check.render.matrix import MATRIX_RENDERERS

    setup = _setup(run, paths=tuple(bids))
    formats = [_parse_format(spec, list(MATRIX_RENDERERS)) for spec in (fmt or ["text"])]
    _check_destinations(formats)
    report = check(bids, setup.settings, setup.catalog)
    _something_checked(report, bids)
    matrix = build_matrix(report)
    outputs = [(MATRIX_RENDERERS[name](matrix), dest) for name, dest in formats]
    for text, dest in outputs:
        if dest is None:
            _write_stdout([text])
        else:
            write_output(Path(dest), text)


@app.command("verify")
@guarded
def verify_command(
    report_file: Annotated[
        Path, typer.Argument(metavar="REPORT.json", help="A JSON report made by 'check --format json'.")
    ],
    path: Annotated[
        str | None,
        typer.Argument(help="The submission to verify against [default: the paths the report records]."),
    ] = None,
    standards_path: StandardsPathOption = None,
    max_report_size: Annotated[
        int, typer.Option(help="Largest report to read, in bytes.")
    ] = DEFAULT_MAX_REPORT_SIZE,
) -> None:
    """Re-run the check a report records and compare the whole report.

    Exit codes: 0 the report matches the files, 1 it does not (every difference is listed), 2 error.
    """
    from ocp_check.engine import check
    from ocp_check.errors import PinMismatch
    from ocp_check.reading import ReadError, read_file
    from ocp_check.render.json import report_to_dict
    from ocp_check.verify import differences, pinned_differences, read_report

    if max_report_size < 1:
        raise UsageError("--max-report-size must be positive")
    try:
        raw = read_file(report_file, max_report_size)
    except ReadError as err:
        raise UsageError(f"{report_file}: {'no such file' if err.missing else err.reason}") from None
    recorded = read_report(raw.decode("utf-8", errors="replace"), str(report_file))
    paths = (path,) if path else recorded.paths
    # The paths a report records are as untrusted as the report; they are read like any of
    # the tool's inputs (bounded, regular files only).
    setup = _build(recorded.options(standards_path=tuple(standards_path or ())))
    settings, catalog = setup.settings, setup.catalog
    profile = settings.profile
    pinned = pinned_differences(recorded.data, [*recorded.standards, *(profile.standards if profile else ())])
    if pinned:
        raise PinMismatch(
            f"{report_file}: the report's standards differ from the pinned ones: " + "; ".join(pinned),
            hint="the report was not judged by the text the pins name; re-run the check with the pinned standards",
        )
    fresh_report = check(list(paths), settings, catalog)
    _something_checked(fresh_report, list(paths))
    fresh = report_to_dict(fresh_report)
    if path and len(recorded.paths) == 1 and path != recorded.paths[0]:
        _rename_roots(fresh, path.rstrip("/"), recorded.paths[0].rstrip("/"))
    found = differences(recorded.data, fresh)
    if not found:
        sys.stdout.write(f"{report_file}: verified: the report matches the files and standards it names\n")
        raise typer.Exit(0)
    sys.stdout.write(
        f"{report_file}: does NOT match ({len(found)} difference{'s' if len(found) != 1 else ''}):\n"
    )
    for line in found:
        sys.stdout.write(f"  - {line}\n")
    raise typer.Exit(1)


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


class InitKind(str, Enum):
    data_manifest = "data-manifest"
    retention_policy = "retention-policy"
    openapi = "openapi"
    compliance_report = "compliance-report"
    submission = "submission"


@app.command("init")
@guarded
def init_command(
    kind: Annotated[
        InitKind,
        typer.Argument(
            help="data-manifest, retention-policy, openapi, submission (those three) or compliance-report."
        ),
    ],
    directory: Annotated[Path, typer.Argument(help="Folder to write into (created if needed).")] = Path(),
    force: Annotated[bool, typer.Option(help="Overwrite existing files.")] = False,
    schemas: Annotated[
        Path | None,
        typer.Option(
            "--schemas",
            help="Folder for the schemas the templates' editor modelines point at [default: DIR/.ocp-schemas].",
        ),
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    """Write commented templates to start from. Exit 0 success, 2 error (e.g. a file exists).

    'ocp-check check' reports every TODO left in a template as still to fill in. Each template
    starts with a yaml-language-server modeline pointing at its JSON Schema, written to
    --schemas (a hidden folder inside DIR by default, which 'check' does not scan).
    """
    from ocp_check.model import DocumentKind

    catalog = _catalog(standards_path)
    kinds = (
        [DocumentKind.DATA_MANIFEST, DocumentKind.RETENTION_POLICY, DocumentKind.OPENAPI]
        if kind is InitKind.submission
        else [DocumentKind(kind.value)]
    )
    planned = []
    for doc_kind in kinds:
        # The default version; for a kind that has only drafts (the compliance report), the
        # newest draft, whose template declares it by name.
        std = catalog.newest_for_kind(doc_kind) or catalog.newest_draft_for_kind(doc_kind)
        if std is None:
            raise UsageError(f"no standard for {doc_kind.value} documents")
        template = std.directory / "templates" / f"{doc_kind.value}.yaml"
        if not template.is_file():
            raise UsageError(f"{std.ref} ships no template for {doc_kind.value}")
        target = directory / f"{doc_kind.value}.yaml"
        if target.exists() and not force:
            raise UsageError(f"{target} already exists (use --force to overwrite)")
        planned.append((template, target, std))
    _write_templates(planned, directory, schemas if schemas is not None else directory / ".ocp-schemas")
    sys.stdout.write(f"next: fill in every TODO, then run: ocp-check check {directory}\n")


def _write_templates(planned: list[tuple[Path, Path, Any]], directory: Path, schemas: Path) -> None:
    """Write each template with a modeline, and the schema it points at."""
    import json as jsonlib

    from ocp_check.detect import detect
    from ocp_check.editor import document_schema_name, relative_schema_path, with_modeline
    from ocp_check.loader import load_path
    from ocp_check.output import write_output

    directory.mkdir(parents=True, exist_ok=True)
    schemas.mkdir(parents=True, exist_ok=True)
    for template, target, std in planned:
        key = detect(load_path(template, str(template)).data).schema_key
        key = key if key in std.schemas else min(std.schemas)  # the OpenAPI version it declares
        schema = schemas / document_schema_name(std, key)
        write_output(schema, jsonlib.dumps(std.schemas[key], indent=2, ensure_ascii=False) + "\n")
        sys.stdout.write(f"wrote {schema}\n")
        write_output(target, with_modeline(template.read_text("utf-8"), relative_schema_path(target, schema)))
        sys.stdout.write(f"wrote {target}\n")


schema_app = typer.Typer(help="The JSON Schemas of the documents, for editors.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")


@schema_app.command("export")
@guarded
def schema_export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the schemas into (created if needed).")],
    standard: Annotated[
        list[str] | None,
        typer.Option(
            "--standard", "-s", help="Only these standard versions [default: the default version of each]."
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="https:// URL the folder will be published at, for the catalog [default: file: URLs].",
        ),
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    """Write the JSON Schemas for editors, and a catalog mapping file names to them. Exit 0, or 2.

    Each standard's document schema as ID-VERSION.schema.json; the schemas of city profiles,
    waivers files and the project configuration as ocp-check-*.schema.json; catalog.json in
    SchemaStore's catalog format.
    """
    import json as jsonlib

    from ocp_check.editor import CATALOG_NAME, catalog, check_base_url, document_schemas, tool_schemas
    from ocp_check.explain import selected_standards
    from ocp_check.output import write_output

    check_base_url(base_url)
    files = [*document_schemas(selected_standards(_catalog(standards_path), standard or [])), *tool_schemas()]
    directory.mkdir(parents=True, exist_ok=True)
    for item in files:
        write_output(directory / item.file_name, item.text())
        sys.stdout.write(f"{directory / item.file_name}\n")
    entries = catalog(files, directory, base_url)
    write_output(directory / CATALOG_NAME, jsonlib.dumps(entries, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.write(f"{directory / CATALOG_NAME}\n")


waivers_app = typer.Typer(help="Work with waivers files (accepted deviations).", no_args_is_help=True)
app.add_typer(waivers_app, name="waivers")


@waivers_app.command("validate")
@guarded
def waivers_validate(
    file: Annotated[Path, typer.Argument(help="A waivers file (YAML or JSON).")],
    today: Annotated[
        str | None, typer.Option(help="Date used to report expired waivers (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Validate a waivers file and list its waivers. Exit 0 valid, 1 valid but with expired waivers, 2 invalid."""
    import datetime as dt

    from ocp_check.profiles import load_city_waivers

    if not file.exists():
        raise UsageError(f"{file}: no such file")
    items, _ = load_city_waivers([file])
    from ocp_check.settings import environment
    from ocp_check.settings import today as given_today

    day = given_today(today, environment()) or dt.datetime.now(dt.timezone.utc).date()
    expired = 0
    for w in items:
        what = w.rule or w.clause or "?"
        state = "valid"
        if w.expires < day.isoformat():
            state = "EXPIRED"
            expired += 1
        sys.stdout.write(f"{w.id}: {what} — approved by {w.approved_by}, expires {w.expires} [{state}]\n")
    sys.stdout.write(f"{file}: {len(items)} waiver(s), {expired} expired (today is {day.isoformat()})\n")
    raise typer.Exit(1 if expired else 0)


@rules_app.command("list")
@guarded
def rules_list(
    standard: Annotated[
        list[str] | None, typer.Option("--standard", "-s", help="Only this standard version (repeatable).")
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    """List the rules of the default version of each standard (or the ones named). Exit code 0, or 2."""
    from ocp_check.explain import list_rules

    sys.stdout.write(list_rules(_catalog(standards_path), standard or []))


@rules_app.command("explain")
@guarded
def rules_explain(
    item: Annotated[str, typer.Argument(help="A rule id (DG-2.3-pd-categories) or a clause id (DG-2.3).")],
    standard: Annotated[
        list[str] | None, typer.Option("--standard", "-s", help="Look in this standard version.")
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    """Explain a rule or clause: requirement, level, sources, rationale, fix, examples. Exit 0, or 2."""
    from ocp_check.explain import explain

    sys.stdout.write(explain(_catalog(standards_path), item, standard or []))


def main() -> None:
    """Console-script entry point."""
    if "--debug" in sys.argv[1:]:
        _STATE["debug"] = True
    app()
