"""Benchmark: trp-opt's formulations against each other and against HiGHS alone (issue 6).

    python tests/benchmarks/run.py [--quick] [--runs N] [--only NAME,...] [--formulations blocks,reference]
    python tests/benchmarks/run.py --value [--quick] [--runs N] [--only NAME,...]

Not part of the test run (pytest does not collect this folder). Every run is a
fresh Python process, so the peak memory reported is that run's own.

For each instance and formulation: read / build / solve / explain / write
seconds and end to end (read → write), peak memory (MB), worst endurance
(days), proven gap; medians over the runs. Then, per instance, the ratio
reference ÷ default (end to end), and the ratio of our end to end to a
standalone HiGHS solve (highspy reading the MPS that `--write-model` writes:
the reference model with its first-stage objective, same options: 1 thread,
the same seed, the same gap and time limit). The last line sums up:

    speedup_vs_reference=X.X overhead_vs_highs=Y.YY build_share=Z.ZZ

speedup: geometric mean over instances where both formulations found a plan; overhead:
the largest ratio over instances; build share: the largest build ÷ end to end
of the default formulation over instances.

Instances: the bundled workbook; medium (P=300, S=12, H=365, Y=5, time limit 600 s); large
(P=2,000, S=24, H=365, Y=8, time limit 120 s, gap 0.5%), generated with seed 1. "first stage s"
is the time to the primary stage's optimum (the worst case under maxmin), "every stage proven" says
whether the tie-breaks were proven too; the ratios are also given on the first stage alone.
--quick: two small generated instances, one run each (a check in about a minute).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 1


@dataclass(frozen=True)
class Instance:
    name: str
    size: tuple[int, int, int, int] | None  # projects, scenarios, days, years; None: the bundled workbook
    time_limit: float | None = None
    gap: float = 0.0
    formulations: tuple[str, ...] = ("blocks", "reference")


FULL = [
    Instance("bundled", None),
    # The weighted tie-break between 12 scenarios is a hard MIP: capped so that a run ends (the first
    # stage, the worst case, is proven well before; the table says whether every stage was).
    Instance("medium", (300, 12, 365, 5), time_limit=600.0),
    Instance("large", (2000, 24, 365, 8), time_limit=120.0, gap=0.005),
]
QUICK = [
    Instance("small", (12, 3, 30, 3)),
    Instance("quick", (40, 4, 60, 4)),
]


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


# ---- one run, in its own process ------------------------------------------------------------
def one_solve(path: Path, formulation: str, time_limit: float | None, gap: float) -> dict:
    from trp_opt.analysis.explanation import explain_plan
    from trp_opt.data.errors import SolverFailure
    from trp_opt.data.options import SolveOptions
    from trp_opt.io.validate import read_inputs
    from trp_opt.reports.plan import write_plan_workbook
    from trp_opt.solve.choose import choose_plan

    options = SolveOptions(time_limit=time_limit, gap=gap, formulation=formulation)
    started = time.perf_counter()
    inputs = read_inputs(path)
    read = time.perf_counter() - started
    try:
        chosen = choose_plan(inputs, options)
    except SolverFailure as failure:  # e.g. the reference on the large instance: no plan within the limit
        return {
            "read": read,
            "build": None,
            "solve": None,
            "explain": None,
            "write": None,
            "total": time.perf_counter() - started,
            "memory": peak_megabytes(),
            "worst": None,
            "gap": None,
            "proven": False,
            "first": None,
            "all_proven": False,
            "failed": str(failure),
        }
    mark = time.perf_counter()
    solution = explain_plan(inputs, chosen, options)
    explain = time.perf_counter() - mark
    mark = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        write_plan_workbook(solution, Path(folder) / "plan.xlsx")
    write = time.perf_counter() - mark
    total = time.perf_counter() - started
    return {
        "read": read,
        "build": chosen.build_seconds,
        "solve": chosen.solve_seconds,
        "explain": explain,
        "write": write,
        "total": total,
        "memory": peak_megabytes(),
        "worst": min(chosen.endurance.values()),
        "gap": chosen.gap,
        "proven": chosen.primary.proven_optimal,
        "first": chosen.primary.seconds,
        "all_proven": all(stage.proven_optimal for stage in chosen.stages) and not chosen.notes,
        "failed": None,
    }


def one_value(path: Path, value: bool) -> dict:
    """`trp-opt solve` as the analyst runs it (the default formulation), with or without the value of money,
    the limits, the unfunded projects and the price of the next day: each part's seconds and the whole."""
    from trp_opt.app.solve import solve_workbook
    from trp_opt.data.options import SolveOptions

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        solution = solve_workbook(path, Path(folder) / "plan.xlsx", SolveOptions(), value=value)
    return {**solution.timings, "total": time.perf_counter() - started}


