"""The load stage: files, standard input, skipped files, the vendor's waivers files."""

from __future__ import annotations

from pathlib import Path

from ocp_check.loader import Limits
from ocp_check.scan import Candidate
from ocp_check.stages import load
from tests.stages.conftest import new_findings, start


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
