"""Replicas of device nodes for the hostile suite: made with mknod in a test's own folder.

The real nodes under /dev are never touched: a test that wrote over /dev/null would break
the machine for every later step, which is exactly the hazard these tests guard against.
Making a node needs root (CAP_MKNOD) and a filesystem mounted without ``nodev``; elsewhere
the tests that need one are skipped.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

NULL = (1, 3)
ZERO = (1, 5)
FULL = (1, 7)
LOOP0 = (7, 0)


def char_device(folder: Path, name: str, numbers: tuple[int, int]) -> Path:
    """A character device node like ``/dev/<name>``, usable for writing, or skip."""
    return _node(folder, name, stat.S_IFCHR, numbers)


def block_device(folder: Path, name: str, numbers: tuple[int, int] = LOOP0) -> Path:
    """A block device node; the tests only check that nothing opens it."""
    return _node(folder, name, stat.S_IFBLK, numbers, probe=False)


def _node(folder: Path, name: str, kind: int, numbers: tuple[int, int], probe: bool = True) -> Path:
    path = folder / name
    try:
        os.mknod(path, kind | 0o666, os.makedev(*numbers))
    except (PermissionError, OSError) as err:
        pytest.skip(f"cannot make a device node here ({err.strerror or err}); run as root")
    if probe:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as err:
            pytest.skip(f"device nodes do not work on this filesystem (nodev?): {err.strerror}")
        os.close(fd)
    return path


def same_node(path: Path, kind: int, numbers: tuple[int, int]) -> bool:
    """Still the device node it was made as (not replaced by a regular file)."""
    info = os.lstat(path)
    return stat.S_IFMT(info.st_mode) == kind and (os.major(info.st_rdev), os.minor(info.st_rdev)) == numbers
