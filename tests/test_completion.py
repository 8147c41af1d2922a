"""Shell completion: the values offered, and the scripts in real bash, zsh and fish.

The functions of ``ocp_check/cli/completion.py`` are tested directly; then each shell loads the
script ``ocp-check`` prints for it and completes a command line as a user pressing Tab
would (bash through its completion function, fish through ``complete -C``; zsh completes
only inside its line editor, so the test runs the command its script runs and checks the
script parses and loads under ``compinit``). A shell that is not installed is skipped, and
with ``CI=true`` it fails instead (``.ci/run`` installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ocp_check.cli import completion
from ocp_check.render import FORMATS
from ocp_check.render.matrix import MATRIX_RENDERERS

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_standards_are_offered_by_id_and_version() -> None:
    values = dict(completion.standards("ocp-data-gov"))
    assert "ocp-data-governance" in values
    assert "ocp-data-governance@1.1.0" in values
    assert all(v.startswith("ocp-data-gov") for v in values)
    assert "draft" in values["ocp-data-governance@1.1.0"]
    assert completion.standards("nothing-like-it") == []


def test_formats_are_the_renderers() -> None:
    assert completion.check_formats("") == list(FORMATS)
    assert completion.compare_formats("") == list(MATRIX_RENDERERS)
    assert completion.check_formats("ma") == ["markdown"]
    assert completion.compare_formats("sarif") == []


def test_a_file_after_format_colon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    (tmp_path / "report.json").write_text("{}")
    assert completion.check_formats("json:rep") == ["json:report.json", "json:reports/"]
    assert completion.check_formats("nope:rep") == []


def test_profile_files_and_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "city.yaml").write_text("")
    (tmp_path / "profiles" / "notes.txt").write_text("")
    (tmp_path / "profiles" / ".hidden.yaml").write_text("")
    assert completion.data_files("pro") == ["profiles/"]
    assert completion.data_files("profiles/") == ["profiles/city.yaml"]
    assert completion.data_files("profiles/.") == ["profiles/.hidden.yaml"]
    assert completion.data_files("missing/") == []
    assert completion.data_files(str(tmp_path / "profiles" / "c")) == [
        str(tmp_path / "profiles" / "city.yaml")
    ]


def _shell(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed, and CI=true requires the completion test to run")
        pytest.skip(f"{name} is not installed")
    if not (BIN / "ocp-check").exists():
        pytest.skip("ocp-check is not installed beside this Python")
    return found


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_OCP_CHECK", "_TYPER"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("COLUMNS", None)
    return env


def _script(shell: str) -> str:
    result = subprocess.run(
        [str(BIN / "ocp-check")],
        env={**_env(), "_OCP_CHECK_COMPLETE": f"source_{shell}"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def test_show_completion_prints_the_script_of_the_current_shell() -> None:
    bash = _shell("bash")
    result = subprocess.run(
        [bash, "--norc", "-c", "ocp-check --show-completion"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "complete -o default -F _ocp_check_completion ocp-check" in result.stdout


BASH = """
source "$1"
COMP_WORDS=($2)
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
_ocp_check_completion ocp-check
printf '%s\\n' "${COMPREPLY[@]}"
"""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ocp-check check --standard ocp-data-gov", "ocp-data-governance@1.1.0"),
        ("ocp-check check --format sa", "sarif"),
        ("ocp-check compare -f cs", "csv"),
        ("ocp-check check --profile examples/profiles/ont", "examples/profiles/ontario-municipality.yaml"),
        ("ocp-check check --fail-on wa", "warning"),
        ("ocp-check stan", "standards"),
    ],
)
def test_bash_completes(line: str, expected: str, tmp_path: Path) -> None:
    bash = _shell("bash")
    script = tmp_path / "ocp-check.bash"
    script.write_text(_script("bash"))
    result = subprocess.run(
        [bash, "--norc", "-c", BASH, "test", str(script), line],
        env=_env(),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout.splitlines(), result.stdout


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ocp-check check --standard ocp-data-ret", "ocp-data-retention@1.0.0"),
        ("ocp-check check -f ht", "html"),
        ("ocp-check check --waivers examples/waivers/", "examples/waivers/harbourview-city-waivers.yaml"),
    ],
)
def test_fish_completes(line: str, expected: str, tmp_path: Path) -> None:
    fish = _shell("fish")
    script = tmp_path / "ocp-check.fish"
    script.write_text(_script("fish"))
    result = subprocess.run(
        [fish, "--no-config", "-c", f"source {script}; complete -C '{line}'"],
        env={**_env(), "HOME": str(tmp_path)},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert expected in [row.split("\t")[0] for row in result.stdout.splitlines()], result.stdout


def test_zsh_script_loads_and_its_command_answers(tmp_path: Path) -> None:
    zsh = _shell("zsh")
    script = tmp_path / "_ocp-check"
    script.write_text(_script("zsh"))
    loaded = subprocess.run(
        [
            zsh,
            "-f",
            "-c",
            f"autoload -U compinit && compinit -u -d {tmp_path}/zcompdump && source {script} && echo ok",
        ],
        env={**_env(), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert loaded.returncode == 0 and loaded.stdout.strip() == "ok", loaded.stderr
    # What the script's function runs when Tab is pressed after "--standard ocp-api":
    answer = subprocess.run(
        [str(BIN / "ocp-check")],
        env={
            **_env(),
            "_OCP_CHECK_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": "ocp-check check --standard ocp-api",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert answer.stdout.startswith("_arguments '*: :((")
    assert '"ocp-api-exchange@1.0.0"' in answer.stdout
