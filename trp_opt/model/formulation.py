"""The endurance mixed-integer program (models/endurance.md), built with Pyomo, rule by rule.

Each constraint of models/endurance.md is one named function here, ``<name>(m, *index)``, with its equation
number in its docstring, registered by ``build_model`` in the order of the document (as Temoa registers its rules,
or PyPSA's ``define_*`` functions). The sets and figures every rule reads are computed once, in ``Frame``; the
decisions are declared once, in ``declare_decisions``. The builder only builds: objectives are set by
``trp_opt.solve``, which runs the lexicographic stages.

Variants share this one builder, so the plan, the operations and the report can never disagree about what a
constraint means:
- the investment model (``plan=None``): what to fund;
- a held plan (``plan=...``): operations only, e.g. to re-solve a day;
- elastic days (``elastic_after=...``): requirements after a scenario's endurance may be short, with the shortfall
  measured, to explain what fails first and to draw the daily profiles after the failure;
- policy slack (``policy_slack=True``): every budget rule may be broken at a price, to explain an infeasible plan in
  terms of the rules that conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import pyomo.environ as pyo

from trp_opt.data import vocabulary
from trp_opt.data.derived import (
    exposure_bound,
    is_live,
    relievable_carriers,
    required_in_service,
    requirement,
    requires_to_check,
)
from trp_opt.data.inputs import Carrier, ImposedDecision, Inputs, Project, Scenario, Technology, covers
from trp_opt.data.plans import Plan

Window = tuple[int, float]
DayIndex = list[tuple[str, str, int]]  # (scenario, carrier or technology, day)


@dataclass
class Frame:
    """The sets and figures of one model, computed once from the inputs and the variant asked for: what every rule
    reads (models/endurance.md, "Sets" and "Data")."""

    inputs: Inputs
    plan: Plan | None
    scenarios: list[Scenario]
    elastic_after: dict[str, int]
    targets: dict[str, int]
    policy_slack: bool
    projects: list[Project] = field(init=False)
    storable: list[Carrier] = field(init=False)
    flow: list[Carrier] = field(init=False)
    techs: list[Technology] = field(init=False)
    by_id: dict[str, Scenario] = field(init=False)
    days: dict[str, list[int]] = field(init=False)
    build_index: list[tuple[str, int]] = field(init=False)
    decided: dict[str, ImposedDecision] = field(init=False)
    imported: list[str] = field(init=False)
    assured: set[str] = field(init=False)
    availability: dict[tuple[str, str], list[float]] = field(init=False)
    assured_share: dict[tuple[str, str], list[float]] = field(init=False)
    effect_keys: list[tuple[str, str, Window]] = field(init=False)
    damaged: dict[str, list[str]] = field(init=False)
    damage: dict[tuple[str, str], list[float]] = field(init=False)
    damaged_days: DayIndex = field(init=False)
    damage_levels: dict[tuple[str, str], list[float]] = field(init=False)
    demanded: list[str] = field(init=False)
    required: dict[tuple[str, str], list[float]] = field(init=False)
    relievable: list[str] = field(init=False)

    def __post_init__(self) -> None:
        inputs, scenarios = self.inputs, self.scenarios
        self.projects = list(inputs.projects.values())
        self.storable = [c for c in inputs.carriers.values() if c.storable]
        self.flow = [c for c in inputs.carriers.values() if not c.storable]
        self.techs = list(inputs.technologies.values())
        self.by_id = {s.id: s for s in scenarios}
        self.days = {s.id: list(range(1, s.horizon + 1)) for s in scenarios}
        self.build_index = [(p.id, y) for p in self.projects for y in inputs.start_years(p)]
        # With a plan given the plan is the decision, so a proposal's imposed decisions are left out.
        self.decided = {p: d for p, d in inputs.imposed.items() if self.plan is None}
        self.imported = inputs.imported_carriers()
        self.assured = set(inputs.assured_carriers())
        self.availability = {(s.id, c): s.availability(c) for s in scenarios for c in self.imported}
        self.assured_share = {(s.id, c): s.assured_share(c) for s in scenarios for c in self.assured}
        # One effect_total per effect kind, target and window of crisis days it acts on (an effect without a window
        # acts on every day: window (1, inf)).
        self.effect_keys = inputs.effect_keys()
        self.damaged = {s.id: [j for j in s.damaged_technologies() if j in inputs.technologies] for s in scenarios}
        self.damage = {(s.id, j): s.damage(j) for s in scenarios for j in self.damaged[s.id]}
        self.damaged_days = [(s.id, j, t) for s in scenarios for j in self.damaged[s.id] for t in self.days[s.id]]
        hardenable = {e.target for p in self.projects for e in p.effects if e.kind == vocabulary.EFFECT_HARDENED}
        self.damage_levels = {
            (s.id, j): sorted({d for d in self.damage[s.id, j] if d > 0})
            for s in scenarios
            for j in self.damaged[s.id]
            if j in hardenable
        }
        self.demanded = list(inputs.demands)
        self.required = {(s.id, c): requirement(inputs, s, c) for s in scenarios for c in self.demanded}
        self.relievable = relievable_carriers(inputs)

    # ---- index sets of the rules ----------------------------------------------------------------------------
    @cached_property
    def scenario_days(self) -> list[tuple[str, int]]:
        return [(s.id, t) for s in self.scenarios for t in self.days[s.id]]

    @cached_property
    def effect_index(self) -> list[tuple[str, str, int, float, str]]:
        return [
            (kind, target, first, last, s.id)
            for kind, target, (first, last) in self.effect_keys
            for s in self.scenarios
        ]

    @cached_property
    def requires_in_service(self) -> list[tuple[str, str, str]]:
        """(41)'s index: project p, a project q it requires whose service the plan decides, scenario s; only where
        p has an effect and a unit of p could be in service at s's onset."""
        return [(p.id, q, s.id) for p, q, s in requires_to_check(self.inputs, self.scenarios)]

    @cached_property
    def counted_index(self) -> list[tuple[str, str]]:
        """Projects and scenarios whose units count only with what they require in service: (40)'s index."""
        return sorted({(p, s) for p, _, s in self.requires_in_service})

    @cached_property
    def tech_days(self) -> DayIndex:
        return [(s.id, j.id, t) for s in self.scenarios for j in self.techs for t in self.days[s.id]]

    @cached_property
    def damage_days(self) -> DayIndex:
        """Days with damage, of damaged technologies."""
        return [(s, j, t) for s, j, t in self.damaged_days if self.damage[s, j][t - 1] > 0]

    @cached_property
    def exposed_days(self) -> DayIndex:
        """Days with damage, of technologies some project can harden."""
        return [(s, j, t) for s, j, t in self.damage_days if (s, j) in self.damage_levels]

    @cached_property
    def repair_days(self) -> DayIndex:
        return [(s, j, t) for s, j, t in self.damaged_days if t > self.by_id[s].repair_delay]

    @cached_property
    def use_index(self) -> DayIndex:
        return [(s.id, c, t) for s in self.scenarios for c in self.demanded for t in self.days[s.id]]

    @cached_property
    def elastic_index(self) -> DayIndex:
        """Days after a scenario's endurance whose requirement may fall short (elastic days), and every day of a
        requirement that does not count toward endurance."""
        return [
            (s, c, t)
            for s, c, t in self.use_index
            if s in self.elastic_after
            and (t > self.elastic_after[s] or not self.inputs.demands[c].counts)
            and self.required[s, c][t - 1] > 0
        ]

    @cached_property
    def relief_index(self) -> DayIndex:
        return [(s.id, c, t) for s in self.scenarios for c in self.relievable for t in self.days[s.id]]

    @cached_property
    def stock_index(self) -> DayIndex:
        return [(s.id, c.id, t) for s in self.scenarios for c in self.storable for t in [0, *self.days[s.id]]]


