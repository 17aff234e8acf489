"""Figures derived from the inputs by plain arithmetic, which the model, the block model and the analyses share:
none of them needs the Pyomo module to do a sum."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from trp_opt.data import vocabulary
from trp_opt.data.inputs import Inputs, Project, Scenario, Window, covers
from trp_opt.data.plans import Plan


def requirement(inputs: Inputs, scenario: Scenario, carrier: str) -> list[float]:
    """Essential requirement of a carrier on each day of a scenario (before relief)."""
    demand = inputs.demands[carrier]
    base = demand.essential_share * demand.daily
    return [base * factor for factor in scenario.demand_multiplier(carrier)]


def counts_toward_endurance(inputs: Inputs, carrier: str) -> bool:
    """Whether a demanded carrier's requirement is part of endurance (Demands' 'Counts toward endurance')."""
    return inputs.demands[carrier].counts


def only_counting(inputs: Inputs, carrier: str) -> Inputs:
    """The same inputs with one requirement counting toward endurance and the others not: its own days."""
    demands = {c: dataclasses.replace(d, counts=c == carrier) for c, d in inputs.demands.items()}
    return dataclasses.replace(inputs, demands=demands)


def is_live(project: Project, start_year: int, scenario: Scenario) -> bool:
    """A unit started in ``start_year`` is finished before the crisis starts."""
    return project.finished_by(start_year, scenario.onset_year)


def units_in_service(inputs: Inputs, plan: Plan, project_id: str, scenario: Scenario) -> int:
    """Units of a project in service when the scenario starts: those the plan started early enough and the committed
    ones finished by then."""
    project = inputs.projects[project_id]
    bought = sum(units for (p, year), units in plan.items() if p == project_id and is_live(project, year, scenario))
    return bought + project.committed_live(scenario.onset_year)


def required_in_service(inputs: Inputs, plan: Plan, project: Project, scenario: Scenario) -> bool:
    """(40)–(41): a project that requires others counts in a scenario only when each of them has a unit in service
    at its onset (bought in time or committed); a project that requires none always counts."""
    return all(units_in_service(inputs, plan, q, scenario) >= 1 for q in project.requires)


def requires_decided_by_plan(inputs: Inputs, project: Project, scenario: Scenario) -> list[str]:
    """The projects ``project`` requires that have no committed unit in service at the scenario's onset: whether they
    are in service is the plan's decision, so (41) needs a row for each."""
    return [q for q in project.requires if inputs.projects[q].committed_live(scenario.onset_year) == 0]


def requires_to_check(inputs: Inputs, scenarios: Iterable[Scenario]) -> list[tuple[Project, str, Scenario]]:
    """(41)'s index: project p, a project q it requires whose service the plan decides, scenario s; only where p
    has an effect and a unit of p could be in service at s's onset (elsewhere p counts as it is)."""
    return [
        (p, q, s)
        for p in inputs.projects.values()
        if p.effects
        for s in scenarios
        if any(is_live(p, y, s) for y in inputs.start_years(p))
        for q in requires_decided_by_plan(inputs, p, s)
    ]


def plan_effect(
    inputs: Inputs,
    plan: Plan,
    scenario: Scenario,
    kind: str,
    target: str,
    day: int | None = None,
    window: Window | None = None,
) -> float:
    """What the plan's counted units (finished before the scenario starts, with what they require in service:
    (40)–(41)), and the committed ones, add to one effect (8):
    on one crisis day (every window that covers it), over one window, or over all windows when neither is given."""
    windows = [
        w for k, x, w in inputs.effect_keys() if (k, x) == (kind, target) and covers(w, day) and window in (None, w)
    ]
    total = 0.0
    for w in windows:
        total += sum(
            inputs.projects[p].effect(kind, target, w) * units
            for (p, y), units in plan.items()
            if is_live(inputs.projects[p], y, scenario)
            and required_in_service(inputs, plan, inputs.projects[p], scenario)
        )
        total += inputs.committed_effect(kind, target, scenario, w)
    return total


def relievable_carriers(inputs: Inputs) -> list[str]:
    """Demanded carriers whose requirement some project can relieve (C_r of models/endurance.md)."""
    return [
        c
        for c, demand in inputs.demands.items()
        if demand.max_relief > 0 and any(p.effect(vocabulary.EFFECT_RELIEF, c) > 0 for p in inputs.projects.values())
    ]


def exposure_bound(inputs: Inputs, technology: str) -> tuple[float, float]:
    """Most capacity and most hardened capacity a technology can have (every project at its maximum):
    the big-M of (11) at damage level δ is δ × the first plus the second."""
    projects = inputs.projects.values()
    most_capacity = inputs.technologies[technology].capacity + sum(
        (p.max_units + p.committed_units) * p.effect(vocabulary.EFFECT_CAPACITY, technology) for p in projects
    )
    most_hardened = sum(
        (p.max_units + p.committed_units) * p.effect(vocabulary.EFFECT_HARDENED, technology) for p in projects
    )
    return most_capacity, most_hardened


def cheapest_unit(inputs: Inputs, year: int | None, category: str | None) -> tuple[float, Project] | None:
    """The least a unit of any project for sale (of ``category``, when given) spends in ``year`` (its whole cost when
    None), over the start years the inputs allow, and that project: the least money that buys anything (a budget
    lifted by Limits, money left unspent)."""
    spends = [
        (project.unit_cost * (share if year is not None else 1.0), project.id, project)
        for project in inputs.projects.values()
        if project.max_units > 0 and category in (None, project.category)
        for start in inputs.start_years(project)
        for offset, share in enumerate(project.spend_profile)
        if share > 0 and (year is None and offset == 0 or start + offset == year)
    ]
    if not spends:
        return None
    cost, _, project = min(spends, key=lambda spend: spend[:2])
    return cost, project


# The combined weighted-then-cost objective (cost_tie_break_scale) is used only while its values stay within this
# magnitude: HiGHS prunes a node within 1e-6 of the incumbent, absolutely, so the sum must keep that resolution.
LARGEST_COMBINED_OBJECTIVE = 1e10


def cost_tie_break_scale(inputs: Inputs, step: float | None) -> float | None:
    """K for one MIP that answers the weighted endurance and then the least cost: maximise K × weighted − cost.
    Two plans' weighted endurance differ by a whole number of ``step`` (trp_opt.data.inputs.weight_step), and K × step
    is twice what every unit for sale costs (Inputs.most_spend), so one step more outweighs any saving: the optimum
    has the most weighted endurance, and the least cost among the plans that have it. None where that cannot be held
    exactly: weights with no step, or a K × weighted endurance too large for HiGHS's absolute tolerances."""
    if step is None:
        return None
    scale = 2.0 * max(inputs.most_spend, 1.0) / step
    heaviest = sum(s.weight * s.horizon for s in inputs.scenarios.values())
    return scale if scale * heaviest <= LARGEST_COMBINED_OBJECTIVE else None
