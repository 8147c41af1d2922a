"""A submission may hold several API descriptions, and each is judged.

A vendor with a public open-data API and a city-only API hands in two OpenAPI descriptions.
On the code before this change only the first was judged: the others got one finding ("a
second API description in the same submission") and none of their own, and cross-document
rules saw the first API only, so a format offered by the second API's bulk export counted as
not offered.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import requires_shared


def _report(run: Any, path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run("check", str(path), "--format", "json", "--today", "2026-12-01", *args)
    assert "Traceback" not in result.stderr
    return result.exit_code, result.json()


def _findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for s in report["submissions"] for f in s["findings"]]


def test_each_api_gets_its_own_findings(run: Any, bid: Path) -> None:
    api = (bid / "openapi.yaml").read_text()
    (bid / "openapi.yaml").write_text(api.replace("    email: api-support@northwind.example\n", "").replace(
        "    url: https://northwind.example/support\n", ""
    ))
    (bid / "partner-api.yaml").write_text(
        api.replace("  license:\n    name: Open Government Licence - Canada 2.0\n    identifier: OGL-Canada-2.0\n", "")
    )
    code, report = _report(run, bid)
    assert code == 1
    [submission] = report["submissions"]
    assert {d["path"]: d["kind"] for d in submission["documents"]}["partner-api.yaml"] == "openapi"
    by_file = Counter((f["location"]["file"], f["rule"]) for f in _findings(report))
    assert by_file[("openapi.yaml", "DX-1.2-contact")] == 1, by_file
    assert by_file[("partner-api.yaml", "DX-1.3-license")] == 1, by_file
    assert not [f for f in _findings(report) if "second API description" in f["message"]]
    # The same operation ids in two APIs are not duplicates: DX-5.2 looks inside one API.
    assert not [f for f in _findings(report) if f["rule"].startswith("DX-5.2")]


def test_cross_document_rules_consider_every_api(run: Any, bid: Path) -> None:
    """The manifest promises GeoJSON exports; only the second API's bulk export offers them."""
    manifest = bid / "data-manifest.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "export_formats: [text/csv, application/json, application/vnd.datapackage+json]",
            "export_formats: [text/csv, application/json, application/vnd.datapackage+json, application/geo+json]",
        )
    )
    api = (bid / "openapi.yaml").read_text()
    geo = api.replace(
        "              application/vnd.datapackage+json:\n",
        "              application/geo+json:\n                schema:\n                  type: object\n"
        "              application/vnd.datapackage+json:\n",
    )
    assert geo != api
    (bid / "z-geo-api.yaml").write_text(geo)
    code, report = _report(run, bid)
    assert not [f for f in _findings(report) if f["rule"].startswith("XD-6")], _findings(report)
    assert code == 0, [f["message"] for f in _findings(report)]
    clauses = {c["clause"]: c["status"] for c in report["submissions"][0]["clauses"]}
    assert clauses["XD-6"] == "pass"

    # Without the second API the promise is broken, as before.
    (bid / "z-geo-api.yaml").unlink()
    code, report = _report(run, bid)
    assert code == 1
    assert [f["rule"] for f in _findings(report) if f["rule"].startswith("XD-6")] == ["XD-6-export-format-offered"]


def test_a_second_manifest_is_still_a_finding(run: Any, bid: Path) -> None:
    (bid / "z-manifest.yaml").write_text((bid / "data-manifest.yaml").read_text())
    code, report = _report(run, bid)
    assert code == 1
    assert [f["location"]["file"] for f in _findings(report) if "second data manifest" in f["message"]] == [
        "z-manifest.yaml"
    ]


@pytest.mark.parametrize("each", [False, True], ids=["folder", "each"])
def test_every_civic_api_of_a_folder_is_judged(run: Any, tmp_path: Path, each: bool) -> None:
    """The OAI's example APIs in one folder: each valid description gets the findings it gets
    when checked alone, whether the folder is one submission or each file is."""
    corpus = requires_shared() / "corpus" / "openapi" / "oai-examples"
    valid = sorted(p.name for p in corpus.iterdir() if p.name.startswith(("v3.0-", "v3.1-")))
    folder = tmp_path / "apis"
    folder.mkdir()
    for name in valid:
        (folder / name).write_bytes((corpus / name).read_bytes())
    args = ["--standard", "ocp-api-exchange@1.0", *(["--each"] if each else [])]
    code, report = _report(run, folder, *args)
    assert code == 1
    together = Counter(f["location"]["file"] for f in _findings(report) if f["rule"].startswith("DX-"))
    for name in valid:
        _, alone = _report(run, folder / name, "--standard", "ocp-api-exchange@1.0")
        own = [f for f in _findings(alone) if f["rule"].startswith("DX-")]
        assert own, name
        assert together[name] == len(own), (name, together[name], len(own))
