"""The detect stage: kinds from content; Markdown is never an OCP document."""

from __future__ import annotations

from pathlib import Path

from ocp_check.model import DocumentKind
from ocp_check.stages import detect
from tests.stages.conftest import before


def test_kinds_and_declared_versions_come_from_content(bid: Path) -> None:
    (bid / "renamed.yaml").write_text((bid / "retention-policy.yaml").read_text())
    sub = before(detect.run, bid)
    after = detect.run(sub)
    kinds = {d.rel: d.kind for d in after.docs}
    assert kinds["renamed.yaml"] is DocumentKind.RETENTION_POLICY
    assert kinds["openapi.yaml"] is DocumentKind.OPENAPI
    manifest = next(d for d in after.docs if d.rel == "data-manifest.yaml")
    assert manifest.detection is not None and manifest.detection.declared == "ocp-data-governance@1.0"
    assert after.findings == sub.findings  # detection alone finds nothing


def test_markdown_front_matter_is_never_a_document(tmp_path: Path) -> None:
    (tmp_path / "data-manifest.md").write_text("---\nkind: data-manifest\n---\n# text\n")
    after = detect.run(before(detect.run, tmp_path))
    assert [(d.rel, d.detection) for d in after.docs] == [("data-manifest.md", None)]
