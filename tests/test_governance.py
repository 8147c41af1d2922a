"""Governance metadata: the meta-schema demands it, the catalog reads it, versions are chosen by it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ocp_check.catalog import Catalog
from ocp_check.errors import StandardInvalid
from ocp_check.governance import judged_against
from ocp_check.standard_files import load_standard

REPO = Path(__file__).resolve().parents[1]


def _copy(
    tmp_path: Path, sid: str = "city-retention", version: str = "1.0.0", src: str = "ocp-data-retention/1.0.0"
) -> Path:
    root = tmp_path / "standards"
    target = root / sid / version
    shutil.copytree(REPO / "standards" / src, target)
    meta = target / "standard.yaml"
    text = meta.read_text()
    text = re.sub(r"^id: .*$", f"id: {sid}", text, count=1, flags=re.M)
    text = re.sub(r"^version: .*$", f"version: {version}", text, count=1, flags=re.M)
    meta.write_text(text)
    return target


def _set_governance(target: Path, block: str) -> None:
    meta = target / "standard.yaml"
    text = meta.read_text()
    meta.write_text(text[: text.index("governance:")] + block)


APPROVED = """governance:
  status: approved
  status_date: "2027-03-01"
  approval:
    body: Harbourview City Council
    decision: Adopted as the city's retention standard for procurement.
    date: "2027-03-01"
    reference: Resolution 2027-41
  public_comment:
    opened: "2026-12-01"
    closed: "2027-01-30"
    url: https://example.org/comments
    disposition_url: https://example.org/disposition
  maintainers:
    - name: Harbourview data office
      role: editor
  contact: data@example.org
  languages:
    - tag: en
      authoritative: true
    - tag: fr
      authoritative: false
      translation_of: en
      approval: null
  licence:
    id: CC-BY-4.0
    notices: []
  next_review: "2032-03-01"
  revisions:
    - date: "2027-03-01"
      status: approved
      summary: Approved.
"""


def test_a_standard_without_the_governance_block_is_invalid(tmp_path):
    target = _copy(tmp_path)
    meta = target / "standard.yaml"
    text = meta.read_text()
    meta.write_text(text[: text.index("governance:")])
    with pytest.raises(StandardInvalid, match="governance"):
        load_standard(target, "standards")


def test_an_approved_version_must_name_its_approval(tmp_path):
    target = _copy(tmp_path)
    _set_governance(
        target,
        APPROVED.replace(
            """  approval:
    body: Harbourview City Council
    decision: Adopted as the city's retention standard for procurement.
    date: "2027-03-01"
    reference: Resolution 2027-41
