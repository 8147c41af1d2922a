"""The command line. The only package that reads argv, prints, or exits.

Commands parse their options into settings, call the pure core (``engine.check`` and
friends), hand the report to a renderer and write the result. One module per group of
commands: ``run`` (check, compare, verify, merge), ``standards`` (standards …, rules …),
``authoring`` (init, schema export, waivers validate), ``cache`` (cache dir, cache clean);
``common`` holds the application, error handling and output.
"""

from __future__ import annotations

import sys

from ocp_check.cli import authoring, cache, run, standards
from ocp_check.cli.common import _STATE, app
from ocp_check.cli.frame import localize
from ocp_check.cli.language import add_language_option
from ocp_check.i18n import _

# The commands, in the order --help lists them (the groups follow, registered in common.py).
app.command("check", help=_("Check submissions and print a conformance report.\n\nExit codes: 0 conformant (nothing at or above --fail-on), 1 nonconformant, 2 usage or tool error."))(run.check_command)
app.command("compare", help=_("One matrix of clause × bid, with each bid's verdict and counts. Exit 0 success, 2 error."))(run.compare_command)
app.command("verify", help=_("Re-run the check a report records and compare the whole report.\n\nExit codes: 0 the report matches the files, 1 it does not (every difference is listed), 2 error."))(run.verify_command)
app.command("merge", help=_("Join the JSON reports of the parts of a sharded run into the report of the whole run.\n\nExit codes: 0 conformant, 1 nonconformant (as the whole run would end), 2 the reports are not every part of one run, or another error."))(run.merge_command)
app.command("init", help=_("Write commented templates to start from. Exit 0 success, 2 error (e.g. a file exists).\n\n'ocp-check check' reports every TODO left in a template as still to fill in. Each template starts with a yaml-language-server modeline pointing at its JSON Schema, written to --schemas (a hidden folder inside DIR by default, which 'check' does not scan)."))(authoring.init_command)
# Every command takes --lang (cli/language.py); added last, once every command exists.
add_language_option(app)
# Click's frame words (usage, headings, usage errors) in the run's language (cli/frame.py).
localize(app)

__all__ = ["app", "authoring", "cache", "main", "run", "standards"]


def main() -> None:
    """Console-script entry point."""
    if "--debug" in sys.argv[1:]:
        _STATE["debug"] = True
    app()
