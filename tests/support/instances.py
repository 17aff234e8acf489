"""Tiny instances built directly from the input classes, for model tests.

The base instance: one stored fuel (LNG, kt) burnt by gas plants to make
electricity (GWh, a flow) at 2 GWh per kt; electricity's essential
requirement is 0.5 × 100 = 50 GWh/day, i.e. 25 kt of LNG a day. Each test
changes what it needs and computes the optimum by hand.

``farm`` is a second, separate instance: a stored carrier (food) fed by a
source technology (farms) that is damaged and repaired, so that stock can
bridge the days until the repairs catch up.
"""

from __future__ import annotations

import dataclasses

from trp_opt.data import vocabulary
from trp_opt.data.inputs import (
    Carrier,
    Demand,
    Effect,
    Inputs,
    PolicyRule,
    Project,
    Scenario,
    ScenarioEvent,
    Storage,
    Technology,
)

BLOCKADE = ScenarioEvent(vocabulary.EVENT_IMPORT_AVAILABILITY, "lng", 1, 10_000, 0.0)


def scenario(
    scenario_id: str = "blockade",
    onset_year: int = 2028,
    horizon: int = 30,
    weight: float = 1.0,
    events: tuple[ScenarioEvent, ...] = (BLOCKADE,),
    repair_delay: int = 0,
    target: int | None = None,
) -> Scenario:
    events = tuple(dataclasses.replace(e, last_day=min(e.last_day, horizon)) for e in events)
    return Scenario(scenario_id, scenario_id.title(), onset_year, horizon, weight, repair_delay, target, events)


def blockade_of_each(weights: dict[str, float], days: int) -> dict[str, Scenario]:
    """A scenario per stored carrier x (id X), weighted as given, that stops every import of x for ``days`` days."""
    return {
        x.upper(): Scenario(
            x.upper(),
            f"blockade of {x}",
            2027,
            days,
            weight,
            events=(ScenarioEvent(vocabulary.EVENT_IMPORT_AVAILABILITY, x, 1, days, 0.0),),
        )
        for x, weight in weights.items()
    }


def project(
    project_id: str,
    cost: float,
    *effects: tuple[str, str, float],
    max_units: int = 1,
    lead_time: int = 0,
    category: str = "stockpiles",
    profile: tuple[float, ...] = (1.0,),
    requires: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
) -> Project:
    return Project(
        project_id,
        project_id.replace("_", " "),
        category,
        cost,
        max_units,
        lead_time,
        profile,
        requires,
        excludes,
        tuple(Effect(kind, target, amount) for kind, target, amount in effects),
    )


def base(
    stock: float = 100.0,
    room: float = 200.0,
    floor: float = 0.0,
    daily_import: float = 50.0,
    projects: list[Project] | None = None,
    scenarios: list[Scenario] | None = None,
    years: tuple[int, ...] = (2027, 2028),
    year_budget: float = 1000.0,
    policy: tuple[PolicyRule, ...] = (),
    max_relief: float = 0.0,
    extra_technologies: list[Technology] | None = None,
    gas_capacity: float = 100.0,
) -> Inputs:
    technologies = [Technology("gas", "Gas plants", "lng", "power", 2.0, gas_capacity)]
    technologies += extra_technologies or []
    return Inputs(
        years=years,
        year_budgets={y: year_budget for y in years},
        carriers={
            "lng": Carrier("lng", "LNG", "kt", True),
            "power": Carrier("power", "Electricity", "GWh", False),
        },
        storage={"lng": Storage("lng", stock, room, floor)},
        imports={"lng": daily_import},
        technologies={t.id: t for t in technologies},
        demands={"power": Demand("power", 100.0, 0.5, max_relief)},
        scenarios={s.id: s for s in (scenarios or [scenario()])},
        projects={p.id: p for p in (projects or [])},
        policy=policy,
        currency="NT$ million",
    )


def total_budget(amount: float, cell: str = "Policy!E2") -> PolicyRule:
    return PolicyRule("total", vocabulary.RULE_TOTAL_BUDGET, amount, cell=cell)


def farm(
    stock: float,
    repair_delay: int = 3,
    horizon: int = 30,
    crew_rate: float = 2.0,
    projects: list[Project] | None = None,
) -> Inputs:
    """A stored carrier fed by a damaged source, so that stock can bridge the repair.

    Food (kt, storable, room 1,000) comes only from domestic farms: a source of
    10 kt/day, exactly the essential requirement 0.5 × 20 = 10 kt/day. The
    farms are wholly lost from day 1; nothing is repaired on days 1..repair_delay;
    then repair crews (the project 'crews', cost 5) restore ``crew_rate`` kt/day
    more each day. The food stock bridges the gap while the farms come back.
    """
    strike = scenario(
        "strike",
        horizon=horizon,
        events=(ScenarioEvent(vocabulary.EVENT_CAPACITY_LOSS, "farms", 1, horizon, 1.0),),
        repair_delay=repair_delay,
    )
    crews = project("crews", 5, ("repair", "farms", crew_rate), category="training")
    return Inputs(
        years=(2028,),
        year_budgets={2028: 100.0},
        carriers={"food": Carrier("food", "Food", "kt", True)},
        storage={"food": Storage("food", stock, 1000.0, 0.0)},
        imports={},
        technologies={"farms": Technology("farms", "Domestic farms", None, "food", 1.0, 10.0)},
        demands={"food": Demand("food", 20.0, 0.5)},
        scenarios={"strike": strike},
        projects={p.id: p for p in (projects if projects is not None else [crews])},
        currency="NT$ million",
    )


def hand_made() -> list[Inputs]:
    """Two small instances every formulation must agree on: two scenarios with relief and imports, and a
    farm whose repair crews raise capacity day by day."""
    blockade = scenario("blockade", horizon=20)
    short = scenario(
        "short",
        horizon=15,
        weight=0.5,
        events=(
            ScenarioEvent(vocabulary.EVENT_IMPORT_AVAILABILITY, "lng", 1, 15, 0.2),
            ScenarioEvent(vocabulary.EVENT_CAPACITY_LOSS, "gas", 3, 15, 0.5),
        ),
        repair_delay=2,
    )
    projects = [
        project("tank", 30, ("storage", "lng", 100)),
        project("fill", 20, ("stock", "lng", 100), max_units=2, requires=("tank",)),
        project("plants", 25, ("capacity", "gas", 30), ("hardened", "gas", 20)),
        project("crews", 10, ("repair", "gas", 5), category="training"),
        project("drills", 8, ("relief", "power", 0.1), category="training", max_units=3),
    ]
    return [
        base(projects=projects, scenarios=[blockade, short], year_budget=60, max_relief=0.2, daily_import=20),
        farm(stock=15, projects=[project("crews", 5, ("repair", "farms", 2.0), category="training", max_units=2)]),
    ]
