"""The change summaries of ``standards diff`` (and of the JSON ``summary``) in both languages:
French through the catalog, English unchanged."""

from __future__ import annotations

import pytest

from ocp_check.cli.common import open_catalog
from ocp_check.diff import diff_standards
from ocp_check.i18n import using

NBSP = "\u00a0"


def _summaries(language: str, old: str, new: str) -> dict[str, list[str]]:
    catalog = open_catalog(None)
    with using(language):
        changes = diff_standards(catalog.resolve(old), catalog.resolve(new)).changes
    out: dict[str, list[str]] = {}
    for change in changes:
        out.setdefault(change.kind, []).append(change.summary)
    return out


GOVERNANCE = ("ocp-data-governance@1.0.0", "ocp-data-governance@1.1.0")


def test_the_change_summaries_in_french() -> None:
    fr = _summaries("fr", *GOVERNANCE)
    assert f"DG-3.5 (DEVRAIT){NBSP}: Les finalités larges s'accompagnent d'une finalité précise" in fr["added"]
    assert f"DG-5.2{NBSP}: niveau DEVRAIT → DOIT (resserré)" in fr["level-raised"]
    assert f"breach_notification_max_hours{NBSP}: valeur par défaut 72 → 24 (resserrée)" in fr["default-tightened"]
    assert f"breach_notification_max_hours{NBSP}: description modifiée" in fr["described"]
    assert f"purposes{NBSP}: dpv:PublicBenefit porte désormais l'étiquette broad" in fr["tag-added"]
    assert any(s.startswith(f"DG-3.1{NBSP}: texte désormais «{NBSP}Chaque catégorie") for s in fr["text-changed"])
    assert fr["changed"][0].startswith(f"summary{NBSP}: «{NBSP}")


def test_the_change_summaries_in_english() -> None:
    en = _summaries("en", *GOVERNANCE)
    assert "DG-3.5 (SHOULD): Broad purposes come with a specific one" in en["added"]
    assert "DG-5.2: level SHOULD → MUST (tightened)" in en["level-raised"]
    assert "breach_notification_max_hours: default 72 → 24 (tightened)" in en["default-tightened"]
    assert "breach_notification_max_hours: description changed" in en["described"]
    assert "purposes: dpv:PublicBenefit now tagged broad" in en["tag-added"]
    assert any(s.startswith("DG-3.1: text now “Each data category") for s in en["text-changed"])
    assert en["changed"][0].startswith("summary: 'What a vendor")


@pytest.mark.parametrize(
    "pair",
    [
        ("ocp-data-governance@1.1.0", "ocp-data-governance@2.0.0"),
        ("ocp-data-governance@2.0.0", "ocp-data-governance@1.0.0"),
        ("ocp-data-retention@1.0.0", "ocp-data-retention@2.0.0"),
        ("ocp-api-exchange@2.0.0", "ocp-api-exchange@1.0.0"),
    ],
)
def test_no_english_sentence_is_left_in_french(pair: tuple[str, str]) -> None:
    """Every summary of a French diff is French: none is its English twin, and no English
    sentence word of the summaries shows (ids, tokens and the standard's quoted text aside)."""
    en, fr = _summaries("en", *pair), _summaries("fr", *pair)
    english_words = ("added", "removed", "changed", "reworded", "no longer", "now tagged", "level", "default", "was")
    for kind, sentences in fr.items():
        for english, french in zip(en[kind], sentences, strict=True):
            if kind == "changed":  # the standard's metadata, quoted as it is
                continue
            assert french != english
            frame = french.split(NBSP + ": ", 1)[-1] if kind in ("added", "removed") else french
            for word in english_words:
                assert f" {word} " not in f" {frame} ", (kind, french)


def test_the_governance_record_in_french_and_in_english() -> None:
    from ocp_check.governance import facts

    standard = open_catalog(None).resolve("ocp-data-governance@1.1.0")
    with using("fr"):
        fr = dict(facts(standard.governance))
    assert fr["status"] == (
        "ébauche diffusée pour un usage à l'essai depuis le 16 novembre 2026; approuvée par aucun organisme"
    )
    assert fr["approval"] == f"aucune{NBSP}: aucun organisme n'a approuvé cette version"
    assert fr["public comment"] == "aucune consultation tenue"
    assert fr["languages"] == f"en (fait foi), fr (traduction de en, non approuvée{NBSP}: informative seulement)"
    assert fr["next review"] == "non prévu (fixé quand un organisme approuve une version)"
    assert fr["version number"].startswith(f"aurait dû être 2.0.0{NBSP}: ")
    with using("en"):
        en = dict(facts(standard.governance))
    assert en["status"] == "draft released for trial use since 2026-11-16; approved by no body"
    assert en["approval"] == "none: no body has approved this version"
    assert en["public comment"] == "none held"
    assert en["languages"] == "en (authoritative), fr (translation of en, not approved: informative only)"
    assert en["next review"] == "not scheduled (set when a body approves a version)"
    assert en["version number"].startswith("should have been 2.0.0: ")


def test_python_api_errors_in_french_and_in_english() -> None:
    from ocp_check import api
    from ocp_check.errors import UsageError

    def said(language: str, call: object) -> str:
        with using(language), pytest.raises(UsageError) as caught:
            call()  # type: ignore[operator]
        return str(caught.value)

    cases = [
        (lambda: api.check_documents({}), "no documents to check", "aucun document à vérifier"),
        (lambda: api.check(["-"]), "'-' (standard input) is for the command line", "'-' (l'entrée standard) est réservé"),
        (
            lambda: api.check_documents({"../a.yaml": "{}"}),
            "'../a.yaml' is not a relative path inside the submission (a/b.yaml)",
            "'../a.yaml' n'est pas un chemin relatif à l'intérieur de la soumission (a/b.yaml)",
        ),
        (
            lambda: api.render_matrix(None, "pdf"),  # type: ignore[arg-type]
            "unknown format 'pdf'",
            f"format inconnu{NBSP}: 'pdf'",
        ),
    ]
    for call, english, french in cases:
        assert english in said("en", call)
        assert french in said("fr", call)
