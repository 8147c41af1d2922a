"""What is public: every name documented, the root and ``ocp_check.api`` the same, and these
tests using nothing else (they are how a user of the package sees it)."""

from __future__ import annotations

import ast
import inspect
import typing
from pathlib import Path

import ocp_check
import ocp_check.api

HERE = Path(__file__).resolve().parent
PAGE = (HERE.parents[1] / "docs" / "api.md").read_text("utf-8")
PUBLIC = set(ocp_check.api.__all__)


def test_the_package_root_exports_the_api_and_its_version() -> None:
    assert set(ocp_check.__all__) == PUBLIC | {"__version__"}
    for name in PUBLIC:
        assert getattr(ocp_check, name) is getattr(ocp_check.api, name), name


def test_every_public_name_has_a_docstring_of_its_own_and_is_on_the_api_page() -> None:
    for name in sorted(PUBLIC):
        value = getattr(ocp_check.api, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert (value.__doc__ or "").strip(), f"{name} has no docstring"
            if inspect.isclass(value):
                assert "__doc__" in vars(value), f"{name} inherits its docstring"
        assert f"`{name}`" in PAGE, f"{name} is not described in docs/api.md"


def test_public_functions_are_fully_annotated_and_their_annotations_resolve() -> None:
    for name in sorted(PUBLIC):
        value = getattr(ocp_check.api, name)
        if not inspect.isfunction(value):
            continue
        hints = typing.get_type_hints(value)
        parameters = inspect.signature(value).parameters
        assert set(parameters) <= set(hints), f"{name}: unannotated {set(parameters) - set(hints)}"
        assert "return" in hints, f"{name}: no return annotation"


def test_the_package_is_typed() -> None:
    assert (Path(ocp_check.__file__).parent / "py.typed").is_file()


def test_unknown_names_are_attribute_errors() -> None:
    try:
        ocp_check.no_such_name  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError:
        return
    raise AssertionError("ocp_check.no_such_name did not raise")


def _private_uses(path: Path) -> list[str]:
    """Imports of anything but ``ocp_check``/``ocp_check.api`` and their public names, and
    attributes starting with ``_`` read from either."""
    tree = ast.parse(path.read_text("utf-8"))
    aliases = {"ocp_check"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("ocp_check"):
                    if alias.name not in ("ocp_check", "ocp_check.api"):
                        found.append(f"import {alias.name}")
                    aliases.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ocp_check"):
            if node.module not in ("ocp_check", "ocp_check.api"):
                found.append(f"from {node.module}")
            for alias in node.names:
                if alias.name not in PUBLIC and alias.name != "api":
                    found.append(f"from {node.module} import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests"):
            found.append(f"from {node.module}")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in aliases:
                found.append(f"attribute {node.attr}")
    return found


def test_these_tests_use_only_public_names() -> None:
    files = sorted(HERE.glob("*.py"))
    assert len(files) >= 6
    used = {f.name: _private_uses(f) for f in files}
    assert {name: found for name, found in used.items() if found} == {}


def test_the_private_use_detector_detects(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import ocp_check\nfrom ocp_check.engine import check\nfrom ocp_check.api import _run\n"
        "from tests.conftest import run\nocp_check.api._prepare\n"
    )
    assert sorted(_private_uses(sample)) == sorted(
        [
            "from ocp_check.engine",
            "from ocp_check.api import _run",
            "from tests.conftest",
            "attribute _prepare",
        ]
    )


def test_importing_the_package_imports_no_api_until_a_name_is_asked_for() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ocp_check; assert 'ocp_check.api' not in sys.modules; "
        "names = ocp_check.__all__; assert 'ocp_check.api' in sys.modules; "
        "import ocp_check.api as api; assert names == ['__version__', *api.__all__]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_importing_a_submodule_from_the_package_does_not_import_the_api() -> None:
    """``from ocp_check import signals`` first asks the package for the name: the lazy API
    lookup must leave submodules to the import system (``ocp-check --version`` imports only
    a few small modules)."""
    import subprocess
    import sys

    code = (
        "import sys; from ocp_check import signals, i18n; "
        "print(sorted(m for m in sys.modules if m.startswith('ocp_check')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['ocp_check', 'ocp_check.i18n', 'ocp_check.signals']"


def test_no_public_name_is_also_a_submodule() -> None:
    """A public name that is also a submodule's name would be answered by the submodule."""
    import pkgutil

    import ocp_check
    import ocp_check.api as api

    submodules = {m.name for m in pkgutil.iter_modules(ocp_check.__path__)}
    assert not set(api.__all__) & submodules
