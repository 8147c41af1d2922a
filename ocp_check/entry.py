"""The console-script entry point, kept free of heavy imports.

``ocp-check --version`` is called by CI scripts and wrappers constantly; answering it without
importing Typer, Rich or jsonschema keeps it well under 150 ms.
"""

from __future__ import annotations

import contextlib
import os
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from ocp_check import __version__

        sys.stdout.write(f"ocp-check {__version__}\n")
        return
    from ocp_check.cli import main as cli_main

    try:
        cli_main()
        code = 0
    except SystemExit as done:
        if done.code is not None and not isinstance(done.code, int):
            raise
        code = done.code or 0
    # Everything is written (reports atomically, before this point); skip the interpreter's
    # teardown, which only frees memory the operating system reclaims anyway and costs a
    # noticeable part of a short run after a large one.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (``| head``)
            stream.flush()
    os._exit(code)
