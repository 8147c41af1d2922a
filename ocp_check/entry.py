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
    code = _choose_language(sys.argv[1:])
    if code:
        return code
    from ocp_check.cli import main as cli_main

    try:
        cli_main()
    except SystemExit as done:
        if done.code is not None and not isinstance(done.code, int):
            raise
        return done.code or 0
    return 0


def _choose_language(argv: list[str]) -> int:
    """Install the language of the run before the commands are imported (their help texts
    are translated when they are declared): ``--lang``, ``OCP_CHECK_LANG``, the project
    configuration's ``lang``, the locale, English. A language the user names and the tool
    does not speak is an invocation error (2), said in the locale's language."""
    from ocp_check import i18n

    try:
        languages = i18n.resolve_languages(i18n.scan_argv(argv), os.environ, _configured_language(argv))
    except i18n.UnknownLanguage as err:
        i18n.set_language(i18n.from_locale(os.environ) or "en")
        sys.stderr.write(i18n._("error: unknown language '{value}' ({where})", value=err.value, where=err.where) + "\n")
        sys.stderr.write(i18n._("hint: languages: {list}", list=", ".join(i18n.LANGUAGES)) + "\n")
        return 2
    except i18n.CatalogError as err:  # pragma: no cover - a damaged installation
        sys.stderr.write(f"error: {err}\n")
        return 2
    i18n.set_language(languages[0])
    i18n.set_other_languages(languages[1:])
    i18n.mark_chosen_at_start()
    return 0


def _configured_language(argv: list[str]) -> str | None:
    """``lang`` of the project configuration, when one is found; its errors are left to the
    command, which reports them with the rest of the configuration."""
    from pathlib import Path

    from ocp_check.config import find_config

    explicit = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--config"), None)
    explicit = explicit or next((a.split("=", 1)[1] for a in argv if a.startswith("--config=")), None)
    try:
        config = find_config(Path(explicit) if explicit else None, Path.cwd())
    except Exception:
        return None
    value = getattr(config, "lang", None)
    return value if isinstance(value, str) else None
