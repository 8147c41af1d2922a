"""Every input accounted for: no bid, and no file, vanishes from a report.

A folder of bids holding one good bid, one bid whose only file is a JSON file committed with
git merge-conflict markers, and one bid holding a Fides manifest printed one submission,
"1 conformant", exit 0 on the code before this change: the broken and the foreign bids were
dropped as folders "without documents". Each now is a nonconformant submission in every
format of ``check`` and ``compare``; every candidate file ends in exactly one place of the
report (a document, a fragment reached by ``$ref``, or an unrecognised file with its reason),
and the run summary counts them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from ocp_check.scan import scan_paths
from tests.conftest import EXAMPLE_BID, requires_shared

FIXTURES = Path(__file__).parent / "fixtures" / "foreign"
CONFLICTED = """{
<<<<<<< HEAD
  "openapi": "3.1.0",
=======
  "openapi": "3.0.3",
>>>>>>> vendor-update
  "info": {"title": "Counts", "version": "1"}
}
"""


@pytest.fixture
def bids(tmp_path: Path) -> Path:
    """good/ (the conformant example), broken/ (a merge conflict), foreign/ (a Fides file)."""
    root = tmp_path / "bids"
    shutil.copytree(EXAMPLE_BID, root / "good")
    (root / "broken").mkdir()
    (root / "broken" / "api.json").write_text(CONFLICTED.replace('"openapi"', '"open-api"'))
    (root / "foreign").mkdir()
    shutil.copy(FIXTURES / "fides-system.yml", root / "foreign" / "fides.yml")
    return root


def _names(report: dict[str, Any]) -> list[str]:
    return [s["name"].rsplit("/", 1)[-1] for s in report["submissions"]]


def test_broken_and_foreign_bids_are_reported_never_dropped(run: Any, bids: Path) -> None:
    result = run("check", str(bids), "--format", "json", "--today", "2026-12-01")
    report = result.json()
    assert result.exit_code == 1
    assert _names(report) == ["broken", "foreign", "good"]
    verdicts = {name: s["verdict"] for name, s in zip(_names(report), report["submissions"], strict=True)}
    assert verdicts == {"broken": "nonconformant", "foreign": "nonconformant", "good": "conformant"}
    broken, foreign, _ = report["submissions"]
    [conflict] = [f for f in broken["findings"] if f["location"]["file"] == "broken/api.json"]
    assert (conflict["rule"], conflict["severity"], conflict["location"]["line"]) == ("load", "error", 2)
    assert "merge conflict" in conflict["message"]
    [fides] = [f for f in foreign["findings"] if f["location"]["file"] == "foreign/fides.yml"]
    assert (fides["rule"], fides["severity"]) == ("foreign", "error")
    assert "Fides" in fides["message"]
    assert report["files"] == {"files": 6, "documents": 3, "fragments": 1, "unrecognised": 2}


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "github", "junit", "sarif", "oscal"])
def test_every_format_names_the_broken_and_the_foreign_bid(run: Any, bids: Path, fmt: str) -> None:
    result = run("check", str(bids), "--format", fmt, "--today", "2026-12-01")
    assert result.exit_code == 1
    for name in ("broken/api.json", "foreign/fides.yml"):
        assert name in result.stdout, (fmt, name)
    if fmt == "text":
        assert "6 files read: 3 documents, 1 fragment, 2 unrecognised" in result.stdout
        assert result.stdout.rstrip().splitlines()[-1].startswith(
            "✘ nonconformant: 8 errors; 3 submissions checked, 1 conformant, 2 nonconformant"
        )
    if fmt == "junit":
        ET.fromstring(result.stdout)
    if fmt in ("sarif", "oscal"):
        json.loads(result.stdout)


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "json", "html"])
def test_compare_shows_every_bid(run: Any, bids: Path, fmt: str) -> None:
    result = run("compare", str(bids), "--format", fmt, "--today", "2026-12-01")
    assert result.exit_code == 0
    if fmt == "json":
        columns = json.loads(result.stdout)["bids"]
        verdicts = {c["name"].rsplit("/", 1)[-1]: c["verdict"] for c in columns}
        assert verdicts == {"broken": "nonconformant", "foreign": "nonconformant", "good": "conformant"}
    elif fmt == "csv":
        header = next(csv.reader(io.StringIO(result.stdout)))
        assert [h.rsplit("/", 1)[-1] for h in header if "bids" in h] == ["broken", "foreign", "good"]
    else:
        for name in ("broken", "foreign", "good"):
            assert name in result.stdout


def test_a_broken_bid_alone_and_a_foreign_bid_alone_fail(run: Any, bids: Path) -> None:
    for name in ("broken", "foreign"):
        result = run("check", str(bids / name), "--format", "json")
        assert result.exit_code == 1
        assert result.json()["submissions"][0]["verdict"] == "nonconformant"


def test_a_folder_reached_only_by_ref_is_no_submission(run: Any, tmp_path: Path) -> None:
    """A shared ``models/`` folder beside the bids, reached by their $refs, belongs to them."""
    root = tmp_path / "bids"
    shutil.copytree(EXAMPLE_BID, root / "good")
    models = root / "good" / "models"
    shutil.move(str(models), str(root / "models"))
    api = root / "good" / "openapi.yaml"
    api.write_text(api.read_text().replace("models/", "../models/"))
    result = run("check", str(root), "--format", "json", "--today", "2026-12-01")
    report = result.json()
    assert _names(report) == ["good"], report["submissions"][0]["findings"]
    assert result.exit_code == 0
    assert report["submissions"][0]["fragments"] == ["models/trip.yaml"]

    # A file of that folder that no $ref reaches is not a fragment: the folder is then a
    # submission of that file (named, nonconformant), and the fragments stay with the bid.
    (root / "models" / "stray.yaml").write_text("type: object\n")
    result = run("check", str(root), "--format", "json", "--today", "2026-12-01")
    report = result.json()
    assert _names(report) == ["good", "models"]
    assert result.exit_code == 1
    models_sub = report["submissions"][1]
    assert [d["path"] for d in models_sub["documents"]] == ["models/stray.yaml"]
    assert models_sub["verdict"] == "nonconformant"


def test_each_accounts_for_every_file(run: Any, bids: Path) -> None:
    result = run("check", "--each", str(bids), "--format", "json", "--today", "2026-12-01")
    report = result.json()
    assert result.exit_code == 1
    names = sorted(s["name"].split("bids/", 1)[1] for s in report["submissions"])
    assert names == [
        "broken/api.json",
        "foreign/fides.yml",
        "good/data-manifest.yaml",
        "good/openapi.yaml",
        "good/retention-policy.yaml",
    ]
    fragments = {f for s in report["submissions"] for f in s["fragments"]}
    assert fragments == {"good/models/trip.yaml"}
    verdicts = {s["name"].split("bids/", 1)[1]: s["verdict"] for s in report["submissions"]}
    assert verdicts["broken/api.json"] == verdicts["foreign/fides.yml"] == "nonconformant"


def test_nothing_judged_is_never_conformant() -> None:
    """The safety net: no clause judged and no error yet gets an error of its own."""
    from ocp_check.model import ClauseResult, Level, StandardRef, Status
    from ocp_check.stages.statuses import unjudged

    clause = ClauseResult(StandardRef("x", "1.0.0"), "X-1", "t", Level.MUST, Status.NOT_CHECKED)
    added = unjudged((clause,), [])
    assert added is not None and added.rule == "unjudged" and added.level is Level.MUST
    judged = ClauseResult(StandardRef("x", "1.0.0"), "X-1", "t", Level.MUST, Status.PASS)
    assert unjudged((judged,), []) is None
    net = unjudged((), [])
    assert net is not None and net.rule == "unjudged"


def _places(report: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    """(root, path) -> the kinds of place the report gives the file."""
    places: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s in report["submissions"]:
        for d in s["documents"]:
            places[(s["root"], d["path"])].add("document" if d["kind"] else "unrecognised")
        for f in s["fragments"]:
            places[(s["root"], f)].add("fragment")
    return places


@pytest.mark.parametrize("each", [False, True], ids=["folder", "each"])
def test_every_real_document_of_the_corpus_is_accounted_for(run: Any, tmp_path: Path, each: bool) -> None:
    """The public documents of ../shared/corpus (OpenAPI descriptions, Fides, DCAT-US,
    Frictionless, DTPR Markdown and YAML, JSON Schemas) and the fixtures of this suite: each
    candidate is a document, a fragment or an unrecognised file with its reason, in exactly
    one kind of place, and each unrecognised file has an error finding naming it."""
    corpus = requires_shared() / "corpus"
    root = tmp_path / "all"
    shutil.copytree(corpus, root / "corpus")
    shutil.copytree(FIXTURES, root / "fixtures")
    args = ["check", str(root), "--format", "json", "--no-snippets", "--jobs", "2"]
    result = run(*args, *(["--each"] if each else []))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    report = result.json()
    candidates = {(str(root), c.rel) for scan in scan_paths([str(root)], None, None) for c in scan.candidates}
    places = _places(report)
    assert set(places) >= candidates
    assert not {k: v for k, v in places.items() if len(v) != 1}
    named: set[tuple[str, str]] = {
        (s["root"], f["location"]["file"])
        for s in report["submissions"]
        for f in s["findings"]
        if f["severity"] == "error"
    }
    for s in report["submissions"]:
        for d in s["documents"]:
            if d["kind"] is None:
                assert d["unrecognised"], d
                assert (s["root"], d["path"]) in named, d
    counts = report["files"]
    assert counts["files"] == len(places)
    assert counts["files"] == counts["documents"] + counts["fragments"] + counts["unrecognised"]
    # Nothing here was written for the standards: no submission is conformant.
    assert {s["verdict"] for s in report["submissions"]} == {"nonconformant"}
