"""The solves of a study, as tasks an executor runs (trp_opt.studies.executor).

Every solve is a task: a module-level function and a picklable dataclass, so that a process pool or a
Dask cluster can run it. Results come back in task order, so the numbers never depend on which worker
ran what.
"""

from __future__ import annotations

from dataclasses import dataclass

from trp_opt.data.errors import NoPlan
from trp_opt.data.inputs import Inputs
from trp_opt.data.options import SolveOptions
from trp_opt.data.plans import Plan, Reachable
from trp_opt.data.transforms import without_budget_limits
from trp_opt.io.ranges import Range, apply
from trp_opt.solve.block_runner import plan_endurance
from trp_opt.solve.choose import choose_plan
from trp_opt.studies.executor import Executor, Progress


@dataclass(frozen=True)
class Optimum:
    """What one optimisation found; plain data so that it pickles across processes."""

    plan: Plan
    endurance: dict[str, int]  # days per scenario
    feasible: bool = True
    proven: bool = True
    note: str = ""
    reachable: Reachable | None = None  # what the solve proved reachable: a start for larger budgets

    @property
    def worst(self) -> int | None:
        return min(self.endurance.values()) if self.feasible and self.endurance else None


@dataclass(frozen=True)
class OptimiseTask:
    inputs: Inputs
    options: SolveOptions
    worst_bounds: tuple[int, int] | None = None  # days: the best worst case is known to lie here
    known: Reachable | None = None  # reachable levels, from a smaller budget's solve


def optimise(task: OptimiseTask) -> Optimum:
    """The best plan for the inputs; an infeasible instance is a result, not an error."""
    try:
        chosen = choose_plan(task.inputs, task.options, worst_bounds=task.worst_bounds, known=task.known)
    except NoPlan as problem:  # a bare 'no plan': a study does not ask why
        return Optimum({}, {}, feasible=False, proven=True, note=problem.summary)
    return Optimum(
        dict(chosen.plan),
        dict(chosen.endurance),
        proven=chosen.primary.proven_optimal,
        note="; ".join(chosen.notes),
        reachable=chosen.reachable,
    )


@dataclass(frozen=True)
class HeldPlanTask:
    inputs: Inputs
    plan: Plan
    ranges: tuple[Range, ...] = ()
    values: tuple[float, ...] = ()
    options: SolveOptions = SolveOptions()


def held_plan_endurance(task: HeldPlanTask) -> dict[str, int]:
    """Endurance per scenario (days) of the plan under the inputs with the ranges set to ``values``."""
    inputs = apply(task.inputs, task.ranges, task.values) if task.ranges else task.inputs
    return plan_endurance(without_budget_limits(inputs), task.plan, task.options)


@dataclass(frozen=True)
class ReoptimiseTask:
    inputs: Inputs
    options: SolveOptions
    ranges: tuple[Range, ...]
    values: tuple[float, ...]


def reoptimise(task: ReoptimiseTask) -> Optimum:
    return optimise(OptimiseTask(apply(task.inputs, task.ranges, task.values), task.options))


def run_one(executor: Executor, function, task, progress: Progress | None):
    return executor.map(function, [task], progress)[0]
