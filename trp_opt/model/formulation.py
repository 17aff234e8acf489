"""The endurance mixed-integer program (models/endurance.md), built with Pyomo.

Every constraint here carries the name it has in models/endurance.md, with
its equation number in a comment. The builder only builds: objectives are
set by ``trp_opt.solve.stages``, which runs the lexicographic stages.

Three variants share this one builder, so the plan, the operations and the
report can never disagree about what a constraint means:
- the investment model (``plan=None``): what to fund;
- a held plan (``plan=...``): operations only, e.g. to re-solve a day;
- elastic days (``elastic_after=...``): requirements after a scenario's
  endurance may be short, with the shortfall measured, to explain what
  fails first and to draw the daily profiles after the failure;
- policy slack (``policy_slack=True``): every budget rule may be broken at
  a price, to explain an infeasible plan in terms of the rules that conflict.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyomo.environ as pyo

from trp_opt.data import vocabulary
from trp_opt.data.derived import exposure_bound, is_live, relievable_carriers, requirement
from trp_opt.data.inputs import Inputs, Project, Scenario, covers
from trp_opt.data.plans import Plan


def build_model(
    inputs: Inputs,
    plan: Plan | None = None,
    scenario_ids: list[str] | None = None,
    elastic_after: Mapping[str, int] | None = None,
    policy_slack: bool = False,
    targets: Mapping[str, int] | None = None,
) -> pyo.ConcreteModel:
    """Build the model of models/endurance.md for ``inputs``.

    ``plan`` fixes the investments; ``scenario_ids`` keeps only those
    scenarios; ``elastic_after[s] = d`` lets requirements of scenario s on
    days after d fall short (variables ``shortfall``) with every day counted
    as met; ``policy_slack`` adds a priced slack to every budget rule and
    target; ``targets[s]`` is the least endurance scenario s must reach.
    """
    m = pyo.ConcreteModel(name="endurance")
    scenarios = [inputs.scenarios[s] for s in (scenario_ids or list(inputs.scenarios))]
    projects = list(inputs.projects.values())
    storable = [c for c in inputs.carriers.values() if c.storable]
    flow = [c for c in inputs.carriers.values() if not c.storable]
    elastic_after = dict(elastic_after or {})
    m.inputs = inputs  # kept for the solver and the reader of the solution

    # ---- investment decisions ---------------------------------------------------
    build_index = [(p.id, y) for p in projects for y in inputs.start_years(p)]
    m.build = pyo.Var(
        build_index,
        domain=pyo.NonNegativeIntegers,
        bounds=lambda _, p, y: (0, inputs.projects[p].max_units),
    )
    if plan is not None:
        unknown = sorted(set(plan) - set(build_index))
        if unknown:
            raise ValueError(f"the plan names projects or start years the inputs do not allow: {unknown}")
        for key in build_index:
            m.build[key].fix(int(plan.get(key, 0)))

    def units(p: Project) -> pyo.Expression:
        return sum(m.build[p.id, y] for y in inputs.start_years(p))

    def live(p: Project, s: Scenario):
        return sum(m.build[p.id, y] for y in inputs.start_years(p) if is_live(p, y, s))

    def spend_in(y_pay: int, p: Project):
        """Money paid for project p in year y_pay over all units started up to then."""
        terms = []
        for y in inputs.start_years(p):
            offset = y_pay - y
            if 0 <= offset < len(p.spend_profile) and p.spend_profile[offset] > 0:
                terms.append(p.unit_cost * p.spend_profile[offset] * m.build[p.id, y])
        return sum(terms)

    m.total_cost = pyo.Expression(expr=sum(p.unit_cost * units(p) for p in projects))

    def spend(period: int | None, category: str | None):
        chosen = [p for p in projects if category is None or p.category == category]
        if period is None:
            return sum(p.unit_cost * units(p) for p in chosen)
        return sum(spend_in(period, p) for p in chosen)

    # Priced slack on budget rules, only for explaining infeasibility.
    m.policy_slack = pyo.Var(
        [f"year:{y}" for y in inputs.years] + [f"rule:{r.id}" for r in inputs.policy],
        domain=pyo.NonNegativeReals,
    )
    if not policy_slack:
        for var in m.policy_slack.values():
            var.fix(0)

    # (1) year_budget: spending in each year within that year's budget
    m.year_budget = pyo.Constraint(
        inputs.years,
        rule=lambda _, y: spend(y, None) <= inputs.year_budgets[y] + m.policy_slack[f"year:{y}"],
    )

    # (2)–(4) policy_rule: total budget, category floor, category cap, from the Policy sheet
    def policy_rule(_, rule_id: str):
        rule = next(r for r in inputs.policy if r.id == rule_id)
        slack = m.policy_slack[f"rule:{rule.id}"]
        if rule.rule == vocabulary.RULE_TOTAL_BUDGET:
            return spend(rule.year, None) <= rule.amount + slack
        amount = rule.amount * spend(rule.year, None) if rule.amount_unit == vocabulary.AMOUNT_SHARE else rule.amount
        if rule.rule == vocabulary.RULE_CATEGORY_FLOOR:
            return spend(rule.year, rule.category) + slack >= amount
        return spend(rule.year, rule.category) <= amount + slack

    m.policy_rule = pyo.Constraint([r.id for r in inputs.policy], rule=policy_rule)

    # (5) max_units: units of a project over all start years
    m.max_units = pyo.Constraint(
        [p.id for p in projects if len(inputs.start_years(p)) > 1],
        rule=lambda _, p: units(inputs.projects[p]) <= inputs.projects[p].max_units,
    )

    # (6) requires: p is funded only if q is (units of p ≤ max_p · units of q)
    requires_pairs = [(p.id, q) for p in projects for q in p.requires]
    m.requires = pyo.Constraint(
        requires_pairs,
        rule=lambda _, p, q: _unless_trivial(
            units(inputs.projects[p]) <= inputs.projects[p].max_units * units(inputs.projects[q])
        ),
    )

    # (7) excludes: at most one of p and q funded, through a binary 'funded'
    excluded = sorted({p.id for p in projects if p.excludes} | {q for p in projects for q in p.excludes})
    m.funded = pyo.Var(excluded, domain=pyo.Binary)
    m.funded_link = pyo.Constraint(
        excluded,
        rule=lambda _, p: units(inputs.projects[p]) <= inputs.projects[p].max_units * m.funded[p],
    )
    exclude_pairs = sorted({tuple(sorted((p.id, q))) for p in projects for q in p.excludes})
    m.excludes = pyo.Constraint(exclude_pairs, rule=lambda _, p, q: m.funded[p] + m.funded[q] <= 1)

    # (25) imposed_units and (26) imposed_start: project decisions imposed by a proposal (Inputs.imposed).
    # Exactly N units over all years (0 = not funded); with a start year, all N start in that year.
    # With a plan given the plan is the decision, so the block is left out.
    decided = {p: d for p, d in inputs.imposed.items() if plan is None}
    imposed_starts = [(p, d.start_year) for p, d in decided.items() if d.start_year is not None]
    not_allowed = sorted(set(imposed_starts) - set(build_index))
    if not_allowed:
        raise ValueError(f"fixed decisions name projects or start years the inputs do not allow: {not_allowed}")
    m.imposed_units = pyo.Constraint(list(decided), rule=lambda _, p: units(inputs.projects[p]) == decided[p].units)
    m.imposed_start = pyo.Constraint(imposed_starts, rule=lambda _, p, y: m.build[p, y] == decided[p].units)

    # ---- operations, per scenario and day ------------------------------------------
    days = {s.id: list(range(1, s.horizon + 1)) for s in scenarios}
    scenario_days = [(s.id, t) for s in scenarios for t in days[s.id]]
    m.scenario_ids = [s.id for s in scenarios]
    m.ok = pyo.Var(scenario_days, domain=pyo.Binary)
    for s_id in elastic_after:
        for t in days[s_id]:
            m.ok[s_id, t].fix(1)  # in elastic mode a day counts as met; shortfall says by how much not

    m.endurance = pyo.Expression(m.scenario_ids, rule=lambda _, s: sum(m.ok[s, t] for t in days[s]))

    imported = inputs.imported_carriers()
    assured = set(inputs.assured_carriers())
    availability = {(s.id, c): s.availability(c) for s in scenarios for c in imported}
    m.imp = pyo.Var(
        [(s.id, c, t) for s in scenarios for c in imported for t in days[s.id]],
        domain=pyo.NonNegativeReals,
        # import_limit: what arrives is at most the available share of normal imports (and, for a carrier that
        # projects bring in, what gets through of theirs: (37) below)
        bounds=lambda _, s, c, t: (
            0,
            None if c in assured else availability[s, c][t - 1] * inputs.imports.get(c, 0.0),
        ),
    )

    techs = list(inputs.technologies.values())
    m.out = pyo.Var(
        [(s.id, j.id, t) for s in scenarios for j in techs for t in days[s.id]], domain=pyo.NonNegativeReals
    )

    # (8) effect_definition: what the live units of every project add, once per scenario and
    # target, so that the daily constraints refer to one variable rather than repeat the sum.
    by_id = {s.id: s for s in scenarios}
    # One variable per effect kind, target and window of crisis days it acts on (an effect without a window acts
    # on every day: window (1, inf)).
    effect_keys = inputs.effect_keys()
    effect_index = [(kind, target, first, last, s.id) for kind, target, (first, last) in effect_keys for s in scenarios]
    m.effect_total = pyo.Var(effect_index, domain=pyo.NonNegativeReals)

    def effect_sum(kind: str, target: str, window: tuple[int, float], s: Scenario):
        bought = sum(
            p.effect(kind, target, window) * live(p, s) for p in projects if p.effect(kind, target, window) > 0
        )
        return bought + inputs.committed_effect(kind, target, s, window)

    m.effect_definition = pyo.Constraint(
        effect_index,
        rule=lambda _, kind, target, first, last, s: (
            m.effect_total[kind, target, first, last, s] == effect_sum(kind, target, (first, last), by_id[s])
        ),
    )
    if plan is not None:  # the plan fixes every effect: known numbers keep the held-plan model linear and small
        for (kind, target, first, last, s), var in m.effect_total.items():
            var.fix(pyo.value(effect_sum(kind, target, (first, last), by_id[s])))

    def effect(kind: str, target: str, s: Scenario, day: int | None = None):
        """The effect on one day (every window that covers it), or over all windows when no day is given (the
        kinds that act from the onset on, whose only window is the whole crisis)."""
        return sum(
            m.effect_total[k, x, first, last, s.id]
            for k, x, (first, last) in effect_keys
            if k == kind and x == target and covers((first, last), day)
        )

    def capacity(j_id: str, s: Scenario):
        return inputs.technologies[j_id].capacity + effect(vocabulary.EFFECT_CAPACITY, j_id, s)

    def hardened(j_id: str, s: Scenario):
        return effect(vocabulary.EFFECT_HARDENED, j_id, s)

    def repair_rate(j_id: str, s: Scenario, day: int | None = None):
        return inputs.technologies[j_id].repair_rate + effect(vocabulary.EFFECT_REPAIR, j_id, s, day)

    damaged = {s.id: [j for j in s.damaged_technologies() if j in inputs.technologies] for s in scenarios}
    damage = {(s.id, j): s.damage(j) for s in scenarios for j in damaged[s.id]}
    damaged_days = [(s.id, j, t) for s in scenarios for j in damaged[s.id] for t in days[s.id]]
    m.lost = pyo.Var(damaged_days, domain=pyo.NonNegativeReals)
    m.restored = pyo.Var(damaged_days, domain=pyo.NonNegativeReals)
    for s_id, j, t in damaged_days:
        if t <= by_id[s_id].repair_delay:
            m.restored[s_id, j, t].fix(0)  # no repair before the delay has passed
        if damage[s_id, j][t - 1] == 0:
            m.lost[s_id, j, t].fix(0)  # nothing lost, so no repair can be banked before the damage

    # (9) capacity_limit: output within capacity, less what is lost, plus what is repaired
    def capacity_limit(_, s_id, j, t):
        s = by_id[s_id]
        if j in damaged[s_id]:
            return m.out[s_id, j, t] <= capacity(j, s) - m.lost[s_id, j, t] + m.restored[s_id, j, t]
        return m.out[s_id, j, t] <= capacity(j, s)

    m.capacity_limit = pyo.Constraint(
        [(s.id, j.id, t) for s in scenarios for j in techs for t in days[s.id]], rule=capacity_limit
    )

    # (10) damage: capacity lost is the damaged share of all capacity, less hardened capacity
    m.damage = pyo.Constraint(
        [(s, j, t) for s, j, t in damaged_days if damage[s, j][t - 1] > 0],
        rule=lambda _, s, j, t: m.lost[s, j, t] >= damage[s, j][t - 1] * capacity(j, by_id[s]) - hardened(j, by_id[s]),
    )

    # (11) lost_when_exposed and lost_when_protected: lost is exactly max(0, damage − hardened).
    # Without them an LP could count hardened capacity as lost and 'repair' it in advance. One binary
    # per scenario, technology and damage level says whether the damage exceeds the hardening.
    hardenable = {e.target for p in projects for e in p.effects if e.kind == vocabulary.EFFECT_HARDENED}
    damage_levels = {
        (s.id, j): sorted({d for d in damage[s.id, j] if d > 0})
        for s in scenarios
        for j in damaged[s.id]
        if j in hardenable
    }
    m.exposed = pyo.Var(
        [(s, j, k) for (s, j), levels in damage_levels.items() for k in range(len(levels))], domain=pyo.Binary
    )

    def big_m(s_id: str, j: str, level: float) -> float:
        most_capacity, most_hardened = exposure_bound(inputs, j)
        return level * most_capacity + most_hardened

    if plan is not None:  # with the investments fixed, exposure is known: keep the model linear
        for (s, j, k), var in m.exposed.items():
            level = damage_levels[s, j][k]
            var.fix(1 if level * pyo.value(capacity(j, by_id[s])) - pyo.value(hardened(j, by_id[s])) > 0 else 0)

    exposed_days = [(s, j, t) for s, j, t in damaged_days if (s, j) in damage_levels and damage[s, j][t - 1] > 0]

    def level_of(s, j, t) -> int:
        return damage_levels[s, j].index(damage[s, j][t - 1])

    m.lost_when_exposed = pyo.Constraint(
        exposed_days,
        rule=lambda _, s, j, t: (
            m.lost[s, j, t]
            <= damage[s, j][t - 1] * capacity(j, by_id[s])
            - hardened(j, by_id[s])
            + big_m(s, j, damage[s, j][t - 1]) * (1 - m.exposed[s, j, level_of(s, j, t)])
        ),
    )
    m.lost_when_protected = pyo.Constraint(
        exposed_days,
        rule=lambda _, s, j, t: (
            m.lost[s, j, t] <= big_m(s, j, damage[s, j][t - 1]) * m.exposed[s, j, level_of(s, j, t)]
        ),
    )

    # (12) damage_limit: no more is lost than the damaged share, so repairs cannot be banked early
    m.damage_limit = pyo.Constraint(
        [(s, j, t) for s, j, t in damaged_days if damage[s, j][t - 1] > 0],
        rule=lambda _, s, j, t: m.lost[s, j, t] <= damage[s, j][t - 1] * capacity(j, by_id[s]),
    )

    # (13) repair_pace: restored capacity grows by at most the repair rate a day after the delay
    def repair_pace(_, s_id, j, t):
        previous = m.restored[s_id, j, t - 1] if t > 1 else 0
        return m.restored[s_id, j, t] <= previous + repair_rate(j, by_id[s_id], t)

    m.repair_pace = pyo.Constraint(
        [(s, j, t) for s, j, t in damaged_days if t > by_id[s].repair_delay], rule=repair_pace
    )
    # (14) repair_limit: only lost capacity can be restored
    m.repair_limit = pyo.Constraint(
        [(s, j, t) for s, j, t in damaged_days if t > by_id[s].repair_delay],
        rule=lambda _, s, j, t: m.restored[s, j, t] <= m.lost[s, j, t],
    )

    # Essential requirements and relief.
    demanded = list(inputs.demands)
    required = {(s.id, c): requirement(inputs, s, c) for s in scenarios for c in demanded}
    use_index = [(s.id, c, t) for s in scenarios for c in demanded for t in days[s.id]]
    m.use = pyo.Var(use_index, domain=pyo.NonNegativeReals)
    elastic_index = [
        (s, c, t) for s, c, t in use_index if s in elastic_after and t > elastic_after[s] and required[s, c][t - 1] > 0
    ]
    for s, c, t in elastic_index:
        m.use[s, c, t].setub(required[s, c][t - 1])  # profiles show use up to the requirement, not waste
    m.shortfall = pyo.Var(elastic_index, domain=pyo.NonNegativeReals)

    relievable = relievable_carriers(inputs)
    relief_index = [(s.id, c, t) for s in scenarios for c in relievable for t in days[s.id]]
    m.relief = pyo.Var(relief_index, domain=pyo.NonNegativeReals)

    def relief_share(c: str, s: Scenario, day: int):
        return effect(vocabulary.EFFECT_RELIEF, c, s, day)

    # (15) essential_requirement: use plus relief covers the requirement on every day counted as met
    def essential_requirement(_, s, c, t):
        need = required[s, c][t - 1]
        covered = m.use[s, c, t] + (m.relief[s, c, t] if c in relievable else 0)
        if (s, c, t) in m.shortfall:
            covered = covered + m.shortfall[s, c, t]
        return covered >= need * m.ok[s, t]

    m.essential_requirement = pyo.Constraint(
        [(s, c, t) for s, c, t in use_index if required[s, c][t - 1] > 0], rule=essential_requirement
    )
    # (16) relief_potential: relief is at most the share that live projects remove
    m.relief_potential = pyo.Constraint(
        relief_index,
        rule=lambda _, s, c, t: m.relief[s, c, t] <= relief_share(c, by_id[s], t) * required[s, c][t - 1],
    )
    # (17) relief_cap: at most the carrier's maximum relief share, and only on days counted as met
    m.relief_cap = pyo.Constraint(
        relief_index,
        rule=lambda _, s, c, t: m.relief[s, c, t] <= inputs.demands[c].max_relief * required[s, c][t - 1] * m.ok[s, t],
    )

    # (37) assured_import_limit: a carrier that projects bring in (chartered or escorted cargoes) arrives up to the
    # available share of normal imports plus the share of the projects' daily amount that gets through
    assured_share = {(s.id, c): s.assured_share(c) for s in scenarios for c in assured}
    m.assured_import_limit = pyo.Constraint(
        [(s.id, c, t) for s in scenarios for c in sorted(assured) for t in days[s.id]],
        rule=lambda _, s, c, t: (
            m.imp[s, c, t]
            <= availability[s, c][t - 1] * inputs.imports.get(c, 0.0)
            + assured_share[s, c][t - 1] * effect(vocabulary.EFFECT_ASSURED_IMPORT, c, by_id[s], t)
        ),
    )

    # Carrier balances.
    def produced(s, c, t):
        return sum(m.out[s, j.id, t] for j in techs if j.output == c)

    def consumed(s, c, t):
        return sum(m.out[s, j.id, t] / j.efficiency for j in techs if j.input == c)

    def imported_on(s, c, t):
        return m.imp[s, c, t] if c in imported else 0

    def used_on(s, c, t):
        return m.use[s, c, t] if c in inputs.demands else 0

    stock_index = [(s.id, c.id, t) for s in scenarios for c in storable for t in [0, *days[s.id]]]
    m.inv = pyo.Var(
        stock_index,
        domain=pyo.NonNegativeReals,
        bounds=lambda _, s, c, t: (inputs.storage[c].floor, None),  # stock_floor: the tank heel stays
    )

    def room(c: str, s: Scenario):
        return inputs.storage[c].capacity + effect(vocabulary.EFFECT_STORAGE, c, s)

    # (18) opening_stock: stock on day 0 is at most the initial stock held at the onset plus live fills
    m.opening_stock = pyo.Constraint(
        [(s.id, c.id) for s in scenarios for c in storable],
        rule=lambda _, s, c: (
            m.inv[s, c, 0]
            <= by_id[s].onset_share(c) * inputs.storage[c].initial + effect(vocabulary.EFFECT_STOCK, c, by_id[s])
        ),
    )
    # (19) stock_room: stock never exceeds the room of existing and live tanks (day 0 included)
    m.stock_room = pyo.Constraint(stock_index, rule=lambda _, s, c, t: m.inv[s, c, t] <= room(c, by_id[s]))
    # (20) stock_balance
    m.stock_balance = pyo.Constraint(
        [(s, c, t) for s, c, t in stock_index if t > 0],
        rule=lambda _, s, c, t: (
            m.inv[s, c, t]
            == m.inv[s, c, t - 1] + imported_on(s, c, t) + produced(s, c, t) - consumed(s, c, t) - used_on(s, c, t)
        ),
    )
    # (21) flow_balance: what is not stored is used, consumed or spilled the same day
    m.flow_balance = pyo.Constraint(
        [(s.id, c.id, t) for s in scenarios for c in flow for t in days[s.id]],
        rule=lambda _, s, c, t: _unless_trivial(
            imported_on(s, c, t) + produced(s, c, t) - consumed(s, c, t) - used_on(s, c, t) >= 0
        ),
    )

    # (22) endurance_prefix: a day counts only if every earlier day counted
    m.endurance_prefix = pyo.Constraint(
        [(s.id, t) for s in scenarios for t in days[s.id][:-1]],
        rule=lambda _, s, t: m.ok[s, t] >= m.ok[s, t + 1],
    )

    m.worst_endurance = pyo.Var(domain=pyo.NonNegativeReals)
    # (23) worst_limit: the worst endurance is at most each scenario's
    m.worst_limit = pyo.Constraint(m.scenario_ids, rule=lambda _, s: m.worst_endurance <= m.endurance[s])
    m.weighted_endurance = pyo.Expression(expr=sum(s.weight * m.endurance[s.id] for s in scenarios))

    # (24) target_endurance: under the 'target' objective each scenario reaches its target
    targets = dict(targets or {})
    m.target_slack = pyo.Var(list(targets), domain=pyo.NonNegativeReals)
    if not policy_slack:
        for var in m.target_slack.values():
            var.fix(0)
    m.target_endurance = pyo.Constraint(
        list(targets), rule=lambda _, s: m.endurance[s] + m.target_slack[s] >= targets[s]
    )

    # Kept for reading results back.
    m.days = days
    m.required = required
    m.relievable = relievable
    m.damaged = damaged
    m.capacity_of = capacity
    m.hardened_of = hardened
    m.repair_rate_of = repair_rate
    return m


def _unless_trivial(constraint):
    """A row whose every term is a constant holds whatever is decided (a carrier that nothing imports, makes,
    burns or uses; a 'requires' between projects that cannot start within the plan years): Pyomo refuses it
    as a bare True, so it is left out."""
    return pyo.Constraint.Skip if constraint is True else constraint
