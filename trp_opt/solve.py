"""Solving the endurance model with HiGHS: the lexicographic stages of each objective.

Ties are broken exactly, as MODEL.md §3 asks: each stage is solved to its
optimum, then its value is fixed as a constraint and the next stage solved.
Endurance is a whole number of days, so fixing the worst endurance is exact;
the weighted sum is fixed with a tolerance of 1e-6 relative, well below the
smallest difference two plans can make when weights have a few decimals.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyomo.environ as pyo

from trp_opt import block_runner
from trp_opt.errors import Infeasible, SolverFailure
from trp_opt.highs import HighsModel, Outcome
from trp_opt.inputs import Inputs
from trp_opt.model import Plan, build_model

OBJECTIVES = ("maxmin", "expected", "target")
# blocks: the levels algorithm on runs of days with the same inputs (trp_opt/blocks.py), no Pyomo;
# levels: the same algorithm on the Pyomo model, day by day; reference: MODEL.md §3 as written.
FORMULATIONS = ("blocks", "levels", "reference")
TIE_TOLERANCE = 1e-6
# The weighted stage's first window: this many days of the heaviest weight short of the bests,
# widened by this factor while no plan is found in it (trp_opt.solve._weighted_in_windows).
WINDOW_DAYS = 2
WINDOW_GROWTH = 8


@dataclass(frozen=True)
class SolveOptions:
    objective: str = "maxmin"
    time_limit: float | None = None  # seconds for all stages together
    gap: float = 0.0  # relative MIP gap; 0 asks for a proven optimum
    threads: int = 1  # one thread keeps HiGHS's path, and so the plan, identical between runs
    target: int | None = None  # days; replaces every scenario's Target endurance
    write_model: Path | None = None  # write the primary-objective model (MPS or LP) here
    formulation: str = "blocks"  # "levels": the same on the Pyomo model; "reference": one MIP per stage
    # The cheapest plan among those with the best endurance: a tie-break that decides the allocation,
    # not the days. Re-solves that report only days (compare's lifts, value of money) skip it.
    cheapest: bool = True


@dataclass
class StageResult:
    name: str
    status: str
    proven_optimal: bool
    objective: float | None
    bound: float | None
    seconds: float


@dataclass(frozen=True)
class Reachable:
    """Levels known to be reachable before a solve, e.g. from the same inputs with less money (a plan
    that fits a budget fits a larger one): ``worst``, days every scenario reaches at once; ``bests``,
    each scenario's most days with every other at ``worst`` (what the solve's bisection found)."""

    worst: int
    bests: Mapping[str, int]
    weighted: float | None = None  # the weighted endurance of a plan with every scenario at ``worst`` or more


@dataclass
class PlanResult:
    """The chosen investments and the endurance they give, before any explanation."""

    plan: dict[tuple[str, int], int]
    endurance: dict[str, int]
    stages: list[StageResult]
    solver_version: str
    build_seconds: float
    solve_seconds: float
    notes: list[str] = field(default_factory=list)
    reachable: Reachable | None = None  # what the bisections proved reachable (formulations blocks, levels)

    @property
    def primary(self) -> StageResult:
        return self.stages[0]

    @property
    def gap(self) -> float | None:
        return relative_gap(self.primary.objective, self.primary.bound)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    difference = abs(bound - objective)
    if difference <= 1e-9:
        return 0.0
    return difference / max(abs(objective), 1e-9)


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


def stage_of(name: str, outcome: Outcome, options: SolveOptions) -> StageResult | None:
    """A stage's result from how its solve ended. None when no plan exists; objective None when the
    time limit came before any plan."""
    if outcome.status == "infeasible":
        return None
    if not outcome.has_plan:
        if outcome.status in ("time limit", "interrupted"):
            return StageResult(name, "time limit reached before any plan was found", False, None, None, outcome.seconds)
        raise SolverFailure(f"HiGHS stopped without a plan: {outcome.status}")
    status = "optimal" if outcome.proven and options.gap == 0 else describe(outcome.status, options.gap)
    return StageResult(name, status, outcome.proven, outcome.objective, outcome.bound, outcome.seconds)


class _Runner:
    """Solves one model in one HiGHS instance many times, sharing the time limit between all solves."""

    def __init__(self, model: pyo.ConcreteModel, options: SolveOptions) -> None:
        self.model = model
        self.options = options
        self.highs = HighsModel(model, threads=options.threads, gap=options.gap)
        self.scenario_ids = list(model.scenario_ids)
        self.started = time.perf_counter()
        self.seconds = 0.0
        self.timed_out = False

    def remaining(self) -> float | None:
        if self.options.time_limit is None:
            return None
        return max(0.01, self.options.time_limit - (time.perf_counter() - self.started))

    def run(self, name: str, expression, sense) -> StageResult | None:
        """Solve with this objective and load the plan found. None when no plan exists;
        a StageResult with objective None when the time limit came before any plan."""
        return stage_of(name, self._solve(expression, sense), self.options)

    def _solve(self, expression, sense) -> Outcome:
        self.highs.set_objective(expression, sense)
        outcome = self.highs.solve(self.remaining())
        self.seconds += outcome.seconds
        if outcome.status in ("time limit", "interrupted"):
            self.timed_out = True
        return outcome

    def apart(self, questions):
        """Each question asked of this runner, one after another (the block runner asks them side by side)."""
        return [question(self) for question in questions]

    # The levels algorithm asks its stages by name (the block runner answers the same questions).
    def objective(self, name: str):
        return {
            "worst_endurance": (self.model.worst_endurance, pyo.maximize),
            "weighted_endurance": (self.model.weighted_endurance, pyo.maximize),
            "total_cost": (self.model.total_cost, pyo.minimize),
        }[name]

    def optimise(self, name: str, lower: Mapping[str, int], upper: Mapping[str, int]) -> Outcome:
        self.set_levels(lower, upper)
        return self._solve(*self.objective(name))

    def keep(self, name: str, value: float, slack: float) -> None:
        self.hold(name, *self.objective(name), value, slack)

    def value_of(self, name: str) -> float:
        return float(pyo.value(self.objective(name)[0]))

    def hold(self, name: str, expression, sense, value: float, slack: float | None = None) -> None:
        """Keep a stage's optimum while the next stage is solved."""
        slack = TIE_TOLERANCE * max(1.0, abs(value)) if slack is None else slack
        if sense == pyo.maximize:
            self.highs.add_constraint(f"keep_{name}", expression, value - slack, None)
        else:
            self.highs.add_constraint(f"keep_{name}", expression, None, value + slack)

    def set_levels(self, lower: Mapping[str, int], upper: Mapping[str, int] | None = None) -> None:
        """Days up to lower[s] must be met; days after upper[s] (default lower[s]) are not counted; between is free."""
        upper = upper or lower
        variables, lows, ups = [], [], []
        for (scenario_id, day), ok in self.model.ok.items():
            variables.append(ok)
            if day <= lower[scenario_id]:
                low, up = 1.0, 1.0
            elif day > upper[scenario_id]:
                low, up = 0.0, 0.0
            else:
                low, up = 0.0, 1.0
            lows.append(low)
            ups.append(up)
        self.highs.set_bounds(variables, lows, ups)
        if self.options.formulation != "reference":
            # Days after upper[s] are not counted: leave them out of HiGHS rather than solve them for nothing.
            self.highs.set_horizon(dict(upper))

    def reaches(self, levels: Mapping[str, int]) -> bool:
        """Can some plan meet every requirement of each scenario s on days 1..levels[s]?

        The days are fixed, so this is a search over investments alone, with no day binaries.
        A check cut short by the time limit counts as 'no' and marks the result unproven.
        """
        self.set_levels(levels)
        found = self.run("check", self.model.worst_endurance, pyo.maximize)
        return found is not None and found.objective is not None


