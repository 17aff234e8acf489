"""The reference formulation: models/endurance.md ("Objectives") solved as written, one Pyomo MIP per stage with a
binary for every scenario and day. Kept as the audit path (``--write-model``) and as the test oracle
of the block formulation; slow on large instances by design."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence

import pyomo.environ as pyo

from trp_opt.data.errors import NoPlan, SolverFailure
from trp_opt.data.inputs import Inputs, weight_step
from trp_opt.data.options import SolveOptions, seconds_left
from trp_opt.data.plans import PlanResult, Reachable, StageName, StageResult
from trp_opt.io.excel import write_atomically
from trp_opt.model.formulation import build_model
from trp_opt.model.highs import HighsModel, Outcome
from trp_opt.solve.bisection import highest_level
from trp_opt.solve.parallel import Answered
from trp_opt.solve.runner import WEIGHTED_THEN_COST, Answer, Question
from trp_opt.solve.stages import hold_stage, stage_of

# The stages of each objective, in order (models/endurance.md ("Objectives")).
STAGES: dict[str, tuple[StageName, ...]] = {
    "maxmin": ("worst_endurance", "weighted_endurance", "total_cost"),
    "expected": ("weighted_endurance", "total_cost"),
    "target": ("total_cost", "weighted_endurance"),
}


class ReferenceRunner:
    """Solves one Pyomo model in one HiGHS instance many times, sharing the time limit between all solves.
    Declares trp_opt.solve.runner.Runner."""

    def __init__(self, model: pyo.ConcreteModel, options: SolveOptions) -> None:
        self.model = model
        self.options = options
        self.highs = HighsModel(model, threads=options.threads, gap=options.gap)
        self.scenario_ids = list(model.scenario_ids)
        self.started = time.perf_counter()
        self.seconds = 0.0
        self.timed_out = False

    def remaining(self) -> float | None:
        left = seconds_left(self.options, self.started)
        return None if left is None else max(0.01, left)

    def objective(self, stage: StageName):
        return {
            "worst_endurance": (self.model.worst_endurance, pyo.maximize),
            "weighted_endurance": (self.model.weighted_endurance, pyo.maximize),
            "total_cost": (self.model.total_cost, pyo.minimize),
        }[stage]

    def run(self, stage: StageName) -> StageResult | None:
        """Solve with this stage's objective and load the plan found. None when no plan exists;
        a StageResult with objective None when the time limit came before any plan."""
        return stage_of(stage, self._solve(stage), self.options)

    def _solve(self, stage: StageName) -> Outcome:
        self.highs.set_objective(*self.objective(stage))
        outcome = self.highs.solve(self.remaining())
        self.seconds += outcome.seconds
        if outcome.status.cut_short:
            self.timed_out = True
        return outcome

    # ---- trp_opt.solve.runner.Runner -----------------------------------------------------------------
    def reaches(self, levels: Mapping[str, int]) -> bool:
        self.set_levels(levels)
        found = self.run("worst_endurance")
        return found is not None and found.objective is not None

    def optimise(self, stage: Question, lower: Mapping[str, int], upper: Mapping[str, int]) -> Outcome:
        if stage == WEIGHTED_THEN_COST:
            raise ValueError("the reference formulation solves its stages one MIP each, as written")
        self.set_levels(lower, upper)
        return self._solve(stage)

    def keep(self, stage: StageName, value: float, slack: float) -> None:
        expression, sense = self.objective(stage)
        if sense == pyo.maximize:
            self.highs.add_constraint(f"keep_{stage}", expression, value - slack, None)
        else:
            self.highs.add_constraint(f"keep_{stage}", expression, None, value + slack)

    def value_of(self, stage: StageName) -> float:
        return float(pyo.value(self.objective(stage)[0]))

    def parallel_map(
        self, questions: Sequence[Callable[[ReferenceRunner], Answer]], answered: Answered | None = None
    ) -> list[Answer]:
        """One after another: the questions share this runner's one model."""
        answers = []
        for question in questions:
            answers.append(question(self))
            if answered is not None:
                answered(len(answers), len(questions))
        return answers

    # ---- days ----------------------------------------------------------------------------------------
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

    def plan(self) -> dict[tuple[str, int], int]:
        return {key: int(round(pyo.value(var))) for key, var in self.model.build.items() if round(pyo.value(var)) > 0}

    def endurance(self) -> dict[str, int]:
        """Days counted as met in the last plan found, per scenario."""
        return {s: int(round(pyo.value(self.model.endurance[s]))) for s in self.scenario_ids}

    def plan_endurance(self) -> dict[str, int]:
        """True endurance of each scenario under the last plan found.

        The stages guarantee at least the days they counted; a scenario whose days the objective did
        not value (weight 0, say) may last longer. Checked with the investments held, each scenario on
        its own, by linear programs. Ends this runner's use for stages: every held stage is released.
        """
        counted = self.endurance()
        # With the plan held these are small linear programs; a time limit must not cut them short,
        # or a check that timed out would report fewer days than the plan really gives.
        self.options = self.options.unlimited()
        for name in list(self.highs.rows_of):
            if name.startswith("keep_") or name == "target_endurance":
                self.highs.release(name)
        builds = list(self.model.build.values())
        units = [float(round(pyo.value(var))) for var in builds]
        self.highs.set_bounds(builds, units, units)
        endurance = {}
        zero = {s: 0 for s in self.scenario_ids}
        for s in self.scenario_ids:
            low = counted[s]
            horizon = len(self.model.days[s])
            if low >= horizon or not self.reaches({**zero, s: low + 1}):
                endurance[s] = low  # the usual case: one linear program confirms it
            else:
                endurance[s] = highest_level(self, {**zero, s: low + 1}, s, horizon)
        return endurance


