"""Editor support: ``schema export`` writes every schema a user edits against, and a catalog in
SchemaStore's format; ``init`` starts each template with a modeline that points at its schema.

The exported schemas must say what the tool says: the profile schema exported for editors
accepts and refuses the same profiles as the tool's own validator, and the project
configuration schema agrees with the configuration parser.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator
from referencing import Registry

from ocp_check.catalog import Catalog
from ocp_check.config import CONFIG_NAMES, parse_config
from ocp_check.editor import MODELINE_PREFIX, bundled_profile_schema, with_modeline
from ocp_check.errors import OcpCheckError
from ocp_check.loader import load_path
from ocp_check.render import FORMATS
from ocp_check.scan import WAIVER_FILE_NAMES
from tests.conftest import REPO

EXAMPLES = REPO / "examples"

#: The shape of https://json.schemastore.org/schema-catalog.json, as SchemaStore documents it:
#: name, url and description required; fileMatch unique strings; https URLs only.
CATALOG_SHAPE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["schemas", "version", "$schema"],
    "properties": {
        "$schema": {"enum": ["https://json.schemastore.org/schema-catalog.json"]},
        "version": {"type": "number"},
        "schemas": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "url", "description"],
                "properties": {
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "fileMatch": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
                    "url": {"type": "string", "pattern": "^https://"},
                    "versions": {
                        "type": "object",
                        "additionalProperties": {"type": "string", "pattern": "^https://"},
                    },
                },
            },
        },
    },
}


def _export(run, target: Path, *extra: str) -> dict[str, Any]:
    result = run("schema", "export", str(target), *extra)
    assert result.exit_code == 0, result.stderr
    written = {Path(line).name for line in result.stdout.splitlines()}
    assert written == {p.name for p in target.iterdir()}
    catalog: dict[str, Any] = json.loads((target / "catalog.json").read_text("utf-8"))
    return catalog


def _load(path: Path) -> Any:
    """As the tool reads it: YAML 1.2 core typing keeps dates as text, as the schemas expect."""
    return load_path(path, str(path)).data


def _validator(schema: dict[str, Any]) -> Any:
    return Draft202012Validator(schema, registry=Registry())


def test_export_writes_the_tool_schemas_and_a_schemastore_catalog(run, tmp_path):
    target = tmp_path / "schemas"
    catalog = _export(run, target, "--base-url", "https://city.example/ocp/schemas/")
    Draft7Validator(CATALOG_SHAPE).validate(catalog)
    names = {p.name for p in target.iterdir()}
    assert {
        "ocp-check-profile.schema.json",
        "ocp-check-waivers.schema.json",
        "ocp-check-config.schema.json",
        "ocp-data-governance-1.1.0.schema.json",
        "ocp-data-retention-1.0.0.schema.json",
        "ocp-api-exchange-1.0.0-openapi-3.0.schema.json",
        "ocp-api-exchange-1.0.0-openapi-3.1.schema.json",
    } <= names
    # Every schema written is in the catalog, at the published URL, and nothing else is.
    urls = {e["url"] for e in catalog["schemas"]}
    assert urls == {f"https://city.example/ocp/schemas/{n}" for n in names - {"catalog.json"}}
    by_name = {e["name"]: e for e in catalog["schemas"]}
    assert by_name["ocp-check waivers file"]["fileMatch"] == list(WAIVER_FILE_NAMES)
    assert by_name["ocp-check project configuration"]["fileMatch"] == list(CONFIG_NAMES)
    assert by_name["ocp-data-governance data manifest"]["fileMatch"][0] == "data-manifest.yaml"
    # An openapi.yaml may be 3.0 or 3.1: no file name is claimed for either schema.
    assert not any("fileMatch" in e for e in catalog["schemas"] if "OpenAPI" in e["name"])
    for path in target.glob("*.schema.json"):
        schema = json.loads(path.read_text("utf-8"))
        if schema.get("$schema", "").startswith("https://json-schema.org/draft/2020-12"):
            Draft202012Validator.check_schema(schema)


def test_catalog_lists_every_exported_version_with_the_newest_as_its_url(run, tmp_path):
    catalog = _export(run, tmp_path, "-s", "ocp-data-governance@1.1", "-s", "ocp-data-governance@1.0")
    (entry,) = [e for e in catalog["schemas"] if e["name"] == "ocp-data-governance data manifest"]
    assert set(entry["versions"]) == {"1.0.0", "1.1.0"}
    assert entry["url"] == entry["versions"]["1.1.0"]
    # Without --base-url, the URLs are the written files, for an editor on this machine.
    for e in catalog["schemas"]:
        path = Path(unquote(urlparse(e["url"]).path))
        assert e["url"].startswith("file://") and path.is_file() and path.parent == tmp_path.resolve()


@pytest.mark.parametrize("url", ["http://city.example/schemas", "https://", "schemas/", "file:///tmp"])
def test_base_url_must_be_https(run, tmp_path, url):
    result = run("schema", "export", str(tmp_path / "out"), "--base-url", url)
    assert result.exit_code == 2 and "https" in result.stderr
    assert not (tmp_path / "out").exists()


def test_exported_profile_schema_is_self_contained_and_agrees_with_the_tool(tmp_path):
    from ocp_check.profiles import _validator as tool_profile_validator

    schema = bundled_profile_schema()
    refs = [v for v in _walk(schema) if isinstance(v, dict) and "$ref" in v]
    assert refs and all(r["$ref"].startswith("#/") for r in refs)
    exported = _validator(schema)  # no registry: an external $ref would fail to resolve
    profile = _load(EXAMPLES / "profiles" / "ontario-municipality.yaml")
    broken_waiver = json.loads(json.dumps(profile))
    broken_waiver["waivers"] = [{"id": "X-1", "rule": "r", "reason": "r", "approved_by": "a"}]
    unknown_key = {**profile, "colour": "blue"}
    for data, valid in ((profile, True), (broken_waiver, False), (unknown_key, False)):
        assert exported.is_valid(data) is valid
        assert tool_profile_validator().is_valid(data) is valid


def _walk(value: Any) -> Any:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def test_exported_waivers_schema_accepts_the_example_waivers(run, tmp_path):
    _export(run, tmp_path)
    check = _validator(json.loads((tmp_path / "ocp-check-waivers.schema.json").read_text("utf-8")))
    for path in [
        EXAMPLES / "waivers" / "harbourview-city-waivers.yaml",
        *EXAMPLES.glob("bids/*/ocp-waivers.yaml"),
    ]:
        assert check.is_valid(_load(path)), path


def _config_schema() -> Any:
    return _validator(json.loads((REPO / "ocp_check" / "schemas" / "config.schema.json").read_text("utf-8")))


CONFIGS: list[tuple[Any, bool]] = [
    ({}, True),
    ({"profile": "p.yaml", "waivers": "w.yaml", "fail_on": "warning"}, True),
    (
        {"waivers": ["a.yaml", "b.yaml"], "standards_path": ["std"], "standards": "ocp-data-governance@1.1"},
        True,
    ),
    ({"formats": ["text", "sarif:ocp.sarif", "markdown:out/ocp.md"]}, True),
    ({"formats": "json:report.json", "standards": ["ocp-api-exchange@1", "ocp-data-retention"]}, True),
    ({"lang": "fr"}, True),
    ({"lang": "fr,en"}, True),
    ({"lang": ["fr", "en"]}, True),
    ({"lang": []}, False),
    ({"lang": ["fr", 1]}, False),
    ({"lang": 3}, False),
    ({"fail_on": "fatal"}, False),
    ({"fail-on": "error"}, False),
    ({"profile": ["a.yaml"]}, False),
    ({"waivers": [1]}, False),
    ({"formats": 3}, False),
    (["profile"], False),
]


@pytest.mark.parametrize(("data", "valid"), CONFIGS)
def test_config_schema_agrees_with_the_configuration_parser(data, valid):
    assert _config_schema().is_valid(data) is valid
    if valid:
        parse_config(data, ".ocp-check.yaml", Path())
    else:
        with pytest.raises(OcpCheckError):
            parse_config(data, ".ocp-check.yaml", Path())


def test_config_schema_knows_every_format_and_refuses_others():
    check = _config_schema()
    for name in FORMATS:
        assert check.is_valid({"formats": [name, f"{name}:out.{name}"]})
    assert not check.is_valid({"formats": ["pdf"]})
    assert not check.is_valid({"formats": ["json:"]})


def test_the_examples_configuration_recipe_is_valid():
    """The README's `.ocp-check.yaml` keys, as a user would write them."""
    config = yaml.safe_load(
        "profile: examples/profiles/ontario-municipality.yaml\n"
        "waivers: [examples/waivers/harbourview-city-waivers.yaml]\n"
        "fail_on: error\n"
        "formats: [text, sarif:ocp.sarif]\n"
    )
    assert _config_schema().is_valid(config)


