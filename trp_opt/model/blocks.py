"""The endurance model over blocks of days, built straight into HiGHS arrays (formulation 'blocks').

models/endurance.md §"Blocks" gives the formulation, equations (27)–(34),
and why it is exact. In short: within a run of days on which no input
changes (same import availability, damage, demand multiplier, repair
allowed or not), a schedule that repeats the same daily flows is as good
as any, because every daily constraint is the same and a stock that moves
in a straight line stays within its bounds if it does at both ends. So each
run becomes one block whose variables are daily averages and whose stock
moves by (days × daily net flow). Bundled scenarios have a handful of such
runs instead of 120 days; a generated 365-day one about ten.

Two things are not constant inside a run, and both are handled exactly:
- the days counted as met: a 'free' block counts its first n days as met, n
  chosen by the model in binary digits, and its stock moves by n × daily net
  flow (products of a digit and a flow, written exactly with bounds);
- repairs, which raise a damaged technology's capacity day by day: the block
  uses its average restored capacity, which overstates the first days. The
  model is then a relaxation, and every plan it returns is checked: if some
  block used more capacity than its first day has, the plan is checked on
  its own, day by day where needed; if it falls short there, the blocks are
  halved and the question asked again (``trp_opt.solve.block_runner.BlockRunner._finer_blocks``). A plan
  that passes is feasible day by day; a relaxation that says 'no' is a proof.

The investments part, equations (1)–(8) and (25)–(26), is the same as in
``trp_opt.model.formulation``; ``tests/test_formulations.py`` checks that both give the
reference's optimum.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import highspy
import numpy as np

from trp_opt.data import vocabulary
from trp_opt.data.derived import (
    exposure_bound,
    is_live,
    relievable_carriers,
    required_in_service,
    requirement,
    requires_to_check,
)
from trp_opt.data.inputs import Inputs, Project, Scenario, Window, covers
from trp_opt.data.plans import Plan
from trp_opt.data.transforms import with_budget
from trp_opt.model.highs import INFINITY

LOCAL = 1 << 40  # column numbers from here on are a scenario piece's own, placed when the model is assembled
CAPACITY_TOLERANCE = 1e-6  # relative: output within this of the first day's capacity passes the check


@dataclass(frozen=True)
class Block:
    """Days first..first+length-1 of a scenario, with the same inputs on each."""

    first: int
    length: int
    free: bool  # False: every day is counted as met; True: the first n days are, n chosen by the model


class _Matrix:
    """Columns, rows and coefficients, gathered in lists and turned into arrays once."""

    def __init__(self, local: bool) -> None:
        self.base = LOCAL if local else 0
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.entry_row: list[int] = []
        self.entry_column: list[int] = []
        self.entry_value: list[float] = []
        self.row_equations: list[str] = []  # per row, the equation of models/endurance.md it is

    def column(self, lower: float = 0.0, upper: float = INFINITY, integer: bool = False) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return self.base + len(self.lower) - 1

    def row(
        self, terms: Iterable[tuple[int, float]], lower: float = -INFINITY, upper: float = INFINITY, *, equation: str
    ) -> int:
        """A row of the equation named (models/endurance.md): a row of a written block model says which it is."""
        index = len(self.row_lower)
        self.row_equations.append(equation)
        for column, value in terms:
            if value != 0:
                self.entry_row.append(index)
                self.entry_column.append(column)
                self.entry_value.append(value)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        return index

    def frozen(self) -> _Arrays:
        return _Arrays(
            np.array(self.lower, dtype=float),
            np.array(self.upper, dtype=float),
            np.array(self.integer, dtype=bool),
            np.array(self.row_lower, dtype=float),
            np.array(self.row_upper, dtype=float),
            np.array(self.entry_row, dtype=np.int64),
            np.array(self.entry_column, dtype=np.int64),
            np.array(self.entry_value, dtype=float),
            tuple(self.row_equations),
        )


@dataclass(frozen=True)
class _Arrays:
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    entry_row: np.ndarray
    entry_column: np.ndarray
    entry_value: np.ndarray
    row_equations: tuple[str, ...]  # per row, the equation it is


# A piece's arrays, to be filled in.
EMPTY_ARRAYS = _Arrays(
    **{f.name: np.empty(0) for f in dataclasses.fields(_Arrays) if f.name != "row_equations"}, row_equations=()
)


# ---- the investments: equations (1)–(8), (11)'s binaries, (25)–(26) ----------------------------------
@dataclass
class Investments:
    arrays: _Arrays
    build: dict[tuple[str, int], int]  # (project, start year) -> column
    funded: dict[str, int]
    effect: dict[tuple[str, str, Window, str], int]  # (kind, target, window, scenario) -> column of effect_total
    exposed: dict[tuple[str, str, int], int]  # (scenario, technology, damage level) -> column
    damage_levels: dict[tuple[str, str], list[float]]
    cost: dict[int, float]  # total_cost: column -> money per unit
    # The money rows, (1) per year and (2)–(4) per Policy rule in the inputs' order: where a column of money
    # (with_budget_column, with_price_column) enters.
    year_rows: dict[int, int] = field(default_factory=dict)
    policy_rows: list[int] = field(default_factory=list)


class InvestmentRows:
    """Columns and rows added to the investments for a question of its own (the distance to earlier
    plans of trp_opt.studies.tasks' alternatives search, say): columns are numbered after the investments'
    own, rows may use any investment column."""

    def __init__(self, invest: Investments) -> None:
        self.invest = invest
        self.matrix = _Matrix(local=False)
        self.matrix.base = len(invest.arrays.lower)

    def column(self, lower: float = 0.0, upper: float = INFINITY, integer: bool = False) -> int:
        return self.matrix.column(lower, upper, integer)

    def row(
        self, terms: Iterable[tuple[int, float]], lower: float = -INFINITY, upper: float = INFINITY, *, equation: str
    ) -> None:
        self.matrix.row(terms, lower, upper, equation=equation)

    def added(self) -> Investments:
        """The investments with these columns and rows."""
        old, new = self.invest.arrays, self.matrix.frozen()
        stacked = {
            name: np.concatenate([getattr(old, name), getattr(new, name)])
            for name in ("lower", "upper", "integer", "row_lower", "row_upper", "entry_column", "entry_value")
        }
        arrays = _Arrays(
            **stacked,
            entry_row=np.concatenate([old.entry_row, new.entry_row + len(old.row_lower)]),
            row_equations=old.row_equations + new.row_equations,
        )
        return dataclasses.replace(self.invest, arrays=arrays)


def investments_of(inputs: Inputs) -> Investments:
    matrix = _Matrix(local=False)
    projects = list(inputs.projects.values())
    scenarios = list(inputs.scenarios.values())
    build = {}
    for p in projects:
        for y in inputs.start_years(p):
            build[p.id, y] = matrix.column(0.0, float(p.max_units), integer=True)

    def units(p: Project) -> list[tuple[int, float]]:
        return [(build[p.id, y], 1.0) for y in inputs.start_years(p)]

    def spend(period: int | None, category: str | None) -> list[tuple[int, float]]:
        terms = []
        for p in projects:
            if category is not None and p.category != category:
                continue
            for y in inputs.start_years(p):
                if period is None:
                    terms.append((build[p.id, y], p.unit_cost))
                elif 0 <= period - y < len(p.spend_profile) and p.spend_profile[period - y] > 0:
                    terms.append((build[p.id, y], p.unit_cost * p.spend_profile[period - y]))
        return terms

    # (1) year_budget
    year_rows = {
        y: matrix.row(spend(y, None), upper=inputs.year_budgets[y], equation="year_budget") for y in inputs.years
    }
    # (2)–(4) policy_rule
    policy_rows = []
    for rule in inputs.policy:
        if rule.rule == vocabulary.RULE_TOTAL_BUDGET:
            policy_rows.append(matrix.row(spend(rule.year, None), upper=rule.amount, equation="policy_rule"))
            continue
        terms = spend(rule.year, rule.category)
        if rule.amount_unit == vocabulary.AMOUNT_SHARE:
            terms = terms + [(column, -rule.amount * value) for column, value in spend(rule.year, None)]
            bound = 0.0
        else:
            bound = rule.amount
        if rule.rule == vocabulary.RULE_CATEGORY_FLOOR:
            policy_rows.append(matrix.row(terms, lower=bound, equation="policy_rule"))
        else:
            policy_rows.append(matrix.row(terms, upper=bound, equation="policy_rule"))
    # (5) max_units
    for p in projects:
        if len(inputs.start_years(p)) > 1:
            matrix.row(units(p), upper=p.max_units, equation="max_units")
    # (6) requires
    for p in projects:
        for q in p.requires:
            if inputs.projects[q].committed_units > 0:
                continue  # a committed q: p may always be funded, and counts once q is in service ((40)–(41))
            matrix.row(
                units(p) + [(column, -p.max_units) for column, _ in units(inputs.projects[q])],
                upper=0.0,
                equation="requires",
            )
    # (7) funded_link and excludes
    excluded = sorted({p.id for p in projects if p.excludes} | {q for p in projects for q in p.excludes})
    funded = {pid: matrix.column(0.0, 1.0, integer=True) for pid in excluded}
    for pid in excluded:
        matrix.row(
            units(inputs.projects[pid]) + [(funded[pid], -inputs.projects[pid].max_units)],
            upper=0.0,
            equation="funded_link",
        )
    for one, other in sorted({tuple(sorted((p.id, q))) for p in projects for q in p.excludes}):
        matrix.row([(funded[one], 1.0), (funded[other], 1.0)], upper=1.0, equation="excludes")
    # (25) imposed_units and (26) imposed_start: a proposal's decisions
    for pid, decision in inputs.imposed.items():
        if decision.start_year is not None and (pid, decision.start_year) not in build:
            raise ValueError(
                f"fixed decisions name projects or start years the inputs do not allow: {[(pid, decision.start_year)]}"
            )
        matrix.row(units(inputs.projects[pid]), lower=decision.units, upper=decision.units, equation="imposed_units")
        if decision.start_year is not None:
            matrix.row(
                [(build[pid, decision.start_year], 1.0)],
                lower=decision.units,
                upper=decision.units,
                equation="imposed_start",
            )

    def live(p: Project, s: Scenario) -> list[tuple[int, float]]:
        return [(build[p.id, y], 1.0) for y in inputs.start_years(p) if is_live(p, y, s)]

    # (40) counted_live and (41) counted_in_service: units of p that count in s, where that depends on what p
    # requires being in service at s's onset
    counted: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for p, q, s in requires_to_check(inputs, scenarios):
        if (p.id, s.id) not in counted:
            column = matrix.column()
            counted[p.id, s.id] = [(column, 1.0)]
            matrix.row([(column, 1.0)] + [(b, -1.0) for b, _ in live(p, s)], upper=0.0, equation="counted_live")
        terms = counted[p.id, s.id] + [(b, -float(p.max_units)) for b, _ in live(inputs.projects[q], s)]
        matrix.row(terms, upper=0.0, equation="counted_in_service")

    # (8) effect_definition: what the counted units of every project add, per scenario
    effect = {}
    for kind, target, window in inputs.effect_keys():
        # Each project's effect per unit, the same in every scenario: looked up once, not once per scenario.
        per_unit = [(p, amount) for p in projects if (amount := p.effect(kind, target, window)) > 0]
        for s in scenarios:
            column = matrix.column()
            effect[kind, target, window, s.id] = column
            terms = [(column, 1.0)]
            for p, amount in per_unit:
                terms += [(b, -amount * one) for b, one in counted.get((p.id, s.id)) or live(p, s)]
            committed = inputs.committed_effect(kind, target, s, window)
            matrix.row(terms, lower=committed, upper=committed, equation="effect_definition")

    # (11)'s binaries: whether the damage exceeds the hardening, per distinct damage level
    damage_levels = damage_levels_of(inputs)
    exposed = {
        (s, j, k): matrix.column(0.0, 1.0, integer=True)
        for (s, j), levels in damage_levels.items()
        for k in range(len(levels))
    }

    cost = {build[p.id, y]: p.unit_cost for p in projects for y in inputs.start_years(p)}
    return Investments(matrix.frozen(), build, funded, effect, exposed, damage_levels, cost, year_rows, policy_rows)


def with_budget_column(inputs: Inputs) -> tuple[Investments, int]:
    """(38) extra_budget: the investments with the budget beyond the inputs' own as a column of its own (money, at least 0),
    every budget grown with it as ``--budget`` grows them (trp_opt.data.transforms.with_budget): each year's
    budget by the same factor, the total budget by the amount. Minimising the column answers "how much more
    money does this question need" in one program instead of a search over the budget."""
    limit = inputs.spend_limit()
    base = with_budget(inputs, limit)  # one total budget, of ``limit``: the column adds to it
    invest = investments_of(base)
    entries = [
        (row, -(base.year_budgets[y] / limit if limit > 0 else 1.0 / len(base.years)))
        for y, row in invest.year_rows.items()
    ]
    entries += [
        (row, -1.0)
        for rule, row in zip(base.policy, invest.policy_rows)
        if rule.rule == vocabulary.RULE_TOTAL_BUDGET and rule.year is None
    ]
    return _with_money_column(invest, entries, moved_from=None, spent=False)


def with_price_column(inputs: Inputs, project_id: str, most: float = INFINITY) -> tuple[Investments, int]:
    """(39) unit_price: the investments with the unit cost of a project imposed at exactly one unit in one start
    year (inputs.imposed) as a column of its own (money, 0 to ``most``): it enters every money row (1)–(4) and
    the total cost where that unit's cost did. Maximising it answers "up to what unit cost does a plan with the
    unit still exist" in one program instead of a search over the price."""
    decision = inputs.imposed.get(project_id)
    if decision is None or decision.units != 1 or decision.start_year is None:
        raise ValueError(f"the price of {project_id} is a column only with one unit imposed in one start year")
    project = dataclasses.replace(inputs.projects[project_id], unit_cost=1.0)
    invest = investments_of(dataclasses.replace(inputs, projects={**inputs.projects, project_id: project}))
    build = invest.build[project_id, decision.start_year]
    money_rows = set(invest.year_rows.values()) | set(invest.policy_rows)
    arrays = invest.arrays
    moved = [
        (int(row), float(value))
        for row, column, value in zip(arrays.entry_row, arrays.entry_column, arrays.entry_value)
        if column == build and row in money_rows
    ]
    return _with_money_column(invest, moved, moved_from=build, spent=True, most=most)


def _with_money_column(
    invest: Investments, entries: list[tuple[int, float]], moved_from: int | None, spent: bool, most: float = INFINITY
) -> tuple[Investments, int]:
    """A new last column of money with these (row, coefficient) entries. ``moved_from``: a column whose entries
    in those rows, and whose cost, the new column takes over. ``spent``: the money is spent (a unit's price:
    in the total cost at 1), not room to spend it (a budget)."""
    old = invest.arrays
    column = len(old.lower)
    keep = np.ones(len(old.entry_row), dtype=bool)
    if moved_from is not None:
        rows = np.array([row for row, _ in entries], dtype=np.int64)
        keep = ~((old.entry_column == moved_from) & np.isin(old.entry_row, rows))
    arrays = _Arrays(
        np.append(old.lower, 0.0),
        np.append(old.upper, most),
        np.append(old.integer, False),
        old.row_lower,
        old.row_upper,
        np.concatenate([old.entry_row[keep], np.array([row for row, _ in entries], dtype=np.int64)]),
        np.concatenate([old.entry_column[keep], np.full(len(entries), column, dtype=np.int64)]),
        np.concatenate([old.entry_value[keep], np.array([value for _, value in entries], dtype=float)]),
        old.row_equations,
    )
    cost = {c: value for c, value in invest.cost.items() if c != moved_from}
    if spent:
        cost[column] = 1.0
    return dataclasses.replace(invest, arrays=arrays, cost=cost), column


def damage_levels_of(inputs: Inputs) -> dict[tuple[str, str], list[float]]:
    """Distinct damage levels of each hardenable damaged technology, per scenario: (11)'s binaries."""
    hardenable = {e.target for p in inputs.projects.values() for e in p.effects if e.kind == vocabulary.EFFECT_HARDENED}
    return {
        (s.id, j): sorted({d for d in s.damage(j) if d > 0})
        for s in inputs.scenarios.values()
        for j in _damaged(inputs, s)
        if j in hardenable
    }


class PlanEffects:
    """Every effect total (8) of every scenario for a plan, and the exposure (11) it implies: what
    derived.plan_effect finds one total at a time, for all at once (with_plan asks it of every held plan, the
    operations engine of every plan its master finds). Each total adds the counted units' effects in the plan's
    order and then the committed units', as plan_effect does, so the figures are the same to the last digit."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.keys = inputs.effect_keys()
        self.amounts = {
            p.id: np.array([p.effect(kind, target, window) for kind, target, window in self.keys], dtype=float)
            for p in inputs.projects.values()
        }
        self.committed = {
            s.id: np.array([inputs.committed_effect(kind, target, s, window) for kind, target, window in self.keys])
            for s in inputs.scenarios.values()
        }
        self.damage_levels = damage_levels_of(inputs)

        def indices(kind: str, technology: str) -> list[int]:
            return [i for i, (k, target, _) in enumerate(self.keys) if (k, target) == (kind, technology)]

        self.capacity = {j: indices(vocabulary.EFFECT_CAPACITY, j) for _, j in self.damage_levels}
        self.hardened = {j: indices(vocabulary.EFFECT_HARDENED, j) for _, j in self.damage_levels}

    def totals(self, plan: Plan) -> dict[str, np.ndarray]:
        """Per scenario, the effect totals in the order of inputs.effect_keys()."""
        found = {}
        for scenario in self.inputs.scenarios.values():
            total = np.zeros(len(self.keys))
            for (p, year), units in plan.items():
                project = self.inputs.projects[p]
                if is_live(project, year, scenario) and required_in_service(self.inputs, plan, project, scenario):
                    total += self.amounts[p] * units
            found[scenario.id] = total + self.committed[scenario.id]
        return found

    def exposed(self, totals: Mapping[str, np.ndarray]) -> dict[tuple[str, str, int], float]:
        """(scenario, technology, damage level) -> 1 where the damage at that level exceeds the hardening, else 0."""
        found = {}
        for (s, j), levels in self.damage_levels.items():
            capacity = self.inputs.technologies[j].capacity + sum(totals[s][i] for i in self.capacity[j])
            hardened = sum(totals[s][i] for i in self.hardened[j])
            for k, level in enumerate(levels):
                found[s, j, k] = 1.0 if level * capacity - hardened > 0 else 0.0
        return found


def with_plan(inputs: Inputs, plan: Plan, effects: PlanEffects | None = None) -> Investments:
    """The investments as the plan fixes them: every effect (8) a known figure and exposure (11) known,
    so what remains of a scenario is a linear program. Only those columns are kept (fixed), no build
    columns and no budget rows: a question about a held plan is about operations, not about its money
    (a plan with a project dropped, say, may break a category floor and still has its endurance).
    ``effects``: the inputs' PlanEffects, when the caller keeps one."""
    allowed = {(p.id, y) for p in inputs.projects.values() for y in inputs.start_years(p)}
    unknown = sorted(set(plan) - allowed)
    if unknown:
        raise ValueError(f"the plan names projects or start years the inputs do not allow: {unknown}")
    effects = effects or PlanEffects(inputs)
    totals = effects.totals(plan)
    matrix = _Matrix(local=False)
    effect = {}
    for index, (kind, target, window) in enumerate(effects.keys):
        for scenario in inputs.scenarios.values():
            value = float(totals[scenario.id][index])
            effect[kind, target, window, scenario.id] = matrix.column(value, value)
    exposed = {key: matrix.column(value, value) for key, value in effects.exposed(totals).items()}
    return Investments(matrix.frozen(), {}, {}, effect, exposed, effects.damage_levels, {})


def _damaged(inputs: Inputs, scenario: Scenario) -> list[str]:
    return [j for j in scenario.damaged_technologies() if j in inputs.technologies]


def input_changes(inputs: Inputs, scenario: Scenario) -> set[int]:
    """Days on which some input of the scenario differs from the day before (a block must start there)."""
    profiles = [scenario.availability(c) for c in inputs.imported_carriers()]
    profiles += [scenario.assured_share(c) for c in inputs.assured_carriers()]
    profiles += [scenario.demand_multiplier(c) for c in inputs.demands]
    damaged = _damaged(inputs, scenario)
    profiles += [scenario.damage(j) for j in damaged]
    changes = {t for profile in profiles for t in range(2, scenario.horizon + 1) if profile[t - 1] != profile[t - 2]}
    if damaged and 1 <= scenario.repair_delay < scenario.horizon:
        changes.add(scenario.repair_delay + 1)  # repairs may start on this day
    # An effect over a window of days starts and stops acting (whether or not a plan funds it: the blocks are
    # laid before the plan is known).
    for _, _, (first, last) in inputs.effect_keys():
        changes.update(int(t) for t in (first, last + 1) if 1 < t <= scenario.horizon)
    return changes


def blocks_of(horizon_breaks: set[int], lower: int, upper: int, daily_free: bool = False) -> list[Block]:
    """Blocks covering days 1..upper: days up to ``lower`` counted as met, the rest free
    (one block a day when ``daily_free``: a day binary each, whose relaxation is the tighter)."""
    free_days = range(lower + 2, upper + 1) if daily_free else ()
    starts = sorted(
        {1, *(t for t in horizon_breaks if 1 < t <= upper), *([lower + 1] if 0 < lower < upper else []), *free_days}
    )
    blocks = []
    for index, first in enumerate(starts):
        last = (starts[index + 1] - 1) if index + 1 < len(starts) else upper
        if last >= first:
            blocks.append(Block(first, last - first + 1, free=first > lower))
    return blocks


# ---- one scenario over its blocks: equations (9)–(22) as (27)–(34) --------------------------------
@dataclass
class _Repair:
    """Columns of one damaged technology in one block, for the capacity check."""

    block: int
    technology: str
    out: int
    lost: int
    previous_end: int | None
    capacity_effect: list[int]  # effect_total columns that add to its capacity, and to its repair rate, here
    repair_effect: list[int]


@dataclass
class Piece:
    scenario_id: str
    blocks: list[Block]
    arrays: _Arrays
    met_days: int  # days counted as met whatever the model chooses
    counted: list[tuple[int, float]]  # further days counted: column -> days
    repairs: list[_Repair] = field(default_factory=list)
    block_days: list[list[tuple[int, float]]] = field(default_factory=list)  # per block: its days counted
    # ("inv" | "use" | "relief" | "shortfall", carrier, last day of the block) -> column, for reading profiles
    named: dict[tuple[str, str, int], int] = field(default_factory=dict)


def piece_reads(inputs: Inputs, invest: Investments, scenario_id: str) -> tuple:
    """Everything scenario_piece reads of the inputs and the investments for one scenario: pieces built from
    equal reads are the same piece, whatever else differs (unit costs, budgets, policy rules, lead times,
    imposed decisions live in the investments' rows, which a piece never sees). Keep in step with
    scenario_piece."""
    projects = inputs.projects.values()
    room = tuple(
        (c, sum((p.max_units + p.committed_units) * p.effect(vocabulary.EFFECT_STORAGE, c) for p in projects))
        for c in inputs.storage
    )
    scenario = inputs.scenarios[scenario_id]
    return (
        scenario,
        tuple((j, exposure_bound(inputs, j)) for j in _damaged(inputs, scenario)),
        inputs.carriers,
        inputs.storage,
        inputs.imports,
        inputs.technologies,
        inputs.demands,
        room,
        tuple(relievable_carriers(inputs)),
        {key: column for key, column in invest.effect.items() if key[3] == scenario_id},
        {key: column for key, column in invest.exposed.items() if key[0] == scenario_id},
        {key: levels for key, levels in invest.damage_levels.items() if key[0] == scenario_id},
    )


def scenario_piece(
    inputs: Inputs, invest: Investments, scenario: Scenario, blocks: list[Block], elastic_after: int | None = None
) -> Piece:
    """Equations (9)–(22) and (27)–(34) of one scenario. ``elastic_after`` (days, with one block a day):
    requirements of later days may fall short, by a measured ``shortfall`` (the elastic variant of
    models/endurance.md)."""
    matrix = _Matrix(local=True)
    s = scenario.id
    techs = list(inputs.technologies.values())
    imported = inputs.imported_carriers()
    assured = inputs.assured_carriers()
    demanded = list(inputs.demands)
    projects = list(inputs.projects.values())
    relievable = relievable_carriers(inputs)
    storable = [c.id for c in inputs.carriers.values() if c.storable]
    flow = [c.id for c in inputs.carriers.values() if not c.storable]
    damaged = _damaged(inputs, scenario)
    availability = {c: scenario.availability(c) for c in imported}
    assured_share = {c: scenario.assured_share(c) for c in assured}
    damage = {j: scenario.damage(j) for j in damaged}
    required = {c: requirement(inputs, scenario, c) for c in demanded}

    windows: dict[tuple[str, str], list[tuple[Window, int]]] = {}
    for (kind, target, window, scenario_id), column in invest.effect.items():
        if scenario_id == s:
            windows.setdefault((kind, target), []).append((window, column))

    def effect(kind: str, target: str, day: int | None = None) -> list[int]:
        """effect_total columns of one kind and target that act on a day (blocks never straddle a window's edge),
        or all of them (the kinds that act from the onset on, whose only window is the whole crisis)."""
        return [column for window, column in windows.get((kind, target), ()) if covers(window, day)]

    def with_effect(
        terms: list[tuple[int, float]], kind: str, target: str, factor: float, day: int | None = None
    ) -> list[tuple[int, float]]:
        return terms + [(column, factor) for column in effect(kind, target, day)]

    big_m = {j: exposure_bound(inputs, j) for j in damaged}  # (11): most capacity and most hardened

    # Largest change of a stock over the days of one block: what a digit × flow product can be.
    swing = {}
    for c in storable:
        storage = inputs.storage[c]
        room = storage.capacity + sum(
            (p.max_units + p.committed_units) * p.effect(vocabulary.EFFECT_STORAGE, c) for p in projects
        )
        swing[c] = max(1.0, room - storage.floor)

    # (18) opening_stock and (19) stock_room on day 0
    stock = {}
    for c in storable:
        storage = inputs.storage[c]
        stock[c] = matrix.column(storage.floor)
        held = scenario.onset_share(c) * storage.initial  # (18): the share held at the onset
        matrix.row(
            with_effect([(stock[c], 1.0)], vocabulary.EFFECT_STOCK, c, -1.0), upper=held, equation="opening_stock"
        )
        matrix.row(
            with_effect([(stock[c], 1.0)], vocabulary.EFFECT_STORAGE, c, -1.0),
            upper=storage.capacity,
            equation="stock_room",
        )

    piece = Piece(s, blocks, EMPTY_ARRAYS, 0, [])  # arrays filled in at the end
    for c in storable:
        piece.named["inv", c, 0] = stock[c]
    restored_end: dict[str, int] = {}
    previous_full: int | None = None  # the free block before: all its days met (prefix)
    for index, block in enumerate(blocks):
        day, length = block.first, block.length
        # Days counted in this block: all of them, or n = Σ 2^k digit_k (block_days, (29))
        met: int | None  # the column of 'the block's days are met'; None: met whatever the model chooses
        if not block.free:
            met, digits, days_counted = None, [], []
            piece.met_days += length
        else:
            digits = [matrix.column(0.0, 1.0, integer=True) for _ in range(length.bit_length())]
            days_counted = [(d, float(1 << k)) for k, d in enumerate(digits)]
            piece.counted += days_counted
            if length == 1:
                met, full = digits[0], digits[0]
            else:
                met, full = matrix.column(0.0, 1.0, integer=True), matrix.column(0.0, 1.0, integer=True)
                matrix.row(days_counted, upper=length, equation="block_days")  # (29) block_days: n ≤ length
                matrix.row(
                    [(met, 1.0)] + [(d, -v) for d, v in days_counted], upper=0.0, equation="block_met"
                )  # (30) block_met: met ⇒ n ≥ 1
                matrix.row(
                    days_counted + [(met, -length)], upper=0.0, equation="block_met"
                )  # (30) block_met: n ≥ 1 ⇒ met
                matrix.row(
                    days_counted + [(full, -length)], lower=0.0, equation="block_full"
                )  # (31) block_full: full ⇒ n = length
            if previous_full is not None:
                matrix.row([(met, 1.0), (previous_full, -1.0)], upper=0.0, equation="block_prefix")  # (32) block_prefix
            previous_full = full
        piece.block_days.append([] if not block.free else days_counted)

        def met_terms(factor: float) -> tuple[list[tuple[int, float]], float]:
            """factor × (1 if the block's days are met): a coefficient on 'met', or a constant."""
            return ([], factor) if met is None else ([(met, factor)], 0.0)

        # import_limit: the available share of normal imports; (37) for a carrier that projects bring in
        normal_import = {c: availability[c][day - 1] * inputs.imports.get(c, 0.0) for c in imported}
        imp = {c: matrix.column(0.0, INFINITY if c in assured else normal_import[c]) for c in imported}
        for c in assured:
            matrix.row(
                with_effect([(imp[c], 1.0)], vocabulary.EFFECT_ASSURED_IMPORT, c, -assured_share[c][day - 1], day),
                upper=normal_import[c],
                equation="assured_import_limit",
            )
        out = {j.id: matrix.column() for j in techs}
        lost, restored, average = {}, {}, {}
        repairs_allowed = day > scenario.repair_delay
        for j in damaged:
            level = damage[j][day - 1]
            lost[j] = matrix.column(0.0, INFINITY if level > 0 else 0.0)
            restored[j] = matrix.column(0.0, INFINITY if repairs_allowed else 0.0)
            average[j] = matrix.column(0.0, INFINITY if repairs_allowed else 0.0)
        elastic_day = elastic_after is not None and day > elastic_after
        # Elastic: past the endurance, and on every day of a requirement that does not count toward it when a held
        # plan's operations are drawn. Use is then at most the requirement: the profiles show what is needed.
        elastic = {c: elastic_day or (elastic_after is not None and not inputs.demands[c].counts) for c in demanded}
        use = {
            c: matrix.column(0.0, required[c][day - 1] if elastic[c] and required[c][day - 1] > 0 else INFINITY)
            for c in demanded
        }
        relief = {c: matrix.column() for c in relievable}
        last = day + length - 1
        for c in demanded:
            piece.named["use", c, last] = use[c]
        for c in relievable:
            piece.named["relief", c, last] = relief[c]

        for technology in techs:
            # (9) capacity_limit, with the block's average restored capacity
            terms = with_effect([(out[technology.id], 1.0)], vocabulary.EFFECT_CAPACITY, technology.id, -1.0)
            if technology.id in lost:
                terms += [(lost[technology.id], 1.0), (average[technology.id], -1.0)]
            matrix.row(terms, upper=technology.capacity, equation="capacity_limit")
        for j in damaged:
            level = damage[j][day - 1]
            capacity = inputs.technologies[j].capacity
            if level > 0:
                lost_terms = with_effect([(lost[j], 1.0)], vocabulary.EFFECT_CAPACITY, j, -level)
                # (10) damage and (12) damage_limit
                matrix.row(
                    with_effect(lost_terms, vocabulary.EFFECT_HARDENED, j, 1.0),
                    lower=level * capacity,
                    equation="damage",
                )
                matrix.row(lost_terms, upper=level * capacity, equation="damage_limit")
                if (s, j) in invest.damage_levels:
                    # (11) lost_when_exposed, lost_when_protected
                    m = level * big_m[j][0] + big_m[j][1]
                    exposed = invest.exposed[s, j, invest.damage_levels[s, j].index(level)]
                    matrix.row(
                        with_effect(lost_terms, vocabulary.EFFECT_HARDENED, j, 1.0) + [(exposed, m)],
                        upper=level * capacity + m,
                        equation="lost_when_exposed",
                    )
                    matrix.row([(lost[j], 1.0), (exposed, -m)], upper=0.0, equation="lost_when_protected")
            if repairs_allowed:
                rate = inputs.technologies[j].repair_rate
                before = restored_end.get(j)
                previous = [] if before is None else [(before, -1.0)]
                # (13) repair_pace over the block, to its last day; (27) average_repair: the block's average
                matrix.row(
                    with_effect([(restored[j], 1.0)] + previous, vocabulary.EFFECT_REPAIR, j, -length, day),
                    upper=length * rate,
                    equation="repair_pace",
                )
                half = (length + 1) / 2
                matrix.row(
                    with_effect([(average[j], 1.0)] + previous, vocabulary.EFFECT_REPAIR, j, -half, day),
                    upper=half * rate,
                    equation="average_repair",
                )
                matrix.row(
                    [(average[j], 1.0), (restored[j], -1.0)],
                    upper=0.0,
                    equation="average_below_last",
                )  # (28) average_below_last: average ≤ last day
                # (14) repair_limit
                matrix.row([(restored[j], 1.0), (lost[j], -1.0)], upper=0.0, equation="repair_limit")
                matrix.row([(average[j], 1.0), (lost[j], -1.0)], upper=0.0, equation="repair_limit")
                piece.repairs.append(
                    _Repair(
                        index,
                        j,
                        out[j],
                        lost[j],
                        before,
                        effect(vocabulary.EFFECT_CAPACITY, j),
                        effect(vocabulary.EFFECT_REPAIR, j, day),
                    )
                )
            restored_end[j] = restored[j]

        for c in demanded:
            need = required[c][day - 1]
            if need > 0 and (inputs.demands[c].counts or elastic[c]):
                # (15) essential_requirement (one that does not count ends no day: a row only when drawn)
                terms, constant = met_terms(-need)
                covered = [(use[c], 1.0)] + ([(relief[c], 1.0)] if c in relief else [])
                if elastic[c]:
                    piece.named["shortfall", c, last] = matrix.column()
                    covered.append((piece.named["shortfall", c, last], 1.0))
                matrix.row(covered + terms, lower=-constant, equation="essential_requirement")
            if c in relief:
                # (16) relief_potential, (17) relief_cap
                matrix.row(
                    with_effect([(relief[c], 1.0)], vocabulary.EFFECT_RELIEF, c, -need, day),
                    upper=0.0,
                    equation="relief_potential",
                )
                terms, constant = met_terms(-inputs.demands[c].max_relief * need)
                matrix.row([(relief[c], 1.0)] + terms, upper=-constant, equation="relief_cap")

        def net(c: str) -> list[tuple[int, float]]:
            """Daily net inflow of a carrier: imports + production − consumption − use."""
            terms = [(imp[c], 1.0)] if c in imp else []
            terms += [(out[j.id], 1.0) for j in techs if j.output == c]
            terms += [(out[j.id], -1.0 / j.efficiency) for j in techs if j.input == c]
            if c in use:
                terms.append((use[c], -1.0))
            return terms

        for c in storable:
            end = matrix.column(inputs.storage[c].floor)  # stock_floor
            matrix.row(
                with_effect([(end, 1.0)], vocabulary.EFFECT_STORAGE, c, -1.0),
                upper=inputs.storage[c].capacity,
                equation="stock_room",
            )  # (19)
            if not block.free or length == 1:
                # (20) stock_balance over the block: length × the daily net inflow (a free day: its own)
                matrix.row(
                    [(end, 1.0), (stock[c], -1.0)] + [(k, -length * v) for k, v in net(c)],
                    lower=0.0,
                    upper=0.0,
                    equation="stock_balance",
                )
            else:
                # (33) free_stock_balance: n × the daily net inflow, digit by digit
                bound = swing[c]
                products = []
                flows = [(col, -v) for col, v in net(c)]
                for k, digit in enumerate(digits):
                    z = matrix.column(-bound, bound)
                    products.append((z, -float(1 << k)))
                    # (34) digit_product: z = digit × net, exactly, as the digit is 0 or 1 and |net| ≤ bound
                    matrix.row([(z, 1.0), (digit, bound)] + flows, upper=bound, equation="digit_product")
                    matrix.row([(z, 1.0), (digit, -bound)] + flows, lower=-bound, equation="digit_product")
                    matrix.row([(z, 1.0), (digit, -bound)], upper=0.0, equation="digit_product")
                    matrix.row([(z, 1.0), (digit, bound)], lower=0.0, equation="digit_product")
                matrix.row(
                    [(end, 1.0), (stock[c], -1.0)] + products, lower=0.0, upper=0.0, equation="free_stock_balance"
                )
            stock[c] = end
            piece.named["inv", c, last] = end
        for c in flow:
            # (21) flow_balance
            matrix.row(net(c), lower=0.0, equation="flow_balance")

    piece.arrays = matrix.frozen()
    return piece


# ---- assembling and solving ---------------------------------------------------------------------------
class Assembled:
    """The investments and the scenario pieces side by side, as one HiGHS model."""

    def __init__(self, invest: Investments, pieces: list[Piece]) -> None:
        self.parts = [invest.arrays] + [piece.arrays for piece in pieces]
        self.offsets, columns, rows = [], len(invest.arrays.lower), len(invest.arrays.row_lower)
        self.entry_rows, self.entry_columns = [invest.arrays.entry_row], [invest.arrays.entry_column]
        self.entry_values = [invest.arrays.entry_value]
        for piece in pieces:
            arrays = piece.arrays
            self.offsets.append(columns)
            placed = np.where(arrays.entry_column >= LOCAL, arrays.entry_column - LOCAL + columns, arrays.entry_column)
            self.entry_rows.append(arrays.entry_row + rows)
            self.entry_columns.append(placed)
            self.entry_values.append(arrays.entry_value)
            columns += len(arrays.lower)
            rows += len(arrays.row_lower)
        self.pieces = pieces
        self.columns, self.rows = columns, rows
        self.extra_lower: list[float] = []
        self.extra_upper: list[float] = []
        self.extra_equations: list[str] = []
        self.cost = np.zeros(columns)
        self.offset, self.sense = 0.0, highspy.ObjSense.kMinimize

    def column(self, piece: int, local: int) -> int:
        """Where a piece's column (as the piece numbers it) sits in the assembled model."""
        return self.offsets[piece] + local - LOCAL if local >= LOCAL else local

    def weighted_days(self, weights: Mapping[str, float]) -> tuple[dict[int, float], float]:
        """Weighted endurance as coefficients on columns plus a constant (days met whatever happens)."""
        terms: dict[int, float] = {}
        constant = 0.0
        for index, piece in enumerate(self.pieces):
            weight = weights[piece.scenario_id]
            constant += weight * piece.met_days
            for local, days in piece.counted:
                column = self.column(index, local)
                terms[column] = terms.get(column, 0.0) + weight * days
        return terms, constant

    def add_row(
        self, terms: Mapping[int, float], lower: float = -INFINITY, upper: float = INFINITY, *, equation: str
    ) -> None:
        self.extra_equations.append(equation)
        self.entry_rows.append(np.full(len(terms), self.rows, dtype=np.int64))
        self.entry_columns.append(np.fromiter(terms.keys(), dtype=np.int64, count=len(terms)))
        self.entry_values.append(np.fromiter(terms.values(), dtype=float, count=len(terms)))
        self.extra_lower.append(lower)
        self.extra_upper.append(upper)
        self.rows += 1

    def set_objective(self, terms: Mapping[int, float], constant: float = 0.0, maximise: bool = False) -> None:
        self.cost = np.zeros(self.columns)
        for column, value in terms.items():
            self.cost[column] = value
        self.offset = constant
        self.sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize

    def row_equations(self) -> list[str]:
        """Per row of the assembled model, the equation of models/endurance.md it is."""
        return [name for part in self.parts for name in part.row_equations] + self.extra_equations

    def named_lp(self) -> highspy.HighsLp:
        """The model with each row named by its equation and its place, 'capacity_limit#1234': to write it (HiGHS's
        writeModel) so that a reader sees which equation a row is. Not for solving: the names cost time."""
        lp = self.lp()
        lp.row_names_ = [f"{equation}#{index}" for index, equation in enumerate(self.row_equations())]
        return lp

    def lp(self) -> highspy.HighsLp:
        start, index, value = _by_column(
            np.concatenate(self.entry_rows),
            np.concatenate(self.entry_columns),
            np.concatenate(self.entry_values),
            self.rows,
            self.columns,
        )
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.columns, self.rows
        lp.col_cost_ = self.cost
        lp.col_lower_ = np.concatenate([p.lower for p in self.parts])
        lp.col_upper_ = np.concatenate([p.upper for p in self.parts])
        lp.row_lower_ = np.concatenate([p.row_lower for p in self.parts] + [np.array(self.extra_lower, dtype=float)])
        lp.row_upper_ = np.concatenate([p.row_upper for p in self.parts] + [np.array(self.extra_upper, dtype=float)])
        lp.offset_ = self.offset
        lp.sense_ = self.sense
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        integer = np.concatenate([p.integer for p in self.parts])
        if integer.any():
            lp.integrality_ = [
                highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in integer
            ]
        return lp


def _by_column(
    rows: np.ndarray, columns: np.ndarray, values: np.ndarray, row_count: int, column_count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coefficients given as (row, column, value) in HiGHS's column-wise form (starts, row indices,
    values), entries of the same row and column summed: numpy alone, so that the default path does
    not load scipy (whose import, with Pyomo's hooks on it, takes about half a second)."""
    key = columns.astype(np.int64) * row_count + rows.astype(np.int64)
    order = np.argsort(key, kind="stable")
    key, values = key[order], values[order]
    unique, first = np.unique(key, return_index=True)
    summed = np.add.reduceat(values, first) if len(values) else values
    column_of = unique // row_count
    start = np.searchsorted(column_of, np.arange(column_count + 1), side="left").astype(np.int32)
    return start, (unique % row_count).astype(np.int32), summed.astype(float)
