#!/usr/bin/env python3
"""Summarise a py-spy raw profile (`py-spy record --format raw`): share of samples per function.

    python3 bench/profile_summary.py profile.txt [N]

Self time is the innermost frame of each sample; inclusive time counts a function once per
sample that has it anywhere on the stack. Shares are of all samples of all processes.
"""

from __future__ import annotations

import collections
import sys


def main(path: str, top: int = 30) -> int:
    own: collections.Counter[str] = collections.Counter()
    incl: collections.Counter[str] = collections.Counter()
    total = 0
    with open(path) as fh:
        for line in fh:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
            total += n
            if frames:
                own[frames[-1]] += n
            for f in set(frames):
                incl[f] += n
    print(f"{total} samples")
    print("\nself time")
    for f, c in own.most_common(top):
        print(f"{100 * c / total:5.1f}%  {f}")
    print("\ninclusive time")
    for f, c in incl.most_common(top * 2):
        print(f"{100 * c / total:5.1f}%  {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 30))
