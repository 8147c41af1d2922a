"""Published versions are immutable and version numbers agree with their changes.

Each test builds a temporary standards folder (a city's, with its own ids), so the shipped
standards, which are all drafts, are not what is exercised.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from ocp_check.catalog import Catalog
from ocp_check.diff import ADDITIVE, BREAKING, EDITORIAL, diff_standards
from ocp_check.publication import check_tree, lock_text

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "standards" / "ocp-data-retention" / "1.0.0"

APPROVAL = """  approval:
    body: Harbourview City Council
    decision: Adopted as the city's retention standard for procurement.
    date: "2027-03-01"
    reference: Resolution 2027-41
  public_comment:
    opened: "2026-12-01"
    closed: "2027-01-30"
    url: https://example.org/comments
    disposition_url: https://example.org/disposition
"""


def _version(root: Path, version: str, *, status: str = "approved", supersedes: str | None = None) -> Path:
    target = root / "city-retention" / version
    shutil.copytree(SRC, target)
    meta = target / "standard.yaml"
    text = meta.read_text()
    text = re.sub(r"^id: .*$", "id: city-retention", text, count=1, flags=re.M)
    text = re.sub(r"^version: .*$", f"version: {version}", text, count=1, flags=re.M)
    text = re.sub(r"^supersedes: .*$", f"supersedes: {supersedes or 'null'}", text, count=1, flags=re.M)
    head = text[: text.index("governance:")]
    approval = APPROVAL if status != "draft" else "  approval: null\n"
    review = '"2032-03-01"' if status != "draft" else "null"
    gov = f"""governance:
  status: {status}
  status_date: "2027-03-01"
{approval}  maintainers:
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
  next_review: {review}
  revisions:
    - date: "2027-03-01"
      status: {status}
      summary: {status.capitalize()}.
