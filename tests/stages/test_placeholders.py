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


def test_a_document_with_a_kind_but_no_standard_is_not_searched_and_the_next_ones_are(
    bid: Path, edit
) -> None:  # type: ignore[no-untyped-def]
    # Without a released version of its standard the report is not checked (one finding of
    # its own); the documents after it still are.
    (bid / "compliance-report.yaml").write_text("kind: compliance-report\nsystem: TODO\n")
    edit(bid, "data-manifest.yaml", "name: Curbside Mobility Insights", 'name: "TODO: the system\'s name"')
    sub = before(placeholders.run, bid)
    assert sub.docs[0].rel == "compliance-report.yaml" and sub.docs[0].kind and not sub.docs[0].standard
    after = placeholders.run(sub)
    assert after.placeholders == {"data-manifest.yaml": ("/system/name",)}


def test_documents_after_one_without_placeholders_are_searched(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "retention-policy.yaml", "name: Northwind Mobility Analytics Inc., Privacy Office", "name: TODO")
    sub = before(placeholders.run, bid)
    [finding] = new_findings(sub, placeholders.run(sub))
    assert finding.location.file == "retention-policy.yaml"


def test_at_most_200_placeholders_are_reported_per_document() -> None:
    assert len(placeholders.placeholders({"a": ["TODO"] * 199})) == 199
    assert len(placeholders.placeholders({"a": ["TODO"] * 300})) == 200


def test_a_placeholder_is_described_by_what_follows_the_word_todo() -> None:
    # Only the spaces and colons after "TODO" are dropped: not a letter of the description,
    # nor a character written right after the word.
    data = {"a": "TODO", "b": "TODO: X-ray counts", "c": "TODO(owner)"}
    assert placeholders.placeholders(data) == [("/a", "a value"), ("/b", "X-ray counts"), ("/c", "(owner)")]