def highest_level(runner: _Runner, levels: dict[str, int], scenario_id: str, top: int, near: bool = False) -> int:
    """The most days scenario_id can reach with the others held at ``levels`` (bisection).
    ``near``: the answer is expected just above levels[scenario_id] (known from a smaller problem):
    the search steps up from there, doubling, instead of asking the top first."""
    def reaches(days: int) -> bool:
        return runner.reaches({**levels, scenario_id: days})

    if near:
        return block_runner.last_day_met(reaches, levels[scenario_id], top, start_met=True)
    if reaches(top):
        return top
    return block_runner.last_met_between(reaches, levels[scenario_id], top)


def describe(status: str, gap: float) -> str:
    if status == "optimal":
        return f"optimal within the requested gap of {gap:.2%}"
    if status == "time limit":
        return "time limit reached: feasible plan, not proven optimal"
    if status == "interrupted":
        return "interrupted: feasible plan, not proven optimal"
    return f"stopped ({status}): feasible plan, not proven optimal"


def plan_of(model: pyo.ConcreteModel) -> dict[tuple[str, int], int]:
    return {key: int(round(pyo.value(var))) for key, var in model.build.items() if round(pyo.value(var)) > 0}


def endurance_of(model: pyo.ConcreteModel) -> dict[str, int]:
    return {s: int(round(pyo.value(model.endurance[s]))) for s in model.scenario_ids}