"""
    meta.write_text(head + gov)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_a_changed_published_version_fails_the_lock(tmp_path, run):
    root = tmp_path / "city"
    version = _version(root, "1.0.0")
    (root / "published.lock.json").write_text(lock_text(root))
    assert check_tree(root).problems == ()
    assert run("standards", "lock", str(root), "--check").exit_code == 0

    _edit(version / "clauses.yaml", "level: MUST", "level: SHOULD")
    problems = check_tree(root).problems
    assert len(problems) == 1 and "city-retention@1.0.0 was published with content sha256:" in problems[0]
    result = run("standards", "lock", str(root), "--check")
    assert result.exit_code == 1 and "immutable" in result.stdout
    # Writing the lock again keeps the recorded hash: it cannot launder the change.
    (root / "published.lock.json").write_text(lock_text(root))
    assert check_tree(root).problems == problems


def test_lifecycle_changes_do_not_change_the_content_hash(tmp_path):
    root = tmp_path / "city"
    version = _version(root, "1.0.0")
    (root / "published.lock.json").write_text(lock_text(root))
    before = json.loads((root / "published.lock.json").read_text())["versions"]["city-retention@1.0.0"][
        "sha256"
    ]
    meta = version / "standard.yaml"
    _edit(meta, "  status: approved\n", "  status: deprecated\n  superseded_by: city-retention@2.0.0\n")
    meta.write_text(
        meta.read_text() + '    - date: "2028-01-01"\n      status: deprecated\n      summary: Superseded.\n'
    )
    assert check_tree(root).problems == ()
    standard = Catalog([root], use_env=False).resolve("city-retention@1.0.0")
    assert standard.status == "deprecated" and standard.sha256 == before


def test_a_published_version_missing_from_the_lock_or_gone_is_reported(tmp_path):
    root = tmp_path / "city"
    version = _version(root, "1.0.0")
    assert "not in published.lock.json" in check_tree(root).problems[0]
    (root / "published.lock.json").write_text(lock_text(root))
    shutil.rmtree(version.parent)
    (root / "other").mkdir()
    assert "its folder is gone" in check_tree(root).problems[0]


def test_drafts_are_not_locked(tmp_path):
    root = tmp_path / "city"
    version = _version(root, "1.0.0", status="draft")
    (root / "published.lock.json").write_text(lock_text(root))
    assert json.loads((root / "published.lock.json").read_text())["versions"] == {}
    _edit(version / "clauses.yaml", "level: MUST", "level: SHOULD")
    assert check_tree(root).problems == ()


def _two(tmp_path: Path, new_version: str, **kwargs: str) -> Path:
    root = tmp_path / "city"
    _version(root, "1.0.0", status="draft")
    _version(root, new_version, status="draft", supersedes="city-retention@1.0.0")
    return root


def test_a_minor_version_with_a_breaking_change_is_refused(tmp_path, run):
    root = _two(tmp_path, "1.1.0")
    _edit(root / "city-retention" / "1.1.0" / "clauses.yaml", "level: SHOULD", "level: MUST")
    [problem] = check_tree(root).problems
    assert "breaking changes" in problem and "2.0.0" in problem
    assert run("standards", "lock", str(root), "--check").exit_code == 1


def test_a_major_version_may_break(tmp_path):
    root = _two(tmp_path, "2.0.0")
    _edit(root / "city-retention" / "2.0.0" / "clauses.yaml", "level: SHOULD", "level: MUST")
    assert check_tree(root).problems == ()


def test_a_patch_version_with_an_additive_change_is_refused(tmp_path):
    root = _two(tmp_path, "1.0.1")
    _edit(root / "city-retention" / "1.0.1" / "clauses.yaml", "level: MUST", "level: SHOULD")
    [problem] = check_tree(root).problems
    assert "additive changes" in problem and "1.1.0" in problem


def test_a_patch_version_with_editorial_changes_is_accepted(tmp_path):
    root = _two(tmp_path, "1.0.1")
    clauses = root / "city-retention" / "1.0.1" / "clauses.yaml"
    _edit(clauses, "title: ", "title: Reworded, ")
    assert check_tree(root).problems == ()


def test_a_kept_number_must_be_declared_with_the_number_it_should_have_had(tmp_path):
    root = _two(tmp_path, "1.1.0")
    new = root / "city-retention" / "1.1.0"
    _edit(new / "clauses.yaml", "level: SHOULD", "level: MUST")
    note = "  versioning_note:\n    should_have_been: {}\n    explanation: Already cited in tenders.\n  revisions:"
    meta = new / "standard.yaml"
    original = meta.read_text()
    meta.write_text(original.replace("  revisions:", note.format("2.0.0"), 1))
    assert check_tree(root).problems == ()
    meta.write_text(original.replace("  revisions:", note.format("1.2.0"), 1))
    assert "the rules call for 2.0.0" in check_tree(root).problems[0]


def test_the_shipped_1_1_0_is_marked_as_what_it_should_have_been():
    catalog = Catalog(use_env=False)
    diff = diff_standards(
        catalog.resolve("ocp-data-governance@1.0.0"), catalog.resolve("ocp-data-governance@1.1.0")
    )
    assert diff.change_class is BREAKING
    assert {"DG-5.2", "DG-9.3", "DG-9.4"} <= diff.clauses_tightened()
    assert diff.clauses_added() == {"DG-3.5", "DG-5.5"}
    note = catalog.resolve("ocp-data-governance@1.1.0").governance.versioning_note
    assert note is not None and note.should_have_been == "2.0.0"


def test_changes_are_classed(tmp_path):
    root = _two(tmp_path, "2.0.0")
    new = root / "city-retention" / "2.0.0"
    meta = new / "standard.yaml"
    text = meta.read_text()
    # A threshold read by a MUST rule gets stricter: breaking. One read only by SHOULD rules
    # (DR-2.7) gets stricter: warnings only, additive.
    for name, value in (("statutory_minimum_personal", "P2Y"), ("max_raw_location_retention", "P1D")):
        match = re.search(rf"  {name}:\n(?:    .*\n)*?    default: (\S+)\n", text)
        assert match
        text = text.replace(
            match.group(0), match.group(0).replace(f"default: {match.group(1)}", f"default: {value}"), 1
        )
    meta.write_text(text)
    _edit(new / "clauses.yaml", "title: ", "title: Reworded, ")
    catalog = Catalog([root], use_env=False)
    diff = diff_standards(catalog.resolve("city-retention@1.0.0"), catalog.resolve("city-retention@2.0.0"))
    kinds = {(c.subject, c.id, c.kind): c.change_class for c in diff.changes}
    assert kinds[("parameter", "statutory_minimum_personal", "default-tightened")] is BREAKING
    assert kinds[("parameter", "max_raw_location_retention", "default-tightened")] is ADDITIVE
    assert {cls for (subject, _, kind), cls in kinds.items() if kind == "title-changed"} == {EDITORIAL}
    data = diff.to_dict()
    assert data["class"] == "breaking" and data["counts"]["breaking"] >= 1
    assert ADDITIVE.rank < BREAKING.rank


def test_diff_of_two_different_standards_is_a_usage_error(run):
    result = run("standards", "diff", "ocp-data-governance@1.0", "ocp-data-retention@1.0")
    assert result.exit_code == 2 and "different standards" in result.stderr


def test_diff_markdown_is_for_a_comment_thread(run):
    result = run(
        "standards", "diff", "ocp-data-governance@1.0", "ocp-data-governance@1.1", "--format", "markdown"
    )
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("## Proposed change: `ocp-data-governance@1.0.0` → `ocp-data-governance@1.1.0`")
    assert "| C4 | breaking | DG\\-5\\.2\\: level SHOULD → MUST \\(tightened\\) | `DG-5.2` |" in out
    assert "Comment on a change by its number" in out
