"""The price of the next day: for the worst case and for each scenario, the least extra budget that buys one
more day while every other scenario keeps the days it has in the plan, and what the money buys.

The budget grows as ``--budget`` grows it (every year's budget scaled by the same factor, the total budget by
the amount). The extra budget is a column of the model (trp_opt.model.blocks.with_budget_column, equation
(38) of models/endurance.md), so the least one that reaches the days asked for is one program's optimum, not
a search over the budget: no plan at any budget ("no amount of money") means the limit lies elsewhere (see
the Limits sheet). What the money buys is the cheapest plan within that budget with those days, against the
plan: the units it adds and drops.
"""

from __future__ import annotations

from functools import partial

from trp_opt.data.explanations import MoreDays, NextDay
from trp_opt.data.inputs import Inputs
from trp_opt.data.options import SolveOptions, out_of_time
from trp_opt.data.plans import Plan, units_by_project
from trp_opt.model.blocks import with_budget_column
from trp_opt.solve import parallel
from trp_opt.solve.block_runner import BlockRunner
from trp_opt.solve.engine import OperationsEngine

EXTRA_BUDGET = "extra budget"  # the objective of the first program
BUDGET_TOLERANCE = 1e-9  # relative to the budget: the least extra budget is held to within this


def price_of_next_day(
    inputs: Inputs,
    plan: Plan,
    endurance: dict[str, int],
    options: SolveOptions,
    block_starts: dict[str, frozenset[int]] | None = None,
    answered: parallel.Answered | None = None,
    engine: OperationsEngine | None = None,
) -> list[NextDay]:
    """The price of one more day for the worst case (every scenario at one day more than the plan's shortest, or
    its own if longer) and for each scenario (the others at their days in the plan), skipping what already lasts
    its whole horizon. ``block_starts``: the plan's solve's (PlanResult.block_starts), a head start. ``answered``:
    told as each day is priced (parallel.parallel_map); ``engine``: the run's operations engine."""
    quiet = options.days_only()
    horizons = {s: inputs.scenarios[s].horizon for s in inputs.scenarios}
    worst = min(endurance.values())
    asked: list[tuple[str, int, dict[str, int]]] = []
    if worst < min(horizons.values()):
        asked.append(("", worst, {s: max(days, worst + 1) for s, days in endurance.items()}))
    for scenario_id, days in endurance.items():
        if days < horizons[scenario_id]:
            asked.append((scenario_id, days, {**endurance, scenario_id: days + 1}))
    answers = parallel.parallel_map(
        [partial(_price, inputs, plan, levels, quiet, block_starts, engine) for _, _, levels in asked], answered
    )
    results = []
    for (measure, days, _), (extra, within, found, proven) in zip(asked, answers):
        added, dropped = _difference(plan, found) if found is not None else ({}, {})
        results.append(NextDay(measure, days, extra, within, added, dropped, proven))
    return results


def more_days(
    inputs: Inputs,
    plan: Plan,
    endurance: dict[str, int],
    options: SolveOptions,
    asked: int,
    block_starts: dict[str, frozenset[int]] | None = None,
    engine: OperationsEngine | None = None,
    answered: parallel.Answered | None = None,
) -> MoreDays:
    """The least extra budget for the worst case to last 1, 2, … ``asked`` days more (every scenario at least that
    long, the longer ones keeping their days), each the price of the next day at that level; it stops at the first
    day no money buys and says why: the scenarios that cannot last it even with money unlimited, which Max units,
    lead times or Policy caps hold back (the Limits sheet names which)."""
    quiet = options.days_only()
    engine = engine or OperationsEngine(inputs, options.threads)  # every day's question fixes the days: cuts pay
    worst = min(endurance.values())
    result = MoreDays(worst, asked)
    shortest = min(inputs.scenarios[s].horizon for s in inputs.scenarios)
    for more in range(1, asked + 1):
        target = worst + more
        if target > shortest:
            result.limit = f"the horizon: the shortest scenario is modelled for {shortest} days"
            break
        levels = {s: max(days, target) for s, days in endurance.items()}
        extra, within, found, proven = _price(inputs, plan, levels, quiet, block_starts, engine)
        if answered is not None:
            answered(more, asked)
        if extra is None:
            result.limit = (
                f"the time limit, before day {target} was priced"
                if not proven
                else _no_money_why(inputs, levels, target, quiet, block_starts, engine)
            )
            break
        added, dropped = _difference(plan, found) if found is not None else ({}, {})
        result.prices.append(NextDay("", target - 1, extra, within, added, dropped, proven))
    return result


def _no_money_why(
    inputs: Inputs,
    levels: dict[str, int],
    target: int,
    options: SolveOptions,
    block_starts: dict[str, frozenset[int]] | None,
    engine: OperationsEngine | None,
) -> str:
    """Which scenarios no amount of money takes to ``target`` days, each asked alone with the extra budget a column."""
    invest, _ = with_budget_column(inputs)
    short = []
    for scenario_id, days in levels.items():
        if days != target:
            continue
        runner = BlockRunner(inputs, options, investments=invest, block_starts=block_starts, engine=engine)
        if not runner.reaches({scenario_id: target}):
            short.append(inputs.scenarios[scenario_id].name)
    where = ", ".join(short) or "every scenario together"
    return (
        f"{where} cannot last {target} days at any budget: Max units, lead times or Policy caps hold it back (the "
        "Limits sheet names which)"
    )


def _price(
    inputs: Inputs,
    plan: Plan,
    levels: dict[str, int],
    options: SolveOptions,
    block_starts: dict[str, frozenset[int]] | None,
    engine: OperationsEngine | None,
) -> tuple[float | None, float, Plan | None, bool]:
    """(least extra budget, how far above the least it may be, the cheapest plan there, proven) for reaching
    ``levels``: two programs with the extra budget a column (trp_opt.model.blocks.with_budget_column), the
    first finds the least extra budget, the second the cheapest plan within it."""
    if out_of_time(options):
        return None, 0.0, None, False
    invest, extra = with_budget_column(inputs)
    runner = BlockRunner(inputs, options, investments=invest, block_starts=block_starts, engine=engine)
    runner.objectives[EXTRA_BUDGET] = ({extra: 1.0}, False)
    runner.start_from(plan)  # short of the day asked, but a start HiGHS can repair
    least = runner.optimise(EXTRA_BUDGET, levels, levels)
    if not least.has_plan or least.objective is None:  # no money reaches it (or the time limit cut the question short)
        return None, 0.0, None, not runner.timed_out
    amount = max(0.0, least.objective)
    within = max(0.0, amount - (least.bound if least.bound is not None else amount))
    runner.keep(EXTRA_BUDGET, amount, BUDGET_TOLERANCE * max(1.0, inputs.spend_limit()))
    cheapest = runner.optimise("total_cost", levels, levels)
    found = runner.plan() if cheapest.has_plan else None
    return amount, within, found, not runner.timed_out


def _difference(plan: Plan, other: Plan) -> tuple[dict[str, int], dict[str, int]]:
    """Units of each project that ``other`` funds beyond the plan, and short of it, over all years."""
    before, after = units_by_project(plan), units_by_project(other)
    added = {p: after[p] - before.get(p, 0) for p in sorted(after) if after[p] > before.get(p, 0)}
    dropped = {p: before[p] - after.get(p, 0) for p in sorted(before) if before[p] > after.get(p, 0)}
    return added, dropped
