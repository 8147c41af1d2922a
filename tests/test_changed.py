"""``check --changed``: changed files are mapped to their submission folders, each checked once.

A git hook or CI job knows which files changed; the verdict is about bids. Every case here
fails on the behaviour of plain ``check FILE...`` (files named together form one submission of
their own) or on a selection that checks a folder twice, misses the bid of a deleted file, or
wanders into folders a check never scans.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from ocp_check.changed import select_submissions
from tests.conftest import EXAMPLE_BID, REPO

BIDS = REPO / "examples" / "bids"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A repository of bids: two bids, one with a sub-bid and a fragment folder, and clutter."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE_BID, root / "bids" / "northwind")  # has models/ (fragments)
    shutil.copytree(BIDS / "lakeshore-micromobility", root / "bids" / "lakeshore")
    shutil.copytree(BIDS / "panoptic-insights", root / "bids" / "lakeshore" / "lot-2")
    (root / "bids" / "shared").mkdir()
    (root / "bids" / "shared" / "common.yaml").write_text("type: object\n")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
    (root / "mkdocs.yml").write_text("site_name: x\n")
    (root / "notes.md").write_text("# notes\n")
    return root


def select(tree: Path, *paths: str, stop: str = ".") -> tuple[list[str], dict[str, str]]:
    selection = select_submissions(paths, tree / stop, tree)
    return selection.folders, dict(selection.skipped)


def test_a_changed_document_selects_its_bid(tree):
    folders, skipped = select(tree, "bids/northwind/data-manifest.yaml")
    assert folders == ["bids/northwind"] and not skipped


def test_files_of_one_bid_select_it_once_and_fragments_belong_to_their_bid(tree):
    folders, _ = select(
        tree,
        "bids/northwind/data-manifest.yaml",
        "bids/northwind/openapi.yaml",
        "bids/northwind/models/trip.yaml",
        "bids/lakeshore/ocp-waivers.yaml",
    )
    assert folders == ["bids/lakeshore", "bids/northwind"]


def test_a_sub_bid_is_its_own_submission_unless_its_parent_bid_is_checked(tree):
    assert select(tree, "bids/lakeshore/lot-2/openapi.yaml")[0] == ["bids/lakeshore/lot-2"]
    both = select(tree, "bids/lakeshore/lot-2/openapi.yaml", "bids/lakeshore/openapi.yaml")[0]
    assert both == ["bids/lakeshore"]  # checking bids/lakeshore checks lot-2 as well


def test_paths_a_check_would_not_read_are_set_aside_with_the_reason(tree):
    folders, skipped = select(
        tree, ".github/workflows/ci.yml", "notes.md", "mkdocs.yml", "bids/shared/common.yaml"
    )
    assert folders == []
    assert skipped[".github/workflows/ci.yml"] == "in a folder that a check does not scan"
    assert skipped["notes.md"] == "not a .yaml, .yml or .json document"
    assert skipped["mkdocs.yml"].startswith("in no submission")
    assert skipped["bids/shared/common.yaml"].startswith("in no submission")


def test_a_deleted_file_still_selects_its_bid(tree):
    (tree / "bids" / "northwind" / "retention-policy.yaml").unlink()
    shutil.rmtree(tree / "bids" / "northwind" / "models")
    folders, _ = select(tree, "bids/northwind/retention-policy.yaml", "bids/northwind/models/trip.yaml")
    assert folders == ["bids/northwind"]


def test_a_folder_is_checked_as_it_is(tree):
    assert select(tree, "bids")[0] == ["bids"]
    assert select(tree, ".", "bids/northwind/openapi.yaml")[0] == ["."]


def test_the_search_stops_at_the_root(tree):
    (tree / "data-manifest.yaml").write_text("kind: data-manifest\n")
    assert select(tree, "bids/shared/common.yaml")[0] == ["."]
    folders, skipped = select(tree, "bids/shared/common.yaml", stop="bids")
    assert folders == [] and "bids/shared/common.yaml" in skipped


def test_a_symbolic_link_belongs_to_the_folder_it_lies_in(tree):
    link = tree / "bids" / "lakeshore" / "northwind-api.yaml"
    os.symlink(tree / "bids" / "northwind" / "openapi.yaml", link)
    assert select(tree, "bids/lakeshore/northwind-api.yaml")[0] == ["bids/lakeshore"]


def test_absolute_paths_are_shown_relative_to_the_current_folder(tree):
    folders, _ = select(tree, str(tree / "bids" / "northwind" / "openapi.yaml"))
    assert folders == ["bids/northwind"]


# ------------------------------------------------------------------------------------- CLI


def test_check_changed_judges_the_whole_bid_and_records_the_folder(run, tree, monkeypatch, tmp_path):
    monkeypatch.chdir(tree)
    report = tmp_path / "report.json"
    alone = run("check", "bids/northwind/data-manifest.yaml", "--format", "json", "--today", "2026-12-01")
    assert alone.exit_code == 1  # judged alone, the manifest lacks its retention policy and API
    result = run(
        "check",
        "--changed",
        "bids/northwind/data-manifest.yaml",
        "mkdocs.yml",
        "--format",
        f"json:{report}",
        "--today",
        "2026-12-01",
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads(report.read_text())
    assert [s["name"] for s in data["submissions"]] == ["bids/northwind"]
    assert data["options"]["paths"] == ["bids/northwind"]
    assert "not checked: mkdocs.yml: in no submission" in result.stderr
    assert run("verify", str(report)).exit_code == 0


def test_check_changed_quiet_names_nothing_and_an_empty_selection_is_conformant(run, tree, monkeypatch):
    monkeypatch.chdir(tree)
    result = run("check", "--changed", "-q", "mkdocs.yml")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "0 submissions checked" in result.stdout


def test_check_changed_refuses_standard_input(run):
    result = run("check", "--changed", "-", input="kind: data-manifest\n")
    assert result.exit_code == 2 and "standard input" in result.stderr
