"""Mutation testing of the modules that decide verdicts (slow: not part of CI).

    python tests/mutation/run.py                  # every module in modules.toml
    python tests/mutation/run.py waivers verify   # some of them
    python tests/mutation/run.py --jobs 1 checks  # fewer worker processes

For each module it copies the repository into ``.mutation/<module>/`` (so the working tree is
never touched), lets mutmut (3.x) make its mutants, runs each against the tests listed for the
module, and prints one line per module: mutants run, killed, survivors recorded as equivalent
in ``equivalent.toml``, and the others, whose diffs are written to
``.mutation/<module>/survivors.txt``. The exit code is 1 when any module is below the target
(90 % killed, equivalents set aside), 0 otherwise.

A survivor is either killed by a new test or recorded in ``equivalent.toml`` with the changed
line and a one-line reason; an entry whose changed line no longer matches its mutant (the code
moved on) is reported as stale and does not count.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
WORK = REPO / ".mutation"
TARGET = 0.90
COPIED = ("ocp_check", "tests", "standards", "examples", "docs", "README.md", "CHANGELOG.md", "LICENSE")
#: mutmut's exit codes per mutant (mutmut/stats.py): 1 and 3 mean a test failed.
KILLED = {1, 3, 36, 24, -24, 152, 255}  # a timeout is a detected mutant too
NOT_RUN = {None, 2}


@dataclass
class Module:
    name: str
    source: str
    tests: list[str]
    functions: list[str] = field(default_factory=list)
    sample: int | None = None


@dataclass
class Score:
    name: str
    total: int = 0
    killed: int = 0
    equivalent: list[str] = field(default_factory=list)
    survived: list[str] = field(default_factory=list)
    not_run: int = 0
    stale: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ratio(self) -> float:
        judged = self.total - len(self.equivalent)
        return 1.0 if judged <= 0 else self.killed / judged


def load_modules() -> dict[str, Module]:
    data = tomllib.loads((HERE / "modules.toml").read_text("utf-8"))
    return {name: Module(name=name, **spec) for name, spec in data["modules"].items()}


def load_equivalents() -> dict[str, tuple[str, str]]:
    """mutant name -> (changed line, reason)."""
    data = tomllib.loads((HERE / "equivalent.toml").read_text("utf-8"))
    if set(data) - {"equivalent"}:
        sys.exit(f"equivalent.toml: only [[equivalent]] tables, not {sorted(set(data) - {'equivalent'})}")
    return {e["mutant"]: (e["change"], e["reason"]) for e in data.get("equivalent", [])}


def _mutmut() -> str:
    exe = Path(sys.executable).with_name("mutmut")
    if not exe.exists():
        sys.exit("mutmut is not installed: pip install -e '.[mutation]'")
    return str(exe)


def prepare(module: Module) -> Path:
    """A fresh copy of the repository with mutmut configured for this module alone."""
    work = WORK / module.name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "artifacts", "*.pyc")
    for name in COPIED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=ignore, symlinks=True)
        elif src.exists():
            shutil.copy2(src, work / name)
    # Tests find the corpus at ../shared from the repository; mutants/ is one level down.
    shared = REPO.parent / "shared"
    if shared.is_dir():
        (work / "shared").symlink_to(shared)
    tests = [t for t in module.tests if (REPO / t.split("::")[0]).exists()]
    missing = sorted(set(module.tests) - set(tests))
    if missing:
        print(f"  {module.name}: not in this tree, left out: {', '.join(missing)}")
    config = {
        "source_paths": ["ocp_check"],
        "only_mutate": [module.source],
        "also_copy": [name for name in COPIED if name not in ("ocp_check", "tests")],
        "pytest_add_cli_args_test_selection": tests,
        "pytest_add_cli_args": ["-p", "no:cacheprovider"],
        "use_git_change_detection": False,
        # Each mutant runs in a process forked from one that has only collected the tests:
        # forking from the process that ran them (mutmut's default) would hand every mutant
        # the caches they filled (the calendar in durations.py, compiled rule packs) and so
        # never run the mutated code.
        "process_isolation": "forkserver",
    }
    text = (REPO / "pyproject.toml").read_text("utf-8")
    text += "\n[tool.mutmut]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in config.items())
    (work / "pyproject.toml").write_text(text, "utf-8")
    return work


def mutant_names(module: Module, work: Path, seed: int) -> list[str]:
    """The mutants mutmut will make for the module, filtered and sampled as configured."""
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from mutmut.mutation.file_mutation import mutate_file_contents\n"
        "from mutmut.utils.format_utils import get_mutant_name\n"
        "path = Path(sys.argv[1])\n"
        "names = mutate_file_contents(str(path), path.read_text()).mutant_names\n"
        "print(json.dumps([get_mutant_name(path, n) for n in names]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, module.source], cwd=work, check=True, capture_output=True, text=True
    ).stdout
    names: list[str] = json.loads(out)
    if module.functions:
        names = [
            n for n in names if any(fnmatch.fnmatchcase(n.rpartition(".")[2], g) for g in module.functions)
        ]
    if module.sample is not None and module.sample < len(names):
        names = sorted(random.Random(f"{seed}:{module.name}").sample(names, module.sample))
    return names


def diff_of(work: Path, name: str) -> str:
    return subprocess.run(
        [_mutmut(), "show", name], cwd=work, capture_output=True, text=True, check=False
    ).stdout.strip()


def changed_line(diff: str) -> str:
    added = [
        line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")
    ]
    return " | ".join(added)


def refresh(module: Module) -> tuple[Path, list[str]]:
    """The last run's copy with the current tests, and the mutants that survived there."""
    work = WORK / module.name
    meta_path = work / "mutants" / (module.source + ".meta")
    if not meta_path.exists():
        sys.exit(f"{module.name}: no earlier run in {work}; run without --again first")
    shutil.rmtree(work / "tests")
    shutil.copytree(REPO / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__", "artifacts"))
    (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)  # the tests changed
    results = json.loads(meta_path.read_text())["exit_code_by_key"]
    return work, [name for name, code in results.items() if code not in KILLED]


def run_module(
    module: Module, jobs: int, seed: int, equivalents: dict[str, tuple[str, str]], again: bool = False
) -> Score:
    started = time.monotonic()
    if again:
        work, survivors = refresh(module)
    else:
        work = prepare(module)
    names = mutant_names(module, work, seed)
    score = Score(module.name)
    if not names:
        print(f"  {module.name}: no mutants")
        return score
    sample = f" (a sample of {module.sample}, seed {seed})" if module.sample else ""
    print(f"  {module.name}: {len(names)} mutants{sample}, tests: {' '.join(module.tests)}", flush=True)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("CI", None)
    log = work / "mutmut.log"
    chosen = [n for n in names if n in survivors] if again else names
    with log.open("a" if again else "w") as handle:
        if chosen:
            done = subprocess.run(
                [_mutmut(), "run", "--max-children", str(jobs), *chosen],
                cwd=work,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                check=False,
            )
            if done.returncode != 0:
                sys.exit(f"mutmut failed for {module.name} (exit {done.returncode}): see {log}")
    meta_path = work / "mutants" / (module.source + ".meta")
    if not meta_path.exists():
        sys.exit(f"mutmut did not run for {module.name}: see {log}")
    results: dict[str, int | None] = json.loads(meta_path.read_text())["exit_code_by_key"]
    lines = []
    for name in names:
        code = results.get(name)
        score.total += 1
        if code in KILLED:
            score.killed += 1
            continue
        if code in NOT_RUN:
            score.not_run += 1
        diff = diff_of(work, name)
        change = changed_line(diff)
        if name in equivalents:
            if equivalents[name][0] == change:
                score.equivalent.append(name)
                continue
            score.stale.append(name)
        score.survived.append(name)
        lines.append(f"# {name} (exit {code})\n{diff}\n")
    (work / "survivors.txt").write_text("\n".join(lines), "utf-8")
    score.seconds = time.monotonic() - started
    return score


def main(argv: list[str] | None = None) -> int:
    modules = load_modules()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "modules", nargs="*", choices=[[], *modules], metavar="MODULE", help=", ".join(modules)
    )
    parser.add_argument("--jobs", "-j", type=int, default=2, help="mutmut worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=25, help="seed of the sample for sampled modules")
    parser.add_argument(
        "--sample", type=int, help="run at most N mutants per module (a seeded sample), for a quick estimate"
    )
    parser.add_argument("--json", type=Path, help="also write the scores to this file")
    parser.add_argument(
        "--again",
        action="store_true",
        help="re-run only the last run's survivors against the current tests (after adding tests)",
    )
    args = parser.parse_args(argv)
    equivalents = load_equivalents()
    chosen = args.modules or list(modules)
    scores = []
    for name in chosen:
        module = modules[name]
        if args.sample is not None:
            module.sample = args.sample if module.sample is None else min(module.sample, args.sample)
        scores.append(run_module(module, args.jobs, args.seed, equivalents, args.again))
    print(f"\n{'module':<15}{'mutants':>8}{'killed':>8}{'equiv.':>8}{'survived':>9}{'score':>8}  time")
    failed = False
    for s in scores:
        ok = s.ratio >= TARGET and not s.stale and not s.not_run
        failed |= not ok
        print(
            f"{s.name:<15}{s.total:>8}{s.killed:>8}{len(s.equivalent):>8}{len(s.survived):>9}"
            f"{s.ratio:>8.1%}  {s.seconds:.0f}s{'' if ok else '  below target'}"
        )
        for name in s.stale:
            print(f"    stale entry in equivalent.toml: {name}")
        if s.not_run:
            print(f"    {s.not_run} mutants were not run (interrupted?)")
        if s.survived:
            print(f"    survivors: {WORK / s.name / 'survivors.txt'}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    s.name: {
                        "mutants": s.total,
                        "killed": s.killed,
                        "equivalent": len(s.equivalent),
                        "survived": s.survived,
                        "score": round(s.ratio, 4),
                    }
                    for s in scores
                },
                indent=2,
            )
            + "\n"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
