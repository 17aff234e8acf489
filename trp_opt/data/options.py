"""How the analyst asks for a plan: the objective, the formulation and the solver's limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Objective = Literal["maxmin", "expected", "target"]
# blocks: the lexicographic stages by levels on runs of days with the same inputs (trp_opt.model.blocks);
# reference: models/endurance.md ("Objectives") as written, one Pyomo MIP per stage (the audit path and test oracle).
Formulation = Literal["blocks", "reference"]
OBJECTIVES: tuple[Objective, ...] = ("maxmin", "expected", "target")
FORMULATIONS: tuple[Formulation, ...] = ("blocks", "reference")


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
