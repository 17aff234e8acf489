"""The lexicographic stages of each objective, found by levels (models/endurance.md, "Objectives").

Ties are broken exactly: each stage is solved to its optimum, then its value is held as a constraint
and the next stage solved. Endurance is a whole number of days, so holding the worst endurance is
exact; the weighted sum is held with a tolerance of 1e-6 relative, but never as much as half the smallest
difference two plans can make (tie_slack), so that a scenario weighted a millionth of another still counts.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from trp_opt.data.derived import cost_tie_break_scale
from trp_opt.data.errors import NoPlan, SolverFailure
from trp_opt.data.inputs import Inputs, weight_step
from trp_opt.data.options import SolveOptions
from trp_opt.data.plans import Reachable, SolveStatus, StageName, StageResult
from trp_opt.model.highs import Outcome
from trp_opt.solve.bisection import highest_common_level, highest_level
from trp_opt.solve.parallel import Answered
from trp_opt.solve.runner import WEIGHTED_THEN_COST, Question, Runner

TIE_TOLERANCE = 1e-6
# Weights with no decimal step (trp_opt.data.inputs.weight_step) are held within this much, absolute at most: above
# HiGHS's feasibility tolerance (1e-7), below any difference of weights written with six decimals.
FINEST_STEP = 1e-6


def tie_slack(value: float, step: float | None) -> float:
    """How far below a stage's optimum ``value`` a later stage may go: 1e-6 relative, but never as much as half of
    ``step``, the least by which two plans' weighted endurance can differ (models/endurance.md, "Objectives"). A
    relative tolerance alone let the cost stage drop units that gave a scenario weighted 0.001 ten days when another
    weighed 1000: the stages were no longer lexicographic."""
    return min(TIE_TOLERANCE * max(1.0, abs(value)), (step or FINEST_STEP) / 2)


def on_grid(value: float, step: float | None) -> float:
    """A weighted endurance put on the grid of its weights' step (exact when the weights have one): HiGHS's value
    carries the integrality tolerance of every day binary, which a tolerance of half a step must not absorb."""
    return round(value / step) * step if step else value


def hold_stage(runner: Runner, name: StageName, value: float, step: float | None) -> None:
    """Hold a stage's optimum in every later question: the weighted endurance on its weights' grid within tie_slack,
    any other within 1e-6 relative. Both formulations hold their stages so."""
    if name == "weighted_endurance":
        runner.keep(name, on_grid(value, step), tie_slack(value, step))
    else:
        runner.keep(name, value, TIE_TOLERANCE * max(1.0, abs(value)))


# The weighted stage's first window: this many days of the heaviest weight short of the bests,
# widened by this factor while no plan is found in it (weighted_in_windows). A wider window is a larger MIP: on the
# bundled workbook a factor of 4 found and proved the optimum in 5.0 s of HiGHS, 8 in 12.4 s, 2 in 9.6 s (three windows).
WINDOW_DAYS = 2
WINDOW_GROWTH = 4


def stage_of(name: str, outcome: Outcome, options: SolveOptions) -> StageResult | None:
    """A stage's result from how its solve ended. None when no plan exists; objective None when the
    time limit came before any plan."""
    if outcome.status is SolveStatus.INFEASIBLE:
        return None
    if not outcome.has_plan:
        if outcome.status.cut_short:
            return StageResult(name, "time limit reached before any plan was found", False, None, None, outcome.seconds)
        raise SolverFailure(f"HiGHS stopped without a plan: {outcome.words}")
    status = "optimal" if outcome.proven and options.gap == 0 else describe(outcome, options.gap)
    return StageResult(name, status, outcome.proven, outcome.objective, outcome.bound, outcome.seconds)


def describe(outcome: Outcome, gap: float) -> str:
    """A stage's status in words, for the plan's Summary and Diagnostics."""
    if outcome.status is SolveStatus.OPTIMAL:
        return f"optimal within the requested gap of {gap:.2%}"
    if outcome.status is SolveStatus.TIME_LIMIT:
        return "time limit reached: feasible plan, not proven optimal"
    if outcome.status is SolveStatus.INTERRUPTED:
        return "interrupted: feasible plan, not proven optimal"
    return f"stopped ({outcome.words}): feasible plan, not proven optimal"


def by_levels(
    runner: Runner,
    inputs: Inputs,
    options: SolveOptions,
    targets: dict[str, int],
    progress: Callable[[str], None],
    worst_bounds: tuple[int, int] | None = None,
    known: Reachable | None = None,
    answered: Answered | None = None,
) -> tuple[list[StageResult], list[str], Reachable | None]:
    """The same lexicographic optimum, found without day binaries wherever possible.

    Whether a plan exists that meets scenario s on days 1..k is a question
    about investments alone once the days are fixed, and the answer only
    turns from yes to no as k grows. So the worst endurance is found by
    bisection over k; each scenario's best endurance (the others held) by
    bisection too. If every scenario can reach its own best at once, the
    weighted optimum is that vector; otherwise a MIP with day binaries only
    between those bounds decides. The cost stage then has (almost) no day
    binaries left.

    ``runner`` answers the questions of trp_opt.solve.runner.Runner. Returns the stages,
    the notes, and what the bisections proved reachable (None under 'target').
    ``known``: levels already known to be reachable (see trp_opt.solve.choose.choose_plan).
    """
    scenario_ids = list(runner.scenario_ids)
    horizon = {s: inputs.scenarios[s].horizon for s in scenario_ids}
    weights = {s: inputs.scenarios[s].weight for s in scenario_ids}
    stages: list[StageResult] = []
    notes: list[str] = []

    def timed(name: str, value: float, seconds_before: float) -> StageResult:
        status = "time limit reached: feasible plan, not proven optimal" if runner.timed_out else "optimal"
        return StageResult(
            name,
            status,
            not runner.timed_out,
            value,
            None if runner.timed_out else value,
            runner.seconds - seconds_before,
        )

    step = weight_step(weights.values())

    lower = {s: 0 for s in scenario_ids}
    if options.objective == "target":
        # Each target on its own first, side by side: a target no plan reaches alone (a scenario money cannot help)
        # is proven out in seconds, where the cost stage's MIP took minutes to prove it had no plan.
        progress("Checking each scenario's target on its own")
        zero = {s: 0 for s in scenario_ids}
        alone = runner.parallel_map([_reaches_alone(zero, s, targets[s]) for s in scenario_ids], answered)
        if not all(alone) and not runner.timed_out:
            raise NoPlan(inputs, targets, [s for s, reached in zip(scenario_ids, alone) if not reached])
        progress("Finding the cheapest plan that reaches every target")
        stage = stage_of("total_cost", runner.optimise("total_cost", targets, targets), options)
        if stage is None:
            raise NoPlan(inputs, targets)
        if stage.objective is None:
            raise SolverFailure("the time limit ran out before any plan was found; allow more time")
        stages.append(stage)
        hold_stage(runner, "total_cost", stage.objective, step)
        lower = dict(targets)
    else:
        before = runner.seconds
        if not runner.reaches(lower):
            if runner.timed_out:  # not a proof of infeasibility: the check itself was cut short
                raise SolverFailure("the time limit ran out before any plan was found; allow more time")
            raise NoPlan(inputs, targets)
        if options.objective == "maxmin":
            progress("Finding the best worst-case endurance")
            low, high = worst_bounds or (0, min(horizon.values()))
            near = known is not None and known.worst >= low
            low = max(low, known.worst) if known is not None and near else low
            common = highest_common_level(runner, low, min(high, min(horizon.values())), near=near)
            lower = {s: common for s in scenario_ids}
            stages.append(timed("worst_endurance", common, before))

    progress("Finding the best weighted endurance: each scenario's best days in turn")
    before = runner.seconds
    best = dict(lower)
    # Known bests hold only with the others at the same level as when they were found.
    near = known is not None and options.objective != "target" and all(lower[s] == known.worst for s in scenario_ids)

    def best_days(s: str) -> Callable[[Runner], int]:
        start = max(lower[s], known.bests.get(s, lower[s])) if known is not None and near else lower[s]
        return lambda asked: highest_level(asked, {**lower, s: start}, s, horizon[s], near=near)

    # Each scenario's search is independent of the others': they are asked side by side.
    weighed = [s for s in scenario_ids if weights[s] > 0]
    best.update(zip(weighed, runner.parallel_map([best_days(s) for s in weighed], answered)))
    reachable = None if options.objective == "target" else Reachable(lower[scenario_ids[0]], dict(best))
    if runner.reaches(best):
        # Every scenario at its own best at once: no other vector can weigh more.
        weighted = sum(weights[s] * best[s] for s in scenario_ids)
        stages.append(timed("weighted_endurance", weighted, before))
        if reachable is not None:
            reachable = dataclasses.replace(reachable, weighted=weighted)
        lower = dict(best)
    else:
        # A plan known to weigh this much keeps every scenario at the same level: the optimum is no less.
        at_least = known.weighted if known is not None and near else None
        # The cost stage asked in the same MIP where it can be held exactly (cost_tie_break_scale): it is then
        # answered with the weighted endurance whenever the window held every plan that weighs the optimum.
        both = (
            options.objective != "target"
            and options.cheapest
            and options.gap == 0
            and cost_tie_break_scale(inputs, step) is not None
        )
        windowed = weighted_in_windows(
            runner, lower, best, weights, options, at_least, WEIGHTED_THEN_COST if both else "weighted_endurance"
        )
        stage = windowed.stage
        if (stage is None or stage.objective is None) and runner.timed_out:
            # The runner still holds the last plan found, which reaches every level proven so far.
            notes.append(
                "Tie-break 'weighted_endurance' stopped by the time limit; the plan of the stage before is kept."
            )
            return stages, notes, reachable
        if stage is None or stage.objective is None:
            raise SolverFailure("the weighted-endurance stage found no plan although an earlier stage did")
        stage.seconds = runner.seconds - before
        stages.append(stage)
        if not stage.proven_optimal:
            notes.append(f"Tie-break 'weighted_endurance' not proven optimal ({stage.status}).")
        held = stage.objective if stage.proven_optimal else runner.value_of("weighted_endurance")
        held = on_grid(held, step)
        hold_stage(runner, "weighted_endurance", held, step)
        if reachable is not None:
            reachable = dataclasses.replace(reachable, weighted=held)
        if both and stage.proven_optimal and windowed.holds_every_tie:
            # Its plan is the cheapest of those with the optimum: the cost stage's answer, with no MIP of its own.
            cost = runner.value_of("total_cost")
            stages.append(StageResult("total_cost", "optimal", True, cost, cost, 0.0))
            return stages, notes, reachable
        # Each scenario must still carry its part of that sum when the others are at their best:
        # exact lower bounds that leave the cost stage far fewer day binaries.
        for s in scenario_ids:
            if weights[s] > 0:
                others = sum(weights[r] * best[r] for r in scenario_ids if r != s)
                needed = (held - tie_slack(held, step) - others) / weights[s]
                lower[s] = max(lower[s], math.ceil(needed - 1e-9))

    if options.objective != "target" and options.cheapest:
        progress("Finding the cheapest plan with that endurance")
        stage = stage_of("total_cost", runner.optimise("total_cost", lower, best), options)
        if stage is None or stage.objective is None:
            notes.append("Tie-break 'total_cost' stopped by the time limit; the plan of the stage before is kept.")
        else:
            stages.append(stage)
            if not stage.proven_optimal:
                notes.append(f"Tie-break 'total_cost' not proven optimal ({stage.status}).")
    return stages, notes, reachable


def _reaches_alone(zero: dict[str, int], scenario_id: str, target: int) -> Callable[[Runner], bool]:
    """Can the scenario alone last its target? Asked up a ladder of days (1, 2, 4, … the target): lasting the target
    means lasting every day before it, and a short 'no' is proven in seconds where the target's own took minutes
    (Assault 2027 at 60 days, the bundled workbook, where money buys no fifth day)."""

    def ask(asked: Runner) -> bool:
        level = 1
        while True:
            level = min(level, target)
            if not asked.reaches({**zero, scenario_id: level}):
                return False
            if level == target:
                return True
            level *= 2

    return ask


@dataclasses.dataclass
class Windowed:
    """The weighted stage found in windows (None: no plan), and whether its last window held every plan that weighs
    its optimum: then a WEIGHTED_THEN_COST question's plan is also the cheapest of them all."""

    stage: StageResult | None
    holds_every_tie: bool = False


