"""A standard travels apart from the tool: pack → install → check, signed, and refused when tampered.

The publisher packs a version of ocp-data-retention (1.0.1, the 1.0.0 text under a new
number) with its own key; the city trusts that key, installs the bundle into its user
standards folder, and checks the example bid, whose retention policy declares
``ocp-data-retention@1.0`` and so is judged by the newest 1.0.x: the installed one. The
report says where the standard came from. The last test does the same from a fresh clone of
the repository, in a separate process.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.conftest import REPO

# A bid that declares ocp-data-retention@1.0, so the installed 1.0.1 judges it (the example bids
# declare the 2.0 drafts).
BID = REPO / "standards" / "_examples" / "northwind-cmi"


def _publisher_folder(tmp_path: Path) -> Path:
    root = tmp_path / "publisher"
    target = root / "ocp-data-retention" / "1.0.1"
    shutil.copytree(REPO / "standards" / "ocp-data-retention" / "1.0.0", target)
    meta = target / "standard.yaml"
    meta.write_text(
        meta.read_text()
        .replace("version: 1.0.0", "version: 1.0.1", 1)
        .replace("supersedes: null", "supersedes: ocp-data-retention@1.0.0", 1)
    )
    return root


def _tamper(bundle: Path, out: Path, member: str) -> None:
    raw = gzip.decompress(bundle.read_bytes())
    buffer = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(raw)) as src, tarfile.open(fileobj=buffer, mode="w") as dst:
        for info in src:
            data = src.extractfile(info).read()
            if info.name == member:
                data += b"\n# altered after signing\n"
                info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    out.write_bytes(gzip.compress(buffer.getvalue()))


@pytest.fixture
def signed_bundle(run, tmp_path):
    key = tmp_path / "publisher.pem"
    assert run("standards", "keygen", str(key)).exit_code == 0
    bundle = tmp_path / "retention-1.0.1.tar.gz"
    result = run(
        "standards",
        "pack",
        "ocp-data-retention@1.0.1",
        str(bundle),
        "--sign-key",
        str(key),
        "--standards-path",
        str(_publisher_folder(tmp_path)),
    )
    assert result.exit_code == 0, result.stderr
    return bundle, Path(f"{key}.pub")


def test_pack_install_check_with_a_signed_bundle(run, signed_bundle, tmp_path):
    bundle, public = signed_bundle
    result = run("standards", "install", str(bundle), "--trust", str(public))
    assert result.exit_code == 0, result.stderr
    assert (
        "ocp-data-retention@1.0.1: installed" in result.stdout
        and "bundle signed by ed25519:" in result.stdout
    )
    assert (Path(os.environ["OCP_CHECK_DATA_HOME"]) / "standards" / "ocp-data-retention" / "1.0.1").is_dir()

    report = run("check", str(BID), "--format", "json", "--today", "2026-12-01").json()
    [info] = [s for s in report["standards"] if s["id"] == "ocp-data-retention"]
    assert info["version"] == "1.0.1"
    assert info["provenance"].startswith("bundle signed by ed25519:")
    assert info["status"] == "draft" and info["approval"] is None
    assert report["submissions"][0]["judged_against"].startswith("judged against DRAFTS of")
    text = run("check", str(BID), "--today", "2026-12-01").stdout
    assert (
        "ocp-data-retention@1.0.1 (draft since 2026-06-01; approved by no body; bundle signed by ed25519:"
        in text
    )
    # Installing the same bundle again changes nothing.
    again = run("standards", "install", str(bundle), "--trust", str(public))
    assert again.exit_code == 0 and "already installed" in again.stdout


def test_a_tampered_bundle_is_refused_naming_the_file_and_both_hashes(run, signed_bundle, tmp_path):
    bundle, public = signed_bundle
    tampered = tmp_path / "tampered.tar.gz"
    _tamper(bundle, tampered, "standard/clauses.yaml")
    result = run("standards", "install", str(tampered), "--trust", str(public))
    assert result.exit_code == 2
    assert "clauses.yaml has sha256:" in result.stderr and "the manifest says sha256:" in result.stderr
    assert "the bundle was altered" in result.stderr
    assert not (Path(os.environ["OCP_CHECK_DATA_HOME"]) / "standards" / "ocp-data-retention").exists()


def test_an_altered_manifest_breaks_the_signature(run, signed_bundle, tmp_path):
    bundle, public = signed_bundle
    raw = gzip.decompress(bundle.read_bytes())
    buffer = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(raw)) as src, tarfile.open(fileobj=buffer, mode="w") as dst:
        for info in src:
            data = src.extractfile(info).read()
            if info.name == "ocp-bundle.json":
                data = data.replace(b'"status": "draft"', b'"status": "approved"')
                info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    forged = tmp_path / "forged.tar.gz"
    forged.write_bytes(gzip.compress(buffer.getvalue()))
    result = run("standards", "install", str(forged), "--trust", str(public))
    assert result.exit_code == 2 and "by no key you trust" in result.stderr


def test_unsigned_and_untrusted_bundles_need_a_flag_and_are_marked(run, tmp_path):
    bundle = tmp_path / "unsigned.tar.gz"
    folder = _publisher_folder(tmp_path)
    assert (
        run(
            "standards", "pack", "ocp-data-retention@1.0.1", str(bundle), "--standards-path", str(folder)
        ).exit_code
        == 0
    )
    refused = run("standards", "install", str(bundle))
    assert refused.exit_code == 2 and "not signed" in refused.stderr
    assert run("standards", "install", str(bundle), "--allow-unsigned").exit_code == 0
    report = run("check", str(BID), "--format", "json", "--today", "2026-12-01").json()
    [info] = [s for s in report["standards"] if s["id"] == "ocp-data-retention"]
    assert info["provenance"] == "bundle, unsigned"


def test_a_signature_by_a_key_the_city_does_not_trust_is_refused(run, signed_bundle):
    bundle, _ = signed_bundle
    result = run("standards", "install", str(bundle))
    assert result.exit_code == 2 and "by no key you trust" in result.stderr
    assert run("standards", "install", str(bundle), "--allow-untrusted").exit_code == 0


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("../escape.yaml", tarfile.REGTYPE, "not a plain relative file name"),
        ("/etc/passwd", tarfile.REGTYPE, "absolute"),
        ("standard/link.yaml", tarfile.SYMTYPE, "a link"),
        ("standard/hard.yaml", tarfile.LNKTYPE, "a link"),
        ("standard/fifo", tarfile.FIFOTYPE, "not a regular file"),
    ],
    ids=["dot-dot", "absolute", "symlink", "hardlink", "fifo"],
)
def test_hostile_archives_are_refused_before_anything_is_written(
    run, signed_bundle, tmp_path, name, kind, message
):
    bundle, public = signed_bundle
    raw = gzip.decompress(bundle.read_bytes())
    buffer = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(raw)) as src, tarfile.open(fileobj=buffer, mode="w") as dst:
        for info in src:
            dst.addfile(info, io.BytesIO(src.extractfile(info).read()))
        evil = tarfile.TarInfo(name)
        evil.type = kind
        evil.linkname = "/etc/passwd" if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE) else ""
        dst.addfile(evil, io.BytesIO(b"") if kind == tarfile.REGTYPE else None)
    hostile = tmp_path / "hostile.tar.gz"
    hostile.write_bytes(gzip.compress(buffer.getvalue()))
    result = run(
        "standards", "install", str(hostile), "--trust", str(public), "--into", str(tmp_path / "into")
    )
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "into").exists() or not any((tmp_path / "into").rglob("*.yaml"))
    assert not (tmp_path / "escape.yaml").exists()


def test_a_bundle_that_is_not_an_archive_is_refused(run, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(gzip.compress(b"not a tar") + b"\x00" * 10)
    result = run("standards", "install", str(junk), "--allow-unsigned")
    assert result.exit_code == 2 and "not a readable bundle" in result.stderr


def test_pack_is_deterministic(run, tmp_path):
    folder = _publisher_folder(tmp_path)
    a, b = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    for out in (a, b):
        assert (
            run(
                "standards", "pack", "ocp-data-retention@1.0.1", str(out), "--standards-path", str(folder)
            ).exit_code
            == 0
        )
    assert a.read_bytes() == b.read_bytes()
    with tarfile.open(a) as tar:
        manifest = json.loads(tar.extractfile("ocp-bundle.json").read())
    assert manifest["standard"] == "ocp-data-retention@1.0.1" and len(manifest["content_sha256"]) == 64


def test_from_a_clean_clone_in_a_separate_process(tmp_path):
    """The same flow from a fresh clone of the committed repository, as a city would run it."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    done = subprocess.run(
        ["git", "clone", "--quiet", "--no-local", str(REPO), str(clone)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"git clone failed: {done.stderr.strip()}")
    env = {**os.environ, "PYTHONPATH": str(clone), "OCP_CHECK_DATA_HOME": str(tmp_path / "city-data")}
    env.pop("OCP_CHECK_STANDARDS_PATH", None)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ocp_check", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    folder = _publisher_folder(tmp_path)
    assert cli("standards", "keygen", "pub.pem").returncode == 0
    packed = cli(
        "standards",
        "pack",
        "ocp-data-retention@1.0.1",
        "b.tar.gz",
        "--sign-key",
        "pub.pem",
        "--standards-path",
        str(folder),
    )
    assert packed.returncode == 0, packed.stderr
    installed = cli("standards", "install", "b.tar.gz", "--trust", "pub.pem.pub")
    assert installed.returncode == 0, installed.stderr
    checked = cli(
        "check",
        str(clone / "standards" / "_examples" / "northwind-cmi"),
        "--format",
        "json",
        "--today",
        "2026-12-01",
    )
    assert checked.returncode == 0, checked.stderr
    [info] = [s for s in json.loads(checked.stdout)["standards"] if s["id"] == "ocp-data-retention"]
    assert info["version"] == "1.0.1" and info["provenance"].startswith("bundle signed by")
    _tamper(tmp_path / "b.tar.gz", tmp_path / "t.tar.gz", "standard/rules/retention.yaml")
    shutil.rmtree(tmp_path / "city-data")
    refused = cli("standards", "install", "t.tar.gz", "--trust", "pub.pem.pub")
    assert refused.returncode == 2 and "the bundle was altered" in refused.stderr
