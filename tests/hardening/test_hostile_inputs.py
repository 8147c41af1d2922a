"""The hostile-input suite: every hazard class of docs/decisions.md ("Hostile input"), each case with its
expected exit code and message. None may crash, hang or leak; the other files of the run are
still checked; every report stays well-formed. Time limits here are generous hang guards,
not performance assertions.
"""

from __future__ import annotations

import json
import os
import time
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import assert_valid_report

BOMB = (
    "\n".join(
        ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    )
    + "\n"
)

# (file name, bytes, expected message fragment, expected line or None)
LOADING_CASES = [
    ("bomb.yaml", BOMB.encode(), "alias expansion", None),
    ("recursive.yaml", b"a: &x [1, *x]\n", "alias", 1),
    ("deep.yaml", b"a: " + b"[" * 300 + b"]" * 300 + b"\n", "nesting deeper", 1),
    (
        "deep-block.yaml",
        "".join(f"{'  ' * i}k{i}:\n" for i in range(200)).encode() + b"  " * 200 + b"v: 1\n",
        "nesting deeper",
        None,
    ),
    ("dup.yaml", b"retention_days: 30\nretention_days: 3650\n", "duplicate key 'retention_days'", 2),
    ("dup.json", b'{"a": 1,\n "a": 2}', "duplicate key 'a'", 2),
    ("tag.yaml", b"x: !!python/object/apply:os.system ['id']\n", "unsupported tag", 1),
    ("binary.yaml", b"x: !!binary aGVsbG8=\n", "unsupported tag", 1),
    ("set.yaml", b"x: !!set {a, b}\n", "unsupported tag", 1),
    ("nan.yaml", b"x: .nan\n", "NaN", 1),
    ("nan.json", b'{"x": NaN}', "NaN", 1),
    ("multi.yaml", b"a: 1\n---\na: 2\n", "document", 2),
    ("empty.yaml", b"# only a comment\n", "empty", None),
    ("latin1.yaml", b"name: caf\xe9\n", "UTF-8", 1),
    ("utf16.yaml", "name: x\n".encode("utf-16"), "UTF-8", None),
    ("merge.yaml", b"base: &b {x: 1}\nuse:\n  <<: *b\n", "merge keys", 3),
    ("syntax.yaml", b"a: [1, 2\n", "did not find expected ',' or ']'", 2),
    ("syntax.json", b'{"a": }', "Expecting value at line 1, column 7", 1),
]


@pytest.mark.parametrize(
    ("name", "content", "message", "line"), LOADING_CASES, ids=[c[0] for c in LOADING_CASES]
)
def test_hostile_file_is_an_error_finding_and_the_run_goes_on(run, bid, name, content, message, line):
    (bid / name).write_bytes(content)
    start = time.monotonic()
    result = run("check", str(bid), "--format", "json")
    assert time.monotonic() - start < 60
    assert result.exit_code == 1, result.stdout[-2000:]
    assert "Traceback" not in result.stderr
    sub = result.json()["submissions"][0]
    mine = [f for f in sub["findings"] if f["location"]["file"] == name]
    assert [f["rule"] for f in mine] == ["load"], mine
    assert message in mine[0]["message"]
    assert mine[0]["severity"] == "error"
    if line is not None:
        assert mine[0]["location"]["line"] == line
    # the real documents were still checked
    assert {d["path"] for d in sub["documents"]} >= {
        "data-manifest.yaml",
        "retention-policy.yaml",
        "openapi.yaml",
    }
    assert not [f for f in sub["findings"] if f["location"]["file"] != name and f["state"] == "active"]


def test_file_over_the_size_limit(run, bid):
    result = run("check", str(bid), "--max-file-size", "2000", "--format", "json")
    assert result.exit_code == 1
    sizes = [
        f
        for f in result.json()["submissions"][0]["findings"]
        if "limit" in f["message"] and f["rule"] == "load"
    ]
    assert sizes


