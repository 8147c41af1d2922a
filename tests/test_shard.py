"""``check --shard I/N`` and ``merge``: the parts of a run, joined, are the whole run byte for byte."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ocp_check.grouping import SubmissionTask
from ocp_check.render import FORMATS
from ocp_check.scan import Candidate
from ocp_check.shard import Shard, parse_shard, place, units
from tests.conftest import EXAMPLE_BID, REPO, Result

BIDS = REPO / "examples" / "bids"
TODAY = "2026-12-01"


def _parts(run: Callable[..., Result], tmp_path: Path, count: int, *args: str) -> list[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(1, count + 1):
        out = tmp_path / f"part-{index}-of-{count}.json"
        result = run("check", *args, "--shard", f"{index}/{count}", "-f", f"json:{out}", "-q", "--no-cache")
        assert result.exit_code in (0, 1), result.stderr
        paths.append(str(out))
    return paths


@pytest.mark.parametrize("count", [1, 3, 9])
def test_merged_parts_are_the_whole_run_in_json(
    run: Callable[..., Result], tmp_path: Path, count: int
) -> None:
    args = (str(BIDS), "--today", TODAY)
    whole = run("check", *args, "-f", "json", "--no-cache")
    parts = _parts(run, tmp_path, count, *args)
    merged = run("merge", *parts)
    assert merged.exit_code == whole.exit_code == 1
    assert merged.stdout == whole.stdout
    merged.json()  # valid against the report schema


def test_merged_report_renders_as_the_whole_run_in_every_format(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    waivers = str(REPO / "examples" / "waivers" / "harbourview-city-waivers.yaml")
    args = (str(BIDS), "--today", TODAY, "--waivers", waivers)
    parts = _parts(run, tmp_path, 3, *args)
    for name in FORMATS:
        whole = tmp_path / f"whole.{name}"
        joined = tmp_path / f"merged.{name}"
        assert run("check", *args, "--no-cache", "-f", f"{name}:{whole}", "-q").exit_code == 1
        assert run("merge", *parts, "-f", f"{name}:{joined}", "-q").exit_code == 1
        assert joined.read_bytes() == whole.read_bytes(), name


def test_verify_accepts_the_merged_report_and_each_part(run: Callable[..., Result], tmp_path: Path) -> None:
    parts = _parts(run, tmp_path, 2, str(BIDS))
    merged = tmp_path / "merged.json"
    assert run("merge", *parts, "-o", str(merged), "-q").exit_code == 1
    assert "shard" not in json.loads(merged.read_text())
    assert run("verify", str(merged)).exit_code == 0
    for part in parts:
        assert json.loads(Path(part).read_text())["options"]["shard"]
        verified = run("verify", part)
        assert verified.exit_code == 0, verified.stdout


def test_the_parts_of_a_french_run_merge_into_the_french_report(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    """merge renders in the language the parts record, whatever its own --lang says."""
    args = (str(BIDS), "--today", TODAY, "--lang", "fr")
    parts = _parts(run, tmp_path, 2, *args)
    for name in ("json", "markdown", "sarif", "text"):
        whole = tmp_path / f"whole.{name}"
        joined = tmp_path / f"merged.{name}"
        assert run("check", *args, "--no-cache", "-f", f"{name}:{whole}", "-q").exit_code == 1
        assert run("merge", *parts, "-f", f"{name}:{joined}", "-q").exit_code == 1
        assert joined.read_bytes() == whole.read_bytes(), name
    assert json.loads((tmp_path / "merged.json").read_text())["options"]["language"] == "fr"
    assert run("verify", str(tmp_path / "merged.json")).exit_code == 0


def test_two_versions_of_a_standard_merge(run: Callable[..., Result], tmp_path: Path) -> None:
    args = (str(BIDS), "-s", "ocp-data-governance@1.0", "-s", "ocp-data-governance@1.1")
    whole = run("check", *args, "-f", "json", "--no-cache")
    assert run("merge", *_parts(run, tmp_path, 3, *args)).stdout == whole.stdout


def test_each_document_merge(run: Callable[..., Result], tmp_path: Path) -> None:
    args = (str(REPO / "standards" / "_examples"), "--each")
    whole = run("check", *args, "-f", "json", "--no-cache")
    assert run("merge", *_parts(run, tmp_path, 4, *args)).stdout == whole.stdout


def _bids_with_folders_of_no_document(tmp_path: Path, referenced: bool) -> Path:
    """Bids beside a folder of broken files and a shared models folder (which the first bid
    reaches by $ref when ``referenced``): their fate depends on the other bids' results."""
    root = tmp_path / "bids"
    for name in ("alpha", "beta", "gamma"):
        shutil.copytree(EXAMPLE_BID, root / name)
    (root / "broken").mkdir()
    (root / "broken" / "notes.yaml").write_text("a: [unclosed\n")
    (root / "shared").mkdir()
    (root / "shared" / "trip.yaml").write_text((EXAMPLE_BID / "models" / "trip.yaml").read_text())
    api = root / "alpha" / "openapi.yaml"
    target = "../shared/trip.yaml#/Trip" if referenced else "models/trip.yaml#/Trip"
    api.write_text(api.read_text().replace("'models/trip.yaml#/Trip'", f"'{target}'"))
    for name in ("beta", "gamma"):
        if not referenced:  # no $ref at all in the root: the folders can be parts of their own
            for path in (root / name).rglob("*.yaml"):
                path.write_text(path.read_text().replace("$ref", "x-ref"))
    if not referenced:
        (root / "alpha" / "openapi.yaml").write_text(api.read_text().replace("$ref", "x-ref"))
    return root


