"""The state a run shares across submissions: settings, catalog, overrides, the clock."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ocp_check.engine_types import Clock
from ocp_check.errors import UsageError
from ocp_check.loader import JSON, Limits
from ocp_check.model import DocumentKind, StandardRef
from ocp_check.pool import Budget
from ocp_check.profiles import Profile
from ocp_check.standards import Catalog, Standard
from ocp_check.waivers import Waiver


@dataclass(frozen=True)
class Settings:
    """Everything that decides a run's result; recorded in the report for ``verify``."""

    standards: tuple[str, ...] = ()
    root: str | None = None
    limits: Limits = field(default_factory=Limits)
    today: datetime.date | None = None
    snippets: bool = True
    parameters: dict[str, dict[str, JSON]] = field(default_factory=dict)
    profile: Profile | None = None
    city_waivers: tuple[Waiver, ...] = ()
    waiver_files: tuple[tuple[str, str], ...] = ()
    paths: tuple[str, ...] = ()
    jobs: int = 1
    budget: Budget = field(default_factory=Budget)
    each: bool = False

    def options(self) -> dict[str, object]:
        return {
            "paths": list(self.paths),
            "standards": list(self.standards),
            "profile": self.profile.source if self.profile else None,
            "waivers": [{"path": path, "sha256": digest} for path, digest in self.waiver_files],
            "root": self.root,
            "each": self.each,
            "snippets": self.snippets,
            "limits": {
                "max_bytes": self.limits.max_bytes,
                "max_depth": self.limits.max_depth,
                "max_nodes": self.limits.max_nodes,
            },
        }


class Run:
    """One invocation's shared state: the catalog, resolved overrides and the clock."""

    def __init__(self, catalog: Catalog, settings: Settings) -> None:
        self.catalog = catalog
        self.settings = settings
        self.clock = Clock(settings.today)
        self.overrides: dict[DocumentKind, Standard] = {}
        for text in settings.standards:
            standard = catalog.resolve(text)
            if standard.kind in self.overrides and self.overrides[standard.kind].ref != standard.ref:
                raise UsageError(
                    f"--standard names two versions for {standard.kind.value} documents: "
                    f"{self.overrides[standard.kind].ref} and {standard.ref}"
                )
            self.overrides[standard.kind] = standard
        profile = settings.profile
        if profile is not None:
            for text in profile.standards:
                standard = catalog.resolve(text)
                self.overrides.setdefault(standard.kind, standard)
        self.profile_reason = f"chosen by profile {profile.id}" if profile else ""
        self.cli_kinds = {s.kind for s in (catalog.resolve(t) for t in settings.standards)}
        self.used: dict[StandardRef, Standard] = {}
        self.waiver_usage: dict[tuple[str, str, str], int] = {w.key: 0 for w in self.city_waivers()}

    def city_waivers(self) -> list[Waiver]:
        profile = self.settings.profile
        return [*self.settings.city_waivers, *(profile.waivers if profile else ())]

    def use(self, standard: Standard) -> Standard:
        self.used[standard.ref] = standard
        return standard

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
                found = self.catalog.match(sid)
                if found is not None:
                    compile_extra(self.catalog.load(found.ref), (pack,))
