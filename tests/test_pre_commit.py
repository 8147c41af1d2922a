"""The pre-commit hooks, run by pre-commit itself on a repository of bids.

pre-commit installs the hooks as it would for a user: it clones the hook repository, builds a
virtual environment and ``pip install``s the package into it (the only network use: the
package registry, for the dependencies), then runs the hook on the files given. The hook
repository is a fresh git repository holding the package's files from this checkout, so the
test needs no git history and exercises the code under test.

``pre-commit try-repo`` (how a user tries hooks before adopting them) builds its environment in
a throw-away store, so it runs once; the other cases use ``pre-commit run`` with the README's
``.pre-commit-config.yaml``, whose environment is built once per module and reused. With
CI=true a missing pre-commit fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

#: What ``pip install`` needs to build and install the package (see pyproject.toml).
PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "ocp_check", "standards")
BIDS = REPO / "examples" / "bids"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "ocp-check tests",
    "GIT_AUTHOR_EMAIL": "tests@ocp-check.invalid",
    "GIT_COMMITTER_NAME": "ocp-check tests",
    "GIT_COMMITTER_EMAIL": "tests@ocp-check.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
}


def _pre_commit() -> list[str]:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("pre-commit is not installed, and CI=true requires this test to run")
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    return [sys.executable, "-m", "pre_commit"]


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, dict[str, str]]]:
    """The hook repository (path and commit) and the environment pre-commit runs in."""
    _pre_commit()
    base = tmp_path_factory.mktemp("pre-commit")
    repo = base / "ocp-check"
    repo.mkdir()
    for name in PACKAGE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "ocp-check under test")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(base / "home"),
        "VIRTUALENV_OVERRIDE_APP_DATA": str(base / "virtualenv"),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
    }
    env.pop("CI", None)  # pre-commit itself needs nothing from CI; the hook must not see it either
    yield repo, _git(repo, "rev-parse", "HEAD"), env


@pytest.fixture
def bids_repo(tmp_path: Path) -> Path:
    """A repository of two bids, one conformant and one not, as a city might keep them."""
    work = tmp_path / "procurement"
    (work / "bids").mkdir(parents=True)
    shutil.copytree(BIDS / "harbourview-sensors", work / "bids" / "harbourview-sensors")
    shutil.copytree(BIDS / "lakeshore-micromobility", work / "bids" / "lakeshore-micromobility")
    (work / "mkdocs.yml").write_text("site_name: Procurement 2026\n")
    _git(work, "init", "-q")
    _git(work, "add", "-A")
    _git(work, "commit", "-q", "-m", "bids")
    return work


def _run(hooks: tuple[Path, str, dict[str, str]], cwd: Path, *args: str) -> tuple[int, str]:
    result = subprocess.run(
        [*_pre_commit(), *args],
        cwd=cwd,
        env=hooks[2],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    return result.returncode, result.stdout + result.stderr


def readme_config() -> dict[str, Any]:
    """The ``.pre-commit-config.yaml`` the README shows."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("## pre-commit") : readme.index("## CI recipes")]
    (block,) = re.findall(r"```yaml\n# \.pre-commit-config\.yaml\n(.*?)```", section, re.S)
    config: dict[str, Any] = yaml.safe_load(block)
    return config


def run_hook(
    hooks: tuple[Path, str, dict[str, str]], cwd: Path, hook: str, *files: str, readme_filter: bool = True
) -> tuple[int, str]:
    """``pre-commit run`` with the README's configuration, pointed at the hook repository."""
    config = readme_config()
    (entry,) = config["repos"]
    entry["repo"], entry["rev"] = str(hooks[0]), hooks[1]
    if not readme_filter:
        del entry["hooks"][0]["files"]
    entry["hooks"].append({"id": "ocp-check-all"})
    (cwd / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), "utf-8")
    return _run(hooks, cwd, "run", hook, "--verbose", "--files", *files)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_try_repo_checks_an_edited_manifest_with_the_rest_of_its_bid(hooks, bids_repo):
    manifest = "bids/harbourview-sensors/data-manifest.yaml"
    (bids_repo / manifest).write_text((bids_repo / manifest).read_text("utf-8") + "# reviewed\n", "utf-8")
    repo, rev, _ = hooks
    code, out = _run(
        hooks, bids_repo, "try-repo", str(repo), "ocp-check", "--ref", rev, "--verbose", "--files", manifest
    )
    assert code == 0, out
    assert "bids/harbourview-sensors  CONFORMANT" in out
    assert "1 submission checked" in out
    # Alone, the same file fails: that is what the hook must not do.
    alone = subprocess.run(
        [sys.executable, "-m", "ocp_check", "check", manifest, "-q"],
        cwd=bids_repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert alone.returncode == 1


def test_the_readme_configuration_fails_a_broken_bid_naming_the_finding(hooks, bids_repo):
    manifest = bids_repo / "bids" / "harbourview-sensors" / "data-manifest.yaml"
    _edit(manifest, "encryption_at_rest: true", "encryption_at_rest: false")
    code, out = run_hook(hooks, bids_repo, "ocp-check", str(manifest.relative_to(bids_repo)))
    assert code == 1, out
    assert "ocp-check (changed submissions)" in out and "Failed" in out
    assert "bids/harbourview-sensors/data-manifest.yaml:" in out
    assert "bids/harbourview-sensors  NONCONFORMANT" in out


def test_each_bid_is_checked_once_and_other_files_are_left_alone(hooks, bids_repo):
    files = [
        "bids/lakeshore-micromobility/data-manifest.yaml",
        "bids/lakeshore-micromobility/openapi.yaml",
        "bids/lakeshore-micromobility/ocp-waivers.yaml",
        "bids/harbourview-sensors/retention-policy.yaml",
    ]
    code, out = run_hook(hooks, bids_repo, "ocp-check", *files)
    assert code == 1, out  # lakeshore is nonconformant as published
    assert "2 submissions checked" in out
    assert out.count("bids/lakeshore-micromobility  NONCONFORMANT") == 1
    assert "bids/harbourview-sensors  CONFORMANT" in out


def test_files_outside_the_bids_are_not_passed_or_not_checked(hooks, bids_repo):
    # The README's `files: ^bids/` keeps mkdocs.yml away from the hook altogether...
    code, out = run_hook(hooks, bids_repo, "ocp-check", "mkdocs.yml")
    assert code == 0, out
    assert "(no files to check)" in out
    # ...and without it the hook names the file as in no submission, and passes.
    code, out = run_hook(hooks, bids_repo, "ocp-check", "mkdocs.yml", readme_filter=False)
    assert code == 0, out
    assert "not checked: mkdocs.yml: in no submission" in out
    assert "0 submissions checked" in out


def test_the_all_hook_checks_every_bid_whatever_changed(hooks, bids_repo):
    code, out = run_hook(hooks, bids_repo, "ocp-check-all", "bids/harbourview-sensors/openapi.yaml")
    assert code == 1, out
    assert "lakeshore-micromobility  NONCONFORMANT" in out
    assert "harbourview-sensors  CONFORMANT" in out
