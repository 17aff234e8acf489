"""Analyst studies: many solves of one workbook, run through an executor (trp_opt.executor).

- frontier: the optimum at each of several total budgets; where the plan changes;
- alternatives: plans within P% of the best worst-case endurance that differ
  from each other as much as possible (modelling to generate alternatives);
- stress: a plan held fixed while uncertain inputs vary (trp_opt.ranges);
  optionally re-optimised per draw.

Every solve is a task: a module-level function and a picklable dataclass, so
that a process pool or a Dask cluster can run it. Results come back in task
order, and random draws are made here from a generator seeded by (seed,
sample index), so the numbers never depend on which worker ran what.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from trp_opt import block_runner, blocks
from trp_opt.errors import InputError, Infeasible, InvalidInputs, SolverFailure
from trp_opt.executor import Executor, Progress
from trp_opt.inputs import Inputs
from trp_opt.pipeline import with_budget
from trp_opt.ranges import Range, apply
from trp_opt.solve import Reachable, SolveOptions, choose_plan, fixed_plan_endurance

Plan = dict[tuple[str, int], int]
PERCENTILES = (10, 50, 90)


# ---- tasks (run in workers) -----------------------------------------------------------------
@dataclass(frozen=True)
class Optimum:
    """What one optimisation found; plain data so that it pickles across processes."""

    plan: Plan
    endurance: dict[str, int]  # days per scenario
    feasible: bool = True
    proven: bool = True
    note: str = ""
    reachable: Reachable | None = None  # what the solve proved reachable: a start for larger budgets

    @property
    def worst(self) -> int | None:
        return min(self.endurance.values()) if self.feasible and self.endurance else None


@dataclass(frozen=True)
class OptimiseTask:
    inputs: Inputs
    options: SolveOptions
    worst_bounds: tuple[int, int] | None = None  # days: the best worst case is known to lie here
    known: Reachable | None = None  # reachable levels, from a smaller budget's solve


def optimise(task: OptimiseTask) -> Optimum:
    """The best plan for the inputs; an infeasible instance is a result, not an error."""
    try:
        chosen = choose_plan(task.inputs, task.options, worst_bounds=task.worst_bounds, known=task.known)
    except Infeasible as problem:
        return Optimum({}, {}, feasible=False, proven=True, note=problem.summary)
    return Optimum(dict(chosen.plan), dict(chosen.endurance), proven=chosen.primary.proven_optimal,
                   note="; ".join(chosen.notes), reachable=chosen.reachable)


@dataclass(frozen=True)
class FixedPlanTask:
    inputs: Inputs
    plan: Plan
    ranges: tuple[Range, ...] = ()
    values: tuple[float, ...] = ()
    threads: int = 1


def operations_only(inputs: Inputs) -> Inputs:
    """The inputs without budget rules: with the plan fixed they decide nothing, and a plan read
    back from a workbook (a proposal) may not fit this workbook's budget."""
    most = sum(p.max_units * p.unit_cost for p in inputs.projects.values()) + 1.0
    return dataclasses.replace(inputs, policy=(), year_budgets={y: most for y in inputs.years})


def fixed_endurance(task: FixedPlanTask) -> dict[str, int]:
    """Endurance per scenario (days) of the plan under the inputs with the ranges set to ``values``."""
    inputs = apply(task.inputs, task.ranges, task.values) if task.ranges else task.inputs
    return fixed_plan_endurance(operations_only(inputs), task.plan, SolveOptions(threads=task.threads))


@dataclass(frozen=True)
class ReoptimiseTask:
    inputs: Inputs
    options: SolveOptions
    ranges: tuple[Range, ...]
    values: tuple[float, ...]


def reoptimise(task: ReoptimiseTask) -> Optimum:
    return optimise(OptimiseTask(apply(task.inputs, task.ranges, task.values), task.options))


