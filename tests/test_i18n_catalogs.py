"""The message catalogs: the French catalog translates exactly the messages of the template,
with the same placeholders and the French plural rule, and the template lists exactly the
messages the code marks (re-extracted here with Babel, so a new message that nobody extracted
fails)."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

from ocp_check import i18n

babel = pytest.importorskip("babel")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
POT = REPO / "ocp_check" / "locale" / "ocp_check.pot"
FR = REPO / "ocp_check" / "locale" / "fr" / "LC_MESSAGES" / "ocp_check.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def _fields(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for m in _FIELD.finditer(text):
        if m.group(0) in ("{{", "}}"):
            continue
        assert m.group(1) is not None, f"unbalanced brace in {text!r}"
        assert m.group(1).isidentifier(), f"placeholder {m.group(1)!r} is not a bare name in {text!r}"
        out[m.group(1)] += 1
    return out


def _read(path: Path):
    return read_po(io.StringIO(path.read_text("utf-8")))


def _key(message) -> tuple[str | None, object]:
    return message.context, message.id


def test_the_french_catalog_has_the_french_plural_rule():
    fr = _read(FR)
    assert fr.num_plurals == 2
    assert fr.plural_expr == "(n > 1)"


def test_every_message_is_in_both_catalogs_translated_with_the_same_placeholders():
    pot, fr = _read(POT), _read(FR)
    want = {_key(m): m for m in pot if m.id}
    have = {_key(m): m for m in fr if m.id}
    assert sorted(want.keys() - have.keys(), key=str) == [], "in the template, not in the French catalog"
    assert sorted(have.keys() - want.keys(), key=str) == [], (
        "in the French catalog, no longer in the template"
    )
    for key, message in have.items():
        assert not message.fuzzy, f"fuzzy: {key}"
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strs = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strs), f"untranslated: {key}"
        assert len(strs) == len(ids), f"wrong number of plural forms: {key}"
        for msgid, msgstr in zip(ids, strs, strict=True):
            assert set(_fields(msgstr)) == set(_fields(msgid)), f"placeholders differ: {key}"
            assert (
                msgstr[:1].isspace() == msgid[:1].isspace() and msgstr[-1:].isspace() == msgid[-1:].isspace()
            ), key
            assert "[" not in msgstr or "[" in msgid, f"markup in a translation: {key}"
            i18n.render(msgstr, {})  # renders without error


def test_the_template_lists_exactly_the_messages_the_code_marks():
    found: set[tuple[str | None, object]] = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(REPO / "ocp_check"), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        found.add((context, message if isinstance(message, str) else tuple(message)))
    listed = {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in _read(POT) if m.id}
    assert sorted(found - listed, key=str) == [], (
        "marked in the code, missing from ocp_check.pot: run pybabel extract"
    )
    assert sorted(listed - found, key=str) == [], (
        "in ocp_check.pot, no longer in the code: run pybabel extract"
    )


def test_a_french_colon_has_its_no_break_space():
    bad = []
    for message in _read(FR):
        if not message.id:
            continue
        strs = [message.string] if isinstance(message.string, str) else list(message.string)
        for s in strs:
            prose = re.sub(r"`[^`]*`", "", s)  # code keeps its own colons (`answer: yes`)
            for m in re.finditer(r"(.):(\s|$)", prose):
                if m.group(1) not in ("\u00a0", "}", "'", "«") and not s.startswith("--"):
                    bad.append(s)
    assert bad == [], "write U+00A0 before ':' in French"
