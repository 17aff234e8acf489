"""Operations under a held plan: what fails first, and the daily profiles.

For each scenario the plan is fixed and the scenario solved alone as a linear
program (models/endurance.md, "Variants": elastic days). Days up to the endurance must be met in full; after
it, requirements may fall short, and the shortfall is minimised in exact
stages (explain_scenario): first on day endurance + 1 alone, so "what fails
first" is what the best operation cannot avoid on that day, not a guess;
then over the remaining days, so the profiles show the best that can still
be delivered after the failure, not an arbitrary idle solution.
Shortfalls are counted as shares of each day's requirement, so that units
(GWh, kt, Gbps) do not weigh against each other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from trp_opt.data import vocabulary
from trp_opt.data.derived import only_counting, plan_effect, requirement
from trp_opt.data.errors import SolverFailure
from trp_opt.data.inputs import Inputs
from trp_opt.data.options import SolveOptions
from trp_opt.data.plans import Plan, SolveStatus
from trp_opt.data.solution import SHORTFALL_TOLERANCE, ScenarioResult, Shortfall
from trp_opt.solve.block_runner import DailyOperations, plan_endurance

STAGE_TOLERANCE = 1e-7  # relative slack when a stage's optimum is held


def explain_scenario(
    inputs: Inputs, plan: Plan, scenario_id: str, endurance: int, options: SolveOptions = SolveOptions()
) -> ScenarioResult:
    """Fails-first and daily profiles for one scenario with the plan held.

    Linear stages, each holding the optimum of the ones before:
    1. least shortfall on the failing day (what fails first, and by how much);
    2. most stock left on that day (a stock counts as exhausted only if even
       the best operation cannot keep any of it);
    3. least shortfall on the days after;
    4. least shortfall, over every day, of the requirements that do not count toward endurance (Demands'
       'Counts toward endurance': they are served with what the counted ones leave);
    5. most stock kept over the horizon (the profiles show no waste).
    Only requirements that count are named as what fails first.
    """
    scenario = inputs.scenarios[scenario_id]
    broken = endurance < scenario.horizon
    # Every day counts as met; after the endurance a shortfall is allowed and measured.
    daily = DailyOperations(inputs, plan, scenario_id, options.threads, elastic_after=endurance)
    required = {c: requirement(inputs, scenario, c) for c in inputs.demands}

    counted = [c for c, demand in inputs.demands.items() if demand.counts]
    not_counted = [c for c, demand in inputs.demands.items() if not demand.counts]

    def share_short(days: Iterable[int], carriers: list[str] = counted) -> dict[int, float]:
        terms = {}
        for day in days:
            for c in carriers:
                column = daily.column("shortfall", c, day)
                if column is not None and required[c][day - 1] > 0:
                    terms[column] = 1.0 / required[c][day - 1]
        return terms

    def stock_share(day: int) -> dict[int, float]:
        columns = {c: daily.column("inv", c, day) for c in inputs.storage}
        return {
            column: 1.0 / max(1.0, inputs.storage[c].capacity) for c, column in columns.items() if column is not None
        }

    def stage(name: str, terms: dict[int, float], maximise: bool) -> None:
        """Optimise one stage, then hold its optimum for the stages after it."""
        status, word = daily.optimise(terms, maximise)
        if status is not SolveStatus.OPTIMAL:
            raise SolverFailure(f"{scenario.name}, {name.replace('_', ' ')} with the plan held: HiGHS stopped ({word})")
        value = daily.objective(terms)
        slack = STAGE_TOLERANCE * max(1.0, abs(value))
        if maximise:
            daily.hold(terms, lower=value - slack)
        else:
            daily.hold(terms, upper=value + slack)

    shortfalls: tuple[Shortfall, ...] = ()
    exhausted: tuple[str, ...] = ()
    if broken:
        failing_day = endurance + 1
        stage("fails_first", share_short([failing_day]), maximise=False)
        shortfalls = _shortfalls_on(daily, inputs, required, failing_day)
        stage("stock_left", stock_share(failing_day), maximise=True)
        exhausted = tuple(
            c
            for c, storage in inputs.storage.items()
            if daily.value(daily.column("inv", c, failing_day)) <= storage.floor + 1e-6 * max(1.0, storage.capacity)
        )
        later = list(range(failing_day + 1, scenario.horizon + 1))
        if later:
            stage("after", share_short(later), maximise=False)
    untracked = share_short(range(1, scenario.horizon + 1), not_counted)
    if untracked:
        stage("not_counted", untracked, maximise=False)
    no_waste: dict[int, float] = {}
    for day in range(1, scenario.horizon + 1):
        no_waste.update({column: no_waste.get(column, 0.0) + share for column, share in stock_share(day).items()})
    stage("no_waste", no_waste, maximise=True)
    return _result(daily, inputs, plan, scenario_id, endurance, required, shortfalls, exhausted)


def days_per_requirement(
    inputs: Inputs, plan: Plan, endurance: Mapping[str, int], options: SolveOptions = SolveOptions()
) -> dict[str, dict[str, int]]:
    """Per scenario, the days each essential requirement is met on its own with the plan held: the endurance
    the scenario would have if that requirement alone counted (the others still there, served or not as the
    operations choose). A counted requirement lasts at least the scenario's endurance; the one that fails first
    lasts exactly that when nothing else competes for what it needs."""
    days: dict[str, dict[str, int]] = {s: {} for s in inputs.scenarios}
    for carrier, demand in inputs.demands.items():
        # Known without a search: a requirement that is zero every day lasts the horizon, and so does a counted
        # one in a scenario whose every counted requirement is met to the horizon.
        asked = {}
        for scenario_id, scenario in inputs.scenarios.items():
            lasts_the_horizon = (demand.counts and endurance[scenario_id] >= scenario.horizon) or not any(
                requirement(inputs, scenario, carrier)
            )
            if lasts_the_horizon:
                days[scenario_id][carrier] = scenario.horizon
            else:
                asked[scenario_id] = scenario
        if not asked:
            continue
        alone = dataclasses.replace(only_counting(inputs, carrier), scenarios=asked)
        # A counted requirement lasts at least the scenario's endurance, and most last the horizon: asked first.
        known = {s: endurance[s] for s in asked} if demand.counts else None
        for scenario_id, lasted in plan_endurance(alone, plan, options, guess=endurance, at_least=known).items():
            days[scenario_id][carrier] = lasted
    return {s: {c: found[c] for c in inputs.demands} for s, found in days.items()}  # in the Demands' order


def _shortfalls_on(
    daily: DailyOperations, inputs: Inputs, required: Mapping[str, list[float]], day: int
) -> tuple[Shortfall, ...]:
    found = []
    for c in (c for c, demand in inputs.demands.items() if demand.counts):
        column = daily.column("shortfall", c, day)
        if column is None:
            continue
        need = required[c][day - 1] - daily.value(daily.column("relief", c, day))
        short = daily.value(column)
        if need > 0 and short > SHORTFALL_TOLERANCE * need:
            carrier = inputs.carriers[c]
            found.append(Shortfall(c, carrier.name, carrier.daily_unit, need, short))
    return tuple(sorted(found, key=lambda f: (-f.share, f.carrier_id)))


def _result(
    daily: DailyOperations,
    inputs: Inputs,
    plan: Plan,
    scenario_id: str,
    endurance: int,
    required: Mapping[str, list[float]],
    shortfalls: tuple[Shortfall, ...],
    exhausted: tuple[str, ...],
) -> ScenarioResult:
    scenario = inputs.scenarios[scenario_id]
    days = range(1, scenario.horizon + 1)

    def series(kind: str, carrier: str) -> list[float]:
        # Rounded to 4 decimals: below that is solver tolerance, not information.
        return [round(daily.value(daily.column(kind, carrier, t)), 4) + 0.0 for t in days]

    relievable = sorted({c for (kind, c, _) in daily.piece.named if kind == "relief"}, key=list(inputs.demands).index)
    damaged = [j for j in scenario.damaged_technologies() if j in inputs.technologies]
    return ScenarioResult(
        scenario_id=scenario_id,
        name=scenario.name,
        onset_year=scenario.onset_year,
        horizon=scenario.horizon,
        weight=scenario.weight,
        endurance=endurance,
        shortfalls=shortfalls,
        exhausted_stocks=exhausted,
        stock={c: series("inv", c) for c in inputs.storage},
        required={c: list(required[c]) for c in inputs.demands},
        used={c: series("use", c) for c in inputs.demands},
        relief={c: series("relief", c) for c in relievable},
        available_capacity={j: available_capacity(inputs, plan, scenario_id, j) for j in damaged},
    )


def available_capacity(inputs: Inputs, plan: Plan, scenario_id: str, technology: str) -> list[float]:
    """Capacity left each day: damage net of hardening, then repairs at full pace after the delay.

    Computed from the plan rather than read from the LP, whose lost and
    restored capacity may take any value that does not constrain output.
    """
    scenario = inputs.scenarios[scenario_id]
    full = inputs.technologies[technology].capacity + plan_effect(
        inputs, plan, scenario, vocabulary.EFFECT_CAPACITY, technology
    )
    hardened = plan_effect(inputs, plan, scenario, vocabulary.EFFECT_HARDENED, technology)
    base_rate = inputs.technologies[technology].repair_rate
    available, restored = [], 0.0
    for day, damage in enumerate(scenario.damage(technology), start=1):
        lost = max(0.0, damage * full - hardened)
        rate = base_rate + plan_effect(inputs, plan, scenario, vocabulary.EFFECT_REPAIR, technology, day=day)
        restored = min(lost, restored + rate) if day > scenario.repair_delay else 0.0
        available.append(full - lost + restored)
    return available