def _one(executor: Executor, function, task, progress: Progress | None):
    return executor.map(function, [task], progress)[0]


# ---- frontier -----------------------------------------------------------------------------------
@dataclass
class FrontierResult:
    budgets: list[float]  # money, in the workbook's currency
    optima: list[Optimum]
    turning_points: list[dict]  # from, to (money), entering, leaving, changed: [(project, units before, after)]
    seconds: float = 0.0


def units_by_project(plan: Plan) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (project_id, _), units in plan.items():
        totals[project_id] = totals.get(project_id, 0) + units
    return {p: u for p, u in totals.items() if u > 0}


def frontier(
    inputs: Inputs,
    low: float,
    high: float,
    steps: int,
    executor: Executor,
    options: SolveOptions = SolveOptions(),
    progress: Progress | None = None,
) -> FrontierResult:
    """The optimum at ``steps`` total budgets evenly spaced from low to high (both included).

    Warm start, in two waves so that the result never depends on the executor: the even levels
    (and the last) are solved first, in parallel; then each odd level, knowing that its best
    worst case lies between those of its neighbours (a plan that fits a budget fits a larger one,
    with yearly budgets scaled alike), searches only there, stepping up from what the level
    below proved reachable."""
    if steps < 2 or not 0 <= low < high:
        raise ValueError(f"the frontier needs 0 ≤ --from < --to and --steps ≥ 2 (got {low:g}, {high:g}, {steps})")
    started = time.perf_counter()
    budgets = [low + (high - low) * i / (steps - 1) for i in range(steps)]
    first = [i for i in range(steps) if i % 2 == 0 or i == steps - 1]
    second = [i for i in range(steps) if i not in first]
    optima: list[Optimum | None] = [None] * steps

    def report(offset: int):
        return None if progress is None else (lambda done, _: progress(offset + done, steps))

    solved = executor.map(optimise, [OptimiseTask(with_budget(inputs, budgets[i]), options) for i in first], report(0))
    for i, optimum in zip(first, solved):
        optima[i] = optimum
    tasks = []
    for i in second:
        below, above = optima[i - 1], optima[i + 1]
        bounds = None
        if options.objective == "maxmin" and below.feasible and above.feasible and below.proven and above.proven:
            bounds = (below.worst, above.worst)
        tasks.append(OptimiseTask(with_budget(inputs, budgets[i]), options, bounds,
                                  below.reachable if below.feasible else None))
    for i, optimum in zip(second, executor.map(optimise, tasks, report(len(first)))):
        optima[i] = optimum
    return FrontierResult(budgets, optima, turning_points(budgets, optima), time.perf_counter() - started)


def turning_points(budgets: Sequence[float], optima: Sequence[Optimum]) -> list[dict]:
    """Consecutive budget levels between which the funded projects (or their units) change."""
    points = []
    for index in range(1, len(budgets)):
        before, after = optima[index - 1], optima[index]
        if not (before.feasible and after.feasible):
            continue
        old, new = units_by_project(before.plan), units_by_project(after.plan)
        if old == new:
            continue
        changed = [(p, old.get(p, 0), new.get(p, 0)) for p in sorted(set(old) | set(new)) if old.get(p, 0) != new.get(p, 0)]
        points.append({
            "from": budgets[index - 1],
            "to": budgets[index],
            "entering": [p for p, a, b in changed if a == 0],
            "leaving": [p for p, a, b in changed if b == 0],
            "changed": changed,
            "worst_before": before.worst,
            "worst_after": after.worst,
        })
    return points