def test_yaml_11_scalars_stay_text(run, tmp_path):
    doc = tmp_path / "x.yaml"
    doc.write_text("kind: data-manifest\ncountry: NO\nconsent: off\nat: 1:30\nmode: 0755\nwhen: 2024-01-31\n")
    from ocp_check.loader import load_bytes

    data = load_bytes(doc.read_bytes(), "x.yaml").data
    assert data == {
        "kind": "data-manifest",
        "country": "NO",
        "consent": "off",
        "at": "1:30",
        "mode": "0755",
        "when": "2024-01-31",
    }


# ----------------------------------------------------------------------------- $ref


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("https://evil.example/schema.yaml", "remote or absolute references are never followed"),
        ("http://127.0.0.1:9/s.json?leak=1", "remote or absolute references are never followed"),
        ("file:///etc/passwd", "remote or absolute references are never followed"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("../../outside.yaml", "leaves the root folder"),
        ("missing.yaml#/X", "does not exist inside the root"),
        ("#/components/schemas/Nope", "points to nothing"),
    ],
)
def test_forbidden_or_broken_refs_are_findings_without_network(run, bid, ref, message):
    text = (bid / "openapi.yaml").read_text()
    marker = "components:\n"
    assert marker in text
    text = text.replace(marker, marker + f"  x-hostile:\n    Hostile:\n      $ref: '{ref}'\n", 1)
    (bid / "openapi.yaml").write_text(text)
    result = run("check", str(bid), "--format", "json")
    assert result.exit_code == 1
    refs = [f for f in result.json()["submissions"][0]["findings"] if f["rule"] == "ref"]
    assert len(refs) == 1 and message in refs[0]["message"], refs
    assert refs[0]["location"]["pointer"] == "/components/x-hostile/Hostile/$ref"
    assert refs[0]["location"]["line"] is not None


@pytest.mark.parametrize("index", ["\u00b2", "\u0661", "\uff10", "01"])
def test_a_ref_index_that_is_not_ascii_digits_points_to_nothing(run, bid, index):
    """``str.isdigit`` accepts ``²`` (then ``int`` fails: an internal error that left every
    exchange clause not-checked) and ``١`` (which ``int`` reads as 1)."""
    text = (bid / "openapi.yaml").read_text()
    marker = "components:\n"
    hostile = (
        "  x-hostile:\n    A: {allOf: [{type: object}, {type: string}]}\n"
        f"    B: {{$ref: '#/components/x-hostile/A/allOf/{index}'}}\n"
    )
    (bid / "openapi.yaml").write_text(text.replace(marker, marker + hostile, 1))
    result = run("check", str(bid), "--format", "json")
    assert result.exit_code == 1
    sub = result.json()["submissions"][0]
    assert not [f for f in sub["findings"] if "internal error" in f["message"]]
    refs = [f for f in sub["findings"] if f["rule"] == "ref"]
    assert [f["location"]["pointer"] for f in refs] == ["/components/x-hostile/B/$ref"]
    assert "points to nothing" in refs[0]["message"]
    exchange = [c for c in sub["clauses"] if c["standard"].startswith("ocp-api-exchange")]
    assert not [c for c in exchange if c["status"] == "not-checked"]


def test_a_long_ref_chain_is_followed_once_and_resolves(run, bid):
    """A chain of 3,000 ``$ref``s was followed again from every link (quadratic: 2,000 links
    took seconds, 10,000 overran the time budget). Timing is in bench/limits.py; here the
    chain resolves, nothing is reported against it, and the run ends well inside the guard."""
    text = (bid / "openapi.yaml").read_text()
    links = 3000
    chain = [f"    C{i}: {{$ref: '#/components/schemas/C{i + 1}'}}" for i in range(links)]
    chain.append(f"    C{links}: {{type: object}}")
    (bid / "openapi.yaml").write_text(text.replace("  schemas:\n", "  schemas:\n" + "\n".join(chain) + "\n", 1))
    start = time.monotonic()
    result = run("check", str(bid), "--format", "json", "--time-budget", "60")
    assert time.monotonic() - start < 60
    sub = result.json()["submissions"][0]
    assert not [f for f in sub["findings"] if f["rule"] in ("ref", "load")]
    assert result.exit_code == 0


