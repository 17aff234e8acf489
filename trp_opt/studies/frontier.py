"""The frontier: the optimum (maxmin) at several total budgets, and where the plan changes."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from trp_opt.data.inputs import Inputs
from trp_opt.data.options import SolveOptions
from trp_opt.data.plans import Plan, plan_cost, units_by_project
from trp_opt.data.transforms import with_budget
from trp_opt.studies.executor import Executor, Progress
from trp_opt.studies.tasks import OptimiseTask, Optimum, optimise

COST_TOLERANCE = 1e-6  # relative, as the stages hold a cost


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
    solved_all = keep_plans(inputs, solved_all)
    return FrontierResult(
        budgets, solved_all, turning_points(inputs, budgets, solved_all), time.perf_counter() - started
    )


def keep_plans(inputs: Inputs, optima: Sequence[Optimum]) -> list[Optimum]:
    """Between two budgets where the optimum has the same days in every scenario and the same cost, the smaller
    budget's plan: it fits the larger budget (every year's budget grows with the total), lasts the same days (days
    are the plan's, not the budget's) and costs as little, so it is optimal there too, and the frontier does not
    flip between plans of equal merit."""
    kept = list(optima)
    for index in range(1, len(kept)):
        before, after = kept[index - 1], kept[index]
        same_cost = abs(plan_cost(inputs, before.plan) - plan_cost(inputs, after.plan)) <= COST_TOLERANCE * max(
            1.0, plan_cost(inputs, after.plan)
        )
        if before.feasible and after.feasible and before.endurance == after.endurance and same_cost:
            kept[index] = replace(after, plan=dict(before.plan))
    return kept


def turning_points(inputs: Inputs, budgets: Sequence[float], optima: Sequence[Optimum]) -> list[dict]:
    """Consecutive budget levels between which the plan changes: projects entering or leaving, units changed, units
    started in other years (``moved``: project, start years before, after), and the spend on both sides."""
    points = []
    for index in range(1, len(budgets)):
        before, after = optima[index - 1], optima[index]
        if not (before.feasible and after.feasible) or before.plan == after.plan:
            continue
        old, new = units_by_project(before.plan), units_by_project(after.plan)
        changed = [
            (p, old.get(p, 0), new.get(p, 0)) for p in sorted(set(old) | set(new)) if old.get(p, 0) != new.get(p, 0)
        ]
        moved = [
            (p, _start_years(before.plan, p), _start_years(after.plan, p))
            for p in sorted(set(old) & set(new))
            if old[p] == new[p] and _start_years(before.plan, p) != _start_years(after.plan, p)
        ]
        points.append(
            {
                "from": budgets[index - 1],
                "to": budgets[index],
                "entering": [p for p, a, b in changed if a == 0],
                "leaving": [p for p, a, b in changed if b == 0],
                "changed": changed,
                "moved": moved,
                "spent_before": plan_cost(inputs, before.plan),
                "spent_after": plan_cost(inputs, after.plan),
                "worst_before": before.worst,
                "worst_after": after.worst,
            }
        )
    return points


def _start_years(plan: Plan, project_id: str) -> str:
    """'2027 ×2, 2028 ×1': where a project's units start."""
    return ", ".join(f"{year} ×{units}" for (p, year), units in sorted(plan.items()) if p == project_id and units > 0)
