"""choose_plan against brute-force enumeration on small random instances (fixed seeds).

Each instance is the LNG → gas plants → electricity chain of tests/instances.py
with random figures: stock, room, floor, imports and their availability, plant
capacity, one block of damage with a repair delay, a demand multiplier, relief
with a cap, and up to 10 projects of at most one unit with random effects
(stock, storage, capacity, hardened, repair, relief), costs, lead times, spend
profiles, requires/excludes, yearly and total budgets and a category cap.

Every plan (each project: not funded, or started in one of its start years) is
checked against the budget rules and dependencies here, and its endurance
computed by ``simulate``: an independent day-by-day evaluation that does not
use the model. With one stored carrier, keeping as much stock as possible each
day is optimal, so the greedy day-by-day rule gives the exact endurance.

Damage is one block of days at one level per scenario: the case in which the
capacity left each day is unambiguous (see test_model's hardened-repair test for
a stepped case).
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from dataclasses import dataclass

import pytest

from tests.support.instances import project
from trp_opt.data import vocabulary
from trp_opt.data.inputs import (
    Carrier,
    Demand,
    Inputs,
    PolicyRule,
    Scenario,
    ScenarioEvent,
    Storage,
    Technology,
)
from trp_opt.data.options import SolveOptions
from trp_opt.solve.block_runner import plan_endurance
from trp_opt.solve.choose import choose_plan

SEEDS = [1, 2, 4, 6, 9]  # 1 and 9 plan over two years; chosen (see the first test) so that plans differ
TOLERANCE = 1e-6
EFFECTS = [
    ("stock", "lng", (20, 100)),
    ("storage", "lng", (20, 100)),
    ("capacity", "gas", (5, 20)),
    ("hardened", "gas", (5, 20)),
    ("repair", "gas", (2, 10)),
    ("relief", "power", (0.05, 0.15)),
]


def random_instance(seed: int) -> Inputs:
    rng = random.Random(seed)
    years = (2027, 2028) if seed % 2 else (2027,)
    n_projects = 8 if len(years) == 2 else 10

    projects = []
    for i in range(n_projects):
        chosen = rng.sample(EFFECTS, rng.choice([1, 1, 2]))
        effects = []
        for kind, target, (low, high) in chosen:
            amount = round(rng.uniform(low, high), 2) if kind == "relief" else rng.randint(low, high)
            effects.append((kind, target, amount))
        two_years = len(years) == 2
        projects.append(
            project(
                f"p{i}",
                rng.randint(5, 30),
                *effects,
                lead_time=rng.choice([0, 0, 1]) if two_years else 0,
                profile=rng.choice([(1.0,), (1.0,), (0.5, 0.5)]) if two_years else (1.0,),
                category=rng.choice(["stockpiles", "grid", "training"]),
            )
        )
    # One 'requires' and one 'excludes' pair among distinct projects.
    a, b, c, d = rng.sample(range(n_projects), 4)
    projects[a] = project_with(projects[a], requires=(projects[b].id,))
    projects[c] = project_with(projects[c], excludes=(projects[d].id,))

    total_cost = sum(p.unit_cost for p in projects)
    year_budget = round(total_cost * (0.5 if len(years) == 1 else 0.35))
    policy = [PolicyRule("total", vocabulary.RULE_TOTAL_BUDGET, round(total_cost * 0.5), cell="Policy!E2")]
    if rng.random() < 0.6:
        category = rng.choice(["stockpiles", "grid", "training"])
        if rng.random() < 0.5:
            policy.append(PolicyRule("cap", vocabulary.RULE_CATEGORY_CAP, rng.randint(10, 40), category=category))
        else:
            policy.append(
                PolicyRule(
                    "cap",
                    vocabulary.RULE_CATEGORY_CAP,
                    rng.choice([0.3, 0.5]),
                    vocabulary.AMOUNT_SHARE,
                    category=category,
                )
            )

    scenarios = {}
    for s in ("s1", "s2"):
        horizon = rng.randint(10, 30)
        events = [ScenarioEvent(vocabulary.EVENT_IMPORT_AVAILABILITY, "lng", 1, horizon, rng.choice([0.0, 0.2, 0.4]))]
        if rng.random() < 0.7:
            first = rng.randint(2, horizon)
            last = rng.randint(first, horizon)
            events.append(
                ScenarioEvent(vocabulary.EVENT_CAPACITY_LOSS, "gas", first, last, rng.choice([0.2, 0.3, 0.5]))
            )
        if rng.random() < 0.4:
            first = rng.randint(1, horizon)
            events.append(
                ScenarioEvent(vocabulary.EVENT_DEMAND_MULTIPLIER, "power", first, horizon, rng.choice([0.8, 1.2]))
            )
        scenarios[s] = Scenario(
            s,
            s.upper(),
            years[-1] if s == "s1" else rng.choice(years),
            horizon,
            float(rng.randint(1, 3)),
            rng.randint(0, 5),
            None,
            tuple(events),
        )

    initial = rng.randint(50, 150)
    return Inputs(
        years=years,
        year_budgets={y: float(year_budget) for y in years},
        carriers={"lng": Carrier("lng", "LNG", "kt", True), "power": Carrier("power", "Electricity", "GWh", False)},
        storage={"lng": Storage("lng", initial, initial + rng.randint(0, 100), rng.randint(0, 20))},
        imports={"lng": float(rng.randint(20, 60))},
        technologies={
            "gas": Technology("gas", "Gas plants", "lng", "power", 2.0, rng.randint(45, 70), rng.choice([0.0, 5.0]))
        },
        demands={"power": Demand("power", 100.0, 0.5, rng.choice([0.0, 0.1, 0.2, 0.3]))},
        scenarios=scenarios,
        projects={p.id: p for p in projects},
        policy=tuple(policy),
        currency="NT$ million",
    )


def project_with(p, **changes):
    return dataclasses.replace(p, **changes)


# ---- the independent evaluation ----------------------------------------------------------


def simulate(inputs: Inputs, plan: dict[tuple[str, int], int], scenario: Scenario) -> int:
    """Endurance of one scenario with the plan held, day by day, keeping the most stock."""

    def in_service(project_id: str) -> int:
        project = inputs.projects[project_id]
        bought = sum(
            n for (p, year), n in plan.items() if p == project_id and year + project.lead_time <= scenario.onset_year
        )
        return bought + project.committed_live(scenario.onset_year)

    # A unit counts when finished before the onset and every project it requires has a unit in service by then.
    live = [
        inputs.projects[p]
        for (p, year), units in plan.items()
        for _ in range(units)
        if year + inputs.projects[p].lead_time <= scenario.onset_year
        and all(in_service(q) >= 1 for q in inputs.projects[p].requires)
    ]

    def effect(kind: str, target: str) -> float:
        return sum(p.effect(kind, target) for p in live)

    storage, gas, demand = inputs.storage["lng"], inputs.technologies["gas"], inputs.demands["power"]
    room = storage.capacity + effect("storage", "lng")
    stock = min(storage.initial + effect("stock", "lng"), room)
    capacity = gas.capacity + effect("capacity", "gas")
    hardened = effect("hardened", "gas")
    rate = gas.repair_rate + effect("repair", "gas")
    relief = min(effect("relief", "power"), demand.max_relief)
    restored = 0.0
    days = 0
    for day in range(1, scenario.horizon + 1):
        damage = scenario.damage("gas")[day - 1]
        lost = max(0.0, damage * capacity - hardened) if damage > 0 else 0.0
        restored = min(lost, restored + rate) if day > scenario.repair_delay else 0.0
        available = capacity - lost + restored
        need = demand.essential_share * demand.daily * scenario.demand_multiplier("power")[day - 1] * (1 - relief)
        if need > available + TOLERANCE:
            break
        arriving = scenario.availability("lng")[day - 1] * inputs.imports["lng"]
        after = stock + arriving - need / gas.efficiency
        if after < storage.floor - TOLERANCE:
            break
        stock = min(after, room)
        days = day
    return days


def spend_by_year(inputs: Inputs, plan) -> dict[int, float]:
    spend = dict.fromkeys(inputs.years, 0.0)
    for (p, year), units in plan.items():
        project = inputs.projects[p]
        for offset, share in enumerate(project.spend_profile):
            spend[year + offset] += project.unit_cost * share * units
    return spend


def allowed(inputs: Inputs, plan) -> bool:
    """Every budget rule, requires and excludes, checked without the model."""
    units = {p: 0 for p in inputs.projects}
    for (p, _), n in plan.items():
        units[p] += n
    cost = {p: inputs.projects[p].unit_cost * n for p, n in units.items()}
    total = sum(cost.values())
    if any(s > inputs.year_budgets[y] + TOLERANCE for y, s in spend_by_year(inputs, plan).items()):
        return False
    for rule in inputs.policy:
        in_category = sum(c for p, c in cost.items() if inputs.projects[p].category == rule.category)
        amount = rule.amount * total if rule.amount_unit == vocabulary.AMOUNT_SHARE else rule.amount
        if rule.rule == vocabulary.RULE_TOTAL_BUDGET and total > amount + TOLERANCE:
            return False
        if rule.rule == vocabulary.RULE_CATEGORY_CAP and in_category > amount + TOLERANCE:
            return False
        if rule.rule == vocabulary.RULE_CATEGORY_FLOOR and in_category < amount - TOLERANCE:
            return False
    for p in inputs.projects.values():
        if any(units[p.id] > 0 and units[q] + inputs.projects[q].committed_units == 0 for q in p.requires):
            return False
        if any(units[p.id] > 0 and units[q] > 0 for q in p.excludes):
            return False
    return True


@dataclass
class Evaluated:
    plan: dict[tuple[str, int], int]
    endurance: dict[str, int]
    cost: float

    @property
    def worst(self) -> int:
        return min(self.endurance.values())

    def weighted(self, inputs: Inputs) -> float:
        return sum(inputs.scenarios[s].weight * e for s, e in self.endurance.items())


def every_allowed_plan(inputs: Inputs) -> list[Evaluated]:
    projects = list(inputs.projects.values())
    choices = [[None, *inputs.start_years(p)] for p in projects]
    found = []
    for starts in itertools.product(*choices):
        plan = {(p.id, y): 1 for p, y in zip(projects, starts) if y is not None}
        if not allowed(inputs, plan):
            continue
        endurance = {s.id: simulate(inputs, plan, s) for s in inputs.scenarios.values()}
        found.append(Evaluated(plan, endurance, sum(inputs.projects[p].unit_cost for p, _ in plan)))
    return found


@pytest.fixture(scope="module", params=SEEDS)
def case(request):
    inputs = random_instance(request.param)
    return inputs, every_allowed_plan(inputs)


def options(formulation, **fields) -> SolveOptions:
    if formulation is not None:
        fields["formulation"] = formulation
    return SolveOptions(**fields)


def test_instances_are_not_trivial(case):
    inputs, plans = case
    # Enough allowed plans, giving at least three different worst endurances: the choice matters.
    assert len(plans) > 100
    assert len({p.worst for p in plans}) >= 3


def test_simulation_agrees_with_the_model_on_random_plans(case):
    # The independent evaluation and plan_endurance agree on a sample of allowed plans.
    inputs, plans = case
    rng = random.Random(len(plans))
    for evaluated in rng.sample(plans, 6):
        assert plan_endurance(inputs, evaluated.plan) == evaluated.endurance, evaluated.plan


def test_maxmin_optimum_equals_brute_force(case, formulation):
    inputs, plans = case
    result = choose_plan(inputs, options(formulation))
    # The plan is allowed, and its endurance is what the plan gives, by the model and by simulation.
    assert allowed(inputs, result.plan)
    assert plan_endurance(inputs, result.plan) == result.endurance
    assert {s.id: simulate(inputs, result.plan, s) for s in inputs.scenarios.values()} == result.endurance
    # Lexicographic optimum: worst endurance, then weighted endurance, then lower cost.
    best_worst = max(p.worst for p in plans)
    assert min(result.endurance.values()) == best_worst
    tied = [p for p in plans if p.worst == best_worst]
    best_weighted = max(p.weighted(inputs) for p in tied)
    chosen = Evaluated(result.plan, result.endurance, sum(inputs.projects[p].unit_cost for p, _ in result.plan))
    assert chosen.weighted(inputs) == pytest.approx(best_weighted)
    cheapest = min(p.cost for p in tied if p.weighted(inputs) == pytest.approx(best_weighted))
    assert chosen.cost == pytest.approx(cheapest)


def test_expected_optimum_equals_brute_force(case, formulation):
    inputs, plans = case
    result = choose_plan(inputs, options(formulation, objective="expected"))
    assert allowed(inputs, result.plan)
    chosen = Evaluated(result.plan, result.endurance, sum(inputs.projects[p].unit_cost for p, _ in result.plan))
    assert {s.id: simulate(inputs, result.plan, s) for s in inputs.scenarios.values()} == result.endurance
    best_weighted = max(p.weighted(inputs) for p in plans)
    assert chosen.weighted(inputs) == pytest.approx(best_weighted)
    cheapest = min(p.cost for p in plans if p.weighted(inputs) == pytest.approx(best_weighted))
    assert chosen.cost == pytest.approx(cheapest)


def test_target_optimum_equals_brute_force(case, formulation):
    # Target: the best worst endurance found by enumeration, in every scenario. The cheapest allowed
    # plan reaching it in every scenario is what the 'target' objective must pay.
    inputs, plans = case
    target = max(p.worst for p in plans)
    result = choose_plan(inputs, options(formulation, objective="target", target=target))
    assert allowed(inputs, result.plan)
    assert {s.id: simulate(inputs, result.plan, s) for s in inputs.scenarios.values()} == result.endurance
    assert min(result.endurance.values()) >= target
    cheapest = min(p.cost for p in plans if p.worst >= target)
    assert result.primary.objective == pytest.approx(cheapest)
