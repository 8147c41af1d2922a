"""Sentences the engine writes into the report, in the run's language: why a version judges a
document, why a clause is disabled, waiver notes, provenance, the versions side by side, the
attestation findings. Each French case has its English twin, which must stay as it was."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ocp_check import i18n
from ocp_check.loader import load_bytes
from ocp_check.model import Finding, Level, Location, Severity
from ocp_check.stages import accounting, attestations, completeness, versions
from ocp_check.waivers import CITY, VENDOR, Waiver, apply, load_vendor_waivers, validate_waivers_data
from tests.stages.conftest import before

NBSP = "\u00a0"
REPO = Path(__file__).resolve().parents[1]
LAKESHORE = "examples/bids/lakeshore-micromobility"
ONTARIO = "examples/profiles/ontario-municipality.yaml"


def _json(run: Any, *args: str) -> dict[str, Any]:
    result = run("check", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _edit(bid: Path, name: str, old: str, new: str) -> None:
    text = (bid / name).read_text("utf-8")
    assert old in text, (name, old)
    (bid / name).write_text(text.replace(old, new, 1), "utf-8")


def _reasons(sub: Any) -> dict[str, str]:
    return {doc.rel: doc.reason for doc in sub.docs if doc.kind is not None}


# --------------------------------------------------------------------------- versions


@pytest.mark.parametrize(
    ("language", "declared", "default"),
    [
        ("en", "declared in the document (ocp-data-governance@1.0)", "no version declared: the default version"),
        ("fr", "déclarée dans le document (ocp-data-governance@1.0)", f"aucune version déclarée{NBSP}: la version par défaut"),
    ],
)
def test_why_a_version_judges_a_document(bid: Path, language: str, declared: str, default: str) -> None:
    _edit(bid, "retention-policy.yaml", "standard: ocp-data-retention@1.0\n", "")
    with i18n.using(language):
        reasons = _reasons(versions.run(before(versions.run, bid)))
    assert reasons["data-manifest.yaml"] == declared
    assert reasons["retention-policy.yaml"] == default


@pytest.mark.parametrize(
    ("language", "reason", "message"),
    [
        (
            "en",
            "the default version (declared 'ocp-data-governance@9.9' is unknown)",
            "the document declares 'ocp-data-governance@9.9', which is not a known standard version;",
        ),
        (
            "fr",
            f"la version par défaut (déclarée{NBSP}: «{NBSP}ocp-data-governance@9.9{NBSP}», inconnue)",
            "n'est pas une version de norme connue",
        ),
    ],
)
def test_an_unknown_declared_version(bid: Path, language: str, reason: str, message: str) -> None:
    _edit(bid, "data-manifest.yaml", "standard: ocp-data-governance@1.0", "standard: ocp-data-governance@9.9")
    with i18n.using(language):
        sub = before(versions.run, bid)
        after = versions.run(sub)
    assert _reasons(after)["data-manifest.yaml"] == reason
    [finding] = after.findings[len(sub.findings) :]
    assert message in finding.message


@pytest.mark.parametrize(
    ("language", "reason", "left_out"),
    [
        (
            "en",
            "not judged: --standard names only ocp-data-retention@1.0.0",
            "ocp-data-governance and its cross-document clauses: not judged, --standard names only ocp-data-retention@1.0.0",
        ),
        (
            "fr",
            f"non évalué{NBSP}: --standard ne nomme que ocp-data-retention@1.0.0",
            f"ocp-data-governance et ses articles interdocuments{NBSP}: non évalués, --standard ne nomme que "
            "ocp-data-retention@1.0.0",
        ),
    ],
)
def test_a_narrowed_run_says_what_it_leaves_out(bid: Path, language: str, reason: str, left_out: str) -> None:
    with i18n.using(language):
        sub = versions.run(before(versions.run, bid, standards=("ocp-data-retention@1.0.0",)))
        assert left_out in sub.run.left_out_standards()
    assert _reasons(sub)["data-manifest.yaml"] == reason


def test_a_file_that_does_not_load_and_a_document_checked_on_its_own(bid: Path) -> None:
    (bid / "broken.yaml").write_text("a: [\n")
    with i18n.using("fr"):
        sub = accounting.run(before(accounting.run, bid))
        alone = completeness.run(before(completeness.run, bid / "data-manifest.yaml", each=True))
    assert sub.unrecognised["broken.yaml"].startswith(f"ne peut pas être chargé{NBSP}: ")
    assert list(alone.not_applicable.values()) == ["chaque document est vérifié seul (--each)"]


def test_a_profile_chooses_the_versions_and_disables_clauses_in_french(run: Any) -> None:
    data = _json(run, LAKESHORE, "--profile", ONTARIO, "--lang", "fr")
    [sub] = data["submissions"]
    assert {d["standard_reason"] for d in sub["documents"]} == {"choisie par le profil ontario-municipality"}
    disabled = [c["reason"] for c in sub["clauses"] if c["status"] == "disabled"]
    assert disabled and all(r.startswith(f"désactivé par le profil ontario-municipality{NBSP}: ") for r in disabled)
    english = _json(run, LAKESHORE, "--profile", ONTARIO)["submissions"][0]
    assert {d["standard_reason"] for d in english["documents"]} == {"chosen by profile ontario-municipality"}
    assert all(
        c["reason"].startswith("disabled by profile ontario-municipality: ")
        for c in english["clauses"]
        if c["status"] == "disabled"
    )


# --------------------------------------------------------------------------- waivers


def _note(issuer: str, expires: str, language: str) -> str:
    finding = Finding("r1", "C-1", None, Level.MUST, Severity.ERROR, "m", "f", Location("a.yaml", "/x", 1, 1))
    waiver = Waiver("W1", "r1", None, None, None, (), None, "why", "someone", expires, issuer, "w.yaml", "/waivers/0")
    with i18n.using(language):
        [out], _usage = apply([finding], [waiver], submission="bid", city_evaluation=True, today=datetime.date(2026, 6, 1))
    assert out.waiver is not None and not out.waiver.honoured
    return out.waiver.note


def test_the_notes_of_a_waiver_not_honoured() -> None:
    assert _note(CITY, "2026-01-31", "en") == "expired on 2026-01-31: the finding counts again"
    assert _note(CITY, "2026-01-31", "fr") == f"expirée le 2026-01-31{NBSP}: le constat compte de nouveau"
    assert _note(VENDOR, "2030-01-01", "en") == "vendor waivers are shown but not honoured in a city evaluation"
    assert _note(VENDOR, "2030-01-01", "fr") == (
        "les dérogations du fournisseur sont affichées, mais ne sont pas appliquées dans une évaluation par la ville"
    )


def test_the_vendor_waiver_note_of_a_city_evaluation_in_a_french_report(run: Any) -> None:
    [finding] = [
        f for f in _json(run, LAKESHORE, "--profile", ONTARIO, "--lang", "fr")["submissions"][0]["findings"] if f.get("waiver")
    ]
    assert finding["waiver"]["note"].startswith("les dérogations du fournisseur sont affichées")


WAIVERS = """kind: waivers
waivers:
  - {id: W1, rule: r1, reason: A deviation the city accepted, approved_by: Jane Roe, expires: 2030-01-01, issued_by: city}
  - {id: W1, rule: r2, reason: A deviation the city accepted, approved_by: Jane Roe, expires: 2030-01-01}
