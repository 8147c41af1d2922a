"""A standard version's text in a language other than its authoritative one.

Standards text is data, not tool text: a clause's title and requirement, a rule's message
and fix, a parameter's description and a vocabulary's labels are written by the standard's
maintainers, versioned and content-hashed with the rest of the version. So their translations
live beside them, one file per language (``translations/fr.yaml``), listed in ``files`` of that
language in ``governance.languages`` of ``standard.yaml``, which also says which language is
authoritative and whether a body approved the translation. The English files stay as they
are: a translation adds a file and changes none.

Why one file per language rather than ``fr:`` blocks beside each English field: a translation
is reviewed, approved (or not) and kept current as a whole, by other people than the English
text; one file makes "what is missing" a question about one file, and edits to the English
text never collide with edits to the French.

This module reads a translation, says what it lacks (``missing``) and what it gets wrong
(``problems``: keys that name nothing, message placeholders that differ from the English),
and picks the text of one language with English as the fallback (``Texts``). An approved
version, or an approved translation, must lack nothing: ``problems`` says so, and the
standards self-check fails on it; a draft's gaps are counted and may only shrink.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ocp_check.errors import StandardInvalid
from ocp_check.standard_files import load_data_file, validate_against_meta
from ocp_check.standards import Standard

#: The placeholder syntax of rule messages (rules.Template): ``{{``/``}}`` escape a brace.
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")

#: The fields of each kind of text that a complete translation gives.
CLAUSE_FIELDS = ("title", "text", "attestation", "notes")
RULE_FIELDS = ("title", "message", "fix", "rationale", "help", "not_applicable")


@dataclass(frozen=True)
class SourceText:
    """Where a translation's labels come from (a source's own edition in that language)."""

    title: str
    url: str | None = None
    locator: str | None = None
    basis: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class VocabularyText:
    title: str | None = None
    description: str | None = None
    terms: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[SourceText, ...] = ()


@dataclass(frozen=True)
class Translation:
    """One translation file of a standard version, as read (keys as the file gives them)."""

    language: str
    translation_of: str
    path: str
    approved: bool
    title: str | None = None
    summary: str | None = None
    clauses: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    rules: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)
    vocabularies: Mapping[str, VocabularyText] = field(default_factory=dict)


def base_language(tag: str) -> str:
    """``fr-CA`` -> ``fr``: standards and the tool match languages on the primary subtag."""
    return tag.split("-", 1)[0].lower()


def translation_languages(standard: Standard) -> tuple[str, ...]:
    """The primary subtags of the languages the version's governance lists as translations."""
    return tuple(base_language(lang.tag) for lang in standard.governance.languages if not lang.authoritative)


def load_translation(standard: Standard, language: str) -> Translation | None:
    """The version's translation into ``language`` (a primary subtag), or None when it has none.

    Cached per version folder and language: the file is read once per process."""
    return _load(
        standard.directory, f"{standard.ref}", _display(standard), language, _spec(standard, language)
    )


def _display(standard: Standard) -> str:
    return f"standards/{standard.ref.id}/{standard.ref.version}"


def _spec(standard: Standard, language: str) -> tuple[tuple[str, ...], bool, str] | None:
    for lang in standard.governance.languages:
        if not lang.authoritative and base_language(lang.tag) == language:
            return tuple(lang.files), lang.approval is not None, lang.tag
    return None


@cache
def _load(
    directory: Path, ref: str, display: str, language: str, spec: tuple[tuple[str, ...], bool, str] | None
) -> Translation | None:
    if spec is None:
        return None
    files, approved, tag = spec
    merged: dict[str, Any] = {}
    path = ""
    for rel in files:
        path = f"{display}/{rel}"
        doc = load_data_file(directory / rel, path)
        validate_against_meta(doc, "translation")
        data = doc.data
        assert isinstance(data, dict)
        if data["standard"] != ref:
            raise StandardInvalid(f"{path}: translates {data['standard']}, but it belongs to {ref}")
        if data["language"] != tag:
            raise StandardInvalid(f"{path}: is in {data['language']}, but governance lists it under {tag}")
        for key, value in data.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key].update(value)
            else:
                merged[key] = value
    if not merged:
        return None
    return Translation(
        language=language,
        translation_of=str(merged["translation_of"]),
        path=path,
        approved=approved,
        title=merged.get("title"),
        summary=merged.get("summary"),
        clauses={k: dict(v) for k, v in merged.get("clauses", {}).items()},
        rules={k: dict(v) for k, v in merged.get("rules", {}).items()},
        parameters={k: str(v["description"]) for k, v in merged.get("parameters", {}).items()},
        vocabularies={
            k: VocabularyText(
                title=v.get("title"),
                description=v.get("description"),
                terms=dict(v.get("terms", {})),
                sources=tuple(
                    SourceText(
                        title=str(src["title"]),
                        url=src.get("url"),
                        locator=src.get("locator"),
                        basis=src.get("basis"),
                        notes=" ".join(str(src["notes"]).split()) if src.get("notes") else None,
                    )
                    for src in v.get("sources", [])
                ),
            )
            for k, v in merged.get("vocabularies", {}).items()
        },
    )


