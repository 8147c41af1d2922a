"""Documents in memory are judged exactly as files of the same names in a folder would be:
the JSON reports are byte-identical, for conformant, nonconformant and hostile documents."""

from __future__ import annotations

from pathlib import Path

import pytest

import ocp_check

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-12-01"


def _documents(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _same_as_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, documents: dict[str, bytes | str], **options: object
) -> ocp_check.Report:
    folder = tmp_path / "bid"
    for rel, content in documents.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
    monkeypatch.chdir(tmp_path)
    from_files = ocp_check.check(["bid"], today=TODAY, jobs=1, **options)  # type: ignore[arg-type]
    in_memory = ocp_check.check_documents(documents, name="bid", today=TODAY, jobs=1, **options)  # type: ignore[arg-type]
    assert ocp_check.render_report(in_memory, "json") == ocp_check.render_report(from_files, "json")
    assert ocp_check.render_report(in_memory, "text") == ocp_check.render_report(from_files, "text")
    return in_memory


@pytest.mark.parametrize(
    "example",
    [
        "bids/harbourview-sensors",
        "bids/panoptic-insights",
        "bids/lakeshore-micromobility",
        "adversarial/05-outside-the-manifest",
    ],
)
def test_an_example_in_memory_is_judged_as_its_files(
    example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _same_as_files(tmp_path, monkeypatch, _documents(REPO / "examples" / example))
    assert report.submissions[0].name == "bid"
    assert all(i.submission == "bid" for i in report.inputs)
    assert report.options["paths"] == ["bid"]


def test_text_hostile_and_broken_documents_are_findings_not_exceptions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents: dict[str, bytes | str] = {
        "data-manifest.yaml": "kind: data-manifest\nstandard: ocp-data-governance@1.0\nvendor: [unclosed\n",
        "openapi.yaml": b"openapi: 3.1.0\n\xff\xfe not utf-8\n",
        "retention-policy.yaml": "kind: retention-policy\na: &a [*a]\n",
        "models/fragment.yaml": "$ref: ../../outside.yaml\n",
    }
    report = _same_as_files(tmp_path, monkeypatch, documents)
    assert not report.conformant
    assert {f.location.file for f in report.submissions[0].findings} >= {"data-manifest.yaml", "openapi.yaml"}


def test_each_names_every_document_under_the_submission_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _same_as_files(
        tmp_path, monkeypatch, _documents(REPO / "examples/bids/harbourview-sensors"), each=True
    )
    assert [s.name for s in report.submissions] == [
        "bid/data-manifest.yaml",
        "bid/openapi.yaml",
        "bid/retention-policy.yaml",
    ]


@pytest.mark.parametrize(
    "name",
    ["", "/etc/passwd", "../up.yaml", "a/../b.yaml", "a//b.yaml", "./a.yaml", "a\\b.yaml", "a\x00.yaml"],
)
def test_a_name_that_leaves_the_submission_is_refused(name: str) -> None:
    with pytest.raises(ocp_check.UsageError):
        ocp_check.check_documents({name: "a: 1\n"}, jobs=1)


def test_no_documents_is_a_usage_error() -> None:
    with pytest.raises(ocp_check.UsageError, match="no documents"):
        ocp_check.check_documents({})


def test_nothing_is_left_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ocp_check.check_documents({"data-manifest.yaml": "kind: data-manifest\n"}, today=TODAY, jobs=1)
    assert list(tmp_path.iterdir()) == []