@pytest.mark.parametrize("referenced", [True, False])
def test_folders_of_no_document_merge(run: Callable[..., Result], tmp_path: Path, referenced: bool) -> None:
    root = _bids_with_folders_of_no_document(tmp_path, referenced)
    whole = run("check", str(root), "-f", "json", "--no-cache")
    names = [s["name"] for s in json.loads(whole.stdout)["submissions"]]
    assert any(n.endswith("broken") for n in names)
    assert any(n.endswith("shared") for n in names) is not referenced
    for count in (2, 4):
        merged = run("merge", *_parts(run, tmp_path / str(count), count, str(root)))
        assert merged.stdout == whole.stdout, count


def _task(tmp_path: Path, name: str, size: int, documentless: bool = False) -> SubmissionTask:
    folder = tmp_path / name
    folder.mkdir(parents=True)
    (folder / "doc.yaml").write_bytes(b"x" * size)
    return SubmissionTask(
        name=name,
        root=tmp_path,
        root_display=".",
        candidates=[Candidate(folder / "doc.yaml", f"{name}/doc.yaml")],
        documentless=documentless,
    )


def test_the_plan_is_balanced_by_size_and_stable(tmp_path: Path) -> None:
    rng = random.Random(7)
    tasks = [_task(tmp_path, f"s{i:03d}", rng.randint(100, 20_000)) for i in range(60)]
    for count in (1, 2, 3, 5):
        placements = [place(tasks, Shard(i, count), 10**6) for i in range(1, count + 1)]
        every = sorted(p for placement in placements for p in placement.positions)
        assert every == list(range(len(tasks)))  # each submission in exactly one part
        assert len({p.plan for p in placements}) == 1
        loads = [sum(tasks[i].candidates[0].path.stat().st_size for i in p.positions) for p in placements]
        assert max(loads) - min(loads) <= 20_000  # within the largest submission
        shuffled = tasks[:]
        rng.shuffle(shuffled)
        for index in range(1, count + 1):
            again = place(shuffled, Shard(index, count), 10**6)
            assert sorted(t.name for t in again.tasks) == sorted(t.name for t in placements[index - 1].tasks)


def test_a_folder_of_no_document_is_its_own_unit_only_when_nothing_can_reach_it(tmp_path: Path) -> None:
    tasks = [
        _task(tmp_path, "a", 10),
        _task(tmp_path, "b", 10),
        _task(tmp_path, "models", 10, documentless=True),
    ]
    assert sorted(map(sorted, units(tasks, 10**6))) == [[0], [1], [2]]
    tasks[1].candidates[0].path.write_text("$ref: '../models/doc.yaml'\n")
    assert units(tasks, 10**6) == [[0, 1, 2]]
    tasks[1].candidates[0].path.write_text('"\\u0024ref": x\n')  # an escaped $ref counts too
    assert units(tasks, 10**6) == [[0, 1, 2]]


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0", "-1/2", ""])
def test_a_bad_shard_is_a_usage_error(run: Callable[..., Result], text: str) -> None:
    with pytest.raises(Exception, match="--shard"):
        parse_shard(text)
    result = run("check", str(EXAMPLE_BID), "--shard", text)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "--shard" in result.stderr


def _edit(path: str, change: Callable[[dict], None], out: Path) -> str:
    data = json.loads(Path(path).read_text())
    change(data)
    out.write_text(json.dumps(data))
    return str(out)


def test_merge_refuses_what_is_not_every_part_of_one_run(run: Callable[..., Result], tmp_path: Path) -> None:
    parts = _parts(run, tmp_path, 3, str(BIDS))
    other = _parts(run, tmp_path / "other", 3, str(BIDS), "--no-snippets")
    whole = tmp_path / "whole.json"
    run("check", str(BIDS), "-f", f"json:{whole}", "-q", "--no-cache")

    def version(d: dict) -> None:
        d["tool"]["version"] = "9.9.9"

    def content(d: dict) -> None:
        d["standards"][0]["sha256"] = "0" * 64

    def plan(d: dict) -> None:
        d["shard"]["plan"] = "1" * 64

    cases = {
        "overlap": [parts[0], parts[1], parts[1], parts[2]],
        "missing": parts[:2],
        "options": [parts[0], other[1], parts[2]],
        "version": [_edit(parts[0], version, tmp_path / "v.json"), parts[1], parts[2]],
        "standards": [_edit(parts[0], content, tmp_path / "s.json"), parts[1], parts[2]],
        "plan": [_edit(parts[0], plan, tmp_path / "p.json"), parts[1], parts[2]],
        "unsharded": [str(whole), *parts],
        "not json": [str(REPO / "README.md")],
    }
    for why, given in cases.items():
        result = run("merge", *given)
        assert result.exit_code == 2, why
        assert len(result.stderr.strip().splitlines()) == 1, (why, result.stderr)
        assert result.stdout == "", why


def test_an_empty_part_is_no_error_but_an_empty_run_is(run: Callable[..., Result], tmp_path: Path) -> None:
    empty_part = run("check", str(EXAMPLE_BID), "--shard", "2/2", "-f", "json", "--no-cache")
    assert empty_part.exit_code == 0
    assert empty_part.json()["submissions"] == []
    (tmp_path / "nothing").mkdir()
    assert run("check", str(tmp_path / "nothing"), "--shard", "1/2").exit_code == 2
