"""The words of the command-line frame in the run's language: help layout and usage errors.

Typer vendors Click without gettext, so Click's own words ("Usage:", "Options:", "Show this
message and exit.", "Error: No such option: …") cannot be translated by a gettext domain.
This module is the one place that reaches into Typer's Click: its ``Group``/``Command``
classes (given to every group and command by ``localize``) use a ``Context`` whose help
formatter writes the frame words through the catalog, and turn the usage errors Click raises
into ones that say themselves through the catalog, built from the error's parts (option name,
parameter, value), never by translating Click's English sentence. In English every line is
the one Click writes, byte for byte (the help snapshots in ``tests/golden/cli`` hold them).

An error Click words in a way this module does not know keeps Click's English message inside
the translated frame; the French snapshots and the language scan of the tests show it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import IO, Any

import typer
import typer.core
from typer._click import exceptions as click_errors

from ocp_check.i18n import N_, _, ngettext

_Formatter: type[Any] = typer.Context.formatter_class

#: Click's section headings, with the colon the formatter adds (French puts a space before it).
_HEADINGS = {
    "Options": N_("Options:"),
    "Arguments": N_("Arguments:"),
    "Commands": N_("Commands:"),
}


#: Typer's own help texts (its ``--help`` and completion options), translated as they are written.
TYPER_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def _marker(item: str) -> str:
    """One of the ``[...]`` notes Typer adds after an option's help."""
    if item == "required":
        return _("required")
    for prefix, message in (("default: ", N_("default: {value}")), ("env var: ", N_("env var: {value}"))):
        if item.startswith(prefix):
            return _(message, value=item[len(prefix) :])
    return item


def _help_row(text: str) -> str:
    """An option's or command's help, then its notes (``  [default: 3; required]``)."""
    body, sep, notes = text.rpartition("  [")
    if not sep or not notes.endswith("]"):
        return _(text) if text else text
    translated = "; ".join(_marker(item) for item in notes[:-1].split("; "))
    return f"{_(body) if body else body}  [{translated}]"


