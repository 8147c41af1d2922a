"""The README's commands work as written (the CI recipes and the documented examples)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


def _recipe_commands() -> list[str]:
    section = README[README.index("## CI recipes") : README.index("## CLI reference")]
    commands = []
    for line in section.splitlines():
        m = re.search(r"(ocp-check check [^#\n]*)", line)
        if m:
            commands.append(m.group(1).strip())
    return commands


def test_quick_start_is_two_commands_that_create_their_venv():
    section = README[README.index("## Quick start") : README.index("## Checking submissions")]
    blocks = re.findall(r"```sh\n(.*?)\n```", section, re.S)
    assert len(blocks) == 2
    assert all(b.startswith("python3 -m venv .venv") for b in blocks)
    assert "ocp-check check examples/bids/" in blocks[0]
    assert "pytest" in blocks[1]
    bid = blocks[0].rsplit(" ", 1)[-1]
    assert (REPO / bid).is_dir()


@pytest.mark.parametrize("command", _recipe_commands())
def test_ci_recipe_commands_run_as_written(command, tmp_path):
    bid = tmp_path / "bid"
    shutil.copytree(REPO / "standards" / "_examples" / "northwind-cmi", bid)
    shutil.copytree(bid, tmp_path / "bids" / "northwind")
    args = shlex.split(command)[1:]
    result = subprocess.run(
        [sys.executable, "-m", "ocp_check", *args], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    # The bids are the conformant example: every recipe passes and writes what it names.
    assert result.returncode == 0, result.stdout + result.stderr
    written = [word.split(":", 1)[1] for word in args if ":" in word and not word.startswith("-")]
    if "--output" in args:
        written.append(args[args.index("--output") + 1])
    assert written, command
    for name in written:
        text = (tmp_path / name).read_text()
        if name.endswith(".sarif"):
            assert json.loads(text)["version"] == "2.1.0"
        elif name.endswith(".xml"):
            suites = ET.fromstring(text)
            assert list(suites.iter("testcase")) and not list(suites.iter("failure")), name
        elif name.endswith(".json"):
            assert json.loads(text)["verdict"] == "conformant"
        else:
            assert "conformant" in text.lower()
    if "github" in args:
        assert result.stdout.startswith("ocp-check: conformant: 1 submission checked")