def weighted_in_windows(
    runner: Runner,
    lower: dict[str, int],
    best: dict[str, int],
    weights: dict[str, float],
    options: SolveOptions,
    at_least: float | None = None,
    question: Question = "weighted_endurance",
) -> Windowed:
    """The weighted-endurance MIP, asked within a window of days just below each scenario's best.

    Every scenario s lasts at most best[s] days. A vector with scenario s below
    best[s] − k weighs at most top − w_s (k + 1), top = Σ w_r best[r]; so when the
    best plan within the window (at most k_s days short in each scenario) weighs at
    least what any vector outside can, it is the optimum. The first window allows two
    days of the heaviest weight short; a window with no plan, or whose optimum W is
    beaten by what lies outside, is widened to the bounds that W itself proves.
    Day binaries only in a window keep the MIP small and its relaxation tight.
    ``at_least``: a weighted endurance some plan is known to reach; the first window is then wide
    enough for its optimum to be proven at once. ``question``: 'weighted_endurance', or WEIGHTED_THEN_COST to have
    each window's plan be the cheapest of those weighing its optimum.
    """
    top = sum(weights[s] * best[s] for s in best)
    step = weight_step(weights.values())
    allowance = WINDOW_DAYS * max(weights.values())
    if at_least is not None:
        allowance = max(allowance, top - at_least + tie_slack(at_least, step))
    floor = dict(lower)
    found_before: StageResult | None = None  # the best plan of a window whose optimum was not enough
    while True:
        previous = floor
        floor = {
            s: max(lower[s], best[s] - math.floor(allowance / weights[s] + 1e-9)) if weights[s] > 0 else lower[s]
            for s in best
        }
        if floor == previous and floor != lower:
            floor = dict(lower)  # the window did not move: take the whole range
        outside = max(
            (top - weights[s] * (best[s] - floor[s] + 1) for s in best if floor[s] > lower[s]), default=-math.inf
        )
        stage = stage_of("weighted_endurance", runner.optimise(question, floor, best), options)
        if stage is not None and stage.objective is None:
            # The time limit came first: the plan of an earlier window, if any, is the best one found
            # (the runner still holds it), no longer proven; its bound covers the whole range.
            if found_before is None:
                return Windowed(stage)
            found_before.status, found_before.proven_optimal = stage.status, False
            found_before.bound = top
            return Windowed(found_before)
        if stage is None:
            if floor == lower:
                return Windowed(None)
            allowance *= WINDOW_GROWTH
            continue
        found = (
            stage.objective
            if stage.proven_optimal and stage.objective is not None
            else runner.value_of("weighted_endurance")
        )
        if outside <= found + tie_slack(found, step):
            if not stage.proven_optimal and stage.bound is not None:
                stage.bound = max(stage.bound, outside)
            # Every plan weighing the optimum (to within the hold's slack) lies in this window, or one outside ties.
            return Windowed(stage, outside < found - tie_slack(found, step))
        allowance = top - found + tie_slack(found, step)
        stage.objective = found
        found_before = stage
