#!/usr/bin/env python3
"""Run the ocp-check benchmark suite with its baselines, in one command.

    python bench/run.py            # full run (about an hour on 2 cores; see README)
    python bench/run.py --quick    # smaller inputs, 3 runs each

Steps: generate the inputs if missing (bench/generate.py, deterministic), install the
baselines if missing (check-jsonschema + matplotlib + py-spy in bench/.venv-baselines;
Spectral and Redocly from npm in bench/.node), run every scenario — each command of a
scenario once per round, rounds rotating the order (alternating, paired runs), median of the
rounds — then compute the target ratios and write bench/results.json, bench/README.md and
bench/scaling.png.

Each run is one fresh process tree started from this harness: wall time (perf_counter around
fork/exec … wait4), CPU time (user + system of the tree, from wait4's rusage), the largest
single process's peak RSS (ru_maxrss, reported by GNU time wrapping the command) and the
peak summed PSS of the whole tree (sampled every 50 ms from /proc). Only the Python standard library is used here.

Results are merged into bench/results.json by scenario id, so `--only REGEX` re-runs part of
the suite and `--report` rewrites README.md and scaling.png from the stored results.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
LOGS = OUT / "logs"
BASE_VENV = BENCH / ".venv-baselines"
NODE = BENCH / ".node"
RESULTS = BENCH / "results.json"
README = BENCH / "README.md"
PLOT = BENCH / "scaling.png"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "openapi" / "large"
SPECTRAL_5 = SHARED / "bench" / "spectral-5-rules.yaml"
SPECTRAL_OCP = BENCH / "spectral-ocp-subset.yaml"
MANIFEST_SCHEMA = ROOT / "standards/ocp-data-governance/1.0.0/schemas/data-manifest.schema.json"
RETENTION_SCHEMA = ROOT / "standards/ocp-data-retention/1.0.0/schemas/retention-policy.schema.json"
REDOCLY_VERSION = "2.77.0"
REAL_SPECS = [
    ("github-13MB-json", "github-api.github.com.json", "GitHub REST API"),
    ("stripe-4MB-yaml", "stripe-spec3.yaml", "Stripe"),
    ("twilio-1.5MB-yaml", "twilio-api-v2010.yaml", "Twilio 2010"),
]

# The parse-only floor: a fresh process of the project's Python loading every file with
# libyaml's C loader (json for .json), nothing else. FLOOR_NOGC is the same with the cyclic
# garbage collector off (informational: what a loader can reach; the targets use FLOOR).
FLOOR = (
    "import sys, os, json, yaml\n"
    "def files(p):\n"
    "    if not os.path.isdir(p):\n"
    "        yield p; return\n"
    "    for d, ds, fs in os.walk(p):\n"
    "        ds.sort()\n"
    "        yield from (os.path.join(d, f) for f in sorted(fs) if f.endswith(('.yaml', '.yml', '.json')))\n"
    "for arg in sys.argv[1:]:\n"
    "    for f in files(arg):\n"
    "        with open(f, 'rb') as fh:\n"
    "            try:\n"
    "                json.load(fh) if f.endswith('.json') else yaml.load(fh, Loader=yaml.CSafeLoader)\n"
    "            except (ValueError, yaml.YAMLError):\n"
    "                pass\n"
)
FLOOR_NOGC = "import gc; gc.disable()\n" + FLOOR


# --- plumbing ---------------------------------------------------------------------------------


def log(msg: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def rel(p: Path | str) -> str:
    """Path relative to the repository root, without resolving symlinks (node_modules/.bin)."""
    return os.path.relpath(os.path.abspath(p), ROOT)


def find_ocp_check(explicit: str | None) -> Path:
    candidates = [
        explicit,
        os.environ.get("OCP_CHECK"),
        str(Path(sys.prefix) / "bin" / "ocp-check"),
        shutil.which("ocp-check"),
        str(ROOT / ".venv" / "bin" / "ocp-check"),
        str(ROOT.parent / "venv" / "bin" / "ocp-check"),
    ]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return Path(c)
    sys.exit("run.py: cannot find ocp-check; pass --ocp-check PATH (the project's venv)")


def script_python(script: Path) -> Path:
    """The interpreter of a console script (its shebang), so the floor uses the same Python."""
    first = script.read_bytes()[:200].split(b"\n", 1)[0]
    if first.startswith(b"#!"):
        interp = first[2:].decode().strip().split()[0]
        if Path(interp).is_file():
            return Path(interp)
    return Path(sys.executable)


def fingerprint() -> str:
    """SHA-256 over the checker's code and the standards: flags edits made during a run."""
    h = hashlib.sha256()
    for base in (ROOT / "ocp_check", ROOT / "standards"):
        for p in sorted(base.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(ROOT)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:12]


def capture(argv: list[str], env: dict[str, str] | None = None) -> str:
    try:
        r = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        return (r.stdout + r.stderr).strip()
    except (OSError, subprocess.SubprocessError) as err:
        return f"unavailable ({err})"


# --- measurement ------------------------------------------------------------------------------

PAGE = os.sysconf("SC_PAGE_SIZE")


