"""Standards text in French: the translation file's shape, what it lacks, what it gets wrong,
and the approved-version rule (both languages, nothing missing)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ocp_check import translations
from ocp_check.catalog import Catalog
from ocp_check.errors import StandardInvalid
from ocp_check.model import StandardRef
from ocp_check.standard_files import load_standard

REPO = Path(__file__).resolve().parents[1]


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "standards" / "city-retention" / "1.0.0"
    shutil.copytree(REPO / "standards" / "ocp-data-retention" / "1.0.0", target)
    # Each test writes the French it needs: the shipped translation is not part of the fixture.
    shutil.rmtree(target / "translations", ignore_errors=True)
    meta = target / "standard.yaml"
    text = re.sub(r"^id: .*$", "id: city-retention", meta.read_text(), count=1, flags=re.M)
    text = re.sub(r"^    - tag: fr\n(?:      .*\n)+", "", text, count=1, flags=re.M)
    text = text.replace(
        "    - tag: en\n      authoritative: true\n",
        "    - tag: en\n      authoritative: true\n"
        "    - tag: fr\n      authoritative: false\n      translation_of: en\n      approval: null\n"
        "      files: [translations/fr.yaml]\n",
    )
    meta.write_text(text)
    return target


def _translation(target: Path, body: str) -> None:
    (target / "translations").mkdir(exist_ok=True)
    (target / "translations" / "fr.yaml").write_text(
        "language: fr\ntranslation_of: en\nstandard: city-retention@1.0.0\n" + body, "utf-8"
    )


def _first_clause(target: Path) -> str:
    standard = load_standard(target, "standards")
    return standard.clauses[0].id


def test_the_french_of_a_clause_is_shown_and_english_fills_the_gaps(tmp_path):
    target = _copy(tmp_path)
    standard = load_standard(target, "standards")
    first, second = standard.clauses[0], standard.clauses[1]
    _translation(target, f"clauses:\n  {first.id}:\n    title: Titre en français\n")
    texts = translations.Texts(standard, "fr")
    assert texts.clause(first.id, "title", first.title) == "Titre en français"
    assert texts.clause(second.id, "title", second.title) == second.title
    assert translations.Texts(standard, "en").clause(first.id, "title", first.title) == first.title
    missing = translations.missing(standard, "fr")
    assert f"clause {first.id} title" not in missing
    assert f"clause {first.id} text" in missing
    assert translations.problems(standard) == []


def test_a_key_that_names_nothing_is_a_problem(tmp_path):
    target = _copy(tmp_path)
    _translation(target, "clauses:\n  DR-99.9:\n    title: Rien\n")
    standard = load_standard(target, "standards")
    assert any(
        "clause DR-99.9 title: the version has no such text" in p for p in translations.problems(standard)
    )


def test_a_message_whose_placeholders_differ_from_the_english_is_a_problem(tmp_path):
    target = _copy(tmp_path)
    standard = load_standard(target, "standards")
    rule_id, _, english = next(
        (r, f, t) for r, f, t in translations.rule_texts(standard) if f == "message" and "{" in t
    )
    _translation(target, f"rules:\n  {rule_id}:\n    message: 'valeur {{autre}}'\n")
    assert any("placeholders differ" in p for p in translations.problems(standard)), english
    _translation(target, f"rules:\n  {rule_id}:\n    message: {english!r}\n")
    translations._load.cache_clear()
    assert translations.problems(standard) == []


def test_a_translation_file_that_breaks_its_meta_schema_is_refused(tmp_path):
    target = _copy(tmp_path)
    _translation(target, "clauses:\n  DR-1.1:\n    titre: faute de frappe\n")
    standard = load_standard(target, "standards")
    with pytest.raises(StandardInvalid, match=r"translations/fr.yaml:\d+:\d+"):
        translations.problems(standard)


def test_an_approved_translation_must_translate_every_text(tmp_path):
    target = _copy(tmp_path)
    meta = target / "standard.yaml"
    meta.write_text(
        meta.read_text().replace(
            "      approval: null\n      files:",
            "      approval:\n        body: Harbourview City Council\n        decision: Approved the French text.\n"
            '        date: "2027-03-01"\n      files:',
        )
    )
    _first = _first_clause(target)
    _translation(target, f"clauses:\n  {_first}:\n    title: Titre\n")
    standard = load_standard(target, "standards")
    problems = translations.problems(standard)
    assert len(problems) == 1 and "texts have no translation, and it is approved" in problems[0]


def test_an_approved_version_must_list_french_and_english(tmp_path):
    from tests.test_governance import APPROVED

    target = _copy(tmp_path)
    meta = target / "standard.yaml"
    text = meta.read_text()
    english_only = APPROVED.replace(
        "    - tag: fr\n      authoritative: false\n      translation_of: en\n      approval: null\n", ""
    )
    meta.write_text(text[: text.index("governance:")] + english_only)
    with pytest.raises(StandardInvalid, match="languages"):
        load_standard(target, "standards")


def test_the_shipped_french_follows_dtpr_and_is_marked_a_translation():
    standard = Catalog(use_env=False).load(StandardRef("ocp-data-governance", "2.0.0"))
    (french,) = [lang for lang in standard.governance.languages if not lang.authoritative]
    assert french.tag == "fr" and french.translation_of == "en" and french.approval is None
    texts = translations.Texts(standard, "fr")
    assert texts.term("access-audiences", "dtpr:available_to_vendor", "") == "Disponible pour le fournisseur"
    assert texts.term("sensing-technologies", "dtpr:de_identified_video", "") == "Vidéo dépersonnalisée"
    loaded = translations.load_translation(standard, "fr")
    assert loaded is not None
    every_clause = {c.id for c in standard.clauses}
    assert {cid for cid, f in loaded.clauses.items() if "title" in f and "text" in f} == every_clause
    labelled = {
        (v, t) for v, vocab in standard.vocabularies.items() for t, term in vocab.terms.items() if term.label
    }
    assert {(v, t) for v, vt in loaded.vocabularies.items() for t in vt.terms} == labelled


def _strings(node: object, path: str = "") -> list[tuple[str, str]]:
    if isinstance(node, str):
        return [(path, node)]
    if isinstance(node, dict):
        return [pair for key, value in node.items() for pair in _strings(value, f"{path}/{key}")]
    if isinstance(node, list):
        return [pair for i, value in enumerate(node) for pair in _strings(value, f"{path}/{i}")]
    return []


@pytest.mark.parametrize(
    "path", sorted(REPO.glob("standards/*/*/translations/fr.yaml")), ids=lambda p: "/".join(p.parts[-4:-2])
)
def test_guillemets_keep_their_words(path: Path) -> None:
    """« and » hold their word with a no-break space: a line break, or a plain space that a
    wrapped line may break at (a folded YAML line becomes one), would leave « at a line end."""
    import yaml

    loose = re.compile(r"«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»")
    bad = [
        f"{where}: …{text[max(0, m.start() - 20) : m.end() + 20]!r}…"
        for where, text in _strings(yaml.safe_load(path.read_text("utf-8")))
        for m in loose.finditer(text)
    ]
    assert bad == []
