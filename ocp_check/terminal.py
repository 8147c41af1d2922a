"""What the terminal a command runs in asks of its output: colour, width, progress.

Three decisions, each a pure function of the command-line flag, whether the stream is a
terminal and the environment, so the rules can be tested without a terminal and documented
in one place (README, "Terminal output"):

- **Colour** (stdout): ``--color``/``--no-color`` on the command line first; then
  ``FORCE_COLOR`` (https://force-color.org: present and not empty, whatever its value, forces
  colour); then ``NO_COLOR`` (https://no-color.org: present and not empty turns colour off);
  then ``TERM=dumb`` (no colour); otherwise colour exactly when stdout is a terminal.
  FORCE_COLOR is read after NO_COLOR because that is the order of the reference
  implementation force-color.org gives; a flag on the command line overrides both, as
  no-color.org asks of per-invocation options.
- **Width** (stdout): ``COLUMNS`` when it is a positive whole number, else the terminal's
  width when stdout is a terminal, else none: text sent to a file or a pipe is never
  wrapped, so it does not depend on the terminal of whoever ran the command and every
  finding stays greppable on its lines.
- **Progress** (stderr): ``--progress``/``--no-progress`` first; otherwise only when stderr is
  a terminal, ``-q`` was not given, ``TERM`` is not ``dumb`` and no CI system says it runs
  the command (``CI`` set and not ``false``/``0``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO

#: The narrowest width text is laid out in: below it, indentation would leave no room.
MIN_WIDTH = 40
#: The widest: a very wide terminal gains nothing from longer lines.
MAX_WIDTH = 500
#: Tables written to a file or a pipe (no terminal, no COLUMNS) may be this wide: in effect
#: their natural width, so nothing in them wraps either.
TABLE_WIDTH = MAX_WIDTH


def _set(env: Mapping[str, str], name: str) -> bool:
    """Present and not empty: how both conventions read their variable."""
    return bool(env.get(name, ""))


def is_terminal(stream: IO[str] | None) -> bool:
    """Whether ``stream`` is an interactive terminal (False for files, pipes, test captures)."""
    if stream is None:
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # closed, or not a real stream
        return False


def use_color(flag: bool | None, stream_is_terminal: bool, env: Mapping[str, str] | None = None) -> bool:
    """Colour for a stream, by the precedence in the module docstring."""
    env = os.environ if env is None else env
    if flag is not None:
        return flag
    if _set(env, "FORCE_COLOR"):
        return True
    if _set(env, "NO_COLOR"):
        return False
    if env.get("TERM") == "dumb":
        return False
    return stream_is_terminal


def columns_from_env(env: Mapping[str, str] | None = None) -> int | None:
    """``COLUMNS`` as a width, or None when it is unset or not a positive whole number."""
    env = os.environ if env is None else env
    text = env.get("COLUMNS", "").strip()
    if text.isascii() and text.isdigit() and int(text) > 0:
        return clamp_width(int(text))
    return None


def clamp_width(width: int) -> int:
    return max(MIN_WIDTH, min(MAX_WIDTH, width))


def text_width(stream: IO[str] | None, env: Mapping[str, str] | None = None) -> int | None:
    """The width to wrap text in, or None for no wrapping (see the module docstring)."""
    from_env = columns_from_env(env)
    if from_env is not None:
        return from_env
    if not is_terminal(stream):
        return None
    assert stream is not None
    try:
        return clamp_width(os.get_terminal_size(stream.fileno()).columns)
    except (AttributeError, ValueError, OSError):
        return None


def table_width(stream: IO[str] | None, env: Mapping[str, str] | None = None) -> int:
    """The width tables are laid out in: the text width, else a fixed width for files."""
    return text_width(stream, env) or TABLE_WIDTH


def in_ci(env: Mapping[str, str] | None = None) -> bool:
    """A CI system runs the command: GitHub Actions, GitLab CI and others set ``CI``."""
    env = os.environ if env is None else env
    return env.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def show_progress(
    flag: bool | None, quiet: bool, stderr_is_terminal: bool, env: Mapping[str, str] | None = None
) -> bool:
    """Whether to show progress on stderr, by the rules in the module docstring."""
    env = os.environ if env is None else env
    if flag is not None:
        return flag
    if quiet or not stderr_is_terminal or env.get("TERM") == "dumb":
        return False
    return not in_ci(env)
