"""Standard bundles: one standard version in one file, hashed and optionally signed.

A city installs standards from files it receives (a publisher's web site, a tender's
annex), so a bundle must prove what it holds without any network: a manifest lists every
file with its SHA-256 and the version's content hash, and an Ed25519 signature over the exact
manifest bytes ties them to a publisher's key, which the city chose to trust beforehand
(``docs/standards-governance.md``, "Distributing a standard").

The archive is hostile input. It is read with the project's bounded reader, parsed in memory,
and every member is checked before anything is written: regular files only (no links,
devices or folders-as-entries with odd names), plain relative names (no ``..``, no absolute
path, a small alphabet, bounded depth), bounded count and sizes, no duplicates, and nothing
that the manifest does not list. Files are written to a temporary folder beside the target,
loaded with every check of an untrusted standard, compared with the manifest's content hash,
and only then renamed into place.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocp_check.catalog import Catalog
from ocp_check.errors import OcpCheckError, UsageError
from ocp_check.i18n import N_, _, pgettext
from ocp_check.loader import LoadError, load_bytes
from ocp_check.standard_files import builtin_standards_dir, load_standard
from ocp_check.standards import Standard, hash_directory

BUNDLE_FORMAT = 1
MANIFEST = "ocp-bundle.json"
SIGNATURE = "ocp-bundle.sig"
CONTENT = "standard/"
PROVENANCE_SUFFIX = ".bundle.json"
ENV_DATA_HOME = "OCP_CHECK_DATA_HOME"

MAX_BUNDLE_BYTES = 32 * 1024 * 1024  # the archive as received
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # all members, decompressed
MAX_DEPTH = 8
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")


class BundleError(OcpCheckError):
    """A bundle that cannot be installed: damaged, tampered, unsafe, or not trusted."""


# --------------------------------------------------------------------------- where


def data_home() -> Path:
    """``$OCP_CHECK_DATA_HOME``, else ``$XDG_DATA_HOME/ocp-check``, else ``~/.local/share/ocp-check``."""
    explicit = os.environ.get(ENV_DATA_HOME)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "ocp-check"


def user_standards_dir() -> Path:
    """The folder ``standards install`` writes to; on the search path when it exists."""
    return data_home() / "standards"


def trusted_keys_dir() -> Path:
    """Public keys (``*.pub``, PEM) a city trusts to sign the bundles it installs."""
    return data_home() / "trusted-keys"


# --------------------------------------------------------------------------- keys


def key_id(public_raw: bytes) -> str:
    """A short, stable name for an Ed25519 public key: ``ed25519:`` and 16 hex digits of its SHA-256."""
    return "ed25519:" + hashlib.sha256(public_raw).hexdigest()[:16]


def _read_key(path: Path) -> bytes:
    """A key file, read like every input of the tool (``reading.py``): a FIFO or a device
    named as a key never blocks or streams; a PEM key is far below the limit."""
    from ocp_check.reading import ReadError, read_file

    try:
        return read_file(path, 64 * 1024)
    except ReadError as err:
        raise UsageError(_("{file}: no such file", file=path) if err.missing else _("{file}: {reason}", file=path, reason=err.reason)) from None


def _load_private(path: Path) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(_read_key(path), password=None)
    except (ValueError, TypeError, OSError) as err:
        raise UsageError(_("{file}: not an unencrypted PEM private key ({reason})", file=path, reason=err)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(_("{file}: not an Ed25519 key", file=path))
    return key


def _public_raw(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    raw: bytes = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw


def load_public_keys(paths: list[Path]) -> dict[str, Any]:
    """Trusted public keys by key id: the files named, and every ``*.pub`` of the trusted-keys folder."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    files = list(paths)
    folder = trusted_keys_dir()
    if folder.is_dir():
        files.extend(sorted(folder.glob("*.pub")))
    keys: dict[str, Any] = {}
    for path in files:
        try:
            key = serialization.load_pem_public_key(_read_key(path))
        except (ValueError, OSError) as err:
            raise UsageError(_("{file}: not a PEM public key ({reason})", file=path, reason=err)) from None
        if not isinstance(key, Ed25519PublicKey):
            raise UsageError(_("{file}: not an Ed25519 public key", file=path))
        keys[key_id(_public_raw(key))] = key
    return keys


