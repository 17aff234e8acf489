"""Stress: a plan held while uncertain inputs vary (trp_opt.io.ranges), optionally re-optimised per draw.
Random draws are made here from a generator seeded by (seed, sample index), so the numbers never depend
on which worker ran what."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from trp_opt.data.errors import Infeasible, InputError, InvalidInputs, NoPlan
from trp_opt.data.inputs import Inputs
from trp_opt.data.options import SolveOptions
from trp_opt.data.plans import Plan
from trp_opt.io.ranges import Range
from trp_opt.studies.executor import Executor, Progress
from trp_opt.studies.tasks import (
    HeldPlanTask,
    OptimiseTask,
    Optimum,
    ReoptimiseTask,
    held_plan_endurance,
    optimise,
    reoptimise,
    run_one,
)

PERCENTILES = (10, 50, 90)


@dataclass
class StressResult:
    plan: Plan
    plan_source: str
    ranges: list[Range]
    seed: int
    draws: list[tuple[float, ...]]  # per sample, one value per range
    likely: dict[str, int]  # days per scenario, every input at its likely value
    samples: list[dict[str, int]]  # days per scenario, per sample, plan held
    tornado: list[tuple[Range, dict[str, int], dict[str, int]]]  # range, days at low, days at high
    reoptimised: list[Optimum] | None = None
    seconds: float = 0.0
    scenario_ids: list[str] = field(default_factory=list)

    def percentiles(self, per_sample: list[dict[str, int]]) -> dict[str, tuple[float, ...]]:
        """P10, P50, P90 (days) per scenario and for the worst case ('worst')."""
        table = {}
        for s in [*self.scenario_ids, "worst"]:
            values = [min(d.values()) if s == "worst" else d[s] for d in per_sample]
            table[s] = tuple(float(v) for v in np.percentile(values, PERCENTILES))
        return table

    @property
    def reoptimised_endurance(self) -> list[dict[str, int]] | None:
        return None if self.reoptimised is None else [o.endurance for o in self.reoptimised]

    def ranked_tornado(self) -> list[tuple[Range, dict[str, int], dict[str, int], int, int, str]]:
        """Each uncertain input with days at its low and high ends: ranked by the swing of the worst case
        (days), then by the largest swing of any one scenario (days; that scenario named), so that inputs
        that move a scenario other than the worst one still rank above those that move nothing."""
        rows = []
        for item, low, high in self.tornado:
            worst_swing = abs(min(high.values()) - min(low.values()))
            scenario = max(self.scenario_ids, key=lambda s: (abs(high[s] - low[s]), -self.scenario_ids.index(s)))
            rows.append((item, low, high, worst_swing, abs(high[scenario] - low[scenario]), scenario))
        return sorted(rows, key=lambda row: (-row[3], -row[4], row[0].cell))

    def most_moving(self, scenario_id: str, count: int = 3) -> list[tuple[Range, int, int]]:
        """The ``count`` uncertain inputs that move one scenario's days most (days at the low and the high end),
        largest swing first; inputs that move it not at all are left out."""
        moving = [(item, low[scenario_id], high[scenario_id]) for item, low, high in self.tornado]
        moving = [row for row in moving if row[1] != row[2] or row[1] != self.likely[scenario_id]]
        moving.sort(
            key=lambda row: (
                -max(abs(row[1] - self.likely[scenario_id]), abs(row[2] - self.likely[scenario_id])),
                row[0].cell,
            )
        )
        return moving[:count]


def draw(ranges: Sequence[Range], seed: int, sample: int) -> tuple[float, ...]:
    """One sample of every range, triangular (low, likely, high), from a generator seeded by (seed, sample)."""
    generator = np.random.default_rng([seed, sample])
    values = []
    for item in ranges:
        value = float(generator.triangular(item.low, item.likely, item.high)) if item.high > item.low else item.likely
        values.append(value)
    return tuple(values)


def stress(
    inputs: Inputs,
    ranges: Sequence[Range],
    samples: int,
    seed: int,
    executor: Executor,
    plan: Plan | None = None,
    plan_source: str = "",
    reoptimise_each: bool = False,
    options: SolveOptions = SolveOptions(),
    message: Callable[[str], None] = lambda _: None,
    advance: Progress | None = None,
) -> StressResult:
    """The plan held fixed while the ranges vary: ``samples`` triangular draws and a tornado
    (each range at its low and high end, the others at likely). With ``reoptimise_each``,
    the plan is also re-optimised for every draw."""
    if not ranges:
        raise InvalidInputs(
            [
                InputError(
                    "",
                    "",
                    "no input of the workbook has a range, so there is nothing to stress",
                    expected="'<column> low' and '<column> high' columns beside some numeric inputs",
                )
            ]
        )
    if samples < 1:
        raise ValueError(f"--samples must be ≥ 1 (got {samples})")
    started = time.perf_counter()
    ranges = tuple(ranges)
    if plan is None:
        message("Finding the optimum at the likely values")
        best = run_one(executor, optimise, OptimiseTask(inputs, options), None)
        if not best.feasible:
            raise NoPlan(inputs, {})
        plan, plan_source = best.plan, "the optimum at the likely values"
    likely_values = tuple(r.likely for r in ranges)
    draws = [draw(ranges, seed, i) for i in range(samples)]
    value_sets: list[tuple[float, ...]] = [likely_values]
    for index, item in enumerate(ranges):
        for end in (item.low, item.high):
            value_sets.append(likely_values[:index] + (end,) + likely_values[index + 1 :])
    value_sets += draws
    message(f"Evaluating the plan: {len(value_sets)} cases (likely, {2 * len(ranges)} tornado ends, {samples} samples)")
    tasks: list[HeldPlanTask | ReoptimiseTask] = [
        HeldPlanTask(inputs, plan, ranges, values, options) for values in value_sets
    ]
    reoptimised = None
    if reoptimise_each:
        tasks += [ReoptimiseTask(inputs, options, ranges, values) for values in draws]
    results = executor.map(_stress_task, tasks, advance)
    fixed = results[: len(value_sets)]
    if reoptimise_each:
        reoptimised = results[len(value_sets) :]
        infeasible = [i for i, o in enumerate(reoptimised) if not o.feasible]
        if infeasible:
            raise Infeasible(f"no plan satisfies the budget rules in sample(s) {', '.join(map(str, infeasible))}", [])
    tornado = [(item, fixed[1 + 2 * i], fixed[2 + 2 * i]) for i, item in enumerate(ranges)]
    return StressResult(
        plan=dict(plan),
        plan_source=plan_source,
        ranges=list(ranges),
        seed=seed,
        draws=draws,
        likely=fixed[0],
        samples=fixed[1 + 2 * len(ranges) :],
        tornado=tornado,
        reoptimised=reoptimised,
        seconds=time.perf_counter() - started,
        scenario_ids=list(inputs.scenarios),
    )


def _stress_task(task: HeldPlanTask | ReoptimiseTask):
    """One task function for both kinds, so that one map covers the whole study."""
    if isinstance(task, HeldPlanTask):
        return held_plan_endurance(task)
    return reoptimise(task)