def choose_plan(
    inputs: Inputs,
    options: SolveOptions,
    progress: Callable[[str], None] = lambda _: None,
    worst_bounds: tuple[int, int] | None = None,
    known: Reachable | None = None,
) -> PlanResult:
    """Find the best plan for the chosen objective, breaking ties lexicographically.

    ``worst_bounds`` (low, high), optional, for 'maxmin' with the 'blocks' or 'levels' formulation:
    the best worst-case endurance is known to lie in low..high days (low reachable), e.g. from the
    neighbouring budgets of a frontier; the bisection then searches only there. ``known``: levels
    reachable in these inputs (a smaller problem's ``PlanResult.reachable``); the bisections step up
    from them, which costs a question or two when little changed (the value of money's budget + step).

    Raises Infeasible when no plan satisfies every rule (with the rules that
    conflict), SolverFailure when HiGHS stops for another reason.
    """
    if options.objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {options.objective!r}; expected one of {OBJECTIVES}")
    if options.formulation not in FORMULATIONS:
        raise ValueError(f"unknown formulation {options.formulation!r}; expected one of {FORMULATIONS}")
    targets = targets_for(inputs, options)
    progress("Building the model")
    start = time.perf_counter()
    if options.formulation == "blocks":
        if options.write_model is not None:  # the audit copy is the Pyomo model, whatever the formulation
            write_primary_model(build_model(inputs, targets=targets or None), options)
        runner = block_runner.BlockRunner(inputs, options)
        loaded = runner.build_seconds
        start = time.perf_counter()
        stages, notes, reachable = _by_levels(runner, inputs, options, targets, progress, worst_bounds, known)
        plan = runner.plan()
        progress("Checking the endurance of the plan")
        # Asked afresh over the whole horizon, not from the days the stages counted: a count that holds
        # only within solver tolerance (a stock emptied exactly on its last day) is not reported as met.
        endurance = block_runner.fixed_plan_endurance(inputs, plan, dataclasses.replace(options, time_limit=None),
                                                      guess=runner.endurance(), fixed_pieces=runner.fixed_pieces)
        # Building and assembling the arrays of every question counts as building, the rest as solving.
        assembling = runner.build_seconds - loaded
        solve_seconds = time.perf_counter() - start - assembling
        return PlanResult(plan, endurance, stages, runner.version(), runner.build_seconds, solve_seconds, notes,
                          reachable)
    model = build_model(inputs, targets=targets if options.formulation == "reference" else None)
    build_seconds = time.perf_counter() - start
    if options.write_model is not None:
        write_primary_model(model, options)
    # Building counts until the model is in HiGHS; solving is the wall time of every stage after that.
    start = time.perf_counter()
    runner = _Runner(model, options)
    build_seconds += time.perf_counter() - start
    start = time.perf_counter()
    reachable = None
    if options.formulation == "reference":
        stages, notes = _by_reference(model, runner, options, targets, progress)
    else:
        stages, notes, reachable = _by_levels(runner, inputs, options, targets, progress, worst_bounds, known)
    plan = plan_of(model)
    progress("Checking the endurance of the plan")
    endurance = plan_endurance(model, runner, inputs, plan)
    return PlanResult(
        plan=plan,
        endurance=endurance,
        stages=stages,
        solver_version=runner.highs.version(),
        build_seconds=build_seconds,
        solve_seconds=time.perf_counter() - start,
        notes=notes,
        reachable=reachable,
    )


