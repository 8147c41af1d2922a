"""The placeholders stage: every TODO left from a template, once each."""

from __future__ import annotations

from pathlib import Path

from ocp_check.stages import placeholders
from tests.stages.conftest import before, new_findings


def test_each_placeholder_is_an_incomplete_finding_at_its_pointer(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", "name: Curbside Mobility Insights", 'name: "TODO: the system\'s name"')
    sub = before(placeholders.run, bid)
    after = placeholders.run(sub)
    [finding] = new_findings(sub, after)
    assert (finding.rule, finding.location.pointer) == ("incomplete", "/system/name")
    assert finding.message == "still to fill in: the system's name"
    assert finding.clause is not None and finding.standard is not None  # the standard's schema clause
    assert after.placeholders == {"data-manifest.yaml": ("/system/name",)}


def test_a_document_without_a_standard_is_not_searched(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("a: TODO\n")
    after = placeholders.run(before(placeholders.run, tmp_path))
    assert after.placeholders == {} and not after.findings


def test_the_text_search_skips_only_what_cannot_hold_a_placeholder() -> None:
    assert not placeholders.may_hold_placeholder("a: done\n")
    assert placeholders.may_hold_placeholder('a: "\\u0054ODO"\n')
    assert placeholders.placeholders({"a": ["x", "TODO"], "b": "TODO: fill"}) == [("/a/1", "a value"), ("/b", "fill")]
    assert placeholders.at_or_below("/a/1/x", ("/a/1",)) and not placeholders.at_or_below("/a/10", ("/a/1",))
