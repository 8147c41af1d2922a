"""The state a run shares across submissions: settings, catalog, overrides, the clock."""

from __future__ import annotations

import datetime

from ocp_check.catalog import Catalog
from ocp_check.i18n import _
from ocp_check.model import DocumentKind
from ocp_check.settings import Settings
from ocp_check.standards import Standard
from ocp_check.waivers import Waiver


class Run:
    """One invocation's shared state: the catalog, the versions it imposes, and today's date.

    Never changed once built (workers share it): what a task used comes back in its result.
    """

    def __init__(self, catalog: Catalog, settings: Settings) -> None:
        from ocp_check.stages.versions import overrides

        self.catalog = catalog
        self.settings = settings
        #: "Today" decides waiver expiry and clause effective dates, so it is an explicit input
        #: (``--today``, ``SOURCE_DATE_EPOCH``, else the UTC date), recorded in the report
        #: whenever it mattered, which is what lets ``verify`` re-run with the same date.
        self.today = settings.today or datetime.datetime.now(datetime.timezone.utc).date()
        profile = settings.profile
        self.overrides: dict[DocumentKind, Standard] = overrides(
            catalog, settings.standards, profile.standards if profile else ()
        )
        self.cli_kinds = {s.kind for s in (catalog.resolve(t) for t in settings.standards)}
        # Naming standards narrows the run to them: documents of other kinds are read (the
        # hub's cross-document clauses may consult them) but not judged.
        self.narrowed: frozenset[DocumentKind] | None = (
            frozenset(self.cli_kinds) if settings.standards and settings.narrow else None
        )
        self.named = tuple(sorted({str(catalog.resolve(t).ref) for t in settings.standards}))
        self._built = True

    def __setattr__(self, name: str, value: object) -> None:
        """Refuse changes once built: workers share the run, and a change made while judging
        one submission would leak into the next (what a task used goes in its result)."""
        if getattr(self, "_built", False):
            raise AttributeError(f"a Run does not change once built (setting {name!r})")
        object.__setattr__(self, name, value)

    def left_out(self, kind: DocumentKind) -> str | None:
        """Why documents of ``kind`` are not judged in this run, or None when they are."""
        if self.narrowed is None or kind in self.narrowed:
            return None
        return _("not judged: --standard names only {standards}", standards=", ".join(self.named))

    def left_out_standards(self) -> tuple[str, ...]:
        """The standards a narrowed run leaves out, and why (the report says so)."""
        if self.narrowed is None:
            return ()
        out: dict[str, str] = {}
        for entry in self.catalog.entries():
            kind = DocumentKind(entry.kind)
            if kind in self.narrowed or entry.ref.id in out:
                continue
            named = ", ".join(self.named)
            out[entry.ref.id] = (
                _(
                    "{standard} and its cross-document clauses: not judged, --standard names only {standards}",
                    standard=entry.ref.id,
                    standards=named,
                )
                if kind is DocumentKind.DATA_MANIFEST
                else _("{standard}: not judged, --standard names only {standards}", standard=entry.ref.id, standards=named)
            )
        return tuple(out[k] for k in sorted(out))

    def city_waivers(self) -> list[Waiver]:
        profile = self.settings.profile
        return [*self.settings.city_waivers, *(profile.waivers if profile else ())]

    def warm_up(self) -> None:
        """Load and compile every standard once, before workers are forked from this process.

        Forked workers inherit the validators and compiled rules, so each is built once per
        run instead of once per worker or per document.
        """
        from ocp_check.rules import compile_extra, compile_standard

        for entry in self.catalog.entries():
            standard = self.catalog.load(entry.ref)
            compile_standard(standard)
            for key in standard.schema_files:
                standard.validator(key)
        profile = self.settings.profile
        if profile is not None:
            for sid, pack in profile.rule_packs:
                # The version the profile chose, whose clauses the pack was validated against;
                # the default version may lack them (a pack on a clause new in a draft).
                chosen = next((s for s in self.overrides.values() if s.ref.id == sid), None)
                if chosen is None:
                    found = self.catalog.match(sid)
                    chosen = self.catalog.load(found.ref) if found is not None else None
                if chosen is not None:
                    compile_extra(chosen, (pack,))