def write_primary_model(model: pyo.ConcreteModel, options: SolveOptions) -> None:
    """The reference model with its first-stage objective, for audit (MPS or LP, by the file's suffix)."""
    expression, sense = {
        "maxmin": (model.worst_endurance, pyo.maximize),
        "expected": (model.weighted_endurance, pyo.maximize),
        "target": (model.total_cost, pyo.minimize),
    }[options.objective]
    model.objective_for_audit = pyo.Objective(expr=expression, sense=sense)
    model.write(str(options.write_model), io_options={"symbolic_solver_labels": True})
    model.del_component(model.objective_for_audit)


def _by_reference(model, runner: _Runner, options: SolveOptions, targets, progress) -> tuple[list[StageResult], list[str]]:
    """MODEL.md §3 as written: one MIP per stage, a binary for every scenario and day."""
    maximize, minimize = pyo.maximize, pyo.minimize
    stages_of = {
        "maxmin": [
            ("worst_endurance", model.worst_endurance, maximize),
            ("weighted_endurance", model.weighted_endurance, maximize),
            ("total_cost", model.total_cost, minimize),
        ],
        "expected": [
            ("weighted_endurance", model.weighted_endurance, maximize),
            ("total_cost", model.total_cost, minimize),
        ],
        "target": [
            ("total_cost", model.total_cost, minimize),
            ("weighted_endurance", model.weighted_endurance, maximize),
        ],
    }[options.objective]
    if not options.cheapest and options.objective != "target":
        stages_of = stages_of[:-1]
    stages: list[StageResult] = []
    notes: list[str] = []
    for index, (name, expression, sense) in enumerate(stages_of):
        progress(f"Solving stage {index + 1} of {len(stages_of)}: {name.replace('_', ' ')}")
        stage = runner.run(name, expression, sense)
        if stage is None:
            if index == 0:
                raise_infeasible(model.inputs, targets, options)
            raise SolverFailure(f"stage '{name}' became infeasible after fixing the earlier optimum")
        if stage.objective is None:
            if index == 0:
                raise SolverFailure("the time limit ran out before any plan was found; allow more time")
            notes.append(f"Tie-break '{name}' stopped by the time limit; the plan of the stage before is kept.")
            break
        stages.append(stage)
        if not stage.proven_optimal and index > 0:
            notes.append(f"Tie-break '{name}' not proven optimal ({stage.status}).")
        value = stage.objective if stage.proven_optimal else pyo.value(expression)
        if name == "worst_endurance":
            # Exact (a whole number of days), and stronger for the solver: every scenario meets its first days.
            worst = math.floor(value + 1e-6)
            runner.set_levels({s: worst for s in model.scenario_ids}, {s: len(model.days[s]) for s in model.scenario_ids})
        else:
            runner.hold(name, expression, sense, value)
    return stages, notes


