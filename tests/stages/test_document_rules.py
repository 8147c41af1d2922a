"""The document rules stage: each judged document against its rule packs."""

from __future__ import annotations

from pathlib import Path

from ocp_check.model import DocumentKind
from ocp_check.stages import document_rules
from tests.stages.conftest import before, new_findings


def test_a_rule_hit_is_a_finding_and_every_rule_an_outcome(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", "breach_notification_hours: 24", "breach_notification_hours: 96")
    sub = before(document_rules.run, bid)
    after = document_rules.run(sub)
    [finding] = new_findings(sub, after)
    assert finding.rule == "DG-9.4-notification-hours" and finding.location.file == "data-manifest.yaml"
    assert finding.fix and finding.clause == "DG-9.4"
    # Every kind the bid holds (a bid holds no compliance report, whose rules are not in play).
    assert {o.rule.applies_to for o in after.outcomes} == {k.value for k in sub.by_kind}
    assert DocumentKind.COMPLIANCE_REPORT not in sub.by_kind
    assert all(o.rule.applies_to != "submission" for o in after.outcomes)  # the next stage's


def test_only_judged_documents_are_judged(bid: Path) -> None:
    (bid / "z-second.yaml").write_text((bid / "data-manifest.yaml").read_text())
    labels: list[str] = []
    document_rules.run(before(document_rules.run, bid).but(progress=labels.append))
    assert "file:z-second.yaml" not in labels and "file:data-manifest.yaml" in labels


def test_parameters_are_the_defaults_then_the_profile_s(bid: Path) -> None:
    sub = before(document_rules.run, bid)
    standard = sub.kind_standard[DocumentKind.DATA_MANIFEST]
    assert dict(document_rules.parameters(sub, standard)) == {n: p.default for n, p in standard.parameters.items()}
