"""The commands that help write documents: ``init``, ``schema export``, ``waivers validate``.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from ocp_check.cli.common import (
    StandardsPathOption,
    guarded,
    open_catalog,
    schema_app,
    waivers_app,
)
from ocp_check.errors import UsageError
from ocp_check.i18n import N_, _, current_language, ngettext
from ocp_check.l10n import written_date


class InitKind(str, Enum):
    data_manifest = "data-manifest"
    retention_policy = "retention-policy"
    openapi = "openapi"
    compliance_report = "compliance-report"
    submission = "submission"


@guarded
def init_command(
    kind: Annotated[
        InitKind,
        typer.Argument(
            help=_("data-manifest, retention-policy, openapi, submission (those three) or compliance-report.")
        ),
    ],
    directory: Annotated[Path, typer.Argument(help=_("Folder to write into (created if needed)."))] = Path(),
    force: Annotated[bool, typer.Option(help=_("Overwrite existing files."))] = False,
    schemas: Annotated[
        Path | None,
        typer.Option(
            "--schemas",
            help=_("Folder for the schemas the templates' editor modelines point at [default: DIR/.ocp-schemas]."),
        ),
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    from ocp_check.model import DocumentKind

    catalog = open_catalog(standards_path)
    kinds = (
        [DocumentKind.DATA_MANIFEST, DocumentKind.RETENTION_POLICY, DocumentKind.OPENAPI]
        if kind is InitKind.submission
        else [DocumentKind(kind.value)]
    )
    planned = []
    for doc_kind in kinds:
        # The default version; for a kind that has only drafts (the compliance report), the
        # newest draft, whose template declares it by name.
        std = catalog.newest_for_kind(doc_kind) or catalog.newest_draft_for_kind(doc_kind)
        if std is None:
            raise UsageError(_("no standard for {kind} documents", kind=doc_kind.value))
        template = std.directory / "templates" / f"{doc_kind.value}.yaml"
        if not template.is_file():
            raise UsageError(_("{standard} ships no template for {kind}", standard=std.ref, kind=doc_kind.value))
        target = directory / f"{doc_kind.value}.yaml"
        if target.exists() and not force:
            raise UsageError(_("{path} already exists (use --force to overwrite)", path=target))
        planned.append((template, target, std))
    _write_templates(planned, directory, schemas if schemas is not None else directory / ".ocp-schemas")
    sys.stdout.write(_("next: fill in every TODO, then run: ocp-check check {folder}", folder=directory) + "\n")


def _write_templates(planned: list[tuple[Path, Path, Any]], directory: Path, schemas: Path) -> None:
    """Write each template with a modeline, and the schema it points at."""
    import json as jsonlib

    from ocp_check.detect import detect
    from ocp_check.editor import document_schema_name, relative_schema_path, with_modeline
    from ocp_check.loader import load_path
    from ocp_check.output import write_output

    directory.mkdir(parents=True, exist_ok=True)
    schemas.mkdir(parents=True, exist_ok=True)
    for template, target, std in planned:
        key = detect(load_path(template, str(template)).data).schema_key
        key = key if key in std.schemas else min(std.schemas)  # the OpenAPI version it declares
        schema = schemas / document_schema_name(std, key)
        write_output(schema, jsonlib.dumps(std.schemas[key], indent=2, ensure_ascii=False) + "\n")
        sys.stdout.write(_("wrote {path}", path=schema) + "\n")
        write_output(target, with_modeline(template.read_text("utf-8"), relative_schema_path(target, schema)))
        sys.stdout.write(_("wrote {path}", path=target) + "\n")


@schema_app.command("export", help=_("Write the JSON Schemas for editors, and a catalog mapping file names to them. Exit 0, or 2.\n\nEach standard's document schema as ID-VERSION.schema.json; the schemas of city profiles, waivers files and the project configuration as ocp-check-*.schema.json; catalog.json in SchemaStore's catalog format."))
@guarded
def schema_export(
    directory: Annotated[Path, typer.Argument(help=_("Folder to write the schemas into (created if needed)."))],
    standard: Annotated[
        list[str] | None,
        typer.Option(
            "--standard", "-s", help=_("Only these standard versions [default: the default version of each].")
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help=_("https:// URL the folder will be published at, for the catalog [default: file: URLs]."),
        ),
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    import json as jsonlib

    from ocp_check.editor import CATALOG_NAME, catalog, check_base_url, document_schemas, tool_schemas
    from ocp_check.explain import selected_standards
    from ocp_check.output import write_output

    check_base_url(base_url)
    files = [*document_schemas(selected_standards(open_catalog(standards_path), standard or [])), *tool_schemas()]
    directory.mkdir(parents=True, exist_ok=True)
    for item in files:
        write_output(directory / item.file_name, item.text())
        sys.stdout.write(f"{directory / item.file_name}\n")
    entries = catalog(files, directory, base_url)
    write_output(directory / CATALOG_NAME, jsonlib.dumps(entries, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.write(f"{directory / CATALOG_NAME}\n")


@waivers_app.command("validate", help=_("Validate a waivers file and list its waivers. Exit 0 valid, 1 valid but with expired waivers, 2 invalid."))
@guarded
def waivers_validate(
    file: Annotated[Path, typer.Argument(help=_("A waivers file (YAML or JSON)."))],
    today: Annotated[
        str | None, typer.Option(help=_("Date used to report expired waivers (YYYY-MM-DD)."))
    ] = None,
) -> None:
    import datetime as dt

    from ocp_check.profiles import load_city_waivers

    if not file.exists():
        raise UsageError(_("{file}: no such file", file=file))
    items, _hashes = load_city_waivers([file])
    from ocp_check.settings import environment
    from ocp_check.settings import today as given_today

    day = given_today(today, environment()) or dt.datetime.now(dt.timezone.utc).date()
    expired = 0
    for w in items:
        what = w.rule or w.clause or "?"
        line = N_("{id}: {what} — approved by {approver}, expires {date} [valid]")
        if w.expires < day.isoformat():
            line = N_("{id}: {what} — approved by {approver}, expires {date} [EXPIRED]")
            expired += 1
        # The expiry inside the sentence is written out in French, like the reports' waiver notes.
        expires = written_date(w.expires, current_language())
        sys.stdout.write(_(line, id=w.id, what=what, approver=w.approved_by, date=expires) + "\n")
    sys.stdout.write(
        ngettext(
            "{file}: {count} waiver(s), {expired} expired (today is {date})",
            "{file}: {count} waiver(s), {expired} expired (today is {date})",
            len(items),
            file=file,
            expired=expired,
            date=day.isoformat(),
        )
        + "\n"
    )
    raise typer.Exit(1 if expired else 0)
