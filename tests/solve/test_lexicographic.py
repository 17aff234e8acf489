"""The stages stay lexicographic whatever the weights: the cost stage never trades days of a light scenario for
money (models/endurance.md, "Objectives": the weighted optimum is held within half the smallest weight step).

By hand. Four carriers, each used at 1 unit a day and normally imported at 1 a day; scenario X blocks carrier x
only, for 20 days. Stocks: a, c and d hold 10 days, b none. Projects, at most 2 units each (4 for b), each unit
5 days of stock at cost 1; a has none; total budget 7. Weights 1 (A), 0.001 (B), 1 (C), 1000 (D).
- Worst case: A lasts 10 days whatever is bought, so 10, which B reaches with 2 units.
- Weighted: D's 2 units (+10 days at 1000) and C's 2 (+10 at 1), then the last unit to B: 15 days.
  Weighted optimum 10 + 0.015 + 20 + 20,000 = 20,030.015.
- Cost: every unit counts, so all 7 units. Held with a tolerance of 1e-6 of 20,030 (0.02), the cost stage
  dropped B's third unit (0.005 of weighted endurance) to save 1.
"""

from __future__ import annotations

import pytest

from tests.support.instances import blockade_of_each
from trp_opt.data import vocabulary
from trp_opt.data.inputs import Carrier, Demand, Effect, Inputs, PolicyRule, Project, Storage
from trp_opt.data.options import SolveOptions
from trp_opt.solve.choose import choose_plan

WEIGHTS = {"a": 1.0, "b": 0.001, "c": 1.0, "d": 1000.0}
INITIAL = {"a": 10.0, "b": 0.0, "c": 10.0, "d": 10.0}
MOST_UNITS = {"b": 4, "c": 2, "d": 2}


def weights_far_apart() -> Inputs:
    carriers = {x: Carrier(x, f"carrier {x}", "t", True) for x in WEIGHTS}
    scenarios = blockade_of_each(WEIGHTS, 20)
    projects = {
        f"stock_{x}": Project(
            f"stock_{x}",
            f"stock of {x}",
            "stockpiles",
            1.0,
            units,
            0,
            effects=(Effect(vocabulary.EFFECT_STOCK, x, 5.0),),
        )
        for x, units in MOST_UNITS.items()
    }
    return Inputs(
        years=(2027,),
        year_budgets={2027: 100.0},
        carriers=carriers,
        storage={x: Storage(x, INITIAL[x], 100.0) for x in WEIGHTS},
        imports={x: 1.0 for x in WEIGHTS},
        technologies={},
        demands={x: Demand(x, 1.0, 1.0) for x in WEIGHTS},
        scenarios=scenarios,
        projects=projects,
        policy=(PolicyRule("total", vocabulary.RULE_TOTAL_BUDGET, 7.0),),
    )


@pytest.mark.parametrize("formulation", ["blocks", "reference"])
def test_the_cost_stage_keeps_the_days_of_a_scenario_weighted_a_millionth_of_another(formulation):
    chosen = choose_plan(weights_far_apart(), SolveOptions(formulation=formulation))
    units = {project: 0 for project in ("stock_b", "stock_c", "stock_d")}
    for (project, _), count in chosen.plan.items():
        units[project] += count
    assert units == {"stock_b": 3, "stock_c": 2, "stock_d": 2}
    stages = {stage.name: stage.objective for stage in chosen.stages}
    assert stages["worst_endurance"] == 10
    assert stages["weighted_endurance"] == pytest.approx(20_030.015, abs=1e-6)
    assert stages["total_cost"] == pytest.approx(7.0)