def stages_as_written(
    runner: ReferenceRunner,
    inputs: Inputs,
    options: SolveOptions,
    targets: dict[str, int],
    progress: Callable[[str], None],
) -> tuple[list[StageResult], list[str]]:
    """models/endurance.md ("Objectives") as written: one MIP per stage, a binary for every scenario and day."""
    model = runner.model
    names = STAGES[options.objective]
    if not options.cheapest and options.objective != "target":
        names = names[:-1]
    stages: list[StageResult] = []
    notes: list[str] = []
    for index, name in enumerate(names):
        progress(f"Solving stage {index + 1} of {len(names)}: {name.replace('_', ' ')}")
        stage = runner.run(name)
        if stage is None:
            if index == 0:
                raise NoPlan(inputs, targets)
            raise SolverFailure(f"stage '{name}' became infeasible after fixing the earlier optimum")
        if stage.objective is None:
            if index == 0:
                raise SolverFailure("the time limit ran out before any plan was found; allow more time")
            notes.append(f"Tie-break '{name}' stopped by the time limit; the plan of the stage before is kept.")
            break
        stages.append(stage)
        if not stage.proven_optimal and index > 0:
            notes.append(f"Tie-break '{name}' not proven optimal ({stage.status}).")
        value = stage.objective if stage.proven_optimal else runner.value_of(name)
        if name == "worst_endurance":
            # Exact (a whole number of days), and stronger for the solver: every scenario meets its first days.
            worst = math.floor(value + 1e-6)
            runner.set_levels(
                {s: worst for s in model.scenario_ids}, {s: len(model.days[s]) for s in model.scenario_ids}
            )
        else:
            hold_stage(runner, name, value, weight_step(inputs.scenarios[s].weight for s in model.scenario_ids))
    return stages, notes


def choose_as_written(
    inputs: Inputs,
    options: SolveOptions,
    targets: dict[str, int],
    progress: Callable[[str], None],
    worst_bounds: tuple[int, int] | None = None,
    known: Reachable | None = None,
    answered: Answered | None = None,
) -> PlanResult:
    """The plan of the reference formulation, with its true endurance per scenario. ``worst_bounds``
    and ``known`` are hints for the block formulation's bisections; solved as written, none is needed.
    ``answered`` goes unused: a stage is one MIP, its progress the line saying which (stage k of n)."""
    start = time.perf_counter()
    model = build_model(inputs, targets=targets)
    build_seconds = time.perf_counter() - start
    if options.write_model is not None:
        write_primary_model(model, options)
    # Building counts until the model is in HiGHS; solving is the wall time of every stage after that.
    start = time.perf_counter()
    runner = ReferenceRunner(model, options)
    build_seconds += time.perf_counter() - start
    start = time.perf_counter()
    stages, notes = stages_as_written(runner, inputs, options, targets, progress)
    plan = runner.plan()
    progress("Checking the endurance of the plan")
    endurance = runner.plan_endurance()
    return PlanResult(
        plan, endurance, stages, runner.highs.version(), build_seconds, time.perf_counter() - start, notes
    )


def write_primary_model(model: pyo.ConcreteModel, options: SolveOptions) -> None:
    """The reference model with its first-stage objective, for audit (MPS or LP, by the file's suffix)."""
    expression, sense = {
        "maxmin": (model.worst_endurance, pyo.maximize),
        "expected": (model.weighted_endurance, pyo.maximize),
        "target": (model.total_cost, pyo.minimize),
    }[options.objective]
    model.objective_for_audit = pyo.Objective(expr=expression, sense=sense)
    destination = options.write_model
    if destination is None:
        return
    try:
        # Atomic: an interrupted write leaves any earlier file as it was (the format follows the suffix).
        write_atomically(destination, lambda path: model.write(str(path), io_options={"symbolic_solver_labels": True}))
    finally:
        model.del_component(model.objective_for_audit)
