"""The load stage: files, standard input, skipped files, the vendor's waivers files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ocp_check.engine import _tasks
from ocp_check.loader import Limits
from ocp_check.model import Level
from ocp_check.run import Run
from ocp_check.scan import Candidate
from ocp_check.settings import Settings
from ocp_check.stages import findings as make
from ocp_check.stages import load
from ocp_check.stages.context import Submission
from ocp_check.workspace import Workspace
from tests.stages.conftest import CATALOG, TODAY, new_findings, start


def test_every_file_is_loaded_and_a_broken_one_is_a_finding_at_its_place(bid: Path) -> None:
    (bid / "notes.yaml").write_text("a: 1\nb: [\n")
    sub = start(bid)
    after = load.run(sub)
    assert sorted(d.rel for d in after.docs) == sorted(c.rel for c in sub.task.candidates)
    assert "notes.yaml" in {d.rel for d in after.docs}
    [broken] = new_findings(sub, after)
    assert (broken.rule, broken.location.file, broken.location.line) == ("load", "notes.yaml", 3)
    assert broken.message.startswith("cannot be checked:")
    assert all(d.detection is None for d in after.docs)  # detection is the next stage's


def test_an_empty_file_is_reported_at_its_start(tmp_path: Path) -> None:
    (tmp_path / "data-manifest.yaml").write_text("")
    [empty] = load.run(start(tmp_path)).findings
    assert (empty.rule, empty.location.line, empty.location.column) == ("load", 1, 1)


def test_the_vendor_waivers_file_is_loaded_but_is_no_document(bid: Path) -> None:
    (bid / "ocp-waivers.yaml").write_text("kind: waivers\nwaivers: []\n")
    after = load.run(start(bid))
    assert [w.rel for w in after.vendor_waivers] == ["ocp-waivers.yaml"]
    assert "ocp-waivers.yaml" not in {d.rel for d in after.docs}


def test_progress_names_each_file_before_it_is_read(bid: Path) -> None:
    labels: list[str] = []
    sub = start(bid).but(progress=labels.append)
    load.run(sub)
    assert labels == [f"file:{c.rel}" for c in sub.task.candidates]


def test_standard_input_over_the_limit_is_a_size_error() -> None:
    loaded = load.load_stdin(b"a: 1\n" * 10, Limits(max_bytes=20))
    assert loaded.error is not None and loaded.error.code == "size" and loaded.document is None
    assert load.load_stdin(b'{"a": 1}', Limits()).document is not None


def test_a_file_set_aside_is_hashed_and_not_parsed(tmp_path: Path) -> None:
    path = tmp_path / "openapi.yaml"
    path.write_text("openapi: 3.1.0\n")
    loaded = load.skipped_file(Candidate(path, "openapi.yaml"), "took more than 1 s", Limits())
    assert loaded.document is None and loaded.error is not None and loaded.error.code == "budget"
    assert loaded.sha256 and loaded.announced == "openapi"


def test_a_file_a_worker_set_aside_is_reported_hashed_and_not_parsed(bid: Path) -> None:
    sub = start(bid)
    sub.task.skipped["openapi.yaml"] = "took more than 1 s"
    after = load.run(sub)
    loaded = after.workspace.files["openapi.yaml"]
    assert (loaded.rel, loaded.document, loaded.announced) == ("openapi.yaml", None, "openapi")
    assert loaded.sha256 == hashlib.sha256((bid / "openapi.yaml").read_bytes()).hexdigest()
    [finding] = new_findings(sub, after)
    assert (finding.location.file, finding.message) == ("openapi.yaml", "cannot be checked: took more than 1 s; not checked")


def test_a_file_set_aside_over_the_size_limit_is_known_by_its_head(tmp_path: Path) -> None:
    path = tmp_path / "openapi.yaml"
    path.write_text("openapi: 3.1.0\n" + "# padding\n" * 100)
    loaded = load.skipped_file(Candidate(path, "openapi.yaml"), "took more than 1 s", Limits(max_bytes=64))
    assert loaded.announced == "openapi" and loaded.sha256
    missing = load.skipped_file(Candidate(tmp_path / "gone.yaml", "gone.yaml"), "took more than 1 s", Limits())
    assert (missing.sha256, missing.announced, missing.error and missing.error.code) == ("", None, "budget")


def test_standard_input_is_a_file_of_its_own_read_as_json_when_it_looks_like_json() -> None:
    options = Settings(jobs=0, today=TODAY, paths=("-",))
    [task] = _tasks(["-"], options, b"kind: data-manifest\nsystem: {}\n")
    sub = Submission(Run(CATALOG, options), task, Workspace(task.root, options.limits, {}), lambda label: None)
    after = load.run(sub)
    assert [d.rel for d in after.docs] == ["<stdin>"] and after.docs[0].loaded.document is not None
    # A later finding in standard input is placed there, with its line shown.
    [found] = after.found([make.engine_finding("R", Level.MUST, "m", "f", "<stdin>", "/system")]).findings
    assert found.location.line == 2 and any(text.startswith("system:") for _, text in found.snippet)
    # A trailing comma is valid YAML flow style but not JSON: JSON is read as JSON.
    for raw in (b'{"a": 1,}', b'\n  {"a": 1,}', b'[1,]'):
        loaded = load.load_stdin(raw, Limits())
        assert loaded.error is not None and loaded.document is None, raw
    assert load.load_stdin(b"a: [1,]", Limits()).document is not None
    assert load.load_stdin(b"a: 1\n" * 10, Limits(max_bytes=20)).rel == "<stdin>"


def test_a_scan_note_and_a_foreign_format_are_findings_of_the_load_stage(bid: Path) -> None:
    (bid / "vocabulary.ttl").write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n")
    sub = start(bid)
    sub.task.notes.append(("elsewhere.yaml", "a link that leaves the root folder"))
    found = new_findings(sub, load.run(sub))
    assert [(f.rule, f.location.file) for f in found] == [("scan", "elsewhere.yaml"), ("foreign", "vocabulary.ttl")]
    assert found[0].message == "a link that leaves the root folder"
    assert "Turtle" in found[1].message
