"""French prose as a French reader expects it: dates written out inside sentences (the
standard's status in a report's header, a waiver's expiry), prepositions contracted with the
article a placeholder's value opens with (« d'une valeur », never « de une valeur »), counts
that agree with their noun, and a standard's own title in its French translation. English
output is unchanged by all of it (the English golden files say so byte for byte)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from ocp_check import i18n
from ocp_check.i18n import parse_po, render, using
from ocp_check.l10n import french_join, written_date
from ocp_check.rules import Template

REPO = Path(__file__).resolve().parent.parent
BIDS = REPO / "examples" / "bids"
WAIVERS = REPO / "examples" / "waivers" / "harbourview-city-waivers.yaml"
FR_PO = REPO / "ocp_check" / "locale" / "fr" / "LC_MESSAGES" / "ocp_check.po"
TODAY = ("--today", "2026-12-06")
NBSP = "\u00a0"

# « de le », « de les », « de un(e) », « que un(e) », « que il(s) », « à le », « à les »: what
# French writes « du », « des », « d'un(e) », « qu'un(e) », « qu'il(s) », « au », « aux ».
BAD_ELISION = re.compile(
    r"(?<![\w'’-])(?:[Dd]e (?:une?|les?)|[Qq]ue (?:une?|ils?|elles?|on)|[Àà] les?)(?![\w'’-])"
)
# « le » and « les » are also pronouns before a verb, where nothing contracts: « permettent de
# les localiser ». Every such phrase the catalog or the example reports hold is listed here.
PRONOUNS = ("de les localiser", "de les identifier", "de le considérer")


def _bad(text: str) -> list[str]:
    found = []
    for m in BAD_ELISION.finditer(text):
        phrase = text[m.start() : m.end() + 20]
        if not any(phrase.lower().startswith(p) for p in PRONOUNS):
            found.append(text[max(0, m.start() - 40) : m.end() + 30])
    return found


def _check(run: Any, *args: str) -> str:
    result = run("--lang", "fr", "check", *args, *TODAY)
    assert result.exit_code in (0, 1), result.stderr
    return _unescaped(str(result.stdout))


def _unescaped(text: str) -> str:
    """Markdown escapes punctuation (``2026\\-12\\-05``), never a letter: read without the escapes."""
    return text.replace("\\", "")


# --------------------------------------------------------------------------- dates


def test_a_record_s_date_is_written_out_in_french_and_left_as_it_is_in_english() -> None:
    assert written_date("2026-11-16", "fr") == "16 novembre 2026"
    assert written_date("2027-07-01", "fr") == "1er juillet 2027"
    assert written_date("2026-11-16", "en") == "2026-11-16"
    assert written_date("sometime", "fr") == "sometime"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_standard_s_status_date_in_a_french_report_header_is_written_out(run: Any, fmt: str) -> None:
    french = _check(run, str(BIDS / "airshed-air-quality"), "-f", fmt)
    assert "depuis le 5 décembre 2026" in french
    assert "depuis le 2026-12-05" not in french
    english = _unescaped(run("check", str(BIDS / "airshed-air-quality"), "-f", fmt, *TODAY).stdout)
    assert "draft since 2026-12-05; approved by no body" in english


@pytest.mark.parametrize("fmt", ["junit", "sarif"])
def test_a_machine_field_keeps_the_iso_status_date(run: Any, fmt: str) -> None:
    assert "depuis le 2026-12-05" in _check(run, str(BIDS / "airshed-air-quality"), "-f", fmt)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_waiver_s_expiry_in_a_french_report_is_written_out(run: Any, fmt: str) -> None:
    # The bid's own (vendor) waiver expires 2027-12-31; the city's file one 2027-06-30.
    args = (str(BIDS / "lakeshore-micromobility"), "--waivers", str(WAIVERS), "-f", fmt)
    french = _check(run, *args)
    assert "expire le 31 décembre 2027" in french
    assert re.search(r"expire le \d{4}-", french) is None
    english = _unescaped(run("check", *args, *TODAY).stdout)
    assert "expires 2027-12-31" in english


def test_waivers_validate_writes_the_expiry_out_in_french(run: Any) -> None:
    french = run("--lang", "fr", "waivers", "validate", str(WAIVERS), *TODAY).stdout
    assert "expire le 30 juin 2027 [valide]" in french
    english = run("waivers", "validate", str(WAIVERS), *TODAY).stdout
    assert "expires 2027-06-30 [valid]" in english


# --------------------------------------------------------------------------- elision


@pytest.mark.parametrize(
    ("before", "value", "joined"),
    [
        ("la limite est de ", "une valeur", "la limite est d'une valeur"),
        ("fait partie de ", "le vocabulaire X", "fait partie du vocabulaire X"),
        ("fait partie de ", "les valeurs", "fait partie des valeurs"),
        ("au moins ", "un élément", "au moins un élément"),
        ("plus de ", "un an", "plus d'un an"),
        ("alors que ", "il manque", "alors qu'il manque"),
        ("renvoie à ", "le paramètre", "renvoie au paramètre"),
        ("renvoie à ", "les paramètres", "renvoie aux paramètres"),
        ("De ", "le manifeste", "Du manifeste"),
        ("la monde ", "le x", "la monde le x"),  # « de » inside a word is no preposition
        ("l'aide ", "le x", "l'aide le x"),
        ("fait partie de ", "lexique", "fait partie de lexique"),  # « le » inside a word is no article
        ("fait partie de ", "« le »", "fait partie de « le »"),  # a quoted value is left as it is
    ],
)
def test_a_preposition_contracts_with_the_article_the_value_opens_with(
    before: str, value: str, joined: str
) -> None:
    assert "".join(french_join(before, value)) == joined


def test_catalog_messages_contract_in_french_only() -> None:
    assert render("la limite est de {limit}", {"limit": "une valeur"}, "fr") == "la limite est d'une valeur"
    assert render("the limit is of {limit}", {"limit": "une valeur"}, "en") == "the limit is of une valeur"
    template = Template.parse("la limite est de {expected} ({detail})", "test")
    values = {"expected": "une valeur", "detail": "absente"}
    assert template.render(values, "fr") == "la limite est d'une valeur (absente)"
    assert template.render(values) == "la limite est de une valeur (absente)"  # English: never touched


def test_no_french_catalog_message_reads_de_le_or_que_un() -> None:
    entries = parse_po(FR_PO.read_text("utf-8"), "fr")
    bad = {msgid: _bad(msgstr) for msgid, msgstr in entries.items() if _bad(msgstr)}
    assert not bad


@pytest.mark.parametrize("name", sorted(p.name for p in BIDS.iterdir() if p.is_dir()))
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_no_french_report_of_an_example_bid_reads_de_une_or_de_le(run: Any, name: str, fmt: str) -> None:
    text = _check(run, str(BIDS / name), "-f", fmt, "--waivers", str(WAIVERS))
    assert not _bad(text)


# --------------------------------------------------------------------------- counts


def test_the_versions_side_by_side_count_agrees_in_french() -> None:
    """One clause or two: the French agrees with the count, and never says « clause(s) »."""
    english = "{count} clause(s) failing in {before} pass in {after}: {clauses}"
    with using("fr"):
        one = i18n.ngettext(english, english, 1, before="A", after="B", clauses="X")
        two = i18n.ngettext(english, english, 2, before="A", after="B", clauses="X, Y")
    assert one == f"1 article non satisfait dans A est satisfait dans B{NBSP}: X"
    assert two == f"2 articles non satisfaits dans A sont satisfaits dans B{NBSP}: X, Y"
    assert "(s)" not in one + two


def test_no_french_side_by_side_summary_says_clause(run: Any) -> None:
    versions = (
        "-s",
        "ocp-data-governance@1.0",
        "-s",
        "ocp-data-governance@1.1",
        "-s",
        "ocp-data-governance@2.0",
    )
    for name in ("harbourview-sensors", "panoptic-insights", "curbside-lpr-enforcement"):
        for fmt in ("text", "markdown", "html"):
            out = _check(run, str(BIDS / name), *versions, "-f", fmt)
            assert "clause(s)" not in out
            assert re.search(r"\b1 articles\b|\b[2-9]\d* article\b", out) is None
    compared = run("--lang", "fr", "compare", str(BIDS), *TODAY).stdout
    assert "clause(s)" not in compared


# --------------------------------------------------------------------------- standards diff


def test_standards_diff_quotes_the_french_title_in_a_french_run(run: Any, tmp_path: Path) -> None:
    root = tmp_path / "standards"
    new = root / "ocp-data-governance" / "1.1.9"
    shutil.copytree(REPO / "standards" / "ocp-data-governance" / "1.1.0", new)
    for name in ("standard.yaml", "translations/fr.yaml"):
        path = new / name
        text = path.read_text("utf-8")
        path.write_text(
            text.replace("version: 1.1.0", "version: 1.1.9", 1).replace(
                "ocp-data-governance@1.1.0", "ocp-data-governance@1.1.9"
            ),
            "utf-8",
        )
    meta = new / "standard.yaml"
    meta.write_text(
        meta.read_text("utf-8").replace(
            "title: OCP Data Governance — the data manifest", "title: OCP Data Governance — the manifest", 1
        ),
        "utf-8",
    )
    fr = new / "translations" / "fr.yaml"
    fr.write_text(
        fr.read_text("utf-8").replace(
            "title: Gouvernance des données OCP — le manifeste de données",
            "title: Gouvernance des données OCP — le manifeste",
            1,
        ),
        "utf-8",
    )
    args = (
        "standards",
        "diff",
        "ocp-data-governance@1.1.0",
        "ocp-data-governance@1.1.9",
        "--standards-path",
        str(root),
    )
    french = run("--lang", "fr", *args)
    assert french.exit_code == 0, french.stderr
    assert (
        f"title{NBSP}: «{NBSP}Gouvernance des données OCP — le manifeste de données{NBSP}» → «{NBSP}Gouvernance des données OCP — le manifeste{NBSP}»"
        in french.stdout
    )
    assert "OCP Data Governance" not in french.stdout
    english = run(*args)
    assert (
        "title: 'OCP Data Governance — the data manifest' → 'OCP Data Governance — the manifest'"
        in english.stdout
    )
