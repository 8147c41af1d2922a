"""Rule packs: compiled once per standard version, evaluated per document and submission.

A rule selects nodes (``selectors.py``), keeps those meeting its ``when`` conditions and
asserts one check on each (``checks.py``). Compilation validates everything a pack author
can get wrong (unknown clause or check, bad option, unsafe regular expression, unknown
message placeholder) and raises ``StandardInvalid`` naming the file, line and rule: a
broken pack is the tool's own input and stops the run with exit code 2.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ocp_check.check_base import CheckSpecError, CompiledCheck, Env, Failure, Subject, show
from ocp_check.checks import NamedCondition, compile_check, compile_named_conditions, named_conditions
from ocp_check.errors import StandardInvalid
from ocp_check.i18n import _, current_language
from ocp_check.jsondata import JSON, pointer_join
from ocp_check.l10n import french_join
from ocp_check.loader import SourceDocument
from ocp_check.model import DocumentKind, Level, StandardRef
from ocp_check.selectors import Selected, Selector, Walker, parse_selector
from ocp_check.standards import RulePackSource, Standard
from ocp_check.translations import load_translation, translation_languages
from ocp_check.workspace import Workspace

PLACEHOLDERS = frozenset(
    {"label", "value", "expected", "detail", "suggestion", "path", "pointer", "key", "count", "document"}
)
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


@dataclass(frozen=True)
class Template:
    """A message template with only documented ``{name}`` placeholders (no ``str.format``)."""

    parts: tuple[tuple[bool, str], ...]

    @staticmethod
    def parse(text: str, where: str) -> Template:
        parts: list[tuple[bool, str]] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(text):
            if m.start() > pos:
                parts.append((False, text[pos : m.start()]))
            token = m.group(0)
            if token in ("{{", "}}"):
                parts.append((False, token[0]))
            elif m.group(1) is None:
                raise CheckSpecError(_("{where}: unbalanced '{token}' in message (write '{token}{token}')", where=where, token=token))
            elif m.group(1) not in PLACEHOLDERS:
                raise CheckSpecError(
                    _("{where}: unknown placeholder {{{value}}} in message; allowed: {list}", where=where, value=m.group(1), list=', '.join('{' + p + '}' for p in sorted(PLACEHOLDERS)))
                )
            else:
                parts.append((True, m.group(1)))
            pos = m.end()
        if pos < len(text):
            parts.append((False, text[pos:]))
        return Template(tuple(parts))

    def render(self, values: Mapping[str, str], language: str = "en") -> str:
        """The message with its placeholders filled. In French a preposition before a
        placeholder is contracted with the article its value opens with (« la limite est de
        {expected} » with « une valeur » reads « d'une valeur »): the value decides the form."""
        if language != "fr":
            return "".join(values.get(text, "") if is_field else text for is_field, text in self.parts)
        out: list[str] = []
        for is_field, text in self.parts:
            if not is_field:
                out.append(text)
                continue
            value = values.get(text, "")
            if out:
                out[-1], value = french_join(out[-1], value)
            out.append(value)
        return "".join(out)


@dataclass(frozen=True)
class Rule:
    """A compiled rule, ready to evaluate."""

    id: str
    clause: str
    standard: StandardRef
    level: Level
    applies_to: str
    title: str
    select_document: str | None
    selector: Selector
    label: str
    when: tuple[CompiledCheck, ...]
    for_each: Selector | None
    for_each_when: tuple[CompiledCheck, ...]
    check: CompiledCheck
    message: Template
    message_text: str
    fix: str
    rationale: str
    help: str
    not_applicable: str
    requires: frozenset[DocumentKind]
    source_file: str
    source_line: int
    raw: Mapping[str, Any] = field(repr=False, default_factory=dict)
    #: The message and fix in each language the standard is translated into (its translation
    #: file, ``translations.py``); the English ones above otherwise.
    localized: Mapping[str, tuple[Template, str, str]] = field(default_factory=dict)

    def message_template(self) -> Template:
        """The message in the run's language, English where the standard has no translation."""
        found = self.localized.get(current_language())
        return found[0] if found else self.message

    def fix_text(self) -> str:
        """The fix in the run's language, English where the standard has no translation."""
        found = self.localized.get(current_language())
        return found[1] if found else self.fix

    def not_applicable_text(self) -> str:
        """Why the rule does not apply, in the run's language (English without a translation)."""
        found = self.localized.get(current_language())
        return found[2] if found else self.not_applicable


@dataclass(frozen=True, slots=True)
class Hit:
    """One failing node of a rule, already located and with its message rendered."""

    file: str
    pointer: str
    message: str


@dataclass
class RuleOutcome:
    rule: Rule
    applicable: bool
    reason: str
    hits: list[Hit]


@dataclass
class CompiledStandard:
    standard: Standard
    rules: tuple[Rule, ...]
    conditions: Mapping[str, NamedCondition] = field(default_factory=dict)

    def for_kind(self, applies_to: str) -> list[Rule]:
        """The rules that judge a document kind (or ``submission``), in pack order; grouped
        once per compiled standard, since every judged document asks for its kind's rules."""
        grouped = self.__dict__.get("_by_kind")
        if grouped is None:
            grouped = self.__dict__["_by_kind"] = {}
            for rule in self.rules:
                grouped.setdefault(rule.applies_to, []).append(rule)
        return list(grouped.get(applies_to, ()))


@dataclass
class Context:
    """What evaluation needs from the submission: files, which files are which kind, parameters."""

    workspace: Workspace
    file: str
    # Kind -> every judged document of that kind, in file order: one data manifest, one
    # retention policy, and as many API descriptions as the submission holds.
    documents: Mapping[DocumentKind, tuple[str, ...]]
    params: Mapping[str, JSON]
    # (file, pointer, selector) -> the nodes it selects: most rules of a pack start from the
    # same few selectors (``/data_categories/*`` dozens of times per manifest), and a
    # selection depends only on the workspace, so each is walked once per submission.
    selections: dict[tuple[str, str, str], list[Selected]] = field(default_factory=dict)
    lookups: dict[tuple[str, str, str], Selected | None] = field(default_factory=dict)
    # Hits of one rule in one file beyond this many are only counted by the report (the
    # per-rule cap): their messages are not rendered. None renders every message.
    message_limit: int | None = None


_COMPILED: dict[tuple[StandardRef, str, bool, str], CompiledStandard] = {}


def compile_standard(standard: Standard) -> CompiledStandard:
    """Compile (once per process) every rule pack of a standard version."""
    # The run's language is part of the key: a rule carries its message and fix in it (read
    # from the standard's translation file only when the run is not in English).
    key = (standard.ref, str(standard.directory), standard.trusted, current_language())
    found = _COMPILED.get(key)
    if found is None:
        rules: list[Rule] = []
        seen: dict[str, str] = {}
        conditions: Mapping[str, NamedCondition] = {}
        for pack in standard.rule_packs:
            conditions = _pack_conditions(standard, pack.document, conditions)
        for pack in standard.rule_packs:
            for rule in _compile_pack(standard, pack.path, pack.document, conditions):
                if rule.id in seen:
                    raise StandardInvalid(
                        f"{pack.document.name}:{rule.source_line}: rule {rule.id} is defined twice "
                        f"(also in {seen[rule.id]})"
                    )
                seen[rule.id] = pack.document.name
                rules.append(rule)
        found = CompiledStandard(standard, tuple(rules), conditions)
        _COMPILED[key] = found
    return found


def _pack_conditions(
    standard: Standard, doc: SourceDocument, known: Mapping[str, NamedCondition]
) -> Mapping[str, NamedCondition]:
    """The named conditions of a pack added to those of the packs before it (all packs of a
    standard share them, so a definition is written once for the whole standard)."""
    data: Any = doc.data if isinstance(doc.data, dict) else {}
    raw = data.get("conditions")
    if not raw:
        return known
    try:
        return compile_named_conditions(raw, standard, "conditions", known)
    except CheckSpecError as err:
        _pointer, line, col = doc.nearest_position("/conditions")
        raise StandardInvalid(f"{doc.name}:{line}:{col}: {err}") from None


def compile_extra(standard: Standard, packs: Sequence[RulePackSource]) -> CompiledStandard:
    """Compile local rule packs (from a profile) against a standard's clauses and parameters.

    Their rule ids must not collide with the standard's own.
    """
    compiled = compile_standard(standard)
    own = {r.id for r in compiled.rules}
    rules: list[Rule] = []
    # A city's pack is checked in full even when it extends a shipped (trusted) standard.
    checked = dataclasses.replace(standard, trusted=False) if standard.trusted else standard
    for pack in packs:
        conditions = _pack_conditions(checked, pack.document, compiled.conditions)
        for rule in _compile_pack(checked, pack.path, pack.document, conditions):
            if rule.id in own:
                raise StandardInvalid(
                    _(
                        "{position}: rule {rule} already exists in {ref}",
                        position=f"{pack.document.name}:{rule.source_line}",
                        rule=rule.id,
                        ref=standard.ref,
                    )
                )
            own.add(rule.id)
            rules.append(rule)
    return CompiledStandard(standard, tuple(rules))


def _compile_pack(
    standard: Standard, rel: str, doc: SourceDocument, conditions: Mapping[str, NamedCondition]
) -> list[Rule]:
    data: Any = doc.data if isinstance(doc.data, dict) else {}
    out = []
    for index, raw in enumerate(data.get("rules", [])):
        pointer = f"/rules/{index}"
        line = (doc.position(pointer) or (1, 1))[0]
        rule_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
        try:
            with named_conditions(conditions):
                out.append(_compile_rule(standard, raw, doc.name, line))
        except CheckSpecError as err:
            where = pointer_join(pointer, "") if not err.pointer else err.pointer
            _pointer, eline, ecol = doc.nearest_position(where.rstrip("/"))
            raise StandardInvalid(
                _("{position}: rule {rule}: {reason}", position=f"{doc.name}:{eline}:{ecol}", rule=rule_id, reason=err)
            ) from None
    return out


def _compile_rule(standard: Standard, raw: dict[str, Any], file: str, line: int) -> Rule:
    rid = raw["id"]
    clause = standard.clause_index.get(raw["clause"])
    if clause is None:
        raise CheckSpecError(_("clause {clause} does not exist in {ref}", clause=repr(raw['clause']), ref=standard.ref))
    applies_to = raw["applies_to"]
    if clause.applies_to != applies_to and clause.applies_to != "submission":
        raise CheckSpecError(_("applies to {kind} but clause {clause} applies to {clause_kind}", kind=applies_to, clause=clause.id, clause_kind=clause.applies_to))
    if clause.verification == "attestation":
        raise CheckSpecError(_("clause {clause} is answered by attestation; it cannot also have rules", clause=clause.id))
    level = Level(raw["level"]) if "level" in raw else clause.level

    select = raw.get("select", "")
    select_document: str | None = None
    if isinstance(select, dict):
        if applies_to != "submission":
            raise CheckSpecError(_('select: {{document: ...}} is only for applies_to: submission'))
        select_document = select["document"]
        select_text = select.get("path", "")
    else:
        if applies_to == "submission":
            raise CheckSpecError(_('a submission rule selects with {{document: KIND, path: SELECTOR}}'))
        select_text = select
    try:
        selector = parse_selector(select_text)
    except ValueError as err:
        raise CheckSpecError(str(err)) from None
    label = raw.get("label", "")
    if label and not label.startswith("/"):
        raise CheckSpecError(_('label must be a relative JSON Pointer such as /id'))

    when = tuple(compile_check(c, standard, f"when[{i}]") for i, c in enumerate(raw.get("when", [])))
    for_each: Selector | None = None
    for_each_when: tuple[CompiledCheck, ...] = ()
    if "for_each" in raw:
        spec = raw["for_each"]
        try:
            for_each = parse_selector(spec["select"])
        except ValueError as err:
            raise CheckSpecError(_("for_each: {err}", err=err)) from None
        for_each_when = tuple(
            compile_check(c, standard, f"for_each/when[{i}]") for i, c in enumerate(spec.get("when", []))
        )
    check = compile_check(raw["assert"], standard, "assert")
    message = Template.parse(raw["message"], "message")
    localized: dict[str, tuple[Template, str, str]] = {}
    language = current_language()
    if language in translation_languages(standard):
        translation = load_translation(standard, language)
        texts = translation.rules.get(rid, {}) if translation else {}
        if {"message", "fix", "not_applicable"} & set(texts):
            localized[language] = (
                Template.parse(texts.get("message", raw["message"]), f"message ({language})"),
                " ".join(texts.get("fix", raw["fix"]).split()),
                texts.get("not_applicable", raw.get("not_applicable", "")),
            )

    requires: set[DocumentKind] = set()
    if select_document:
        requires.add(DocumentKind(select_document))
    for compiled in (*when, *for_each_when, check):
        requires.update(DocumentKind(d) for d in compiled.documents)
    requires.update(DocumentKind(k) for k in raw.get("requires", []))
    if applies_to != "submission":
        requires.add(DocumentKind(applies_to))

    return Rule(
        id=rid,
        clause=clause.id,
        standard=standard.ref,
        level=level,
        applies_to=applies_to,
        title=raw.get("title", clause.title),
        select_document=select_document,
        selector=selector,
        label=label,
        when=when,
        for_each=for_each,
        for_each_when=for_each_when,
        check=check,
        message=message,
        message_text=raw["message"],
        fix=" ".join(raw["fix"].split()),
        rationale=" ".join(raw.get("rationale", "").split()),
        help=" ".join(raw.get("help", "").split()),
        not_applicable=raw.get("not_applicable", ""),
        requires=frozenset(requires),
        source_file=file,
        source_line=line,
        raw=raw,
        localized=localized,
    )


# --------------------------------------------------------------------------- evaluation


def evaluate_document(compiled: CompiledStandard, ctx: Context) -> list[RuleOutcome]:
    """Evaluate the rules that apply to one document kind on ``ctx.file``.

    A lookup into the document's own kind stays inside it (operation ids are unique within
    one API description, not across the submission's APIs); other kinds are the submission's.
    """
    doc = ctx.workspace.document(ctx.file)
    if doc is None:
        return []
    root = Selected(ctx.file, "", doc.data, "")
    kind = compiled.standard.kind
    scope = _Scope(ctx, {**ctx.documents, kind: (ctx.file,)})
    return [_evaluate_rule(rule, (root,), ctx, scope) for rule in compiled.for_kind(kind.value)]


def evaluate_submission(compiled: CompiledStandard, ctx: Context) -> list[RuleOutcome]:
    """Evaluate the cross-document rules of a standard over a submission.

    A rule that selects in a kind the submission holds several of (API descriptions) is
    judged on each, as one outcome: it applies when it applies to any of them."""
    outcomes = []
    scope = _Scope(ctx, ctx.documents)
    for rule in compiled.for_kind("submission"):
        missing = [k for k in rule.requires if not ctx.documents.get(k)]
        if missing:
            outcomes.append(RuleOutcome(rule, False, "", []))
            continue
        assert rule.select_document is not None
        roots = []
        for file in ctx.documents[DocumentKind(rule.select_document)]:
            doc = ctx.workspace.document(file)
            if doc is not None:
                roots.append(Selected(file, "", doc.data, ""))
        if not roots:
            outcomes.append(RuleOutcome(rule, False, "", []))
            continue
        outcomes.append(_evaluate_rule(rule, roots, ctx, scope))
    return outcomes


class _Scope:
    """What the rules of one evaluation (one document's rules, or a submission's cross-document
    rules) share: the walker, the files of each kind their lookups consult, and the lookups'
    results. A lookup's values depend only on these, the parameters and the workspace, which
    are the same for every rule of the evaluation, so each is computed once for all of them
    rather than once per rule."""

    __slots__ = ("cache", "documents", "walker")

    def __init__(self, ctx: Context, kinds: Mapping[DocumentKind, tuple[str, ...]]) -> None:
        self.walker = Walker(ctx.workspace, None, ctx.lookups)  # broken $refs: the references stage's
        self.documents = {k.value: v for k, v in kinds.items()}
        self.cache: dict[tuple[str, ...], Any] = {}


def _passes(conditions: Sequence[CompiledCheck], node: Selected, env: Env) -> bool:
    """Whether every condition holds on ``node`` (a loop: ``all`` over a generator costs
    more than the conditions themselves on most nodes)."""
    for condition in conditions:  # noqa: SIM110
        if condition.evaluate(node, env)[0] is not None:
            return False
    return True


def _evaluate_rule(rule: Rule, roots: Sequence[Selected], ctx: Context, scope: _Scope) -> RuleOutcome:
    walker = scope.walker
    env = Env(ctx.params, walker, scope.documents, roots[0], roots[0], scope.cache)
    hits: list[Hit] = []
    in_scope = 0
    seen: set[tuple[str, str]] = set()
    per_file: Counter[str] = Counter()
    check, when, for_each, for_each_when = rule.check, rule.when, rule.for_each, rule.for_each_when
    for root in roots:
        # Checks that start at the document root ("#/security") start at this document's.
        env.root = root
        key = (root.file, root.pointer, rule.selector.text)
        selected = ctx.selections.get(key)
        if selected is None:
            selected = ctx.selections[key] = walker.select(root, rule.selector)
        # (node to judge, node that names it in messages), in document order.
        targets: list[tuple[Selected, Selected]] = []
        shared: set[tuple[str, str]] = set()
        for node in selected:
            if when and not _passes(when, node, env):
                continue
            if for_each is None:
                targets.append((node, node))
                continue
            walker.shared_deep = shared
            try:
                inner_nodes = walker.select(node, for_each)
            finally:
                walker.shared_deep = None
            for inner in inner_nodes:
                if not for_each_when or _passes(for_each_when, inner, env):
                    targets.append((inner, node))
        in_scope += len(targets)
        for node, owner in targets:
            failure, subject = check.evaluate(node, env)
            if failure is None:
                continue
            target = subject.node if subject.node is not None and subject.present else node
            if not subject.present and check.path and not check.path.startswith("#"):
                target = Selected(node.file, node.pointer + check.path, None, "")
            ident = (target.file, target.pointer)
            if ident in seen:
                continue
            seen.add(ident)
            per_file[target.file] += 1
            if ctx.message_limit is not None and per_file[target.file] > ctx.message_limit:
                message = ""  # folded by the report: counted, never shown
            else:
                message = _message(rule, node, owner, subject, failure, walker)
            hits.append(Hit(target.file, target.pointer, message))
    applicable = in_scope > 0
    return RuleOutcome(rule, applicable, "" if applicable else rule.not_applicable_text(), hits)


def _message(
    rule: Rule, node: Selected, owner: Selected, subject: Subject, failure: Failure, walker: Walker
) -> str:
    label = node.pointer or "/"
    if rule.label:
        target = walker.at(owner, rule.label)
        if target is not None and target.value is not None:
            label = show(target.value, 60)
    values = {
        "label": label,
        "value": show(subject.value) if subject.present else _("(missing)"),
        "expected": failure.expected,
        "detail": failure.detail,
        "suggestion": failure.suggestion_text(),
        "path": rule.check.path.lstrip("/") or _("(the node)"),
        "pointer": (subject.node.pointer if subject.node is not None else node.pointer) or "/",
        "key": node.key,
        "count": str(failure.count) if failure.count is not None else "",
        "document": node.file,
    }
    return " ".join(rule.message_template().render(values, current_language()).split())
