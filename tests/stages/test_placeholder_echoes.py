"""The placeholder echoes stage: a placeholder is reported once."""

from __future__ import annotations

from pathlib import Path

from ocp_check.model import DocumentKind, Level
from ocp_check.stages import findings as make
from ocp_check.stages import placeholder_echoes
from ocp_check.stages.context import light
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
    assert str(owned.standard) == "ocp-data-governance@1.0.0"


def test_nothing_changes_without_placeholders(bid: Path) -> None:
    sub = before(placeholder_echoes.run, bid)
    assert placeholder_echoes.run(sub).findings == sub.findings


def test_a_rule_finding_on_a_value_holding_a_placeholder_goes_and_others_stay(bid: Path) -> None:
    sub = before(placeholder_echoes.run, bid)
    hub = sub.kind_standard[DocumentKind.DATA_MANIFEST]
    found = [
        make.engine_finding("DG-X", Level.MUST, "m", "f", "data-manifest.yaml", "/security"),  # holds it: goes
        make.schema_problem("data-manifest.yaml", "/security", "m", "f", (), hub),  # the engine's: stays
        make.engine_finding("DG-Y", Level.MUST, "m", "f", "data-manifest.yaml", "/retention"),
        make.engine_finding("DG-Z", Level.MUST, "m", "f", "data-manifest.yaml", ""),  # the whole document
    ]
    sub = sub.but(findings=tuple(found), placeholders={"data-manifest.yaml": ("/security/breach_notification_hours",)})
    assert _rules(placeholder_echoes.run(sub)) == [("DG-Y", "/retention"), ("DG-Z", ""), ("schema", "/security")]


def test_only_placeholders_of_the_manifest_s_answers_change_clause(bid: Path) -> None:
    sub = before(placeholder_echoes.run, bid)
    hub = sub.kind_standard[DocumentKind.DATA_MANIFEST]
    retention = sub.kind_standard[DocumentKind.RETENTION_POLICY]
    answer = make.placeholder("data-manifest.yaml", "/attestations/DG-6.4/answer", "yes or no", hub)
    others = (
        make.schema_problem("data-manifest.yaml", "/attestations/DG-6.4/statement", "m", "f", (), hub),
        make.placeholder("retention-policy.yaml", "/attestations/DG-6.4/answer", "x", retention),
        make.placeholder("retention-policy.yaml", "/title", "x", retention),
    )
    sub = sub.but(
        findings=(answer, *others),
        folded=(light(answer),),
        placeholders={"data-manifest.yaml": ("/attestations/DG-6.4/answer",)},
    )
    after = placeholder_echoes.run(sub)
    assert (after.findings[0].clause, after.findings[0].standard) == ("DG-6.4", hub.ref)
    assert (after.folded[0].clause, after.folded[0].standard) == ("DG-6.4", hub.ref)
    assert after.findings[1:] == others
    assert answer.clause != "DG-6.4"  # the schema clause, before


def test_a_placeholder_answer_of_another_standard_s_clause_belongs_to_that_standard(bid: Path) -> None:
    # The manifest answers the attestations of every standard in play: DX-5.3 is the API's.
    sub = before(placeholder_echoes.run, bid)
    hub = sub.kind_standard[DocumentKind.DATA_MANIFEST]
    api = sub.kind_standard[DocumentKind.OPENAPI]
    assert api.clause_index["DX-5.3"].verification == "attestation"
    answer = make.placeholder("data-manifest.yaml", "/attestations/DX-5.3/answer", "yes or no", hub)
    sub = sub.but(findings=(answer,), placeholders={"data-manifest.yaml": ("/attestations/DX-5.3/answer",)})
    [owned] = placeholder_echoes.run(sub).findings
    assert (owned.clause, owned.standard) == ("DX-5.3", api.ref)
