"""The explanation as first written on the Pyomo model (model.py's elastic variant): the oracle for
trp_opt.analysis.operations, which asks the same four stages of the block model with a block a day.

Test code only: tests/test_explanation.py checks that both give the same fails-first, exhausted
stocks and daily profiles on hand-made and generated instances.
"""

from __future__ import annotations

import pyomo.environ as pyo

from trp_opt.data.errors import SolverFailure
from trp_opt.data.inputs import Inputs
from trp_opt.data.plans import Plan
from trp_opt.data.solution import ScenarioResult, Shortfall
from trp_opt.model.formulation import build_model
from trp_opt.model.highs import HighsModel

SHORTFALL_TOLERANCE = 1e-6  # share of a requirement below which a day counts as met
STAGE_TOLERANCE = 1e-7  # relative slack when a stage's optimum is held


def _share_short(model: pyo.ConcreteModel, scenario_id: str, days: list[int]):
    terms = []
    for (s, c, t), var in model.shortfall.items():
        need = model.required[s, c][t - 1]
        if s == scenario_id and t in days and need > 0:
            terms.append(var / need)
    return sum(terms)


def explain_scenario_on_pyomo(inputs: Inputs, plan: Plan, scenario_id: str, endurance: int) -> ScenarioResult:
    """Fails-first and daily profiles for one scenario with the plan held.

    Linear stages, each holding the optimum of the ones before:
    1. least shortfall on the failing day (what fails first, and by how much);
    2. most stock left on that day (a stock counts as exhausted only if even
       the best operation cannot keep any of it);
    3. least shortfall on the days after;
    4. most stock kept over the horizon (the profiles show no waste).
    """
    scenario = inputs.scenarios[scenario_id]
    broken = endurance < scenario.horizon
    # Every day counts as met; after the endurance a shortfall is allowed and measured.
    model = build_model(inputs, plan=plan, scenario_ids=[scenario_id], elastic_after={scenario_id: endurance})
    highs = HighsModel(model)
    shortfalls: tuple[Shortfall, ...] = ()
    exhausted: tuple[str, ...] = ()
    stock_share = {
        day: sum(var / max(1.0, inputs.storage[c].capacity) for (s, c, t), var in model.inv.items() if t == day)
        for day in range(1, scenario.horizon + 1)
    }
    if broken:
        failing_day = endurance + 1
        _stage(model, highs, "fails_first", _share_short(model, scenario_id, [failing_day]), pyo.minimize)
        shortfalls = _shortfalls_on(model, inputs, scenario_id, failing_day)
        _stage(model, highs, "stock_left", stock_share[failing_day], pyo.maximize)
        exhausted = tuple(
            c
            for c, storage in inputs.storage.items()
            if pyo.value(model.inv[scenario_id, c, failing_day]) <= storage.floor + 1e-6 * max(1.0, storage.capacity)
        )
        later = list(range(failing_day + 1, scenario.horizon + 1))
        if later:
            _stage(model, highs, "after", _share_short(model, scenario_id, later), pyo.minimize)
    _stage(model, highs, "no_waste", sum(stock_share.values()), pyo.maximize)
    return _result(model, inputs, scenario_id, endurance, shortfalls, exhausted)


def _stage(model: pyo.ConcreteModel, highs: HighsModel, name: str, expression, sense) -> None:
    """Optimise one stage, then hold its optimum for the stages after it."""
    highs.set_objective(expression, sense)
    outcome = highs.solve()
    if not outcome.proven:
        scenario = model.inputs.scenarios[model.scenario_ids[0]]
        raise SolverFailure(
            f"{scenario.name}, {name.replace('_', ' ')} with the plan held: HiGHS stopped ({outcome.status})"
        )
    value = pyo.value(expression)
    slack = STAGE_TOLERANCE * max(1.0, abs(value))
    if sense == pyo.minimize:
        highs.add_constraint(f"keep_{name}", expression, None, value + slack)
    else:
        highs.add_constraint(f"keep_{name}", expression, value - slack, None)


def _shortfalls_on(model: pyo.ConcreteModel, inputs: Inputs, scenario_id: str, day: int) -> tuple[Shortfall, ...]:
    found = []
    for c in inputs.demands:
        if (scenario_id, c, day) not in model.shortfall:
            continue
        relieved = pyo.value(model.relief[scenario_id, c, day]) if c in model.relievable else 0.0
        need = model.required[scenario_id, c][day - 1] - relieved
        short = pyo.value(model.shortfall[scenario_id, c, day])
        if need > 0 and short > SHORTFALL_TOLERANCE * need:
            carrier = inputs.carriers[c]
            found.append(Shortfall(c, carrier.name, carrier.daily_unit, need, short))
    return tuple(sorted(found, key=lambda f: (-f.share, f.carrier_id)))


def _result(
    model: pyo.ConcreteModel,
    inputs: Inputs,
    scenario_id: str,
    endurance: int,
    shortfalls: tuple[Shortfall, ...],
    exhausted: tuple[str, ...],
) -> ScenarioResult:
    scenario = inputs.scenarios[scenario_id]
    days = model.days[scenario_id]

    def series(var, carrier: str) -> list[float]:
        # Rounded to 4 decimals: below that is solver tolerance, not information.
        return [round(float(pyo.value(var[scenario_id, carrier, t])), 4) + 0.0 for t in days]

    relief = {c: series(model.relief, c) for c in model.relievable}
    capacity = {j: _available_capacity(model, scenario_id, j) for j in model.damaged[scenario_id]}
    return ScenarioResult(
        scenario_id=scenario_id,
        name=scenario.name,
        onset_year=scenario.onset_year,
        horizon=scenario.horizon,
        weight=scenario.weight,
        endurance=endurance,
        shortfalls=shortfalls,
        exhausted_stocks=exhausted,
        stock={c: series(model.inv, c) for c in inputs.storage},
        required={c: list(model.required[scenario_id, c]) for c in inputs.demands},
        used={c: series(model.use, c) for c in inputs.demands},
        relief=relief,
        available_capacity=capacity,
    )


def _available_capacity(model: pyo.ConcreteModel, scenario_id: str, technology: str) -> list[float]:
    """Capacity left each day: damage net of hardening, then repairs at full pace after the delay.

    Computed from the plan rather than read from the LP, whose lost and
    restored capacity may take any value that does not constrain output.
    """
    scenario = model.inputs.scenarios[scenario_id]
    full = pyo.value(model.capacity_of(technology, scenario))
    hardened = pyo.value(model.hardened_of(technology, scenario))
    available, restored = [], 0.0
    for day, damage in enumerate(scenario.damage(technology), start=1):
        lost = max(0.0, damage * full - hardened)
        rate = pyo.value(model.repair_rate_of(technology, scenario, day))
        restored = min(lost, restored + rate) if day > scenario.repair_delay else 0.0
        available.append(full - lost + restored)
    return available
