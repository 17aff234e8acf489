"""Validated inputs: what the model is built from.

Everything here has passed validation, so the model can trust it: IDs refer
to existing rows, ranges hold, spend profiles add up to 1. ``cell`` fields
keep the workbook address (``Sheet!B7``) a figure came from, so that later
messages (an infeasible budget rule, say) can point the analyst at it.
Tests build small instances directly from these classes, without Excel.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from trp_opt.data import vocabulary


@dataclass(frozen=True)
class Carrier:
    id: str
    name: str
    unit: str
    storable: bool

    @property
    def daily_unit(self) -> str:
        """Unit of a day's quantity: "GWh/day", but "Gbps" for a carrier already measured as a rate."""
        if "/" in self.unit or self.unit.lower().endswith("bps"):
            return self.unit
        return f"{self.unit}/day"


@dataclass(frozen=True)
class Storage:
    carrier: str
    initial: float
    capacity: float
    floor: float = 0.0


@dataclass(frozen=True)
class Technology:
    id: str
    name: str
    input: str | None  # None for a source
    output: str
    efficiency: float  # output per input
    capacity: float  # output unit per day
    repair_rate: float = 0.0  # output unit per day, restored per day


@dataclass(frozen=True)
class Demand:
    carrier: str
    daily: float  # normal use, carrier unit per day
    essential_share: float
    max_relief: float = 0.0
    # Whether meeting it is part of endurance (Demands' 'Counts toward endurance'); one that is not is still
    # tracked: its own days are reported beside the others' (models/endurance.md, (15)).
    counts: bool = True


@dataclass(frozen=True)
class ScenarioEvent:
    kind: str  # one of vocabulary.EVENT_KINDS
    target: str  # carrier or technology ID
    first_day: int
    last_day: int  # inclusive; validation fills in the horizon when blank
    value: float


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    onset_year: int
    horizon: int  # days
    weight: float = 1.0
    repair_delay: int = 0
    target: int | None = None
    events: tuple[ScenarioEvent, ...] = ()
    target_cell: str = ""  # where the Target endurance is, for messages (e.g. "Scenarios!G3")

    def profile(self, kind: str, target: str) -> list[float]:
        """Day-by-day value of an event kind for one target, its kind's default on a day no event covers; index 0 is
        day 1."""
        values = [vocabulary.EVENTS[kind].default] * self.horizon
        for event in self.events:
            if event.kind == kind and event.target == target:
                for day in range(event.first_day, min(event.last_day, self.horizon) + 1):
                    values[day - 1] = event.value
        return values

    def availability(self, carrier: str) -> list[float]:
        return self.profile(vocabulary.EVENT_IMPORT_AVAILABILITY, carrier)

    def damage(self, technology: str) -> list[float]:
        return self.profile(vocabulary.EVENT_CAPACITY_LOSS, technology)

    def demand_multiplier(self, carrier: str) -> list[float]:
        return self.profile(vocabulary.EVENT_DEMAND_MULTIPLIER, carrier)

    def assured_share(self, carrier: str) -> list[float]:
        """Day by day, the share of what assured-import projects bring of a carrier that gets through (1 without)."""
        return self.profile(vocabulary.EVENT_ASSURED_SHARE, carrier)

    def onset_share(self, carrier: str) -> float:
        """Share of the Storage sheet's initial stock of a carrier held on day 0 (a 'stock at onset' event; 1 without).
        Stock that projects add is held whatever the season: it is a reserve, not a working inventory."""
        for event in self.events:
            if event.kind == vocabulary.EVENT_STOCK_AT_ONSET and event.target == carrier:
                return event.value
        return vocabulary.EVENTS[vocabulary.EVENT_STOCK_AT_ONSET].default

    def damaged_technologies(self) -> list[str]:
        seen: dict[str, None] = {}
        for event in self.events:
            if event.kind == vocabulary.EVENT_CAPACITY_LOSS and event.value > 0:
                seen[event.target] = None
        return list(seen)


def weight_step(weights: Iterable[float]) -> float | None:
    """The weights' common decimal step: weights 1, 0.001 and 1000 give 0.001, and 0.25 with 0.5 give 0.25. Days are
    whole, so two plans' weighted endurance Σ w_s E_s differ by a multiple of it. None for weights with more than six
    decimals (1/3): no step to rely on."""
    positive = [w for w in weights if w > 0]
    if not positive:
        return None
    for decimals in range(7):
        scaled = [w * 10**decimals for w in positive]
        if all(abs(x - round(x)) <= 1e-9 * max(1.0, x) for x in scaled):
            return float(math.gcd(*(round(x) for x in scaled)) / 10**decimals)
    return None


Window = tuple[int, float]  # first and last crisis day an effect acts on; last is math.inf: to the horizon


def covers(window: Window, day: int | None) -> bool:
    """The window holds the day (no day: any window, for effects asked about over the whole crisis)."""
    return day is None or window[0] <= day <= window[1]


