"""The tool's own text in English and French: choosing the language, reading the catalogs,
translating a message.

Tool text (CLI messages, report headings, verdict sentences, status words, findings the
engine makes) goes through the standard gettext machinery: the English sentence is the
message id, ``ocp_check/locale/ocp_check.pot`` lists every one, and
``ocp_check/locale/fr/LC_MESSAGES/ocp_check.po`` gives the French. Standards text (clause
titles, rule messages, vocabulary labels) is data and is translated in the standards
themselves (``translations.py``), not here.

Why the ``.po`` is read at run time, and not a compiled ``.mo`` or Babel: the ``.po`` is the
file translators edit and reviewers read; reading it directly means no build step, no binary
in the repository and no stale ``.mo`` after an edit. ``parse_po`` reads the subset of the
format that ``pybabel update`` writes (header, comments, ``msgctxt``, ``msgid``,
``msgid_plural``, ``msgstr``, ``msgstr[N]``, continuation lines, C escapes; fuzzy and obsolete
entries are skipped, as ``msgfmt`` does), lays the entries out as a GNU ``.mo`` in memory and
hands it to :class:`gettext.GNUTranslations`, so plural forms, contexts and the header stay
the standard library's. Babel (a development and test dependency) extracts the messages and
checks this reader: its 36 MB of locale data would be a heavy run-time dependency for one
catalog. French runs pay about 10 ms to read the catalog once; English runs read nothing.

Messages use the project's placeholder syntax (``{name}``; ``{{`` and ``}}`` for braces), filled
by :func:`render` - never ``str.format`` - so a translation cannot reach attributes of its values.
"""

from __future__ import annotations

import ast
import contextlib
import gettext
import io
import os
import re
import struct
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

#: The languages the tool speaks (primary subtags), English first: the fallback.
LANGUAGES: tuple[str, ...] = ("en", "fr")
#: The tag each language is reported under: the content is Canadian.
TAGS: Mapping[str, str] = {"en": "en-CA", "fr": "fr-CA"}
#: The environment variable that chooses the language when no option does.
ENV_VAR = "OCP_CHECK_LANG"
DOMAIN = "ocp_check"

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


class UnknownLanguage(ValueError):
    """A language the tool does not speak, named by the user (an option, the variable, the config)."""

    def __init__(self, value: str, where: str) -> None:
        super().__init__(value)
        self.value = value
        self.where = where


class CatalogError(ValueError):
    """A catalog the tool ships cannot be read (line number in the message)."""


def locale_dir() -> Path:
    return Path(__file__).resolve().parent / "locale"


# --------------------------------------------------------------------------- choosing


def parse_language(value: str) -> str | None:
    """``fr``, ``fr-CA``, ``fr_CA.UTF-8``, ``FR`` -> ``fr``; a language the tool does not speak,
    or ``C``/``POSIX``, -> None."""
    base = value.strip().split(".", 1)[0].split("@", 1)[0].replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGES else None


def from_locale(environ: Mapping[str, str]) -> str | None:
    """The language the POSIX locale variables ask for, or None.

    The first non-empty of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` decides (``LC_ALL`` overrides
    the category, the category overrides ``LANG``); unless it is ``C`` or ``POSIX``, GNU's
    ``LANGUAGE`` priority list (``fr_CA:fr:en``) is read first, as gettext does."""
    chosen = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
    if not chosen or chosen.split(".", 1)[0] in ("C", "POSIX"):
        return None
    for item in environ.get("LANGUAGE", "").split(":"):
        if item and (found := parse_language(item)):
            return found
    return parse_language(chosen)


def resolve_languages(
    option: str | None, environ: Mapping[str, str], config: str | None = None
) -> tuple[str, ...]:
    """The languages of the run: ``--lang``, else ``OCP_CHECK_LANG``, else the project
    configuration's ``lang``, else the locale, else English.

    The first is the run's language; a list (``fr,en``) adds languages that the HTML report
    shows beside it (a bilingual page). A value the user wrote (option, variable,
    configuration) that names a language the tool does not speak is an error (exit 2); a
    locale the tool does not speak means English, as with every gettext program."""
    for value, where in ((option, "--lang"), (environ.get(ENV_VAR) or None, ENV_VAR), (config, "lang")):
        if value is not None:
            found: list[str] = []
            for part in value.split(","):
                language = parse_language(part)
                if language is None:
                    raise UnknownLanguage(value, where)
                if language not in found:
                    found.append(language)
            return tuple(found)
    return (from_locale(environ) or "en",)