def build_model(
    inputs: Inputs,
    plan: Plan | None = None,
    scenario_ids: list[str] | None = None,
    elastic_after: Mapping[str, int] | None = None,
    policy_slack: bool = False,
    targets: Mapping[str, int] | None = None,
) -> pyo.ConcreteModel:
    """Build the model of models/endurance.md for ``inputs``, one rule per equation, in the document's order.

    ``plan`` fixes the investments; ``scenario_ids`` keeps only those scenarios; ``elastic_after[s] = d`` lets
    requirements of scenario s on days after d fall short (variables ``shortfall``) with every day counted as met;
    ``policy_slack`` adds a priced slack to every budget rule and target; ``targets[s]`` is the least endurance
    scenario s must reach.
    """
    scenarios = [inputs.scenarios[s] for s in (scenario_ids or list(inputs.scenarios))]
    f = Frame(inputs, plan, scenarios, dict(elastic_after or {}), dict(targets or {}), policy_slack)
    m = pyo.ConcreteModel(name="endurance")
    m.inputs = inputs  # kept for the solver and the reader of the solution
    m.frame = f
    m.scenario_ids = [s.id for s in scenarios]
    declare_decisions(m, f)

    # ---- investment constraints: (1)–(7) -------------------------------------------------------------------
    m.year_budget = pyo.Constraint(inputs.years, rule=year_budget)
    m.policy_rule = pyo.Constraint([r.id for r in inputs.policy], rule=policy_rule)
    m.max_units = pyo.Constraint([p.id for p in f.projects if len(inputs.start_years(p)) > 1], rule=max_units)
    m.requires = pyo.Constraint(  # a held plan is measured, not checked: a plan with a project dropped has its days
        [(p.id, q) for p in f.projects for q in p.requires if inputs.projects[q].committed_units == 0 and plan is None],
        rule=requires,
    )
    m.funded_link = pyo.Constraint(list(m.funded.index_set()), rule=funded_link)
    m.excludes = pyo.Constraint(
        sorted({tuple(sorted((p.id, q))) for p in f.projects for q in p.excludes}), rule=excludes
    )
    # ---- plan effects, per scenario: (8) -------------------------------------------------------------------
    m.counted_live = pyo.Constraint(f.counted_index, rule=counted_live)
    m.counted_in_service = pyo.Constraint(f.requires_in_service, rule=counted_in_service)
    m.effect_definition = pyo.Constraint(f.effect_index, rule=effect_definition)
    if plan is not None:  # the plan fixes every effect: known numbers keep the held-plan model linear and small
        for (p, s), var in m.counted.items():
            project = inputs.projects[p]
            var.fix(
                pyo.value(live(m, project, f.by_id[s])) if required_in_service(inputs, plan, project, f.by_id[s]) else 0
            )
        for (kind, target, first, last, s), var in m.effect_total.items():
            var.fix(pyo.value(effect_sum(m, kind, target, (first, last), f.by_id[s])))
        for (s, j, k), var in m.exposed.items():  # and whether damage exceeds the hardening
            level = f.damage_levels[s, j][k]
            scenario = f.by_id[s]
            var.fix(1 if level * pyo.value(capacity(m, j, scenario)) - pyo.value(hardened(m, j, scenario)) > 0 else 0)
    # ---- operations, for every scenario and day: (9)–(21), (37) --------------------------------------------
    m.capacity_limit = pyo.Constraint(f.tech_days, rule=capacity_limit)
    m.damage = pyo.Constraint(f.damage_days, rule=damage)
    m.lost_when_exposed = pyo.Constraint(f.exposed_days, rule=lost_when_exposed)
    m.lost_when_protected = pyo.Constraint(f.exposed_days, rule=lost_when_protected)
    m.damage_limit = pyo.Constraint(f.damage_days, rule=damage_limit)
    m.repair_pace = pyo.Constraint(f.repair_days, rule=repair_pace)
    m.repair_limit = pyo.Constraint(f.repair_days, rule=repair_limit)
    m.essential_requirement = pyo.Constraint(  # one that does not count ends no day: tracked when elastic only
        [
            (s, c, t)
            for s, c, t in f.use_index
            if f.required[s, c][t - 1] > 0 and (inputs.demands[c].counts or s in f.elastic_after)
        ],
        rule=essential_requirement,
    )
    m.relief_potential = pyo.Constraint(f.relief_index, rule=relief_potential)
    m.relief_cap = pyo.Constraint(f.relief_index, rule=relief_cap)
    m.opening_stock = pyo.Constraint([(s.id, c.id) for s in scenarios for c in f.storable], rule=opening_stock)
    m.stock_room = pyo.Constraint(f.stock_index, rule=stock_room)
    m.stock_balance = pyo.Constraint([(s, c, t) for s, c, t in f.stock_index if t > 0], rule=stock_balance)
    m.flow_balance = pyo.Constraint(
        [(s.id, c.id, t) for s in scenarios for c in f.flow for t in f.days[s.id]], rule=flow_balance
    )
    m.assured_import_limit = pyo.Constraint(
        [(s.id, c, t) for s in scenarios for c in sorted(f.assured) for t in f.days[s.id]], rule=assured_import_limit
    )
    # ---- endurance: (22)–(24) ------------------------------------------------------------------------------
    m.endurance_prefix = pyo.Constraint(
        [(s.id, t) for s in scenarios for t in f.days[s.id][:-1]], rule=endurance_prefix
    )
    m.worst_limit = pyo.Constraint(m.scenario_ids, rule=worst_limit)
    m.target_endurance = pyo.Constraint(list(f.targets), rule=target_endurance)
    # ---- imposed project decisions (a legislature's proposal): (25)–(26) -----------------------------------
    imposed_starts = [(p, d.start_year) for p, d in f.decided.items() if d.start_year is not None]
    not_allowed = sorted(set(imposed_starts) - set(f.build_index))
    if not_allowed:
        raise ValueError(f"fixed decisions name projects or start years the inputs do not allow: {not_allowed}")
    m.imposed_units = pyo.Constraint(list(f.decided), rule=imposed_units)
    m.imposed_start = pyo.Constraint(imposed_starts, rule=imposed_start)

    # Kept for reading results back.
    m.days = f.days
    m.required = f.required
    m.relievable = f.relievable
    m.damaged = f.damaged
    m.capacity_of = partial(capacity, m)
    m.hardened_of = partial(hardened, m)
    m.repair_rate_of = partial(repair_rate, m)
    return m


