"""How the analyst asks for a plan: the objective, the formulation and the solver's limits."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Objective = Literal["maxmin", "expected", "target"]
# blocks: the lexicographic stages by levels on runs of days with the same inputs (trp_opt.model.blocks);
# reference: models/endurance.md ("Objectives") as written, one Pyomo MIP per stage (the audit path and test oracle).
Formulation = Literal["blocks", "reference"]
OBJECTIVES: tuple[Objective, ...] = ("maxmin", "expected", "target")
FORMULATIONS: tuple[Formulation, ...] = ("blocks", "reference")


def objective_named(word: str) -> Objective | None:
    """The objective an option names, or None when it names none."""
    return next((objective for objective in OBJECTIVES if objective == word), None)


def formulation_named(word: str) -> Formulation | None:
    """The formulation an option names, or None when it names none."""
    return next((formulation for formulation in FORMULATIONS if formulation == word), None)


@dataclass(frozen=True)
class SolveOptions:
    objective: Objective = "maxmin"
    time_limit: float | None = None  # seconds for all stages together
    gap: float = 0.0  # relative MIP gap; 0 asks for a proven optimum
    threads: int = 1  # one thread keeps HiGHS's path, and so the plan, identical between runs
    target: int | None = None  # days; replaces every scenario's Target endurance
    write_model: Path | None = None  # write the primary-objective model (MPS or LP) here
    formulation: Formulation = "blocks"
    # The cheapest plan among those with the best endurance: a tie-break that decides the allocation,
    # not the days. Re-solves that report only days (compare's lifts, value of money) skip it.
    cheapest: bool = True
    # A clock shared by many solves (the sheets that explain a plan, trp_opt.app.solve): the time.perf_counter()
    # by which every question ends, whatever each solve's own time_limit leaves.
    deadline: float | None = None

    def days_only(self) -> SolveOptions:
        """For re-solves that report only days (the explaining sheets, compare's lifts): no cheapest-plan tie-break."""
        return dataclasses.replace(self, cheapest=False)

    def unlimited(self) -> SolveOptions:
        """For small programs with the plan held, which a time limit must not cut short (a check cut short would
        report fewer days than the plan gives)."""
        return dataclasses.replace(self, time_limit=None, deadline=None)


def seconds_left(options: SolveOptions, started: float) -> float | None:
    """Seconds left for a solve that began at ``started`` (time.perf_counter()); None: no limit."""
    left = []
    if options.time_limit is not None:
        left.append(options.time_limit - (time.perf_counter() - started))
    if options.deadline is not None:
        left.append(options.deadline - time.perf_counter())
    return min(left) if left else None


def out_of_time(options: SolveOptions) -> bool:
    """The shared clock has run out: no question is worth building any more."""
    return options.deadline is not None and time.perf_counter() >= options.deadline


def with_deadline(options: SolveOptions) -> SolveOptions:
    """The options of the solves that explain a plan: --time-limit seconds from now for all of them together."""
    if options.time_limit is None:
        return options
    return dataclasses.replace(options, deadline=time.perf_counter() + options.time_limit)