def test_circular_component_schemas_are_fine_and_non_productive_cycles_are_reported(run, bid):
    text = (bid / "openapi.yaml").read_text()
    marker = "components:\n"
    productive = (
        "  x-loops:\n"
        "    Node:\n      type: object\n      properties:\n        children:\n          type: array\n"
        "          items: {$ref: '#/components/x-loops/Node'}\n"
        "    LoopA: {$ref: '#/components/x-loops/LoopB'}\n    LoopB: {$ref: '#/components/x-loops/LoopA'}\n"
    )
    (bid / "openapi.yaml").write_text(text.replace(marker, marker + productive, 1))
    start = time.monotonic()
    result = run("check", str(bid), "--format", "json")
    assert time.monotonic() - start < 60
    assert "Traceback" not in result.stderr
    refs = [f for f in result.json()["submissions"][0]["findings"] if f["rule"] == "ref"]
    assert sorted(f["location"]["pointer"] for f in refs) == [
        "/components/x-loops/LoopA/$ref",
        "/components/x-loops/LoopB/$ref",
    ]
    assert all("circular" in f["message"] for f in refs)


def test_symlinked_document_outside_the_root_is_skipped_and_never_read(run, bid, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n")
    os.symlink(secret, bid / "stolen.yaml")
    result = run("check", str(bid), "--format", "json")
    assert "hunter2" not in result.stdout
    notes = [f for f in result.json()["submissions"][0]["findings"] if f["rule"] == "scan"]
    assert notes and "outside the root" in notes[0]["message"]


def test_a_symlink_inside_the_root_counts_by_its_own_name_and_a_skipped_one_is_reported(run, bid):
    (bid / "real").mkdir()
    (bid / "openapi.yaml").rename(bid / "real" / "api.txt")
    os.symlink("real/api.txt", bid / "openapi.yaml")
    os.mkfifo(bid / "real" / "pipe")
    os.symlink("real/pipe", bid / "extra.yaml")
    result = run("check", str(bid), "--format", "json")
    sub = result.json()["submissions"][0]
    assert "openapi.yaml" in [d["path"] for d in sub["documents"]]
    assert not [f for f in sub["findings"] if f["rule"] == "submission"]
    notes = [(f["location"]["file"], f["message"]) for f in sub["findings"] if f["rule"] == "scan"]
    assert notes == [("extra.yaml", "not a regular file (FIFO, device or socket); not opened")]


def test_fifo_and_symlink_loop_do_not_hang(run, bid):
    os.mkfifo(bid / "pipe.yaml")
    os.symlink(".", bid / "loop")
    start = time.monotonic()
    result = run("check", str(bid), "--format", "json")
    assert time.monotonic() - start < 60
    notes = [f["message"] for f in result.json()["submissions"][0]["findings"] if f["rule"] == "scan"]
    assert any("not a regular file" in n for n in notes)


def test_unreadable_file_is_reported(run, bid, monkeypatch):
    # CI runs as root, where chmod 000 does not stop reads: inject the error instead.
    import ocp_check.reading as reading

    real_open = os.open

    def failing_open(path, flags, *args, **kwargs):
        if str(path).endswith("retention-policy.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(reading.os, "open", failing_open)
    result = run("check", str(bid), "--format", "json", "--jobs", "1")
    findings = result.json()["submissions"][0]["findings"]
    unreadable = [f for f in findings if f["rule"] == "load"]
    assert unreadable and "Permission denied" in unreadable[0]["message"]
    assert result.exit_code == 1


# ----------------------------------------------------------------------------- budgets


def test_a_runaway_file_is_stopped_by_the_time_budget_and_the_rest_is_checked(run, bid, monkeypatch):
    import ocp_check.workspace as workspace

    real = workspace.load_bytes

    def slow(raw, name, **kwargs):
        if name == "slow.yaml":
            time.sleep(60)
        return real(raw, name, **kwargs)

    monkeypatch.setattr(workspace, "load_bytes", slow)
    (bid / "slow.yaml").write_text("kind: data-manifest\n")
    start = time.monotonic()
    result = run("check", str(bid), "--time-budget", "2", "--format", "json", "--jobs", "1")
    assert time.monotonic() - start < 40
    sub = result.json()["submissions"][0]
    slow_findings = [f for f in sub["findings"] if f["location"]["file"] == "slow.yaml"]
    assert [f["rule"] for f in slow_findings] == ["load"]
    assert "time budget of 2 s" in slow_findings[0]["message"]
    assert any(d["path"] == "openapi.yaml" for d in sub["documents"])
    assert any(i["path"] == "slow.yaml" and len(i["sha256"]) == 64 for i in result.json()["inputs"])


@pytest.mark.skipif(os.name != "posix", reason="the memory budget is POSIX-only")
def test_a_file_that_needs_too_much_memory_is_reported(run, bid, monkeypatch):
    import ocp_check.workspace as workspace

    real = workspace.load_bytes

    def greedy(raw, name, **kwargs):
        if name == "fat.yaml":
            hoard = []
            while True:
                hoard.append(bytearray(64 * 1024 * 1024))
        return real(raw, name, **kwargs)

    monkeypatch.setattr(workspace, "load_bytes", greedy)
    (bid / "fat.yaml").write_text("kind: data-manifest\n")
    result = run("check", str(bid), "--memory-budget", "700", "--format", "json", "--jobs", "1")
    sub = result.json()["submissions"][0]
    fat = [f for f in sub["findings"] if f["location"]["file"] == "fat.yaml"]
    assert fat and "memory" in fat[0]["message"]
    assert result.exit_code == 1


def test_a_memory_budget_too_small_for_the_checker_itself_is_exit_2_not_a_loop(run, bid):
    """Setting every file aside cannot help when the worker fails anyway: stop, do not retry."""
    result = run("check", str(bid), "--memory-budget", "1", "--jobs", "1")
    assert result.exit_code == 2
    assert "failed before it could check any file" in result.stderr
    assert "--memory-budget" in result.stderr


# ----------------------------------------------------------------------------- output

HOSTILE = '<script>alert(1)</script> " \' & ]]> \x0b \x1b[2J \u202e [/] | x |\n# Approved [c](javascript:alert(1)) =HYPERLINK("x")'


def test_every_report_format_stays_well_formed_with_hostile_strings(run, bid, tmp_path):
    import re

    from ocp_check.render import RENDERERS

    text = (bid / "data-manifest.yaml").read_text()
    text = text.replace("kind: data-manifest", "kind: data-manifest\nhostile: " + json.dumps(HOSTILE), 1)
    # A hostile purpose reaches a finding's message, not only the source lines.
    assert "purposes: [dpv:ServiceProvision, " in text
    text = text.replace(
        "purposes: [dpv:ServiceProvision, ", "purposes: [" + json.dumps(HOSTILE[:60]) + ", ", 1
    )
    (bid / "data-manifest.yaml").write_text(text)
    evil = "evil <b>&'.yaml"
    (bid / evil).write_text("x: " + json.dumps(HOSTILE) + "\n")
    outputs = {}
    for name in RENDERERS:
        target = tmp_path / f"report.{name}"
        result = run("check", str(bid), "--format", f"{name}:{target}")
        assert result.exit_code == 1
        outputs[name] = target.read_text()
    assert set(outputs) >= {"json", "junit", "sarif", "html", "text", "markdown", "github", "oscal"}
    report = json.loads(outputs["json"])
    assert_valid_report(report)
    messages = [f["message"] for f in report["submissions"][0]["findings"]]
    assert any("<script>alert(1)</script>" in m for m in messages)  # the value reached a message

    junit = ET.fromstring(outputs["junit"])
    assert any("<script>" in (e.text or "") + " ".join(e.attrib.values()) for e in junit.iter())

    sarif = json.loads(outputs["sarif"])
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert any(u.endswith("/evil%20%3Cb%3E%26%27.yaml") for u in uris)
    assert not any(evil in u for u in uris)
    assert any("<script>" in r["message"]["text"] for r in sarif["runs"][0]["results"])

    html = outputs["html"]
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE)
    assert "\u202e" not in html

    assert "\x1b" not in outputs["text"] and "\u202e" not in outputs["text"]

    # Markdown: outside code spans, the only raw HTML is <details>/<summary>, and no link is live.
    markdown = re.sub(r"`[^`\n]*`", "", outputs["markdown"])
    assert set(re.findall(r"(?<!\\)</?([a-zA-Z]+)", markdown)) <= {"details", "summary"}
    assert "\\<script\\>" in markdown  # escaped, shown as text
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown)
    assert "\x1b" not in outputs["markdown"] and "\u202e" not in outputs["markdown"]

    # GitHub annotations: one command per line; a vendor's line break cannot start another.
    lines = outputs["github"].splitlines()
    assert lines[-1].startswith("ocp-check: nonconformant: ")  # the closing summary
    assert len(lines) > 1 and all(line.startswith("::") for line in lines[:-1]), lines
    assert any("%0A" in line for line in lines)

    # OSCAL: descriptions are Markdown (markup-multiline), escaped as in the Markdown report.
    flat = json.dumps(json.loads(outputs["oscal"]), ensure_ascii=False)
    assert "<script>" not in flat and "\u202e" not in flat
    assert json.dumps("\\<script\\>alert\\(1\\)")[1:-1] in flat


