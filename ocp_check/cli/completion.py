"""What the shell completes for ``ocp-check`` (bash, zsh and fish, through Typer).

``ocp-check --install-completion`` adds the completion to the user's shell;
``--show-completion`` prints the script to install by hand. When the shell asks, these
functions give the values an option takes: standard versions (``--standard``), report
formats (``--format``, and the file after ``FORMAT:``), profile and waivers files (YAML or
JSON, and folders on the way to them). An empty answer lets the shell complete file names
itself. Completion must never fail loudly: a standards folder that cannot be read yields
fewer candidates, not an error on the user's command line.
"""

from __future__ import annotations

from pathlib import Path

from ocp_check.render import FORMATS

#: Report formats of ``compare`` (``render/matrix.py``), named here so that completing does
#: not import the renderers.
MATRIX_FORMATS = ("text", "markdown", "csv", "json", "html")
#: The suffixes of the tool's own YAML and JSON inputs.
DATA_SUFFIXES = (".yaml", ".yml", ".json")


def standards(incomplete: str) -> list[tuple[str, str]]:
    """``ID`` and ``ID@VERSION`` of every standard known, with its title."""
    try:
        from ocp_check.catalog import Catalog

        entries = Catalog([]).entries()
    except Exception:  # never break the user's shell over a standards folder
        return []
    out: dict[str, str] = {}
    for entry in entries:
        out.setdefault(entry.ref.id, entry.title)
        out[f"{entry.ref.id}@{entry.ref.version}"] = f"{entry.title} ({entry.status})"
    return [(value, help_text) for value, help_text in out.items() if value.startswith(incomplete)]


def _files(incomplete: str, suffixes: tuple[str, ...]) -> list[str]:
    """Files with one of ``suffixes`` and folders (ending in ``/``) that start with
    ``incomplete``, relative as typed; hidden ones only when a dot is typed."""
    folder, slash, start = incomplete.rpartition("/")
    prefix = folder + slash
    base = Path(prefix or ".")
    try:
        names = sorted(entry.name for entry in base.iterdir())
    except OSError:
        return []
    out = []
    for name in names:
        if not name.startswith(start) or (name.startswith(".") and not start.startswith(".")):
            continue
        path = base / name
        if path.is_dir():
            out.append(f"{prefix}{name}/")
        elif name.endswith(suffixes):
            out.append(f"{prefix}{name}")
    return out


def data_files(incomplete: str) -> list[str]:
    """Profile and waivers files: YAML or JSON files, and the folders that may hold them."""
    return _files(incomplete, DATA_SUFFIXES)


def _formats(incomplete: str, names: tuple[str, ...]) -> list[str]:
    name, colon, path = incomplete.partition(":")
    if colon:  # FORMAT:PATH: any file name after the colon
        if name not in names:
            return []
        return [f"{name}:{candidate}" for candidate in _files(path, ("",))]
    return [n for n in names if n.startswith(incomplete)]


def check_formats(incomplete: str) -> list[str]:
    """The formats of ``check --format``."""
    return _formats(incomplete, FORMATS)


def compare_formats(incomplete: str) -> list[str]:
    """The formats of ``compare --format``."""
    return _formats(incomplete, MATRIX_FORMATS)
