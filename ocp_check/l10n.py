"""Numbers and dates in human sentences, in Canadian English and Canadian French.

Only counts and dates inside sentences go through here; machine fields (JSON, SARIF, OSCAL
properties), line and column numbers, versions, sizes given as options, and dates in tables
(ISO 8601 in both languages: the short date of CLDR's fr_CA and the all-numeric date the
Government of Canada uses) are never localised.

Why not ``locale`` or Babel: ``locale.setlocale`` changes process-wide state and needs the
operating system's locale installed (a container rarely has ``fr_CA.UTF-8``); Babel carries
36 MB of CLDR data for the three rules used here. The rules follow CLDR's fr_CA and en_CA
(tested against Babel, a test dependency): digits grouped by three from 1000, with a comma
in English and a no-break space (U+00A0) in French; a decimal comma in French; a no-break
space before ``%`` in French. The one deliberate difference from CLDR: the first day of a
month is written ``1er`` in French prose (CLDR writes ``1``).
"""

from __future__ import annotations

import datetime as dt

NBSP = "\u00a0"

_MONTHS = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
}  # fmt: skip


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def format_int(n: int, language: str) -> str:
    """``12345`` -> ``12,345`` (en) or ``12 345`` with U+00A0 (fr)."""
    sign = "-" if n < 0 else ""
    return sign + _group(str(abs(n)), NBSP if language == "fr" else ",")


def format_decimal(value: float, language: str, places: int = 1) -> str:
    """``1234.5`` -> ``1,234.5`` (en) or ``1 234,5`` (fr), rounded to ``places``."""
    text = f"{abs(value):.{places}f}"
    whole, _, frac = text.partition(".")
    sign = "-" if value < 0 and float(text) != 0 else ""
    grouped = _group(whole, NBSP if language == "fr" else ",")
    if not frac:
        return sign + grouped
    return sign + grouped + ("," if language == "fr" else ".") + frac


def localize_number(text: str, language: str) -> str:
    """A plain decimal as Python writes it (``0.042``, ``3652``, ``2.5``), in ``language``:
    unchanged in English, ``0,042``, ``3 652`` (U+00A0) and ``2,5`` in French."""
    if language == "en":
        return text
    whole, dot, fraction = text.partition(".")
    return format_int(int(whole), language) + ("," + fraction if dot else "")


def format_percent(fraction: float, language: str) -> str:
    """``0.125`` -> ``12%`` (en) or ``12 %`` (fr), rounded half to even like CLDR."""
    number = format_int(round(fraction * 100), language)
    return number + (NBSP + "%" if language == "fr" else "%")


def format_date_long(day: dt.date, language: str) -> str:
    """``2026-07-01`` -> ``July 1, 2026`` (en) or ``1er juillet 2026`` (fr)."""
    month = _MONTHS["fr" if language == "fr" else "en"][day.month - 1]
    if language == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{month} {day.day}, {day.year}"


def written_date(text: str, language: str) -> str:
    """A record's ISO date (``2026-11-16``) as a sentence writes it: unchanged in English, where
    reports have always quoted the record, and ``16 novembre 2026`` in French. Text that is not
    an ISO date (a record someone typed by hand) is returned as it is, never refused."""
    if language != "fr":
        return text
    try:
        return format_date_long(dt.date.fromisoformat(text), language)
    except ValueError:
        return text


# French contracts a preposition with the article that follows it (« de le » is « du », « à les »
# is « aux ») and elides before a vowel (« de un » is « d'un », « que il » is « qu'il »). A
# message writes « de {value} » not knowing what the value is; the value decides the form, so the
# contraction is made where the two meet. Longest article first: « les » before « le ».
_FR_CONTRACTIONS: tuple[tuple[str, str, str], ...] = (
    ("de", "les ", "des "),
    ("de", "le ", "du "),
    ("de", "une ", "d'une "),
    ("de", "un ", "d'un "),
    ("à", "les ", "aux "),
    ("à", "le ", "au "),
    ("que", "une ", "qu'une "),
    ("que", "un ", "qu'un "),
    ("que", "ils ", "qu'ils "),
    ("que", "il ", "qu'il "),
    ("que", "elles ", "qu'elles "),
    ("que", "elle ", "qu'elle "),
    ("que", "on ", "qu'on "),
)


def french_join(before: str, value: str) -> tuple[str, str]:
    """The text before a placeholder and the value put in it, contracted where French requires:
    ``("la limite est de ", "une valeur")`` -> ``("la limite est ", "d'une valeur")``. Only a
    preposition that ends ``before`` as a whole word and an article that opens ``value`` are
    touched; anything else is returned as it is. A capitalised preposition (« De le … » opening
    a sentence) keeps its capital."""
    for word, article, joined in _FR_CONTRACTIONS:
        if not value.startswith(article):
            continue
        for form, result in ((word + " ", joined), (word.capitalize() + " ", joined.capitalize())):
            start = len(before) - len(form)
            if before.endswith(form) and (
                start == 0 or not (before[start - 1].isalnum() or before[start - 1] in "'’-")
            ):
                return before[:start], result + value[len(article) :]
    return before, value
