"""The questions a solve asks, as one interface that both formulations' runners declare.

A runner holds one model of the inputs in HiGHS and answers: can every scenario s last days
1..levels[s] (``reaches``); what is the best value of a stage with days up to lower[s] met and none
after upper[s] counted (``optimise``); keep a stage's optimum in every later question (``keep``).
``trp_opt.solve.stages`` asks them of the block model (trp_opt.solve.block_runner.BlockRunner);
``trp_opt.solve.reference`` of the Pyomo model as written (ReferenceRunner).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final, Literal, Protocol, TypeVar

from trp_opt.data.plans import StageName
from trp_opt.model.highs import Outcome
from trp_opt.solve.parallel import Answered

Answer = TypeVar("Answer")

# One MIP for two stages: the most weighted endurance, and among its plans the least cost (the block runner's
# objective K × weighted − cost, K from trp_opt.data.derived.cost_tie_break_scale). Its outcome is in days: the
# weighted endurance of the plan found and a bound on it; the plan's cost is value_of("total_cost").
WEIGHTED_THEN_COST: Final = "weighted_endurance_then_total_cost"
Question = StageName | Literal["weighted_endurance_then_total_cost"]


class Runner(Protocol):
    scenario_ids: list[str]
    seconds: float  # in HiGHS so far
    timed_out: bool  # a question was cut short by the time limit: what follows is not proven

    def reaches(self, levels: Mapping[str, int]) -> bool:
        """Can some plan meet every requirement of each scenario s on days 1..levels[s]?
        A question cut short by the time limit counts as 'no' (and sets ``timed_out``)."""
        ...

    def optimise(self, stage: Question, lower: Mapping[str, int], upper: Mapping[str, int]) -> Outcome:
        """The stage's optimum with days up to lower[s] met and days after upper[s] not counted (WEIGHTED_THEN_COST:
        the block runner's alone)."""
        ...

    def keep(self, stage: StageName, value: float, slack: float) -> None:
        """Hold a stage's optimum (within slack) in every later question."""
        ...

    def value_of(self, stage: StageName) -> float:
        """The stage's quantity in the last plan found."""
        ...

    def parallel_map(
        self, questions: Sequence[Callable[[Runner], Answer]], answered: Answered | None = None
    ) -> list[Answer]:
        """Each question's answer, in order; independent questions may be asked side by side.
        ``answered(done, asked)`` is told as each is answered (a progress bar)."""
        ...
