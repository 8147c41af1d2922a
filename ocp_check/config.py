"""Project configuration for CI defaults: ``.ocp-check.yaml`` or ``[tool.ocp-check]``.

Found the way ruff and pytest find theirs: from the working folder up to the repository root
(the first folder that holds ``.git``; the filesystem root outside a repository), the nearest
folder that has ``.ocp-check.yaml``, ``.ocp-check.yml`` or a ``pyproject.toml`` with a
``[tool.ocp-check]`` table wins (in that order within a folder); ``--config`` names one
instead. It applies to every command; command-line options always win (``settings.py`` has
the whole order). Paths in the configuration are relative to the file that names them. Keys: ``profile``,
``waivers`` (list), ``fail_on``, ``formats`` (list of ``FORMAT`` or ``FORMAT:PATH``),
``standards`` (list), ``standards_path`` (list), ``lang`` (a language or a list), ``cache_dir``
(the result cache). An invalid configuration is exit 2.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocp_check.errors import ConfigError
from ocp_check.i18n import _
from ocp_check.loader import Limits, LoadError, load_path
from ocp_check.reading import NOT_REGULAR, TOOL_INPUT_LIMIT, ReadError, read_file

CONFIG_NAMES = (".ocp-check.yaml", ".ocp-check.yml")
_KEYS = {"profile", "waivers", "fail_on", "formats", "standards", "standards_path", "lang", "cache_dir"}
_FAIL_ON = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class ProjectConfig:
    source: str | None = None
    profile: Path | None = None
    waivers: tuple[Path, ...] = ()
    fail_on: str | None = None
    formats: tuple[str, ...] = ()
    standards: tuple[str, ...] = ()
    standards_path: tuple[Path, ...] = field(default_factory=tuple)
    #: The languages of messages and reports (``fr``, or ``fr,en`` for a bilingual HTML report:
    #: a list in the file is joined with commas), after --lang and OCP_CHECK_LANG.
    lang: str | None = None
    #: The folder of the configuration file found (the result cache goes beside it).
    folder: Path | None = None
    cache_dir: Path | None = None


def _read_pyproject(path: Path, max_bytes: int) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(read_file(path, max_bytes).decode("utf-8"))
    except ReadError as err:
        raise ConfigError(_("{file}: cannot read [tool.ocp-check]: {reason}", file=path, reason=err.reason)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as err:
        raise ConfigError(_("{file}: cannot read [tool.ocp-check]: {reason}", file=path, reason=err)) from None
    section = data.get("tool", {}).get("ocp-check")
    return section if isinstance(section, dict) else None


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(_("{file}: '{key}' must be a string or a list of strings", file=where, key=key))


def _languages(value: Any, where: str) -> str | None:
    """``lang`` takes what ``--lang`` and ``OCP_CHECK_LANG`` take: one language (``fr``), a
    comma-separated list (``fr,en``), or, as configuration files write lists, a list
    (``[fr, en]``); the first is the run's language, the others join the HTML report. Kept as
    the option's text, so one function (``i18n.resolve_languages``) reads all three and says
    the same thing about a language the tool does not speak."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) and v and "," not in v for v in value):
        return ",".join(value)
    raise ConfigError(_("{file}: 'lang' must be a language (en or fr) or a list of them, e.g. [fr, en]", file=where))


def parse_config(data: Any, where: str, base: Path) -> ProjectConfig:
    if not isinstance(data, dict):
        raise ConfigError(_("{file}: the configuration must be a mapping", file=where))
    unknown = set(data) - _KEYS
    if unknown:
        raise ConfigError(
            _("{file}: unknown key(s): {keys}", file=where, keys=", ".join(sorted(unknown))),
            hint=_("known: {list}", list=", ".join(sorted(_KEYS))),
        )
    fail_on = data.get("fail_on")
    if fail_on is not None and fail_on not in _FAIL_ON:
        raise ConfigError(_("{file}: fail_on must be one of {values}", file=where, values=", ".join(_FAIL_ON)))
    profile = data.get("profile")
    if profile is not None and not isinstance(profile, str):
        raise ConfigError(_("{file}: 'profile' must be a path", file=where))
    lang = _languages(data.get("lang"), where)
    cache_dir = data.get("cache_dir")
    if cache_dir is not None and not (isinstance(cache_dir, str) and cache_dir):
        raise ConfigError(_("{file}: 'cache_dir' must be a path", file=where))
    return ProjectConfig(
        lang=lang,
        source=where,
        profile=(base / profile) if profile else None,
        waivers=tuple(base / p for p in _strings(data.get("waivers", []), "waivers", where)),
        fail_on=fail_on,
        formats=_strings(data.get("formats", []), "formats", where),
        standards=_strings(data.get("standards", []), "standards", where),
        standards_path=tuple(
            base / p for p in _strings(data.get("standards_path", []), "standards_path", where)
        ),
        folder=base,
        cache_dir=(base / cache_dir) if cache_dir else None,
    )


def find_config(explicit: Path | None, cwd: Path, max_bytes: int = TOOL_INPUT_LIMIT) -> ProjectConfig:
    """The configuration in force: ``--config``, else the nearest one up to the repository root.

    Every file is read bounded by ``max_bytes``, regular files only (``reading.py``).
    """
    if explicit is not None:
        if not explicit.is_file():
            what = _(NOT_REGULAR) if explicit.exists() else _("no such configuration file")
            raise ConfigError(f"{explicit}: {what}")
        if explicit.suffix == ".toml":
            return parse_config(_read_pyproject(explicit, max_bytes) or {}, str(explicit), explicit.parent)
        return _read_yaml_config(explicit, max_bytes)
    for folder in _upwards(cwd):
        for name in CONFIG_NAMES:
            path = folder / name
            if path.is_file():
                return _read_yaml_config(path, max_bytes)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            section = _read_pyproject(pyproject, max_bytes)
            if section is not None:
                return parse_config(section, f"{pyproject} [tool.ocp-check]", folder)
    return ProjectConfig()


def _upwards(cwd: Path) -> list[Path]:
    """The working folder and its parents, up to and including the repository root."""
    folders = []
    for folder in (cwd, *cwd.parents):
        folders.append(folder)
        if (folder / ".git").exists():
            break
    return folders


def _read_yaml_config(path: Path, max_bytes: int) -> ProjectConfig:
    try:
        doc = load_path(path, str(path), limits=Limits(max_bytes=max_bytes))
    except LoadError as err:
        where = f"{path}:{err.line}:{err.column}" if err.line else str(path)
        raise ConfigError(f"{where}: {err.message}") from None
    return parse_config(doc.data or {}, str(path), path.parent)
