"""Renderers: pure functions from a Report to text. Only the CLI writes the text anywhere.

``RENDERERS`` is the one registry; the CLI derives its ``--format`` choices from it, so the
two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ocp_check.model import Report


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices that never change the report's content."""

    color: bool = False
    verbose: int = 0
    quiet: bool = False
    width: int = 100


Renderer = Callable[[Report, RenderOptions], str]


def _json(report: Report, options: RenderOptions) -> str:
    from ocp_check.render.json import render

    return render(report, options)


def _text(report: Report, options: RenderOptions) -> str:
    from ocp_check.render.text import render

    return render(report, options)


def _html(report: Report, options: RenderOptions) -> str:
    from ocp_check.render.html import render

    return render(report, options)


def _sarif(report: Report, options: RenderOptions) -> str:
    from ocp_check.render.sarif import render

    return render(report, options)


def _junit(report: Report, options: RenderOptions) -> str:
    from ocp_check.render.junit import render

    return render(report, options)


def _markdown(report: Report, options: RenderOptions) -> str:
    from ocp_check.render.markdown import render

    return render(report, options)


def _github(report: Report, options: RenderOptions) -> str:
    from ocp_check.render.github import render

    return render(report, options)


RENDERERS: dict[str, Renderer] = {
    "html": _html,
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "junit": _junit,
    "markdown": _markdown,
    "github": _github,
}