def one_mps(path: Path, mps: Path) -> dict:
    from trp_opt.data.options import SolveOptions
    from trp_opt.io.validate import read_inputs
    from trp_opt.model.formulation import build_model
    from trp_opt.solve.reference import write_primary_model

    write_primary_model(build_model(read_inputs(path)), SolveOptions(write_model=mps))
    return {}


def one_highs(mps: Path, time_limit: float | None, gap: float) -> dict:
    import highspy

    from trp_opt.model.highs import RANDOM_SEED

    started = time.perf_counter()
    highs = highspy.Highs()
    for option, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", RANDOM_SEED),
        ("mip_rel_gap", gap),
        ("time_limit", time_limit if time_limit is not None else highspy.kHighsInf),
    ):
        highs.setOptionValue(option, value)
    highs.readModel(str(mps))
    highs.run()
    total = time.perf_counter() - started
    info = highs.getInfo()
    status = highs.modelStatusToString(highs.getModelStatus())
    objective, bound = info.objective_function_value, info.mip_dual_bound
    gap_found = abs(bound - objective) / max(abs(objective), 1e-9) if math.isfinite(bound) else None
    return {"total": total, "memory": peak_megabytes(), "worst": objective, "gap": gap_found, "status": status}


# ---- the driver ------------------------------------------------------------------------------
def child(*arguments: str) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def instance_path(instance: Instance, folder: Path) -> Path:
    if instance.size is None:
        from trp_opt.io.outputs import bundled_input

        return bundled_input()
    from trp_opt.io.generate import generate_workbook

    path = folder / f"{instance.name}.xlsx"
    if not path.exists():
        generate_workbook(path, *instance.size, seed=SEED)
    return path


def median_of(runs: list[dict]) -> dict:
    row = {}
    for key in runs[0]:
        values = [r[key] for r in runs]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            row[key] = statistics.median(values)
        elif all(v is None or isinstance(v, (int, float)) for v in values):
            known = [v for v in values if v is not None]
            row[key] = statistics.median(known) if known else None
        else:
            row[key] = values[0]
    return row


def fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="two small generated instances")
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per measure; the median is shown (default 3, --quick 1)"
    )
    parser.add_argument("--only", default="", help="comma-separated instance names")
    parser.add_argument(
        "--formulations",
        default="blocks,reference",
        help="comma-separated, of blocks (the default formulation), reference",
    )
    parser.add_argument("--no-highs", action="store_true", help="skip the standalone HiGHS runs")
    parser.add_argument("--folder", type=Path, default=None, help="where generated instances are kept")
    parser.add_argument(
        "--value",
        action="store_true",
        help="instead: `trp-opt solve` with and without --no-value (value of money, limits, unfunded projects, price of the next day)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, *rest = args.child
        limit = None if rest[-2] == "none" else float(rest[-2])
        gap = float(rest[-1])
        if kind == "solve":
            result = one_solve(Path(rest[0]), rest[1], limit, gap)
        elif kind == "value":
            result = one_value(Path(rest[0]), rest[1] == "yes")
        elif kind == "mps":
            result = one_mps(Path(rest[0]), Path(rest[1]))
        else:
            result = one_highs(Path(rest[0]), limit, gap)
        print(json.dumps(result))
        return

    instances = QUICK if args.quick else FULL
    args.runs = args.runs or (1 if args.quick else 3)
    if args.only:
        instances = [i for i in instances if i.name in args.only.split(",")]
    if args.value:
        value_table(instances, args)
        return
    wanted = args.formulations.split(",")
    folder = args.folder or Path(tempfile.mkdtemp(prefix="trp-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"# runs per measure: {args.runs} (median); instances kept in {folder}", flush=True)
    header = [
        "instance",
        "formulation",
        "read s",
        "build s",
        "solve s",
        "explain s",
        "write s",
        "total s",
        "first stage s",
        "peak MB",
        "worst days",
        "gap",
        "proven",
        "every stage proven",
    ]
    print(" | ".join(header), flush=True)
    summary: dict[str, dict[str, dict]] = {}
    for instance in instances:
        path = instance_path(instance, folder)
        limit = "none" if instance.time_limit is None else str(instance.time_limit)
        summary[instance.name] = {}
        for formulation in [f for f in wanted if f in instance.formulations]:
            runs = [child("solve", str(path), formulation, limit, str(instance.gap)) for _ in range(args.runs)]
            row = median_of(runs)
            summary[instance.name][formulation] = row
            print(
                " | ".join(
                    [instance.name, formulation]
                    + [fmt(row[k]) for k in ("read", "build", "solve", "explain", "write", "total", "first")]
                    + [
                        fmt(row["memory"], 0),
                        fmt(row["worst"]),
                        fmt(row["gap"], 4),
                        fmt(row["proven"]),
                        fmt(row["all_proven"]),
                    ]
                    + ([f"no plan: {row['failed']}"] if row["failed"] else [])
                ),
                flush=True,
            )
        if not args.no_highs:
            mps = folder / f"{instance.name}.mps"
            if not mps.exists():
                child("mps", str(path), str(mps), limit, str(instance.gap))
            runs = [child("highs", str(mps), limit, str(instance.gap)) for _ in range(args.runs)]
            row = median_of(runs)
            summary[instance.name]["highs"] = row
            print(
                " | ".join(
                    [
                        instance.name,
                        "highspy on MPS",
                        "-",
                        "-",
                        "-",
                        "-",
                        "-",
                        fmt(row["total"]),
                        "-",
                        fmt(row["memory"], 0),
                        fmt(row["worst"]),
                        fmt(row["gap"], 4),
                        row["status"],
                    ]
                ),
                flush=True,
            )

    print()
    print(
        "instance | reference ÷ default | reference ÷ default, first stage | default ÷ highspy on MPS | build share (default)"
    )
    speedups, overheads, shares = [], [], []
    for name, rows in summary.items():
        default = rows.get("blocks")
        reference = rows.get("reference")
        highs = rows.get("highs")
        # A run with no plan has no time to compare (it only shows the limit): its ratio is left out.
        compared = default and reference and not default["failed"] and not reference["failed"]
        speedup = reference["total"] / default["total"] if compared else None
        first = reference["first"] / default["first"] if compared and default["first"] else None
        overhead = default["total"] / highs["total"] if default and highs else None
        share = default["build"] / default["total"] if default else None
        for values, value in ((speedups, speedup), (overheads, overhead), (shares, share)):
            if value is not None:
                values.append(value)
        print(f"{name} | {fmt(speedup, 1)} | {fmt(first, 1)} | {fmt(overhead)} | {fmt(share)}")
    speedup = math.exp(statistics.mean(math.log(s) for s in speedups)) if speedups else float("nan")
    overhead = max(overheads) if overheads else float("nan")
    share = max(shares) if shares else float("nan")
    print(f"speedup_vs_reference={speedup:.1f} overhead_vs_highs={overhead:.2f} build_share={share:.2f}")


def value_table(instances: list[Instance], args) -> None:
    """Seconds of each part of `trp-opt solve` with the value sheets, against --no-value (issue 15's goal: at
    most 3 times). Medians over the runs; instances with a time limit (medium, large) are left out."""
    folder = args.folder or Path(tempfile.mkdtemp(prefix="trp-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    parts = ["solve", "value of money", "limits", "unfunded projects", "price of the next day"]
    print(" | ".join(["instance", *[f"{p} s" for p in parts], "total s", "--no-value total s", "ratio"]), flush=True)
    for instance in instances:
        if instance.time_limit is not None:
            continue
        path = instance_path(instance, folder)
        with_value = median_of([child("value", str(path), "yes", "none", "0") for _ in range(args.runs)])
        without = median_of([child("value", str(path), "no", "none", "0") for _ in range(args.runs)])
        ratio = with_value["total"] / without["total"]
        cells = [fmt(with_value.get(p)) for p in parts]
        print(" | ".join([instance.name, *cells, fmt(with_value["total"]), fmt(without["total"]), fmt(ratio, 1)]))


if __name__ == "__main__":
    main()
