"""Files that are not OCP documents are named: what each is, at its line, and what to do.

The fixtures in ``tests/fixtures/foreign/`` are small files written for these tests in the
formats a vendor may hand in instead of the three OCP documents (AsyncAPI, CKAN, DCAT in
JSON-LD and Turtle, DCAT-US, Frictionless, Fides, JSON Schema, DTPR and JKAN Markdown, Swagger
2.0, OpenAPI 3.2, git merge conflicts, an empty file, a list). Each is judged alone (``--each``)
and in a folder; the real documents of ``../shared/corpus`` are in ``test_accounting.py``.

On the code before this change, ``--each`` called the Fides file, the Data Package, the DCAT
record and ``[]`` conformant ("clauses: none", exit 0), and the Markdown and Turtle files
were not read at all.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ocp_check import foreign
from ocp_check.scan import scan_folder

FIXTURES = Path(__file__).parent / "fixtures" / "foreign"

#: file -> (rule, words the message must hold, line of the finding)
EXPECTED: dict[str, tuple[str, str, int]] = {
    "asyncapi.yaml": ("foreign", "an AsyncAPI 3.0.0 description", 2),
    "catalog.jsonld": ("foreign", "a DCAT catalogue in JSON-LD", 2),
    "catalog.ttl": ("foreign", "RDF in Turtle (a DCAT catalogue)", 2),
    "city-profile.yaml": ("foreign", "an ocp-check city profile", 1),
    "ckan-package.json": ("foreign", "a CKAN dataset record ('pedestrian-counts')", 4),
    "conflict-in-text.yaml": ("load", "unresolved git merge conflict", 4),
    "conflict.json": ("load", "unresolved git merge conflict", 3),
    "datapackage.json": ("foreign", "a Frictionless Data Package (1 resource)", 4),
    "dcat-us.json": ("foreign", "a DCAT-US catalogue (Project Open Data metadata schema v1.1", 2),
    "dtpr-element.md": ("foreign", "a DTPR taxonomy element in Markdown front matter ('video_camera')", 3),
    "empty.yaml": ("load", "the file is empty", 1),
    "fides-system.yml": ("foreign", "a Fides resource file (fideslang system)", 2),
    "jkan-dataset.md": ("foreign", "a JKAN dataset record in Markdown front matter ('Pedestrian counts'", 7),
    "list.json": ("foreign", "the document is a list (0 items)", 1),
    "openapi-3.2.yaml": ("schema", "OpenAPI 3.2.0 is not covered by ocp-api-exchange@1.0.0, which judges OpenAPI 3.0, 3.1", 1),
    "swagger.yaml": ("schema", "Swagger 2.0 is not supported: convert the description to OpenAPI 3.0, 3.1 or 3.2", 1),
    "trip.schema.json": ("foreign", "a JSON Schema (draft 2020-12)", 2),
}

#: What each fix must point to: an 'ocp-check init' template or a conversion.
FIX_WORDS = ("ocp-check init", "Resolve the conflict", "Convert the description", "--profile", "$ref")


def _report(run: Any, *args: str) -> tuple[int, dict[str, Any]]:
    result = run("check", *args, "--format", "json", "--no-snippets", "--today", "2026-12-01")
    assert "Traceback" not in result.stderr
    return result.exit_code, result.json()


def test_every_fixture_has_an_expectation_and_readme_is_no_candidate() -> None:
    candidates = {c.rel for c in scan_folder(FIXTURES, "foreign").candidates}
    assert candidates == set(EXPECTED)
    assert (FIXTURES / "README.md").is_file()  # present, and not a candidate


def test_each_foreign_file_is_nonconformant_on_its_own_with_a_finding_at_its_line(run: Any) -> None:
    code, report = _report(run, "--each", str(FIXTURES))
    assert code == 1
    by_file = {s["name"].rsplit("/", 1)[-1]: s for s in report["submissions"]}
    assert set(by_file) == set(EXPECTED)
    for name, (rule, words, line) in EXPECTED.items():
        submission = by_file[name]
        assert submission["verdict"] == "nonconformant", name
        errors = [f for f in submission["findings"] if f["severity"] == "error" and f["rule"] == rule]
        assert errors, (name, submission["findings"])
        first = errors[0]
        assert words in first["message"], (name, first["message"])
        assert first["location"]["file"] == name
        assert first["location"]["line"] == line, (name, first["location"])
        assert any(w in first["fix"] for w in FIX_WORDS), (name, first["fix"])


def test_a_folder_of_foreign_files_is_one_nonconformant_submission_naming_each(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "vendor-upload"
    shutil.copytree(FIXTURES, folder)
    code, report = _report(run, str(folder))
    assert code == 1
    [submission] = report["submissions"]
    assert submission["verdict"] == "nonconformant"
    documents = {d["path"]: d for d in submission["documents"]}
    assert set(documents) == set(EXPECTED)
    # The two OpenAPI descriptions are documents of the bid (in versions it cannot judge);
    # the announced manifest with conflict markers is the bid's manifest, broken; every other
    # file says what it is.
    for name, document in documents.items():
        if name in ("swagger.yaml", "openapi-3.2.yaml"):
            assert document["kind"] == "openapi"
        elif name == "conflict.json":
            assert document["kind"] == "data-manifest"
            assert document["standard_reason"] == "not judged: the file cannot be loaded"
        else:
            assert document["kind"] is None
            assert document["unrecognised"], name
    named = {f["location"]["file"] for f in submission["findings"] if f["severity"] == "error"}
    assert set(EXPECTED) <= named


def test_markdown_and_rdf_are_candidates_only_by_content(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# A bid\n\n---\n\nno front matter\n")
    (tmp_path / "CHANGES.md").write_text("---\ntitle: never closed\n")
    (tmp_path / "entry.md").write_text("---\nid: x\n---\nbody\n")
    (tmp_path / "notes.ttl").write_text("just some text\n")
    (tmp_path / "graph.ttl").write_text("PREFIX ex: <http://example.org/>\nex:a ex:b ex:c .\n")
    (tmp_path / "triples.nt").write_text("<http://e.org/a> <http://e.org/b> \"c\" .\n")
    (tmp_path / "old.rdf").write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="x"></rdf:RDF>\n')
    candidates = [c.rel for c in scan_folder(tmp_path, "bid").candidates]
    assert candidates == ["entry.md", "graph.ttl", "old.rdf", "triples.nt"]


def test_merge_conflict_markers_need_a_whole_block() -> None:
    assert foreign.merge_conflict_line(b"a: 1\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> x\n") == 2
    assert foreign.merge_conflict_line(b"a\r\n<<<<<<< ours\r\n=======\r\n>>>>>>> theirs\r\n") == 2
    # A Markdown underline, or markers in the middle of a line, are not a conflict.
    assert foreign.merge_conflict_line(b"Title\n=======\n") is None
    assert foreign.merge_conflict_line(b"x: '<<<<<<< a'\n=======\n>>>>>>> b\n") is None
    assert foreign.merge_conflict_line(b"<<<<<<< HEAD\nno end\n") is None


@pytest.mark.parametrize(
    ("data", "format_"),
    [
        ({"kind": "data_manifest"}, "kind"),
        ({"kind": "Retention Policy"}, "kind"),
        ({"waivers": []}, "ocp-waivers"),
        ({"fides_key": "x", "name": "y"}, "fides"),
        ({"@context": "https://schema.org", "name": "x"}, "json-ld"),
        ({"$schema": "https://json.schemastore.org/schema-catalog.json", "schemas": []}, "schema-catalog"),
        ({"id": "x", "category_id": "purpose", "title": [{"locale": "en", "value": "X"}]}, "dtpr"),
        ({"version": "ai@2026-08-12-beta", "locales": ["en"]}, "dtpr"),
        ([{"kind": "data-manifest"}, {"kind": "retention-policy"}], "list"),
        (42, "scalar"),
        ({}, "empty"),
        ({"anything": 1}, "unrecognised"),
    ],
)
def test_recognise(data: Any, format_: str) -> None:
    assert foreign.recognise(data, "file.yaml").format == format_


def test_a_misspelt_kind_suggests_the_right_one() -> None:
    what = foreign.recognise({"kind": "data_manifest"}, "m.yaml")
    assert "did you mean 'data-manifest'" in what.message
    assert what.pointer == "/kind"


def test_a_list_of_documents_says_to_split_it() -> None:
    what = foreign.recognise([{"kind": "data-manifest"}, {"openapi": "3.1.0"}, 3], "all.json")
    assert what.message.startswith("the file holds a list of 3 items, 2 of them OCP documents")


def test_a_generic_mapping_beside_documents_stays_a_warning(run: Any, bid: Path) -> None:
    (bid / "notes.yaml").write_text("reviewer: Jane\n")
    code, report = _report(run, str(bid))
    assert code == 0
    [finding] = [f for f in report["submissions"][0]["findings"] if f["location"]["file"] == "notes.yaml"]
    assert (finding["rule"], finding["severity"]) == ("detect", "warning")


def test_a_foreign_file_beside_documents_is_an_error(run: Any, bid: Path) -> None:
    shutil.copy(FIXTURES / "fides-system.yml", bid / "fides.yml")
    code, report = _report(run, str(bid))
    assert code == 1
    [finding] = [f for f in report["submissions"][0]["findings"] if f["location"]["file"] == "fides.yml"]
    assert (finding["rule"], finding["severity"]) == ("foreign", "error")