# ---- alternatives -------------------------------------------------------------------------------
@dataclass
class AlternativesResult:
    best_worst: int  # days
    floor_days: int  # days every alternative reaches in every scenario
    within: float  # percent
    plans: list[Plan]  # the optimum first
    endurance: list[dict[str, int]]  # days per scenario, per plan
    distance: list[int]  # changed units against the nearest earlier plan (0 for the optimum)
    stopped: str = ""  # why fewer than asked were found
    seconds: float = 0.0
    asked: int = 0  # plans asked for, the optimum included

    def funded_in(self) -> dict[str, list[int]]:
        """Units of each project (all start years) in each plan."""
        projects = sorted({p for plan in self.plans for p in units_by_project(plan)})
        return {p: [units_by_project(plan).get(p, 0) for plan in self.plans] for p in projects}

    @property
    def must_fund(self) -> list[str]:
        return [p for p, units in self.funded_in().items() if all(u > 0 for u in units)]

    @property
    def swappable(self) -> list[str]:
        return [p for p, units in self.funded_in().items() if any(u == 0 for u in units)]


def changed_units(a: Plan, b: Plan) -> int:
    """Units that differ between two plans, project by project (all start years together)."""
    a, b = units_by_project(a), units_by_project(b)
    return sum(abs(a.get(key, 0) - b.get(key, 0)) for key in set(a) | set(b))


def alternatives(
    inputs: Inputs,
    count: int,
    within: float,
    executor: Executor,
    options: SolveOptions = SolveOptions(),
    progress: Callable[[str], None] = lambda _: None,
    step: Progress | None = None,
    search_seconds: float | None = None,
) -> AlternativesResult:
    """Up to ``count`` plans (the optimum included), each keeping every scenario's endurance at least
    ⌈(1 − within/100) × best worst-case⌉ days, each as far as possible (in changed units) from the
    nearest plan found before it: maximise the smallest distance to the earlier plans.
    ``search_seconds`` bounds each search; a search cut short keeps the most different plan found
    by then (still within tolerance and new), which may differ between runs."""
    if count < 1 or not 0 <= within < 100:
        raise ValueError(f"--count must be ≥ 1 and --within from 0 to below 100 % (got {count}, {within:g})")
    started = time.perf_counter()
    progress("Finding the optimum")
    best = _one(executor, optimise, OptimiseTask(inputs, options), None)
    if not best.feasible:
        raise Infeasible(best.note, [])
    best_worst = best.worst
    # Rounded up to a whole day, so that no alternative falls more than `within` % below the best.
    floor_days = math.ceil((1 - within / 100) * best_worst - 1e-9)
    plans: list[Plan] = [best.plan]
    stopped = ""
    if count > 1:
        progress(f"Searching for {count - 1} alternative(s)")
        task = SearchTask(inputs, floor_days, count, best.plan, options, search_seconds)
        plans, stopped, unproven = _one(executor, search_alternatives, task, None)
        if unproven:
            stopped = (stopped + "; " if stopped else "") + (
                f"the search for alternative(s) {', '.join(map(str, unproven))} was stopped by the time limit: "
                "each is new and within tolerance, but perhaps not the most different")
    progress("Checking the endurance of every plan")
    endurance = executor.map(fixed_endurance, [FixedPlanTask(inputs, plan, threads=options.threads) for plan in plans], step)
    distance = [0] + [min(changed_units(plans[k], plans[j]) for j in range(k)) for k in range(1, len(plans))]
    return AlternativesResult(best_worst, floor_days, within, plans, endurance, distance, stopped,
                              time.perf_counter() - started, count)


@dataclass(frozen=True)
class SearchTask:
    inputs: Inputs
    floor_days: int
    count: int
    optimum: Plan
    options: SolveOptions
    seconds: float | None = None


def search_alternatives(task: SearchTask) -> tuple[list[Plan], str, list[int]]:
    """The optimum and the alternatives found after it; why the search stopped early; searches cut short.

    One task, because each plan depends on those before it; run by the executor all the same,
    so that Ctrl-C stops it at once and a Dask cluster does the work."""
    return _search(task.inputs, task.floor_days, task.count, [dict(task.optimum)], task.options, task.seconds)