""",
            "  approval: null\n",
        ),
    )
    with pytest.raises(StandardInvalid, match="approval"):
        load_standard(target, "standards")


def test_a_draft_cannot_claim_an_approval(tmp_path):
    target = _copy(tmp_path)
    _set_governance(target, APPROVED.replace("status: approved", "status: draft"))
    with pytest.raises(StandardInvalid):
        load_standard(target, "standards")


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        (
            "      authoritative: false\n      translation_of: en\n",
            "      authoritative: true\n      translation_of: en\n",
            "languages",
        ),
        ('  next_review: "2032-03-01"', '  next_review: "2027-01-01"', "next review"),
        ('    closed: "2027-01-30"', '    closed: "2027-03-30"', "approval is dated before"),
    ],
    ids=["two-authoritative-languages", "review-before-status", "approved-during-comment"],
)
def test_governance_contradictions_are_refused(tmp_path, old, new, why):
    target = _copy(tmp_path)
    assert old in APPROVED
    _set_governance(target, APPROVED.replace(old, new))
    with pytest.raises(StandardInvalid, match=why):
        load_standard(target, "standards")


def test_an_approved_version_with_an_informative_translation_loads(tmp_path):
    target = _copy(tmp_path)
    _set_governance(target, APPROVED)
    standard = load_standard(target, "standards")
    assert standard.status == "approved"
    assert [lang.describe() for lang in standard.governance.languages] == [
        "en (authoritative)",
        "fr (translation of en, not approved: informative only)",
    ]


def test_shipped_standards_are_drafts_approved_by_no_body():
    catalog = Catalog(use_env=False)
    for entry in catalog.entries():
        gov = catalog.load(entry.ref).governance
        assert gov.status == "draft" and gov.approval is None and gov.public_comment is None
        assert "approved by no body" in gov.status_phrase()


def _status(target: Path, status: str, trial_use: bool) -> None:
    meta = target / "standard.yaml"
    text = meta.read_text()
    text = text.replace("  status: draft\n", f"  status: {status}\n", 1)
    text = text.replace("  trial_use: true\n", f"  trial_use: {'true' if trial_use else 'false'}\n", 1)
    text = re.sub(r"(\n    - date: \"2026-12-05\"\n      status: )draft", rf"\g<1>{status}", text)
    meta.write_text(text)


def test_the_default_version_prefers_trial_use_drafts_over_newer_plain_drafts(tmp_path):
    """A draft of a new major version is never picked for a document that names no version."""
    old = _copy(tmp_path, version="1.0.0")
    new = _copy(tmp_path, version="2.0.0")
    _status(new, "draft", trial_use=False)
    catalog = Catalog([old.parent.parent], use_env=False)
    assert str(catalog.match("city-retention").ref) == "city-retention@1.0.0"
    assert str(catalog.match("city-retention@2").ref) == "city-retention@2.0.0"


def test_withdrawn_versions_are_used_only_when_named_exactly(tmp_path):
    one = _copy(tmp_path, version="1.0.0")
    two = _copy(tmp_path, version="1.1.0")
    _status(two, "draft", trial_use=True)
    meta = two / "standard.yaml"
    meta.write_text(
        meta.read_text()
        .replace("  status: draft\n", "  status: withdrawn\n  withdrawal: Wrong.\n", 1)
        .replace("  trial_use: true\n", "", 1)
        .replace(
            "      status: draft\n      summary: >-\n        Governance",
            "      status: withdrawn\n      summary: >-\n        Governance",
        )
    )
    catalog = Catalog([one.parent.parent], use_env=False)
    assert catalog.load(catalog.match("city-retention@1.1.0").ref).status == "withdrawn"
    assert str(catalog.match("city-retention@1").ref) == "city-retention@1.0.0"
    assert str(catalog.match("city-retention").ref) == "city-retention@1.0.0"


def test_verdict_wording_names_drafts_and_withdrawn_versions():
    assert judged_against([("a@1.0.0", "approved")]) == ""
    assert judged_against([("a@1.0.0", "draft")]) == "judged against a DRAFT of a@1.0.0"
    assert (
        judged_against([("a@1.0.0", "draft"), ("b@1.0.0", "draft"), ("c@2.0.0", "withdrawn")])
        == "judged against DRAFTS of a@1.0.0, b@1.0.0 and a WITHDRAWN version, c@2.0.0"
    )


def test_standards_show_prints_the_governance_record(run):
    result = run("standards", "show", "ocp-data-governance@1.1")
    assert result.exit_code == 0
    out = result.stdout
    assert "Governance:" in out
    assert "draft released for trial use since 2026-11-16; approved by no body" in out
    assert "public comment: none held" in out
    assert "languages:      en (authoritative)" in out
    assert "should have been 2.0.0" in out


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html", "sarif", "junit", "github", "oscal"])
def test_every_format_says_the_verdict_was_judged_against_drafts(run, fmt):
    bid = REPO / "examples" / "bids" / "harbourview-sensors"
    result = run("check", str(bid), "--format", fmt, "--today", "2026-12-01")
    assert result.exit_code == 0, result.stderr
    plain = re.sub(r"\\+([-@.,])", r"\1", result.stdout).lower()
    assert (
        "judged against drafts of ocp-api-exchange@2.0.0, ocp-data-governance@2.0.0, ocp-data-retention@2.0.0"
        in plain
    )