def _by_levels(runner, inputs: Inputs, options: SolveOptions, targets, progress, worst_bounds=None,
               known: Reachable | None = None):
    """The same lexicographic optimum, found without day binaries wherever possible.

    Whether a plan exists that meets scenario s on days 1..k is a question
    about investments alone once the days are fixed, and the answer only
    turns from yes to no as k grows. So the worst endurance is found by
    bisection over k; each scenario's best endurance (the others held) by
    bisection too. If every scenario can reach its own best at once, the
    weighted optimum is that vector; otherwise a MIP with day binaries only
    between those bounds decides. The cost stage then has (almost) no day
    binaries left.

    ``runner`` is the Pyomo model in HiGHS (formulation 'levels') or the block
    model (formulation 'blocks'): both answer reaches(levels), optimise(stage,
    lower, upper), keep(stage, value, slack) and value_of(stage). Returns the stages,
    the notes, and what the bisections proved reachable (None under 'target').
    ``known``: levels already known to be reachable (see choose_plan).
    """
    scenario_ids = list(runner.scenario_ids)
    horizon = {s: inputs.scenarios[s].horizon for s in scenario_ids}
    weights = {s: inputs.scenarios[s].weight for s in scenario_ids}
    stages: list[StageResult] = []
    notes: list[str] = []

    def timed(name: str, value: float, seconds_before: float) -> StageResult:
        status = "time limit reached: feasible plan, not proven optimal" if runner.timed_out else "optimal"
        return StageResult(name, status, not runner.timed_out, value, None if runner.timed_out else value,
                           runner.seconds - seconds_before)

    def keep(name: str, value: float) -> None:
        runner.keep(name, value, TIE_TOLERANCE * max(1.0, abs(value)))

    lower = {s: 0 for s in scenario_ids}
    if options.objective == "target":
        progress("Finding the cheapest plan that reaches every target")
        stage = stage_of("total_cost", runner.optimise("total_cost", targets, targets), options)
        if stage is None:
            raise_infeasible(inputs, targets, options)
        if stage.objective is None:
            raise SolverFailure("the time limit ran out before any plan was found; allow more time")
        stages.append(stage)
        keep("total_cost", stage.objective)
        lower = dict(targets)
    else:
        before = runner.seconds
        if not runner.reaches(lower):
            if runner.timed_out:  # not a proof of infeasibility: the check itself was cut short
                raise SolverFailure("the time limit ran out before any plan was found; allow more time")
            raise_infeasible(inputs, targets, options)
        if options.objective == "maxmin":
            progress("Finding the best worst-case endurance")
            low, high = worst_bounds or (0, min(horizon.values()))
            near = known is not None and known.worst >= low
            low = max(low, known.worst) if near else low
            common = highest_level(_CommonLevel(runner, scenario_ids), {"all": low}, "all",
                                   min(high, min(horizon.values())), near=near)
            lower = {s: common for s in scenario_ids}
            stages.append(timed("worst_endurance", common, before))

    progress("Finding the best weighted endurance")
    before = runner.seconds
    best = dict(lower)
    # Known bests hold only with the others at the same level as when they were found.
    near = known is not None and options.objective != "target" and all(lower[s] == known.worst for s in scenario_ids)

    def best_days(s: str) -> Callable[[object], int]:
        start = max(lower[s], known.bests.get(s, lower[s])) if near else lower[s]
        return lambda asked: highest_level(asked, {**lower, s: start}, s, horizon[s], near=near)

    # Each scenario's search is independent of the others': they are asked side by side.
    weighed = [s for s in scenario_ids if weights[s] > 0]
    best.update(zip(weighed, runner.apart([best_days(s) for s in weighed])))
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
        at_least = known.weighted if near else None
        stage = _weighted_in_windows(runner, lower, best, weights, options, at_least)
        if (stage is None or stage.objective is None) and runner.timed_out:
            # The runner still holds the last plan found, which reaches every level proven so far.
            notes.append("Tie-break 'weighted_endurance' stopped by the time limit; the plan of the stage before is kept.")
            return stages, notes, reachable
        if stage is None or stage.objective is None:
            raise SolverFailure("the weighted-endurance stage found no plan although an earlier stage did")
        stage.seconds = runner.seconds - before
        stages.append(stage)
        if not stage.proven_optimal:
            notes.append(f"Tie-break 'weighted_endurance' not proven optimal ({stage.status}).")
        held = stage.objective if stage.proven_optimal else runner.value_of("weighted_endurance")
        keep("weighted_endurance", held)
        if reachable is not None:
            reachable = dataclasses.replace(reachable, weighted=held)
        # Each scenario must still carry its part of that sum when the others are at their best:
        # exact lower bounds that leave the cost stage far fewer day binaries.
        for s in scenario_ids:
            if weights[s] > 0:
                others = sum(weights[r] * best[r] for r in scenario_ids if r != s)
                needed = (held - TIE_TOLERANCE * max(1.0, abs(held)) - others) / weights[s]
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