def declare_decisions(m: pyo.ConcreteModel, f: Frame) -> None:
    """The decisions of models/endurance.md ("Decisions"), with their bounds, and the expressions of the objectives;
    a held plan, elastic days and no policy slack fix what they decide."""
    inputs = f.inputs
    m.build = pyo.Var(f.build_index, domain=pyo.NonNegativeIntegers, bounds=_build_bounds)
    if f.plan is not None:
        unknown = sorted(set(f.plan) - set(f.build_index))
        if unknown:
            raise ValueError(f"the plan names projects or start years the inputs do not allow: {unknown}")
        for key in f.build_index:
            m.build[key].fix(int(f.plan.get(key, 0)))
    m.total_cost = pyo.Expression(expr=sum(p.unit_cost * units(m, p) for p in f.projects))
    # Priced slack on budget rules, only for explaining infeasibility.
    m.policy_slack = pyo.Var(
        [f"year:{y}" for y in inputs.years] + [f"rule:{r.id}" for r in inputs.policy], domain=pyo.NonNegativeReals
    )
    if not f.policy_slack:
        for var in m.policy_slack.values():
            var.fix(0)
    excluded = sorted({p.id for p in f.projects if p.excludes} | {q for p in f.projects for q in p.excludes})
    m.funded = pyo.Var(excluded, domain=pyo.Binary)  # for (7): at most one of two exclusive projects

    m.ok = pyo.Var(f.scenario_days, domain=pyo.Binary)
    for s_id in f.elastic_after:
        for t in f.days[s_id]:
            m.ok[s_id, t].fix(1)  # in elastic mode a day counts as met; shortfall says by how much not
    m.endurance = pyo.Expression(m.scenario_ids, rule=_endurance)
    # import_limit: what arrives is at most the available share of normal imports (and, for a carrier that projects
    # bring in, what gets through of theirs: (37))
    m.imp = pyo.Var(
        [(s.id, c, t) for s in f.scenarios for c in f.imported for t in f.days[s.id]],
        domain=pyo.NonNegativeReals,
        bounds=_import_bounds,
    )
    m.out = pyo.Var(f.tech_days, domain=pyo.NonNegativeReals)
    m.effect_total = pyo.Var(f.effect_index, domain=pyo.NonNegativeReals)
    # (40)–(41): units of a project that count in a scenario, where that depends on what it requires being in service
    m.counted = pyo.Var(f.counted_index, domain=pyo.NonNegativeReals)
    m.lost = pyo.Var(f.damaged_days, domain=pyo.NonNegativeReals)
    m.restored = pyo.Var(f.damaged_days, domain=pyo.NonNegativeReals)
    for s_id, j, t in f.damaged_days:
        if t <= f.by_id[s_id].repair_delay:
            m.restored[s_id, j, t].fix(0)  # no repair before the delay has passed
        if f.damage[s_id, j][t - 1] == 0:
            m.lost[s_id, j, t].fix(0)  # nothing lost, so no repair can be banked before the damage
    # (11): one binary per scenario, technology and damage level says whether the damage exceeds the hardening
    m.exposed = pyo.Var(
        [(s, j, k) for (s, j), levels in f.damage_levels.items() for k in range(len(levels))], domain=pyo.Binary
    )
    m.use = pyo.Var(f.use_index, domain=pyo.NonNegativeReals)
    elastic_index = f.elastic_index
    for s, c, t in elastic_index:
        m.use[s, c, t].setub(f.required[s, c][t - 1])  # profiles show use up to the requirement, not waste
    m.shortfall = pyo.Var(elastic_index, domain=pyo.NonNegativeReals)
    m.relief = pyo.Var(f.relief_index, domain=pyo.NonNegativeReals)
    m.inv = pyo.Var(f.stock_index, domain=pyo.NonNegativeReals, bounds=_stock_bounds)
    m.worst_endurance = pyo.Var(domain=pyo.NonNegativeReals)
    m.weighted_endurance = pyo.Expression(expr=sum(s.weight * m.endurance[s.id] for s in f.scenarios))
    m.target_slack = pyo.Var(list(f.targets), domain=pyo.NonNegativeReals)
    if not f.policy_slack:
        for var in m.target_slack.values():
            var.fix(0)


