"""The speed goals of the operations-engine issue, measured against another checkout in one run.

    python tests/benchmarks/engine.py BASE_CHECKOUT [--runs N] [--only NAME,...] [--medium]

BASE_CHECKOUT is a checkout of the commit to compare with (``git worktree add /tmp/base <commit>``); this tree's
code is the other side. Each row runs the same command with each tree's code (PYTHONPATH), in turn (this, base,
this, base, …), so that a machine whose speed drifts moves both alike; it prints the median wall seconds and the
median CPU seconds (user + system of the command and its workers: the steadier figure on a shared machine) of
each side, and their ratios (base ÷ this: above 1 is faster here). Not part of the test run.

Rows (the goals they are measured against):
- ``no-value``: bundled `solve --no-value` (goal: at most 5 s wall on two idle cores);
- ``full``: bundled `solve` with every explaining sheet (goal: at most 4× ``no-value``, 3× the aim);
- ``frontier``: bundled `frontier --steps 5` (goal: at least 3× faster than the commit before);
- ``compare``: `compare` of the bundled proposal (goal: at least 3× faster);
- ``medium`` (with --medium; minutes): the generated medium instance with `--time-limit 120`, and whether every
  stage was proven (goal: all three).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROPOSAL = ROOT / "inputs" / "legislature_proposal_example.xlsx"
MEDIUM = ["--projects", "300", "--scenarios", "12", "--days", "365", "--years", "5", "--seed", "1"]


def rows(folder: Path, medium: bool) -> dict[str, list[str]]:
    out = str(folder / "out.xlsx")
    found = {
        "no-value": ["solve", "--no-value", "--quiet", "-o", out],
        "full": ["solve", "--quiet", "-o", out],
        "frontier": ["frontier", "--steps", "5", "--quiet", "-o", out],
        "compare": ["compare", str(PROPOSAL), "--quiet", "-o", out],
    }
    if medium:
        found["medium"] = ["solve", str(folder / "medium.xlsx"), "--no-value", "--time-limit", "120", "-o", out]
    return found


def timed(code: Path, arguments: list[str], folder: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of one run of trp-opt with ``code`` on the path, and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "trp_opt.cli", *arguments],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(code)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        raise SystemExit(f"{code}: trp-opt {' '.join(arguments)} failed ({run.returncode}):\n{run.stdout}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, run.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="a checkout of the commit to compare with")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated row names")
    parser.add_argument("--medium", action="store_true", help="add the medium instance (minutes a run)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if args.medium:
            subprocess.run(
                [sys.executable, "-m", "trp_opt.cli", "generate", str(folder / "medium.xlsx"), *MEDIUM],
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                check=True,
                stdout=subprocess.DEVNULL,
            )
        chosen = {n: a for n, a in rows(folder, args.medium).items() if not args.only or n in args.only.split(",")}
        print(f"{'row':<10}{'wall here':>11}{'wall base':>11}{'ratio':>8}{'cpu here':>11}{'cpu base':>11}{'ratio':>8}")
        medians = {}
        for name, arguments in chosen.items():
            here, base = [], []
            for _ in range(args.runs):
                here.append(timed(ROOT, arguments, folder))
                base.append(timed(args.base.resolve(), arguments, folder))
            wall_here, wall_base = (statistics.median(r[0] for r in runs) for runs in (here, base))
            cpu_here, cpu_base = (statistics.median(r[1] for r in runs) for runs in (here, base))
            medians[name] = (wall_here, wall_base)
            print(
                f"{name:<10}{wall_here:>10.1f}s{wall_base:>10.1f}s{wall_base / wall_here:>8.2f}"
                f"{cpu_here:>10.1f}s{cpu_base:>10.1f}s{cpu_base / cpu_here:>8.2f}"
            )
            if name == "medium":
                proven = "NOT PROVEN OPTIMAL" not in here[-1][2]
                print(f"{'':<10}every stage proven here: {'yes' if proven else 'no'}")
        if "no-value" in medians and "full" in medians:
            (full_here, full_base), (bare_here, bare_base) = medians["full"], medians["no-value"]
            print(f"full ÷ no-value (wall): here {full_here / bare_here:.1f}×, base {full_base / bare_base:.1f}×")


if __name__ == "__main__":
    main()