def test_report_file_is_never_partial(tmp_path, monkeypatch):
    from ocp_check import output

    target = tmp_path / "report.json"
    target.write_text("previous")

    class Boom(Exception):
        pass

    real_fsync = os.fsync

    def explode(fd):
        real_fsync(fd)
        raise Boom

    monkeypatch.setattr(output.os, "fsync", explode)
    with pytest.raises(Boom):
        output.write_output(target, "new content")
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


# ----------------------------------------------------------------------------- rule packs


@pytest.mark.parametrize(
    ("assertion", "message"),
    [
        ("{path: /name, pattern: '^(a)\\1$'}", "backreference"),
        ("{path: /name, frobnicate: true}", "exactly one check is needed"),
        ("{path: /name, in: {vocabulary: nope}}", "unknown vocabulary"),
        # a city's pack is checked in full, although the standard it extends is trusted
        ("{path: /name, schema: {type: 12}}", "invalid inline schema"),
    ],
)
def test_bad_local_rule_pack_is_exit_2_naming_file_line_and_rule(run, bid, tmp_path, assertion, message):
    pack = tmp_path / "local.yaml"
    pack.write_text(
        "rules:\n"
        "  - id: HV-1-local\n"
        "    clause: DG-1.2\n"
        "    applies_to: data-manifest\n"
        "    select: /system\n"
        f"    assert: {assertion}\n"
        "    message: bad {label}\n"
        "    fix: fix it\n"
    )
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "kind: profile\nid: p\ntitle: P\nrule_packs:\n  - {standard: ocp-data-governance, path: local.yaml}\n"
    )
    result = run("check", str(bid), "--profile", str(profile))
    assert result.exit_code == 2
    assert message in result.stderr and "HV-1-local" in result.stderr and "local.yaml:" in result.stderr