def _build_bounds(m: pyo.ConcreteModel, p: str, y: int) -> tuple[int, int]:
    return (0, m.inputs.projects[p].max_units)


def _import_bounds(m: pyo.ConcreteModel, s: str, c: str, t: int) -> tuple[float, float | None]:
    f: Frame = m.frame
    return (0, None if c in f.assured else f.availability[s, c][t - 1] * f.inputs.imports.get(c, 0.0))


def _stock_bounds(m: pyo.ConcreteModel, s: str, c: str, t: int) -> tuple[float, None]:
    return (m.inputs.storage[c].floor, None)  # stock_floor: the tank heel stays


def _endurance(m: pyo.ConcreteModel, s: str) -> Any:
    return sum(m.ok[s, t] for t in m.frame.days[s])


# ---- terms the rules share ---------------------------------------------------------------------------------


def units(m: pyo.ConcreteModel, p: Project) -> Any:
    """Units of a project over all start years."""
    return sum(m.build[p.id, y] for y in m.inputs.start_years(p))


def live(m: pyo.ConcreteModel, p: Project, s: Scenario) -> Any:
    """Units of a project finished before the scenario starts."""
    return sum(m.build[p.id, y] for y in m.inputs.start_years(p) if is_live(p, y, s))


def spend_in(m: pyo.ConcreteModel, y_pay: int, p: Project) -> Any:
    """Money paid for project p in year y_pay over all units started up to then."""
    terms = []
    for y in m.inputs.start_years(p):
        offset = y_pay - y
        if 0 <= offset < len(p.spend_profile) and p.spend_profile[offset] > 0:
            terms.append(p.unit_cost * p.spend_profile[offset] * m.build[p.id, y])
    return sum(terms)


