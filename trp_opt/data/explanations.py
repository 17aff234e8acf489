"""What explains a plan, as plain data: the answers of the sheets that explain it (the value of money, what limits
it, what each unfunded project would buy, the price of one more day). trp_opt.analysis finds them; the reports write
them; the solution holds them (trp_opt.data.solution)."""

from __future__ import annotations

from dataclasses import dataclass, field

WORST = ""  # the worst case, among the measures keyed by scenario ID


# ---- the value of money (trp_opt.analysis.value) ----------------------------------------------


@dataclass(frozen=True)
class MarginalDays:
    budget: float  # money that may be spent in the plan
    step: float  # money added
    endurance: dict[str, int]  # days per scenario at the budget
    endurance_more: dict[str, int]  # days per scenario at budget + step
    seconds: float
    solved: bool = True  # False when no re-solve was needed (every scenario at its horizon)
    proven: bool = True  # False when the time limit cut the re-solve short: its days prove nothing

    def gained(self, scenario_id: str) -> int:
        return self.endurance_more[scenario_id] - self.endurance[scenario_id]


@dataclass(frozen=True)
class ProjectValue:
    project_id: str
    name: str
    category: str
    units: int
    cost: float  # money, all units and years
    days_lost: dict[str, int]  # per scenario, if the project were dropped


@dataclass
class ValueOfMoney:
    plan_label: str  # whose plan: "the plan", "the proposal as written"
    marginal: MarginalDays | None
    projects: list[ProjectValue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---- what limits the plan (trp_opt.analysis.limits) ------------------------------------------


@dataclass(frozen=True)
class Lift:
    """One rule lifted, and the days reachable after."""

    rule: str  # in words, projects by name: "Budget 2027", "Max units of LNG storage tank"
    cell: str  # where the rule is: "Years!B2"
    change: str  # how it was lifted, following the rule's name: "10% higher (NT$ million 3,000 more)"
    worst: int  # the worst case after the lift, days
    bests: dict[str, int]  # per scenario, after the lift (the others at the plan's worst case), days
    proven: bool = True  # False when the time limit cut a search short: the gains may be understated
    row: tuple[str, str] = ("", "")  # the rule's row, for its Source: ("Projects", "lng_tank")


@dataclass(frozen=True)
class Skipped:
    rule: str
    cell: str
    why: str


@dataclass
class Limits:
    worst: int  # the plan's worst case, days
    bests: dict[str, int]  # per scenario, days, with the others at the worst case
    horizons: dict[str, int]
    lifts: list[Lift] = field(default_factory=list)  # ranked: most worst-case days gained first
    skipped: list[Skipped] = field(default_factory=list)

    def worst_gain(self, lift: Lift) -> int:
        return lift.worst - self.worst

    def gain(self, lift: Lift, scenario_id: str) -> int:
        return lift.bests[scenario_id] - self.bests[scenario_id]

    def holding(self, scenario_id: str | None = None) -> list[Lift]:
        """The lifts that gain days, most first: for the worst case (None) or one scenario."""
        if scenario_id is None:
            gaining = [lift for lift in self.lifts if self.worst_gain(lift) > 0]
            return sorted(gaining, key=lambda lift: -self.worst_gain(lift))
        gaining = [lift for lift in self.lifts if self.gain(lift, scenario_id) > 0]
        return sorted(gaining, key=lambda lift: -self.gain(lift, scenario_id))


# ---- the unfunded projects (trp_opt.analysis.unfunded) ----------------------------------------


@dataclass(frozen=True)
class UnfundedProject:
    project_id: str
    start_year: int  # the earliest start, where the unit is imposed
    unit_cost: float
    worst: int | None  # the worst case with the unit, days; None: no plan within the rules has it
    bests: dict[str, int]  # per scenario with the unit, the others at ``worst``, days
    entry: float | None  # the unit cost at which it enters; None: no positive price
    within: float  # the entry price is at least ``entry`` and less than ``entry + within``
    how: str  # how it enters at that price, or why it never does
    proven: bool = True  # False when the time limit cut a question short


@dataclass
class Unfunded:
    worst: int  # the plan's worst case, days
    bests: dict[str, int]  # the plan's, per scenario, the others at the worst case
    projects: list[UnfundedProject] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


# ---- the price of the next day (trp_opt.analysis.price) ---------------------------------------


@dataclass(frozen=True)
class NextDay:
    measure: str  # "" for the worst case, else a scenario ID (trp_opt.analysis.limits.WORST)
    days: int  # as planned
    extra: float | None  # the least extra budget found to buy one more day; None: no amount of money
    within: float  # the price is at most ``extra`` and at least ``extra - within`` (0 when proven optimal)
    # project -> units more (added) or fewer (dropped) than the plan over all years, in the cheapest plan with the
    # day (a unit costs the same whatever its start year, so where the cheapest plan starts it says nothing)
    added: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    proven: bool = True  # False when the time limit cut a question short


@dataclass
class MoreDays:
    """What N more days in the worst case cost (`solve --more-days N`): the least extra budget for each day more, in
    turn, until the days asked or the first day no money buys."""

    worst: int  # days as planned
    asked: int  # days more asked for
    # One per day more that money buys, in order: NextDay("", days before it, least extra budget in all, ...).
    prices: list[NextDay] = field(default_factory=list)
    limit: str = ""  # why no money buys the next day ("" when every day asked was bought)
