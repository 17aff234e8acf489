"""A plan (units of each project by start year) and what a solve found about it, as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from trp_opt.data.inputs import Inputs

# Units funded per (project ID, start year); a project not funded is absent.
Plan = Mapping[tuple[str, int], int]
# The lexicographic stages of models/endurance.md ("Objectives"), by the quantity each one optimises.
StageName = Literal["worst_endurance", "weighted_endurance", "total_cost"]


class SolveStatus(str, Enum):
    """How one solve ended, as trp-opt tells it (HiGHS's many model statuses folded into these)."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time limit"
    INTERRUPTED = "interrupted"
    OTHER = "other"  # any other of HiGHS's statuses: its own word goes with it (Outcome.word)

    @property
    def cut_short(self) -> bool:
        """The solve stopped before it finished (a time limit, an interrupt): its plan, if any, is unproven."""
        return self in (SolveStatus.TIME_LIMIT, SolveStatus.INTERRUPTED)


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
    reachable: Reachable | None = None  # what the bisections proved reachable (formulation blocks)
    # Days where the block model's blocks start, per scenario, as the solve left them (formulation blocks): later
    # questions about the same scenarios start from these blocks instead of splitting them again.
    block_starts: dict[str, frozenset[int]] | None = None

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


def plan_cost(inputs: Inputs, plan: Plan) -> float:
    """What a plan costs, all units and years."""
    return sum(inputs.projects[project_id].unit_cost * units for (project_id, _), units in plan.items())


def units_by_project(plan: Plan) -> dict[str, int]:
    """Units per project, all start years together; projects with no units left out."""
    totals: dict[str, int] = {}
    for (project_id, _), units in plan.items():
        totals[project_id] = totals.get(project_id, 0) + units
    return {p: u for p, u in totals.items() if u > 0}
