"""Name the files that are not OCP documents: what each is, and what to hand in instead.

A vendor asked for a data manifest, a retention policy and an OpenAPI description often
sends what it already has: a Fides manifest, a Frictionless Data Package, a DCAT or CKAN
catalogue record, an AsyncAPI or Swagger 2.0 description, DTPR taxonomy entries, a JSON
Schema, an RDF graph, or a file committed in the middle of a git merge. "Not a recognised
document" leaves the procurement officer guessing; each of these gets an error finding that
says what the file is, at the line that shows it, and points to the ``ocp-check init``
template or conversion that replaces it (docs/ARCHITECTURE.md, "Every file is accounted for").

Everything here is pure: values and bytes in, a ``Foreign`` description out. ``detect.py``
recognises OCP documents; this module recognises everything else, and is asked only about
files that are neither a document nor a fragment reached by ``$ref``.

Which files are candidates at all (``docs/ARCHITECTURE.md``): ``*.yaml``, ``*.yml``,
``*.json`` and ``*.jsonld`` always; Markdown only when it starts with YAML front matter
(a DTPR entry or a JKAN record, never a plain README), and Turtle or other RDF text files only
when their first bytes read as RDF (``is_sniffed_candidate``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ocp_check.i18n import N_, _, ngettext
from ocp_check.jsondata import JSON
from ocp_check.model import KEYED_KINDS

#: Suffixes that make a file a candidate by name alone (parsed as YAML, or JSON for .json/.jsonld).
DATA_SUFFIXES = (".yaml", ".yml", ".json", ".jsonld")
#: Suffixes of files that become candidates only when their first bytes say what they are.
MARKDOWN_SUFFIXES = (".md", ".markdown")
RDF_SUFFIXES = (".ttl", ".n3", ".nt", ".trig", ".rdf", ".owl")
SNIFF_BYTES = 64 * 1024

INIT_MANIFEST = "'ocp-check init data-manifest DIR'"
INIT_RETENTION = "'ocp-check init retention-policy DIR'"
INIT_OPENAPI = "'ocp-check init openapi DIR'"
INIT_SUBMISSION = "'ocp-check init submission DIR'"


def _outside() -> str:
    return _("keep the file outside the bid folder (or in a hidden folder such as .extra/, which is not scanned)")


def _catalogue_fix() -> str:
    return _(
        "Dataset metadata is served by the API, not handed in as a file (ocp-api-exchange DX-4.3: a GET "
        "operation offering DCAT as application/ld+json or a Data Package descriptor; the template of "
        "{init_openapi} has one), and the system's data is declared in a data manifest ({init_manifest}); "
        "{outside}.",
        init_openapi=INIT_OPENAPI,
        init_manifest=INIT_MANIFEST,
        outside=_outside(),
    )


def _elsewhere_fix() -> str:
    return _(
        "Describe the system in the OCP documents instead ({init} writes commented templates); {outside}.",
        init=INIT_SUBMISSION,
        outside=_outside(),
    )


@dataclass(frozen=True, slots=True)
class Foreign:
    """What a file that is not an OCP document is.

    ``format`` is a short stable id (``fides``, ``frictionless``, ``unrecognised`` ...);
    ``message`` says what the file is, ``fix`` what to do; ``pointer`` (in the parsed data) or
    ``line`` (in the raw text) is where that shows. ``specific`` is False only for a mapping
    that matches no known format: the one case that may be a harmless helper file of a bid.
    """

    format: str
    message: str
    fix: str
    pointer: str = ""
    line: int | None = None
    specific: bool = True


# --------------------------------------------------------------------------- candidates


def is_data_name(name: str) -> bool:
    """A file name the scan always takes (YAML or JSON by suffix), hidden files excepted."""
    return name.lower().endswith(DATA_SUFFIXES) and not name.startswith(".")


def needs_sniff(name: str) -> bool:
    """A name that is a candidate only if its first bytes say so (Markdown, RDF)."""
    lower = name.lower()
    return not name.startswith(".") and lower.endswith(MARKDOWN_SUFFIXES + RDF_SUFFIXES)


def is_sniffed_candidate(name: str, head: bytes) -> bool:
    """Markdown with YAML front matter, or text that reads as RDF: the formats a vendor may
    hand in instead of an OCP document. A README without front matter is never a candidate."""
    lower = name.lower()
    if lower.endswith(MARKDOWN_SUFFIXES):
        text = head.decode("utf-8", "replace")
        return front_matter(text) is not None
    if lower.endswith(RDF_SUFFIXES):
        return rdf_flavour(head.decode("utf-8", "replace")) is not None
    return False


def is_markdown(rel: str) -> bool:
    return rel.lower().endswith(MARKDOWN_SUFFIXES)


def is_rdf(rel: str) -> bool:
    return rel.lower().endswith(RDF_SUFFIXES)


def is_json_name(rel: str) -> bool:
    return rel.lower().endswith((".json", ".jsonld"))


# --------------------------------------------------------------------------- raw text

_MARKER_START = re.compile(rb"(?m)^<{7}(?:[ \t][^\r\n]*)?\r?$")
_MARKER_MIDDLE = re.compile(rb"(?m)^={7}\r?$")
_MARKER_END = re.compile(rb"(?m)^>{7}(?:[ \t][^\r\n]*)?\r?$")


def merge_conflict_line(raw: bytes) -> int | None:
    """The line of the first git merge-conflict marker, when the file holds a whole conflict
    block (``<<<<<<<``, then ``=======``, then ``>>>>>>>``, each at the start of a line).

    Such a file may still parse (markers inside a YAML block scalar are text), but it holds
    two versions of its content and neither is the one the vendor meant to submit. A lone
    ``=======`` (a Markdown underline) is not a conflict."""
    if b"<<<<<<<" not in raw:
        return None
    start = _MARKER_START.search(raw)
    if start is None:
        return None
    middle = _MARKER_MIDDLE.search(raw, start.end())
    if middle is None or _MARKER_END.search(raw, middle.end()) is None:
        return None
    return raw.count(b"\n", 0, start.start()) + 1


_FRONT_OPEN = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_FRONT_CLOSE = re.compile(r"(?m)^(?:---|\.\.\.)[ \t]*\r?$")


def front_matter(text: str) -> str | None:
    """The YAML front matter of a Markdown text (or of its first bytes), with its opening
    ``---`` line kept (a YAML document-start marker) so that line numbers are those of the
    file; None without one, or when it is never closed."""
    opening = _FRONT_OPEN.match(text)
    if opening is None:
        return None
    closing = _FRONT_CLOSE.search(text, opening.end())
    if closing is None:
        return None
    return text[: closing.start()]


_RDF_TURTLE = re.compile(r"(?im)^[ \t]*(?:@prefix|@base|prefix|base)[ \t]+\S")
_RDF_XML = re.compile(r"<rdf:RDF\b")
_RDF_NTRIPLES = re.compile(r"(?m)^[ \t]*(?:<[^<>\s]+>|_:\S+)[ \t]+<[^<>\s]+>[ \t]+\S")


def rdf_flavour(text: str) -> str | None:
    """"Turtle", "RDF/XML" or "N-Triples" when the text reads as RDF, else None."""
    head = text[:SNIFF_BYTES]
    if _RDF_XML.search(head):
        return "RDF/XML"
    if _RDF_TURTLE.search(head):
        return "Turtle"
    if _RDF_NTRIPLES.search(head):
        return "N-Triples"
    return None


def recognise_rdf(text: str) -> Foreign:
    """An RDF file: a linked-data graph, often a DCAT catalogue."""
    flavour = rdf_flavour(text) or "RDF"
    found = _RDF_XML.search(text) or _RDF_TURTLE.search(text) or _RDF_NTRIPLES.search(text)
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    dcat = "dcat:" in text or "/ns/dcat#" in text
    return Foreign(
        "rdf",
        _("RDF in {flavour} (a DCAT catalogue), not an OCP document", flavour=flavour)
        if dcat
        else _("RDF in {flavour} (a linked-data graph), not an OCP document", flavour=flavour),
        _catalogue_fix() if dcat else _elsewhere_fix(),
        line=line,
    )


# --------------------------------------------------------------------------- parsed data

_FIDES_RESOURCES = (
    "system",
    "dataset",
    "data_category",
    "data_subject",
    "data_use",
    "organization",
    "policy",
    "registry",
    "evaluation",
    "data_qualifier",
)
_JSON_SCHEMA_META = re.compile(r"^https?://json-schema\.org/(?:draft[-/]?(\d+(?:-\d+)?)|schema)")
_DCAT_US = re.compile(r"project-open-data\.cio\.gov/v(\d+(?:\.\d+)*)/schema")
_OCP_KINDS = tuple(k.value for k in KEYED_KINDS)


def _dict(value: JSON) -> Mapping[str, JSON]:
    return value if isinstance(value, dict) else {}


def _dicts(value: JSON) -> list[Mapping[str, JSON]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: JSON, limit: int = 60) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _items(n: int) -> str:
    return ngettext("{count} item", "{count} items", n)


def _resources(n: int) -> str:
    return ngettext("{count} resource", "{count} resources", n)


def recognise(data: JSON, rel: str) -> Foreign:
    """What a loaded file that holds no OCP document is (``detect`` found no kind).

    ``rel`` tells Markdown front matter (the data is the front matter) from a data file."""
    if is_markdown(rel):
        return _markdown(data)
    if data is None or data == {} or data == "":
        return Foreign(
            "empty",
            _("the document is empty"),
            _(
                "Fill it in from a template ({init_manifest}, {init_retention} or {init_openapi}), or remove the file.",
                init_manifest=INIT_MANIFEST,
                init_retention=INIT_RETENTION,
                init_openapi=INIT_OPENAPI,
            ),
        )
    if isinstance(data, list):
        return _list(data)
    if not isinstance(data, dict):
        if isinstance(data, str):
            said = N_(
                "the document is a single text value, not a mapping: an OCP document is a mapping with "
                "'kind:' or 'openapi:' at the top"
            )
        elif isinstance(data, (int, float)):
            said = N_(
                "the document is a single number value, not a mapping: an OCP document is a mapping with "
                "'kind:' or 'openapi:' at the top"
            )
        else:
            said = N_(
                "the document is a single value value, not a mapping: an OCP document is a mapping with "
                "'kind:' or 'openapi:' at the top"
            )
        return Foreign(
            "scalar",
            _(said),
            _("Start from a template ({init} writes all three), or remove the file.", init=INIT_SUBMISSION),
        )
    for check in (_asyncapi, _fides, _ckan, _frictionless, _dcat, _json_schema, _dtpr, _ocp_tool_file, _bad_kind):
        found = check(data)
        if found is not None:
            return found
    return Foreign(
        "unrecognised",
        _(
            "not a recognised document (no 'kind: data-manifest', 'kind: retention-policy', "
            "'kind: compliance-report' or 'openapi: 3.x' at the top)"
        ),
        _("Add the document's kind, or remove the file from the bid if it is not part of it."),
        specific=False,
    )


def _list(data: list[JSON]) -> Foreign:
    documents = sum(
        1 for item in data if isinstance(item, dict) and ("openapi" in item or item.get("kind") in _OCP_KINDS)
    )
    if documents:
        return Foreign(
            "list",
            _(
                "the file holds a list of {items}, {documents} of them OCP documents; each document must be a "
                "file of its own",
                items=_items(len(data)),
                documents=documents,
            ),
            _("Put each document in its own file, as a mapping with 'kind:' or 'openapi:' at the top."),
        )
    return Foreign(
        "list",
        _(
            "the document is a list ({items}), not a mapping: an OCP document is a mapping with 'kind:' or "
            "'openapi:' at the top",
            items=_items(len(data)),
        ),
        _(
            "Write each document as a mapping, one per file ({init} writes the three templates), or remove the file.",
            init=INIT_SUBMISSION,
        ),
    )


def _asyncapi(data: Mapping[str, JSON]) -> Foreign | None:
    if "asyncapi" not in data:
        return None
    version = _text(data.get("asyncapi"), 20) or "?"
    return Foreign(
        "asyncapi",
        _(
            "an AsyncAPI {version} description (a message-driven API), not an OpenAPI description: "
            "ocp-api-exchange judges OpenAPI 3.0 and 3.1 descriptions",
            version=version,
        ),
        _(
            "Describe the API's HTTP operations in OpenAPI 3.0 or 3.1 (the template of {init} shows what the "
            "standard asks for); {outside}.",
            init=INIT_OPENAPI,
            outside=_outside(),
        ),
        pointer="/asyncapi",
    )


def _fides(data: Mapping[str, JSON]) -> Foreign | None:
    found = [
        key
        for key in _FIDES_RESOURCES
        if any("fides_key" in item for item in _dicts(data.get(key)))
    ]
    if not found and "fides_key" in data:
        found = ["resource"]
    if not found:
        return None
    return Foreign(
        "fides",
        _("a Fides resource file (fideslang {resources}), not an OCP document", resources=", ".join(found)),
        _(
            "Describe the system in a data manifest instead ({init_manifest}): each data category and data use "
            "of the Fides declarations becomes a `data_categories` entry with its `purposes` and legal basis, "
            "and how long each is kept goes in the retention policy ({init_retention}).",
            init_manifest=INIT_MANIFEST,
            init_retention=INIT_RETENTION,
        ),
        pointer=f"/{found[0]}" if found[0] in data else "/fides_key",
    )


def _ckan(data: Mapping[str, JSON]) -> Foreign | None:
    record: Mapping[str, JSON] = data
    pointer = ""
    if isinstance(data.get("success"), bool) and isinstance(data.get("result"), dict):
        record, pointer = _dict(data.get("result")), "/result"
    resources = _dicts(record.get("resources"))
    ckan_keys = {"license_id", "owner_org", "num_resources", "ckan_url", "maintainer_email", "metadata_created"}
    if not (ckan_keys & set(record) and ("resources" in record or "name" in record)):
        return None
    name = _text(record.get("name") or record.get("title"))
    return Foreign(
        "ckan",
        _(
            "a CKAN dataset record ({name}) with {resources}, not an OCP document",
            name=repr(name),
            resources=_resources(len(resources)),
        )
        if name
        else _("a CKAN dataset record with {resources}, not an OCP document", resources=_resources(len(resources))),
        _catalogue_fix(),
        pointer=pointer or ("/resources" if "resources" in record else ""),
    )


def _frictionless(data: Mapping[str, JSON]) -> Foreign | None:
    profile = _text(data.get("profile"))
    resources = _dicts(data.get("resources"))
    schema = _text(data.get("$schema"), 200)
    is_package = profile.endswith("data-package") or "datapackage" in schema or (
        resources and all(("path" in r or "data" in r) for r in resources)
    )
    if not is_package:
        return None
    return Foreign(
        "frictionless",
        _("a Frictionless Data Package ({resources}), not an OCP document", resources=_resources(len(resources))),
        _catalogue_fix(),
        pointer="/resources" if "resources" in data else ("/profile" if "profile" in data else ""),
    )


def _dcat(data: Mapping[str, JSON]) -> Foreign | None:
    conforms = _text(data.get("conformsTo"), 200)
    us = _DCAT_US.search(conforms)
    if us and "dataset" in data:
        datasets = data.get("dataset")
        count = len(datasets) if isinstance(datasets, list) else 1
        return Foreign(
            "dcat-us",
            ngettext(
                "a DCAT-US catalogue (Project Open Data metadata schema v{version}, {count} dataset), not an OCP document",
                "a DCAT-US catalogue (Project Open Data metadata schema v{version}, {count} datasets), not an OCP "
                "document",
                count,
                version=us.group(1),
            ),
            _catalogue_fix(),
            pointer="/conformsTo",
        )
    context = data.get("@context")
    types = data.get("@type")
    type_text = " ".join(t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str))
    context_text = repr(context) if context is not None else ""
    if "dcat" in type_text.lower() or ("dcat" in context_text.lower() and ("dataset" in data or "@graph" in data)):
        return Foreign(
            "dcat",
            _("a DCAT catalogue in JSON-LD, not an OCP document"),
            _catalogue_fix(),
            pointer="/@context" if "@context" in data else "/@type",
        )
    if "@context" in data:
        return Foreign(
            "json-ld",
            _("a JSON-LD document (linked data), not an OCP document"),
            _(
                "Describe the system in the OCP documents instead ({init}); {outside}.",
                init=INIT_SUBMISSION,
                outside=_outside(),
            ),
            pointer="/@context",
        )
    return None


def _json_schema(data: Mapping[str, JSON]) -> Foreign | None:
    declared = _text(data.get("$schema"), 200)
    if declared.startswith("https://json.schemastore.org/schema-catalog"):
        return Foreign(
            "schema-catalog",
            _("a JSON Schema catalogue (SchemaStore format) for editors, not an OCP document"),
            _(
                "Keep editor files out of the bid: 'ocp-check schema export' writes them, best into a hidden "
                "folder such as .ocp-schemas/, which is not scanned."
            ),
            pointer="/$schema",
        )
    meta = _JSON_SCHEMA_META.match(declared)
    if meta is None:
        return None
    return Foreign(
        "json-schema",
        _("a JSON Schema (draft {draft}), not an OCP document", draft=meta.group(1))
        if meta.group(1)
        else _("a JSON Schema (JSON Schema), not an OCP document"),
        _(
            "If the API description uses it, refer to it with $ref from there (it is then reported as a "
            "fragment of the description); schemas for editors belong in a hidden folder such as "
            ".ocp-schemas/, where 'ocp-check init' and 'schema export' put them."
        ),
        pointer="/$schema",
    )


def _locale_list(value: JSON) -> bool:
    items = _dicts(value)
    return bool(items) and all("locale" in i and "value" in i for i in items)


def _dtpr_fix() -> str:
    return _(
        "DTPR terms describe a system to the public; the data manifest records the same facts with "
        "`dtpr:` terms (collection technology, access, storage, purposes): start from {init}; {outside}.",
        init=INIT_MANIFEST,
        outside=_outside(),
    )


_DTPR_WHAT = {
    "element": N_("a DTPR taxonomy element, not an OCP document"),
    "category": N_("a DTPR taxonomy category, not an OCP document"),
    "datachain type": N_("a DTPR taxonomy datachain type, not an OCP document"),
    "schema version record": N_("a DTPR taxonomy schema version record, not an OCP document"),
}
_DTPR_NAMED = {
    "element": N_("a DTPR taxonomy element ({name}), not an OCP document"),
    "category": N_("a DTPR taxonomy category ({name}), not an OCP document"),
    "datachain type": N_("a DTPR taxonomy datachain type ({name}), not an OCP document"),
    "schema version record": N_("a DTPR taxonomy schema version record ({name}), not an OCP document"),
}


def _dtpr(data: Mapping[str, JSON]) -> Foreign | None:
    localised = any(_locale_list(v) for v in data.values())
    if localised and ("category_id" in data or "symbol_id" in data):
        what, pointer = "element", "/category_id" if "category_id" in data else "/symbol_id"
    elif localised and "datachain_type" in data:
        what, pointer = "category", "/datachain_type"
    elif localised and isinstance(data.get("categories"), list):
        what, pointer = "datachain type", "/categories"
    elif isinstance(data.get("locales"), list) and re.match(r"^[a-z]+@\d{4}-\d{2}-\d{2}", _text(data.get("version"))):
        what, pointer = "schema version record", "/version"
    else:
        return None
    name = _text(data.get("id"))
    return Foreign(
        "dtpr",
        _(_DTPR_NAMED[what], name=repr(name)) if name else _(_DTPR_WHAT[what]),
        _dtpr_fix(),
        pointer=pointer,
    )


def _ocp_tool_file(data: Mapping[str, JSON]) -> Foreign | None:
    kind = data.get("kind")
    if kind == "profile":
        return Foreign(
            "ocp-profile",
            _("an ocp-check city profile, not a document of a bid"),
            _(
                "Give it to the check with --profile FILE (or `profile:` in .ocp-check.yaml); keep it outside "
                "the bid folders."
            ),
            pointer="/kind",
        )
    if isinstance(data.get("waivers"), list) and not ({"kind", "openapi"} & set(data)):
        return Foreign(
            "ocp-waivers",
            _("a waivers file under a name the check does not read as one"),
            _(
                "Name the vendor's waivers file ocp-waivers.yaml (or .ocp-waivers.yaml); a city's waivers file "
                "is given with --waivers FILE, outside the bid folders."
            ),
            pointer="/waivers",
        )
    return None


def _bad_kind(data: Mapping[str, JSON]) -> Foreign | None:
    kind = data.get("kind")
    if not isinstance(kind, str):
        return None
    normalised = kind.strip().lower().replace("_", "-").replace(" ", "-")
    close = next((k for k in _OCP_KINDS if normalised in (k, k.replace("-", ""))), None)
    return Foreign(
        "kind",
        _(
            "'kind: {kind}' is not an OCP document kind (data-manifest, retention-policy or compliance-report); "
            "did you mean '{close}'?",
            kind=_text(kind, 40),
            close=close,
        )
        if close
        else _(
            "'kind: {kind}' is not an OCP document kind (data-manifest, retention-policy or compliance-report)",
            kind=_text(kind, 40),
        ),
        _(
            "Write `kind: data-manifest`, `kind: retention-policy` or `kind: compliance-report` at the top "
            "of the document (an API description starts with `openapi: 3.x` instead), or remove the file from "
            "the bid."
        ),
        pointer="/kind",
    )


def _markdown(data: JSON) -> Foreign:
    fm = _dict(data)
    category = fm.get("category")
    categories = category if isinstance(category, list) else [category]
    element = "id" in fm and any(isinstance(c, str) and "__" in c for c in categories)
    if element or ("id" in fm and "datachain_type" in fm):
        name = _text(fm.get("id"))
        return Foreign(
            "dtpr",
            _("a DTPR taxonomy element in Markdown front matter ({name}), not an OCP document", name=repr(name))
            if element
            else _("a DTPR taxonomy category in Markdown front matter ({name}), not an OCP document", name=repr(name)),
            _dtpr_fix(),
            pointer="/category" if element else "/datachain_type",
        )
    resources = _dicts(fm.get("resources"))
    if "title" in fm and (resources or {"organization", "notes", "maintainer"} & set(fm)):
        name = _text(fm.get("title"))
        return Foreign(
            "jkan",
            _(
                "a JKAN dataset record in Markdown front matter ({name}, {resources}), not an OCP document",
                name=repr(name),
                resources=_resources(len(resources)),
            ),
            _catalogue_fix(),
            pointer="/resources" if resources else "/title",
        )
    return Foreign(
        "markdown",
        _("Markdown with YAML front matter, not an OCP document"),
        _(
            "OCP documents are YAML or JSON files ({init} writes commented templates); drop the front matter of "
            "other Markdown, or {outside}.",
            init=INIT_SUBMISSION,
            outside=_outside(),
        ),
    )


def plain_text(rel: str) -> Foreign:
    """A Markdown or RDF-named file named on the command line that is neither front matter
    nor RDF: text, not data."""
    return Foreign(
        "text",
        _("Markdown without YAML front matter, not an OCP document")
        if is_markdown(rel)
        else _("a text file that does not read as RDF, not an OCP document"),
        _(
            "OCP documents are YAML or JSON files ({init} writes commented templates); {outside}.",
            init=INIT_SUBMISSION,
            outside=_outside(),
        ),
        line=1,
    )
