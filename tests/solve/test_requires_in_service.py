"""Requires in service (models/endurance.md, (6) and (40)–(41)), by hand, in every formulation.

The base instance burns 25 kt of LNG a day and imports none in the blockade; it starts with 100 kt in 200 kt of
room, so it lasts 4 days. A strategic fill adds 100 kt (8 days) and requires a tank: it counts in a scenario only
when a tank is in service at that onset. The tank itself adds 100 kt of room, which no fill here needs.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.support.instances import base, project, scenario
from trp_opt.analysis.value import project_values
from trp_opt.data.options import FORMULATIONS, SolveOptions
from trp_opt.solve.block_runner import plan_endurance
from trp_opt.solve.choose import choose_plan

ONSETS = [scenario("blockade_2027", onset_year=2027), scenario("blockade_2030", onset_year=2030)]


def fill_and_tank(tank_lead: int, committed_start: int | None = None):
    tank = project("tank", 10, ("storage", "lng", 100), lead_time=tank_lead)
    if committed_start is not None:  # one tank funded outside this budget, none to buy
        tank = dataclasses.replace(tank, max_units=0, committed_units=1, committed_start=committed_start)
    fill = project("fill", 1, ("stock", "lng", 100), requires=("tank",))
    return base(projects=[tank, fill], scenarios=ONSETS, years=(2027, 2028))


def solved(inputs, formulation: str):
    chosen = choose_plan(inputs, SolveOptions(objective="maxmin", formulation=formulation))
    assert all(stage.proven_optimal for stage in chosen.stages)
    return {stage.name: stage.objective for stage in chosen.stages}, dict(chosen.plan)


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_a_fill_that_needs_a_tank_finished_in_2031_helps_no_2027_or_2030_onset(formulation):
    # A tank with a four-year lead started in 2027 is in service in 2031: the fill counts in neither scenario,
    # so nothing is worth buying (before (40)–(41) the plan bought both and counted 8 days in each).
    stages, plan = solved(fill_and_tank(tank_lead=4), formulation)
    assert stages == pytest.approx({"worst_endurance": 4, "weighted_endurance": 8, "total_cost": 0})
    assert plan == {}


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_a_fill_that_needs_a_committed_tank_in_service_from_2027_may_be_bought(formulation):
    # The committed tank (started 2023, four years) is in service from 2027: the fill, allowed though no tank
    # can be bought, counts in both scenarios (before, (6) forbade it: units of fill ≤ 1 × units of tank = 0).
    stages, plan = solved(fill_and_tank(tank_lead=4, committed_start=2023), formulation)
    assert stages == pytest.approx({"worst_endurance": 8, "weighted_endurance": 16, "total_cost": 1})
    assert sum(plan.values()) == 1 and all(project == "fill" for project, _ in plan)


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_a_committed_tank_in_service_from_2028_lets_the_fill_count_in_2030_only(formulation):
    stages, _ = solved(fill_and_tank(tank_lead=4, committed_start=2024), formulation)
    assert stages == pytest.approx({"worst_endurance": 4, "weighted_endurance": 12, "total_cost": 1})


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_a_tank_in_service_by_the_onset_makes_the_fill_count_there(formulation):
    # Lead 2: a tank started in 2027 or 2028 is in service by 2030, not by 2027. The weighted stage buys it and the
    # fill (12 days in all); the cost stage keeps the cheapest plan with those days.
    stages, plan = solved(fill_and_tank(tank_lead=2), formulation)
    assert stages == pytest.approx({"worst_endurance": 4, "weighted_endurance": 12, "total_cost": 11})
    assert {project for project, _ in plan} == {"tank", "fill"}


def test_a_held_plan_counts_the_fill_only_where_its_tank_is_in_service():
    inputs = fill_and_tank(tank_lead=2)
    days = plan_endurance(inputs, {("tank", 2028): 1, ("fill", 2027): 1}, SolveOptions())
    assert days == {"blockade_2027": 4, "blockade_2030": 8}


def test_dropping_the_tank_loses_the_days_of_the_fill_it_holds():
    # Days per project: without the tank, the fill counts nowhere, so the tank is worth the fill's 4 days in 2030
    # (before, the rules were stripped to measure days and the tank showed 0 days).
    inputs = fill_and_tank(tank_lead=2)
    chosen = choose_plan(inputs, SolveOptions(objective="maxmin"))
    values = {value.project_id: value.days_lost for value in project_values(inputs, chosen, SolveOptions())}
    assert values == {
        "tank": {"blockade_2027": 0, "blockade_2030": 4},
        "fill": {"blockade_2027": 0, "blockade_2030": 4},
    }