def _search(inputs: Inputs, floor_days: int, count: int, plans: list[Plan], options: SolveOptions,
            seconds: float | None) -> tuple[list[Plan], str, list[int]]:
    """Modelling to generate alternatives on the block model: each new plan maximises D, the smallest
    number of changed units (per project) against every plan so far, with D ≥ 1 (so every plan is new),
    while every scenario meets its requirements on days 1..floor_days (later days are not asked for)."""
    runner = block_runner.BlockRunner(inputs, dataclasses.replace(options, time_limit=seconds))
    levels = {s: min(floor_days, scenario.horizon) for s, scenario in inputs.scenarios.items()}
    # Distance is counted on each project's units over all start years: a plan that only moves
    # the same units to another year is not what an analyst would call an alternative.
    keys = list(inputs.projects)
    top = {p: inputs.projects[p].max_units for p in keys}
    columns = {p: [column for (q, _), column in runner.invest.build.items() if q == p] for p in keys}
    first = blocks.InvestmentRows(runner.invest)
    distance = first.column(0.0, float(sum(top.values())))
    first.row([(distance, 1.0)], lower=1.0)  # new_plan
    runner.invest = first.added()
    runner.objectives["distance"] = ({distance: 1.0}, True)
    unproven: list[int] = []
    for round_ in range(count - 1):
        earlier = units_by_project(plans[round_])
        rows = blocks.InvestmentRows(runner.invest)
        terms: list[tuple[int, float]] = [(distance, -1.0)]
        constant = 0.0  # distance_r: Σ |x_p − a_p| − D ≥ 0, the constant part of the sum moved right
        for key in keys:
            x, a, u = columns[key], earlier.get(key, 0), top[key]
            if a == 0:  # |x − 0| = x
                terms += [(column, 1.0) for column in x]
            elif a == u:  # |x − top| = top − x
                constant += u
                terms += [(column, -1.0) for column in x]
            else:  # d = |x − a| through a binary side z: d ≤ x − a + 2u(1 − z), d ≤ a − x + 2u z
                d, z = rows.column(0.0, float(u)), rows.column(0.0, 1.0, integer=True)
                rows.row([(d, 1.0), (z, 2.0 * u)] + [(column, -1.0) for column in x], upper=2.0 * u - a)
                rows.row([(d, 1.0), (z, -2.0 * u)] + [(column, 1.0) for column in x], upper=float(a))
                terms.append((d, 1.0))
        rows.row(terms, lower=-constant)
        runner.invest = rows.added()
        # Each search has the time limit to itself.
        runner.started, runner.timed_out = time.perf_counter(), False
        outcome = runner.optimise("distance", levels, levels)
        if outcome.status == "infeasible":
            return plans, f"no further plan differs from those found while keeping {floor_days} days", unproven
        if not outcome.has_plan:
            if outcome.status == "time limit":
                return plans, f"the search for alternative {round_ + 1} found no plan within {seconds:g} s", unproven
            raise SolverFailure(f"the search for alternative {round_ + 1} stopped without a plan: {outcome.status}")
        if not outcome.proven:
            unproven.append(round_ + 1)
        plans.append(runner.plan())
    return plans, "", unproven


# ---- stress -------------------------------------------------------------------------------------
BUNDLED_STRESS_NAME = "taiwan_stress.xlsx"  # the bundled Taiwan workbook with ranges (inputs/build_taiwan_stress.py)


def bundled_stress_input() -> Path:
    """The bundled Taiwan workbook with ranges: in the source tree, or inside the installed wheel."""
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / "inputs" / BUNDLED_STRESS_NAME, package / "bundled_inputs" / BUNDLED_STRESS_NAME):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"the bundled workbook {BUNDLED_STRESS_NAME} is missing from this installation")