def keygen(private_path: Path) -> tuple[Path, str]:
    """A new Ed25519 key pair: the private key (PEM, PKCS#8, owner-only) and ``.pub`` beside it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if private_path.exists():
        raise UsageError(_("{file} exists; not overwriting a key", file=private_path))
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public = key.public_key()
    public_path = private_path.with_name(private_path.name + ".pub")
    public_path.write_bytes(
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return public_path, key_id(_public_raw(public))


# --------------------------------------------------------------------------- pack


def _files(directory: Path) -> list[tuple[str, bytes]]:
    out = []
    for path in sorted(directory.rglob("*"), key=lambda p: p.relative_to(directory).as_posix()):
        rel = path.relative_to(directory).as_posix()
        if path.is_symlink():
            raise UsageError(_("{file} is a symbolic link; a bundle holds regular files only", file=f"{directory}/{rel}"))
        if not path.is_file() or "__pycache__" in rel:
            continue
        out.append((rel, path.read_bytes()))
    return out


def manifest_for(standard: Standard, files: list[tuple[str, bytes]]) -> bytes:
    gov = standard.governance
    data = {
        "format": BUNDLE_FORMAT,
        "standard": str(standard.ref),
        "title": standard.title,
        "status": gov.status,
        "status_date": gov.status_date,
        "approval": None
        if gov.approval is None
        else {"body": gov.approval.body, "date": gov.approval.date, "reference": gov.approval.reference},
        "content_sha256": standard.sha256,
        "files": {rel: hashlib.sha256(data).hexdigest() for rel, data in files},
    }
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def pack(standard: Standard, sign_key: Path | None = None) -> bytes:
    """A deterministic ``.tar.gz`` of ``standard`` with its manifest (and signature)."""
    files = _files(standard.directory)
    manifest = manifest_for(standard, files)
    members = [(MANIFEST, manifest)]
    if sign_key is not None:
        members.append((SIGNATURE, _load_private(sign_key).sign(manifest)))
    members.extend((CONTENT + rel, data) for rel, data in files)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write a bundle through a temporary file in the same folder: never a partial bundle, and
    never a device, FIFO or symbolic link replaced (``output.py``)."""
    from ocp_check.output import write_output_bytes

    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise UsageError(_("cannot write {path}: the folder {folder} does not exist", path=path, folder=folder))
    write_output_bytes(path, data, mode=0o644)  # a bundle is for publishing


# --------------------------------------------------------------------------- read


@dataclass(frozen=True)
class Bundle:
    """A bundle read and checked in memory: its manifest, signature and files."""

    manifest_bytes: bytes
    manifest: dict[str, Any]
    signature: bytes | None
    files: dict[str, bytes]

    @property
    def ref(self) -> str:
        return str(self.manifest["standard"])


def _safe_name(name: str, where: str) -> str:
    if name.startswith("/") or "\\" in name:
        raise BundleError(_("{file}: member {name} has an absolute or non-POSIX path", file=where, name=repr(name)))
    parts = name.split("/")
    if len(parts) > MAX_DEPTH:
        raise BundleError(_("{file}: member {name} is nested deeper than {depth}", file=where, name=repr(name), depth=MAX_DEPTH))
    for part in parts:
        if part in ("", ".", "..") or not _NAME.match(part):
            raise BundleError(_("{file}: member {name} is not a plain relative file name", file=where, name=repr(name)))
    return name


