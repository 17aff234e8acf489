"""The price of the next day: for the worst case and for each scenario, the least extra budget that buys one
more day while every other scenario keeps the days it has in the plan, and what the money buys.

The budget grows as ``--budget`` grows it (every year's budget scaled by the same factor). Whether the days
asked for are reachable only turns from no to yes as the budget grows, so the price is found by a search over
the budget: first at a budget that buys every unit of every project in any one year (no: "no amount of
money", and the limit lies elsewhere, see the Limits sheet), then stepping up from the plan's budget,
doubling, and halving the last step to within PRECISION of the cheapest unit's cost. What the money buys is
the cheapest plan at that budget with those days, against the plan: the units it adds and drops.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import partial

from trp_opt.data.inputs import Inputs
from trp_opt.data.options import SolveOptions, out_of_time
from trp_opt.data.plans import Plan, units_by_project
from trp_opt.data.transforms import with_budget
from trp_opt.solve import parallel
from trp_opt.solve.bisection import narrow_between
from trp_opt.solve.block_runner import BlockRunner

PRECISION = 0.1  # of the cheapest unit's cost: the price is found to within this


@dataclass(frozen=True)
class NextDay:
    measure: str  # "" for the worst case, else a scenario ID (trp_opt.analysis.limits.WORST)
    days: int  # as planned
    extra: float | None  # the least extra budget found to buy one more day; None: no amount of money
    within: float  # the price is at most ``extra`` and more than ``extra - within``
    # project -> units more (added) or fewer (dropped) than the plan over all years, in the cheapest plan with the
    # day (a unit costs the same whatever its start year, so where the cheapest plan starts it says nothing)
    added: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    proven: bool = True  # False when the time limit cut a question short


def price_of_next_day(
    inputs: Inputs,
    plan: Plan,
    endurance: dict[str, int],
    options: SolveOptions,
    block_starts: dict[str, frozenset[int]] | None = None,
) -> list[NextDay]:
    """The price of one more day for the worst case (every scenario at one day more than the plan's shortest, or
    its own if longer) and for each scenario (the others at their days in the plan), skipping what already lasts
    its whole horizon. ``block_starts``: the plan's solve's (PlanResult.block_starts), a head start."""
    quiet = dataclasses.replace(options, cheapest=False)
    horizons = {s: inputs.scenarios[s].horizon for s in inputs.scenarios}
    worst = min(endurance.values())
    asked: list[tuple[str, int, dict[str, int]]] = []
    if worst < min(horizons.values()):
        asked.append(("", worst, {s: max(days, worst + 1) for s, days in endurance.items()}))
    for scenario_id, days in endurance.items():
        if days < horizons[scenario_id]:
            asked.append((scenario_id, days, {**endurance, scenario_id: days + 1}))
    answers = parallel.parallel_map(
        [partial(_price, inputs, plan, levels, quiet, block_starts) for _, _, levels in asked]
    )
    results = []
    for (measure, days, _), (extra, within, found, proven) in zip(asked, answers):
        added, dropped = _difference(plan, found) if found is not None else ({}, {})
        results.append(NextDay(measure, days, extra, within, added, dropped, proven))
    return results


def budget_for_everything(inputs: Inputs) -> float:
    """A total budget whose every year (scaled as --budget scales them) pays for every unit of every project."""
    everything = inputs.most_spend
    limit = inputs.spend_limit()
    if limit <= 0 or min(inputs.year_budgets.values(), default=0) <= 0:
        return everything * max(1, len(inputs.years))
    return max(limit, everything * limit / min(inputs.year_budgets.values()))


def _price(
    inputs: Inputs,
    plan: Plan,
    levels: dict[str, int],
    options: SolveOptions,
    block_starts: dict[str, frozenset[int]] | None,
) -> tuple[float | None, float, Plan | None, bool]:
    """(least extra budget, precision, the cheapest plan there, proven) for reaching ``levels``."""
    budget = inputs.spend_limit()
    if out_of_time(options):
        return None, 0.0, None, False
    cheapest_unit = min((p.unit_cost for p in inputs.projects.values() if p.unit_cost > 0), default=1.0)
    within = PRECISION * cheapest_unit
    proven = True

    def reaches(total: float) -> bool:
        nonlocal proven
        runner = BlockRunner(with_budget(inputs, total), options, block_starts=block_starts)
        found = runner.reaches(levels)
        proven = proven and not runner.timed_out
        return found

    top = budget_for_everything(inputs)
    if not reaches(top):
        return None, within, None, proven
    low, step = budget, cheapest_unit  # low: not enough (the plan's own budget reaches no more)
    while True:
        probe = min(budget + step, top)
        if probe >= top or reaches(probe):  # the top is known to reach it
            high = probe
            break
        low, step = probe, step * 2
    # Not reaching it turns from yes to no as the budget grows: the least budget that reaches it is the high end.
    _, high = narrow_between(lambda total: not reaches(total), low, high, within)
    # The cheapest plan at that budget with the day gained: what the extra money buys.
    runner = BlockRunner(with_budget(inputs, high), options, block_starts=block_starts)
    outcome = runner.optimise("total_cost", levels, levels)
    found = runner.plan() if outcome.has_plan else None
    return high - budget, within, found, proven and not runner.timed_out


def _difference(plan: Plan, other: Plan) -> tuple[dict[str, int], dict[str, int]]:
    """Units of each project that ``other`` funds beyond the plan, and short of it, over all years."""
    before, after = units_by_project(plan), units_by_project(other)
    added = {p: after[p] - before.get(p, 0) for p in sorted(after) if after[p] > before.get(p, 0)}
    dropped = {p: before[p] - after.get(p, 0) for p in sorted(before) if before[p] > after.get(p, 0)}
    return added, dropped
