"""A long value gets a verdict like any other: matching is linear, so there is no input limit.

The automaton that matched patterns before refused text over 100,000 characters, which left a
long value in a patterned schema field as an internal error that stopped the whole file from
being checked, and a long value under a rule's ``pattern`` check as "too long to check".
"""

from __future__ import annotations

LONG = 200_000


def _findings(result, file):
    return [f for f in result.json()["submissions"][0]["findings"] if f["location"]["file"] == file]


def test_a_long_value_in_a_patterned_schema_field_is_a_schema_finding(run, bid):
    manifest = bid / "data-manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "\n  id: northwind-cmi\n" in text
    manifest.write_text(
        text.replace("\n  id: northwind-cmi\n", f'\n  id: "n{"a" * LONG}!"\n', 1), encoding="utf-8"
    )
    result = run("check", str(bid), "--format", "json")
    assert result.exit_code == 1
    mine = _findings(result, "data-manifest.yaml")
    assert [(f["rule"], f["location"]["pointer"]) for f in mine if f["state"] == "active"] == [
        ("schema", "/system/id")
    ], [f["message"][:200] for f in mine]


def test_a_long_value_under_a_rule_pattern_is_judged(run, bid):
    api = bid / "openapi.yaml"
    text = api.read_text(encoding="utf-8")
    url = "https://api.cmi.northwind.example"
    assert f"  - url: {url}\n" in text
    api.write_text(text.replace(f"  - url: {url}\n", f"  - url: {url}/{'a' * LONG}\n", 1), encoding="utf-8")
    result = run("check", str(bid), "--format", "json")
    assert result.exit_code == 0, [f["message"][:200] for f in _findings(result, "openapi.yaml")]
    api.write_text(text.replace(f"  - url: {url}\n", f"  - url: ftp://{'a' * LONG}\n", 1), encoding="utf-8")
    result = run("check", str(bid), "--format", "json")
    assert [f["rule"] for f in _findings(result, "openapi.yaml") if f["state"] == "active"] == [
        "DX-2.1-https-top-level"
    ]
