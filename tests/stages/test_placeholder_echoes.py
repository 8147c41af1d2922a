"""The placeholder echoes stage: a placeholder is reported once."""

from __future__ import annotations

from pathlib import Path

from ocp_check.stages import placeholder_echoes
from tests.stages.conftest import before


def _rules(sub) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return sorted((f.rule, f.location.pointer) for f in (*sub.findings, *sub.folded))


def test_rule_findings_about_a_placeholder_value_go(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", "breach_notification_hours: 24", 'breach_notification_hours: "TODO: hours"')
    sub = before(placeholder_echoes.run, bid)
    assert any(f.rule.startswith("DG-") and f.location.pointer.startswith("/security") for f in sub.findings)
    after = placeholder_echoes.run(sub)
    security = [r for r in _rules(after) if r[1].startswith("/security")]
    assert security == [("incomplete", "/security/breach_notification_hours")]


def test_a_placeholder_answer_belongs_to_its_attestation_clause(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", 'answer: "yes"', 'answer: "TODO: yes or no"')
    after = placeholder_echoes.run(before(placeholder_echoes.run, bid))
    [owned] = [f for f in after.findings if f.rule == "incomplete"]
    assert (owned.clause, owned.location.pointer) == ("DG-6.4", "/attestations/DG-6.4/answer")


def test_nothing_changes_without_placeholders(bid: Path) -> None:
    sub = before(placeholder_echoes.run, bid)
    assert placeholder_echoes.run(sub).findings == sub.findings
