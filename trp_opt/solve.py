"""Solving the endurance model with HiGHS: the lexicographic stages of each objective.

Ties are broken exactly, as MODEL.md §3 asks: each stage is solved to its
optimum, then its value is fixed as a constraint and the next stage solved.
Endurance is a whole number of days, so fixing the worst endurance is exact;
the weighted sum is fixed with a tolerance of 1e-6 relative, well below the
smallest difference two plans can make when weights have a few decimals.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from trp_opt.errors import Infeasible, SolverFailure
from trp_opt.inputs import Inputs
from trp_opt.model import Plan, build_model

OBJECTIVES = ("maxmin", "expected", "target")
RANDOM_SEED = 20270101  # fixed so that a rerun gives the same figures
TIE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class SolveOptions:
    objective: str = "maxmin"
    time_limit: float | None = None  # seconds for all stages together
    gap: float = 0.0  # relative MIP gap; 0 asks for a proven optimum
    threads: int = 1  # one thread keeps HiGHS's path, and so the plan, identical between runs
    target: int | None = None  # days; replaces every scenario's Target endurance
    write_model: Path | None = None  # write the primary-objective model (MPS or LP) here


@dataclass
class StageResult:
    name: str
    status: str
    proven_optimal: bool
    objective: float | None
    bound: float | None
    seconds: float


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


class _Stages:
    """Runs the stages on one persistent HiGHS model, sharing the time limit."""

    def __init__(self, model: pyo.ConcreteModel, options: SolveOptions) -> None:
        self.model = model
        self.options = options
        self.solver = Highs()
        self.started = time.perf_counter()
        self.stages: list[StageResult] = []

    def remaining(self) -> float | None:
        if self.options.time_limit is None:
            return None
        return max(1.0, self.options.time_limit - (time.perf_counter() - self.started))

    def run(self, name: str, expression, sense) -> StageResult | None:
        """Solve with this objective; load the plan if one was found. None if no plan at all."""
        model = self.model
        for objective in model.component_objects(pyo.Objective, active=True):
            objective.deactivate()
        setattr(model, f"objective_{name}", pyo.Objective(expr=expression, sense=sense))
        start = time.perf_counter()
        results = self.solver.solve(
            model,
            time_limit=self.remaining(),
            rel_gap=self.options.gap,
            threads=self.options.threads,
            solver_options={"random_seed": RANDOM_SEED},
            load_solutions=False,
            raise_exception_on_nonoptimal_result=False,
        )
        seconds = time.perf_counter() - start
        termination = results.termination_condition
        if termination in (TerminationCondition.provenInfeasible, TerminationCondition.infeasibleOrUnbounded):
            return None
        if results.solution_status not in (SolutionStatus.optimal, SolutionStatus.feasible):
            if termination in (TerminationCondition.maxTimeLimit, TerminationCondition.interrupted):
                return StageResult(name, "time limit reached before any plan was found", False, None, None, seconds)
            raise SolverFailure(f"HiGHS stopped without a plan: {termination.name}")
        results.solution_loader.load_vars()
        proven = termination == TerminationCondition.convergenceCriteriaSatisfied
        status = "optimal" if proven and self.options.gap == 0 else describe(termination, self.options.gap)
        stage = StageResult(name, status, proven, results.incumbent_objective, results.objective_bound, seconds)
        self.stages.append(stage)
        return stage


def describe(termination: TerminationCondition, gap: float) -> str:
    if termination == TerminationCondition.convergenceCriteriaSatisfied:
        return f"optimal within the requested gap of {gap:.2%}"
    if termination == TerminationCondition.maxTimeLimit:
        return "time limit reached: feasible plan, not proven optimal"
    if termination == TerminationCondition.interrupted:
        return "interrupted: feasible plan, not proven optimal"
    return f"stopped ({termination.name}): feasible plan, not proven optimal"


def plan_of(model: pyo.ConcreteModel) -> dict[tuple[str, int], int]:
    return {key: int(round(pyo.value(var))) for key, var in model.build.items() if round(pyo.value(var)) > 0}


def endurance_of(model: pyo.ConcreteModel) -> dict[str, int]:
    return {s: int(round(pyo.value(model.endurance[s]))) for s in model.scenario_ids}


def choose_plan(
    inputs: Inputs,
    options: SolveOptions,
    progress: Callable[[str], None] = lambda _: None,
) -> PlanResult:
    """Find the best plan for the chosen objective, breaking ties lexicographically.

    Raises Infeasible when no plan satisfies every rule (with the rules that
    conflict), SolverFailure when HiGHS stops for another reason.
    """
    if options.objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {options.objective!r}; expected one of {OBJECTIVES}")
    targets = targets_for(inputs, options)
    progress("Building the model")
    start = time.perf_counter()
    model = build_model(inputs, targets=targets)
    build_seconds = time.perf_counter() - start

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

    if options.write_model is not None:
        name, expression, sense = stages_of[0]
        model.objective_for_audit = pyo.Objective(expr=expression, sense=sense)
        model.write(str(options.write_model), io_options={"symbolic_solver_labels": True})
        model.del_component(model.objective_for_audit)

    runner = _Stages(model, options)
    notes: list[str] = []
    for index, (name, expression, sense) in enumerate(stages_of):
        progress(f"Solving stage {index + 1} of {len(stages_of)}: {name.replace('_', ' ')}")
        stage = runner.run(name, expression, sense)
        if stage is None:
            if index == 0:
                raise_infeasible(inputs, targets, options)
            raise SolverFailure(f"stage '{name}' became infeasible after fixing the earlier optimum")
        if stage.objective is None:
            if index == 0:
                raise SolverFailure("the time limit ran out before any plan was found; allow more time")
            notes.append(f"Tie-break '{name}' stopped by the time limit; the plan of the stage before is kept.")
            break
        if not stage.proven_optimal and index > 0:
            notes.append(f"Tie-break '{name}' not proven optimal ({stage.status}).")
        # Hold this stage's value while the next one is solved.
        value = stage.objective if stage.proven_optimal else pyo.value(expression)
        keep = f"keep_{name}"
        if name == "worst_endurance":
            worst = math.floor(value + 1e-6)
            setattr(model, keep, pyo.Constraint(expr=expression >= worst))
            # Equivalent, and much stronger for the solver: every scenario meets its first `worst` days.
            for (_, day), ok in model.ok.items():
                if day <= worst:
                    ok.fix(1)
        elif sense == maximize:
            setattr(model, keep, pyo.Constraint(expr=expression >= value - TIE_TOLERANCE * max(1.0, abs(value))))
        else:
            setattr(model, keep, pyo.Constraint(expr=expression <= value + TIE_TOLERANCE * max(1.0, abs(value))))

    return PlanResult(
        plan=plan_of(model),
        endurance=endurance_of(model),
        stages=runner.stages,
        solver_version=".".join(str(v) for v in runner.solver.version()),
        build_seconds=build_seconds,
        solve_seconds=sum(s.seconds for s in runner.stages),
        notes=notes,
    )


def raise_infeasible(inputs: Inputs, targets: dict[str, int], options: SolveOptions) -> None:
    from trp_opt.diagnosis import explain_infeasibility  # only needed when things go wrong

    raise explain_infeasibility(inputs, targets, options)


def fixed_plan_endurance(inputs: Inputs, plan: Plan, options: SolveOptions | None = None) -> dict[str, int]:
    """Endurance of every scenario with the investments fixed (each scenario on its own)."""
    options = options or SolveOptions()
    endurance = {}
    for scenario_id in inputs.scenarios:
        model = build_model(inputs, plan=plan, scenario_ids=[scenario_id])
        model.objective = pyo.Objective(expr=model.endurance[scenario_id], sense=pyo.maximize)
        results = Highs().solve(
            model,
            threads=options.threads,
            solver_options={"random_seed": RANDOM_SEED},
            raise_exception_on_nonoptimal_result=False,
            load_solutions=False,
        )
        if results.termination_condition != TerminationCondition.convergenceCriteriaSatisfied:
            raise SolverFailure(f"scenario {scenario_id} with the plan fixed: {results.termination_condition.name}")
        endurance[scenario_id] = int(round(results.incumbent_objective))
    return endurance
