"""What every command shares: the Typer application and its groups, error handling, output.

The only place besides the command modules that prints or exits: errors of the invocation or
of the tool's own inputs are ``OcpCheckError`` and end with exit code 2 and a one-line
message; anything else is an internal error, also exit 2, with a traceback only under
``--debug``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ocp_check import __version__
from ocp_check.errors import ExitCode, OcpCheckError, UsageError
from ocp_check.i18n import _
from ocp_check.signals import Stopped

app = typer.Typer(
    name="ocp-check",
    help=_("Check vendor data manifests, retention policies and OpenAPI descriptions against the "
    "Open City Platform data-governance standards."),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


standards_app = typer.Typer(help=_("List and show the standards this tool knows."), no_args_is_help=True)
app.add_typer(standards_app, name="standards")
rules_app = typer.Typer(help=_("List and explain the rules of the standards."), no_args_is_help=True)
app.add_typer(rules_app, name="rules")
schema_app = typer.Typer(help=_("The JSON Schemas of the documents, for editors."), no_args_is_help=True)
app.add_typer(schema_app, name="schema")
waivers_app = typer.Typer(help=_("Work with waivers files (accepted deviations)."), no_args_is_help=True)
app.add_typer(waivers_app, name="waivers")
cache_app = typer.Typer(help=_("The result cache of 'check'."), no_args_is_help=True)
app.add_typer(cache_app, name="cache")


_STATE: dict[str, Any] = {"debug": False}


F = TypeVar("F", bound=Callable[..., Any])


def say(message: str) -> None:
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
            say(_("error: {message}", message=err.message))
            if err.hint:
                say(_("hint: {hint}", hint=err.hint))
            if _STATE["debug"]:
                traceback.print_exc()
            raise typer.Exit(ExitCode.ERROR) from None
        except KeyboardInterrupt:
            say(_("interrupted"))
            raise typer.Exit(130) from None
        except Stopped as stop:  # SIGTERM, SIGINT, SIGHUP: every cleanup has run on the way here
            say(stop.word)
            raise typer.Exit(stop.exit_code) from None
        except BrokenPipeError:  # the reader went away (``| head``): nothing left to say
            quiet_stdout()
            raise typer.Exit(0) from None
        except OSError as err:
            # Reading vendor files never gets here (those are findings); what is left is a
            # path the user named for the tool's own use: a report, a folder to write into.
            if _STATE["debug"]:
                traceback.print_exc()
            reason = err.strerror or str(err)
            if err.filename:
                say(_("error: {path}: {reason}", path=err.filename, reason=reason))
            else:
                say(_("error: {message}", message=reason))
            raise typer.Exit(ExitCode.ERROR) from None
        except Exception as err:  # the last line of defence: never a bare traceback
            if _STATE["debug"]:
                traceback.print_exc()
            say(_("internal error: {kind}: {detail}", kind=type(err).__name__, detail=err))
            say(_("hint: run again with --debug for a traceback, and report it"))
            raise typer.Exit(ExitCode.ERROR) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"ocp-check {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version and exit."))
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help=_("Show tracebacks for internal errors."))] = False,
) -> None:
    """Check vendor documents against the Open City Platform data-governance standards.

    Exit codes: 0 conformant, 1 nonconformant, 2 usage or tool error.
    """
    _STATE["debug"] = debug


def open_catalog(paths: list[Path] | None) -> Any:
    """The standards: built in, the user's, ``--standards-path`` and the project configuration's."""
    from ocp_check.catalog import Catalog
    from ocp_check.config import find_config

    return Catalog([*(paths or []), *find_config(None, Path.cwd()).standards_path])


#: ``--standards-path`` of the commands that read standards without running a check.
StandardsPathOption = Annotated[
    list[Path] | None, typer.Option("--standards-path", help=_("Extra folder of standards."))
]


def parse_format(spec: str, known: list[str]) -> tuple[str, str | None]:
    name, sep, dest = spec.partition(":")
    if name not in known:
        raise UsageError(_("unknown format {name}", name=repr(name)), hint=_("formats: {list}", list=", ".join(known)))
    if sep and not dest:
        raise UsageError(
            _("no path after '{name}:'", name=name),
            hint=_("write --format {name}:PATH, or --format {name} for standard output", name=name),
        )
    return name, (dest if sep else None)


def destinations(
    specs: list[str] | tuple[str, ...], output: Path | None, known: list[str]
) -> list[tuple[str, str | None]]:
    """Each report's format and destination (None: standard output), the same way for every
    command that writes reports: ``--format FORMAT[:PATH]`` (repeatable), or ``--output PATH``
    for the one format given. Unusable destinations are refused before any work is done."""
    formats = [parse_format(spec, known) for spec in specs]
    if output is not None:
        if len(formats) != 1 or formats[0][1] is not None:
            raise UsageError(_("--output takes one format; use --format FORMAT:PATH for several"))
        formats = [(formats[0][0], str(output))]
    check_destinations(formats)
    return formats


def check_destinations(formats: list[tuple[str, str | None]]) -> None:
    """Refuse unusable report paths before any work is done, not after a long run."""
    from ocp_check.output import destination_is_stream

    if sum(1 for _, dest in formats if dest is None) > 1:
        raise UsageError(_("only one format can go to standard output; give the others a :PATH"))
    seen: dict[str, str] = {}
    for name, dest in formats:
        if dest is None:
            continue
        path = Path(dest)
        if path.is_dir():
            raise UsageError(_("{path} is a folder; give the {format} report a file name", path=dest, format=name))
        parent = path.parent
        if not parent.is_dir():
            raise UsageError(_("cannot write {path}: the folder {folder} does not exist", path=dest, folder=parent))
        destination_is_stream(path)  # a link, block device or socket is refused now, not after the run
        key = os.path.realpath(path)
        if key in seen:
            raise UsageError(_("the {first} and {second} reports would both be written to {path}", first=seen[key], second=name, path=dest))
        seen[key] = name


def write_stdout(pieces: Iterable[str]) -> None:
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
        quiet_stdout()
    except OSError as err:
        quiet_stdout()
        raise OutputError(_("cannot write the report to standard output: {reason}", reason=err.strerror or err)) from None


def quiet_stdout() -> None:
    """Point stdout at the null device, so flushing at exit cannot fail on a closed pipe."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
