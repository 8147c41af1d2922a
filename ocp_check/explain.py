"""Human-readable descriptions of standards, clauses and rules (``standards show``,
``rules list``, ``rules explain``). Pure: returns text, the CLI prints it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from ocp_check.catalog import Catalog
from ocp_check.errors import OcpCheckError
from ocp_check.governance import facts
from ocp_check.i18n import _
from ocp_check.rules import Rule, compile_standard
from ocp_check.standards import Clause, Standard


def _wrap(text: str, indent: str = "  ", width: int = 96) -> str:
    return textwrap.fill(" ".join(text.split()), width=width, initial_indent=indent, subsequent_indent=indent)


def describe_standard(standard: Standard) -> str:
    lines = [
        f"{standard.ref}  {standard.title}",
        f"  documents: {standard.kind.value}   publisher: {standard.publisher}",
    ]
    if standard.supersedes:
        lines.append(f"  supersedes: {standard.supersedes}")
    lines.append(f"  sha256: {standard.sha256}")
    lines.append("")
    lines.append(_wrap(standard.summary))
    lines.append("\nGovernance:")
    for label, text in facts(standard.governance):
        lines.append(textwrap.fill(
            " ".join(text.split()), width=96, initial_indent=f"  {label + ':':<16}", subsequent_indent=" " * 18
        ))
    if standard.parameters:
        lines.append("\nParameters (a city profile may override them):")
        for p in standard.parameters.values():
            basis = f" [{p.basis}]" if p.basis else ""
            lines.append(f"  {p.name} = {p.default!r} ({p.type}){basis}")
            lines.append(_wrap(p.description, "      "))
    if standard.vocabularies:
        lines.append("\nVocabularies:")
        for v in standard.vocabularies.values():
            lines.append(f"  {v.id} ({v.version}, {len(v.terms)} terms) — {v.source_title}")
    lines.append(f"\nClauses ({len(standard.clauses)}):")
    for c in standard.clauses:
        extra = " [attestation]" if c.verification == "attestation" else ""
        if c.effective_from:
            extra += f" [in force from {c.effective_from}]"
        lines.append(f"  {c.id:<9} {c.level.value:<10} {c.title}{extra}")
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
    chosen = [standard.vocabularies[name]] if name is not None else list(standard.vocabularies.values())
    lines = [f"{standard.ref}  vocabularies"]
    for vocab in chosen:
        lines.append("")
        lines.append(f"{vocab.id}  {vocab.title}  (version {vocab.version}, {len(vocab.terms)} terms)")
        basis = f" [{vocab.source_basis}]" if vocab.source_basis else ""
        where = f", {vocab.source_locator}" if vocab.source_locator else ""
        lines.append(f"  source: {vocab.source_title}{where}{basis}")
        if vocab.source_url:
            lines.append(f"          {vocab.source_url}")
        for src in vocab.sources:
            covers = f" (terms {src.prefix}:)" if src.prefix else ""
            lines.append(f"  also: {src.title}{covers}")
        for prefix, base in sorted(vocab.namespaces.items()):
            lines.append(f"  namespace {prefix}: {base}")
        if vocab.description:
            lines.append(_wrap(vocab.description, "  "))
        for term in vocab.terms.values():
            flags = []
            if term.tags:
                flags.append("tags: " + ", ".join(sorted(term.tags)))
            if term.deprecated:
                flags.append("deprecated" + (f", use {term.replaced_by}" if term.replaced_by else ""))
            lines.append(f"  {term.id}  {term.label}" + (f"  [{'; '.join(flags)}]" if flags else ""))
            iri = vocab.iri(term)
            if iri:
                lines.append(f"      iri: {iri}")
            lines.append(f"      source: {vocab.source_of(term)}")
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
        lines.append(f"{standard.ref} — {len(compiled.rules)} rules")
        for rule in compiled.rules:
            lines.append(
                f"  {rule.id:<40} {rule.clause:<8} {rule.level.value:<10} {rule.applies_to:<17} {rule.title}"
            )
        lines.append("")
    return "\n".join(lines)


def _clause_text(standard: Standard, clause: Clause, rules: Sequence[Rule]) -> list[str]:
    lines = [
        f"{clause.id}  {clause.title}",
        f"  {standard.ref} · {clause.level.value} · applies to {clause.applies_to} · verified by {clause.verification}",
    ]
    if clause.effective_from:
        lines.append(f"  in force from {clause.effective_from}")
    lines.append("")
    lines.append(_wrap(clause.text))
    if clause.attestation:
        lines.append("\n  Attestation question:")
        lines.append(_wrap(clause.attestation, "    "))
        lines.append(
            f"    Answer in the manifest: attestations: {{{clause.id}: {{answer: yes, statement: ..., evidence_url: ...}}}}"
        )
    lines.append("\n  Sources:")
    for s in clause.sources:
        where = f" — {s.locator}" if s.locator else ""
        lines.append(f"    - {s.title}{where} [{s.basis}]")
        if s.url:
            lines.append(f"      {s.url}")
        lines.append(_wrap(s.supports, "      "))
    if rules:
        lines.append("\n  Rules:")
        for r in rules:
            lines.append(f"    {r.id} ({r.level.value}, {r.applies_to})")
    return lines


def _rule_text(standard: Standard, rule: Rule) -> list[str]:
    from ocp_check.cases import examples_for_rule

    lines = [
        f"{rule.id}  {rule.title}",
        f"  clause {rule.clause} · {rule.level.value} · {standard.ref} · applies to {rule.applies_to}",
        f"  selects: {rule.selector.text or '/'}"
        + (f" in the {rule.select_document}" if rule.select_document else ""),
        f"  message: {rule.message_text}",
    ]
    if rule.help:
        lines += ["\n  What it means for a vendor:", _wrap(rule.help, "    ")]
    if rule.rationale:
        lines += ["\n  Why:", _wrap(rule.rationale, "    ")]
    lines += ["\n  How to fix:", _wrap(rule.fix, "    ")]
    examples = examples_for_rule(standard, rule.id)
    if examples:
        lines.append("\n  Examples (mutations of the standard's conformant example document):")
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
