"""The console-script entry point, kept free of heavy imports.

``ocp-check --version`` is called by CI scripts and wrappers constantly; answering it without
importing Typer, Rich or jsonschema keeps it well under 150 ms.

Signal handling is installed before anything else (see ``signals.py``), so that a SIGTERM or
Ctrl-C that arrives while the command is still importing also ends in one line, not in a
traceback or a silent death.
"""

from __future__ import annotations

import contextlib
import os
import sys

from ocp_check import signals


def main() -> None:
    signals.install()
    try:
        code = _run()
    except signals.Stopped as stop:  # outside the command's own handler (imports, exit)
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"{stop.word}\n")
            sys.stderr.flush()
        os._exit(stop.exit_code)
    except KeyboardInterrupt:  # pragma: no cover - SIGINT is handled above unless ignored
        os._exit(130)
    # Everything is written (reports atomically, before this point); skip the interpreter's
    # teardown, which only frees memory the operating system reclaims anyway and costs a
    # noticeable part of a short run after a large one.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (``| head``)
            stream.flush()
    os._exit(code)


def _run() -> int:
    if sys.argv[1:] == ["--version"]:
        from ocp_check import __version__

        sys.stdout.write(f"ocp-check {__version__}\n")
        return 0
    from ocp_check.cli import main as cli_main

    try:
        cli_main()
    except SystemExit as done:
        if done.code is not None and not isinstance(done.code, int):
            raise
        return done.code or 0
    return 0
