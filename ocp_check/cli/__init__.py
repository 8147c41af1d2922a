"""The command line. The only package that reads argv, prints, or exits.

Commands parse their options into settings, call the pure core (``engine.check`` and
friends), hand the report to a renderer and write the result. One module per group of
commands: ``run`` (check, compare, verify), ``standards`` (standards …, rules …),
``authoring`` (init, schema export, waivers validate); ``common`` holds the application,
error handling and output.
"""

from __future__ import annotations

import sys

from ocp_check.cli import authoring, run, standards
from ocp_check.cli.common import _STATE, app
from ocp_check.cli.language import add_language_option

# The commands, in the order --help lists them (the groups follow, registered in common.py).
app.command("check")(run.check_command)
app.command("compare")(run.compare_command)
app.command("verify")(run.verify_command)
app.command("init")(authoring.init_command)
# Every command takes --lang (cli/language.py); added last, once every command exists.
add_language_option(app)

__all__ = ["app", "authoring", "main", "run", "standards"]


def main() -> None:
    """Console-script entry point."""
    if "--debug" in sys.argv[1:]:
        _STATE["debug"] = True
    app()
