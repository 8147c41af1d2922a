"""The accounting stage: every file that is no document and no fragment says what it is."""

from __future__ import annotations

from pathlib import Path

from ocp_check.model import Level
from ocp_check.stages import accounting
from tests.stages.conftest import before, new_findings


def test_an_unknown_mapping_beside_documents_is_a_warning(bid: Path) -> None:
    (bid / "notes.yaml").write_text("owner: procurement\n")
    sub = before(accounting.run, bid)
    after = accounting.run(sub)
    [finding] = new_findings(sub, after)
    assert (finding.location.file, finding.level) == ("notes.yaml", Level.SHOULD)
    assert set(after.unrecognised) == {"notes.yaml"}
    assert after.unrecognised["notes.yaml"] == finding.message  # the reason shown beside the file
    assert "models/trip.yaml" not in after.unrecognised  # a fragment is part of a document


def test_a_format_recognised_when_loading_says_what_it_is(bid: Path) -> None:
    (bid / "vocabulary.ttl").write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n")
    sub = before(accounting.run, bid)
    after = accounting.run(sub)
    assert new_findings(sub, after) == []  # the load stage reported it
    [loaded] = [f for f in sub.findings if f.location.file == "vocabulary.ttl"]
    assert after.unrecognised["vocabulary.ttl"] == loaded.message
    assert "Turtle" in after.unrecognised["vocabulary.ttl"]


def test_an_unknown_mapping_alone_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("owner: procurement\n")
    sub = before(accounting.run, tmp_path)
    [finding] = new_findings(sub, accounting.run(sub))
    assert finding.level is Level.MUST


def test_a_file_that_does_not_load_is_unrecognised_without_a_second_finding(bid: Path) -> None:
    (bid / "broken.yaml").write_text("a: [\n")
    sub = before(accounting.run, bid)
    after = accounting.run(sub)
    assert new_findings(sub, after) == []  # the load stage reported it
    assert after.unrecognised["broken.yaml"].startswith("cannot be loaded:")
