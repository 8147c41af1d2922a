"""The files of one root, loaded once, and ``$ref`` resolution confined to that root.

Real OpenAPI descriptions keep schemas in ``components`` and in other files, so rules and
the reference pass follow ``$ref``. Resolution is deliberately narrow: a reference is a
same-file fragment (``#/components/schemas/Trip``) or a relative path inside the root,
optionally with a fragment (``models/trip.yaml#/Trip``). Remote URIs, ``file:`` URIs,
absolute paths and paths that leave the root are refused, and nothing is ever fetched.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from ocp_check import foreign
from ocp_check.foreign import Foreign
from ocp_check.grouping import announced_kind
from ocp_check.i18n import _
from ocp_check.jsondata import JSON, array_index, split_pointer
from ocp_check.loader import Limits, LoadError, SourceDocument, decode_text, load_bytes
from ocp_check.reading import NOT_REGULAR, ReadError, TooLarge, read_file

_REMOTE_PREFIXES = ("http:", "https:", "ftp:", "file:", "urn:", "data:", "//")


class RefError(Exception):
    """A ``$ref`` that cannot be followed; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """A file as read: its hash, and the document or why it could not be loaded."""

    rel: str
    sha256: str
    document: SourceDocument | None
    error: LoadError | None
    # For a file that failed to load: the kind its first bytes announce (the bid does hold
    # that document, it is just broken), taken from the bytes already read.
    announced: str | None = None
    # A file that is not data at all (RDF, Markdown without front matter): what it is. Such
    # a file has neither a document nor a load error.
    foreign: Foreign | None = None


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a regular file, read by ``reading.read_file`` (never
    blocking); the caller tells an oversized file by its length. A FIFO, device or socket
    raises ``LoadError`` (``not-regular``), a file that cannot be opened ``OSError``."""
    try:
        return read_file(path, max_bytes, keep_head=True)
    except TooLarge as err:
        return err.head
    except ReadError as err:
        if err.code == "not-regular":
            raise LoadError("not-regular", _(NOT_REGULAR)) from None
        raise err.cause or OSError(err.reason) from None


def load_file(path: Path, rel: str, limits: Limits) -> Loaded:
    """Read and load one file; every failure becomes a ``LoadError`` value, not an exception.

    A file over the size limit is still hashed and sniffed over its first ``max_bytes + 1``
    bytes (the report names what was refused, and the kind it announces counts as present).
    """
    try:
        raw = read_file(path, limits.max_bytes, keep_head=True)
    except TooLarge as err:
        head = err.head
        digest = hashlib.sha256(head).hexdigest() if head else ""
        announced = announced_kind(head) if head and not foreign.is_markdown(rel) else None
        return Loaded(rel, digest, None, LoadError("size", err.reason), announced)
    except ReadError as err:
        if err.code == "not-regular":
            return Loaded(rel, "", None, LoadError("not-regular", _(NOT_REGULAR)))
        return Loaded(rel, "", None, LoadError("unreadable", _("cannot read the file: {reason}", reason=err.reason)))
    return load_raw(rel, raw, limits)


def load_raw(rel: str, raw: bytes, limits: Limits, fmt: Literal["json", "yaml"] | None = None) -> Loaded:
    """Load a file's bytes as what its name says: JSON (``.json``, ``.jsonld``), the front
    matter of Markdown, RDF text (recognised, not parsed), otherwise YAML.

    A file with git merge-conflict markers is not loaded at all, even when it would parse:
    it holds two versions of its content (the finding is placed at the first marker)."""
    digest = hashlib.sha256(raw).hexdigest()
    conflict = foreign.merge_conflict_line(raw)
    if conflict is not None:
        error = LoadError(
            "merge-conflict",
            _("unresolved git merge conflict: conflict markers (<<<<<<<, =======, >>>>>>>) from line {line}", line=conflict),
            conflict,
            1,
        )
        return Loaded(rel, digest, None, error, announced_kind(raw))
    if fmt is None and (foreign.is_rdf(rel) or foreign.is_markdown(rel)):
        try:
            text = decode_text(raw)
        except LoadError as err:
            return Loaded(rel, digest, None, err)
        if foreign.is_rdf(rel):
            if foreign.rdf_flavour(text) is not None:
                return Loaded(rel, digest, None, None, foreign=foreign.recognise_rdf(text))
        else:
            matter = foreign.front_matter(text)
            if matter is not None:
                raw = matter.encode("utf-8")
            else:
                return Loaded(rel, digest, None, None, foreign=foreign.plain_text(rel))
    if fmt is None:
        fmt = "json" if foreign.is_json_name(rel) else "yaml"
    try:
        return Loaded(rel, digest, load_bytes(raw, rel, fmt=fmt, limits=limits), None)
    except LoadError as err:
        return Loaded(rel, digest, None, err, None if foreign.is_markdown(rel) else announced_kind(raw))


@dataclass(frozen=True, slots=True)
class Node:
    """A value found in a file of the workspace, with its location."""

    file: str
    pointer: str
    value: JSON


class Workspace:
    """All loaded files under one root, keyed by their POSIX path relative to the root.

    Files that are not candidates of the scan (for example a fragment in a folder the scan
    skipped) are loaded on demand when a ``$ref`` reaches them, within the same limits.
    """

    def __init__(self, root: Path, limits: Limits, files: dict[str, Loaded]) -> None:
        self.root = root
        self.limits = limits
        self.files = files
        #: Files read beyond the ones given, each with its SHA-256 ("" when there was nothing
        #: to read): a result depends on them too (the result cache checks them again).
        self.extra: dict[str, str] = {}
        # (file, pointer) of a node holding a $ref -> where its chain ends, and why if short.
        self._followed: dict[tuple[str, str], tuple[Node, _Problem | None]] = {}

    def document(self, rel: str) -> SourceDocument | None:
        loaded = self.files.get(rel)
        if loaded is None:
            loaded = self._load_extra(rel)
        return loaded.document if loaded else None

    def _load_extra(self, rel: str) -> Loaded | None:
        path = self.root / rel
        try:
            real = path.resolve(strict=True)
            real.relative_to(self.root)
        except (OSError, ValueError, RuntimeError):
            self.extra[rel] = ""
            return None
        if not real.is_file():
            self.extra[rel] = ""
            return None
        loaded = load_file(real, rel, self.limits)
        self.files[rel] = loaded
        self.extra[rel] = loaded.sha256
        return loaded

    def resolve(self, current_file: str, ref: str) -> Node:
        """Follow one ``$ref`` written in ``current_file``; raise RefError when it cannot be."""
        if not isinstance(ref, str) or not ref:
            raise RefError(_("a $ref must be a non-empty string"))
        lowered = ref.lower()
        if lowered.startswith(_REMOTE_PREFIXES) or (
            ":" in ref.split("#", 1)[0] and "/" not in ref.split(":", 1)[0]
        ):
            raise RefError(_("remote or absolute references are never followed: {ref}", ref=ref[:120]))
        target, _hash, fragment = ref.partition("#")
        if target:
            if target.startswith(("/", "\\")):
                raise RefError(_("absolute paths are not allowed in $ref: {ref}", ref=ref[:120]))
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(current_file), unquote(target)))
            if joined.startswith("../") or joined == "..":
                raise RefError(_("$ref leaves the root folder: {ref}", ref=ref[:120]))
            file = joined
        else:
            file = current_file
        doc = self.document(file)
        if doc is None:
            loaded = self.files.get(file)
            if loaded is not None and loaded.error is not None:
                raise RefError(
                    _("$ref target {file} could not be loaded: {reason}", file=file, reason=loaded.error.message)
                )
            raise RefError(_("$ref target {file} does not exist inside the root", file=file))
        pointer = unquote(fragment)
        if pointer and not pointer.startswith("/"):
            raise RefError(_("only JSON Pointer fragments are supported in $ref: #{fragment}", fragment=fragment[:80]))
        value = resolve_pointer(doc.data, pointer)
        if value is MISSING:
            raise RefError(_("$ref points to nothing: {ref}", ref=ref[:120]))
        return Node(file, pointer, value)  # type: ignore[arg-type]

    def follow(self, node: Node, on_error: Callable[[Node, str], None] | None = None) -> Node:
        """Follow ``$ref`` chains from ``node`` until a non-reference (cycle-safe).

        Memoised per (file, pointer): every rule, selection and the reference pass asks this
        of the links of the same chains, and walking a chain again from each of its links
        made a 10,000-link chain cost 50 million steps. Each node's end is remembered the
        first time any walk passes through it, with what went wrong on the way: the result
        and the problems reported are exactly those of a fresh walk from ``node``.
        """
        key = (node.file, node.pointer)
        found = self._followed.get(key)
        if found is None:
            found = self._walk(node)
        end, problem = found
        if problem is not None and on_error is not None:
            if problem.circular:
                on_error(node, problem.message)  # a cycle is reported where the walk started
            else:
                on_error(problem.at, problem.message)
        return end

    def _walk(self, node: Node) -> tuple[Node, _Problem | None]:
        """Walk from ``node`` until a value, a broken reference, a cycle or a known node;
        remember the outcome for every node on the way."""
        path: list[Node] = []
        on_path: dict[tuple[str, str], int] = {}
        current = node
        while True:
            key = (current.file, current.pointer)
            known = self._followed.get(key)
            if known is not None:  # a cycle member is remembered as its own end
                return self._remember(path, *known)
            if key in on_path:  # a cycle: its members end at themselves, the tail at its entry
                entry = on_path[key]
                circular = _Problem(current, "circular $ref chain", circular=True)
                for member in path[entry:]:
                    self._followed[(member.file, member.pointer)] = (member, circular)
                return self._remember(path[:entry], current, circular)
            value = current.value
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return self._remember(path, current, None)
            on_path[key] = len(path)
            path.append(current)
            try:
                current = self.resolve(current.file, value["$ref"])  # type: ignore[arg-type]
            except RefError as err:
                return self._remember(path, current, _Problem(current, str(err)))

    def _remember(
        self, path: list[Node], end: Node, problem: _Problem | None
    ) -> tuple[Node, _Problem | None]:
        for member in path:
            self._followed[(member.file, member.pointer)] = (end, problem)
        return end, problem


@dataclass(frozen=True, slots=True)
class _Problem:
    """Why a chain of ``$ref`` stops short of a value: a broken reference at ``at``, or a cycle."""

    at: Node
    message: str
    circular: bool = False


class _Missing:
    pass


#: What ``resolve_pointer`` returns where a pointer names nothing.
MISSING = _Missing()


def resolve_pointer(data: JSON, pointer: str) -> JSON | _Missing:
    """Value at an RFC 6901 pointer, or the ``MISSING`` sentinel."""
    current: JSON = data
    for token in split_pointer(pointer):
        if isinstance(current, dict):
            if token not in current:
                return MISSING
            current = current[token]
        elif isinstance(current, list):
            index = array_index(token)
            if index is None or index >= len(current):
                return MISSING
            current = current[index]
        else:
            return MISSING
    return current


def iter_refs(data: JSON, max_nodes: int = 5_000_000) -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string in a document as (pointer of the object holding it, ref)."""
    stack: list[tuple[str, JSON]] = [("", data)]
    visited = 0
    while stack:
        pointer, value = stack.pop()
        visited += 1
        if visited > max_nodes:
            return
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                yield pointer, ref
            for key, child in value.items():
                if isinstance(child, (dict, list)):
                    stack.append((f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}", child))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                if isinstance(child, (dict, list)):
                    stack.append((f"{pointer}/{index}", child))
