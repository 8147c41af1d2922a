"""``cache dir`` and ``cache clean``: where the result cache of ``check`` is, and removing it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ocp_check.cli.common import cache_app, guarded, say, write_stdout
from ocp_check.cli.run import CacheDirOption
from ocp_check.i18n import _

ConfigOption = Annotated[
    Path | None,
    typer.Option(help=_("Project configuration file [default: .ocp-check.yaml or [tool.ocp-check]].")),
]


def _directory(option: Path | None, config: Path | None) -> Path:
    """The folder ``check`` would use with the same option and configuration."""
    from ocp_check.config import find_config
    from ocp_check.settings import cache_directory, environment

    cwd = Path.cwd()
    return cache_directory(option, find_config(config, cwd), cwd, environment())


@cache_app.command("dir", help=_("Print the folder of the result cache (it may not exist yet). Exit 0, or 2 on error."))
@guarded
def cache_dir_command(cache_dir: CacheDirOption = None, config: ConfigOption = None) -> None:
    """Print the folder of the result cache (it may not exist yet). Exit 0, or 2 on error."""
    write_stdout([f"{_directory(cache_dir, config)}\n"])


@cache_app.command("clean", help=_("Remove the result cache folder. Exit 0 (also when there was none), or 2 on error."))
@guarded
def cache_clean_command(cache_dir: CacheDirOption = None, config: ConfigOption = None) -> None:
    """Remove the result cache folder. Exit 0 (also when there was none), or 2 on error."""
    from ocp_check.cache import clean

    directory = _directory(cache_dir, config)
    say(_("removed {folder}", folder=str(directory)) if clean(directory) else _("no cache at {folder}", folder=str(directory)))
