"""Endurance per requirement, and a requirement that does not count toward endurance, by hand.

The base instance's electricity burns 25 kt of LNG a day; with 200 kt in stock and no imports in the blockade it
lasts 8 days. Bandwidth (Gbps, a flow) comes from cables that are cut from day 5 and must carry 50 Gbps: 4 days.
A satellite project (NT$ 5 M) adds 50 Gbps that no cut reaches.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.support.instances import BLOCKADE, base, project, scenario
from trp_opt.analysis.explanation import explain_plan
from trp_opt.data import vocabulary
from trp_opt.data.inputs import Carrier, Demand, ScenarioEvent, Technology
from trp_opt.data.options import FORMULATIONS, SolveOptions
from trp_opt.solve.choose import choose_plan

CUT = ScenarioEvent(vocabulary.EVENT_CAPACITY_LOSS, "cables", 5, 30, 1.0)


def two_requirements(bandwidth_counts: bool = True, satellite: bool = True):
    technologies = [
        Technology("cables", "Undersea cables", None, "bandwidth", 1.0, 100.0),
        Technology("satellites", "Satellites", None, "bandwidth", 1.0, 0.0),
    ]
    projects = [project("satellite", 5, ("capacity", "satellites", 50))] if satellite else []
    inputs = base(
        stock=200,
        room=200,
        projects=projects,
        scenarios=[scenario("blockade", events=(BLOCKADE, CUT))],
        extra_technologies=technologies,
    )
    return dataclasses.replace(
        inputs,
        carriers={**inputs.carriers, "bandwidth": Carrier("bandwidth", "Bandwidth", "Gbps", False)},
        demands={**inputs.demands, "bandwidth": Demand("bandwidth", 100.0, 0.5, counts=bandwidth_counts)},
    )


def stages(inputs, formulation: str) -> dict[str, float]:
    chosen = choose_plan(inputs, SolveOptions(formulation=formulation))
    assert all(stage.proven_optimal for stage in chosen.stages)
    return {stage.name: stage.objective for stage in chosen.stages}


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_a_counted_bandwidth_floor_buys_the_satellite(formulation):
    assert stages(two_requirements(), formulation) == pytest.approx(
        {"worst_endurance": 8, "weighted_endurance": 8, "total_cost": 5}
    )


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_a_floor_that_does_not_count_ends_no_day_and_buys_nothing(formulation):
    # Endurance is electricity's 8 days; the satellite would only serve the floor that does not count.
    assert stages(two_requirements(bandwidth_counts=False), formulation) == pytest.approx(
        {"worst_endurance": 8, "weighted_endurance": 8, "total_cost": 0}
    )


def test_each_requirement_has_its_own_days_with_the_plan_held():
    # No money bought: electricity lasts 8 days on its own, bandwidth 4; endurance is the shorter, and what fails
    # first on day 5 is bandwidth.
    inputs = two_requirements(satellite=False)
    options = SolveOptions()
    result = explain_plan(inputs, choose_plan(inputs, options), options).scenarios[0]
    assert result.endurance == 4
    assert result.requirement_days == {"power": 8, "bandwidth": 4}
    assert [s.carrier_id for s in result.shortfalls] == ["bandwidth"]


def test_a_requirement_that_does_not_count_is_tracked_and_never_named_as_what_fails():
    inputs = two_requirements(bandwidth_counts=False, satellite=False)
    options = SolveOptions()
    result = explain_plan(inputs, choose_plan(inputs, options), options).scenarios[0]
    assert result.endurance == 8
    assert result.requirement_days == {"power": 8, "bandwidth": 4}
    assert [s.carrier_id for s in result.shortfalls] == ["power"]
    # The Daily profile still shows the floor served while the cables last, and nothing once they are cut.
    assert result.used["bandwidth"][:4] == [50.0] * 4 and result.used["bandwidth"][4:8] == [0.0] * 4
