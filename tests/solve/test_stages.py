"""The weighted stage's windows (trp_opt.solve.stages.weighted_in_windows) against enumeration.

The windows are a search: which weighted questions to ask, and when an answer is
proven to be the optimum. Here each question is answered exactly by enumeration over an
explicit set of reachable endurance vectors, closed downwards as plans' endurance is
(every vector below a reachable one is reachable), so that the search itself is checked:
its answer must be the largest weighted sum over the set, on many random sets; and a
time limit that stops a later window must leave the best plan found so far, unproven.
The model behind the questions is checked against HiGHS in tests/test_formulations.py.
"""

from __future__ import annotations

import random

import pytest

from trp_opt.data.options import SolveOptions
from trp_opt.data.plans import SolveStatus
from trp_opt.model.highs import Outcome
from trp_opt.solve.stages import weighted_in_windows


class Reachable:
    """Answers 'the best weighted endurance with every scenario s within floor[s]..best[s]' from the
    vectors below any of ``corners``; stops as a time limit would after ``questions`` answers."""

    def __init__(self, corners: list[dict[str, int]], weights: dict[str, float], questions: int | None = None):
        self.corners, self.weights, self.questions = corners, weights, questions
        self.asked = 0
        self.held: dict[str, int] | None = None

    def weighed(self, vector: dict[str, int]) -> float:
        return sum(self.weights[s] * days for s, days in vector.items())

    def optimise(self, name: str, floor: dict[str, int], best: dict[str, int]) -> Outcome:
        assert name == "weighted_endurance"
        self.asked += 1
        if self.questions is not None and self.asked > self.questions:
            return Outcome(SolveStatus.TIME_LIMIT, False, None, None, 0.0)
        # Below a corner and at least the floor: the corner itself (capped at best) is the heaviest.
        inside = [{s: min(c[s], best[s]) for s in c} for c in self.corners if all(c[s] >= floor[s] for s in c)]
        if not inside:
            return Outcome(SolveStatus.INFEASIBLE, False, None, None, 0.0)
        self.held = max(inside, key=self.weighed)
        value = self.weighed(self.held)
        return Outcome(SolveStatus.OPTIMAL, True, value, value, 0.0)

    def value_of(self, name: str) -> float:
        return self.weighed(self.held)


def bests(corners: list[dict[str, int]], lower: dict[str, int]) -> dict[str, int]:
    """Each scenario's most days with the others at their lower levels (what the solve's bisection finds)."""
    return {s: max(c[s] for c in corners if all(c[r] >= lower[r] for r in c)) for s in lower}


@pytest.mark.parametrize("seed", range(200))
def test_windows_find_the_heaviest_reachable_vector(seed):
    rng = random.Random(seed)
    scenarios = [f"s{k}" for k in range(rng.randint(2, 5))]
    weights = {s: round(rng.uniform(0.05, 1.0), rng.randint(1, 3)) for s in scenarios}
    lower = {s: rng.randint(0, 5) for s in scenarios}
    while True:  # until no vector reaches every best at once (else the solve asks no window)
        corners = [{s: lower[s] + rng.randint(0, 60) for s in scenarios} for _ in range(rng.randint(2, 7))]
        best = bests(corners, lower)
        if not any(all(c[s] >= best[s] for s in scenarios) for c in corners):
            break
    runner = Reachable(corners, weights)
    stage = weighted_in_windows(runner, lower, best, weights, SolveOptions()).stage
    heaviest = max(runner.weighed(c) for c in corners)
    assert stage.proven_optimal
    assert stage.objective == pytest.approx(heaviest)
    # Knowing what some plan weighs (any corner), the first window holds the optimum and proves it.
    known = rng.choice(corners)
    runner = Reachable(corners, weights)
    stage = weighted_in_windows(runner, lower, best, weights, SolveOptions(), at_least=runner.weighed(known)).stage
    assert stage.proven_optimal and stage.objective == pytest.approx(heaviest)
    assert runner.asked == 1


def test_a_time_limit_in_a_later_window_keeps_the_best_plan_found():
    # Best 10 days each, weights 1: the first window (2 days short at most) holds (8, 8) = 16, but
    # (10, 7) = 17 lies outside and what is outside may weigh up to 20 - 3 = 17: a second window is asked.
    weights = {"a": 1.0, "b": 1.0}
    corners = [{"a": 10, "b": 0}, {"a": 0, "b": 10}, {"a": 8, "b": 8}, {"a": 10, "b": 7}]
    lower = {"a": 0, "b": 0}
    best = bests(corners, lower)
    assert best == {"a": 10, "b": 10}
    proven = weighted_in_windows(Reachable(corners, weights), lower, best, weights, SolveOptions()).stage
    assert proven.proven_optimal and proven.objective == 17
    stopped = weighted_in_windows(Reachable(corners, weights, questions=1), lower, best, weights, SolveOptions()).stage
    assert not stopped.proven_optimal and "time limit" in stopped.status
    assert stopped.objective == 16 and stopped.bound == 20  # the first window's plan; any vector weighs ≤ 20
