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
            help="data-manifest, retention-policy, openapi, submission (those three) or compliance-report."
        ),
    ],
    directory: Annotated[Path, typer.Argument(help="Folder to write into (created if needed).")] = Path(),
    force: Annotated[bool, typer.Option(help="Overwrite existing files.")] = False,
    schemas: Annotated[
        Path | None,
        typer.Option(
            "--schemas",
            help="Folder for the schemas the templates' editor modelines point at [default: DIR/.ocp-schemas].",
        ),
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    """Write commented templates to start from. Exit 0 success, 2 error (e.g. a file exists).

    'ocp-check check' reports every TODO left in a template as still to fill in. Each template
    starts with a yaml-language-server modeline pointing at its JSON Schema, written to
    --schemas (a hidden folder inside DIR by default, which 'check' does not scan).
    """
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
            raise UsageError(f"no standard for {doc_kind.value} documents")
        template = std.directory / "templates" / f"{doc_kind.value}.yaml"
        if not template.is_file():
            raise UsageError(f"{std.ref} ships no template for {doc_kind.value}")
        target = directory / f"{doc_kind.value}.yaml"
        if target.exists() and not force:
            raise UsageError(f"{target} already exists (use --force to overwrite)")
        planned.append((template, target, std))
    _write_templates(planned, directory, schemas if schemas is not None else directory / ".ocp-schemas")
    sys.stdout.write(f"next: fill in every TODO, then run: ocp-check check {directory}\n")


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
        sys.stdout.write(f"wrote {schema}\n")
        write_output(target, with_modeline(template.read_text("utf-8"), relative_schema_path(target, schema)))
        sys.stdout.write(f"wrote {target}\n")


@schema_app.command("export")
@guarded
def schema_export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the schemas into (created if needed).")],
    standard: Annotated[
        list[str] | None,
        typer.Option(
            "--standard", "-s", help="Only these standard versions [default: the default version of each]."
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="https:// URL the folder will be published at, for the catalog [default: file: URLs].",
        ),
    ] = None,
    standards_path: StandardsPathOption = None,
) -> None:
    """Write the JSON Schemas for editors, and a catalog mapping file names to them. Exit 0, or 2.

    Each standard's document schema as ID-VERSION.schema.json; the schemas of city profiles,
    waivers files and the project configuration as ocp-check-*.schema.json; catalog.json in
    SchemaStore's catalog format.
    """
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


@waivers_app.command("validate")
@guarded
def waivers_validate(
    file: Annotated[Path, typer.Argument(help="A waivers file (YAML or JSON).")],
    today: Annotated[
        str | None, typer.Option(help="Date used to report expired waivers (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Validate a waivers file and list its waivers. Exit 0 valid, 1 valid but with expired waivers, 2 invalid."""
    import datetime as dt

    from ocp_check.profiles import load_city_waivers

    if not file.exists():
        raise UsageError(f"{file}: no such file")
    items, _ = load_city_waivers([file])
    from ocp_check.settings import environment
    from ocp_check.settings import today as given_today

    day = given_today(today, environment()) or dt.datetime.now(dt.timezone.utc).date()
    expired = 0
    for w in items:
        what = w.rule or w.clause or "?"
        state = "valid"
        if w.expires < day.isoformat():
            state = "EXPIRED"
            expired += 1
        sys.stdout.write(f"{w.id}: {what} — approved by {w.approved_by}, expires {w.expires} [{state}]\n")
    sys.stdout.write(f"{file}: {len(items)} waiver(s), {expired} expired (today is {day.isoformat()})\n")
    raise typer.Exit(1 if expired else 0)