def spend(m: pyo.ConcreteModel, period: int | None, category: str | None) -> Any:
    """spend_y(P) of models/endurance.md: in one year, or over all years (None); of a category, or of all (None)."""
    chosen = [p for p in m.frame.projects if category is None or p.category == category]
    if period is None:
        return sum(p.unit_cost * units(m, p) for p in chosen)
    return sum(spend_in(m, period, p) for p in chosen)


def counted(m: pyo.ConcreteModel, p: Project, s: Scenario) -> Any:
    """Units of a project that count in a scenario: the live ones, or (40)–(41)'s variable where the projects it
    requires may not be in service at the onset."""
    return m.counted[p.id, s.id] if (p.id, s.id) in m.counted else live(m, p, s)


def effect_sum(m: pyo.ConcreteModel, kind: str, target: str, window: Window, s: Scenario) -> Any:
    """What the counted units of every project add to one effect, with the committed units finished by then."""
    bought = sum(
        p.effect(kind, target, window) * counted(m, p, s)
        for p in m.frame.projects
        if p.effect(kind, target, window) > 0
    )
    return bought + m.inputs.committed_effect(kind, target, s, window)


def effect(m: pyo.ConcreteModel, kind: str, target: str, s: Scenario, day: int | None = None) -> Any:
    """The effect on one day (every window that covers it), or over all windows when no day is given (the kinds that
    act from the onset on, whose only window is the whole crisis)."""
    return sum(
        m.effect_total[k, x, first, last, s.id]
        for k, x, (first, last) in m.frame.effect_keys
        if k == kind and x == target and covers((first, last), day)
    )