class Formatter(_Formatter):  # type: ignore[misc]
    """Click's help formatter with the frame words (and help texts) from the catalog."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        words = _(_HEADINGS[heading]) if heading in _HEADINGS else f"{heading}:"
        self.write(f"{'':>{self.current_indent}}{words}\n")

    def write_text(self, text: str) -> None:
        super().write_text(_(text) if text else text)

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _help_row(text)) for term, text in rows], col_max, col_spacing)


class Context(typer.Context):
    formatter_class = Formatter


# --------------------------------------------------------------------------- usage errors

_VALUE_MESSAGES = (
    (re.compile(r"(?P<value>'.*') is not one of (?P<choices>.*)\.", re.S), N_("{value} is not one of {choices}.")),
    (re.compile(r"(?P<value>'.*') is not a valid integer\.", re.S), N_("{value} is not a valid integer.")),
    (re.compile(r"(?P<value>'.*') is not a valid float\.", re.S), N_("{value} is not a valid float.")),
)
_REQUIRES = re.compile(r"Option (?P<option>'.*') requires an argument\.", re.S)
_NO_VALUE = re.compile(r"Option (?P<option>'.*') does not take a value\.", re.S)
_NO_COMMAND = re.compile(r"No such command (?P<name>'.*')\.", re.S)
_EXTRA = re.compile(r"Got unexpected extra argument\(s\) \((?P<values>.*)\)", re.S)


def _hint(err: Any) -> str | None:
    if err.param_hint is not None:
        hint: Any = err.param_hint
    elif err.param is not None:
        hint = err.param.get_error_hint(err.ctx)
    else:
        return None
    return hint if isinstance(hint, str) else " / ".join(repr(x) for x in hint)


def _value_message(message: str) -> str:
    for pattern, msgid in _VALUE_MESSAGES:
        if m := pattern.fullmatch(message):
            return _(msgid, **m.groupdict())
    return message


def describe(err: click_errors.UsageError) -> str:
    """The message of a usage error in the run's language (Click's ``format_message``)."""
    if isinstance(err, click_errors.MissingParameter):
        hint = _hint(err)
        extra = err.param.type.get_missing_message(param=err.param, ctx=err.ctx) if err.param else None
        kind = err.param_type or (err.param.param_type_name if err.param else None)
        if hint and not err.message and not extra and kind in ("argument", "option"):
            return _("Missing argument {name}.", name=hint) if kind == "argument" else _(
                "Missing option {name}.", name=hint
            )
        return err.format_message()
    if isinstance(err, click_errors.BadParameter):
        hint = _hint(err)
        if hint is None:
            return err.format_message()
        return _("Invalid value for {option}: {message}", option=hint, message=_value_message(err.message))
    if isinstance(err, click_errors.NoSuchOption):
        if err.message != f"No such option: {err.option_name}":
            return err.format_message()
        said = _("No such option: {option}", option=err.option_name)
        if err.possibilities:
            said += " " + _("(Possible options: {options})", options=", ".join(sorted(err.possibilities)))
        return said
    if m := _REQUIRES.fullmatch(err.message):
        return _("Option {option} requires an argument.", **m.groupdict())
    if m := _NO_VALUE.fullmatch(err.message):
        return _("Option {option} does not take a value.", **m.groupdict())
    if m := _NO_COMMAND.fullmatch(err.message):
        return _("No such command {name}.", **m.groupdict())
    if m := _EXTRA.fullmatch(err.message):
        values = m.group("values")
        return ngettext(
            "Got unexpected extra argument ({values})",
            "Got unexpected extra arguments ({values})",
            len(values.split(" ")),
            values=values,
        )
    if err.message == "Missing command.":
        return _("Missing command.")
    return err.format_message()


class Said(click_errors.UsageError):
    """A usage error that Click shows (usage line, hint, message) in the run's language."""

    def __init__(self, original: click_errors.UsageError) -> None:
        super().__init__(describe(original), original.ctx)
        self.exit_code = original.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        out = file if file is not None else sys.stderr
        if self.ctx is not None:
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = _(
                    "Try '{command} {option}' for help.",
                    command=self.ctx.command_path,
                    option=self.ctx.help_option_names[0],
                )
                hint += "\n"
            out.write(f"{self.ctx.get_usage()}\n{hint}\n")
        out.write(_("Error: {message}", message=self.message) + "\n")


def _said(err: click_errors.UsageError) -> click_errors.UsageError:
    if isinstance(err, (Said, click_errors.NoArgsIsHelpError)):
        return err  # already said, or the help (whose words the formatter translates)
    return Said(err)


class _SaysUsageErrors:
    """What commands and groups share: usage errors said in the run's language (``_said``)
    when the command line is parsed."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent, **extra)  # type: ignore[misc]
        except click_errors.UsageError as err:
            raise _said(err) from None


class Command(_SaysUsageErrors, typer.core.TyperCommand):
    """A command whose help and usage errors are in the run's language."""

    context_class = Context


class Group(_SaysUsageErrors, typer.core.TyperGroup):
    context_class = Context

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """No command after the group's own options (``ocp-check --lang fr``, ``ocp-check
        --debug``) shows the help, as no arguments at all does, rather than "Missing command":
        an option that only sets how the tool speaks is not a request of its own."""
        rest: list[str] = super().parse_args(ctx, args)
        if self.no_args_is_help and not ctx.resilient_parsing and not ctx._protected_args and not ctx.args:
            raise click_errors.NoArgsIsHelpError(ctx)
        return rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except click_errors.UsageError as err:
            raise _said(err) from None


def localize(app: typer.Typer) -> None:
    """Give ``app``, its groups and every command the classes above (unless one has its own)."""
    if app.info.cls is None or isinstance(app.info.cls, typer.models.DefaultPlaceholder):
        app.info.cls = Group
    for command in app.registered_commands:
        if command.cls in (None, typer.core.TyperCommand):
            command.cls = Command
    for group in app.registered_groups:
        if group.cls is None or isinstance(group.cls, typer.models.DefaultPlaceholder):
            group.cls = Group
        if group.typer_instance is not None:
            localize(group.typer_instance)