def read_bundle(raw: bytes, where: str) -> Bundle:
    """Parse and check a bundle's archive in memory; raise ``BundleError`` on anything unsafe."""
    if len(raw) > MAX_BUNDLE_BYTES:
        raise BundleError(_("{file}: larger than {limit} bytes", file=where, limit=MAX_BUNDLE_BYTES))
    members: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:
            for count, info in enumerate(tar, 1):
                if count > MAX_MEMBERS:
                    raise BundleError(_("{file}: more than {limit} members", file=where, limit=MAX_MEMBERS))
                if not info.isreg():
                    said = (
                        N_("{file}: member {name} is a link; a bundle holds regular files only")
                        if info.issym() or info.islnk()
                        else N_("{file}: member {name} is not a regular file; a bundle holds regular files only")
                    )
                    raise BundleError(
                        _(said, file=where, name=repr(info.name))
                    )
                name = _safe_name(info.name, where)
                if name in members:
                    raise BundleError(_("{file}: member {name} appears twice", file=where, name=repr(name)))
                if info.size > MAX_MEMBER_BYTES:
                    raise BundleError(_("{file}: member {name} is larger than {limit} bytes", file=where, name=repr(name), limit=MAX_MEMBER_BYTES))
                total += info.size
                if total > MAX_TOTAL_BYTES:
                    raise BundleError(_("{file}: members add up to more than {limit} bytes", file=where, limit=MAX_TOTAL_BYTES))
                handle = tar.extractfile(info)
                data = handle.read(info.size + 1) if handle is not None else b""
                if len(data) != info.size:
                    raise BundleError(_("{file}: member {name} is truncated", file=where, name=repr(name)))
                members[name] = data
    except (tarfile.TarError, EOFError, OSError, gzip.BadGzipFile, ValueError) as err:
        raise BundleError(_("{file}: not a readable bundle ({reason})", file=where, reason=f"{type(err).__name__}: {err}")) from None
    manifest_bytes = members.pop(MANIFEST, None)
    if manifest_bytes is None:
        raise BundleError(_("{file}: no {manifest}; not an ocp-check standard bundle", file=where, manifest=MANIFEST))
    try:
        manifest = load_bytes(manifest_bytes, f"{where}:{MANIFEST}", fmt="json").data
    except LoadError as err:
        raise BundleError(_("{file}: {manifest}: {reason}", file=where, manifest=MANIFEST, reason=err.message)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise BundleError(_("{file}: {manifest} is not a bundle manifest of format {format}", file=where, manifest=MANIFEST, format=BUNDLE_FORMAT))
    listed = manifest.get("files")
    if not isinstance(listed, dict) or not isinstance(manifest.get("standard"), str):
        raise BundleError(_("{file}: {manifest} names no standard or no files", file=where, manifest=MANIFEST))
    signature = members.pop(SIGNATURE, None)
    files = {}
    for name, data in members.items():
        if not name.startswith(CONTENT):
            raise BundleError(_("{file}: unexpected member {name}", file=where, name=repr(name)))
        files[name[len(CONTENT) :]] = data
    if set(files) != set(listed):
        extra = sorted(set(files) - set(listed))
        missing = sorted(set(listed) - set(files))
        raise BundleError(
            _(
                "{file}: the files do not match the manifest (not listed: {extra}; missing: {missing})",
                file=where,
                extra=extra or _("none"),
                missing=missing or _("none"),
            )
        )
    for rel, data in sorted(files.items()):
        digest = hashlib.sha256(data).hexdigest()
        if listed[rel] != digest:
            raise BundleError(
                _(
                    "{file}: {member} has sha256:{digest}, the manifest says sha256:{listed}: the bundle was altered",
                    file=where,
                    member=rel,
                    digest=digest,
                    listed=listed[rel],
                )
            )
    return Bundle(manifest_bytes, manifest, signature, files)


@dataclass(frozen=True, slots=True)
class Trust:
    """How a bundle's origin was established."""

    state: str  # signed | unsigned | untrusted
    key: str | None = None

    def describe(self) -> str:
        if self.state == "signed":
            return _("bundle signed by {key}", key=self.key)
        if self.state == "untrusted":
            if self.key:
                return _("bundle with a signature by an untrusted key ({key})", key=self.key)
            return _("bundle with a signature by an untrusted key")
        return _("bundle, unsigned")


def verify_signature(bundle: Bundle, keys: dict[str, Any]) -> Trust:
    """``signed`` when a trusted key verifies the signature over the manifest bytes."""
    from cryptography.exceptions import InvalidSignature

    if bundle.signature is None:
        return Trust("unsigned")
    for kid, key in sorted(keys.items()):
        try:
            key.verify(bundle.signature, bundle.manifest_bytes)
        except InvalidSignature:
            continue
        return Trust("signed", kid)
    return Trust("untrusted")


# --------------------------------------------------------------------------- install


@dataclass(frozen=True, slots=True)
class Installed:
    ref: str
    directory: Path
    trust: Trust
    content_sha256: str
    already: bool = False


def install(
    raw: bytes,
    where: str,
    *,
    into: Path,
    catalog: Catalog,
    keys: dict[str, Any],
    allow_unsigned: bool = False,
    allow_untrusted: bool = False,
) -> Installed:
    """Check and install a bundle into ``into``/<id>/<version>. Nothing is written unless
    every check passes; a tampered bundle names the file and both hashes."""
    bundle = read_bundle(raw, where)
    trust = verify_signature(bundle, keys)
    if trust.state == "unsigned" and not allow_unsigned:
        raise BundleError(
            _("{file}: the bundle is not signed", file=where),
            hint=_("install it only if you know where it came from, with --allow-unsigned; reports will say so"),
        )
    if trust.state == "untrusted" and not allow_untrusted:
        raise BundleError(
            _("{file}: the bundle is signed, but by no key you trust (or its signature does not match)", file=where),
            hint=_("add the publisher's public key with --trust KEY.pub or in {folder}", folder=trusted_keys_dir()),
        )
    sid, _sep, version = bundle.ref.partition("@")
    for part in (sid, version):
        _safe_name(part, where)
    into.mkdir(parents=True, exist_ok=True)
    target = into / sid / version
    (into / sid).mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=into / sid))
    try:
        for rel, data in bundle.files.items():
            path = staging.joinpath(*rel.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
        content = hash_directory(staging)
        if content != bundle.manifest.get("content_sha256"):
            raise BundleError(
                _(
                    "{file}: the content hash is sha256:{content}, the manifest says sha256:{listed}: the bundle was altered",
                    file=where,
                    content=content,
                    listed=bundle.manifest.get("content_sha256"),
                )
            )
        # The standard's own folder names are checked by load_standard: lay it out as <id>/<version>.
        check_root = Path(tempfile.mkdtemp(prefix=".checking-", dir=into))
        try:
            shutil.copytree(staging, check_root / sid / version)
            standard = load_standard(check_root / sid / version, into.name, trusted=False)
        finally:
            shutil.rmtree(check_root, ignore_errors=True)
        if str(standard.ref) != bundle.ref:
            raise BundleError(_("{file}: the manifest names {named}, the standard says {ref}", file=where, named=bundle.ref, ref=standard.ref))
        existing = catalog.match(f"{sid}@{version}")
        if existing is not None and str(existing.ref) == bundle.ref:
            same = catalog.load(existing.ref).sha256 == content
            if same:
                return Installed(bundle.ref, existing.directory, trust, content, already=True)
            raise BundleError(
                _(
                    "{ref} is already available from {folder} with other content (sha256:{sha256}); the bundle has sha256:{content}",
                    ref=bundle.ref,
                    folder=existing.directory,
                    sha256=catalog.load(existing.ref).sha256,
                    content=content,
                ),
                hint=_("a version number names one text; ask the publisher which one is right"),
            )
        if target.exists():
            raise BundleError(_("{folder} exists and is not a loadable copy of {ref}", folder=target, ref=bundle.ref))
        os.replace(staging, target)
        record = {
            "standard": bundle.ref,
            "content_sha256": content,
            "trust": trust.state,
            "key": trust.key,
            "installed_from": Path(where).name,
        }
        (into / sid / f"{version}{PROVENANCE_SUFFIX}").write_text(
            json.dumps(record, indent=2) + "\n", "utf-8"
        )
        return Installed(bundle.ref, target, trust, content)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


# --------------------------------------------------------------------------- provenance


def provenance_of(standard: Standard) -> str:
    """Where a version came from, as reports show it: ``built-in``, ``standards folder`` (two
    tokens, the same in every language) or the bundle's trust in the run's language (``bundle
    signed by ed25519:…``, ``bundle, unsigned``…)."""
    directory = standard.directory
    if directory.parent.parent.resolve() == builtin_standards_dir().resolve():
        return "built-in"
    record_path = directory.parent / f"{directory.name}{PROVENANCE_SUFFIX}"
    if not record_path.is_file():
        return "standards folder"
    try:
        from ocp_check.workspace import read_regular_file

        record = json.loads(read_regular_file(record_path, 64 * 1024))
        trust = Trust(str(record["trust"]), record.get("key"))
        said = _provenance(trust)
        if record.get("content_sha256") != standard.sha256:
            return pgettext("bundle provenance", "{trust}; changed since it was installed", trust=said)
        return said
    except (OSError, LoadError, ValueError, KeyError, TypeError):
        return pgettext("bundle provenance", "bundle, with an unreadable installation record")


def _provenance(trust: Trust) -> str:
    """A bundle's trust as a report's list of standards says it, in the run's language.

    Worded here rather than by ``Trust.describe``, which speaks to whoever installs a bundle:
    a report's provenance is recorded while judging (each language of a bilingual report
    judges again), and its words are the report's, kept apart from the command line's."""
    if trust.state == "signed":
        return pgettext("bundle provenance", "bundle signed by {key}", key=trust.key)
    if trust.state == "untrusted":
        if trust.key:
            return pgettext("bundle provenance", "bundle with a signature by an untrusted key ({key})", key=trust.key)
        return pgettext("bundle provenance", "bundle with a signature by an untrusted key")
    return pgettext("bundle provenance", "bundle, unsigned")
