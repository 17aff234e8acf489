"""What a solve found, in the analyst's terms: the report is written from this alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from trp_opt.data.explanations import Limits, MoreDays, NextDay, Unfunded, ValueOfMoney
from trp_opt.data.inputs import Inputs
from trp_opt.data.plans import Plan

# A share of a requirement short below which the day counts as met (solver round-off): the explanation's shortfalls
# and the Daily sheet's 'short that day' read days alike.
SHORTFALL_TOLERANCE = 1e-6


@dataclass(frozen=True)
class FundedProject:
    """Units of one project started in one year."""

    project_id: str
    name: str
    category: str
    start_year: int
    units: int
    cost_by_year: dict[int, float]  # money paid in each planning year
    total_cost: float


@dataclass(frozen=True)
class Shortfall:
    """A requirement not met on the first day that fails, in its carrier's unit."""

    carrier_id: str
    carrier_name: str
    unit: str
    required: float  # essential requirement after relief, unit per day
    shortfall: float  # unit per day

    @property
    def share(self) -> float:
        return self.shortfall / self.required if self.required > 0 else 0.0


def days_text(days: int, horizon: int) -> str:
    """Days as an analyst reads them: '≥ 140' where the horizon is reached (how long after, the scenario does not
    say)."""
    return f"≥ {horizon}" if days >= horizon else str(days)


@dataclass(frozen=True)
class ScenarioResult:
    scenario_id: str
    name: str
    onset_year: int
    horizon: int  # days modelled
    weight: float
    endurance: int  # days; equal to horizon means "at least horizon days"
    # What fails on day endurance + 1, largest share first; empty when endurance == horizon.
    shortfalls: tuple[Shortfall, ...] = ()
    # Storable carriers whose usable stock is exhausted on the day that fails.
    exhausted_stocks: tuple[str, ...] = ()
    # Daily profiles, index 0 = day 1.
    stock: dict[str, list[float]] = field(default_factory=dict)  # storable carrier -> stock
    required: dict[str, list[float]] = field(default_factory=dict)  # demanded carrier -> essential requirement
    used: dict[str, list[float]] = field(default_factory=dict)  # demanded carrier -> use
    relief: dict[str, list[float]] = field(default_factory=dict)  # demanded carrier -> requirement removed by relief
    available_capacity: dict[str, list[float]] = field(default_factory=dict)  # damaged technology -> capacity
    # Days each essential requirement is met on its own with the plan held (demanded carrier -> days; equal to
    # horizon means "at least horizon days"), counted toward endurance or not.
    requirement_days: dict[str, int] = field(default_factory=dict)

    @property
    def unbroken(self) -> bool:
        """True when every requirement is met over the whole horizon."""
        return self.endurance >= self.horizon

    @property
    def endurance_text(self) -> str:
        return days_text(self.endurance, self.horizon)


@dataclass(frozen=True)
class Solution:
    """A plan explained, built in one step once every part is known (trp_opt.app.solve) and never changed after."""

    inputs: Inputs
    objective: str  # maxmin, expected or target
    status: str  # "optimal", "time limit (feasible plan)", ...
    proven_optimal: bool
    objective_value: float | None
    bound: float | None
    gap: float | None  # relative gap of the primary objective
    allocation: list[FundedProject]
    scenarios: list[ScenarioResult]
    solver_name: str = ""
    solver_version: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # seconds: read, build, solve, diagnose, write
    options: dict[str, str] = field(default_factory=dict)
    input_file: str = ""
    input_sha256: str = ""
    notes: list[str] = field(default_factory=list)
    value: ValueOfMoney | None = None  # when the value of money was computed
    limits: Limits | None = None  # what holds each scenario back, computed with the value
    unfunded: Unfunded | None = None  # what each unfunded project would buy, with the value
    prices: list[NextDay] | None = None  # the price of one more day, with the value
    more_days: MoreDays | None = None  # what N more days in the worst case cost (--more-days)

    @property
    def plan(self) -> Plan:
        """The allocation as a plan: units per (project ID, start year)."""
        return {(funded.project_id, funded.start_year): funded.units for funded in self.allocation}

    @property
    def total_spent(self) -> float:
        return sum(f.total_cost for f in self.allocation)

    @property
    def spend_by_year(self) -> dict[int, float]:
        spend = {year: 0.0 for year in self.inputs.years}
        for funded in self.allocation:
            for year, cost in funded.cost_by_year.items():
                spend[year] += cost
        return spend

    @property
    def spend_by_category(self) -> dict[str, float]:
        spend = {category: 0.0 for category in self.inputs.categories}
        for funded in self.allocation:
            spend[funded.category] += funded.total_cost
        return spend

    @property
    def endurance_by_scenario(self) -> dict[str, int]:
        """Days per scenario ID."""
        return {r.scenario_id: r.endurance for r in self.scenarios}

    @property
    def worst(self) -> ScenarioResult:
        return min(self.scenarios, key=lambda r: (r.endurance, r.scenario_id))