def resolve_language(option: str | None, environ: Mapping[str, str], config: str | None = None) -> str:
    """The run's language: the first of :func:`resolve_languages`."""
    return resolve_languages(option, environ, config)[0]


def scan_argv(argv: list[str]) -> str | None:
    """The value of the last ``--lang`` before ``--`` in a command line, or None.

    The language must be known before the command-line interface is imported, because help
    texts are translated when the commands are declared."""
    found: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found


# --------------------------------------------------------------------------- catalogs


def _unquote(text: str, where: str) -> str:
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        raise CatalogError(f"{where}: expected a quoted string")
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise CatalogError(f"{where}: bad escape in a quoted string") from None
    if not isinstance(value, str):  # pragma: no cover - a quoted literal is a str
        raise CatalogError(f"{where}: expected a quoted string")
    return value


def parse_po(text: str, name: str = "catalog") -> dict[str, str]:
    """The translated entries of a ``.po`` file, keyed as in a ``.mo`` file.

    Keys: ``msgid``; ``msgctxt + "\\x04" + msgid`` for a context; ``msgid + "\\0" +
    msgid_plural`` for plurals. Values: ``msgstr``, or the plural forms joined by ``"\\0"``.
    The header (empty msgid) is kept. Fuzzy and obsolete entries, and entries with an empty
    translation, are left out, so the English shows."""
    out: dict[str, str] = {}
    entry: dict[str, str] = {}
    plural_forms: dict[int, str] = {}
    fuzzy = False
    field: str | None = None

    def flush() -> None:
        nonlocal entry, plural_forms, fuzzy, field
        if "msgid" in entry and not fuzzy:
            key = entry["msgid"]
            if "msgid_plural" in entry:
                key += "\0" + entry["msgid_plural"]
                forms = [plural_forms[i] for i in sorted(plural_forms)]
                value = "\0".join(forms) if forms and all(forms) else ""
            else:
                value = entry.get("msgstr", "")
            if "msgctxt" in entry:
                key = entry["msgctxt"] + "\x04" + key
            if value or key == "":
                out[key] = value
        entry, plural_forms, fuzzy, field = {}, {}, False, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"{name}:{number}"
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if field is not None and field != "comment":
                flush()
            field = "comment"
            if line.startswith("#,") and "fuzzy" in [f.strip() for f in line[2:].split(",")]:
                fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if field is None or field == "comment":
                raise CatalogError(f"{where}: a continuation line outside an entry")
            value = _unquote(line, where)
            if field.startswith("msgstr["):
                index = int(field[7:-1])
                plural_forms[index] += value
            else:
                entry[field] += value
            continue
        if keyword in ("msgctxt", "msgid") and field not in (None, "comment", "msgctxt"):
            flush()
        if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            entry[keyword] = _unquote(rest.strip(), where)
            field = keyword
        elif keyword.startswith("msgstr[") and keyword.endswith("]") and keyword[7:-1].isdigit():
            plural_forms[int(keyword[7:-1])] = _unquote(rest.strip(), where)
            field = keyword
        else:
            raise CatalogError(f"{where}: unknown keyword {keyword!r}")
    flush()
    return out


def mo_bytes(entries: Mapping[str, str]) -> bytes:
    """The entries laid out as a GNU ``.mo`` file (the layout CPython's ``msgfmt.py`` writes,
    without the optional hash table)."""
    keys = sorted(entries)
    ids = strs = b""
    offsets = []
    for key in keys:
        kb, vb = key.encode("utf-8"), entries[key].encode("utf-8")
        offsets.append((len(ids), len(kb), len(strs), len(vb)))
        ids += kb + b"\0"
        strs += vb + b"\0"
    keystart = 7 * 4 + 16 * len(keys)
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return (
        header
        + struct.pack(f"{len(koffsets)}i", *koffsets)
        + struct.pack(f"{len(voffsets)}i", *voffsets)
        + ids
        + strs
    )


def translations_from_po(text: str, name: str = "catalog") -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(mo_bytes(parse_po(text, name))))


