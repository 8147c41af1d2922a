"""The language machinery: which language a run speaks, the run-time catalog reader (checked
against Babel's compiler), message rendering, and numbers and dates in both languages."""

from __future__ import annotations

import datetime as dt
import gettext
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocp_check import i18n, l10n

babel = pytest.importorskip("babel")
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402
from babel.numbers import format_decimal as babel_decimal  # noqa: E402


@pytest.mark.parametrize(
    ("option", "env", "config", "want"),
    [
        ("fr", {"OCP_CHECK_LANG": "en", "LANG": "en_CA.UTF-8"}, "en", "fr"),
        (None, {"OCP_CHECK_LANG": "fr", "LANG": "en_CA.UTF-8"}, "en", "fr"),
        (None, {"LANG": "en_CA.UTF-8"}, "fr", "fr"),
        (None, {"LANG": "fr_CA.UTF-8"}, None, "fr"),
        (None, {"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US"}, None, "fr"),
        (None, {"LC_ALL": "C", "LANG": "fr_CA.UTF-8"}, None, "en"),
        (None, {"LC_MESSAGES": "fr_CA", "LANG": "en_CA"}, None, "fr"),
        (None, {"LANGUAGE": "fr", "LANG": "C"}, None, "en"),
        (None, {"LANGUAGE": "de:fr", "LANG": "en_CA.UTF-8"}, None, "fr"),
        (None, {"LANG": "de_DE.UTF-8"}, None, "en"),
        (None, {}, None, "en"),
        ("FR-ca", {}, None, "fr"),
        (None, {"OCP_CHECK_LANG": ""}, None, "en"),
    ],
)
def test_the_language_is_the_option_then_the_variable_then_the_config_then_the_locale(
    option, env, config, want
):
    assert i18n.resolve_language(option, env, config) == want


@pytest.mark.parametrize(
    ("option", "env", "config", "where"),
    [
        ("de", {}, None, "--lang"),
        (None, {"OCP_CHECK_LANG": "klingon"}, None, "OCP_CHECK_LANG"),
        (None, {}, "es", "lang"),
    ],
)
def test_a_language_the_user_names_and_the_tool_does_not_speak_is_an_error(option, env, config, where):
    with pytest.raises(i18n.UnknownLanguage) as err:
        i18n.resolve_language(option, env, config)
    assert err.value.where == where


def test_the_command_line_is_scanned_for_lang_before_the_cli_is_imported():
    assert i18n.scan_argv(["check", "--lang", "fr", "bids/"]) == "fr"
    assert i18n.scan_argv(["--lang=en", "check", "--lang=fr"]) == "fr"
    assert i18n.scan_argv(["check", "--", "--lang", "fr"]) is None
    assert i18n.scan_argv(["check", "--lang"]) is None


PO = r"""# A catalog in the shape pybabel writes.
msgid ""
msgstr ""
"Language: fr_CA\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

#. TRANSLATORS: a comment for translators
msgid "plain {name}"
msgstr "simple {name}"

msgctxt "clause status"
msgid "pass"
msgstr "satisfait"

msgid ""
"a long message "
"on two lines with \"quotes\"\tand a tab"
msgstr ""
"un long message "
"sur deux lignes avec « guillemets »\tet une tabulation"

msgid "{count} error"
msgid_plural "{count} errors"
msgstr[0] "{count} erreur"
msgstr[1] "{count} erreurs"

#, fuzzy
msgid "fuzzy one"
msgstr "flou"

msgid "untranslated"
msgstr ""

#~ msgid "obsolete"
#~ msgstr "obsolète"
"""


def _babel(po_text: str) -> gettext.GNUTranslations:
    buf = io.BytesIO()
    write_mo(buf, read_po(io.StringIO(po_text)))
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def test_the_run_time_reader_answers_as_babels_compiler_does():
    ours, theirs = i18n.translations_from_po(PO), _babel(PO)
    for msgid in ("plain {name}", "a long message on two lines with \"quotes\"\tand a tab", "fuzzy one",
                  "untranslated", "obsolete", "absent"):  # fmt: skip
        assert ours.gettext(msgid) == theirs.gettext(msgid)
    assert ours.pgettext("clause status", "pass") == theirs.pgettext("clause status", "pass") == "satisfait"
    for n in (0, 1, 2, 1_000_000):
        assert ours.ngettext("{count} error", "{count} errors", n) == theirs.ngettext(
            "{count} error", "{count} errors", n
        )
    assert ours.ngettext("{count} error", "{count} errors", 0) == "{count} erreur"
    assert ours.gettext("fuzzy one") == "fuzzy one"


