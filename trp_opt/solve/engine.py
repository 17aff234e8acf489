"""The operations engine: each scenario's daily operations summarised once per run as cuts on a plan's effects, so
that the questions of the explaining sheets (a rule lifted, a unit imposed, a price asked) are asked of the
investments alone (models/endurance.md, "Cuts"; ../shared/design/operations-engine.md).

A scenario's operations see a plan only through its point: the effect totals (8) of the scenario and its
exposure binaries (11). Everything a question of the explaining sheets changes (a budget, a Policy rule, Max
units, a lead time, an imposed unit, a unit's price) lives in the investment rows (1)–(8), (25)–(26),
(38)–(39), which the operations never see. So:

- **the oracle** of a scenario is its daily model, one block a day, with a shortfall on every requirement (the
  elastic variant), loaded into HiGHS once and re-solved warm: the least shortfall on days 1..k, each day's
  shortfall as a share of that day's requirement, with the point fixed by the bounds of its columns. The plan
  lasts k days in the scenario when that least shortfall is at most ``LASTS`` (42);
- **a cut** is what one oracle solve proves: the least shortfall is convex in the point (the value of a linear
  program in the bounds of its columns), so its value plus its reduced costs times the step from the point
  bounds it from below everywhere; a plan lasting k days has none, so it keeps the cut at most ``CUT_SLACK``
  (43). The cut holds for every asked level from k on and for every variant of the investment rows: one pool
  serves the whole run, and every thread;
- **the memory** of points known to last: every effect only adds and exposure only takes away, so a point at
  least as good as one known to last k days lasts k days, with no linear program.

A question (``BlockRunner`` with ``engine=``) is then a small MIP over the investments with the pooled cuts as
rows (the master), asked again with the cuts its plan earns until a plan lasts in every scenario (a 'yes', its
days checked by the daily model) or the master has no plan (a 'no': the cuts are valid for every plan that
lasts). A master whose plan earns no cut that removes it (numerical ties at the tolerance) hands the question
back to the block model, which answers it as before.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import highspy
import numpy as np

from trp_opt.data import vocabulary
from trp_opt.data.derived import exposure_bound, requirement
from trp_opt.data.errors import SolverFailure
from trp_opt.data.inputs import Inputs
from trp_opt.data.plans import Plan
from trp_opt.model.blocks import Assembled, Block, Investments, PlanEffects, scenario_piece, with_plan
from trp_opt.model.highs import INFINITY, pass_model, quiet_highs

# (42) The least shortfall, in days of requirement, at or below which a plan lasts: far below a day (an hour of one
# requirement is 0.04), above the rounding of HiGHS's tolerances on rows of a few hundred units.
LASTS = 1e-6
# (43) How much of a cut a plan may keep in the master: below LASTS, so that a plan the oracle found short is removed
# by its own cut however HiGHS rounds the master's rows.
CUT_SLACK = 1e-7
SMALLEST_COEFFICIENT = 1e-12  # a cut's coefficients below this (in days per unit of effect) are dropped


@dataclass(frozen=True)
class Cut:
    """L(z) = constant + coefficients · z ≤ least shortfall on days 1..days, z the scenario's point."""

    days: int
    constant: float
    coefficients: np.ndarray


def operations_of(inputs: Inputs) -> tuple:
    """What the operations of every scenario read: inputs equal here share an engine (their variants differ only in
    the investment rows)."""
    return (
        inputs.scenarios,
        inputs.carriers,
        inputs.storage,
        inputs.imports,
        inputs.technologies,
        inputs.demands,
        tuple(inputs.effect_keys()),
        tuple(sorted({(e.kind, e.target) for p in inputs.projects.values() for e in p.effects})),
    )


