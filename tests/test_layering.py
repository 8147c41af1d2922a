"""The layers of the package, and a project that stands on its own.

The core is pure (values in, values out): only the command line (``cli/``) talks to the user,
so nothing else imports Typer, and only the command line and the terminal renderer use Rich.
The stages judge; they never render. The Python API (``api.py``) is a top layer beside the
command line: it may render, and nothing in the core imports it. Checked on every import, including those inside
functions (the command line imports lazily to start fast).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "ocp_check"


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), path


def _imports(path: Path) -> set[str]:
    """Every module a file imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _uses(imports: set[str], package: str) -> list[str]:
    return sorted(name for name in imports if name == package or name.startswith(package + "."))


MODULES = list(_modules())


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[name for name, _ in MODULES])
def test_only_the_command_line_imports_typer(name: str, path: Path) -> None:
    if name.startswith("cli/"):
        return
    assert _uses(_imports(path), "typer") == []


#: The terminal renderer: the text report and its closing table of submissions.
TERMINAL_RENDERER = ("render/text.py", "render/summary.py")


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[name for name, _ in MODULES])
def test_only_the_command_line_and_the_terminal_renderer_import_rich(name: str, path: Path) -> None:
    if name.startswith("cli/") or name in TERMINAL_RENDERER:
        return
    assert _uses(_imports(path), "rich") == []


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[name for name, _ in MODULES])
def test_the_core_never_reaches_up_to_the_command_line_the_api_or_the_renderers(name: str, path: Path) -> None:
    imports = _imports(path)
    if not name.startswith(("cli/", "entry.py")):
        assert _uses(imports, "ocp_check.cli") == []
    if not name.startswith(("cli/", "render/", "api.py")):
        used = _uses(imports, "ocp_check.render")
        if name == "codec.py":
            # Reads back the canonical JSON form (the result cache, merge), which only the
            # JSON renderer defines: that one module, nothing that prints or lays out text.
            used = [u for u in used if u != "ocp_check.render.json" and not u.startswith("ocp_check.render.json.")]
        assert used == []
    if not name.startswith(("cli/", "api.py", "__init__.py")):
        # The Python API is a top layer beside the command line: the core never calls it.
        assert _uses(imports, "ocp_check.api") == []


def test_the_stages_are_there_to_check() -> None:
    """The checks above would pass vacuously if the package moved."""
    names = {name for name, _ in MODULES}
    assert {"stages/__init__.py", "stages/statuses.py", "cli/run.py", "api.py", *TERMINAL_RENDERER} <= names


#: Design notes that are not part of the repository: the project cites docs/ instead.
OUTSIDE = re.compile(r"\b(?:RELIABILITY|CONVENTIONS|PERFORMANCE|STANDARDS-BRIEF)\.md\b")


def test_the_project_cites_only_its_own_documents() -> None:
    places = [*PACKAGE.rglob("*.py"), *(REPO / "tests").rglob("*.py"), *(REPO / "bench").glob("*.py")]
    places += [*(REPO / "docs").rglob("*.md"), REPO / "README.md"]
    cited = [
        f"{path.relative_to(REPO)}:{number}"
        for path in places
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if OUTSIDE.search(line) and path != Path(__file__)
    ]
    assert cited == []