# GNU time as the direct child: a process forked from this harness inherits the harness's
# resident pages, and Linux keeps that high-water mark in ru_maxrss across exec; a tiny
# wrapper forking the command makes its %M the command tree's own largest process.
TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def _pss(pid: int) -> int:
    """Proportional set size: pages shared by forked workers count once over the tree (RSS
    would count the parent's copy-on-write pages in every worker). RSS where PSS is absent."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(f"/proc/{pid}/statm") as fh:
        return int(fh.read().split()[1]) * PAGE


def tree_rss(pid: int, skip_root: bool) -> int:
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            if not (skip_root and p == pid):
                total += _pss(p)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


class Sampler(threading.Thread):
    def __init__(self, pid: int, skip_root: bool, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.skip_root, self.interval, self.peak = pid, skip_root, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, tree_rss(self.pid, self.skip_root))
            self.done.wait(self.interval)


@dataclass
class Cmd:
    key: str
    tool: str
    label: str
    argv: list[str]
    display: str
    env: dict[str, str] | None = None
    stdout: Path | None = None
    ok: tuple[int, ...] = (0, 1)
    output_file: Path | None = None  # a report the command writes itself (-o FILE)


def measure(cmd: Cmd, timeout: float, tag: str) -> dict[str, Any]:
    LOGS.mkdir(parents=True, exist_ok=True)
    err_path = LOGS / f"{tag}.{cmd.key}.stderr"
    out = open(cmd.stdout, "wb") if cmd.stdout else subprocess.DEVNULL  # noqa: SIM115
    err = open(err_path, "wb")  # noqa: SIM115
    env = dict(os.environ)
    env.update(cmd.env or {})
    ru_path = LOGS / f"{tag}.{cmd.key}.rusage"
    argv = [TIME, "-f", "%M %U %S", "-o", str(ru_path), *cmd.argv] if TIME else cmd.argv
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
    )
    sampler = Sampler(proc.pid, skip_root=bool(TIME))
    sampler.start()
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    _pid, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    timer.cancel()
    sampler.done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for fh in (out, err):
        if fh is not subprocess.DEVNULL:
            fh.close()
    rc = proc.returncode
    ok = rc in cmd.ok and not timed_out.is_set()
    maxrss, cpu = ru.ru_maxrss * 1024, ru.ru_utime + ru.ru_stime
    if TIME:
        try:
            fields = ru_path.read_text().strip().splitlines()[-1].split()
            maxrss, cpu = int(fields[0]) * 1024, float(fields[1]) + float(fields[2])
        except (OSError, IndexError, ValueError):
            pass
    run = {
        "wall": round(wall, 4),
        "cpu": round(cpu, 4),
        "max_process_rss": maxrss,
        "tree_rss": max(sampler.peak, maxrss),
        "rc": rc,
        "ok": ok,
    }
    if timed_out.is_set():
        run["error"] = f"timed out after {timeout:g} s"
    elif not ok:
        tail = err_path.read_text(errors="replace").strip().splitlines()[-3:]
        run["error"] = f"exit code {rc}: " + " | ".join(tail)
    return run


def output_summary(cmd: Cmd, tag: str) -> str:
    """A line from the tool's output that shows it did the work (counts of problems)."""
    if cmd.tool == "check-jsonschema" and cmd.stdout and Path(cmd.stdout).exists():
        errors = re.findall(r"^  (\S+?)::", Path(cmd.stdout).read_text(errors="replace"), re.M)
        return f"{len(errors):,} errors in {len(set(errors)):,} files" if errors else "no errors"
    texts = []
    for p in (cmd.stdout, cmd.output_file, LOGS / f"{tag}.{cmd.key}.stderr"):
        if p and Path(p).exists() and Path(p) != Path(os.devnull):
            with open(p, "rb") as fh:
                fh.seek(max(0, Path(p).stat().st_size - 20000))
                texts.append(fh.read().decode(errors="replace"))
    text = "\n".join(texts)
    pats = [
        r"✖ [0-9,]+ problems?[^\n]*",
        r"No results with a severity[^\n]*",
        r"Validation failed with [^\n]*",
        r"Woohoo! Your API description is valid[^\n]*",
        r"(?:✔|✘|✗)[^\n]*submissions? checked[^\n]*",
        r"[^\n]*submissions? checked[^\n]*",
        r"Schema validation errors were encountered\.",
        r"ok -- validation done",
    ]
    for pat in pats:
        found = re.findall(pat, text)
        if found:
            return found[-1].strip()[:200]
    return ""


# --- scenarios --------------------------------------------------------------------------------


#: The interpreter that starts a scenario's Dask LocalCluster (ocp-check's own).
CLUSTER_PYTHON: list[Path] = [Path(sys.executable)]


@dataclass
class Scenario:
    id: str
    group: str
    title: str
    inputs: dict[str, Any]
    commands: list[Cmd]
    warmup: int = 0
    runs_factor: int = 1
    quick: bool = False
    x: dict[str, float] = field(default_factory=dict)  # scaling coordinates (files, MB)
    # A Dask LocalCluster (scheduler port, worker processes) running for the whole scenario.
    cluster: tuple[int, int] | None = None


class Tools:
    def __init__(self, ocp: Path, py: Path) -> None:
        self.ocp, self.py = ocp, py
        self.cjs = BASE_VENV / "bin" / "check-jsonschema"
        self.spectral = NODE / "node_modules" / ".bin" / "spectral"
        self.redocly = NODE / "node_modules" / ".bin" / "redocly"
        self.missing: dict[str, str] = {}

    def have(self, tool: str) -> bool:
        return tool not in self.missing

    def has_distributed(self) -> bool:
        """Whether ocp-check's interpreter has the dask extra (the Dask scenario needs it)."""
        found = subprocess.run([str(self.py), "-c", "import distributed"], capture_output=True)
        if found.returncode == 0:
            CLUSTER_PYTHON[0] = self.py
            return True
        self.missing["dask"] = "distributed is not installed with ocp-check (pip install 'ocp-check[dask]')"
        return False

    # command builders
    def ocp_cmd(self, key: str, label: str, args: list[str], stdout: Path | None = None) -> Cmd:
        if args[:1] == ["check"] and "--cache-dir" not in args and "--no-cache" not in args:
            # The cold path: the result cache (on by default) would serve every run after the first.
            args = [*args, "--no-cache"]
        return Cmd(
            key,
            "ocp-check",
            label,
            [str(self.ocp), *args],
            "ocp-check " + " ".join(shlex.quote(a) for a in args),
            stdout=stdout,
        )

    def floor(self, paths: list[str], nogc: bool = False) -> Cmd:
        code = FLOOR_NOGC if nogc else FLOOR
        var = "$FLOOR_NOGC" if nogc else "$FLOOR"
        return Cmd(
            "floor-nogc" if nogc else "floor",
            "parse floor",
            "parse only, C loader, gc off" if nogc else "parse only, C loader",
            [str(self.py), "-c", code, *paths],
            f'$PY -c "{var}" ' + " ".join(paths),
            ok=(0,),
        )

    def cjs_cmd(self, schema: Path, files: list[str], glob_display: str, log_path: Path) -> Cmd:
        return Cmd(
            "check-jsonschema",
            "check-jsonschema",
            "schema only",
            [str(self.cjs), "--schemafile", rel(schema), *files],
            f"{rel(self.cjs)} --schemafile {rel(schema)} {glob_display}",
            stdout=log_path,
        )

    def spectral_cmd(self, key: str, label: str, spec: str, ruleset: Path, log_path: Path) -> Cmd:
        rs = rel(ruleset)
        return Cmd(
            key,
            "spectral",
            label,
            [str(self.spectral), "lint", spec, "--ruleset", rs],
            f"{rel(self.spectral)} lint {spec} --ruleset {rs}",
            stdout=log_path,
        )

    def redocly_cmd(self, spec: str, log_path: Path) -> Cmd:
        return Cmd(
            "redocly",
            "redocly",
            "lint (recommended rules)",
            [str(self.redocly), "lint", spec],
            f"REDOCLY_TELEMETRY=off {rel(self.redocly)} lint {spec}",
            env={"REDOCLY_TELEMETRY": "off"},
            stdout=log_path,
        )