_EXTRA: dict[str, str] = {}


def install_catalog(language: str, po_text: str) -> None:
    """Make ``language`` speak the catalog ``po_text``: for tests (a pseudo-language that
    marks every translated string, so English that never reached the catalog stands out)."""
    _EXTRA[language] = po_text
    translator.cache_clear()


@cache
def translator(language: str) -> gettext.NullTranslations:
    """The catalog of ``language``, read once per process (English: the message ids)."""
    if language in _EXTRA:
        return translations_from_po(_EXTRA[language], language)
    if language == "en":
        return gettext.NullTranslations()
    path = locale_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        text = path.read_text("utf-8")
    except OSError as err:
        raise CatalogError(f"{path}: cannot be read ({err.strerror})") from None
    return translations_from_po(text, str(path))


# --------------------------------------------------------------------------- translating

_current = "en"
_others: tuple[str, ...] = ()
_chosen_at_start = False


def set_other_languages(languages: tuple[str, ...]) -> None:
    """The languages a bilingual HTML report shows beside the run's (``--lang fr,en``)."""
    global _others
    _others = tuple(language for language in languages if language != _current)


def other_languages() -> tuple[str, ...]:
    return _others


def set_language(language: str) -> None:
    """Choose the language of the tool's text for the rest of the process. Only the CLI calls
    it (once, before it imports the commands); worker processes inherit it when forked."""
    global _current
    _current = language


def current_language() -> str:
    return _current


def mark_chosen_at_start() -> None:
    """The console script chose the language from the whole command line (``entry.py``):
    the commands keep it unless ``--lang`` follows their name."""
    global _chosen_at_start
    _chosen_at_start = True


def chosen_at_start() -> bool:
    return _chosen_at_start


@contextlib.contextmanager
def using(language: str) -> Iterator[None]:
    """Speak ``language`` inside the block (a page generated in another language than the
    run's); the previous language afterwards."""
    global _current
    before = _current
    _current = language
    try:
        yield
    finally:
        _current = before


def render(template: str, values: Mapping[str, object], language: str | None = None) -> str:
    """Fill ``{name}`` placeholders; ``{{`` and ``}}`` are braces. An unknown name stays as
    written (a translation bug shows, it does not crash a report). A template without a
    brace is returned as it is: most messages have none, and a check of a large document
    renders tens of thousands of them. In French (``language``, the current language when
    not given) a preposition before a placeholder is contracted with the article its value
    opens with: « de {value} » with « une valeur » reads « d'une valeur » (``l10n.french_join``)."""
    if "{" not in template and "}" not in template:
        return template

    def sub(m: re.Match[str]) -> str:
        token = m.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = m.group(1)
        return str(values[name]) if name in values else token

    if (_current if language is None else language) != "fr":
        return _PLACEHOLDER.sub(sub, template)
    # Imported here: ``ocp-check --version`` imports this module and must stay small.
    from ocp_check.l10n import french_join

    out: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        text = template[pos : m.start()]
        filled = sub(m)
        if m.group(1) in values:
            text, filled = french_join(text, filled)
        out += (text, filled)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out)


def _(msgid: str, /, **values: object) -> str:
    """``msgid`` in the current language, its placeholders filled."""
    return render(translator(_current).gettext(msgid), values)


def N_(msgid: str, /) -> str:
    """Mark a message for the catalog without translating it (tables built at import)."""
    return msgid


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The form for ``n`` in the current language; ``{count}`` is ``n`` unless given."""
    values.setdefault("count", n)
    return render(translator(_current).ngettext(singular, plural, n), values)


def pgettext(context: str, msgid: str, /, **values: object) -> str:
    """A short message whose translation depends on where it is used (a status word)."""
    return render(translator(_current).pgettext(context, msgid), values)


def in_language(language: str, msgid: str, /, **values: object) -> str:
    """``msgid`` in a given language, whatever the current one (bilingual output)."""
    return render(translator(language).gettext(msgid), values, language)


def tag(language: str | None = None) -> str:
    """The BCP 47 tag a report declares: ``fr-CA`` or ``en-CA``."""
    language = language or _current
    return TAGS.get(language, language)


def environment() -> Mapping[str, str]:
    """The process environment (a seam for tests)."""
    return os.environ
