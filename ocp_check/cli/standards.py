"""The commands that read the standards: ``standards …`` and ``rules …``.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ocp_check.cli.common import (
    StandardsPathOption,
    guarded,
    open_catalog,
    rules_app,
    standards_app,
)
from ocp_check.errors import UsageError
from ocp_check.i18n import N_, _, ngettext, pgettext
from ocp_check.terminal import is_terminal, table_width, use_color


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@standards_app.command("list", help=_("List every standard version available, newest last. Exit code 0, or 2 on error."))
@guarded
def standards_list(
    standards_path: StandardsPathOption = None,
) -> None:
    from rich.console import Console
    from rich.table import Table

    catalog = open_catalog(standards_path)
    table = Table(title=None, box=None, show_edge=False)
    for column in (
        pgettext("standards list column", "standard"),
        pgettext("standards list column", "version"),
        pgettext("standards list column", "status"),
        pgettext("standards list column", "documents"),
        pgettext("standards list column", "title"),
    ):
        table.add_column(column)
    from ocp_check.i18n import current_language
    from ocp_check.model import standard_status_word
    from ocp_check.translations import Texts

    language = current_language()
    for entry in catalog.entries():
        # The title in the run's language: the version's translation file (English where it has none).
        title = entry.title if language == "en" else Texts(catalog.load(entry.ref), language).title
        table.add_row(entry.ref.id, entry.ref.version, standard_status_word(entry.status), entry.kind, title)
    color = use_color(None, is_terminal(sys.stdout))
    # The terminal's width (or COLUMNS); a file gets a fixed one. Long titles wrap in their cell.
    Console(
        highlight=False,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        width=table_width(sys.stdout),
    ).print(table)


@standards_app.command("show", help=_("Show a standard version: metadata, parameters and clauses. Exit code 0, or 2 on error."))
@guarded
def standards_show(
    ref: Annotated[str, typer.Argument(help=_("ID or ID@VERSION, e.g. ocp-data-governance@1.0."))],
    standards_path: StandardsPathOption = None,
) -> None:
    from ocp_check.explain import describe_standard

    standard = open_catalog(standards_path).resolve(ref)
    sys.stdout.write(describe_standard(standard))


@standards_app.command("vocab", help=_("List every term of a standard's vocabularies (or of one) with its label and source. Exit code 0, or 2 on error (unknown standard or vocabulary)."))
@guarded
def standards_vocab(
    ref: Annotated[str, typer.Argument(help=_("ID or ID@VERSION, e.g. ocp-data-governance@2.0."))],
    name: Annotated[
        str | None, typer.Argument(help=_("One vocabulary of the standard, e.g. sensing-technologies."))
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    from ocp_check.explain import describe_vocabularies

    standard = open_catalog(standards_path).resolve(ref)
    sys.stdout.write(describe_vocabularies(standard, name))


@standards_app.command("diff", help=_("What changed between two versions of one standard, each change classed breaking, additive or editorial. Exit 0, or 2 (also when the two versions belong to different standards)."))
@guarded
def standards_diff(
    old: Annotated[str, typer.Argument(help=_("ID@VERSION, e.g. ocp-data-governance@1.0."))],
    new: Annotated[str, typer.Argument(help=_("ID@VERSION, e.g. ocp-data-governance@1.1."))],
    json_output: Annotated[bool, typer.Option("--json", help=_("Machine-readable output (same as --format json)."))] = False,
    fmt: Annotated[
        DiffFormat | None,
        typer.Option("--format", "-f", help=_("text, markdown (for a public comment thread) or json.")),
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    import json as jsonlib

    from ocp_check.diff import diff_standards
    from ocp_check.render.diff import render_diff, render_diff_markdown

    catalog = open_catalog(standards_path)
    a, b = catalog.resolve(old), catalog.resolve(new)
    result = diff_standards(a, b)
    chosen = "json" if json_output else (fmt.value if fmt is not None else "text")
    if chosen == "json":
        sys.stdout.write(jsonlib.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    elif chosen == "markdown":
        sys.stdout.write(render_diff_markdown(result))
    else:
        sys.stdout.write(render_diff(result))


@standards_app.command("pack", help=_("Pack one standard version and its metadata into one file, signed if a key is given. Exit 0, or 2."))
@guarded
def standards_pack(
    ref: Annotated[str, typer.Argument(help=_("ID@VERSION to pack, e.g. ocp-data-governance@1.1.0."))],
    out: Annotated[Path, typer.Argument(help=_("The bundle file to write (.tar.gz)."))],
    sign_key: Annotated[
        Path | None, typer.Option("--sign-key", help=_("Ed25519 private key (PEM) to sign the bundle with."))
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    from ocp_check.bundles import pack, write_bytes_atomic

    standard = open_catalog(standards_path).resolve(ref)
    if sign_key is not None and not sign_key.is_file():
        raise UsageError(_("{file}: no such file", file=sign_key))
    write_bytes_atomic(out, pack(standard, sign_key))
    line = (
        _("{file}: {ref} ({status}), content sha256:{sha256}, signed", file=out, ref=standard.ref, status=standard.status, sha256=standard.sha256)
        if sign_key
        else _("{file}: {ref} ({status}), content sha256:{sha256}, unsigned", file=out, ref=standard.ref, status=standard.status, sha256=standard.sha256)
    )
    sys.stdout.write(line + "\n")


@standards_app.command("install", help=_("Check a bundle (every file's hash, the content hash, the signature) and install it.\n\nExit codes: 0 installed (or already there), 2 error: unreadable, altered, unsafe, unsigned or untrusted without the flag that allows it, or another text under the same version."))
@guarded
def standards_install(
    bundle: Annotated[Path, typer.Argument(help=_("A bundle made by 'standards pack'."))],
    trust: Annotated[
        list[Path] | None, typer.Option("--trust", help=_("A publisher's public key (PEM) to trust (repeatable)."))
    ] = None,
    into: Annotated[
        Path | None, typer.Option("--into", help=_("Install into this standards folder [default: the user folder]."))
    ] = None,
    allow_unsigned: Annotated[
        bool, typer.Option("--allow-unsigned", help=_("Install a bundle that carries no signature."))
    ] = False,
    allow_untrusted: Annotated[
        bool, typer.Option("--allow-untrusted", help=_("Install a bundle signed by a key you do not trust."))
    ] = False,
    standards_path: StandardsPathOption = None,
) -> None:
    from ocp_check.bundles import MAX_BUNDLE_BYTES, install, load_public_keys, user_standards_dir
    from ocp_check.workspace import read_regular_file

    if not bundle.is_file():
        raise UsageError(_("{file}: no such file", file=bundle))
    raw = read_regular_file(bundle, MAX_BUNDLE_BYTES)
    done = install(
        raw,
        str(bundle),
        into=into or user_standards_dir(),
        catalog=open_catalog(standards_path),
        keys=load_public_keys(list(trust or [])),
        allow_unsigned=allow_unsigned,
        allow_untrusted=allow_untrusted,
    )
    said = (
        N_("{ref}: already installed in {folder} ({trust}, content sha256:{sha256})")
        if done.already
        else N_("{ref}: installed in {folder} ({trust}, content sha256:{sha256})")
    )
    sys.stdout.write(
        _(said, ref=done.ref, folder=done.directory, trust=done.trust.describe(), sha256=done.content_sha256) + "\n"
    )


@standards_app.command("keygen", help=_("Make an Ed25519 key pair for signing bundles. Keep the private key; publish KEY.pub. Exit 0, or 2."))
@guarded
def standards_keygen(
    key: Annotated[Path, typer.Argument(help=_("Where to write the new private key (PEM); KEY.pub is written beside it."))],
) -> None:
    from ocp_check.bundles import keygen

    public, kid = keygen(key)
    sys.stdout.write(_("{file}: private key (keep it secret)", file=key) + "\n")
    sys.stdout.write(_("{file}: public key {kid} (publish it)", file=public, kid=kid) + "\n")


@standards_app.command("lock", help=_("Record the content hash of every published version in the folder's lock file, or check it.\n\nExit codes: 0 the lock and the version numbers hold, 1 a published version changed or a number contradicts its changes (each problem is listed), 2 error."))
@guarded
def standards_lock(
    directory: Annotated[
        Path | None, typer.Argument(help=_("A standards folder [default: the standards shipped with the tool]."))
    ] = None,
    check_only: Annotated[
        bool, typer.Option("--check", help=_("Only check: published versions unchanged, numbers agree with changes."))
    ] = False,
) -> None:
    from ocp_check.governance import LOCK_FILE
    from ocp_check.output import write_output
    from ocp_check.publication import check_tree, lock_text
    from ocp_check.standard_files import builtin_standards_dir

    root = directory or builtin_standards_dir()
    if not root.is_dir():
        raise UsageError(_("{folder}: no such folder", folder=root))
    if not check_only:
        write_output(root / LOCK_FILE, lock_text(root))
    result = check_tree(root)
    for problem in result.problems:
        sys.stdout.write(f"{problem}\n")
    sys.stdout.write(
        _(
            "{folder}: {versions}, {problems}",
            folder=root,
            versions=ngettext("{count} versions", "{count} versions", result.versions),
            problems=ngettext("{count} problem", "{count} problems", len(result.problems)),
        )
        + "\n"
    )
    raise typer.Exit(1 if result.problems else 0)


@standards_app.command("docs", help=_("Generate one Markdown page per standard version from the standards data. Exit 0, or 2.\n\nWith --lang fr, the French pages of the versions that have a French translation."))
@guarded
def standards_docs(
    directory: Annotated[Path, typer.Argument(help=_("Folder for the pages [e.g. docs/standards]."))],
    standards_path: StandardsPathOption = None,
) -> None:
    from ocp_check import i18n
    from ocp_check.docgen import languages_with_pages, page_name, standard_markdown
    from ocp_check.output import write_output

    language = i18n.current_language()
    catalog = open_catalog(standards_path)
    directory.mkdir(parents=True, exist_ok=True)
    for entry in catalog.entries():
        standard = catalog.load(entry.ref)
        if language not in languages_with_pages(standard):
            continue
        target = directory / page_name(standard)
        write_output(target, standard_markdown(standard, language))
        sys.stdout.write(f"{target}\n")


@standards_app.command("test", help=_("Run a standard's own rule cases (cases/*.yaml). Exit 0 when all pass, 1 otherwise, 2 on error."))
@guarded
def standards_test(
    ref: Annotated[str, typer.Argument(help=_("ID or ID@VERSION whose rule cases to run."))],
    standards_path: StandardsPathOption = None,
) -> None:
    from ocp_check.cases import run_cases

    catalog = open_catalog(standards_path)
    standard = catalog.resolve(ref)
    failed = 0
    total = 0
    for outcome in run_cases(catalog, standard):
        total += 1
        if not outcome.ok:
            failed += 1
            sys.stdout.write(_("FAIL {rule} {variant}: {message}", rule=outcome.rule, variant=outcome.variant, message=outcome.message) + "\n")
    sys.stdout.write(_("{standard}: {passed} passed, {failed} failed", standard=standard.ref, passed=total - failed, failed=failed) + "\n")
    raise typer.Exit(1 if failed else 0)


@rules_app.command("list", help=_("List the rules of the default version of each standard (or the ones named). Exit code 0, or 2."))
@guarded
def rules_list(
    standard: Annotated[
        list[str] | None, typer.Option("--standard", "-s", help=_("Only this standard version (repeatable)."))
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    from ocp_check.explain import list_rules

    sys.stdout.write(list_rules(open_catalog(standards_path), standard or []))


@rules_app.command("explain", help=_("Explain a rule or clause: requirement, level, sources, rationale, fix, examples. Exit 0, or 2."))
@guarded
def rules_explain(
    item: Annotated[str, typer.Argument(help=_("A rule id (DG-2.3-pd-categories) or a clause id (DG-2.3)."))],
    standard: Annotated[
        list[str] | None, typer.Option("--standard", "-s", help=_("Look in this standard version."))
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    from ocp_check.explain import explain

    sys.stdout.write(explain(open_catalog(standards_path), item, standard or []))
