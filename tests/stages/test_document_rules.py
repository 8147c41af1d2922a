"""The document rules stage: each judged document against its rule packs."""

from __future__ import annotations

from pathlib import Path

from ocp_check.model import DocumentKind
from ocp_check.profiles import Profile, load_profile
from ocp_check.stages import document_rules
from tests.stages.conftest import CATALOG, before, new_findings

LOCAL_PACK = """rules:
  - id: LOCAL-1
    clause: DG-2.4
    applies_to: data-manifest
    select: /data_categories/*
    label: /id
    assert: {path: /id, equals: nothing-is-called-this}
    message: "category {label} is named"
    fix: Nothing; this rule only names every category.
"""


def _profile(tmp_path: Path, text: str) -> Profile:
    path = tmp_path / "p.yaml"
    path.write_text("kind: profile\nid: p\ntitle: P\n" + text)
    return load_profile(path, CATALOG)


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


def test_parameters_are_the_defaults_then_the_profile_s_then_the_settings(bid: Path, tmp_path: Path) -> None:
    sub = before(document_rules.run, bid)
    standard = sub.kind_standard[DocumentKind.DATA_MANIFEST]
    assert dict(document_rules.parameters(sub, standard)) == {n: p.default for n, p in standard.parameters.items()}

    profile = _profile(tmp_path, "parameters:\n  ocp-data-governance:\n    breach_notification_max_hours: 12\n")
    sub = before(document_rules.run, bid, profile=profile)
    assert document_rules.parameters(sub, standard)["breach_notification_max_hours"] == 12
    retention = sub.kind_standard[DocumentKind.RETENTION_POLICY]  # the profile's values are the hub's only
    assert dict(document_rules.parameters(sub, retention)) == {n: p.default for n, p in retention.parameters.items()}
    sub = before(
        document_rules.run, bid, profile=profile, parameters={"ocp-data-governance": {"breach_notification_max_hours": 6}}
    )
    assert document_rules.parameters(sub, standard)["breach_notification_max_hours"] == 6  # the settings' last


def test_a_profile_s_rule_pack_judges_the_documents_of_its_standard(bid: Path, tmp_path: Path) -> None:
    (tmp_path / "local.yaml").write_text(LOCAL_PACK)
    profile = _profile(tmp_path, "rule_packs:\n  - {standard: ocp-data-governance, path: local.yaml}\n")
    sub = before(document_rules.run, bid, profile=profile)
    found = new_findings(sub, document_rules.run(sub))
    assert [(f.location.file, f.message) for f in found if f.rule == "LOCAL-1"] == [
        ("data-manifest.yaml", f"category {c} is named")
        for c in ("trip_records", "vehicle_status", "aggregate_counts")
    ]


def test_only_the_kinds_the_run_judges_are_judged(bid: Path) -> None:
    labels: list[str] = []
    sub = before(document_rules.run, bid, standards=("ocp-data-retention@1.0",))
    document_rules.run(sub.but(progress=labels.append))
    assert labels == ["file:retention-policy.yaml"]


def test_a_document_without_a_standard_is_not_judged(bid: Path) -> None:
    # The compliance report has no released standard version: one finding of the versions stage.
    (bid / "compliance-report.yaml").write_text("kind: compliance-report\n")
    labels: list[str] = []
    sub = before(document_rules.run, bid)
    assert sub.docs[0].kind is DocumentKind.COMPLIANCE_REPORT and sub.docs[0].standard is None
    document_rules.run(sub.but(progress=labels.append))
    assert labels == ["file:data-manifest.yaml", "file:openapi.yaml", "file:retention-policy.yaml"]


def test_the_documents_after_one_left_out_are_judged(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    (bid / "data-manifest.yml").write_text((bid / "data-manifest.yaml").read_text())  # a second: not judged
    edit(bid, "openapi.yaml", "openapi: 3.1.0", "openapi: 3.2.0")  # a format version no schema covers
    labels: list[str] = []
    document_rules.run(before(document_rules.run, bid).but(progress=labels.append))
    assert labels == ["file:data-manifest.yaml", "file:retention-policy.yaml"]
