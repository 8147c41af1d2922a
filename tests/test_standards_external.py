"""Standards a city ships itself (``--standards-path``) are validated in full when loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _city_standard(tmp_path: Path) -> Path:
    root = tmp_path / "city-standards"
    target = root / "harbourview-sensors" / "1.0.0"
    shutil.copytree(REPO / "standards" / "ocp-data-retention" / "1.0.0", target)
    meta = target / "standard.yaml"
    meta.write_text(
        meta.read_text()
        .replace("id: ocp-data-retention", "id: harbourview-sensors", 1)
        .replace("status: stable", "status: draft", 1)
    )
    return root


def test_a_valid_city_standard_is_listed(run, tmp_path):
    root = _city_standard(tmp_path)
    result = run("standards", "list", "--standards-path", str(root))
    assert result.exit_code == 0 and "harbourview-sensors" in result.stdout


def test_an_invalid_city_standard_is_exit_2_naming_file_and_line(run, tmp_path, bid):
    root = _city_standard(tmp_path)
    clauses = root / "harbourview-sensors" / "1.0.0" / "clauses.yaml"
    text = clauses.read_text()
    first = text.index("level: MUST")
    clauses.write_text(text[:first] + "level: MAYBE" + text[first + len("level: MUST") :])
    line = text[:first].count("\n") + 1
    result = run("check", str(bid), "--standards-path", str(root), "--standard", "harbourview-sensors@1.0")
    assert result.exit_code == 2
    assert f"clauses.yaml:{line}:" in result.stderr and "MAYBE" in result.stderr


def test_a_city_standard_cannot_shadow_a_published_one(run, tmp_path):
    root = tmp_path / "shadow"
    shutil.copytree(REPO / "standards" / "ocp-data-retention", root / "ocp-data-retention")
    result = run("standards", "list", "--standards-path", str(root))
    assert result.exit_code == 2 and "defined twice" in result.stderr


_RULE = """
  - id: DR-9.9-city-extra
    clause: DR-1.0
    applies_to: retention-policy
    title: A rule added by the city
    assert:
      path: /standard
      {check}
    message: "{message}"
    fix: Fix it.
"""


@pytest.mark.parametrize(
    ("check", "message", "expected"),
    [
        ("frobnicate: 1", "bad", "known checks:"),
        ("present: true", "{detail.__class__}", "unknown placeholder"),
        ("pattern: '(?<=a)b'", "bad", "lookbehind"),
        ("schema: {type: string, pattern: '^(a)\\1$'}", "bad", "unsafe or invalid pattern"),
    ],
    ids=["unknown-check", "bad-template", "unsafe-pattern", "unsafe-schema-pattern"],
)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_stops_with_exit_2_on_a_bad_city_rule_pack(run, tmp_path, bid, check, message, expected, jobs):
    """The tool's own input is broken: exit 2 naming the pack, never a finding on the bid."""
    root = _city_standard(tmp_path)
    pack = root / "harbourview-sensors" / "1.0.0" / "rules" / "retention.yaml"
    pack.write_text(pack.read_text() + _RULE.format(check=check, message=message))
    result = run(
        "check",
        str(bid),
        "--standards-path",
        str(root),
        "--standard",
        "harbourview-sensors@1.0",
        "--jobs",
        jobs,
    )
    assert result.exit_code == 2, result.stdout
    assert "retention.yaml:" in result.stderr and "DR-9.9-city-extra" in result.stderr
    assert expected in result.stderr
