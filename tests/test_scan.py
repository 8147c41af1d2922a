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
