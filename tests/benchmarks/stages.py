"""Each stage's seconds (worst, weighted, cost) of the bundled workbook at several total budgets, here and in another
checkout, measured in one run.

    python tests/benchmarks/stages.py BASE_CHECKOUT [--budgets 100000,150000,200000] [--runs N]

BASE_CHECKOUT is a checkout of the commit to compare with (``git worktree add /tmp/base <commit>``). Each budget is
solved with `--no-value`'s stages alone (no explaining sheets, nothing written), by each tree's code in turn (this,
base, this, base, …). Printed per budget and stage: the median seconds HiGHS and the stage's questions took, here and
in the base, and their ratio (base ÷ here: above 1 is faster here; none for a stage answered by the one before);
then every stage's together, the CPU seconds of the whole solve (the steadier figure on a shared machine) and whether
both found the same optimum. Budgets below the bundled NT$ 200,000
million are where the frontier spends its time (a budget that binds makes the stage MIPs hard). Not part of the
test run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKBOOK = ROOT / "inputs" / "taiwan_baseline.xlsx"

# Run in a fresh interpreter with the tree's code on the path: the stages of one budget, as JSON.
ONE_SOLVE = """
import json, sys, time
from pathlib import Path
from trp_opt.app.solve import read_inputs
from trp_opt.data.options import SolveOptions
from trp_opt.data.transforms import with_budget
from trp_opt.solve.choose import choose_plan
inputs = with_budget(read_inputs(Path(sys.argv[1])), float(sys.argv[2]))
cpu = time.process_time()
chosen = choose_plan(inputs, SolveOptions())
print(json.dumps({
    "stages": {stage.name: [stage.objective, stage.seconds] for stage in chosen.stages},
    "cpu": time.process_time() - cpu,
}))
"""


def solved(code: Path, budget: float) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", ONE_SOLVE, str(WORKBOOK), str(budget)],
        # In the tree itself: `python -c` puts the working folder first on the path, before PYTHONPATH, so from
        # this checkout both columns ran this tree's code.
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if run.returncode != 0:
        raise SystemExit(f"{code}: the solve at NT$ {budget:,.0f} million failed:\n{run.stdout}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="a checkout of the commit to compare with")
    parser.add_argument("--budgets", default="100000,150000,200000", help="NT$ million, comma-separated")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    print(f"{'budget (NT$ M)':<16}{'stage':<20}{'here':>9}{'base':>9}{'ratio':>8}  optimum")
    for budget in (float(text) for text in args.budgets.split(",")):
        here, base = [], []
        for _ in range(args.runs):
            here.append(solved(ROOT, budget))
            base.append(solved(args.base.resolve(), budget))
        for stage in here[0]["stages"]:
            seconds_here = statistics.median(run["stages"][stage][1] for run in here)
            seconds_base = statistics.median(run["stages"][stage][1] for run in base)
            optimum_here, optimum_base = here[0]["stages"][stage][0], base[0]["stages"][stage][0]
            same = abs(optimum_here - optimum_base) <= 1e-6 * max(1.0, abs(optimum_base))
            # A stage answered by the one before (the cost in the weighted MIP) took no time of its own: no ratio.
            ratio = f"{seconds_base / seconds_here:>8.2f}" if seconds_here >= 0.05 else f"{'—':>8}"
            print(
                f"{budget:<16,.0f}{stage:<20}{seconds_here:>8.1f}s{seconds_base:>8.1f}s"
                f"{ratio}  {optimum_here:,.6g}{'' if same else ' (base: different)'}"
            )
        both_here, both_base = (
            statistics.median(sum(seconds for _, seconds in run["stages"].values()) for run in runs)
            for runs in (here, base)
        )
        print(f"{budget:<16,.0f}{'every stage':<20}{both_here:>8.1f}s{both_base:>8.1f}s{both_base / both_here:>8.2f}")
        cpu_here = statistics.median(run["cpu"] for run in here)
        cpu_base = statistics.median(run["cpu"] for run in base)
        print(f"{budget:<16,.0f}{'CPU, whole solve':<20}{cpu_here:>8.1f}s{cpu_base:>8.1f}s{cpu_base / cpu_here:>8.2f}")


if __name__ == "__main__":
    main()