class ScenarioOracle:
    """One scenario's daily least-shortfall linear program, loaded once (thread-safe: one solve at a time)."""

    def __init__(self, inputs: Inputs, template: Investments, scenario_id: str, point_keys: list, threads: int) -> None:
        scenario = inputs.scenarios[scenario_id]
        every_day = [Block(day, 1, False) for day in range(1, scenario.horizon + 1)]
        piece = scenario_piece(inputs, template, scenario, every_day, elastic_after=0)
        self.model = Assembled(template, [piece])
        self.point_columns = np.array(
            [self.model.column(0, _column(template, key)) for key in point_keys], dtype=np.int32
        )
        # Shortfall columns of the requirements that count, by day: each unit short is 1/requirement days short.
        self.shortfall: list[tuple[int, int, float]] = []  # (day, column, days per unit)
        for c, demand in inputs.demands.items():
            if not demand.counts:
                continue
            need = requirement(inputs, scenario, c)
            for day in range(1, scenario.horizon + 1):
                local = piece.named.get(("shortfall", c, day))
                if local is not None and need[day - 1] > 0:
                    self.shortfall.append((day, self.model.column(0, local), 1.0 / need[day - 1]))
        self.shortfall_columns = np.array([column for _, column, _ in self.shortfall], dtype=np.int32)
        self.highs = quiet_highs(threads)
        pass_model(self.highs, self.model.lp())
        self.days_costed: int | None = None
        self.lock = threading.Lock()
        self.solves = 0

    def least_shortfall(self, point: np.ndarray, days: int) -> tuple[float, np.ndarray | None]:
        """The least shortfall on days 1..days at this point, and its reduced costs in the point's columns (None where
        the operations have no solution at all)."""
        with self.lock:
            if days != self.days_costed:
                costs = np.array([per_unit if day <= days else 0.0 for day, _, per_unit in self.shortfall])
                self.highs.changeColsCost(len(costs), self.shortfall_columns, costs)
                self.days_costed = days
            count = len(self.point_columns)
            self.highs.changeColsBounds(count, self.point_columns, point, point)
            self.highs.run()
            self.solves += 1
            status = self.highs.getModelStatus()
            if status == highspy.HighsModelStatus.kInfeasible:
                # Not even a shortfall helps (an opening stock below its floor): no day is met, and there is no
                # cut to learn (the question goes back to the block model).
                return INFINITY, None
            if status != highspy.HighsModelStatus.kOptimal:
                raise SolverFailure(
                    "the daily operations with a shortfall on every requirement had no optimum: "
                    f"{self.highs.modelStatusToString(status)}"
                )
            # Warm from here on: the next point or level changes a few bounds or costs.
            self.highs.setOptionValue("presolve", "off")
            value = float(self.highs.getInfo().objective_function_value)
            reduced = np.asarray(self.highs.getSolution().col_dual)[self.point_columns]
            return value, reduced


def _column(template: Investments, key: tuple) -> int:
    if key[0] == "exposed":
        return template.exposed[key[1:]]
    return template.effect[key[1:]]


@dataclass
class _Memory:
    """Points of one scenario known to last, and the days they last: as 'at least as good' vectors (effects, then
    minus the exposure binaries)."""

    better: list[np.ndarray] = field(default_factory=list)
    days: list[int] = field(default_factory=list)

    def lasts(self, better: np.ndarray, days: int) -> bool:
        return any(
            known >= days and bool(np.all(better >= point - 1e-9)) for point, known in zip(self.better, self.days)
        )

    def remember(self, better: np.ndarray, days: int) -> None:
        self.better.append(better)
        self.days.append(days)


