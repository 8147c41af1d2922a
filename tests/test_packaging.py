"""The wheel carries the standards: built, inspected, installed elsewhere and used.

This is the only test allowed to reach the package registry (to fetch the build backend).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stdout}\n{result.stderr}")
    (found,) = out.glob("ocp_check-*.whl")
    return found


def test_wheel_contains_the_standards_and_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected_standards = {
        p.relative_to(REPO).as_posix() for p in (REPO / "standards").rglob("*") if p.is_file()
    }
    packaged = {n.removeprefix("ocp_check/") for n in names if n.startswith("ocp_check/standards/")}
    assert packaged == expected_standards
    for name in ("report", "waivers", "profile", "config"):
        assert f"ocp_check/schemas/{name}.schema.json" in names
    assert "ocp_check/py.typed" in names
    # The catalogs are read at run time (ocp_check/i18n.py): the wheel ships the .po itself.
    assert "ocp_check/locale/fr/LC_MESSAGES/ocp_check.po" in names
    assert "ocp_check/locale/ocp_check.pot" in names
    assert not any("__pycache__" in n or n.startswith("tests/") for n in names)


def test_installed_wheel_finds_its_standards_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    listed = subprocess.run(
        [sys.executable, "-m", "ocp_check", "standards", "list"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    for sid in ("ocp-data-governance", "ocp-data-retention", "ocp-api-exchange"):
        assert sid in listed.stdout
    located = subprocess.run(
        [sys.executable, "-c", "import ocp_check.standard_files as s; print(s.builtin_standards_dir())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert located.stdout.strip() == str(target / "ocp_check" / "standards")
