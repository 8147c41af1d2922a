"""Options are validated at the edge: NaN, infinities, negatives and values beyond what the
tool can honour are usage errors (exit 2, one line) before anything runs; a limit that is
accepted works up to the value given.
"""

from __future__ import annotations

import pytest

from ocp_check import loader

MAX_DEPTH = 999  # the deepest nesting every parser follows (libyaml refuses 1,000 block levels)


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--time-budget", "nan"),
        ("--time-budget", "inf"),
        ("--time-budget", "-inf"),
        ("--time-budget", "-1"),
        ("--time-budget", "0"),
        ("--time-budget", "1e300"),
        ("--max-depth", "0"),
        ("--max-depth", "-5"),
        ("--max-depth", str(MAX_DEPTH + 1)),
        ("--max-depth", "5000"),
        ("--max-file-size", "0"),
        ("--max-file-size", "-1"),
        ("--memory-budget", "-1"),
        ("--memory-budget", str(2**63)),
        ("--jobs", "0"),
        ("--max-findings-per-rule", "0"),
        ("--max-findings-per-rule", "-3"),
        ("--max-findings-per-rule", "100000001"),
        ("--max-findings-per-document", "0"),
        ("--max-findings-per-document", "100000001"),
    ],
)
def test_an_option_out_of_range_is_a_usage_error(run, bid, option, value):
    result = run("check", str(bid), option, value)
    assert result.exit_code == 2
    assert option in _one_line(result.stderr)


def test_the_largest_time_budget_is_accepted(run, bid):
    assert run("check", str(bid), "--time-budget", "604800").exit_code == 0


def _deep_documents(depth: int) -> dict[str, str]:
    return {
        "deep.json": "[" * depth + "]" * depth,
        "flow.yaml": "[" * depth + "]" * depth,
        "block.yaml": "".join(f"{'  ' * i}k{i}:\n" for i in range(depth - 1)) + "  " * (depth - 1) + "v: 1\n",
        "seq.yaml": "".join(f"{'  ' * i}-\n" for i in range(depth - 1)) + "  " * (depth - 1) + "- 1\n",
    }


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
def test_max_depth_works_up_to_its_largest_value(run, tmp_path, monkeypatch, libyaml):
    """Every parser follows nesting as deep as the largest accepted --max-depth; one level more
    is refused with a message that is true."""
    if libyaml and not loader.USE_LIBYAML:
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr(loader, "USE_LIBYAML", libyaml)
    for name, text in _deep_documents(MAX_DEPTH).items():
        (tmp_path / name).write_text(text)
    result = run("check", str(tmp_path), "--max-depth", str(MAX_DEPTH), "--format", "json", "--jobs", "1")
    loads = [f for f in result.json()["submissions"][0]["findings"] if f["rule"] == "load"]
    assert loads == [], [f["message"] for f in loads]
    result = run("check", str(tmp_path), "--max-depth", str(MAX_DEPTH - 1), "--format", "json", "--jobs", "1")
    loads = {f["location"]["file"]: f["message"] for f in result.json()["submissions"][0]["findings"] if f["rule"] == "load"}
    assert sorted(loads) == sorted(_deep_documents(MAX_DEPTH))
    assert all(f"nesting deeper than {MAX_DEPTH - 1} levels" in m for m in loads.values()), loads


def test_a_file_deeper_than_any_parser_is_refused_truthfully(run, tmp_path):
    (tmp_path / "deep.json").write_text("[" * 3001 + "]" * 3001)
    (tmp_path / "deep.yaml").write_text("[" * 3001 + "]" * 3001)
    result = run("check", str(tmp_path), "--max-depth", str(MAX_DEPTH), "--format", "json")
    loads = [f["message"] for f in result.json()["submissions"][0]["findings"] if f["rule"] == "load"]
    assert len(loads) == 2 and all(f"nesting deeper than {MAX_DEPTH} levels" in m for m in loads), loads