class OperationsEngine:
    """The oracles, the pooled cuts and the memory of one run's inputs (and of every variant of their investment
    rows: ``serves``)."""

    def __init__(self, inputs: Inputs, threads: int = 1) -> None:
        self.inputs = inputs
        self.operations = operations_of(inputs)
        self.threads = threads
        template = with_plan(inputs, {})
        self.template = template
        # Per scenario, the point's keys: its effect totals (8), then its exposure binaries (11).
        self.point_keys: dict[str, list[tuple]] = {}
        for s in inputs.scenarios:
            effects = [("effect", kind, target, window, s) for kind, target, window in inputs.effect_keys()]
            exposures = [("exposed", *key) for key in template.exposed if key[0] == s]
            self.point_keys[s] = effects + exposures
        self.exposure_count = {s: sum(1 for key in keys if key[0] == "exposed") for s, keys in self.point_keys.items()}
        self._oracles: dict[str, ScenarioOracle] = {}
        self._building = threading.Lock()
        self._pool = threading.Lock()
        self.cuts: dict[str, list[Cut]] = {s: [] for s in inputs.scenarios}
        self.memory = {s: _Memory() for s in inputs.scenarios}
        self.answered: dict[tuple[str, int, bytes], bool] = {}

    def serves(self, inputs: Inputs) -> bool:
        """Do these inputs have this run's operations (they differ at most in the investment rows)?"""
        return inputs is self.inputs or operations_of(inputs) == self.operations

    def oracle(self, scenario_id: str) -> ScenarioOracle:
        with self._building:
            if scenario_id not in self._oracles:
                keys = self.point_keys[scenario_id]
                self._oracles[scenario_id] = ScenarioOracle(self.inputs, self.template, scenario_id, keys, self.threads)
            return self._oracles[scenario_id]

    def _better(self, scenario_id: str, point: np.ndarray) -> np.ndarray:
        exposures = self.exposure_count[scenario_id]
        better = point.copy()
        if exposures:
            better[-exposures:] *= -1.0
        return better

    def lasts(self, scenario_id: str, point: np.ndarray, days: int) -> bool:
        """Does the point meet every requirement of the scenario on days 1..days? The memory first; otherwise the
        oracle, whose answer is remembered, and whose cut joins the pool when the point falls short."""
        if days <= 0:
            return True
        key = (scenario_id, days, point.tobytes())
        known = self.answered.get(key)
        if known is not None:
            return known
        better = self._better(scenario_id, point)
        memory = self.memory[scenario_id]
        with self._pool:
            if memory.lasts(better, days):
                return True
        value, reduced = self.oracle(scenario_id).least_shortfall(point, days)
        lasting = value <= LASTS
        with self._pool:
            self.answered[key] = lasting
            if lasting:
                memory.remember(better, days)
            elif reduced is not None:
                coefficients = np.where(np.abs(reduced) >= SMALLEST_COEFFICIENT, reduced, 0.0)
                constant = value - float(coefficients @ point)
                self.cuts[scenario_id].append(Cut(days, constant, coefficients))
        return lasting

    def cuts_since(self, seen: dict[str, int]) -> list[tuple[str, Cut]]:
        """Cuts pooled since ``seen`` (per scenario, how many were taken), which is brought up to date."""
        with self._pool:
            new = []
            for s, pool in self.cuts.items():
                new += [(s, cut) for cut in pool[seen.get(s, 0) :]]
                seen[s] = len(pool)
            return new

    def oracle_solves(self) -> int:
        return sum(oracle.solves for oracle in self._oracles.values())


class PointsOf:
    """A plan's point in every scenario for one variant of the inputs (its lead times decide which units count): the
    effect totals and exposure of blocks.PlanEffects, in the order of the engine's point keys."""

    def __init__(self, inputs: Inputs, point_keys: dict[str, list[tuple]]) -> None:
        self.effects = PlanEffects(inputs)
        self.exposures = {s: [key[1:] for key in keys if key[0] == "exposed"] for s, keys in point_keys.items()}

    def __call__(self, plan: Plan) -> dict[str, np.ndarray]:
        totals = self.effects.totals(plan)
        exposed = self.effects.exposed(totals)
        return {
            s: np.concatenate([totals[s], np.array([exposed[key] for key in keys], dtype=float)])
            for s, keys in self.exposures.items()
        }


def master_columns(engine: OperationsEngine, invest: Investments, scenario_id: str) -> np.ndarray:
    """The master's columns of a scenario's point, in the point's order."""
    return np.array([_column(invest, key) for key in engine.point_keys[scenario_id]], dtype=np.int64)


def exposure_rows(inputs: Inputs, invest: Investments) -> list[tuple[dict[int, float], float, float]]:
    """(44) `exposure`: (11) in the investments alone, both ways: a technology whose damage at a level exceeds its hardening is exposed
    there, and one exposed is not hardened beyond it (the daily model has no plan otherwise). Rows as (terms, lower,
    upper) over invest's columns: level × (capacity + effect) − hardened within ±M of the binary."""
    rows = []
    for (s, j), levels in invest.damage_levels.items():
        capacity = [
            c
            for (kind, target, _, sc), c in invest.effect.items()
            if (kind, target, sc) == (vocabulary.EFFECT_CAPACITY, j, s)
        ]
        hardened = [
            c
            for (kind, target, _, sc), c in invest.effect.items()
            if (kind, target, sc) == (vocabulary.EFFECT_HARDENED, j, s)
        ]
        most_capacity, most_hardened = exposure_bound(inputs, j)
        base = inputs.technologies[j].capacity
        for k, level in enumerate(levels):
            m = level * most_capacity + most_hardened  # (11)'s M
            exposed = invest.exposed[s, j, k]
            terms = {c: level for c in capacity}
            for c in hardened:
                terms[c] = terms.get(c, 0.0) - 1.0
            # exposed when level × capacity − hardened > 0:  level·cap − hard − M·x ≤ −level·base
            rows.append(({**terms, exposed: -m}, -INFINITY, -level * base))
            # not exposed unless it is:  level·cap − hard − M·x ≥ −level·base − M
            rows.append(({**terms, exposed: -m}, -level * base - m, INFINITY))
    return rows
