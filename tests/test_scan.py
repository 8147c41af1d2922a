import os
from pathlib import Path

import pytest

from ocp_check.errors import UsageError
from ocp_check.scan import scan_folder, scan_paths


def _touch(path: Path, text: str = "kind: data-manifest\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_scan_collects_candidates_sorted_and_ignores_other_files(tmp_path):
    _touch(tmp_path / "b.yaml")
    _touch(tmp_path / "a.json", "{}")
    _touch(tmp_path / "README.md", "# hi")
    _touch(tmp_path / "sub" / "c.yml")
    _touch(tmp_path / ".hidden" / "d.yaml")
    _touch(tmp_path / ".ocp-waivers.yaml", "waivers: []")
    result = scan_folder(tmp_path, "bid")
    assert [c.rel for c in result.candidates] == ["a.json", "b.yaml", "sub/c.yml"]
    assert [c.rel for c in result.waiver_files] == [".ocp-waivers.yaml"]


def test_symlink_outside_root_is_skipped_and_reported(tmp_path):
    secret = _touch(tmp_path / "outside" / "secret.yaml", "password: hunter2")
    bid = tmp_path / "bid"
    bid.mkdir()
    os.symlink(secret, bid / "manifest.yaml")
    result = scan_folder(bid, "bid")
    assert result.candidates == []
    assert [n.rel for n in result.notes] == ["manifest.yaml"]
    assert "outside the root" in result.notes[0].message


def test_symlink_loop_to_folder_is_not_followed(tmp_path):
    bid = tmp_path / "bid"
    _touch(bid / "sub" / "m.yaml")
    os.symlink("..", bid / "sub" / "loop")
    result = scan_folder(bid, "bid")
    assert [c.rel for c in result.candidates] == ["sub/m.yaml"]


def test_fifo_is_never_opened(tmp_path):
    bid = tmp_path / "bid"
    bid.mkdir()
    os.mkfifo(bid / "manifest.yaml")
    result = scan_folder(bid, "bid")
    assert result.candidates == []
    assert "not a regular file" in result.notes[0].message


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        scan_paths([str(tmp_path / "missing.yaml")], None, None)


def test_files_named_together_form_one_group(tmp_path):
    a = _touch(tmp_path / "x" / "a.yaml")
    b = _touch(tmp_path / "x" / "b.yaml")
    (result,) = scan_paths([str(b), str(a)], None, None)
    assert [c.rel for c in result.candidates] == ["a.yaml", "b.yaml"]
    assert result.explicit_files


def test_a_symlink_inside_the_root_is_judged_by_its_own_name(tmp_path):
    """``openapi.yaml -> real/api.txt`` is the bid's API description; the target's name
    does not matter (it used to be dropped silently, and the bid told it had none)."""
    bid = tmp_path / "bid"
    target = _touch(bid / "real" / "api.txt", "openapi: 3.1.0\n")
    os.symlink("real/api.txt", bid / "openapi.yaml")
    _touch(bid / "real" / "waivers.txt", "waivers: []\n")
    os.symlink("real/waivers.txt", bid / ".ocp-waivers.yaml")
    os.symlink("openapi.yaml", bid / "notes.txt")  # not a candidate name: not a document
    result = scan_folder(bid, "bid")
    assert [(c.rel, c.path) for c in result.candidates] == [("openapi.yaml", target.resolve())]
    assert [c.rel for c in result.waiver_files] == [".ocp-waivers.yaml"]
    assert result.notes == []


def test_a_symlink_to_a_fifo_or_socket_inside_the_root_is_reported_not_dropped(tmp_path):
    import socket

    bid = tmp_path / "bid"
    (bid / "real").mkdir(parents=True)
    os.mkfifo(bid / "real" / "pipe")
    os.symlink("real/pipe", bid / "manifest.yaml")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(bid / "real" / "s"))
        os.symlink("real/s", bid / "api.json")
        result = scan_folder(bid, "bid")
    finally:
        sock.close()
    assert result.candidates == []
    assert [n.rel for n in result.notes] == ["api.json", "manifest.yaml"]
    assert all("not a regular file" in n.message for n in result.notes)
