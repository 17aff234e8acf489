"""The value of money, for a chosen plan:

- **marginal days**: how many more days each scenario lasts when the budget
  grows by one step (every year's budget scaled with it, as ``--budget``
  does), found by solving again at budget + step; only for a step asked for
  (``--step``): by default the price of the next day (trp_opt.analysis.price)
  stands in for it, since a fixed step mostly buys no day and says nothing;
- **days per project**: for each funded project, the days each scenario
  loses if that project were dropped and the rest of the plan held fixed —
  linear programs with the investments fixed, so cheap.

The re-solve at budget + step reuses the validated inputs and the solver's
options; it is skipped when every scenario already lasts its whole horizon
(more money cannot add days then), or when no step is asked for. ``--no-value`` skips the value of money
altogether (no re-solve, no sheets).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from trp_opt.data.errors import SolverFailure
from trp_opt.data.explanations import MarginalDays, ProjectValue, ValueOfMoney
from trp_opt.data.inputs import Inputs
from trp_opt.data.money import money_text
from trp_opt.data.options import SolveOptions, out_of_time
from trp_opt.data.plans import PlanResult
from trp_opt.data.transforms import with_budget, without_rules
from trp_opt.solve import parallel
from trp_opt.solve.block_runner import PlanPieces, plan_endurance
from trp_opt.solve.choose import choose_plan


def marginal_days(
    inputs: Inputs,
    chosen: PlanResult,
    options: SolveOptions,
    step: float,
    progress: Callable[[str], None] = lambda _: None,
) -> MarginalDays:
    """Endurance per scenario at budget + step, by a new solve of the same inputs and options."""
    budget = inputs.spend_limit()
    start = time.perf_counter()
    if all(chosen.endurance[s] >= inputs.scenarios[s].horizon for s in inputs.scenarios):
        return MarginalDays(budget, step, dict(chosen.endurance), dict(chosen.endurance), 0.0, solved=False)
    more = with_budget(inputs, budget + step)
    # Only the days count here, so the cost tie-break is skipped; what the plan's solve proved reachable
    # is reachable with more money too, so the bisections step up from there.
    try:
        result = choose_plan(
            more,
            options.days_only(),
            lambda message: progress(f"[budget + step] {message}"),
            known=chosen.reachable if step >= 0 else None,
        )
    except SolverFailure:
        if not out_of_time(options):
            raise
        # The shared clock ran out before any plan: the plan itself stands, this figure is not found.
        seconds = time.perf_counter() - start
        return MarginalDays(budget, step, dict(chosen.endurance), dict(chosen.endurance), seconds, proven=False)
    # A stage cut short keeps a plan that fits, not the best one: with more money it may even last less.
    proven = all(stage.proven_optimal for stage in result.stages) and not any(
        "stopped by the time limit" in note for note in result.notes
    )
    seconds = time.perf_counter() - start
    return MarginalDays(budget, step, dict(chosen.endurance), dict(result.endurance), seconds, proven=proven)


def project_values(
    inputs: Inputs,
    chosen: PlanResult,
    options: SolveOptions,
) -> list[ProjectValue]:
    """Days lost per scenario when each funded project (all its units) is dropped, the rest held."""
    plain = without_rules(inputs)
    funded: dict[str, int] = {}
    for (project_id, _), units in sorted(chosen.plan.items()):
        funded[project_id] = funded.get(project_id, 0) + units
    values = []
    pieces: PlanPieces = {}  # the same scenario pieces serve every plan with a project dropped
    for project_id, units in funded.items():
        without = {key: n for key, n in chosen.plan.items() if key[0] != project_id}
        # Every effect adds, so the plan without the project lasts at most as long as the plan.
        endurance = plan_endurance(plain, without, options, at_most=chosen.endurance, plan_pieces=pieces)
        project = inputs.projects[project_id]
        values.append(
            ProjectValue(
                project_id,
                project.name,
                project.category,
                units,
                units * project.unit_cost,
                {s: chosen.endurance[s] - endurance[s] for s in inputs.scenarios},
            )
        )
    return values


def value_of_money(
    inputs: Inputs,
    chosen: PlanResult,
    options: SolveOptions,
    step: float | None = None,
    plan_label: str = "the plan",
    progress: Callable[[str], None] = lambda _: None,
) -> ValueOfMoney:
    """Days per project, and the marginal days of one budget step when ``step`` is given (None: no re-solve; the
    price of the next day answers what more money buys)."""
    result = ValueOfMoney(plan_label, None)
    if step is None:
        progress("Value of money: days per project")
        result.projects = project_values(inputs, chosen, options)
        return result
    progress(f"Value of money: solving again with {money_text(step, inputs.currency)} more, and days per project")
    # Independent of each other: asked side by side (the re-solve's progress alone is shown).
    marginal, result.projects = parallel.parallel_pair(
        partial(marginal_days, inputs, chosen, options, step, progress),
        partial(project_values, inputs, chosen, options),
    )
    result.marginal = marginal
    if not marginal.solved:
        result.notes.append("Every scenario already lasts its whole horizon: more money cannot add days; no re-solve.")
    return result
