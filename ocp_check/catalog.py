"""The catalog: which standard versions exist, and which one a reference names.

Standards are found in the copy shipped with the tool, the user's standards folder
(bundles installed with ``standards install``), ``--standards-path`` folders and the
``OCP_CHECK_STANDARDS_PATH`` environment variable; references such as
``ocp-data-governance@1.0`` (optionally pinned to a content hash) resolve to one version.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ocp_check.errors import PinMismatch, StandardInvalid, StandardNotFound
from ocp_check.governance import default_rank
from ocp_check.i18n import _
from ocp_check.model import DocumentKind, StandardRef
from ocp_check.standard_files import (
    as_dict,
    builtin_standards_dir,
    load_data_file,
    load_standard,
    validate_against_meta,
)
from ocp_check.standards import Standard, split_pin, version_key

ENV_STANDARDS_PATH = "OCP_CHECK_STANDARDS_PATH"

#: ``ID`` or ``ID@MAJOR[.MINOR[.PATCH]]``.
_REF_RE = re.compile(r"^([a-z][a-z0-9-]*)(?:@([0-9]+)(?:\.([0-9]+)(?:\.([0-9]+))?)?)?$")


@dataclass(frozen=True, slots=True)
class StandardEntry:
    """A standard version found on disk (metadata only; loaded on demand)."""

    ref: StandardRef
    status: str
    kind: str
    title: str
    directory: Path
    trial_use: bool = False

    @property
    def default_rank(self) -> int | None:
        """Preference as the default version (0 best); None: used only when named."""
        return default_rank(self.status, self.trial_use)


def _default_entry(entries: Sequence[StandardEntry]) -> StandardEntry | None:
    """The default version among versions of one standard (see ``Catalog.match``)."""
    ranked = [e for e in entries if e.default_rank is not None]
    if not ranked:
        return None
    return min(ranked, key=lambda e: (e.default_rank, tuple(-n for n in version_key(e.ref.version))))


class Catalog:
    """Every standard version available to a run, and reference resolution.

    Folders are searched in order: the built-in standards, then ``--standards-path``
    folders, then the folders in ``OCP_CHECK_STANDARDS_PATH``, then the user standards folder
    that ``standards install`` writes to (``bundles.user_standards_dir``). The same ``id@version`` in
    two places is an error: a city's standard must never silently shadow a published one.
    """

    def __init__(self, extra_paths: Sequence[Path] = (), *, use_env: bool = True) -> None:
        roots = [builtin_standards_dir(), *extra_paths]
        if use_env:
            env = os.environ.get(ENV_STANDARDS_PATH, "")
            roots.extend(Path(p) for p in env.split(os.pathsep) if p)
            from ocp_check.bundles import user_standards_dir

            installed = user_standards_dir()  # where 'standards install' puts bundles
            if installed.is_dir() and installed.resolve() not in {r.resolve() for r in roots if r.is_dir()}:
                roots.append(installed)
        self.roots = roots
        self._entries: dict[StandardRef, StandardEntry] = {}
        self._loaded: dict[StandardRef, Standard] = {}
        for root in roots:
            self._discover(root)

    def _discover(self, root: Path) -> None:
        if not root.is_dir():
            from ocp_check.errors import UsageError

            raise UsageError(_("standards path {folder} is not a folder", folder=root))
        for std_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
            for ver_dir in sorted(p for p in std_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
                meta_path = ver_dir / "standard.yaml"
                if not meta_path.is_file():
                    continue
                display = f"{root.name}/{std_dir.name}/{ver_dir.name}/standard.yaml"
                doc = load_data_file(meta_path, display)
                if root.resolve() != builtin_standards_dir().resolve():
                    validate_against_meta(doc, "standard")
                meta = as_dict(doc.data)
                ref = StandardRef(str(meta["id"]), str(meta["version"]))
                if ref in self._entries:
                    raise StandardInvalid(
                        f"{ref} is defined twice: in {self._entries[ref].directory} and in {ver_dir}"
                    )
                gov = as_dict(meta.get("governance"))
                self._entries[ref] = StandardEntry(
                    ref=ref,
                    status=str(gov.get("status", "draft")),
                    trial_use=gov.get("trial_use") is True,
                    kind=str(meta["document_kind"]),
                    title=str(meta["title"]),
                    directory=ver_dir,
                )

    def entries(self) -> list[StandardEntry]:
        return sorted(self._entries.values(), key=lambda e: (e.ref.id, version_key(e.ref.version)))

    def ids(self) -> list[str]:
        return sorted({e.ref.id for e in self._entries.values()})

    def load(self, ref: StandardRef) -> Standard:
        found = self._loaded.get(ref)
        if found is None:
            entry = self._entries.get(ref)
            if entry is None:
                raise StandardNotFound(f"unknown standard {ref}")
            trusted = entry.directory.parent.parent.resolve() == builtin_standards_dir().resolve()
            found = load_standard(entry.directory, entry.directory.parent.parent.name, trusted=trusted)
            self._loaded[ref] = found
        return found

    def match(self, text: str) -> StandardEntry | None:
        """Resolve ``id``, ``id@1``, ``id@1.0`` or ``id@1.0.2`` to an entry, or None.

        A partial version means the newest matching version that is not withdrawn (``@1.0``
        is the newest 1.0.x), a withdrawn one only when nothing else matches (so a document
        that declares it is told its successor); no version means the default version: the
        newest approved one, else the newest candidate, else the newest draft released for
        trial use (``governance.default_rank``).
        """
        m = _REF_RE.match(text.strip())
        if not m:
            return None
        sid, major, minor, patch = m.groups()
        candidates = [e for e in self._entries.values() if e.ref.id == sid]
        if major is not None:
            candidates = [e for e in candidates if version_key(e.ref.version)[0] == int(major)]
        if minor is not None:
            candidates = [e for e in candidates if version_key(e.ref.version)[1] == int(minor)]
        if patch is not None:
            candidates = [e for e in candidates if version_key(e.ref.version)[2] == int(patch)]
        if major is None:
            return _default_entry(candidates)
        if patch is None:  # a withdrawn version only when nothing else matches
            candidates = [e for e in candidates if e.status != "withdrawn"] or candidates
        if not candidates:
            return None
        return max(candidates, key=lambda e: version_key(e.ref.version))

    def resolve(self, text: str) -> Standard:
        """Like ``match`` but raises StandardNotFound with the available versions, and checks
        a content pin (``ID@VERSION#sha256:…``): other content is ``PinMismatch`` (exit 2)."""
        ref_text, pin = split_pin(text)
        entry = self.match(ref_text)
        if entry is None:
            available = ", ".join(str(e.ref) for e in self.entries()) or _("none")
            raise StandardNotFound(
                _("unknown standard {ref}", ref=repr(ref_text)), hint=_("available: {list}", list=available)
            )
        standard = self.load(entry.ref)
        if pin is not None and standard.sha256 != pin:
            raise PinMismatch(
                _(
                    "{standard} is pinned to content sha256:{pin}, but the copy here ({folder}) has sha256:{sha256}",
                    standard=standard.ref,
                    pin=pin,
                    folder=standard.directory,
                    sha256=standard.sha256,
                ),
                hint=_(
                    "the text differs from the one pinned; get the pinned text (a bundle) or change the pin deliberately"
                ),
            )
        return standard

    def newest_for_kind(self, kind: DocumentKind) -> Standard | None:
        """The default version of the standard that governs documents of ``kind``."""
        entries = [e for e in self._entries.values() if e.kind == kind.value and e.default_rank is not None]
        if not entries:
            return None
        ids = sorted({e.ref.id for e in entries})
        # One standard id per kind is the norm; with several, the first id in order wins.
        best = _default_entry([e for e in entries if e.ref.id == ids[0]])
        return self.load(best.ref) if best else None

    def newest_draft_for_kind(self, kind: DocumentKind) -> Standard | None:
        """The newest draft for ``kind`` when the kind has no default version: what ``init``
        starts a document from while its standard is still a draft."""
        entries = [e for e in self._entries.values() if e.kind == kind.value and e.status == "draft"]
        if not entries:
            return None
        return self.load(max(entries, key=lambda e: (e.ref.id, version_key(e.ref.version))).ref)