def build_scenarios(t: Tools, inputs: dict[str, Any], quick: bool) -> list[Scenario]:
    S: list[Scenario] = []
    sets = inputs.get("sets", {})

    # start-up
    cmds = [
        t.ocp_cmd("ocp-version", "--version", ["--version"]),
        Cmd("python-pass", "python", "python -c pass", [str(t.py), "-c", "pass"], "$PY -c pass", ok=(0,)),
    ]
    if t.have("check-jsonschema"):
        cmds.append(
            Cmd(
                "cjs-version",
                "check-jsonschema",
                "--version",
                [str(t.cjs), "--version"],
                f"{rel(t.cjs)} --version",
                ok=(0,),
            )
        )
    if t.have("spectral"):
        cmds.append(
            Cmd(
                "spectral-version",
                "spectral",
                "--version",
                [str(t.spectral), "--version"],
                f"{rel(t.spectral)} --version",
                ok=(0,),
            )
        )
    if t.have("redocly"):
        cmds.append(
            Cmd(
                "redocly-version",
                "redocly",
                "--version",
                [str(t.redocly), "--version"],
                f"REDOCLY_TELEMETRY=off {rel(t.redocly)} --version",
                env={"REDOCLY_TELEMETRY": "off"},
                ok=(0,),
            )
        )
    S.append(
        Scenario(
            "startup", "startup", "Start-up (`--version`)", {}, cmds, warmup=1, runs_factor=3, quick=True
        )
    )

    # OpenAPI descriptions: real ones, then generated ones
    specs: list[tuple[str, Path, str, bool, dict[str, Any]]] = []
    for sid, fname, title in REAL_SPECS:
        p = CORPUS / fname
        if p.exists():
            specs.append(
                (
                    sid,
                    p,
                    f"{title} ({p.stat().st_size / 1e6:.1f} MB {p.suffix[1:].upper()}, real)",
                    True,
                    {"files": 1, "bytes": p.stat().st_size},
                )
            )
    for mb in (1, 5, 10):
        for fmt in ("yaml", "json"):
            name = f"openapi-generated-{mb}MB.{fmt}"
            p = OUT / name
            if p.exists() and name in sets:
                meta = sets[name]
                specs.append(
                    (
                        f"generated-{mb}MB-{fmt}",
                        p,
                        f"Generated, {meta['bytes'] / 1e6:.1f} MB {fmt.upper()}, {meta['operations']:,} operations",
                        mb in (1, 5),
                        meta,
                    )
                )
    for sid, path, title, in_quick, meta in specs:
        spec = rel(path)
        tag = f"openapi-{sid}"
        cmds = [
            t.ocp_cmd(
                "ocp-check",
                "full check (ocp-api-exchange)",
                [
                    "check",
                    spec,
                    "--standard",
                    "ocp-api-exchange@1.0.0",
                    "--format",
                    "json",
                ],
            )
        ]
        if t.have("spectral"):
            cmds.append(
                t.spectral_cmd("spectral-5", "5 rules", spec, SPECTRAL_5, LOGS / f"{tag}.spectral-5.out")
            )
            cmds.append(
                t.spectral_cmd(
                    "spectral-ocp",
                    "OCP subset (7 rules)",
                    spec,
                    SPECTRAL_OCP,
                    LOGS / f"{tag}.spectral-ocp.out",
                )
            )
        if t.have("redocly"):
            cmds.append(t.redocly_cmd(spec, LOGS / f"{tag}.redocly.out"))
        cmds += [t.floor([spec]), t.floor([spec], nogc=True)]
        sc = Scenario(tag, "openapi", title, meta, cmds, warmup=1, quick=in_quick)
        sc.x = {"mb": meta["bytes"] / 1e6, "real": 1.0 if "real" in title else 0.0}
        S.append(sc)

    # bid folders
    if "bids-100" in sets and (OUT / "bids-100").exists():
        d = rel(OUT / "bids-100")
        meta = sets["bids-100"]
        cmds = [
            t.ocp_cmd(
                "ocp-json-j1",
                "json, --jobs 1",
                ["check", d, "--format", "json", "--jobs", "1"],
            ),
            t.ocp_cmd(
                "ocp-json-j2",
                "json, --jobs 2",
                ["check", d, "--format", "json", "--jobs", "2"],
            ),
            t.floor([d]),
            t.floor([d], nogc=True),
        ]
        S.append(
            Scenario(
                "bids-100",
                "bids",
                f"100 bid folders ({meta['files']} documents, {meta['bytes'] / 1e6:.1f} MB)",
                meta,
                cmds,
                quick=True,
            )
        )

    # manifests and retention policies, one submission per file (--each)
    for kind, schema, sizes in (
        ("manifests", MANIFEST_SCHEMA, (100, 1000, 3000, 10000)),
        ("retention", RETENTION_SCHEMA, (1000, 10000)),
    ):
        for n in sizes:
            name = f"{kind}-{n}"
            if name not in sets or not (OUT / name).exists():
                continue
            d = rel(OUT / name)
            meta = sets[name]
            files = sorted(rel(p) for p in (OUT / name).glob("*.yaml"))
            text_out = LOGS / f"{name}.ocp-text.txt"
            # The whole matrix up to 3,000 files; at 10,000 (to keep a full run near an hour)
            # the text report is left out, and --jobs 1 is kept for manifests only
            # (it is the time-against-N series).
            cmds = []
            if kind == "manifests" or n < 10000:
                cmds.append(
                    t.ocp_cmd(
                        "ocp-json-j1",
                        "--each, json, --jobs 1",
                        ["check", "--each", d, "--format", "json", "--jobs", "1"],
                    )
                )
            cmds.append(
                t.ocp_cmd(
                    "ocp-json-j2",
                    "--each, json, --jobs 2",
                    ["check", "--each", d, "--format", "json", "--jobs", "2"],
                )
            )
            if n < 10000:
                cmds.append(
                    t.ocp_cmd(
                        "ocp-text-j2",
                        "--each, text to a file, --jobs 2",
                        ["check", "--each", d, "-o", rel(text_out), "--jobs", "2"],
                    )
                )
                cmds[-1].output_file = text_out
            if n <= 1000:
                cmds.append(
                    t.ocp_cmd(
                        "ocp-text-j1",
                        "--each, text to a file, --jobs 1",
                        ["check", "--each", d, "-o", rel(text_out), "--jobs", "1"],
                    )
                )
                cmds[-1].output_file = text_out
            if t.have("check-jsonschema"):
                cmds.append(t.cjs_cmd(schema, files, f"{d}/*.yaml", LOGS / f"{name}.check-jsonschema.out"))
            cmds += [t.floor([d]), t.floor([d], nogc=True)]
            what = "data manifests" if kind == "manifests" else "retention policies"
            sc = Scenario(
                name,
                kind,
                f"{n:,} {what} ({meta['bytes'] / 1e6:.1f} MB, {meta['invalid']:,} with mistakes, "
                f"{meta['unparseable']} unparseable)",
                meta,
                cmds,
                quick=(kind == "manifests" and n <= 1000) or (kind == "retention" and n == 1000),
            )
            sc.x = {"files": n, "mb": meta["bytes"] / 1e6}
            S.append(sc)
    # the result cache (cold: nothing kept; warm: every submission kept by the untimed warm-up
    # run) and shards (one job of two, and the merge of both parts)
    for n in (1000, 10000):
        name = f"manifests-{n}"
        if name not in sets or not (OUT / name).exists():
            continue
        d = rel(OUT / name)
        meta = sets[name]
        cache = rel(OUT / f"cache-{name}")
        parts = [rel(OUT / f"{name}.part-{i}-of-2.json") for i in (1, 2)]
        cmds = [
            t.ocp_cmd("ocp-cold", "--each, json, --jobs 2, cache off", ["check", "--each", d, "-f", "json", "-j", "2"]),
            t.ocp_cmd(
                "ocp-warm",
                "--each, json, --jobs 2, warm cache",
                ["check", "--each", d, "-f", "json", "-j", "2", "--cache-dir", cache],
            ),
            t.floor([d]),
        ]
        sc = Scenario(f"cache-{name}", "cache", f"{n:,} data manifests, result cache cold and warm", meta, cmds, warmup=1)
        sc.quick = n == 1000
        S.append(sc)
        cmds = [
            t.ocp_cmd("ocp-whole-j1", "--each, json, --jobs 1", ["check", "--each", d, "-f", "json", "-j", "1"]),
            *(
                t.ocp_cmd(
                    f"ocp-shard-{i}-of-2",
                    f"--each, --shard {i}/2, json to a file, --jobs 1",
                    ["check", "--each", d, "--shard", f"{i}/2", "-f", f"json:{parts[i - 1]}", "-j", "1"],
                )
                for i in (1, 2)
            ),
            t.ocp_cmd("ocp-merge", "merge of the two parts", ["merge", *parts]),
        ]
        sc = Scenario(f"shards-{name}", "shards", f"{n:,} data manifests in two shards, and their merge", meta, cmds, warmup=1)
        sc.quick = n == 1000
        S.append(sc)
    # a Dask LocalCluster of two worker processes against the local pool of two workers (only
    # when the interpreter ocp-check runs on has the dask extra)
    name = "manifests-3000"
    if name in sets and (OUT / name).exists() and t.has_distributed():
        d = rel(OUT / name)
        port = free_port()
        cmds = [
            t.ocp_cmd("ocp-j2", "--each, json, --jobs 2", ["check", "--each", d, "-f", "json", "-j", "2"]),
            t.ocp_cmd(
                "ocp-dask",
                "--each, json, --executor dask (LocalCluster, 2 worker processes)",
                ["check", "--each", d, "-f", "json", "--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"],
            ),
        ]
        sc = Scenario("dask-manifests-3000", "dask", "3,000 data manifests: a Dask LocalCluster of 2 workers vs --jobs 2",
                      sets[name], cmds, warmup=1, cluster=(port, 2))  # fmt: skip
        S.append(sc)
    if quick:
        S = [s for s in S if s.quick]
    return S


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def local_cluster(py: Path, port: int, workers: int) -> Any:
    """A dask.distributed LocalCluster in a process of its own for the scenario's duration
    (its start-up is not timed); closed, and its processes gone, when the scenario ends."""
    code = (
        "import sys, distributed\n"
        f"c = distributed.LocalCluster(n_workers={workers}, threads_per_worker=1, processes=True, "
        f"scheduler_port={port}, dashboard_address=None, silence_logs=50)\n"
        "print('ready', flush=True)\nsys.stdin.read()\nc.close()\n"
    )
    proc = subprocess.Popen([str(py), "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        if proc.stdout is None or proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the Dask LocalCluster did not start")
        yield
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_scenario(
    sc: Scenario, runs: int, long_threshold: float, long_runs: int, timeout: float
) -> dict[str, Any]:
    log(f"scenario {sc.id}: {len(sc.commands)} commands × {runs} runs")
    before = fingerprint()
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    results: dict[str, list[dict[str, Any]]] = {c.key: [] for c in sc.commands}
    with contextlib.ExitStack() as stack:
        if sc.cluster is not None:
            stack.enter_context(local_cluster(CLUSTER_PYTHON[0], *sc.cluster))
        target = _rounds(sc, runs, long_threshold, long_runs, timeout, results)
    return _summary(sc, runs, target, results, before, load_before, started)


def _rounds(
    sc: Scenario,
    runs: int,
    long_threshold: float,
    long_runs: int,
    timeout: float,
    results: dict[str, list[dict[str, Any]]],
) -> int:
    """Every command once per round, the order rotating; the number of rounds run."""
    for c in sc.commands:
        for _ in range(sc.warmup):
            measure(c, timeout, sc.id)
    target = runs
    r = 0
    while r < target:
        k = r % len(sc.commands)
        order = sc.commands[k:] + sc.commands[:k]
        for c in order:
            run = measure(c, timeout, sc.id)
            results[c.key].append(run)
            log(
                f"  {sc.id} round {r + 1}/{target} {c.key}: {run['wall']:.3f} s, "
                f"{run['tree_rss'] / 1e6:.0f} MB{'' if run['ok'] else '  FAILED: ' + run.get('error', '')}"
            )
        if r == 0:
            slowest = max(results[c.key][0]["wall"] for c in sc.commands)
            if slowest > long_threshold and target > long_runs:
                log(
                    f"  {sc.id}: slowest command took {slowest:.0f} s > {long_threshold:g} s: {long_runs} runs"
                )
                target = long_runs
        r += 1
    return target


def _summary(
    sc: Scenario,
    runs: int,
    target: int,
    results: dict[str, list[dict[str, Any]]],
    before: str,
    load_before: tuple[float, float, float],
    started: str,
) -> dict[str, Any]:
    after = fingerprint()
    out_cmds = []
    for c in sc.commands:
        runs_c = results[c.key]
        good = [x for x in runs_c if x["ok"]]
        entry: dict[str, Any] = {
            "key": c.key,
            "tool": c.tool,
            "label": c.label,
            "display": c.display,
            "runs": runs_c,
            "n": len(good),
        }
        if good:
            entry.update(
                median_wall=statistics.median(x["wall"] for x in good),
                min_wall=min(x["wall"] for x in good),
                max_wall=max(x["wall"] for x in good),
                median_cpu=statistics.median(x["cpu"] for x in good),
                peak_tree_rss=statistics.median(x["tree_rss"] for x in good),
                max_tree_rss=max(x["tree_rss"] for x in good),
                peak_process_rss=statistics.median(x["max_process_rss"] for x in good),
            )
        else:
            entry["error"] = runs_c[-1].get("error", "failed") if runs_c else "not run"
        entry["output"] = output_summary(c, sc.id)
        out_cmds.append(entry)
    return {
        "id": sc.id,
        "group": sc.group,
        "title": sc.title,
        "inputs": sc.inputs,
        "x": sc.x,
        "runs_requested": runs,
        "runs": target,
        "started": started,
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "loadavg": [round(v, 2) for v in (*load_before, *os.getloadavg())],
        "fingerprint": before,
        "fingerprint_after": after,
        "commands": out_cmds,
    }


# --- setup ------------------------------------------------------------------------------------


def ensure_inputs(py: Path, quick: bool) -> dict[str, Any]:
    argv = [str(py), str(BENCH / "generate.py")] + (["--quick"] if quick else [])
    log("inputs: " + " ".join(argv[1:]))
    subprocess.run(argv, cwd=ROOT, check=True)
    return json.loads((OUT / "inputs.json").read_text())


def ensure_baselines(t: Tools) -> None:
    py = BASE_VENV / "bin" / "python"
    need_py = (
        not py.exists()
        or not t.cjs.exists()
        or subprocess.run([str(py), "-c", "import matplotlib"], capture_output=True).returncode != 0
    )
    if need_py:
        log(f"baselines: venv {rel(BASE_VENV)} with check-jsonschema, matplotlib, py-spy")
        try:
            subprocess.run([sys.executable, "-m", "venv", str(BASE_VENV)], check=True)
            subprocess.run(
                [str(py), "-m", "pip", "install", "-q", "check-jsonschema", "matplotlib", "py-spy"],
                check=True,
            )
        except (OSError, subprocess.CalledProcessError) as err:
            log(f"baselines: pip install failed: {err}")
    if not t.cjs.exists():
        t.missing["check-jsonschema"] = "pip install check-jsonschema failed"
    if not (t.spectral.exists() and t.redocly.exists()):
        npm = shutil.which("npm")
        if npm:
            log(
                f"baselines: npm install --prefix {rel(NODE)} @stoplight/spectral-cli @redocly/cli@{REDOCLY_VERSION}"
            )
            subprocess.run(
                [
                    npm,
                    "install",
                    "--prefix",
                    str(NODE),
                    "--no-audit",
                    "--no-fund",
                    "@stoplight/spectral-cli",
                    f"@redocly/cli@{REDOCLY_VERSION}",
                ],
                check=False,
            )
    for tool, path in (("spectral", t.spectral), ("redocly", t.redocly)):
        if not path.exists():
            t.missing[tool] = "npm install failed or npm is missing"
    if not SPECTRAL_5.exists() and "spectral" not in t.missing:
        t.missing["spectral"] = f"{SPECTRAL_5} is missing"


def machine(t: Tools) -> dict[str, Any]:
    cpu = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    models = re.findall(r"^model name\s*:\s*(.*)$", cpu, re.M)
    mhz = re.findall(r"^cpu MHz\s*:\s*(.*)$", cpu, re.M)
    flags = re.findall(r"^flags\s*:\s*(.*)$", cpu, re.M)
    redocly_env = dict(os.environ, REDOCLY_TELEMETRY="off")
    return {
        "cpu_model": models[0] if models else platform.processor(),
        "cpus": os.cpu_count(),
        "cpu_mhz": mhz[0] if mhz else "",
        "hypervisor": bool(flags and "hypervisor" in flags[0].split()),
        "free_g": capture(["free", "-g"]),
        "kernel": platform.release(),
        "os": capture(["sh", "-c", '. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"']),
        "python": capture([str(t.py), "--version"]),
        "py": str(t.py),
        "ocp_check": str(t.ocp),
        "node": capture(["node", "--version"]),
        "versions": {
            "ocp-check": capture([str(t.ocp), "--version"]).splitlines()[0] if t.ocp.exists() else "",
            "check-jsonschema": capture([str(t.cjs), "--version"]) if t.have("check-jsonschema") else "",
            "spectral": capture([str(t.spectral), "--version"]) if t.have("spectral") else "",
            "redocly": (
                re.findall(
                    r"^\s*(\d+\.\d+\.\d+)\s*$", capture([str(t.redocly), "--version"], env=redocly_env), re.M
                )
                or [""]
            )[-1]
            if t.have("redocly")
            else "",
            "pyyaml": capture(
                [
                    str(t.py),
                    "-c",
                    "import yaml; print(yaml.__version__, 'libyaml' if yaml.__with_libyaml__ else 'no libyaml')",
                ]
            ),
        },
        "missing": t.missing,
    }


# --- analysis ---------------------------------------------------------------------------------


def cmd_of(res: dict[str, Any], sid: str, key: str) -> dict[str, Any] | None:
    sc = res["scenarios"].get(sid)
    if not sc:
        return None
    for c in sc["commands"]:
        if c["key"] == key and "median_wall" in c:
            return c
    return None


def ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    if not a or not b or not b["median_wall"]:
        return None
    return a["median_wall"] / b["median_wall"]


def targets(res: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    sc = res["scenarios"]
    man = [s for s in sc if s.startswith("manifests-")]
    big = max(man, key=lambda s: int(s.split("-")[1]), default=None)

    def add(name: str, measured: float | None, op: str, limit: float, how: str, fmt: str = "{:.2f}") -> None:
        met = (
            None
            if measured is None
            else (measured >= limit if op == ">=" else measured < limit if op == "<" else measured <= limit)
        )
        out.append(
            {
                "target": name,
                "measured": measured,
                "op": op,
                "limit": limit,
                "met": met,
                "how": how,
                "shown": "n/a" if measured is None else fmt.format(measured),
            }
        )

    if big:
        n = int(big.split("-")[1])
        suffix = "" if n == 10000 else f" (only N = {n:,} measured)"
        for key, jobs in (("ocp-json-j2", "--jobs 2"), ("ocp-json-j1", "--jobs 1")):
            ocp = cmd_of(res, big, key)
            cjs = cmd_of(res, big, "check-jsonschema")
            floor = cmd_of(res, big, "floor")
            r = ratio(cjs, ocp)
            add(
                f"10,000 manifests, full check ({jobs}) ≥ 12× faster than check-jsonschema (schema only){suffix}",
                r,
                ">=",
                12,
                "check-jsonschema time ÷ ocp-check time",
                "{:.2f}×",
            )
            r = ratio(ocp, floor)
            add(
                f"10,000 manifests, full check ({jobs}) ≤ 1.5× the single-process parse floor{suffix}",
                r,
                "<=",
                1.5,
                "ocp-check time ÷ parse-floor time",
                "{:.2f}×",
            )
    gh = "openapi-github-13MB-json"
    ocp = cmd_of(res, gh, "ocp-check")
    add(
        "GitHub 13 MB: at most 0.4× Redocly lint time",
        ratio(ocp, cmd_of(res, gh, "redocly")),
        "<=",
        0.4,
        "ocp-check time ÷ Redocly time",
        "{:.2f}×",
    )
    add(
        "GitHub 13 MB: under a third of Spectral (5 rules)",
        ratio(ocp, cmd_of(res, gh, "spectral-5")),
        "<",
        1 / 3,
        "ocp-check time ÷ Spectral time",
        "{:.2f}×",
    )
    add(
        "GitHub 13 MB: peak memory under 250 MiB",
        ocp["peak_tree_rss"] / 2**20 if ocp else None,
        "<",
        250,
        "peak memory of the process tree (summed PSS, at least the largest RSS), MiB (2²⁰ bytes)",
        "{:.1f} MiB",
    )
    st = "openapi-stripe-4MB-yaml"
    add(
        "Stripe 4.2 MB YAML within 1.3× of the parse floor",
        ratio(cmd_of(res, st, "ocp-check"), cmd_of(res, st, "floor")),
        "<=",
        1.3,
        "ocp-check time ÷ parse-floor time",
        "{:.2f}×",
    )
    g5 = "openapi-generated-5MB-yaml"
    if g5 in sc:
        add(
            "Generated 5 MB YAML within 1.3× of the parse floor (same target, generated input)",
            ratio(cmd_of(res, g5, "ocp-check"), cmd_of(res, g5, "floor")),
            "<=",
            1.3,
            "ocp-check time ÷ parse-floor time",
            "{:.2f}×",
        )
    for cache in sorted((sid for sid in sc if sid.startswith("cache-manifests-")), key=lambda i: int(i.split("-")[2])):
        n = int(cache.split("-")[2])
        add(
            f"{n:,} manifests again with a warm cache ≤ 0.3× the single-process parse floor",
            ratio(cmd_of(res, cache, "ocp-warm"), cmd_of(res, cache, "floor")),
            "<=",
            0.3,
            "warm-cache ocp-check time ÷ parse-floor time",
            "{:.2f}×",
        )
    dask = "dask-manifests-3000"
    if dask in sc:
        add(
            "3,000 manifests on a Dask LocalCluster of 2 workers within 1.3× of --jobs 2",
            ratio(cmd_of(res, dask, "ocp-dask"), cmd_of(res, dask, "ocp-j2")),
            "<=",
            1.3,
            "Dask time ÷ --jobs 2 time",
            "{:.2f}×",
        )
    v = cmd_of(res, "startup", "ocp-version")
    add(
        "`ocp-check --version` under 150 ms",
        v["median_wall"] * 1000 if v else None,
        "<",
        150,
        "median wall, ms",
        "{:.0f} ms",
    )
    lin = res.get("scaling", {})
    for name, series in lin.get("series", {}).items():
        if name.startswith("ocp-check") and series.get("growth") is not None:
            add(
                f"Linear cost: {name}",
                series["growth"],
                "<=",
                1.25,
                "marginal cost per unit of the largest step ÷ that of the previous step (1 = linear)",
                "{:.2f}",
            )
    return out


def scaling(res: dict[str, Any]) -> dict[str, Any]:
    sc = res["scenarios"]
    series: dict[str, Any] = {}

    def build(name: str, points: list[tuple[float, float]], unit: str) -> None:
        points = sorted(points)
        if len(points) < 2:
            return
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
        icpt = my - slope * mx
        ss_tot = sum((y - my) ** 2 for y in ys)
        r2 = 1 - sum((y - (icpt + slope * x)) ** 2 for x, y in points) / ss_tot if ss_tot else 1.0
        marg = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(len(points) - 1)]
        growth = marg[-1] / marg[-2] if len(marg) >= 2 and marg[-2] > 0 else None
        series[name] = {
            "unit": unit,
            "points": points,
            "slope": slope,
            "intercept": icpt,
            "r2": r2,
            "marginal": marg,
            "growth": growth,
        }

    for key, label in (
        ("ocp-json-j1", "ocp-check, manifests, --jobs 1, time vs files"),
        ("ocp-json-j2", "ocp-check, manifests, --jobs 2, time vs files"),
        ("check-jsonschema", "check-jsonschema, manifests, time vs files"),
        ("floor", "parse floor, manifests, time vs files"),
    ):
        pts = [
            (s["x"]["files"], c["median_wall"])
            for sid, s in sc.items()
            if s["group"] == "manifests"
            for c in s["commands"]
            if c["key"] == key and "median_wall" in c
        ]
        build(label, pts, "file")
    for fmt in ("yaml", "json"):
        for key, label in (
            ("ocp-check", f"ocp-check, generated {fmt.upper()}, time vs MB"),
            ("floor", f"parse floor, generated {fmt.upper()}, time vs MB"),
            ("spectral-5", f"Spectral 5 rules, generated {fmt.upper()}, time vs MB"),
            ("redocly", f"Redocly, generated {fmt.upper()}, time vs MB"),
        ):
            pts = [
                (s["x"]["mb"], c["median_wall"])
                for sid, s in sc.items()
                if s["group"] == "openapi" and sid.startswith("openapi-generated-") and sid.endswith(fmt)
                for c in s["commands"]
                if c["key"] == key and "median_wall" in c
            ]
            build(label, pts, "MB")
    return {"series": series}


# --- report -----------------------------------------------------------------------------------


def fmt_s(c: dict[str, Any] | None) -> str:
    if not c:
        return "—"
    if "median_wall" not in c:
        return "failed"
    v = c["median_wall"]
    return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s" if v < 100 else f"{v:.0f} s"


def fmt_mb(b: float) -> str:
    return f"{b / 1e6:.0f}"


README_HEAD = """# Benchmarks

Reproducible benchmarks of `ocp-check` against the tools a city or a vendor would otherwise
use, on the same inputs, in the same run. **Not part of CI.** Everything here is produced by
one command from the repository root:

```sh
python3 bench/run.py            # full run: every scenario, median of 5 runs (3 for commands over {long:g} s)
python3 bench/run.py --quick    # smaller inputs, 3 runs: a few tens of minutes
python3 bench/run.py --only 'manifests-10000'   # re-run some scenarios (regex on ids), merge into results.json
python3 bench/run.py --report   # rewrite this README and scaling.png from results.json
python3 bench/limits.py         # the hostile cases (caps, $ref chains …) against generous limits
```

`run.py` generates the inputs if they are missing (`bench/generate.py`, seeded and deterministic,
into the git-ignored `bench/out/`), installs the baselines if they are missing (a separate venv
`bench/.venv-baselines` with `check-jsonschema`, `matplotlib` and `py-spy`; `npm install --prefix
bench/.node @stoplight/spectral-cli @redocly/cli@{redocly}`), runs the scenarios and writes
`bench/results.json` (every run), this README and `bench/scaling.png`. It needs Python 3.10+, the
project's venv (it finds `ocp-check` in the running Python's venv, on `PATH`, in `.venv/`, or
takes `--ocp-check PATH`), Node.js with npm, and Linux (`/proc`, `wait4`).

**This file is generated by `bench/run.py`; edit the template in `run.py`, not the tables.**

## Method

- Every measurement is one **whole process** (a fresh process tree, start-up included), started
  by the harness under GNU `/usr/bin/time -f "%M %U %S"` and reaped with `wait4`: **wall** time
  (measured by the harness around the whole tree; `time` itself adds about a millisecond),
  **CPU** time (user + system of the command and its reaped children), and **peak memory** = the
  peak of the summed PSS of the command's process tree (proportional set size, so pages that
  forked workers share with their parent count once), sampled every 50 ms from
  `/proc/PID/smaps_rollup`, and never less than the largest single process's `ru_maxrss` (`%M`). (`time` is the wrapper because a
  child forked straight from the harness would inherit the harness's high-water RSS.) MB are 10⁶ bytes.
- **Alternating, paired runs**: in each round every command of a scenario runs once, and the
  order rotates from round to round, so drift in machine load hits all tools alike. Tables show
  the **median** of the rounds ({runs} by default; scenarios whose slowest command takes more than
  {long:g} s get {long_runs}; the *runs* column says how many). Spec scenarios and start-up get one
  untimed warm-up run per command. The machine was shared with other work (see the load averages),
  so ratios from one run are more meaningful than absolute times.
- The **parse-only floor** is a fresh process of the same Python as `ocp-check` loading every input
  file with libyaml's C loader (`yaml.CSafeLoader`; `json.load` for `.json`) and nothing else:
  `$PY -c "$FLOOR" PATHS`. The targets use it as defined; `floor (gc off)` is the same with
  `gc.disable()` (what a loader can reach; informational).
- `check-jsonschema` validates with the same JSON Schema the standard ships
  (`--schemafile standards/<id>/1.0.0/schemas/….schema.json`), **schema only**: no rules, no
  vocabularies. The harness expands the file list itself and runs **one invocation** with all
  files (10,000 paths fit in `ARG_MAX`); no chunking, no summing.
- **Spectral** runs with `../shared/bench/spectral-5-rules.yaml` (5 house rules) and with
  `bench/spectral-ocp-subset.yaml` (7 rules approximating part of ocp-api-exchange: https
  servers, security schemes and secure default, per-operation security with scopes,
  operationId, a schema for every 2xx body, `x-ocp-data-categories` on every operation).
  **Redocly** runs `redocly lint FILE` (its recommended rules) with `REDOCLY_TELEMETRY=off`.
- `ocp-check` runs the **full check**: schema + every rule + positions of findings + the report.
  Manifests and retention policies use `--each` (every file its own submission, as a portal of
  thousands of manifests needs; each is judged against its own standard, with every clause's
  status in the report). Up to 3,000 files every variant runs (json to standard output and text
  to a file, `--jobs 1` and `--jobs 2`); at 10,000 files the text variant is left out and
  `--jobs 1` is kept for manifests only (the time-against-N series), to keep a full run near
  an hour. An OpenAPI file alone is checked with `--standard ocp-api-exchange@1.0.0`
  (also reporting the missing manifest and retention policy). JSON reports go to standard
  output, which the harness opens on the null device itself, so the command never names a
  device node (runs recorded before this change wrote `-o /dev/null`, as their commands show);
  text reports go to a file.
- A fingerprint (SHA-256 of `ocp_check/` and `standards/`) is recorded before and after every
  scenario, because the code is edited while benchmarks run; a scenario whose fingerprint changed
  is flagged.

Generated inputs (`bench/generate.py`, seed {seed}), all derived from
`standards/_examples/northwind-cmi/` with realistic variation (12 cities, 12 vendors, 10 data
categories from trip records and Wi-Fi presence to air quality and 311 requests, different
purposes, legal bases, storage, retention periods), about 35 % of documents carrying 1–3
mistakes (schema errors, unknown or generic vocabulary terms, selling personal data, foreign
storage, minimum over maximum retention, prose durations …) and 1 % that do not parse:

| set | files | MB | with mistakes | unparseable | notes |
|---|---|---|---|---|---|
"""


def write_report(res: dict[str, Any]) -> None:
    m = res.get("machine", {})
    sc = res["scenarios"]
    meta = res.get("inputs", {})
    L: list[str] = [
        README_HEAD.rstrip("\n").format(
            runs=res.get("runs", 5),
            long=res.get("long_threshold", 300),
            long_runs=res.get("long_runs", 3),
            seed=meta.get("seed", ""),
            redocly=REDOCLY_VERSION,
        )
    ]
    for name, s in sorted(meta.get("sets", {}).items(), key=lambda kv: (kv[0].split("-")[0], kv[1]["bytes"])):
        notes = ""
        if "operations" in s:
            notes = f"{s['operations']:,} operations, {s['paths']:,} paths, {s['schemas']:,} schemas"
        elif "submissions" in s:
            notes = f"{s['submissions']} submissions: manifest, retention policy, OpenAPI, models/trip.yaml, README.md"
        L.append(
            f"| `{name}` | {s['files']:,} | {s['bytes'] / 1e6:.1f} | {s.get('invalid', '—')} | "
            f"{s.get('unparseable', '—')} | {notes} |"
        )
    L.append(
        "\nReal descriptions from `../shared/corpus/openapi/large/`: GitHub REST API (13 MB JSON), "
        "Stripe (4.2 MB YAML), Twilio 2010 (1.5 MB YAML).\n"
    )

    # machine
    L.append("## Machine\n")
    L.append(
        f"- CPU: {m.get('cpu_model', '?')}, {m.get('cpus', '?')} logical CPUs"
        f"{' (virtual machine)' if m.get('hypervisor') else ''}{', ' + m['cpu_mhz'] + ' MHz' if m.get('cpu_mhz') else ''}"
    )
    free = m.get("free_g", "").splitlines()
    if len(free) > 1:
        L.append("- Memory (`free -g`): " + " ".join(free[1].split()[1:2]) + " GiB total")
    L.append(f"- OS: {m.get('os', '')}, kernel {m.get('kernel', '')}")
    v = m.get("versions", {})
    L.append(
        f"- {m.get('python', '')} (`$PY` = `{m.get('py', '')}`), PyYAML {v.get('pyyaml', '')}; Node.js {m.get('node', '')}"
    )
    L.append(
        f"- {v.get('ocp-check', '')} (`{m.get('ocp_check', '')}`, editable); check-jsonschema "
        f"{v.get('check-jsonschema', '').split()[-1] if v.get('check-jsonschema') else 'n/a'}; "
        f"Spectral {v.get('spectral', 'n/a')}; Redocly CLI {v.get('redocly', 'n/a')}"
    )
    fps = sorted({s["fingerprint"] for s in sc.values()} | {s["fingerprint_after"] for s in sc.values()})
    starts = sorted(s["started"] for s in sc.values())
    ends = sorted(s["finished"] for s in sc.values())
    if starts:
        L.append(f"- Measured {starts[0]} … {ends[-1]}; code fingerprints seen: {', '.join(fps)}")
    L.append("\n```\n" + m.get("free_g", "") + "\n```\n")
    if m.get("missing"):
        L.append(
            "**Baselines not available in this run:** "
            + "; ".join(f"{k}: {v}" for k, v in m["missing"].items())
            + "\n"
        )
    L.append(
        "Not run: **vacuum** (its npm package downloads a binary at install time, which cannot run here); "
        "openapi-spec-validator (not requested).\n"
    )

    # targets
    L.append("## Targets\n")
    L.append("| target | measured | limit | met? | how |\n|---|---|---|---|---|")
    for t in res.get("targets", []):
        lim = t["limit"]
        lim_s = f"{t['op']} {lim:.2f}" if isinstance(lim, float) and lim < 1 else f"{t['op']} {lim:g}"
        met = "—" if t["met"] is None else ("**met**" if t["met"] else "**missed**")
        L.append(f"| {t['target']} | {t['shown']} | {lim_s} | {met} | {t['how']} |")
    L.append("")

    # the hand-written reading of the numbers (where the time goes, what stands in the way)
    analysis = BENCH / "ANALYSIS.md"
    if analysis.exists():
        L.append(analysis.read_text().rstrip("\n") + "\n")

    # tables per group
    def table(group: str, heading: str, intro: str = "") -> None:
        ids = [sid for sid, s in sc.items() if s["group"] == group]
        if not ids:
            return
        L.append(f"## {heading}\n")
        if intro:
            L.append(intro + "\n")
        for sid in sorted(ids, key=lambda i: (sc[i]["inputs"].get("bytes", 0), i)):
            s = sc[sid]
            floor = next((c for c in s["commands"] if c["key"] == "floor" and "median_wall" in c), None)
            ocp_ref = next(
                (c for c in s["commands"] if c["tool"] == "ocp-check" and "median_wall" in c), None
            )
            if sid == "startup":
                ocp_ref = None
            changed = (
                " ⚠ code changed during this scenario" if s["fingerprint"] != s["fingerprint_after"] else ""
            )
            L.append(f"### {s['title']}\n")
            L.append(
                f"`{sid}` · {s['runs']} runs · load average {s['loadavg'][0]:.2f} → {s['loadavg'][3]:.2f}"
                f" · code {s['fingerprint']}{changed}\n"
            )
            hdr = "| tool | variant | median wall | min–max | CPU | peak memory (tree) | × parse floor | ocp-check ÷ this | output |"
            L.append(hdr + "\n|---|---|---|---|---|---|---|---|---|")
            for c in s["commands"]:
                if "median_wall" not in c:
                    L.append(
                        f"| {c['tool']} | {c['label']} | failed | | | | | | {c.get('error', '')[:120]} |"
                    )
                    continue
                xf = (
                    f"{c['median_wall'] / floor['median_wall']:.2f}×"
                    if floor and floor["median_wall"]
                    else ""
                )
                xo = (
                    f"{ocp_ref['median_wall'] / c['median_wall']:.2f}"
                    if ocp_ref and c is not ocp_ref and c["tool"] != "ocp-check"
                    else ""
                )
                rng = f"{c['min_wall']:.2f}–{c['max_wall']:.2f} s"
                outp = c.get("output", "").replace("|", "\\|")
                L.append(
                    f"| {c['tool']} | {c['label']} | {fmt_s(c)} | {rng} | {c['median_cpu']:.2f} s | "
                    f"{fmt_mb(c['peak_tree_rss'])} MB | {xf} | {xo} | {outp} |"
                )
            L.append("\n<details><summary>commands</summary>\n\n```sh")
            for c in s["commands"]:
                L.append(c["display"])
            L.append("```\n</details>\n")

    table("startup", "Start-up")
    table(
        "manifests",
        "Data manifests (`--each`: one submission per file)",
        "`ocp-check ÷ this` compares the first ocp-check row (`--jobs 1`) with each baseline: below 1 means ocp-check is faster.",
    )
    table("retention", "Retention policies (`--each`)")
    table(
        "cache",
        "Result cache (`--each`, cold and warm)",
        "The warm run finds every submission kept by the untimed warm-up run; the cold run keeps nothing (`--no-cache`).",
    )
    table(
        "shards",
        "Shards and merge (`--shard I/N`, `ocp-check merge`)",
        "The two parts run one after the other here; on a CI matrix they run on two machines at once.",
    )
    table(
        "dask",
        "A Dask cluster (`--executor dask`)",
        "The LocalCluster is started before the scenario and is not timed; its workers are not children of the timed command, so its CPU column is the client's only.",
    )
    table("bids", "Bid folders (full submissions, cross-document checks)")
    table(
        "openapi",
        "OpenAPI descriptions",
        "`ocp-check ÷ this` below 1 means ocp-check is faster than that tool. Spectral and Redocly "
        "check fewer things (see Method); the floor only parses.",
    )

    # scaling
    ser = res.get("scaling", {}).get("series", {})
    if ser:
        L.append("## Scaling\n")
        L.append("![time against input size](scaling.png)\n")
        L.append(
            "Least-squares line through the medians; *marginal* is the cost of one more unit between "
            "consecutive sizes; *growth* is the last marginal ÷ the one before (≈ 1 linear, > 1 super-linear, "
            "< 1 fixed costs still amortising).\n"
        )
        L.append(
            "| series | points (size → median s) | slope | intercept | R² | marginal per unit | growth |\n|---|---|---|---|---|---|---|"
        )
        for name, s in ser.items():
            pts = ", ".join(f"{x:g} → {y:.2f}" for x, y in s["points"])
            marg = ", ".join(f"{v * (1000 if s['unit'] == 'file' else 1):.3g}" for v in s["marginal"])
            unit = "s per 1,000 files" if s["unit"] == "file" else "s per MB"
            slope = s["slope"] * (1000 if s["unit"] == "file" else 1)
            g = "—" if s["growth"] is None else f"{s['growth']:.2f}"
            L.append(
                f"| {name} | {pts} | {slope:.3g} {unit} | {s['intercept']:.2f} s | {s['r2']:.4f} | {marg} ({unit}) | {g} |"
            )
        L.append("")

    L.append("## Commands\n")
    L.append(
        "`$PY` is the project's Python (the interpreter of `ocp-check`); `$FLOOR` and `$FLOOR_NOGC` are:\n"
    )
    L.append("```python\n# FLOOR\n" + FLOOR + "```\n")
    L.append(
        "`$FLOOR_NOGC` is `import gc; gc.disable()` followed by `$FLOOR`. Every scenario above lists "
        "its exact commands, run from the repository root; the raw runs are in `bench/results.json`.\n"
    )
    L.append(
        "Profiling (not part of the timed runs): `bench/.venv-baselines/bin/py-spy record --subprocesses "
        "--format raw -o profile.txt -- $PY -m ocp_check check …`, summarised with "
        "`python3 bench/profile_summary.py profile.txt`.\n"
    )
    README.write_text("\n".join(L) + "\n")


def plot() -> None:
    py = BASE_VENV / "bin" / "python"
    if not py.exists():
        log("plot: no baselines venv, scaling.png not written")
        return
    r = subprocess.run([str(py), str(BENCH / "plot.py"), str(RESULTS), str(PLOT)], cwd=ROOT)
    if r.returncode:
        log("plot: failed")


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller inputs, 3 runs")
    ap.add_argument("--runs", type=int, help="runs per command (default 5, --quick 3)")
    ap.add_argument(
        "--long-threshold",
        type=float,
        default=300.0,
        help="seconds: if a scenario's slowest first run exceeds this, use --long-runs (default 300)",
    )
    ap.add_argument("--long-runs", type=int, default=3, help="runs for long scenarios (default 3)")
    ap.add_argument(
        "--timeout", type=float, default=3600.0, help="seconds before one run is killed (default 3600)"
    )
    ap.add_argument("--only", help="regex on scenario ids: run only these, merge into results.json")
    ap.add_argument("--fresh", action="store_true", help="discard previous results.json")
    ap.add_argument(
        "--report", action="store_true", help="only rewrite README.md and scaling.png from results.json"
    )
    ap.add_argument("--ocp-check", help="path of the ocp-check to benchmark")
    ap.add_argument("--list", action="store_true", help="list the scenario ids and exit")
    args = ap.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)

    prev: dict[str, Any] = {}
    if RESULTS.exists() and not args.fresh:
        prev = json.loads(RESULTS.read_text())
    if args.report:
        if not prev:
            sys.exit("run.py: no results.json yet")
        prev["scaling"] = scaling(prev)
        prev["targets"] = targets(prev)
        RESULTS.write_text(json.dumps(prev, indent=1, ensure_ascii=False) + "\n")
        write_report(prev)
        plot()
        return 0

    ocp = find_ocp_check(args.ocp_check)
    tools = Tools(ocp, script_python(ocp))
    inputs = ensure_inputs(tools.py, args.quick and not args.only)
    if not args.list:
        ensure_baselines(tools)
    scenarios = build_scenarios(tools, inputs, args.quick and not args.only)
    if args.only:
        scenarios = [s for s in scenarios if re.search(args.only, s.id)]
    if args.list:
        for s in scenarios:
            print(f"{s.id:32} {len(s.commands)} commands  {s.title}")
        return 0
    res: dict[str, Any] = {"scenarios": {}, **prev}
    res.update(
        machine=machine(tools),
        inputs=inputs,
        runs=runs,
        long_threshold=args.long_threshold,
        long_runs=args.long_runs,
    )
    res.setdefault("scenarios", {})
    for sc in scenarios:
        res["scenarios"][sc.id] = run_scenario(sc, runs, args.long_threshold, args.long_runs, args.timeout)
        res["scaling"] = scaling(res)
        res["targets"] = targets(res)
        RESULTS.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n")
        write_report(res)
    plot()
    for t in res["targets"]:
        met = "n/a" if t["met"] is None else ("met" if t["met"] else "MISSED")
        log(f"target: {t['target']}: {t['shown']} ({met})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