def capacity(m: pyo.ConcreteModel, j_id: str, s: Scenario) -> Any:
    """Cap_s,j: a technology's capacity with the live units' added capacity."""
    return m.inputs.technologies[j_id].capacity + effect(m, vocabulary.EFFECT_CAPACITY, j_id, s)


def hardened(m: pyo.ConcreteModel, j_id: str, s: Scenario) -> Any:
    """Hard_s,j: capacity protected from damage."""
    return effect(m, vocabulary.EFFECT_HARDENED, j_id, s)


def repair_rate(m: pyo.ConcreteModel, j_id: str, s: Scenario, day: int | None = None) -> Any:
    """Rep_s,j,t: capacity restored per day."""
    return m.inputs.technologies[j_id].repair_rate + effect(m, vocabulary.EFFECT_REPAIR, j_id, s, day)


def room(m: pyo.ConcreteModel, c: str, s: Scenario) -> Any:
    """Room_s,c: tank room, with the live units' added room."""
    return m.inputs.storage[c].capacity + effect(m, vocabulary.EFFECT_STORAGE, c, s)


def big_m(m: pyo.ConcreteModel, j: str, level: float) -> float:
    """The big-M of (11) at a damage level: the most that could ever be lost."""
    most_capacity, most_hardened = exposure_bound(m.inputs, j)
    return level * most_capacity + most_hardened


def _level_of(f: Frame, s: str, j: str, t: int) -> int:
    return f.damage_levels[s, j].index(f.damage[s, j][t - 1])


def produced(m: pyo.ConcreteModel, s: str, c: str, t: int) -> Any:
    return sum(m.out[s, j.id, t] for j in m.frame.techs if j.output == c)


def consumed(m: pyo.ConcreteModel, s: str, c: str, t: int) -> Any:
    return sum(m.out[s, j.id, t] / j.efficiency for j in m.frame.techs if j.input == c)


def imported_on(m: pyo.ConcreteModel, s: str, c: str, t: int) -> Any:
    return m.imp[s, c, t] if c in m.frame.imported else 0


def used_on(m: pyo.ConcreteModel, s: str, c: str, t: int) -> Any:
    return m.use[s, c, t] if c in m.inputs.demands else 0


def _unless_trivial(constraint: Any) -> Any:
    """A row whose every term is a constant holds whatever is decided (a carrier that nothing imports, makes,
    burns or uses; a 'requires' between projects that cannot start within the plan years): Pyomo refuses it
    as a bare True, so it is left out."""
    return pyo.Constraint.Skip if constraint is True else constraint


# ---- (1)–(7): investment constraints ---------------------------------------------------------------------


def year_budget(m: pyo.ConcreteModel, y: int) -> Any:
    """(1) year_budget: spending in each year within that year's budget."""
    return spend(m, y, None) <= m.inputs.year_budgets[y] + m.policy_slack[f"year:{y}"]


def policy_rule(m: pyo.ConcreteModel, rule_id: str) -> Any:
    """(2)–(4) policy_rule: a total budget, a category floor or a category cap, from the Policy sheet."""
    rule = next(r for r in m.inputs.policy if r.id == rule_id)
    slack = m.policy_slack[f"rule:{rule.id}"]
    if rule.rule == vocabulary.RULE_TOTAL_BUDGET:
        return spend(m, rule.year, None) <= rule.amount + slack
    amount = rule.amount * spend(m, rule.year, None) if rule.amount_unit == vocabulary.AMOUNT_SHARE else rule.amount
    if rule.rule == vocabulary.RULE_CATEGORY_FLOOR:
        return spend(m, rule.year, rule.category) + slack >= amount
    return spend(m, rule.year, rule.category) <= amount + slack


def max_units(m: pyo.ConcreteModel, p: str) -> Any:
    """(5) max_units: units of a project over all start years."""
    return units(m, m.inputs.projects[p]) <= m.inputs.projects[p].max_units


def requires(m: pyo.ConcreteModel, p: str, q: str) -> Any:
    """(6) requires: p is funded only if q is (units of p ≤ max_p · units of q); a q with committed units has no row:
    p may always be funded, and (40)–(41) count its units once q's are in service."""
    projects = m.inputs.projects
    return _unless_trivial(units(m, projects[p]) <= projects[p].max_units * units(m, projects[q]))


def funded_link(m: pyo.ConcreteModel, p: str) -> Any:
    """(7) funded_link: units of p only if p is funded."""
    return units(m, m.inputs.projects[p]) <= m.inputs.projects[p].max_units * m.funded[p]