def rule_texts(standard: Standard) -> Iterator[tuple[str, str, str]]:
    """(rule id, field, English text) for every translatable field of every rule."""
    for pack in standard.rule_packs:
        data = pack.document.data
        if not isinstance(data, dict):
            continue
        rules = data.get("rules")
        for rule in rules if isinstance(rules, list) else []:
            if isinstance(rule, dict):
                for name in RULE_FIELDS:
                    value = rule.get(name)
                    if isinstance(value, str) and value.strip():
                        yield str(rule["id"]), name, value


def english_texts(standard: Standard) -> Iterator[tuple[str, str]]:
    """(key, English text) for every text field of the version that a translation gives.

    Keys are readable paths: ``clause DG-1.1 title``, ``rule R message``,
    ``parameter P description``, ``vocabulary V title``, ``term V T label``."""
    yield "standard title", standard.title
    yield "standard summary", standard.summary
    for clause in standard.clauses:
        for name in CLAUSE_FIELDS:
            value = getattr(clause, name)
            if value:
                yield f"clause {clause.id} {name}", value
    for rule_id, name, value in rule_texts(standard):
        yield f"rule {rule_id} {name}", value
    for pname, param in standard.parameters.items():
        yield f"parameter {pname} description", param.description
    for vid, vocab in standard.vocabularies.items():
        yield f"vocabulary {vid} title", vocab.title
        if vocab.description:
            yield f"vocabulary {vid} description", vocab.description
        for tid, term in vocab.terms.items():
            if term.label:
                yield f"term {vid} {tid} label", term.label


def translated_texts(translation: Translation) -> dict[str, str]:
    """The translation's texts under the keys of ``english_texts``."""
    out: dict[str, str] = {}
    if translation.title:
        out["standard title"] = translation.title
    if translation.summary:
        out["standard summary"] = translation.summary
    for cid, fields in translation.clauses.items():
        for name, value in fields.items():
            out[f"clause {cid} {name}"] = value
    for rid, fields in translation.rules.items():
        for name, value in fields.items():
            out[f"rule {rid} {name}"] = value
    for pname, value in translation.parameters.items():
        out[f"parameter {pname} description"] = value
    for vid, vocab in translation.vocabularies.items():
        if vocab.title:
            out[f"vocabulary {vid} title"] = vocab.title
        if vocab.description:
            out[f"vocabulary {vid} description"] = vocab.description
        for tid, label in vocab.terms.items():
            out[f"term {vid} {tid} label"] = label
    return out


def missing(standard: Standard, language: str) -> list[str]:
    """The keys of the English texts that have no translation into ``language``."""
    translation = load_translation(standard, language)
    have = translated_texts(translation) if translation else {}
    return [key for key, _ in english_texts(standard) if key not in have]


def placeholders(text: str) -> list[str]:
    """The placeholder names of a message template, in order (escaped braces excluded)."""
    return sorted(m.group(1) for m in _PLACEHOLDER.finditer(text) if m.group(1) is not None)


def problems(standard: Standard) -> list[str]:
    """What is wrong with the version's translations: a key naming nothing the version
    defines, a message whose placeholders differ from the English, and - for an approved
    version or an approved translation - any missing text."""
    out: list[str] = []
    english = dict(english_texts(standard))
    for language in translation_languages(standard):
        translation = load_translation(standard, language)
        if translation is None:
            out.append(f"{language}: governance lists a translation but names no file")
            continue
        for key, value in translated_texts(translation).items():
            if key not in english:
                out.append(f"{translation.path}: {key}: the version has no such text")
            elif key.startswith("rule ") and placeholders(value) != placeholders(english[key]):
                out.append(f"{translation.path}: {key}: placeholders differ from the English")
        if standard.governance.status == "approved" or translation.approved:
            gaps = missing(standard, language)
            if gaps:
                why = (
                    "the version is approved"
                    if standard.governance.status == "approved"
                    else "it is approved"
                )
                out.append(
                    f"{translation.path}: {len(gaps)} texts have no translation, and {why}; first: {gaps[0]}"
                )
    return out


@dataclass(frozen=True)
class Texts:
    """The text of a standard version in one language, English where no translation exists.

    Renderers ask it instead of reading ``Clause.title`` directly, so a report in French shows
    the French of every clause the translation covers and the English of the others."""

    standard: Standard
    language: str = "en"

    @property
    def _translation(self) -> Translation | None:
        if self.language == "en":  # the shipped standards' authoritative language: nothing to read
            return None
        authoritative = next((lang.tag for lang in self.standard.governance.languages if lang.authoritative), "en")
        if self.language == base_language(authoritative):
            return None
        return load_translation(self.standard, self.language)

    def clause(self, clause_id: str, name: str, english: str) -> str:
        t = self._translation
        return (t.clauses.get(clause_id, {}).get(name) if t else None) or english

    def rule(self, rule_id: str, name: str, english: str) -> str:
        t = self._translation
        return (t.rules.get(rule_id, {}).get(name) if t else None) or english

    def term(self, vocabulary: str, term_id: str, english: str) -> str:
        t = self._translation
        vocab = t.vocabularies.get(vocabulary) if t else None
        return (vocab.terms.get(term_id) if vocab else None) or english

    def parameter(self, name: str, english: str) -> str:
        t = self._translation
        return (t.parameters.get(name) if t else None) or english

    @property
    def title(self) -> str:
        t = self._translation
        return (t.title if t else None) or self.standard.title

    @property
    def summary(self) -> str:
        t = self._translation
        return " ".join(t.summary.split()) if t and t.summary else self.standard.summary
