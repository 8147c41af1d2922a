"""Settings: everything that decides a run's result, built the same way for every command.

``check``, ``compare`` and ``verify`` (and anything else that runs a check) hand what they
were given to ``build``, which fills each setting from the first source that has it:

1. the command line (or, for ``verify``, the options the report records);
2. the environment (``SOURCE_DATE_EPOCH`` for "today"; ``verify`` reads the recorded today);
3. the project configuration, ``.ocp-check.yaml`` or ``[tool.ocp-check]`` in
   ``pyproject.toml``, found by walking up from the working folder to the repository root
   (``config.find_config``; ``--config`` names one instead);
4. the built-in defaults.

For ``verify`` the report is the whole record of a run: its profile, waivers and standards
are used as recorded, never the configuration's (which still says where extra standards
are). Building validates what a run cannot honour as written (exit 2, before any work).
"""

from __future__ import annotations

import datetime
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ocp_check import i18n
from ocp_check.catalog import Catalog
from ocp_check.config import ProjectConfig, find_config
from ocp_check.errors import UsageError
from ocp_check.i18n import _
from ocp_check.jsondata import JSON
from ocp_check.loader import MAX_DEPTH, Limits
from ocp_check.model import MAX_FINDINGS_CAP, FindingCaps
from ocp_check.pool import MAX_MEMORY_BUDGET_MIB, MAX_TIME_BUDGET, Budget, available_cores
from ocp_check.profiles import Profile, load_city_waivers, load_profile
from ocp_check.reproducible import source_date_epoch
from ocp_check.shard import Shard, parse_shard
from ocp_check.waivers import Waiver

#: Defaults of the options that tune a run (the command line shows them in its help).
DEFAULT_LIMITS = Limits()
DEFAULT_TIME_BUDGET = 60.0
DEFAULT_MEMORY_BUDGET_MIB = 4096
DEFAULT_CAPS = FindingCaps()


@dataclass(frozen=True)
class Settings:
    """Everything that decides a run's result; recorded in the report for ``verify``."""

    standards: tuple[str, ...] = ()
    root: str | None = None
    limits: Limits = field(default_factory=Limits)
    today: datetime.date | None = None
    snippets: bool = True
    #: Parameter values by standard id, over the profile's: a standard's own rule cases set
    #: them as a city profile would (not an option of the command line, not recorded).
    parameters: dict[str, dict[str, JSON]] = field(default_factory=dict)
    profile: Profile | None = None
    city_waivers: tuple[Waiver, ...] = ()
    waiver_files: tuple[tuple[str, str], ...] = ()
    paths: tuple[str, ...] = ()
    jobs: int = 1
    budget: Budget = field(default_factory=Budget)
    each: bool = False
    # Naming standards narrows the run to them (the command line, ``standards:`` of the
    # project configuration). A standard's own rule cases pin a version without narrowing.
    narrow: bool = True
    caps: FindingCaps = field(default_factory=FindingCaps)
    #: The language of the report's human text (``--lang``): machine fields are the same in
    #: every language, but messages, titles and reasons are not, so ``verify`` re-runs in it.
    language: str = "en"
    #: ``--shard I/N``: this run judges one part of the submissions (``shard.py``).
    shard: Shard | None = None

    def options(self) -> dict[str, object]:
        """The options as the report records them (``verify`` reads them back)."""
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
                "max_findings_per_rule": self.caps.per_rule,
                "max_findings_per_document": self.caps.per_document,
            },
            # Recorded when not English (a report without it is in English, as every report
            # made before the tool spoke French).
            **({"language": self.language} if self.language != "en" else {}),
            # Only in the report of one part of a sharded run (``verify`` re-runs that part).
            **({"shard": str(self.shard)} if self.shard is not None else {}),
        }


@dataclass(frozen=True)
class Options:
    """What a command was given. ``None`` or empty means "not given": the next source decides."""

    paths: tuple[str, ...] = ()
    standards: tuple[str, ...] = ()
    root: str | None = None
    profile: Path | None = None
    waivers: tuple[Path, ...] = ()
    config: Path | None = None
    today: str | None = None
    snippets: bool = True
    standards_path: tuple[Path, ...] = ()
    max_file_size: int = DEFAULT_LIMITS.max_bytes
    max_depth: int = DEFAULT_LIMITS.max_depth
    max_nodes: int = DEFAULT_LIMITS.max_nodes
    time_budget: float = DEFAULT_TIME_BUDGET
    memory_budget: int = DEFAULT_MEMORY_BUDGET_MIB
    jobs: int | None = None
    each: bool = False
    max_findings_per_rule: int = DEFAULT_CAPS.per_rule
    max_findings_per_document: int = DEFAULT_CAPS.per_document
    fail_on: str | None = None
    formats: tuple[str, ...] = ()
    #: The language of the report (``--lang``, ``OCP_CHECK_LANG``, ...); None: the run's.
    language: str | None = None
    #: The options come from a report (``verify``): they are the whole record of the run.
    recorded: bool = False
    #: Look for the project configuration from the working folder up (the command line
    #: always does; the Python API can be told not to, ``config=False``).
    discover_config: bool = True
    #: Keep and serve results in the result cache (``cache.py``): the command line does
    #: unless ``--no-cache``; the Python API when asked. Never for ``verify``.
    cache: bool = False
    #: The cache folder (``--cache-dir``); None: ``OCP_CHECK_CACHE_DIR``, the configuration's
    #: ``cache_dir``, ``.ocp-check-cache`` beside the configuration, else the working folder.
    cache_dir: Path | None = None
    #: ``--shard I/N`` as given (``shard.parse_shard`` checks it).
    shard: str | None = None