def excludes(m: pyo.ConcreteModel, p: str, q: str) -> Any:
    """(7) excludes: at most one of p and q funded."""
    return m.funded[p] + m.funded[q] <= 1


# ---- (8): plan effects, per scenario ---------------------------------------------------------------------


def counted_live(m: pyo.ConcreteModel, p: str, s: str) -> Any:
    """(40) counted_live: the units of p that count in s are at most those in service at its onset."""
    return m.counted[p, s] <= live(m, m.inputs.projects[p], m.frame.by_id[s])


def counted_in_service(m: pyo.ConcreteModel, p: str, q: str, s: str) -> Any:
    """(41) counted_in_service: none of p's units count in s unless a unit of q it requires is in service at s's
    onset (units of p counted ≤ max_p · live units of q)."""
    projects = m.inputs.projects
    return m.counted[p, s] <= projects[p].max_units * live(m, projects[q], m.frame.by_id[s])


def effect_definition(m: pyo.ConcreteModel, kind: str, target: str, first: int, last: float, s: str) -> Any:
    """(8) effect_definition: what the counted units of every project add, once per scenario, target and window, so
    that the daily constraints refer to one variable rather than repeat the sum."""
    return m.effect_total[kind, target, first, last, s] == effect_sum(m, kind, target, (first, last), m.frame.by_id[s])


# ---- (9)–(21), (37): operations, for every scenario and day -----------------------------------------------


def capacity_limit(m: pyo.ConcreteModel, s_id: str, j: str, t: int) -> Any:
    """(9) capacity_limit: output within capacity, less what is lost, plus what is repaired."""
    s = m.frame.by_id[s_id]
    if j in m.frame.damaged[s_id]:
        return m.out[s_id, j, t] <= capacity(m, j, s) - m.lost[s_id, j, t] + m.restored[s_id, j, t]
    return m.out[s_id, j, t] <= capacity(m, j, s)


def damage(m: pyo.ConcreteModel, s: str, j: str, t: int) -> Any:
    """(10) damage: capacity lost is the damaged share of all capacity, less hardened capacity."""
    f: Frame = m.frame
    return m.lost[s, j, t] >= f.damage[s, j][t - 1] * capacity(m, j, f.by_id[s]) - hardened(m, j, f.by_id[s])


def lost_when_exposed(m: pyo.ConcreteModel, s: str, j: str, t: int) -> Any:
    """(11) lost_when_exposed: lost is exactly max(0, damage − hardened). Without (11) an LP could count hardened
    capacity as lost and 'repair' it in advance."""
    f: Frame = m.frame
    level = f.damage[s, j][t - 1]
    return m.lost[s, j, t] <= level * capacity(m, j, f.by_id[s]) - hardened(m, j, f.by_id[s]) + big_m(m, j, level) * (
        1 - m.exposed[s, j, _level_of(f, s, j, t)]
    )


def lost_when_protected(m: pyo.ConcreteModel, s: str, j: str, t: int) -> Any:
    """(11) lost_when_protected: nothing is lost where the hardening covers the damage."""
    f: Frame = m.frame
    return m.lost[s, j, t] <= big_m(m, j, f.damage[s, j][t - 1]) * m.exposed[s, j, _level_of(f, s, j, t)]


def damage_limit(m: pyo.ConcreteModel, s: str, j: str, t: int) -> Any:
    """(12) damage_limit: no more is lost than the damaged share, so repairs cannot be banked early."""
    f: Frame = m.frame
    return m.lost[s, j, t] <= f.damage[s, j][t - 1] * capacity(m, j, f.by_id[s])


def repair_pace(m: pyo.ConcreteModel, s_id: str, j: str, t: int) -> Any:
    """(13) repair_pace: restored capacity grows by at most the repair rate a day after the delay."""
    previous = m.restored[s_id, j, t - 1] if t > 1 else 0
    return m.restored[s_id, j, t] <= previous + repair_rate(m, j, m.frame.by_id[s_id], t)


def repair_limit(m: pyo.ConcreteModel, s: str, j: str, t: int) -> Any:
    """(14) repair_limit: only lost capacity can be restored."""
    return m.restored[s, j, t] <= m.lost[s, j, t]