# --------------------------------------------------------------------------------- init


def _modeline_target(path: Path) -> Path:
    first = path.read_text("utf-8").split("\n", 1)[0]
    assert first.startswith(MODELINE_PREFIX)
    return path.parent / first.removeprefix(MODELINE_PREFIX)


def test_init_templates_start_with_a_modeline_to_their_schema(run, tmp_path):
    bid = tmp_path / "bid"
    result = run("init", "submission", str(bid))
    assert result.exit_code == 0, result.stderr
    catalog = Catalog([])
    expected = {
        "data-manifest.yaml": (catalog.resolve("ocp-data-governance"), ""),
        "retention-policy.yaml": (catalog.resolve("ocp-data-retention"), ""),
        "openapi.yaml": (catalog.resolve("ocp-api-exchange"), "3.1"),  # the template's version
    }
    for name, (standard, key) in expected.items():
        target = _modeline_target(bid / name)
        assert target.parent == bid / ".ocp-schemas"
        assert json.loads(target.read_text("utf-8")) == standard.schemas[key]
        # The rest of the file is the published template, unchanged.
        body = (bid / name).read_text("utf-8").split("\n", 1)[1]
        assert body == (standard.directory / "templates" / name).read_text("utf-8")


def test_init_with_a_shared_schema_folder_points_there_relatively(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "data-manifest", "bids/acme", "--schemas", "schemas")
    assert result.exit_code == 0, result.stderr
    first = (tmp_path / "bids" / "acme" / "data-manifest.yaml").read_text("utf-8").split("\n", 1)[0]
    assert first == f"{MODELINE_PREFIX}../../schemas/ocp-data-governance-1.1.0.schema.json"
    assert _modeline_target(tmp_path / "bids" / "acme" / "data-manifest.yaml").is_file()
    assert not (tmp_path / "bids" / "acme" / ".ocp-schemas").exists()


