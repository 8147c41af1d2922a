#!/usr/bin/env python3
"""Time and memory of the hostile cases that once took quadratic work or unbounded memory.

    python3 bench/limits.py             # every case, a table, exit 1 if a limit is exceeded
    python3 bench/limits.py --only ref  # the cases whose id matches a regular expression

Each case is one fresh `ocp-check` process on an input generated into the git-ignored
`bench/out/limits/`, measured like `run.py` measures (GNU `/usr/bin/time -f "%e %M"` around the
whole process tree) plus the parent's own peak RSS (`getrusage(RUSAGE_SELF)` of the command's
first process, reported by a small wrapper around the real entry point: the workers' memory is
bounded by `--memory-budget`, the parent's is the one docs/SECURITY.md states a bound for).
The limits are generous on purpose: they catch a return of quadratic work or unbounded
reports, not a few per cent of drift on a shared machine. The unit tests check behaviour (right
results, counts that do not grow); timing lives here.

Cases (each fixed case of the hardening work, and the numbers before it, in `ANALYSIS.md`):
- `zeros-20000`, `zeros-50000`: a manifest whose `data_categories` is N zeros (40 KB and
  100 KB): every item fails 14 rules; the report lists the capped findings and counts the rest.
- `ref-chain-N`: an OpenAPI description with a chain of N `$ref`s (1,000 to 10,000 links).
- `versions-2x300`: 300 manifests judged against two versions of a standard at once.
- `compare-120`: the clause matrix of 120 bids, as CSV.
- `junit-28k`: a JUnit report of a document with 28,000 findings listed (caps raised).
Only the Python standard library is used here.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "limits"
EXAMPLE = ROOT / "standards" / "_examples" / "northwind-cmi"
TIME = shutil.which("time", path="/usr/bin:/bin") or ""

# Runs the real entry point and prints the parent's own peak RSS when it exits (the forked
# workers exit through multiprocessing, not through this hook).
WRAPPER = """
import os, resource, sys
parent, real_exit = os.getpid(), os._exit
def report(code):
    if os.getpid() == parent:
        sys.stderr.write(f"parent-maxrss-kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
        sys.stderr.flush()
    real_exit(code)
os._exit = report
sys.argv = ["ocp-check", *sys.argv[1:]]
from ocp_check.entry import main
main()
"""


@dataclass
class Case:
    id: str
    what: str
    args: list[str]
    seconds: float  # generous wall-clock limit for the whole command
    report_bytes: int | None = None  # largest acceptable report, when the case writes one
    parent_mb: float = 400.0  # largest acceptable peak RSS of the parent process
    codes: tuple[int, ...] = (0, 1)


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _zeros(count: int) -> Path:
    folder = OUT / f"zeros-{count}"
    if not folder.exists():
        folder.mkdir(parents=True)
        text = (EXAMPLE / "data-manifest.yaml").read_text()
        start = text.index("\ndata_categories:")
        end = re.search(r"\n[a-z_]+:", text[start + 2 :])
        assert end is not None
        rest = text[start + 2 + end.start() :]
        manifest = text[:start] + "\ndata_categories: [" + ",".join(["0"] * count) + "]" + rest
        (folder / "data-manifest.yaml").write_text(manifest)
    return folder


def _chain(links: int) -> Path:
    folder = OUT / f"ref-chain-{links}"
    if not folder.exists():
        shutil.copytree(EXAMPLE, folder)
        api = folder / "openapi.yaml"
        chain = [f"    C{i}: {{$ref: '#/components/schemas/C{i + 1}'}}" for i in range(links)]
        chain.append(f"    C{links}: {{type: object}}")
        api.write_text(api.read_text().replace("  schemas:\n", "  schemas:\n" + "\n".join(chain) + "\n", 1))
    return folder


def _manifests(count: int) -> Path:
    folder = OUT / f"manifests-{count}"
    if not folder.exists():
        folder.mkdir(parents=True)
        text = (EXAMPLE / "data-manifest.yaml").read_text()
        for index in range(count):
            (folder / f"m{index:04}.yaml").write_text(text)
    return folder


def _bids(count: int) -> Path:
    folder = OUT / f"bids-{count}"
    if not folder.exists():
        folder.mkdir(parents=True)
        for index in range(count):
            shutil.copytree(EXAMPLE, folder / f"bid-{index:03}")
    return folder


def cases() -> list[Case]:
    report = str(OUT / "report")
    out: list[Case] = []
    for count, seconds in ((20_000, 120.0), (50_000, 300.0)):
        out.append(
            Case(
                f"zeros-{count}",
                f"manifest with {count:,} zero data categories ({14 * count:,} findings), JSON report",
                ["check", str(_zeros(count)), "--format", f"json:{report}"],
                seconds,
                report_bytes=5_000_000,
                parent_mb=150.0,
            )
        )
    for links in (1_000, 2_000, 4_000, 10_000):
        out.append(
            Case(
                f"ref-chain-{links}",
                f"OpenAPI description with a {links:,}-link $ref chain",
                ["check", str(_chain(links)), "--format", f"json:{report}"],
                10.0,
                report_bytes=2_000_000,
            )
        )
    versions = ["-s", "ocp-data-governance@1.0", "-s", "ocp-data-governance@1.1"]
    out.append(
        Case(
            "versions-2x300",
            "300 manifests (--each) against two versions of ocp-data-governance",
            ["check", "--each", str(_manifests(300)), *versions, "--format", f"json:{report}"],
            120.0,
        )
    )
    out.append(
        Case(
            "compare-120",
            "clause matrix of 120 bids as CSV",
            ["compare", str(_bids(120)), "--format", f"csv:{report}"],
            180.0,
            codes=(0,),
        )
    )
    out.append(
        Case(
            "junit-28k",
            "JUnit report of a manifest with 28,000 findings listed (caps raised)",
            ["check", str(_zeros(2_000)), "--format", f"junit:{report}", "--max-findings-per-rule", "100000",
             "--max-findings-per-document", "100000"],
            120.0,
        )
    )
    return out


def measure(case: Case) -> dict[str, object]:
    (OUT / "report").unlink(missing_ok=True)
    argv = [_python(), "-c", WRAPPER, *case.args]
    if TIME:
        argv = [TIME, "-f", "time %e %M", *argv]
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    peak_tree = parent = None
    for line in proc.stderr.splitlines():
        if line.startswith("time "):
            peak_tree = int(line.split()[2]) / 1000
        elif line.startswith("parent-maxrss-kb "):
            parent = int(line.split()[1]) / 1000
    target = OUT / "report"
    size = target.stat().st_size if target.exists() else None
    problems = []
    if proc.returncode not in case.codes:
        problems.append(f"exit code {proc.returncode}: {proc.stderr.strip()[-300:]}")
    if wall > case.seconds:
        problems.append(f"took {wall:.1f} s, limit {case.seconds:g} s")
    if case.report_bytes is not None and (size is None or size > case.report_bytes):
        problems.append(f"report of {size} bytes, limit {case.report_bytes}")
    if parent is not None and parent > case.parent_mb:
        problems.append(f"parent peak {parent:.0f} MB, limit {case.parent_mb:g} MB")
    return {
        "id": case.id,
        "what": case.what,
        "command": "ocp-check " + " ".join(a.replace(str(ROOT) + "/", "") for a in case.args),
        "seconds": round(wall, 2),
        "limit_seconds": case.seconds,
        "peak_tree_mb": peak_tree,
        "parent_mb": parent,
        "report_bytes": size,
        "ok": not problems,
        "problems": problems,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only the cases whose id matches this regular expression")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    selected = [c for c in cases() if not args.only or re.search(args.only, c.id)]
    results = []
    print("| case | seconds (limit) | peak MB, tree | peak MB, parent | report bytes | |")
    print("|---|---:|---:|---:|---:|---|")
    for case in selected:
        row = measure(case)
        results.append(row)
        print(
            f"| {row['id']} | {row['seconds']} ({case.seconds:g}) | {row['peak_tree_mb'] or '—'} | "
            f"{row['parent_mb'] or '—'} | {row['report_bytes'] if row['report_bytes'] is not None else '—'} | "
            f"{'ok' if row['ok'] else '; '.join(row['problems'])} |",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps({"cases": results}, indent=2) + "\n")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
