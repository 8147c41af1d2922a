"""The console-script entry point, kept free of heavy imports.

``ocp-check --version`` is called by CI scripts and wrappers constantly; answering it without
importing Typer, Rich or jsonschema keeps it well under 150 ms.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from ocp_check import __version__

        sys.stdout.write(f"ocp-check {__version__}\n")
        return
    from ocp_check.cli import main as cli_main

    cli_main()
