"""Renderers: pure functions from a Report to text. Only the CLI writes the text anywhere.

``RENDERERS`` is the one registry; the CLI derives its ``--format`` choices from it, so the
two cannot drift apart.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ocp_check.model import Report


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices that never change the report's content."""

    color: bool = False
    verbose: int = 0
    quiet: bool = False
    # The width the text report wraps in (the terminal's, or COLUMNS); None: no wrapping, as
    # for a file or a pipe, so the text does not depend on who ran the command.
    width: int | None = None
    # Text report only: one line per finding, and at most this many findings listed per
    # submission (the most severe first); neither changes the report or any other format.
    compact: bool = False
    max_findings: int | None = None
    # The exit-code threshold of the run: verdict lines say what the exit code will be and
    # why ("nonconformant under --fail-on warning: 4 warnings"); the report itself is the same.
    fail_on: str = "error"
    # Clause texts of the standards in play, for formats that describe their rules in full
    # (SARIF's fullDescription); (standard ref, clause id) -> text. Empty: titles are used.
    clause_texts: Mapping[tuple[str, str], str] = field(default_factory=dict)
    # The working directory, for formats whose paths are relative to it (SARIF's %SRCROOT%):
    # a root given as an absolute path inside it is written relative to it.
    base_dir: str = ""


Renderer = Callable[[Report, RenderOptions], str]


def _lazy(module: str) -> Renderer:
    """A renderer imported on first use, so ``--version`` and ``--help`` stay fast."""

    def render(report: Report, options: RenderOptions) -> str:
        loaded: Renderer = importlib.import_module(f"ocp_check.render.{module}").render
        return loaded(report, options)

    render.__name__ = f"render_{module}"
    return render


FORMATS = ("text", "json", "html", "sarif", "junit", "markdown", "github", "oscal")
RENDERERS: dict[str, Renderer] = {name: _lazy(name) for name in FORMATS}


def render_chunks(name: str, report: Report, options: RenderOptions) -> Iterable[str]:
    """The text of ``RENDERERS[name]`` in pieces, for writing as it is made: a renderer with a
    ``render_chunks`` of its own (JSON) never holds a large report's whole text at once."""
    module = importlib.import_module(f"ocp_check.render.{name}")
    chunked: Callable[[Report, RenderOptions], Iterable[str]] | None = getattr(module, "render_chunks", None)
    if chunked is not None:
        return chunked(report, options)
    return (RENDERERS[name](report, options),)
