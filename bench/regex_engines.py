"""Compare the regular-expression engines on the project's own patterns and inputs.

    python bench/regex_engines.py [--record] [--rounds N]

1. **Compile**: each engine compiles the 90 patterns of the shipped standards in a fresh
   process (a first compile, as in a real run); the median of ``--rounds`` processes.
2. **Match**: ``--record`` runs the real check (``--jobs 1``) over ``bench/out/manifests-1000``
   and the GitHub description (``../shared/corpus/openapi/large``) and records every
   ``search(text)`` the run makes; the calls are then replayed through each engine, timed,
   and their answers compared.  The recording is kept in ``bench/out/regex-calls.jsonl``.

Engines: ``old`` (``ocp_check/saferegex.py``, the lazily built DFA in Python), ``re2``
(``ocp_check/ecmaregex.py`` on google-re2), ``rust`` (the same translation on the Rust
``regex`` crate of jsonschema-rs).  Only the Python standard library and the project are used.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
CALLS = OUT / "regex-calls.jsonl"
INPUTS = [
    ["--each", str(OUT / "manifests-1000")],
    [
        "--standard",
        "ocp-api-exchange@1.0.0",
        str(REPO.parent / "shared/corpus/openapi/large/github-api.github.com.json"),
    ],
]
COMPILE = """
import json, sys, time
sys.path.insert(0, {repo!r}); sys.path.insert(0, {repo!r} + "/tests")
from regex_oracle import shipped_patterns
patterns = shipped_patterns()
engine = sys.argv[1]
if engine == "old":
    from ocp_check.saferegex import compile_safe
    make = compile_safe
else:
    from ocp_check.ecmaregex import SafePattern
    make = lambda p: SafePattern(p, engine=engine)
began = time.perf_counter()
for p in patterns:
    make(p)
print(json.dumps({{"seconds": time.perf_counter() - began, "patterns": len(patterns)}}))
"""
RECORD = """
import json, os, sys
from ocp_check import saferegex
path = sys.argv[1]
original = saferegex.SafePattern.search
def search(self, text):
    with open(f"{path}.{os.getpid()}", "a", encoding="utf-8") as out:
        out.write(json.dumps([self.source, text], ensure_ascii=False) + "\\n")
    return original(self, text)
saferegex.SafePattern.search = search
from ocp_check.entry import main
sys.argv = ["ocp-check", "check", "--jobs", "1", "--format", "json", "--output", os.devnull, *sys.argv[2:]]
main()
"""


def compile_times(rounds: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for engine in ("old", "re2", "rust"):
        runs = []
        for _ in range(rounds):
            done = subprocess.run(
                [sys.executable, "-c", COMPILE.format(repo=str(REPO)), engine],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            )
            runs.append(json.loads(done.stdout)["seconds"])
        out[engine] = {
            "median_ms": round(statistics.median(runs) * 1000, 2),
            "runs_ms": [round(r * 1000, 2) for r in runs],
        }
    return out


def record() -> None:
    for stale in OUT.glob("regex-calls.jsonl*"):
        stale.unlink()
    for args in INPUTS:
        subprocess.run([sys.executable, "-c", RECORD, str(CALLS), *args], cwd=REPO, check=False)
    with CALLS.open("w", encoding="utf-8") as out:
        for part in sorted(OUT.glob("regex-calls.jsonl.*")):
            out.write(part.read_text(encoding="utf-8"))
            part.unlink()


def match_times(rounds: int) -> dict[str, Any]:
    from ocp_check import saferegex
    from ocp_check.ecmaregex import SafePattern

    calls = [json.loads(line) for line in CALLS.read_text(encoding="utf-8").splitlines()]
    sources = sorted({source for source, _ in calls})
    compiled: dict[str, dict[str, Any]] = {
        "old": {s: saferegex.compile_safe(s) for s in sources},
        "re2": {s: SafePattern(s, engine="re2") for s in sources},
        "rust": {s: SafePattern(s, engine="rust") for s in sources},
    }
    answers: dict[str, list[bool]] = {}
    out: dict[str, Any] = {
        "calls": len(calls),
        "patterns": len(sources),
        "characters": sum(len(t) for _, t in calls),
    }
    for engine, table in compiled.items():
        pairs = [(table[source], text) for source, text in calls]
        runs = []
        for _ in range(rounds):
            began = time.perf_counter()
            result = [pattern.search(text) for pattern, text in pairs]
            runs.append(time.perf_counter() - began)
        answers[engine] = result
        median = statistics.median(runs)
        out[engine] = {
            "median_ms": round(median * 1000, 1),
            "per_call_us": round(median / len(calls) * 1e6, 2),
        }
    out["differences"] = {
        e: sum(a != b for a, b in zip(answers["old"], answers[e], strict=True)) for e in ("re2", "rust")
    }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--record", action="store_true", help="record the calls again")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.record or not CALLS.exists():
        record()
    result = {"compile": compile_times(args.rounds), "match": match_times(args.rounds)}
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
