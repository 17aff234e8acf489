"""Alternatives: plans within P % of the best worst-case endurance that differ from each other as much as
possible (modelling to generate alternatives)."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from trp_opt.data.errors import NoPlan, SolverFailure
from trp_opt.data.inputs import Inputs
from trp_opt.data.money import money_text
from trp_opt.data.options import SolveOptions
from trp_opt.data.plans import Plan, SolveStatus, plan_cost, units_by_project
from trp_opt.model import blocks
from trp_opt.solve import block_runner
from trp_opt.solve.engine import OperationsEngine
from trp_opt.studies.executor import Executor, Progress
from trp_opt.studies.tasks import HeldPlanTask, OptimiseTask, held_plan_endurance, optimise, run_one


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
    max_cost: float | None = None  # money every alternative costs at most (the optimum is shown whatever it costs)
    project_names: dict[str, str] = field(default_factory=dict)  # ID -> name, for sentences

    def funded_in(self) -> dict[str, list[int]]:
        """Units of each project (all start years) in each plan."""
        projects = sorted({p for plan in self.plans for p in units_by_project(plan)})
        return {p: [units_by_project(plan).get(p, 0) for plan in self.plans] for p in projects}

    @property
    def must_fund(self) -> list[str]:
        """Projects in every plan; none when the optimum stands alone (with nothing to compare, its every project
        was called 'must fund')."""
        if len(self.plans) < 2:
            return []
        return [p for p, units in self.funded_in().items() if all(u > 0 for u in units)]

    @property
    def swappable(self) -> list[str]:
        return [p for p, units in self.funded_in().items() if any(u == 0 for u in units)]


def changed_units(a: Plan, b: Plan) -> int:
    """Units that differ between two plans, project by project (all start years together)."""
    units_a, units_b = units_by_project(a), units_by_project(b)
    return sum(abs(units_a.get(key, 0) - units_b.get(key, 0)) for key in set(units_a) | set(units_b))


def alternatives(
    inputs: Inputs,
    count: int,
    within: float,
    executor: Executor,
    options: SolveOptions = SolveOptions(),
    message: Callable[[str], None] = lambda _: None,
    advance: Progress | None = None,
    search_seconds: float | None = None,
    max_cost: float | None = None,
) -> AlternativesResult:
    """Up to ``count`` plans (the optimum included), each keeping every scenario's endurance at least
    ⌈(1 − within/100) × best worst-case⌉ days, each as far as possible (in changed units) from the
    nearest plan found before it: maximise the smallest distance to the earlier plans.
    ``search_seconds`` bounds each search; a search cut short keeps the most different plan found
    by then (still within tolerance and new), which may differ between runs. ``max_cost``: money each
    alternative costs at most, all years together (the optimum is shown first whatever it costs)."""
    if count < 1 or not 0 <= within < 100:
        raise ValueError(f"--count must be ≥ 1 and --within from 0 to below 100 % (got {count}, {within:g})")
    started = time.perf_counter()
    message("Finding the optimum")
    best = run_one(executor, optimise, OptimiseTask(inputs, options), None)
    if not best.feasible:
        raise NoPlan(inputs, {})
    best_worst = best.worst
    # Rounded up to a whole day, so that no alternative falls more than `within` % below the best.
    floor_days = math.ceil((1 - within / 100) * best_worst - 1e-9)
    plans: list[Plan] = [best.plan]
    stopped = ""
    if count > 1:
        message(f"Searching for {count - 1} alternative(s)")
        task = SearchTask(inputs, floor_days, count, best.plan, options, search_seconds, max_cost)
        plans, stopped, unproven = run_one(executor, search_alternatives, task, None)
        if unproven:
            stopped = (stopped + "; " if stopped else "") + (
                f"the search for alternative(s) {', '.join(map(str, unproven))} was stopped by the time limit: "
                "each is new and within tolerance, but perhaps not the most different"
            )
    message("Checking the endurance of every plan")
    endurance = executor.map(
        held_plan_endurance, [HeldPlanTask(inputs, plan, options=options) for plan in plans], advance
    )
    plans, endurance, dropped = _without_dominated(inputs, plans, endurance)
    if dropped:
        # Counted, not numbered: the alternatives kept are numbered afresh, and a number would name another plan.
        found = "1 plan found was" if len(dropped) == 1 else f"{len(dropped)} plans found were"
        stopped = (stopped + "; " if stopped else "") + (
            f"{found} dropped: no scenario lasts longer than with the optimum, and it costs more"
        )
    distance = [0] + [min(changed_units(plans[k], plans[j]) for j in range(k)) for k in range(1, len(plans))]
    return AlternativesResult(
        best_worst,
        floor_days,
        within,
        plans,
        endurance,
        distance,
        stopped,
        time.perf_counter() - started,
        count,
        max_cost,
        {project.id: project.name for project in inputs.projects.values()},
    )


def _without_dominated(
    inputs: Inputs, plans: list[Plan], endurance: list[dict[str, int]]
) -> tuple[list[Plan], list[dict[str, int]], list[int]]:
    """The plans less the alternatives the optimum beats outright (no scenario longer, and more money): an
    analyst is never offered one. Returns the numbers (1 = the first alternative) of those dropped."""
    best_cost, best_days = plan_cost(inputs, plans[0]), endurance[0]
    kept, dropped = [0], list[int]()
    for k in range(1, len(plans)):
        beaten = (
            all(endurance[k][s] <= best_days[s] for s in best_days) and plan_cost(inputs, plans[k]) > best_cost + 1e-9
        )
        (dropped if beaten else kept).append(k)
    return [plans[k] for k in kept], [endurance[k] for k in kept], dropped


@dataclass(frozen=True)
class SearchTask:
    inputs: Inputs
    floor_days: int
    count: int
    optimum: Plan
    options: SolveOptions
    seconds: float | None = None
    max_cost: float | None = None


def search_alternatives(task: SearchTask) -> tuple[list[Plan], str, list[int]]:
    """The optimum and the alternatives found after it; why the search stopped early; searches cut short.

    One task, because each plan depends on those before it; run by the executor all the same,
    so that Ctrl-C stops it at once and a Dask cluster does the work."""
    return _search(
        task.inputs, task.floor_days, task.count, [dict(task.optimum)], task.options, task.seconds, task.max_cost
    )


def _search(
    inputs: Inputs,
    floor_days: int,
    count: int,
    plans: list[Plan],
    options: SolveOptions,
    seconds: float | None,
    max_cost: float | None = None,
) -> tuple[list[Plan], str, list[int]]:
    """Modelling to generate alternatives on the block model: each new plan maximises D, the smallest
    number of changed units (per project) against every plan so far, with D ≥ 1 (so every plan is new),
    while every scenario meets its requirements on days 1..floor_days (later days are not asked for)."""
    # Every search fixes every scenario's days: the operations engine answers it over the investments and the
    # distance rows, its cuts pooled from one search to the next (trp_opt.solve.engine).
    engine = OperationsEngine(inputs, options.threads) if options.formulation == "blocks" else None
    runner = block_runner.BlockRunner(inputs, dataclasses.replace(options, time_limit=seconds), engine=engine)
    levels = {s: min(floor_days, scenario.horizon) for s, scenario in inputs.scenarios.items()}
    # Distance is counted on each project's units over all start years: a plan that only moves
    # the same units to another year is not what an analyst would call an alternative.
    keys = list(inputs.projects)
    top = {p: inputs.projects[p].max_units for p in keys}
    columns = {p: [column for (q, _), column in runner.invest.build.items() if q == p] for p in keys}
    first = blocks.InvestmentRows(runner.invest)
    distance = first.column(0.0, float(sum(top.values())))
    first.row([(distance, 1.0)], lower=1.0, equation="new_plan")
    if max_cost is not None:  # what the plan costs, all units and years
        first.row(list(runner.invest.cost.items()), upper=max_cost, equation="most_cost")
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
                rows.row(
                    [(d, 1.0), (z, 2.0 * u)] + [(column, -1.0) for column in x], upper=2.0 * u - a, equation="distance"
                )
                rows.row(
                    [(d, 1.0), (z, -2.0 * u)] + [(column, 1.0) for column in x], upper=float(a), equation="distance"
                )
                terms.append((d, 1.0))
        rows.row(terms, lower=-constant, equation="distance")
        runner.invest = rows.added()
        # Each search has the time limit to itself.
        runner.started, runner.timed_out = time.perf_counter(), False
        outcome = runner.optimise("distance", levels, levels)
        if outcome.status is SolveStatus.INFEASIBLE:
            within_cost = (
                f" and costing at most {money_text(max_cost, inputs.currency)}" if max_cost is not None else ""
            )
            return (
                plans,
                f"no further plan differs from those found while keeping {floor_days} days{within_cost}",
                unproven,
            )
        if not outcome.has_plan:
            if outcome.status is SolveStatus.TIME_LIMIT:
                return plans, f"the search for alternative {round_ + 1} found no plan within {seconds:g} s", unproven
            raise SolverFailure(f"the search for alternative {round_ + 1} stopped without a plan: {outcome.status}")
        if not outcome.proven:
            unproven.append(round_ + 1)
        plans.append(runner.plan())
    return plans, "", unproven