def essential_requirement(m: pyo.ConcreteModel, s: str, c: str, t: int) -> Any:
    """(15) essential_requirement: use plus relief covers the requirement on every day counted as met, for a
    requirement that counts toward endurance."""
    f: Frame = m.frame
    need = f.required[s, c][t - 1]
    covered = m.use[s, c, t] + (m.relief[s, c, t] if c in f.relievable else 0)
    if (s, c, t) in m.shortfall:
        covered = covered + m.shortfall[s, c, t]
    return covered >= need * m.ok[s, t]


def relief_potential(m: pyo.ConcreteModel, s: str, c: str, t: int) -> Any:
    """(16) relief_potential: relief is at most the share that live projects remove."""
    f: Frame = m.frame
    return m.relief[s, c, t] <= effect(m, vocabulary.EFFECT_RELIEF, c, f.by_id[s], t) * f.required[s, c][t - 1]


def relief_cap(m: pyo.ConcreteModel, s: str, c: str, t: int) -> Any:
    """(17) relief_cap: at most the carrier's maximum relief share, and only on days counted as met."""
    return m.relief[s, c, t] <= m.inputs.demands[c].max_relief * m.frame.required[s, c][t - 1] * m.ok[s, t]


def opening_stock(m: pyo.ConcreteModel, s: str, c: str) -> Any:
    """(18) opening_stock: stock on day 0 is at most the initial stock held at the onset plus live fills."""
    scenario = m.frame.by_id[s]
    held = scenario.onset_share(c) * m.inputs.storage[c].initial
    return m.inv[s, c, 0] <= held + effect(m, vocabulary.EFFECT_STOCK, c, scenario)


def stock_room(m: pyo.ConcreteModel, s: str, c: str, t: int) -> Any:
    """(19) stock_room: stock never exceeds the room of existing and live tanks (day 0 included)."""
    return m.inv[s, c, t] <= room(m, c, m.frame.by_id[s])


def stock_balance(m: pyo.ConcreteModel, s: str, c: str, t: int) -> Any:
    """(20) stock_balance: today's stock is yesterday's plus what arrives and is made, less what is burnt and used."""
    return m.inv[s, c, t] == m.inv[s, c, t - 1] + imported_on(m, s, c, t) + produced(m, s, c, t) - consumed(
        m, s, c, t
    ) - used_on(m, s, c, t)


def flow_balance(m: pyo.ConcreteModel, s: str, c: str, t: int) -> Any:
    """(21) flow_balance: what is not stored is used, consumed or spilled the same day."""
    return _unless_trivial(
        imported_on(m, s, c, t) + produced(m, s, c, t) - consumed(m, s, c, t) - used_on(m, s, c, t) >= 0
    )


def assured_import_limit(m: pyo.ConcreteModel, s: str, c: str, t: int) -> Any:
    """(37) assured_import_limit: a carrier that projects bring in (chartered or escorted cargoes) arrives up to the
    available share of normal imports plus the share of the projects' daily amount that gets through."""
    f: Frame = m.frame
    return m.imp[s, c, t] <= f.availability[s, c][t - 1] * m.inputs.imports.get(c, 0.0) + f.assured_share[s, c][
        t - 1
    ] * effect(m, vocabulary.EFFECT_ASSURED_IMPORT, c, f.by_id[s], t)


# ---- (22)–(24): endurance --------------------------------------------------------------------------------


def endurance_prefix(m: pyo.ConcreteModel, s: str, t: int) -> Any:
    """(22) endurance_prefix: a day counts only if every earlier day counted."""
    return m.ok[s, t] >= m.ok[s, t + 1]


def worst_limit(m: pyo.ConcreteModel, s: str) -> Any:
    """(23) worst_limit: the worst endurance is at most each scenario's."""
    return m.worst_endurance <= m.endurance[s]


def target_endurance(m: pyo.ConcreteModel, s: str) -> Any:
    """(24) target_endurance: under the 'target' objective each scenario reaches its target."""
    return m.endurance[s] + m.target_slack[s] >= m.frame.targets[s]


# ---- (25)–(26): imposed project decisions ----------------------------------------------------------------


def imposed_units(m: pyo.ConcreteModel, p: str) -> Any:
    """(25) imposed_units: exactly N units of the project over all years (0: not funded)."""
    return units(m, m.inputs.projects[p]) == m.frame.decided[p].units


def imposed_start(m: pyo.ConcreteModel, p: str, y: int) -> Any:
    """(26) imposed_start: all N units start in the year the proposal gives."""
    return m.build[p, y] == m.frame.decided[p].units