def _weighted_in_windows(runner, lower: dict[str, int], best: dict[str, int], weights: dict[str, float],
                         options: SolveOptions, at_least: float | None = None) -> StageResult | None:
    """The weighted-endurance MIP, asked within a window of days just below each scenario's best.

    Every scenario s lasts at most best[s] days. A vector with scenario s below
    best[s] − k weighs at most top − w_s (k + 1), top = Σ w_r best[r]; so when the
    best plan within the window (at most k_s days short in each scenario) weighs at
    least what any vector outside can, it is the optimum. The first window allows two
    days of the heaviest weight short; a window with no plan, or whose optimum W is
    beaten by what lies outside, is widened to the bounds that W itself proves.
    Day binaries only in a window keep the MIP small and its relaxation tight.
    ``at_least``: a weighted endurance some plan is known to reach; the first window is then wide
    enough for its optimum to be proven at once.
    """
    top = sum(weights[s] * best[s] for s in best)
    allowance = WINDOW_DAYS * max(weights.values())
    if at_least is not None:
        allowance = max(allowance, top - at_least + TIE_TOLERANCE * max(1.0, abs(at_least)))
    floor = dict(lower)
    found_before: StageResult | None = None  # the best plan of a window whose optimum was not enough
    while True:
        previous = floor
        floor = {s: max(lower[s], best[s] - math.floor(allowance / weights[s] + 1e-9)) if weights[s] > 0 else lower[s]
                 for s in best}
        if floor == previous and floor != lower:
            floor = dict(lower)  # the window did not move: take the whole range
        outside = max((top - weights[s] * (best[s] - floor[s] + 1) for s in best if floor[s] > lower[s]), default=-math.inf)
        stage = stage_of("weighted_endurance", runner.optimise("weighted_endurance", floor, best), options)
        if stage is not None and stage.objective is None:
            # The time limit came first: the plan of an earlier window, if any, is the best one found
            # (the runner still holds it), no longer proven; its bound covers the whole range.
            if found_before is None:
                return stage
            found_before.status, found_before.proven_optimal = stage.status, False
            found_before.bound = top
            return found_before
        if stage is None:
            if floor == lower:
                return None
            allowance *= WINDOW_GROWTH
            continue
        found = stage.objective if stage.proven_optimal else runner.value_of("weighted_endurance")
        if outside <= found + TIE_TOLERANCE * max(1.0, abs(found)):
            if not stage.proven_optimal and stage.bound is not None:
                stage.bound = max(stage.bound, outside)
            return stage
        allowance = top - found + TIE_TOLERANCE * max(1.0, abs(found))
        stage.objective = found
        found_before = stage


class _CommonLevel:
    """Adapts the runner so that one level 'all' stands for every scenario (bisection of the worst case)."""

    def __init__(self, runner: _Runner, scenario_ids: list[str]) -> None:
        self.runner, self.scenario_ids = runner, scenario_ids

    def reaches(self, levels: Mapping[str, int]) -> bool:
        return self.runner.reaches({s: levels["all"] for s in self.scenario_ids})


def plan_endurance(model: pyo.ConcreteModel, runner: _Runner, inputs: Inputs, plan) -> dict[str, int]:
    """True endurance of each scenario under the chosen plan.

    The stages guarantee at least the days they counted; a scenario whose days
    the objective did not value (weight 0, say) may last longer. Checked with
    the investments fixed, each scenario on its own, by linear programs.
    """
    counted = endurance_of(model)
    # With the plan fixed these are small linear programs; a time limit must not cut them short,
    # or a check that timed out would report fewer days than the plan really gives.
    runner.options = dataclasses.replace(runner.options, time_limit=None)
    for name in list(runner.highs.rows_of):
        if name.startswith("keep_") or name == "target_endurance":
            runner.highs.release(name)
    builds = list(model.build.values())
    units = [float(round(pyo.value(var))) for var in builds]
    runner.highs.set_bounds(builds, units, units)
    endurance = {}
    zero = {s: 0 for s in model.scenario_ids}
    for s in model.scenario_ids:
        low = counted[s]
        if low >= len(model.days[s]) or not runner.reaches({**zero, s: low + 1}):
            endurance[s] = low  # the usual case: one linear program confirms it
        else:
            endurance[s] = highest_level(runner, {**zero, s: low + 1}, s, len(model.days[s]))
    return endurance


def raise_infeasible(inputs: Inputs, targets: dict[str, int], options: SolveOptions) -> None:
    from trp_opt.diagnosis import explain_infeasibility  # only needed when things go wrong

    raise explain_infeasibility(inputs, targets, options)


def fixed_plan_endurance(inputs: Inputs, plan: Plan, options: SolveOptions | None = None,
                         at_most: Mapping[str, int] | None = None, fixed_pieces: dict | None = None) -> dict[str, int]:
    """Endurance of every scenario with the investments fixed (each scenario on its own); ``at_most[s]``:
    a bound known beforehand (the endurance of a plan with more units); ``fixed_pieces``: shared between
    calls about plans of the same inputs (see block_runner.BlockRunner)."""
    return block_runner.fixed_plan_endurance(inputs, plan, options or SolveOptions(), at_most=at_most,
                                             fixed_pieces=fixed_pieces)
