"""Human-readable descriptions of standards, clauses and rules (``standards show``,
``rules list``, ``rules explain``). Pure: returns text, the CLI prints it.

The fixed words come from the tool's catalog and the standard's own text from its
translation file, both in the run's language (English where either has a gap); sources,
governance records and identifiers are given as the standard writes them.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from ocp_check.catalog import Catalog
from ocp_check.errors import OcpCheckError
from ocp_check.governance import facts
from ocp_check.i18n import _, current_language, ngettext, pgettext
from ocp_check.rules import Rule, compile_standard
from ocp_check.standards import Clause, Standard
from ocp_check.translations import Texts, load_translation
from ocp_check.wording import level_word


def _one_line(text: str) -> str:
    """``text`` with its ASCII whitespace runs made one space; a no-break space (French
    typography: before a colon, inside « ») is kept, so that the wrap never breaks there."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip()


def _wrap(text: str, indent: str = "  ", width: int = 96) -> str:
    return textwrap.fill(_one_line(text), width=width, initial_indent=indent, subsequent_indent=indent)


def _fact_label(label: str) -> str:
    """A governance label (``governance.facts``) with its colon, in the run's language; the record's text
    itself is given as the standard writes it (as on the generated pages)."""
    words = {
        "status": pgettext("governance fact", "status:"),
        "approval": pgettext("governance fact", "approval:"),
        "public comment": pgettext("governance fact", "public comment:"),
        "maintainers": pgettext("governance fact", "maintainers:"),
        "contact": pgettext("governance fact", "contact:"),
        "languages": pgettext("governance fact", "languages:"),
        "licence": pgettext("governance fact", "licence:"),
        "notice": pgettext("governance fact", "notice:"),
        "next review": pgettext("governance fact", "next review:"),
        "superseded by": pgettext("governance fact", "superseded by:"),
        "withdrawn because": pgettext("governance fact", "withdrawn because:"),
        "version number": pgettext("governance fact", "version number:"),
        "revision": pgettext("governance fact", "revision:"),
    }
    return words.get(label, label + ":")


def _verified_by(verification: str) -> str:
    words = {"attestation": _("attestation"), "rules": _("rules")}
    return words.get(verification, verification)


def _texts(standard: Standard) -> Texts:
    """The standard's text in the run's language (English where its translation has a gap)."""
    return Texts(standard, current_language())


def describe_standard(standard: Standard) -> str:
    tx = _texts(standard)
    lines = [
        f"{standard.ref}  {tx.title}",
        "  " + _("documents: {kind}   publisher: {publisher}", kind=standard.kind.value, publisher=standard.publisher),
    ]
    if standard.supersedes:
        lines.append("  " + _("supersedes: {ref}", ref=standard.supersedes))
    lines.append(f"  sha256: {standard.sha256}")
    lines.append("")
    lines.append(_wrap(tx.summary))
    lines.append("\n" + _("Governance:"))
    labelled = [(_fact_label(label), text) for label, text in facts(standard.governance)]
    # 16 columns hold every English label; a longer translated one widens the column.
    pad = max([16, *(len(label) + 1 for label, _text in labelled)])
    for label, text in labelled:
        lines.append(textwrap.fill(
            _one_line(text), width=96, initial_indent=f"  {label:<{pad}}", subsequent_indent=" " * (pad + 2)
        ))
    if standard.parameters:
        lines.append("\n" + _("Parameters (a city profile may override them):"))
        for p in standard.parameters.values():
            basis = f" [{p.basis}]" if p.basis else ""
            lines.append(f"  {p.name} = {p.default!r} ({p.type}){basis}")
            lines.append(_wrap(tx.parameter(p.name, p.description), "      "))
    if standard.vocabularies:
        lines.append("\n" + _("Vocabularies:"))
        for v in standard.vocabularies.values():
            lines.append("  " + ngettext(
                "{id} ({version}, {count} terms) — {source}",
                "{id} ({version}, {count} terms) — {source}",
                len(v.terms),
                id=v.id,
                version=v.version,
                source=v.source_title,
            ))
    lines.append("\n" + ngettext("Clauses ({count}):", "Clauses ({count}):", len(standard.clauses)))
    for c in standard.clauses:
        extra = " [" + _("attestation") + "]" if c.verification == "attestation" else ""
        if c.effective_from:
            extra += " [" + _("in force from {date}", date=c.effective_from) + "]"
        lines.append(f"  {c.id:<9} {level_word(c.level):<10} {tx.clause(c.id, 'title', c.title)}{extra}")
    return "\n".join(lines) + "\n"


