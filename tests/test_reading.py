"""The one bounded reader (``reading.py``): regular files only, never blocking, never more
than the limit plus one byte."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from ocp_check.reading import ReadError, TooLarge, read_file, read_head, read_stream


def test_a_regular_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 10)
    assert read_file(path, 10) == b"x" * 10


def test_a_file_over_the_limit_is_refused_by_its_size_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 11)
    with pytest.raises(TooLarge) as info:
        read_file(path, 10)
    assert (info.value.size, info.value.head, info.value.reason) == (11, b"", "the file is 11 bytes; the limit is 10")


def test_keep_head_reads_one_byte_more_than_the_limit_and_no_further(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"0123456789abcdef")
    with pytest.raises(TooLarge) as info:
        read_file(path, 4, keep_head=True)
    assert info.value.head == b"01234"


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    for read in (lambda: read_file(fifo, 100), lambda: read_head(fifo, 10)):
        with pytest.raises(ReadError) as info:
            read()
        assert info.value.code == "not-regular"


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as info:
        read_file(tmp_path / "nope.yaml", 100)
    assert info.value.missing and info.value.code == "unreadable"


def test_a_folder_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as info:
        read_file(tmp_path, 100)
    assert info.value.code == "not-regular"


def test_read_head_reads_only_the_head(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"kind: data-manifest\n" + b"x" * 10_000)
    assert read_head(path, 5) == b"kind:"


def test_a_stream_is_read_to_its_end_or_one_byte_past_the_limit() -> None:
    assert read_stream(io.BytesIO(b"short"), 100) == b"short"
    assert read_stream(io.BytesIO(b"y" * 10_000), 100) == b"y" * 101
