"""The one way ocp-check reads a file: bounded, regular files only, never blocking.

Every input goes through here: vendor documents and waivers files, standard input, and the
tool's own inputs (profiles and the rule packs they name, city waivers, project
configurations, reports given to ``verify``, whose recorded paths are as untrusted as the
report). A FIFO would block ``open`` forever, ``/dev/zero`` would be read until memory runs
out, a sparse file can claim 100 GB, and a path can be swapped for any of them between a
check and the read. So a file is opened with ``O_NONBLOCK``, judged by ``fstat`` on the open
descriptor (regular files only), refused by its size before any byte is read, and read at
most ``max_bytes + 1`` bytes (a file that grows while it is read is caught too).

What a failure means depends on the caller: a finding on a vendor file (exit 1), a one-line
error for the tool's own inputs (exit 2). So this module raises ``ReadError`` and leaves the
wording of the consequence to the caller.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ocp_check.i18n import N_, _

_CHUNK = 1 << 20
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class ReadError(Exception):
    """A file that was not read. ``code`` is ``unreadable`` (``reason`` is the system's
    words), ``not-regular`` or ``size``; ``missing`` tells a path that does not exist."""

    def __init__(self, code: str, reason: str, *, missing: bool = False, cause: OSError | None = None) -> None:
        super().__init__(reason)
        self.code, self.reason, self.missing, self.cause = code, reason, missing, cause


class TooLarge(ReadError):
    """Over the limit. ``size`` is the file's size when known (a regular file), else None
    (a stream, or a file that grew); ``head`` holds the first ``limit + 1`` bytes read, if any,
    so a caller can still hash or sniff what it refused."""

    def __init__(self, size: int | None, limit: int, head: bytes = b"") -> None:
        self.size, self.limit, self.head = size, limit, head
        if size is not None:
            said = _("the file is {size} bytes; the limit is {limit}", size=size, limit=limit)
        else:
            said = _("the file is more than {limit} bytes; the limit is {limit}", limit=limit)
        super().__init__("size", said)


NOT_REGULAR = N_("not a regular file (FIFO, device or socket); not read")

#: Every one of the tool's own inputs (a profile, a rule pack, a waivers file, a project
#: configuration) is at most this large: far above any real one, far below what exhausts memory.
TOOL_INPUT_LIMIT = 64 * 1024 * 1024
#: The largest JSON report ``verify`` reads unless told otherwise. A report of ten thousand
#: submissions is a few hundred megabytes; ``verify`` holds it and a fresh one in memory, so a
#: larger one needs the limit raised on purpose.
REPORT_LIMIT = 512 * 1024 * 1024


def _open_regular(path: Path) -> tuple[int, int]:
    """(descriptor, size) of a regular file opened without blocking; ReadError otherwise."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as err:
        raise ReadError(
            "unreadable", err.strerror or type(err).__name__, missing=isinstance(err, FileNotFoundError), cause=err
        ) from None
    try:
        info = os.fstat(fd)
    except OSError as err:
        os.close(fd)
        raise ReadError("unreadable", err.strerror or type(err).__name__, cause=err) from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ReadError("not-regular", NOT_REGULAR)
    return fd, info.st_size


def _read_at_most(read: Callable[[int], bytes], limit: int) -> bytes:
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = read(min(remaining, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_file(path: Path, max_bytes: int, *, keep_head: bool = False) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` bytes; ``ReadError`` otherwise.

    With ``keep_head``, an oversized file is still read up to ``max_bytes + 1`` bytes so the
    ``TooLarge`` error can carry them (a vendor file over the limit is hashed and sniffed
    for the kind it announces); without it, nothing of such a file is read.
    """
    fd, size = _open_regular(path)
    try:
        if size > max_bytes and not keep_head:
            raise TooLarge(size, max_bytes)
        data = _read_at_most(lambda n: os.read(fd, n), max_bytes + 1)
    except OSError as err:
        raise ReadError("unreadable", err.strerror or type(err).__name__, cause=err) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise TooLarge(size if size > max_bytes else None, max_bytes, data)
    return data


def read_head(path: Path, count: int) -> bytes:
    """The first ``count`` bytes of a regular file (fewer if it is shorter); ReadError otherwise."""
    fd, _size = _open_regular(path)
    try:
        return _read_at_most(lambda n: os.read(fd, n), count)
    except OSError as err:
        raise ReadError("unreadable", err.strerror or type(err).__name__) from None
    finally:
        os.close(fd)


def read_stream(stream: BinaryIO, max_bytes: int) -> bytes:
    """Standard input: read until its end, but never more than ``max_bytes + 1`` bytes.

    The stream is meant to be waited for (that is what ``check -`` asks), so it is not made
    non-blocking; a stream that never ends costs ``max_bytes + 1`` bytes and then stops. The
    caller tells an oversized input by its length.
    """
    return _read_at_most(stream.read, max_bytes + 1)