def describe_vocabularies(standard: Standard, name: str | None = None) -> str:
    """Every term of a standard's vocabularies (or of the one named), with its label, its IRI
    where it has one, and its source: what a vendor needs to fill in a controlled field."""
    if name is not None and name not in standard.vocabularies:
        known = ", ".join(sorted(standard.vocabularies)) or "none"
        raise OcpCheckError(
            _("{standard} has no vocabulary {name}", standard=standard.ref, name=repr(name)),
            hint=_("vocabularies: {list}", list=known),
        )
    tx = _texts(standard)
    translation = load_translation(standard, tx.language) if tx.language != "en" else None
    chosen = [standard.vocabularies[name]] if name is not None else list(standard.vocabularies.values())
    lines = [_("{standard}  vocabularies", standard=standard.ref)]
    for vocab in chosen:
        vt = translation.vocabularies.get(vocab.id) if translation else None
        lines.append("")
        lines.append(ngettext(
            "{id}  {title}  (version {version}, {count} terms)",
            "{id}  {title}  (version {version}, {count} terms)",
            len(vocab.terms),
            id=vocab.id,
            title=(vt.title if vt and vt.title else None) or vocab.title,
            version=vocab.version,
        ))
        basis = f" [{vocab.source_basis}]" if vocab.source_basis else ""
        where = f", {vocab.source_locator}" if vocab.source_locator else ""
        lines.append("  " + _("source: {source}", source=f"{vocab.source_title}{where}{basis}"))
        if vocab.source_url:
            lines.append(f"          {vocab.source_url}")
        for src in vocab.sources:
            title = _("{title} (terms {prefix}:)", title=src.title, prefix=src.prefix) if src.prefix else src.title
            lines.append("  " + _("also: {source}", source=title))
        for prefix, base in sorted(vocab.namespaces.items()):
            lines.append("  " + _("namespace {prefix}: {iri}", prefix=prefix, iri=base))
        description = (vt.description if vt and vt.description else None) or vocab.description
        if description:
            lines.append(_wrap(description, "  "))
        for term in vocab.terms.values():
            flags = []
            if term.tags:
                flags.append(_("tags: {tags}", tags=", ".join(sorted(term.tags))))
            if term.deprecated:
                flags.append(_("deprecated, use {term}", term=term.replaced_by) if term.replaced_by else _("deprecated"))
            label = tx.term(vocab.id, term.id, term.label)
            lines.append(f"  {term.id}  {label}" + (f"  [{'; '.join(flags)}]" if flags else ""))
            iri = vocab.iri(term)
            if iri:
                lines.append("      " + _("iri: {iri}", iri=iri))
            lines.append("      " + _("source: {source}", source=vocab.source_of(term)))
            if term.description:
                lines.append(_wrap(term.description, "      "))
    return "\n".join(lines) + "\n"


def selected_standards(catalog: Catalog, refs: Sequence[str]) -> list[Standard]:
    """The named standard versions, or the default version of each standard."""
    if refs:
        return [catalog.resolve(r) for r in refs]
    newest: dict[str, Standard] = {}
    for sid in catalog.ids():
        entry = catalog.match(sid)
        if entry is not None:
            newest[sid] = catalog.load(entry.ref)
    return list(newest.values())


def list_rules(catalog: Catalog, refs: Sequence[str]) -> str:
    lines = []
    for standard in selected_standards(catalog, refs):
        compiled = compile_standard(standard)
        tx = _texts(standard)
        count = len(compiled.rules)
        lines.append(ngettext("{standard} — {count} rules", "{standard} — {count} rules", count, standard=standard.ref))
        for rule in compiled.rules:
            title = tx.rule(rule.id, "title", rule.title)
            lines.append(
                f"  {rule.id:<40} {rule.clause:<8} {level_word(rule.level):<10} {rule.applies_to:<17} {title}"
            )
        lines.append("")
    return "\n".join(lines)


