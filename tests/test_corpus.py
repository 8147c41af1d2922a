"""Real OpenAPI descriptions written by others, through ``ocp-api-exchange``.

Every description in ``../shared/corpus/openapi/`` (the OpenAPI Initiative's examples, the
invalid fixtures of the OAI schema tests and of openapi-spec-validator, the multi-file MDS
descriptions and the large GitHub, Stripe and Twilio descriptions) is checked from the
command line: no crash, no traceback, a report that validates against the report schema, and
findings that say what is really wrong with each file. Skipped when ``../shared`` is absent.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED

CORPUS = SHARED / "corpus" / "openapi"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")

#: Findings about the file itself (it does not load, it does not match the OpenAPI schema, a
#: $ref leads nowhere), as (rule, JSON Pointer) pairs: what the corpus says is wrong with it.
STRUCTURAL = frozenset({"load", "schema", "ref"})

SWAGGER_2 = {("schema", "/swagger")}

EXPECTED: dict[str, set[tuple[str, str]]] = {
    # Valid OpenAPI 3.0 and 3.1 (openapi-spec-validator agrees): nothing structural to say.
    "oai-examples/v3.0-api-with-examples.json": set(),
    "oai-examples/v3.0-callback-example.yaml": set(),
    "oai-examples/v3.0-link-example.yaml": set(),
    "oai-examples/v3.0-petstore-expanded.yaml": set(),
    "oai-examples/v3.0-petstore.yaml": set(),
    "oai-examples/v3.0-uspto.yaml": set(),
    "oai-examples/v3.1-non-oauth-scopes.json": set(),
    "oai-examples/v3.1-tictactoe.yaml": set(),
    "oai-examples/v3.1-webhook-example.yaml": set(),
    # Versions the standard does not cover: one clear "not supported" finding, no guesses.
    "oai-examples/v2.0-petstore-with-external-docs.yaml": SWAGGER_2,
    "oai-examples/v2.0-petstore.json": SWAGGER_2,
    "oai-examples/v2.0-uber.yaml": SWAGGER_2,
    "oai-examples/v3.2-tags-example.yaml": {("schema", "/openapi")},
    "invalid/osv-v2.0-empty.yaml": SWAGGER_2,
    "invalid/osv-v2.0-missing-reference.yaml": SWAGGER_2
    | {
        ("ref", "/paths/~1pets/get/responses/200/schema/$ref"),
        ("ref", "/paths/~1pets/get/responses/default/schema/$ref"),
    },
    # Invalid fixtures: each is found, where the fixture's author put the mistake.
    "invalid/oai-3.1-invalid_schema_types.yaml": {
        ("schema", "/components/schemas/invalid_array"),
        ("schema", "/components/schemas/invalid_null"),
        ("schema", "/components/schemas/invalid_number"),
    },
    "invalid/oai-3.1-no_containers.yaml": {("schema", "")},
    "invalid/oai-3.1-server_enum_empty.yaml": {("schema", "/servers/0/variables/var/enum")},
    "invalid/oai-3.1-unknown_container.yaml": {("schema", "")},
    "invalid/osv-v3.0-empty.yaml": {("schema", "")},
    "invalid/osv-v3.0-missing-description.yaml": {("schema", "/paths/~1/get/responses/200")},
    "invalid/osv-v3.0-property-missing-reference.yaml": {
        ("ref", "/components/schemas/SomeDataType/properties/prop1/$ref"),
        ("schema", "/components/schemas/SomeDataType"),
    },
}


def _check(run: Any, *paths: Path) -> dict[str, Any]:
    result = run("check", *map(str, paths), "--standard", "ocp-api-exchange@1.0.0", "--format", "json")
    # None of these descriptions comes with a manifest and a retention policy, and none
    # meets the exchange standard: nonconformant, never a usage or internal error.
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    report: dict[str, Any] = result.json()  # validates against the report schema
    return report


def _findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for s in report["submissions"] for f in s["findings"]]


def test_every_corpus_description_has_an_expectation() -> None:
    on_disk = {
        p.relative_to(CORPUS).as_posix()
        for folder in ("oai-examples", "invalid")
        for p in (CORPUS / folder).iterdir()
        if p.suffix in {".yaml", ".yml", ".json"}
    }
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_description(run: Any, name: str) -> None:
    report = _check(run, CORPUS / name)
    findings = _findings(report)
    structural = {(f["rule"], f["location"]["pointer"]) for f in findings if f["rule"] in STRUCTURAL}
    assert structural == EXPECTED[name]
    for finding in findings:
        if finding["rule"] in STRUCTURAL:
            assert finding["location"]["line"] is not None, finding
    rules = {f["rule"] for f in findings if f["rule"].startswith("DX-")}
    if any(rule == "schema" and pointer in ("/swagger", "/openapi") for rule, pointer in structural):
        # An unsupported version is not judged clause by clause: the rules would guess.
        assert not rules
        [unsupported] = [f for f in findings if f["rule"] == "schema"]
        if name.startswith("oai-examples/v3.2"):
            # OpenAPI 3.2 is a format the tool reads, but ocp-api-exchange 1.0 ships no schema
            # for it (2.0 does): the version of the standard says so, not the tool.
            assert "is not covered by ocp-api-exchange@1.0.0" in unsupported["message"]
        else:
            assert "not supported" in unsupported["message"]
            assert "3.0, 3.1 or 3.2" in unsupported["message"]
        # ... and no clause passes by silence: each is not checked, or fails (DX-1.1).
        statuses = {
            c["clause"]: c["status"]
            for s in report["submissions"]
            for c in s["clauses"]
            if c["standard"].startswith("ocp-api-exchange@")
        }
        assert statuses.pop("DX-1.1") == "fail"
        assert set(statuses.values()) == {"not-checked"}
        assert not [f for f in findings if f["rule"].startswith("XD-")]
    else:
        # A description that is structurally OpenAPI 3.x is judged by the rules; none of
        # these example APIs was written for the standard, so each fails several clauses.
        assert len(rules) >= 5


def test_unsupported_versions_say_how_to_convert(run: Any) -> None:
    report = _check(run, CORPUS / "oai-examples" / "v2.0-uber.yaml")
    [finding] = [f for f in _findings(report) if f["rule"] == "schema"]
    assert (
        finding["message"]
        == "Swagger 2.0 is not supported: convert the description to OpenAPI 3.0, 3.1 or 3.2"
    )
    assert (finding["location"]["line"], finding["location"]["column"]) == (3, 10)


def test_multi_file_mds_descriptions_resolve_every_ref_within_the_root(run: Any) -> None:
    """MDS keeps its models in other files: every cross-file $ref resolves inside the root."""
    report = _check(run, CORPUS / "mds-openapi")
    [submission] = report["submissions"]
    documents = {d["path"]: d["kind"] for d in submission["documents"]}
    assert documents == {
        f"reference/{name}.yaml": "openapi"
        for name in ("agency", "geography", "jurisdiction", "metrics", "policy", "provider")
    }
    fragments = set(submission["fragments"])
    root = CORPUS / "mds-openapi"
    models = {p.relative_to(root).as_posix() for p in (root / "models").rglob("*.yaml")}
    assert fragments and fragments <= models
    assert "models/trip.yaml" in fragments
    findings = _findings(report)
    assert not [f for f in findings if f["rule"] in STRUCTURAL]
    rules = Counter(f["rule"] for f in findings)
    # The MDS APIs define their own error bodies instead of RFC 9457 problem details, and
    # do not declare which data categories each operation serves.
    assert rules["DX-3.3-problem-details"] > 0
    assert rules["DX-6.1-operation-categories"] > 0


@pytest.mark.parametrize(
    ("name", "operations"),
    [("github-api.github.com.json", 1223), ("stripe-spec3.yaml", 468), ("twilio-api-v2010.yaml", 197)],
)
def test_large_real_descriptions(run: Any, name: str, operations: int) -> None:
    """Large real APIs load, validate and are judged operation by operation."""
    report = _check(run, CORPUS / "large" / name)
    findings = _findings(report)
    assert not [f for f in findings if f["rule"] in STRUCTURAL]
    per_rule = Counter(f["rule"] for f in findings)
    folded = Counter()
    for sub in report["submissions"]:
        for group in sub.get("folded", []):
            folded[group["rule"]] += group["count"]
    # None declares x-ocp-data-categories: one finding per operation, each located; the
    # report lists the first 100 of a rule in a document and counts the rest.
    assert per_rule["DX-6.1-operation-categories"] == 100
    assert per_rule["DX-6.1-operation-categories"] + folded["DX-6.1-operation-categories"] == operations
    assert report["counts"]["error"] + report["counts"]["warning"] + report["counts"]["info"] >= operations
    located = [f for f in findings if f["rule"] == "DX-6.1-operation-categories"]
    assert all(f["location"]["line"] and f["location"]["column"] for f in located)


def test_openapi_3_2_is_judged_by_the_2_0_draft_against_the_official_schema(run: Any, tmp_path: Path) -> None:
    """ocp-api-exchange 1.0 leaves an OpenAPI 3.2 description out; 2.0.0 validates it against
    the OAI's published 3.2 schema and judges it clause by clause."""
    path = CORPUS / "oai-examples" / "v3.2-tags-example.yaml"
    result = run("check", str(path), "--standard", "ocp-api-exchange@2.0.0", "--format", "json")
    assert result.exit_code == 1, result.stderr
    findings = _findings(result.json())
    assert not [f for f in findings if f["rule"] in STRUCTURAL]
    assert len({f["rule"] for f in findings if f["rule"].startswith("DX-")}) >= 5
    # The same description made invalid is reported by the 3.2 schema, where it is wrong.
    broken = tmp_path / "broken.yaml"
    broken.write_text(path.read_text("utf-8").replace("openapi: 3.2.0", "openapi: 3.2.0\nwebhooks: 7", 1))
    result = run("check", str(broken), "--standard", "ocp-api-exchange@2.0.0", "--format", "json")
    structural = {
        (f["rule"], f["location"]["pointer"]) for f in _findings(result.json()) if f["rule"] in STRUCTURAL
    }
    assert ("schema", "/webhooks") in structural