@dataclass(frozen=True)
class Effect:
    kind: str  # one of vocabulary.EFFECT_KINDS
    target: str  # carrier or technology ID
    amount: float  # per unit
    # Crisis days it acts on (vocabulary.WINDOWED_EFFECTS only): drills that act in week 1, a ship from day 30.
    first_day: int = 1
    last_day: int | None = None  # None: to the horizon

    @property
    def window(self) -> Window:
        return (self.first_day, math.inf if self.last_day is None else self.last_day)


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    category: str
    unit_cost: float  # money
    max_units: int
    lead_time: int  # years
    spend_profile: tuple[float, ...] = (1.0,)
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    effects: tuple[Effect, ...] = ()
    # Units already funded outside this budget (models/endurance.md, (8)): they cost nothing here and count
    # against no rule; finished in committed_start + lead time, or already in service when no start is given.
    committed_units: int = 0
    committed_start: int | None = None
    # Where some of its figures are in the workbook, by column ("Max units" -> "Projects!E7"), for messages.
    cells: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def effect(self, kind: str, target: str, window: Window | None = None) -> float:
        """Amount per unit of one kind of effect on one target (0 if none): over every window, or one."""
        return sum(
            e.amount
            for e in self.effects
            if e.kind == kind and e.target == target and (window is None or e.window == window)
        )

    def finished_by(self, start_year: int, onset_year: int) -> bool:
        """A unit started in ``start_year`` is finished before a crisis that starts in ``onset_year``."""
        return start_year + self.lead_time <= onset_year

    def committed_live(self, onset_year: int) -> int:
        """Committed units finished before a crisis that starts in ``onset_year``."""
        if self.committed_start is None or self.finished_by(self.committed_start, onset_year):
            return self.committed_units
        return 0


@dataclass(frozen=True)
class PolicyRule:
    id: str
    rule: str  # one of vocabulary.RULE_KINDS
    amount: float
    amount_unit: str = vocabulary.AMOUNT_MONEY
    category: str | None = None
    year: int | None = None  # None: over all years
    cell: str = ""  # where the amount is, for messages


@dataclass(frozen=True)
class ImposedDecision:
    """A project decision imposed from outside the model (a legislature's proposal):
    exactly ``units`` units over all years (0 = not funded), all started in
    ``start_year`` when it is given."""

    units: int
    start_year: int | None = None
    cell: str = ""  # where the decision is written, for messages


@dataclass(frozen=True)
class Inputs:
    years: tuple[int, ...]
    year_budgets: dict[int, float]
    carriers: dict[str, Carrier]
    storage: dict[str, Storage]
    imports: dict[str, float]  # carrier -> normal daily import
    technologies: dict[str, Technology]
    demands: dict[str, Demand]
    scenarios: dict[str, Scenario]
    projects: dict[str, Project]
    policy: tuple[PolicyRule, ...] = ()
    title: str = ""
    currency: str = "money"
    year_budget_cells: dict[int, str] = field(default_factory=dict)
    imposed: dict[str, ImposedDecision] = field(default_factory=dict)  # project ID -> imposed decision
    # Each row's Source, by sheet and the row's first column ("Storage", "ammunition") -> (text, "Storage!G7").
    sources: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # committed_effect's answers by (kind, target, onset year, window): each is a sum over every project, asked per
    # scenario and effect each time a model is built (Limits builds one per rule lifted) and per day while a plan is
    # explained. Not part of the inputs' value: a changed copy (dataclasses.replace) starts with none.
    _committed: dict[tuple[str, str, int, Window | None], float] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def effect_unit(self, effect: Effect) -> str:
        """The unit of an effect's amount per unit, by its kind's measure: 'kt', 'kt/day', 'GWh/day' or 'share'."""
        measure = vocabulary.EFFECTS[effect.kind].measure
        if measure == "share":
            return "share"
        if measure == "stock":
            return self.carriers[effect.target].unit
        if measure == "carrier per day":
            return self.carriers[effect.target].daily_unit
        return self.carriers[self.technologies[effect.target].output].daily_unit

    def assumed(self, sheet: str, row_id: str | int) -> str | None:
        """The Source cell of a row whose Source begins with 'assumption' (a figure with no public source)."""
        text, cell = self.sources.get((sheet, str(row_id)), ("", ""))
        return cell if text.strip().lower().startswith("assumption") else None

    def committed_effect(self, kind: str, target: str, scenario: Scenario, window: Window | None = None) -> float:
        """What the committed units finished before the scenario starts add to one effect (a constant of (8))."""
        key = (kind, target, scenario.onset_year, window)
        if key not in self._committed:
            self._committed[key] = sum(
                p.committed_live(scenario.onset_year) * p.effect(kind, target, window) for p in self.projects.values()
            )
        return self._committed[key]

    def effect_keys(self) -> list[tuple[str, str, Window]]:
        """(kind, target, window) of every effect some project has: one effect_total (8) each per scenario."""
        return sorted({(e.kind, e.target, e.window) for p in self.projects.values() for e in p.effects if e.amount > 0})

    def assured_carriers(self) -> list[str]:
        """Carriers some project brings in during a crisis (an 'assured import' effect)."""
        return sorted({k[1] for k in self.effect_keys() if k[0] == vocabulary.EFFECT_ASSURED_IMPORT})

    def imported_carriers(self) -> list[str]:
        """Carriers that arrive in a crisis: those with normal imports and those some project brings in."""
        normal = [c for c in self.imports if self.imports[c] > 0]
        return normal + [c for c in self.assured_carriers() if c not in normal]

    @property
    def total_budget(self) -> float | None:
        """The smallest all-years total budget rule, if any."""
        totals = [r.amount for r in self.policy if r.rule == vocabulary.RULE_TOTAL_BUDGET and r.year is None]
        return min(totals) if totals else None

    @property
    def categories(self) -> list[str]:
        return sorted({p.category for p in self.projects.values()})

    def start_years(self, project: Project) -> list[int]:
        """Years a unit may start in: its whole spend profile must fall inside the plan."""
        last = self.years[-1]
        return [y for y in self.years if y + len(project.spend_profile) - 1 <= last]

    @property
    def most_spend(self) -> float:
        """What every unit of every project costs: no plan spends more."""
        return sum(p.unit_cost * p.max_units for p in self.projects.values())

    def spend_limit(self) -> float:
        """Most that could be spent: the total budget, else the sum of yearly budgets."""
        total = sum(self.year_budgets.values())
        return min(total, self.total_budget) if self.total_budget is not None else total