def _clause_text(standard: Standard, clause: Clause, rules: Sequence[Rule]) -> list[str]:
    tx = _texts(standard)
    lines = [
        f"{clause.id}  {tx.clause(clause.id, 'title', clause.title)}",
        "  " + _(
            "{standard} · {level} · applies to {kind} · verified by {how}",
            standard=standard.ref,
            level=level_word(clause.level),
            kind=clause.applies_to,
            how=_verified_by(clause.verification),
        ),
    ]
    if clause.effective_from:
        lines.append("  " + _("in force from {date}", date=clause.effective_from))
    lines.append("")
    lines.append(_wrap(tx.clause(clause.id, "text", clause.text)))
    if clause.attestation:
        lines.append("\n  " + _("Attestation question:"))
        lines.append(_wrap(tx.clause(clause.id, "attestation", clause.attestation), "    "))
        syntax = f"attestations: {{{clause.id}: {{answer: yes, statement: ..., evidence_url: ...}}}}"
        lines.append("    " + _("Answer in the manifest: {syntax}", syntax=syntax))
    lines.append("\n  " + _("Sources:"))
    for s in clause.sources:
        where = f" — {s.locator}" if s.locator else ""
        lines.append(f"    - {s.title}{where} [{s.basis}]")
        if s.url:
            lines.append(f"      {s.url}")
        lines.append(_wrap(s.supports, "      "))
    if rules:
        lines.append("\n  " + _("Rules:"))
        for r in rules:
            lines.append(f"    {r.id} ({level_word(r.level)}, {r.applies_to})")
    return lines


def _rule_text(standard: Standard, rule: Rule) -> list[str]:
    from ocp_check.cases import examples_for_rule

    tx = _texts(standard)
    selector = rule.selector.text or "/"
    lines = [
        f"{rule.id}  {tx.rule(rule.id, 'title', rule.title)}",
        "  " + _(
            "clause {clause} · {level} · {standard} · applies to {kind}",
            clause=rule.clause,
            level=level_word(rule.level),
            standard=standard.ref,
            kind=rule.applies_to,
        ),
        "  " + (
            _("selects: {selector} in the {document}", selector=selector, document=rule.select_document)
            if rule.select_document
            else _("selects: {selector}", selector=selector)
        ),
        "  " + _("message: {message}", message=tx.rule(rule.id, "message", rule.message_text)),
    ]
    if rule.help:
        lines += ["\n  " + _("What it means for a vendor:"), _wrap(tx.rule(rule.id, "help", rule.help), "    ")]
    if rule.rationale:
        lines += ["\n  " + _("Why:"), _wrap(tx.rule(rule.id, "rationale", rule.rationale), "    ")]
    lines += ["\n  " + _("How to fix:"), _wrap(tx.rule(rule.id, "fix", rule.fix), "    ")]
    examples = examples_for_rule(standard, rule.id)
    if examples:
        lines.append("\n  " + _("Examples (mutations of the standard's conformant example document):"))
        lines.extend("    " + line for line in examples)
    return lines


def explain(catalog: Catalog, item: str, refs: Sequence[str]) -> str:
    """Explain a clause id (with its rules) or a rule id (with its clause)."""
    for standard in selected_standards(catalog, refs):
        compiled = compile_standard(standard)
        clause = standard.clause_index.get(item)
        if clause is not None:
            rules = [r for r in compiled.rules if r.clause == clause.id]
            body = _clause_text(standard, clause, rules)
            # Each rule in full: why it exists, how to fix it, a passing and a failing example.
            for rule in rules:
                body += ["", *_rule_text(standard, rule)]
            return "\n".join(body) + "\n"
        for rule in compiled.rules:
            if rule.id == item:
                clause = standard.clause_index[rule.clause]
                body = [*_rule_text(standard, rule), "", *_clause_text(standard, clause, [])]
                return "\n".join(body) + "\n"
    raise OcpCheckError(
        _("no rule or clause named {name}", name=repr(item)),
        hint=_("see 'ocp-check rules list' and 'ocp-check standards show ID'"),
    )
