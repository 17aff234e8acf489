"""The frontier: the optimum (maxmin) at several total budgets, and where the plan changes."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from trp_opt.data.inputs import Inputs
from trp_opt.data.options import SolveOptions
from trp_opt.data.plans import units_by_project
from trp_opt.data.transforms import with_budget
from trp_opt.studies.executor import Executor, Progress
from trp_opt.studies.tasks import OptimiseTask, Optimum, optimise


@dataclass
class FrontierResult:
    budgets: list[float]  # money, in the workbook's currency
    optima: list[Optimum]
    turning_points: list[dict]  # from, to (money), entering, leaving, changed: [(project, units before, after)]
    seconds: float = 0.0


def frontier(
    inputs: Inputs,
    low: float,
    high: float,
    steps: int,
    executor: Executor,
    options: SolveOptions = SolveOptions(),
    advance: Progress | None = None,
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
        return None if advance is None else (lambda done, _: advance(offset + done, steps))

    solved = executor.map(optimise, [OptimiseTask(with_budget(inputs, budgets[i]), options) for i in first], report(0))
    for i, optimum in zip(first, solved):
        optima[i] = optimum
    tasks = []
    for i in second:
        below, above = optima[i - 1], optima[i + 1]
        if below is None or above is None:  # every first-round budget was solved
            raise RuntimeError(f"the frontier's neighbours of budget {budgets[i]:,.0f} were not solved")
        bounds = None
        worst_below, worst_above = below.worst, above.worst
        proven = below.proven and above.proven
        if options.objective == "maxmin" and proven and worst_below is not None and worst_above is not None:
            bounds = (worst_below, worst_above)
        tasks.append(
            OptimiseTask(with_budget(inputs, budgets[i]), options, bounds, below.reachable if below.feasible else None)
        )
    for i, optimum in zip(second, executor.map(optimise, tasks, report(len(first)))):
        optima[i] = optimum
    solved_all = [optimum for optimum in optima if optimum is not None]
    if len(solved_all) != steps:
        raise RuntimeError("a budget of the frontier was not solved")
    return FrontierResult(budgets, solved_all, turning_points(budgets, solved_all), time.perf_counter() - started)


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
        changed = [
            (p, old.get(p, 0), new.get(p, 0)) for p in sorted(set(old) | set(new)) if old.get(p, 0) != new.get(p, 0)
        ]
        points.append(
            {
                "from": budgets[index - 1],
                "to": budgets[index],
                "entering": [p for p, a, b in changed if a == 0],
                "leaving": [p for p, a, b in changed if b == 0],
                "changed": changed,
                "worst_before": before.worst,
                "worst_after": after.worst,
            }
        )
    return points
