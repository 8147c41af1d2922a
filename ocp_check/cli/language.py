"""``--lang`` on every command of the command line.

The language is chosen before the commands are imported (``entry.py``), so that their help
texts are declared in it. Each command still takes ``--lang`` (it is listed in its help, and
checked): ``add_language_option`` wraps every registered command so that ``--lang LANG`` is
accepted after the command name as well as before it, and installs the language before the
command runs. In-process callers (tests, embedding) that never went through ``entry.py`` get
the same choice: the option, ``OCP_CHECK_LANG``, the project configuration of the working
folder, the locale, English.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from ocp_check import i18n
from ocp_check.errors import UsageError

LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="LANG",
        help=i18n._("Language of messages and reports: en or fr (also OCP_CHECK_LANG)."),
        show_default=False,
    ),
]


def apply_language(value: str | None) -> str:
    """Install the run's language: ``value`` (``--lang``), else what ``entry.py`` chose, else
    the environment, the working folder's configuration and the locale. A language the tool
    does not speak is a usage error (exit 2)."""
    if value is None and i18n.chosen_at_start():
        return i18n.current_language()
    try:
        languages = i18n.resolve_languages(value, os.environ, None if value else _configured())
    except i18n.UnknownLanguage as err:
        raise UsageError(
            i18n._("unknown language '{value}' ({where})", value=err.value, where=err.where),
            hint=i18n._("languages: {list}", list=", ".join(i18n.LANGUAGES)),
        ) from None
    i18n.set_language(languages[0])
    i18n.set_other_languages(languages[1:])
    return languages[0]


def _configured() -> str | None:
    from ocp_check.config import find_config

    try:
        value = getattr(find_config(None, Path.cwd()), "lang", None)
    except Exception:  # the command reports a bad configuration itself
        return None
    return value if isinstance(value, str) else None


def _with_language(fn: Callable[..., Any], *, root: bool) -> Callable[..., Any]:
    """``fn`` with a ``--lang`` option. The root callback runs before every command and
    chooses the language (from the option or, without it, as ``apply_language`` says); a
    command only changes it when ``--lang`` follows the command's name."""
    signature = inspect.signature(fn, eval_str=True)
    if "lang" in signature.parameters:
        return fn

    @functools.wraps(fn)
    def wrapper(*args: Any, lang: str | None = None, **kwargs: Any) -> Any:
        if root or lang is not None:
            try:
                apply_language(lang)
            except UsageError as err:  # before the command's own error handling: said the same way
                sys.stderr.write(i18n._("error: {message}", message=err.message) + "\n")
                if err.hint:
                    sys.stderr.write(i18n._("hint: {hint}", hint=err.hint) + "\n")
                raise typer.Exit(2) from None
        return fn(*args, **kwargs)

    extra = inspect.Parameter("lang", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=LangOption)
    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), extra]
    )
    wrapper.__annotations__ = {**fn.__annotations__, "lang": LangOption}
    return wrapper


def add_language_option(app: typer.Typer, *, root: bool = True) -> None:
    """Give every command of ``app`` and of its groups, and the root callback, ``--lang``."""
    for command in app.registered_commands:
        if command.callback is not None:
            command.callback = _with_language(command.callback, root=False)
    callback = app.registered_callback
    if root and callback is not None and callback.callback is not None:
        callback.callback = _with_language(callback.callback, root=True)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            add_language_option(group.typer_instance, root=False)
