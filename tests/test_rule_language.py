"""Rule-language features, exercised through a city's local rule pack on the conformant
example bid: named conditions (``conditions:`` / ``condition: NAME``), the cross-document
``same_major_as`` check, and their validation when a pack loads (exit 2 naming the file)."""

from __future__ import annotations

from pathlib import Path

import pytest

PROFILE = "kind: profile\nid: local\ntitle: Local rules\nrule_packs:\n  - {standard: ocp-data-governance, path: local.yaml}\n"


def _local(tmp_path: Path, pack: str) -> Path:
    (tmp_path / "local.yaml").write_text(pack)
    profile = tmp_path / "p.yaml"
    profile.write_text(PROFILE)
    return profile


def _findings(run, bid: Path, profile: Path, rule: str) -> list[dict]:
    result = run("check", str(bid), "--profile", str(profile), "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return [f for f in result.json()["submissions"][0]["findings"] if f["rule"] == rule]


NAMED = """conditions:
  personal:
    - {path: /nature, in: [dpv:PersonalData, dpv:PseudonymisedData]}
  personal-and-sensitive:
    - {condition: personal}
    - {path: /sensitive, equals: true}
rules:
  - id: LOCAL-named
    clause: DG-2.4
    applies_to: data-manifest
    select: /data_categories/*
    label: /id
    when: [{condition: personal-and-sensitive}]
    assert: {path: /id, equals: nothing-is-called-this}
    message: "category {label} is personal and sensitive"
    fix: Nothing; this rule only shows which categories meet the named condition.
"""


def test_a_named_condition_selects_the_nodes_it_describes(run, bid, tmp_path):
    profile = _local(tmp_path, NAMED)
    found = _findings(run, bid, profile, "LOCAL-named")
    # trip_records is personal and sensitive; vehicle_status and aggregate_counts are neither.
    assert [f["location"]["pointer"] for f in found] == ["/data_categories/0/id"]
    assert found[0]["message"] == "category trip_records is personal and sensitive"


def test_not_of_a_named_condition_and_an_absent_subject(run, bid, tmp_path):
    pack = NAMED.replace(
        "when: [{condition: personal-and-sensitive}]",
        "when: [{not: {condition: personal-and-sensitive}}, {path: /no_such_member, not: {condition: personal}}]",
    )
    found = _findings(run, bid, _local(tmp_path, pack), "LOCAL-named")
    # The two other categories; an absent subject never meets a named condition.
    assert [f["location"]["pointer"] for f in found] == ["/data_categories/1/id", "/data_categories/2/id"]


@pytest.mark.parametrize(
    ("pack", "message"),
    [
        (
            NAMED.replace("{condition: personal-and-sensitive}", "{condition: personnal}"),
            "unknown condition 'personnal'",
        ),
        (
            # A condition may only use conditions defined before it: no cycles.
            NAMED.replace("    - {condition: personal}\n", "    - {condition: later}\n").replace(
                "rules:\n", "  later:\n    - {path: /sensitive, equals: true}\nrules:\n"
            ),
            "unknown condition 'later'",
        ),
        (NAMED.replace("  personal:\n", "  Personal:\n"), "'Personal' does not match"),
        (
            NAMED.replace(
                "    - {path: /nature, in: [dpv:PersonalData, dpv:PseudonymisedData]}\n",
                "    - {path: /nature, in: 3}\n",
            ),
            "value set",
        ),
    ],
)
def test_a_wrong_named_condition_stops_the_run_naming_the_pack(run, bid, tmp_path, pack, message):
    profile = _local(tmp_path, pack)
    result = run("check", str(bid), "--profile", str(profile))
    assert result.exit_code == 2
    assert "local.yaml" in result.stderr
    assert message in result.stderr


SAME_MAJOR = """rules:
  - id: LOCAL-same-major
    clause: XD-10
    applies_to: submission
    select: {document: data-manifest, path: /standard}
    assert:
      same_major_as: {document: retention-policy, path: /standard}
    message: "the manifest declares {value}: {detail}"
    fix: Declare the same major version in both documents.
"""


def test_same_major_as_passes_on_equal_majors_and_fails_on_different_ones(run, bid, tmp_path):
    profile = _local(tmp_path, SAME_MAJOR)
    assert _findings(run, bid, profile, "LOCAL-same-major") == []
    policy = bid / "retention-policy.yaml"
    policy.write_text(
        policy.read_text().replace("standard: ocp-data-retention@1.0", "standard: ocp-data-retention@2.0")
    )
    found = _findings(run, bid, profile, "LOCAL-same-major")
    assert len(found) == 1 and found[0]["location"]["pointer"] == "/standard"
    assert "major version 1" in found[0]["message"] and "major version 2" in found[0]["message"]


def test_same_major_as_leaves_a_malformed_other_side_to_that_documents_rules(run, bid, tmp_path):
    profile = _local(tmp_path, SAME_MAJOR)
    policy = bid / "retention-policy.yaml"
    policy.write_text(policy.read_text().replace("standard: ocp-data-retention@1.0", "standard: whatever"))
    assert _findings(run, bid, profile, "LOCAL-same-major") == []


@pytest.mark.parametrize(
    "spec",
    [
        "{document: retention-policy}",
        "{document: nowhere, path: /standard}",
        "{document: retention-policy, path: standard}",
    ],
)
def test_a_wrong_same_major_as_stops_the_run(run, bid, tmp_path, spec):
    pack = SAME_MAJOR.replace("{document: retention-policy, path: /standard}", spec)
    result = run("check", str(bid), "--profile", str(_local(tmp_path, pack)))
    assert result.exit_code == 2 and "same_major_as" in result.stderr


def test_standards_vocab_lists_every_term_with_label_and_source(run):
    result = run("standards", "vocab", "ocp-data-governance@1.1", "sensing-technologies")
    assert result.exit_code == 0
    assert "dtpr:gps  GPS" in result.stdout
    assert result.stdout.count("      source: ") == result.stdout.count("\n  dtpr:") + result.stdout.count(
        "\n  ocp:"
    )
    everything = run("standards", "vocab", "ocp-data-governance@1.1")
    assert (
        everything.exit_code == 0 and "legal-bases" in everything.stdout and "purposes" in everything.stdout
    )
    missing = run("standards", "vocab", "ocp-data-governance@1.1", "nope")
    assert missing.exit_code == 2 and "no vocabulary 'nope'" in missing.stderr


SUPERSET = """rules:
  - id: LOCAL-superset
    clause: DG-6.3
    applies_to: data-manifest
    select: /data_categories/0
    assert: {path: /access, superset_of: SET}
    message: "category 0 is not open to {expected}: {detail}"
    fix: Nothing; this rule only exercises superset_of.
"""


@pytest.mark.parametrize(
    ("value_set", "missing"),
    [
        ("[dtpr:available_to_vendor]", None),
        ("[dtpr:available_to_vendor, dtpr:available_to_the_accountable_organization]", None),
        ("[]", None),
        (
            "[dtpr:available_to_vendor, dtpr:available_to_download, dtpr:nobody]",
            "dtpr:available_to_download, dtpr:nobody",
        ),
    ],
)
def test_superset_of_requires_every_value_of_the_set(run, bid, tmp_path, value_set, missing):
    """The subject array holds every value of the set; the message names the missing ones."""
    found = _findings(run, bid, _local(tmp_path, SUPERSET.replace("SET", value_set)), "LOCAL-superset")
    if missing is None:
        assert found == []
    else:
        (finding,) = found
        assert finding["location"]["pointer"] == "/data_categories/0/access"
        assert f"missing {missing}" in finding["message"]


def test_superset_of_an_absent_subject_fails_unless_the_set_is_empty(run, bid, tmp_path):
    pack = SUPERSET.replace("path: /access", "path: /no_such_member")
    assert _findings(run, bid, _local(tmp_path, pack.replace("SET", "[]")), "LOCAL-superset") == []
    (finding,) = _findings(run, bid, _local(tmp_path, pack.replace("SET", "[a]")), "LOCAL-superset")
    assert finding["location"]["pointer"] == "/data_categories/0/no_such_member"