def test_bad_message_template_is_rejected(run, bid, tmp_path):
    pack = tmp_path / "local.yaml"
    pack.write_text(
        "rules:\n  - id: HV-2-local\n    clause: DG-1.2\n    applies_to: data-manifest\n    select: /system\n"
        "    assert: {path: /name, present: true}\n    message: 'bad {__class__}'\n    fix: fix it\n"
    )
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "kind: profile\nid: p\ntitle: P\nrule_packs:\n  - {standard: ocp-data-governance, path: local.yaml}\n"
    )
    result = run("check", str(bid), "--profile", str(profile))
    assert result.exit_code == 2 and "unknown placeholder {__class__}" in result.stderr


def test_an_unloadable_manifest_is_reported_as_unloadable_not_as_missing(run, bid):
    """The bid does hold its manifest: the load error says what is wrong, nothing claims it is absent."""
    manifest = bid / "data-manifest.yaml"
    manifest.write_text(manifest.read_text() + "kind: data-manifest\n")  # a duplicate key
    report = run("check", str(bid), "--format", "json").json()
    sub = report["submissions"][0]
    assert [f["rule"] for f in sub["findings"] if f["location"]["file"] == "data-manifest.yaml"] == ["load"]
    assert not [f for f in sub["findings"] if f["rule"] == "submission"]
    reasons = {c["reason"] for c in sub["clauses"] if c["status"] == "not-checked"}
    assert "the data manifest could not be loaded or is in an unsupported version" in reasons
    assert report["verdict"] == "nonconformant"
