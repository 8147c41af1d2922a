"""Writing reports: atomically into regular files, through character devices and FIFOs.

A report that is a regular file (or does not exist yet) goes to a temporary file in the
destination folder, is flushed and fsync'ed, then renamed over the destination with
``os.replace`` (atomic on POSIX and Windows). On any failure, including a signal, the
temporary file is removed and the destination is untouched.

Renaming over a destination that is not a regular file would replace the node itself: run as
root, ``-o /dev/null`` would turn the system's null device into a regular file and
``-o /dev/stdout`` would break the link for every later step. So the destination's type
decides (``os.lstat``, then ``S_ISCHR``/``S_ISFIFO`` on the open descriptor, closing the window
in which the node could be swapped):

- a character device or a FIFO, or a symbolic link to one (``/dev/null``, ``/dev/stdout``, a
  named pipe), is opened for writing and written through; it cannot be written atomically,
  and a write error (``/dev/full``) fails the run;
- anything else that is not a regular file (a symbolic link to a regular file or to nothing,
  a block device, a socket, a folder) is refused with ``OutputError`` (exit 2), never replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ocp_check import signals
from ocp_check.errors import OcpCheckError


class OutputError(OcpCheckError):
    """A report destination that is refused or cannot be written (exit 2, one line)."""


_KINDS = (
    (stat.S_ISDIR, "folder"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISREG, "regular file"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISFIFO, "FIFO"),
)


def _kind_name(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "special file")


def is_stream(mode: int) -> bool:
    """A node that is written through, never replaced: a character device or a FIFO."""
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def destination_is_stream(path: Path) -> bool:
    """Whether ``path`` is written through (True) or replaced atomically (False).

    Raises ``OutputError`` for a destination that is neither: called before a run, so that a
    refused path costs nothing, and again when the report is written.
    """
    try:
        own = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    if stat.S_ISREG(own.st_mode):
        return False
    if is_stream(own.st_mode):
        return True
    if stat.S_ISLNK(own.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            raise OutputError(
                f"{path} is a symbolic link to nothing; a report never replaces a link (give the real path)"
            ) from None
        if is_stream(target.st_mode):
            return True
        raise OutputError(
            f"{path} is a symbolic link to a {_kind_name(target.st_mode)}; a report never replaces "
            "a link or writes into its target (give the real path)"
        )
    raise OutputError(
        f"{path} is a {_kind_name(own.st_mode)}; reports are written to regular files, "
        "character devices (/dev/null) and FIFOs only"
    )


def write_output(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, as they are made) to ``path``; see the module docstring."""
    pieces = (text,) if isinstance(text, str) else text
    _write(path, (piece.encode("utf-8") for piece in pieces), None)


def write_output_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` like ``write_output``; a new regular file gets ``mode`` (by
    default what the umask leaves of 0o666)."""
    _write(path, (data,), mode)


def _write(path: Path, chunks: Iterable[bytes], mode: int | None) -> None:
    if destination_is_stream(path):
        _write_through(path, chunks)
    else:
        _write_atomic(path, chunks, mode)


def _write_through(path: Path, chunks: Iterable[bytes]) -> None:
    """Write into a character device or FIFO that already exists; never create or replace it."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)  # no O_CREAT: if it vanished, fail rather than make a file
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        kind = os.fstat(fd).st_mode
        if not is_stream(kind):
            raise OutputError(f"{path} changed into a {_kind_name(kind)} while it was opened; not written")
        for chunk in chunks:
            data = memoryview(chunk)
            while data:
                written = os.write(fd, data)
                data = data[written:]
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    finally:
        os.close(fd)


def _write_atomic(path: Path, chunks: Iterable[bytes], mode: int | None) -> None:
    directory = path.parent if str(path.parent) else Path()
    tmp = ""
    try:
        # A signal between creating the temporary file and knowing its name would leave it
        # behind: it is held back until the name is known (raised here, then cleaned up).
        with signals.deferred():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # mkstemp creates 0600; a report is an ordinary file
        os.chmod(tmp, mode)
        # The destination may have been swapped for a link or a node during the run.
        if destination_is_stream(path):
            raise OutputError(f"{path} became a device or FIFO during the run; not replaced")
        os.replace(tmp, path)
    except OSError as err:
        _remove(tmp)
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str) -> None:
    if tmp:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
