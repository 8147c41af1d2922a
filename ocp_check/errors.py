"""Exceptions that stop a run, and the exit codes of the command line.

Problems inside a vendor's files are never exceptions: they become error findings so the
rest of the run goes on (docs/decisions.md, "Findings, not exceptions"). The exceptions here are for the invocation and the
tool's own inputs (options, standards, rule packs, waivers, profiles), which make a run
meaningless and therefore end it with exit code 2.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented process exit codes."""

    OK = 0
    NONCONFORMANT = 1
    ERROR = 2


class OcpCheckError(Exception):
    """Base of every error that ends a run with exit code 2.

    ``hint`` is one actionable sentence shown after the message (for example the list of
    available standards when an unknown one was asked for).
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(OcpCheckError):
    """Bad options or a named path that does not exist."""


class StandardError(OcpCheckError):
    """A standard cannot be used as asked: unknown, malformed, or not the content pinned.

    The base of ``StandardNotFound``, ``StandardInvalid`` and ``PinMismatch``, so a caller of
    the Python API can catch every problem with a standard in one clause.
    """


class StandardNotFound(StandardError):
    """An unknown standard id or version was asked for on the command line or in a profile."""


class StandardInvalid(StandardError):
    """A standard, vocabulary or rule pack file is malformed (the tool's own input)."""


class PinMismatch(StandardError):
    """A standard pinned by content hash (``ID@VERSION#sha256:…``) has other content here."""


class ConfigError(OcpCheckError):
    """A waivers file, profile or project configuration file is invalid."""