"""


@pytest.mark.parametrize(
    ("language", "twice", "claims"),
    [
        (
            "en",
            "waiver id 'W1' is used twice (first at /waivers/0/id)",
            "waiver W1 claims to be issued by the city, but a waivers file inside the bid is the vendor's; "
            "it is treated as a vendor waiver",
        ),
        (
            "fr",
            "l'identifiant de dérogation 'W1' est utilisé deux fois (la première fois à /waivers/0/id)",
            "la dérogation W1 se dit accordée par la ville, mais un fichier de dérogations qui se trouve dans la "
            "soumission est celui du fournisseur; elle est traitée comme une dérogation du fournisseur",
        ),
    ],
)
def test_the_problems_of_a_vendor_waivers_file(language: str, twice: str, claims: str) -> None:
    doc = load_bytes(WAIVERS.encode(), "ocp-waivers.yaml")
    with i18n.using(language):
        assert [p.message for p in validate_waivers_data(doc.data)] == [twice]
        unique = load_bytes(WAIVERS.replace("{id: W1, rule: r2", "{id: W2, rule: r2").encode(), "ocp-waivers.yaml")
        assert [p.message for p in load_vendor_waivers(unique)[1]] == [claims]


# --------------------------------------------------------------------------- attestations

QUESTION_FR = (
    "Le fournisseur consigne-t-il chaque demande d'un organisme gouvernemental visant les données du système "
    "et chaque communication"
)
QUESTION_EN = "Does the vendor record every request from a government body for the system's data"


@pytest.mark.parametrize(
    ("language", "answer", "message"),
    [
        ("en", None, "no attestation for DG-10.4: " + QUESTION_EN),
        ("fr", None, f"aucune attestation pour DG-10.4{NBSP}: " + QUESTION_FR),
        ("en", "no", "the vendor answers 'no' to DG-10.4: " + QUESTION_EN),
        ("fr", "no", f"le fournisseur répond «{NBSP}non{NBSP}» à DG-10.4{NBSP}: " + QUESTION_FR),
        ("en", "maybe", "the attestation for DG-10.4 is not answered yes or no: " + QUESTION_EN),
        ("fr", "maybe", f"la réponse à l'attestation de DG-10.4 n'est ni oui ni non{NBSP}: " + QUESTION_FR),
    ],
)
def test_an_attestation_finding_asks_the_question_in_the_run_s_language(
    tmp_path: Path, language: str, answer: str | None, message: str
) -> None:
    bid = tmp_path / "bid"
    shutil.copytree(REPO / "examples" / "bids" / "harbourview-sensors", bid)
    if answer is None:
        _edit(bid, "data-manifest.yaml", "  DG-10.4:\n", "  XX-0.0:\n")
    else:
        _edit(bid, "data-manifest.yaml", '  DG-10.4:\n    answer: "yes"', f'  DG-10.4:\n    answer: "{answer}"')
    with i18n.using(language):
        sub = before(attestations.run, bid)
        made = attestations.run(sub).findings[len(sub.findings) :]
    [finding] = [f for f in made if f.clause == "DG-10.4"]
    assert finding.message.startswith(message), finding.message


# --------------------------------------------------------------------------- versions side by side


def test_the_versions_side_by_side_in_french(run: Any) -> None:
    versions = ("-s", "ocp-data-governance@1.0", "-s", "ocp-data-governance@1.1", "-s", "ocp-data-governance@2.0")
    bid = "examples/bids/harbourview-sensors"
    [english] = _json(run, bid, *versions)["evaluations"]
    assert english["summary"] == (
        "fails ocp-data-governance@1.0.0; fails ocp-data-governance@1.1.0 with no new failing clause; "
        "passes ocp-data-governance@2.0.0 with no new failing clause; "
        "2 clause(s) failing in ocp-data-governance@1.1.0 pass in ocp-data-governance@2.0.0: DG-1.1, XD-10"
    )
    [french] = _json(run, bid, *versions, "--lang", "fr")["evaluations"]
    assert french["summary"] == (
        "non conforme à ocp-data-governance@1.0.0; "
        "non conforme à ocp-data-governance@1.1.0, sans nouvel article non satisfait; "
        "conforme à ocp-data-governance@2.0.0, sans nouvel article non satisfait; "
        "2 articles non satisfaits dans ocp-data-governance@1.1.0 sont satisfaits dans "
        f"ocp-data-governance@2.0.0{NBSP}: DG-1.1, XD-10"
    )
    assert french["new_failures"] == english["new_failures"]  # tokens, the same in every language


def test_clauses_newly_failing_are_counted_in_words_that_agree(run: Any) -> None:
    versions = ("-s", "ocp-data-governance@1.0", "-s", "ocp-data-governance@1.1")
    [french] = _json(run, "examples/bids/panoptic-insights", *versions, "--lang", "fr")["evaluations"]
    assert french["summary"] == (
        "non conforme à ocp-data-governance@1.0.0; ne satisfait pas à 2 articles nouveaux ou resserrés dans "
        f"ocp-data-governance@1.1.0 (2 resserrés{NBSP}: DG-5.2, DG-9.3)"
    )


# --------------------------------------------------------------------------- provenance


def _installed(tmp_path: Path, record: dict[str, Any] | None) -> Any:
    """ocp-data-retention 1.0.0 as if installed from a bundle, with the installation record given."""
    from ocp_check.bundles import PROVENANCE_SUFFIX
    from ocp_check.standard_files import load_standard

    folder = tmp_path / "installed" / "ocp-data-retention"
    shutil.copytree(REPO / "standards" / "ocp-data-retention" / "1.0.0", folder / "1.0.0")
    standard = load_standard(folder / "1.0.0", str(tmp_path))
    if record is not None:
        record = {"content_sha256": standard.sha256, **record}
        (folder / f"1.0.0{PROVENANCE_SUFFIX}").write_text(json.dumps(record), "utf-8")
    return standard


@pytest.mark.parametrize(
    ("record", "english", "french"),
    [
        ({"trust": "signed", "key": "ed25519:0123"}, "bundle signed by ed25519:0123", "paquet signé par ed25519:0123"),
        ({"trust": "unsigned"}, "bundle, unsigned", "paquet, non signé"),
        (
            {"trust": "untrusted", "key": "ed25519:0123"},
            "bundle with a signature by an untrusted key (ed25519:0123)",
            "paquet signé par une clé non fiable (ed25519:0123)",
        ),
        (
            {"trust": "signed", "key": "ed25519:0123", "content_sha256": "0" * 64},
            "bundle signed by ed25519:0123; changed since it was installed",
            "paquet signé par ed25519:0123; contenu modifié depuis l'installation",
        ),
        ({"key": "no trust"}, "bundle, with an unreadable installation record", "paquet, dont la fiche d'installation est illisible"),
        (None, "standards folder", "standards folder"),
    ],
)
def test_where_an_installed_standard_came_from(
    tmp_path: Path, record: dict[str, Any] | None, english: str, french: str
) -> None:
    from ocp_check.engine import standard_info

    standard = _installed(tmp_path, record)
    assert standard_info(standard).provenance == english
    with i18n.using("fr"):
        info = standard_info(standard)
        assert info.provenance == french
        shown = info.status_text()
    if record is not None:
        assert shown.endswith("; " + french)
    else:
        assert "standards folder" not in shown  # a token, never shown in the status text


# --------------------------------------------------------------------------- rule messages


def test_an_absent_value_inside_a_rule_message_is_said_in_the_run_s_language(run: Any) -> None:
    """A rule message quoting a value the document lacks names the absence in the run's language
    (the English twin keeps "(missing)")."""

    def messages(*extra: str) -> list[str]:
        report = _json(run, "examples/bids/panoptic-insights", *extra)
        found: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("rule") == "DG-14.5-transition-assistance" and "message" in node:
                    found.append(node["message"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(report)
        return found

    [english] = messages()
    [french] = messages("--lang", "fr")
    assert "(missing)" in english
    assert "(absente)" in french and "(missing)" not in french