def test_with_modeline_replaces_an_existing_one():
    once = with_modeline("kind: x\n", "a.json")
    assert once == f"{MODELINE_PREFIX}a.json\nkind: x\n"
    assert with_modeline(once, "b.json") == f"{MODELINE_PREFIX}b.json\nkind: x\n"


def test_exported_schemas_beside_bids_are_named_never_dropped(run, tmp_path):
    """The OpenAPI schemas have an "openapi" property; a JSON Schema still announces no document.

    A folder of exported schemas beside the bids is no bid of documents, but its files are not
    fragments of one either: it is reported as a submission of JSON Schemas, each file named
    (a folder nobody asked for never vanishes unseen). Exported into a hidden folder, as
    'init' and the README do, it is not scanned at all."""
    from ocp_check.grouping import announced_kind

    shutil.copytree(REPO / "examples" / "bids" / "harbourview-sensors", tmp_path / "bids" / "harbourview")
    assert run("schema", "export", str(tmp_path / "bids" / ".ocp-schemas")).exit_code == 0
    result = run("check", str(tmp_path / "bids"), "--format", "json", "--today", "2026-12-01")
    assert [s["name"].rsplit("/", 1)[-1] for s in result.json()["submissions"]] == ["harbourview"]
    assert result.exit_code == 0

    assert run("schema", "export", str(tmp_path / "bids" / "schemas")).exit_code == 0
    result = run("check", str(tmp_path / "bids"), "--format", "json", "--today", "2026-12-01")
    report = result.json()
    assert [s["name"].rsplit("/", 1)[-1] for s in report["submissions"]] == ["harbourview", "schemas"]
    assert result.exit_code == 1
    schemas = report["submissions"][1]
    assert schemas["verdict"] == "nonconformant"
    exported = sorted(p.name for p in (tmp_path / "bids" / "schemas").iterdir())
    assert sorted(d["path"].rsplit("/", 1)[-1] for d in schemas["documents"]) == exported
    for document in schemas["documents"]:
        assert document["kind"] is None
        assert "JSON Schema" in document["unrecognised"], document
    named = {f["location"]["file"] for f in schemas["findings"] if f["rule"] == "foreign"}
    assert named == {d["path"] for d in schemas["documents"]}
    # A document that names its own schema for a JSON editor still announces its kind.
    head = b'{"$schema": "./.ocp-schemas/ocp-data-governance-1.1.0.schema.json", "kind": "data-manifest"}'
    assert announced_kind(head) == "data-manifest"
    assert announced_kind(b'{"$schema": "http://json-schema.org/draft-04/schema#", "openapi": {}}') is None