@dataclass(frozen=True)
class Setup:
    """A built run: its settings, the catalog of standards, and the presentation choices."""

    settings: Settings
    catalog: Catalog
    project: ProjectConfig
    fail_on: str
    formats: tuple[str, ...]
    #: The result cache folder, or None when the run keeps no cache (not a setting: where
    #: results are kept never changes what they are).
    cache_dir: Path | None = None


def build(options: Options, *, cwd: Path, environ: Mapping[str, str]) -> Setup:
    """Settings from options, then the environment, then the project configuration, then defaults."""
    check_limits(options)
    caps = finding_caps(options.max_findings_per_rule, options.max_findings_per_document)
    project = find_config(options.config, cwd) if options.discover_config or options.config else ProjectConfig()
    catalog = Catalog([*options.standards_path, *project.standards_path])
    from_project = not options.recorded
    profile_path = options.profile or (project.profile if from_project else None)
    profile = load_profile(profile_path, catalog) if profile_path else None
    waiver_paths = options.waivers or (project.waivers if from_project else ())
    city_waivers, waiver_hashes = load_city_waivers(list(waiver_paths))
    settings = Settings(
        standards=options.standards or (project.standards if from_project else ()),
        root=options.root,
        limits=Limits(max_bytes=options.max_file_size, max_depth=options.max_depth, max_nodes=options.max_nodes),
        today=today(options.today, {} if options.recorded else environ),
        snippets=options.snippets,
        profile=profile,
        city_waivers=tuple(city_waivers),
        waiver_files=tuple(waiver_hashes),
        paths=options.paths,
        jobs=options.jobs or available_cores(),
        budget=Budget(seconds=options.time_budget, memory=options.memory_budget * 1024 * 1024 or None),
        each=options.each,
        caps=caps,
        language=options.language or i18n.current_language(),
        shard=parse_shard(options.shard) if options.shard is not None else None,
    )
    return Setup(
        settings=settings,
        catalog=catalog,
        project=project,
        fail_on=options.fail_on or project.fail_on or "error",
        formats=options.formats or project.formats or ("text",),
        cache_dir=cache_directory(options.cache_dir, project, cwd, environ)
        if options.cache and not options.recorded
        else None,
    )


def cache_directory(option: Path | None, project: ProjectConfig, cwd: Path, environ: Mapping[str, str]) -> Path:
    """Where the result cache is: the option, ``OCP_CHECK_CACHE_DIR``, the configuration's
    ``cache_dir``, ``.ocp-check-cache`` beside the configuration, else in ``cwd``."""
    from ocp_check.cache import DIR_NAME, default_directory

    config_dir = project.cache_dir
    if config_dir is None and project.folder is not None:
        config_dir = project.folder / DIR_NAME
    return default_directory(str(option) if option else None, environ, config_dir, cwd)


def today(option: str | None, environ: Mapping[str, str]) -> datetime.date | None:
    """``--today``, else ``SOURCE_DATE_EPOCH``, else None (the run's clock uses the UTC date)."""
    if option:
        try:
            return datetime.date.fromisoformat(option)
        except ValueError:
            raise UsageError(_("--today {value} is not a date (YYYY-MM-DD)", value=repr(option))) from None
    try:
        moment = source_date_epoch(environ)
    except ValueError as err:
        raise UsageError(str(err)) from None
    return moment.date() if moment is not None else None


def environment() -> Mapping[str, str]:
    """The process environment (a seam: the builder itself never reads it)."""
    return os.environ


def check_limits(options: Options) -> None:
    """Refuse, before anything runs, a limit the tool could not honour as written.

    ``--time-budget nan`` used to disable the budget silently (every comparison with NaN is
    false) and ``inf`` overflowed the wait; a ``--max-depth`` above what the parsers can
    follow reported "nesting deeper than N levels" for files much shallower than N.
    """
    if options.max_file_size < 1:
        raise UsageError(
            _("--max-file-size must be a positive number of bytes, not {value}", value=options.max_file_size)
        )
    if not 1 <= options.max_depth <= MAX_DEPTH:
        raise UsageError(
            _(
                "--max-depth must be between 1 and {limit} (the deepest nesting every parser can follow), not {value}",
                limit=MAX_DEPTH,
                value=options.max_depth,
            )
        )
    budget = options.time_budget
    if not (math.isfinite(budget) and 0 < budget <= MAX_TIME_BUDGET):
        raise UsageError(
            _(
                "--time-budget must be a number of seconds above 0 and at most {limit}, not {value}",
                limit=f"{MAX_TIME_BUDGET:g}",
                value=f"{budget:g}",
            )
        )
    if not 0 <= options.memory_budget <= MAX_MEMORY_BUDGET_MIB:
        raise UsageError(
            _(
                "--memory-budget must be between 0 (no limit) and {limit} MiB, not {value}",
                limit=MAX_MEMORY_BUDGET_MIB,
                value=options.memory_budget,
            )
        )
    if options.jobs is not None and options.jobs < 1:
        raise UsageError(_("--jobs must be at least 1, not {value}", value=options.jobs))


def finding_caps(per_rule: int, per_document: int) -> FindingCaps:
    """The finding caps, each between 1 and ``MAX_FINDINGS_CAP`` (the report must stay bounded)."""
    for option, value in (("--max-findings-per-rule", per_rule), ("--max-findings-per-document", per_document)):
        if not 1 <= value <= MAX_FINDINGS_CAP:
            raise UsageError(
                _("{option} must be between 1 and {limit}, not {value}", option=option, limit=f"{MAX_FINDINGS_CAP:,}", value=value)
            )
    return FindingCaps(per_rule=per_rule, per_document=per_document)