def test_the_shipped_french_catalog_reads_the_same_through_both_paths():
    text = (i18n.locale_dir() / "fr" / "LC_MESSAGES" / "ocp_check.po").read_text("utf-8")
    ours, theirs = i18n.translations_from_po(text), _babel(text)
    for message in read_po(io.StringIO(text)):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            for n in (0, 1, 2, 1_000_000):
                got = (
                    ours.npgettext(message.context, *message.id, n)
                    if message.context
                    else ours.ngettext(*message.id, n)
                )
                want = (
                    theirs.npgettext(message.context, *message.id, n)
                    if message.context
                    else theirs.ngettext(*message.id, n)
                )
                assert got == want
        elif message.context:
            assert ours.pgettext(message.context, message.id) == theirs.pgettext(message.context, message.id)
        else:
            assert ours.gettext(message.id) == theirs.gettext(message.id)


@pytest.mark.parametrize(
    "broken", ['msgid "a"\nmsgstr "b', 'msgid "a"\nmsgstr "b"\n"\\q"', 'msgid "a"\nmsgtxt "b"', '"orphan"']
)
def test_a_damaged_catalog_is_named_with_its_line(broken):
    with pytest.raises(i18n.CatalogError, match=r"po:\d+"):
        i18n.parse_po(broken, "x.po")


def test_placeholders_are_filled_without_str_format():
    assert i18n.render("{a} and {{b}} {missing}", {"a": 1}) == "1 and {b} {missing}"
    assert i18n.render("{a.__class__}", {"a": 1}) == "{a.__class__}"


def test_a_template_without_braces_is_returned_without_a_pattern_search(monkeypatch):
    class NoSearch:
        def sub(self, *_args: object) -> str:
            raise AssertionError("searched a template that has no brace")

    monkeypatch.setattr(i18n, "_PLACEHOLDER", NoSearch())
    assert i18n.render("it is missing", {"unused": 1}) == "it is missing"
    assert i18n._("it is missing") == "it is missing"


@given(st.text(alphabet="{}ab_", max_size=12))
def test_the_shortcut_for_brace_free_templates_renders_as_the_pattern_does(template):
    values = {"a": 1, "b": 2, "a_b": 3, "_": 4}

    def sub(m):
        token = m.group(0)
        if token in ("{{", "}}"):
            return token[0]
        return str(values[m.group(1)]) if m.group(1) in values else token

    assert i18n.render(template, values) == i18n._PLACEHOLDER.sub(sub, template)


def test_messages_follow_the_current_language():
    try:
        i18n.install_catalog("qps", PO)
        i18n.set_language("qps")
        assert i18n._("plain {name}", name="x") == "simple x"
        assert i18n.ngettext("{count} error", "{count} errors", 1) == "1 erreur"
        assert i18n.ngettext("{count} error", "{count} errors", 2) == "2 erreurs"
        assert i18n.pgettext("clause status", "pass") == "satisfait"
        assert i18n.in_language("en", "plain {name}", name="y") == "plain y"
    finally:
        i18n.set_language("en")
        i18n._EXTRA.clear()
        i18n.translator.cache_clear()


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_are_grouped_as_cldr_does(n):
    assert l10n.format_int(n, "en") == babel_decimal(n, locale="en_CA")
    assert l10n.format_int(n, "fr") == babel_decimal(n, locale="fr_CA")
    assert "," not in l10n.format_int(n, "fr")
    assert int(l10n.format_int(n, "fr").replace(l10n.NBSP, "")) == n


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=1, allow_nan=False, allow_infinity=False))
def test_decimals_are_written_as_cldr_does(d):
    value = float(d)
    assert l10n.format_decimal(value, "fr") == babel_decimal(d, locale="fr_CA", format="#,##0.0")
    assert l10n.format_decimal(value, "en") == babel_decimal(d, locale="en_CA", format="#,##0.0")


def test_percent_and_long_dates():
    assert l10n.format_percent(0.125, "fr") == "12\u00a0%"
    assert l10n.format_percent(0.125, "en") == "12%"
    assert l10n.format_date_long(dt.date(2026, 7, 1), "fr") == "1er juillet 2026"
    assert l10n.format_date_long(dt.date(2026, 8, 15), "fr") == "15 août 2026"
    assert l10n.format_date_long(dt.date(2026, 7, 1), "en") == "July 1, 2026"
