#!/usr/bin/env python3
"""Draw bench/scaling.png from bench/results.json (run by run.py with the baselines venv).

bench/.venv-baselines/bin/python bench/plot.py bench/results.json bench/scaling.png
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

STYLE = {
    "ocp-check": ("tab:blue", "o"),
    "check-jsonschema": ("tab:red", "s"),
    "parse floor": ("tab:gray", "^"),
    "Spectral": ("tab:green", "D"),
    "Redocly": ("tab:orange", "v"),
}


def style(name: str) -> tuple[str, str, str]:
    for prefix, (colour, marker) in STYLE.items():
        if name.startswith(prefix):
            return colour, marker, "--" if "--jobs 2" in name else "-"
    return "black", "x", "-"


def main(src: str, dst: str) -> int:
    with open(src) as fh:
        res = json.load(fh)
    series = res.get("scaling", {}).get("series", {})
    panels = [
        ("file", None, "data manifests (files)", "time against N (--each)"),
        ("MB", "YAML", "generated OpenAPI, MB", "time against MB, YAML"),
        ("MB", "JSON", "generated OpenAPI, MB", "time against MB, JSON"),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(16, 5))
    for ax, (unit, fmt, xlabel, title) in zip(axes, panels, strict=True):
        for name, s in series.items():
            if s["unit"] != unit or (fmt and f" {fmt}," not in name):
                continue
            xs = [p[0] for p in s["points"]]
            ys = [p[1] for p in s["points"]]
            colour, marker, ls = style(name)
            label = name.split(",")[0] + (
                " --jobs 2" if "--jobs 2" in name else " --jobs 1" if "--jobs 1" in name else ""
            )
            ax.plot(xs, ys, marker=marker, linestyle=ls, color=colour, label=f"{label} (R² {s['r2']:.3f})")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("median wall time, s")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.suptitle("ocp-check benchmarks: cost against input size (whole process, medians)")
    fig.tight_layout()
    fig.savefig(dst, dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