@dataclass
class StressResult:
    plan: Plan
    plan_source: str
    ranges: list[Range]
    seed: int
    draws: list[tuple[float, ...]]  # per sample, one value per range
    likely: dict[str, int]  # days per scenario, every input at its likely value
    samples: list[dict[str, int]]  # days per scenario, per sample, plan fixed
    tornado: list[tuple[Range, dict[str, int], dict[str, int]]]  # range, days at low, days at high
    reoptimised: list[Optimum] | None = None
    seconds: float = 0.0
    scenario_ids: list[str] = field(default_factory=list)

    def percentiles(self, per_sample: list[dict[str, int]]) -> dict[str, tuple[float, ...]]:
        """P10, P50, P90 (days) per scenario and for the worst case ('worst')."""
        table = {}
        for s in [*self.scenario_ids, "worst"]:
            values = [min(d.values()) if s == "worst" else d[s] for d in per_sample]
            table[s] = tuple(float(v) for v in np.percentile(values, PERCENTILES))
        return table

    @property
    def reoptimised_endurance(self) -> list[dict[str, int]] | None:
        return None if self.reoptimised is None else [o.endurance for o in self.reoptimised]

    def ranked_tornado(self) -> list[tuple[Range, dict[str, int], dict[str, int], int, int, str]]:
        """Each uncertain input with days at its low and high ends: ranked by the swing of the worst case
        (days), then by the largest swing of any one scenario (days; that scenario named), so that inputs
        that move a scenario other than the worst one still rank above those that move nothing."""
        rows = []
        for item, low, high in self.tornado:
            worst_swing = abs(min(high.values()) - min(low.values()))
            scenario = max(self.scenario_ids, key=lambda s: (abs(high[s] - low[s]), -self.scenario_ids.index(s)))
            rows.append((item, low, high, worst_swing, abs(high[scenario] - low[scenario]), scenario))
        return sorted(rows, key=lambda row: (-row[3], -row[4], row[0].cell))


def draw(ranges: Sequence[Range], seed: int, sample: int) -> tuple[float, ...]:
    """One sample of every range, triangular (low, likely, high), from a generator seeded by (seed, sample)."""
    generator = np.random.default_rng([seed, sample])
    values = []
    for item in ranges:
        value = float(generator.triangular(item.low, item.likely, item.high)) if item.high > item.low else item.likely
        values.append(value)
    return tuple(values)


def read_plan(path: Path, inputs: Inputs) -> Plan:
    """A plan from an output workbook's Allocation sheet (Project ID, Units, Start year), checked against the inputs."""
    from openpyxl import load_workbook

    from trp_opt.workbook import check_file

    problem = check_file(Path(path))
    if problem is not None:
        raise InvalidInputs([problem])
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if "Allocation" not in book.sheetnames:
            raise InvalidInputs([InputError("Allocation", "", f"{Path(path).name} has no Allocation sheet",
                                            expected="a plan workbook written by trp-opt solve")])
        rows = list(book["Allocation"].iter_rows(values_only=True))
    finally:
        book.close()
    header = [str(v).split("(")[0].strip().lower() if v is not None else "" for v in (rows[0] if rows else ())]
    try:
        col_project, col_units, col_start = header.index("project id"), header.index("units"), header.index("start year")
    except ValueError:
        raise InvalidInputs([InputError("Allocation", "A1", "the headers Project ID, Units and Start year are needed",
                                        expected="a plan workbook written by trp-opt solve")]) from None
    plan: Plan = {}
    errors = []
    for number, row in enumerate(rows[1:], start=2):
        project_id = row[col_project] if len(row) > col_project else None
        if project_id is None or str(project_id).strip() == "" or str(project_id).startswith("("):
            break  # the project rows end at the first blank row (totals follow)
        project_id = str(project_id).strip()
        units, start = row[col_units], row[col_start]
        letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        if project_id not in inputs.projects:
            errors.append(InputError("Allocation", f"{letter[col_project]}{number}", "unknown project", project_id,
                                     "a Project ID of the input workbook"))
            continue
        if not isinstance(units, (int, float)) or units < 0 or float(units) != int(units):
            errors.append(InputError("Allocation", f"{letter[col_units]}{number}", "not a whole number of units", str(units),
                                     "a whole number ≥ 0"))
            continue
        if start not in inputs.start_years(inputs.projects[project_id]):
            allowed = ", ".join(map(str, inputs.start_years(inputs.projects[project_id])))
            errors.append(InputError("Allocation", f"{letter[col_start]}{number}", "not a start year this project allows",
                                     str(start), f"one of {allowed}"))
            continue
        key = (project_id, int(start))
        plan[key] = plan.get(key, 0) + int(units)
    if errors:
        raise InvalidInputs(errors)
    return {k: v for k, v in plan.items() if v > 0}


