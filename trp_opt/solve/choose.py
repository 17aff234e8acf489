"""Choosing a plan: the objective's targets, then the formulation asked for (``--formulation``).

Both formulations give the same optimum; each is one function from inputs to a PlanResult, picked
from FORMULATION_SOLVES by name.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from trp_opt.data.errors import Infeasible
from trp_opt.data.inputs import Inputs
from trp_opt.data.options import FORMULATIONS, OBJECTIVES, Formulation, SolveOptions
from trp_opt.data.plans import PlanResult, Reachable
from trp_opt.model.formulation import build_model
from trp_opt.solve import block_runner
from trp_opt.solve.parallel import Answered
from trp_opt.solve.reference import choose_as_written, write_primary_model
from trp_opt.solve.stages import by_levels


def targets_for(inputs: Inputs, options: SolveOptions) -> dict[str, int]:
    """Target endurance per scenario under the 'target' objective."""
    if options.objective != "target":
        return {}
    targets = {}
    missing = []
    for scenario in inputs.scenarios.values():
        target = options.target if options.target is not None else scenario.target
        if target is None:
            missing.append(scenario.id)
        else:
            targets[scenario.id] = min(target, scenario.horizon)
    if missing:
        raise Infeasible(
            "The 'target' objective needs a target for every scenario.",
            [f"Scenarios: no Target endurance for {', '.join(missing)}; fill the column or pass --target DAYS."],
        )
    return targets


def choose_by_blocks(
    inputs: Inputs,
    options: SolveOptions,
    targets: dict[str, int],
    progress: Callable[[str], None],
    worst_bounds: tuple[int, int] | None = None,
    known: Reachable | None = None,
    answered: Answered | None = None,
) -> PlanResult:
    """The lexicographic stages by levels on the block model (trp_opt.model.blocks)."""
    if options.write_model is not None:  # the audit copy is the Pyomo model, whatever the formulation
        write_primary_model(build_model(inputs, targets=targets or None), options)
    runner = block_runner.BlockRunner(inputs, options)
    loaded = runner.build_seconds
    start = time.perf_counter()
    stages, notes, reachable = by_levels(runner, inputs, options, targets, progress, worst_bounds, known, answered)
    plan = runner.plan()
    progress("Checking the endurance of the plan")
    # Asked afresh over the whole horizon, not from the days the stages counted: a count that holds
    # only within solver tolerance (a stock emptied exactly on its last day) is not reported as met.
    endurance = block_runner.plan_endurance(
        inputs,
        plan,
        options.unlimited(),
        guess=runner.endurance(),
        plan_pieces=runner.plan_pieces,
    )
    # Building and assembling the arrays of every question counts as building, the rest as solving.
    assembling = runner.build_seconds - loaded
    solve_seconds = time.perf_counter() - start - assembling
    starts = {s: frozenset(days) for s, days in runner.changes.items()}
    return PlanResult(
        plan, endurance, stages, runner.version(), runner.build_seconds, solve_seconds, notes, reachable, starts
    )


class ChooseByFormulation(Protocol):
    def __call__(
        self,
        inputs: Inputs,
        options: SolveOptions,
        targets: dict[str, int],
        progress: Callable[[str], None],
        worst_bounds: tuple[int, int] | None = None,
        known: Reachable | None = None,
        answered: Answered | None = None,
    ) -> PlanResult: ...


FORMULATION_SOLVES: dict[Formulation, ChooseByFormulation] = {
    "blocks": choose_by_blocks,
    "reference": choose_as_written,
}


def choose_plan(
    inputs: Inputs,
    options: SolveOptions,
    progress: Callable[[str], None] = lambda _: None,
    worst_bounds: tuple[int, int] | None = None,
    known: Reachable | None = None,
    answered: Answered | None = None,
) -> PlanResult:
    """Find the best plan for the chosen objective, breaking ties lexicographically.

    ``worst_bounds`` (low, high), optional, for 'maxmin' with the 'blocks' formulation: the best
    worst-case endurance is known to lie in low..high days (low reachable), e.g. from the
    neighbouring budgets of a frontier; the bisection then searches only there. ``known``: levels
    reachable in these inputs (a smaller problem's ``PlanResult.reachable``); the bisections step up
    from them, which costs a question or two when little changed (the value of money's budget + step).
    Both are hints of the block formulation; the reference formulation solves as written.
    ``answered(done, asked)``: told as each scenario's best weighted days is found (a progress bar).

    Raises NoPlan when no plan satisfies every rule (trp_opt.analysis.diagnosis says which rules
    conflict), Infeasible when the 'target' objective lacks a target, SolverFailure when HiGHS stops
    for another reason.
    """
    if options.objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {options.objective!r}; expected one of {OBJECTIVES}")
    if options.formulation not in FORMULATIONS:
        raise ValueError(f"unknown formulation {options.formulation!r}; expected one of {FORMULATIONS}")
    targets = targets_for(inputs, options)
    progress("Building the model")
    solve = FORMULATION_SOLVES[options.formulation]
    return solve(inputs, options, targets, progress, worst_bounds, known, answered)
