"""Small random instances built straight from the input classes, for comparing formulations stage by stage.

Unlike trp_opt.io.generate (the bundled workbook's structure, scaled), these vary the structure itself:
one to six carriers, stored or not, imported or not; sources and conversions between any carriers;
demands with and without relief; scenarios of 3 to 15 days with import cuts, damage, demand surges and
repair delays, weights including 0; projects of every effect kind, with lead times, two-year spend
profiles and 'requires'; a total budget or none. Each instance is small enough for the reference
formulation to solve in well under a second, and the same seed always gives the same instance.
"""

from __future__ import annotations

import random

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


def random_instance(seed: int) -> Inputs:
    """One small instance drawn from ``seed`` (see the module docstring)."""
    draw = random.Random(seed)
    carriers, storage, imports = {}, {}, {}
    for index in range(draw.randint(1, 6)):
        carrier_id = f"c{index}"
        stored = draw.random() < 0.6
        carriers[carrier_id] = Carrier(carrier_id, carrier_id, "kt", stored)
        if stored:
            room = draw.choice([20, 50, 100, 200])
            storage[carrier_id] = Storage(carrier_id, round(draw.uniform(0, room), 3), room, draw.choice([0, 0, 5]))
        if draw.random() < 0.6:
            imports[carrier_id] = draw.choice([5, 10, 20, 40])
    technologies = {}
    for index in range(draw.randint(1, 5)):
        output = draw.choice(list(carriers))
        fed_by = draw.choice([None, *[c for c in carriers if c != output]])
        technologies[f"t{index}"] = Technology(
            f"t{index}",
            f"t{index}",
            fed_by,
            output,
            draw.choice([0.5, 1, 2]),
            draw.choice([5, 10, 30]),
            draw.choice([0, 0, 1, 3]),
        )
    demands = {
        c: Demand(c, draw.choice([10, 20, 40]), draw.choice([0.3, 0.5, 0.8, 1.0]), draw.choice([0, 0, 0.2]))
        for c in draw.sample(list(carriers), draw.randint(1, len(carriers)))
    }
    years = tuple(range(2027, 2027 + draw.randint(1, 3)))
    scenarios = {}
    for index in range(draw.randint(1, 3)):
        horizon = draw.randint(3, 15)
        events: list[ScenarioEvent] = []
        for _ in range(draw.randint(0, 4)):
            event_kind = vocabulary.EVENTS[draw.choice(vocabulary.EVENT_KINDS)]
            # Each kind on a target it may have (its record says which sheet and rows), with a value it may take.
            rows_of = {"Imports": imports, "Demands": demands, "Storage": storage, None: carriers}
            pool = list(technologies) if event_kind.target == "technology" else list(rows_of[event_kind.needs_row])
            if not pool:
                continue
            target = draw.choice(pool)
            value = draw.choice([0, 0.2, 0.5, 1.0] if event_kind.measure == "share" else [0.8, 1.2, 1.5])
            if event_kind.onset_only:  # a share of the initial stock that keeps the floor
                held = storage[target]
                if held.initial <= held.floor:
                    continue
                value = max(value, held.floor / held.initial)
            first = 1 if event_kind.onset_only else draw.randint(1, horizon)
            last = draw.randint(first, horizon)
            overlaps = any(
                e.kind == event_kind.name and e.target == target and not (last < e.first_day or first > e.last_day)
                for e in events
            )
            if not overlaps:  # validation refuses two events of one kind on one target on the same day
                events.append(ScenarioEvent(event_kind.name, target, first, last, value))
        weight = draw.choice([1.0, 0.5, 2.0, 0.0]) if index else 1.0
        scenarios[f"s{index}"] = Scenario(
            f"s{index}", f"s{index}", draw.choice(years), horizon, weight, draw.randint(0, 3), None, tuple(events)
        )
    projects: dict[str, Project] = {}
    for index in range(draw.randint(1, 7)):
        effects = []
        for _ in range(draw.randint(1, 2)):
            effect_kind = vocabulary.EFFECTS[draw.choice(vocabulary.EFFECT_KINDS)]
            if effect_kind.target == "technology":
                targets = list(technologies)
            elif effect_kind.needs_demand:
                targets = list(demands)
            elif effect_kind.needs_storable:
                targets = list(storage)
            else:
                targets = list(carriers)
            amount = draw.choice(
                {"share": [0.05, 0.1], "output per day": [1, 3, 10]}.get(effect_kind.measure, [5, 10, 30])
            )
            if targets:
                effects.append(Effect(effect_kind.name, draw.choice(targets), amount))
        if not effects:
            continue
        profile = draw.choice([(1.0,), (1.0,), (0.5, 0.5)])
        if len(profile) > len(years):
            profile = (1.0,)  # validation refuses a spend profile longer than the plan
        requires = (draw.choice(list(projects)),) if projects and draw.random() < 0.2 else ()
        projects[f"p{index}"] = Project(
            f"p{index}",
            f"p{index}",
            draw.choice(["stockpiles", "grid", "training"]),
            draw.choice([5, 10, 15, 30]),
            draw.randint(1, 3),
            draw.choice([0, 0, 1]),
            profile,
            requires,
            (),
            tuple(effects),
        )
    policy = (
        (PolicyRule("total", vocabulary.RULE_TOTAL_BUDGET, draw.choice([20, 40, 60])),) if draw.random() < 0.5 else ()
    )
    return Inputs(
        years,
        {y: draw.choice([10, 20, 40]) for y in years},
        carriers,
        storage,
        imports,
        technologies,
        demands,
        scenarios,
        projects,
        policy,
        currency="NT$ million",
    )