def stress(
    inputs: Inputs,
    ranges: Sequence[Range],
    samples: int,
    seed: int,
    executor: Executor,
    plan: Plan | None = None,
    plan_source: str = "",
    reoptimise_each: bool = False,
    options: SolveOptions = SolveOptions(),
    progress: Callable[[str], None] = lambda _: None,
    step: Progress | None = None,
) -> StressResult:
    """The plan held fixed while the ranges vary: ``samples`` triangular draws and a tornado
    (each range at its low and high end, the others at likely). With ``reoptimise_each``,
    the plan is also re-optimised for every draw."""
    if not ranges:
        raise InvalidInputs([InputError("", "", "no input of the workbook has a range, so there is nothing to stress",
                                        expected="'<column> low' and '<column> high' columns beside some numeric inputs")])
    if samples < 1:
        raise ValueError(f"--samples must be ≥ 1 (got {samples})")
    started = time.perf_counter()
    ranges = tuple(ranges)
    if plan is None:
        progress("Finding the optimum at the likely values")
        best = _one(executor, optimise, OptimiseTask(inputs, options), None)
        if not best.feasible:
            raise Infeasible(best.note, [])
        plan, plan_source = best.plan, "the optimum at the likely values"
    likely_values = tuple(r.likely for r in ranges)
    draws = [draw(ranges, seed, i) for i in range(samples)]
    value_sets: list[tuple[float, ...]] = [likely_values]
    for index, item in enumerate(ranges):
        for end in (item.low, item.high):
            value_sets.append(likely_values[:index] + (end,) + likely_values[index + 1:])
    value_sets += draws
    progress(f"Evaluating the plan: {len(value_sets)} cases (likely, {2 * len(ranges)} tornado ends, {samples} samples)")
    tasks = [FixedPlanTask(inputs, plan, ranges, values, options.threads) for values in value_sets]
    reoptimised = None
    if reoptimise_each:
        tasks += [ReoptimiseTask(inputs, options, ranges, values) for values in draws]
    results = executor.map(_stress_task, tasks, step)
    fixed = results[: len(value_sets)]
    if reoptimise_each:
        reoptimised = results[len(value_sets):]
        infeasible = [i for i, o in enumerate(reoptimised) if not o.feasible]
        if infeasible:
            raise Infeasible(f"no plan satisfies the budget rules in sample(s) {', '.join(map(str, infeasible))}", [])
    tornado = [(item, fixed[1 + 2 * i], fixed[2 + 2 * i]) for i, item in enumerate(ranges)]
    return StressResult(
        plan=dict(plan), plan_source=plan_source, ranges=list(ranges), seed=seed, draws=draws, likely=fixed[0],
        samples=fixed[1 + 2 * len(ranges):], tornado=tornado, reoptimised=reoptimised,
        seconds=time.perf_counter() - started, scenario_ids=list(inputs.scenarios),
    )


def _stress_task(task: FixedPlanTask | ReoptimiseTask):
    """One task function for both kinds, so that one map covers the whole study."""
    if isinstance(task, FixedPlanTask):
        return fixed_endurance(task)
    return reoptimise(task)
