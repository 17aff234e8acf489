"""Units shown to the analyst: a day's quantity of a carrier; the weights' step; what committed units add."""

import dataclasses

import pytest

from tests.support import instances as inst
from trp_opt.data.inputs import Carrier, weight_step


@pytest.mark.parametrize(
    ("unit", "shown"),
    [
        ("GWh", "GWh/day"),
        ("kt", "kt/day"),
        ("M treatment-days", "M treatment-days/day"),
        ("Gbps", "Gbps"),
        ("Tbps", "Tbps"),
        ("m³/h", "m³/h"),
    ],
)
def test_daily_unit_adds_per_day_only_to_quantities(unit, shown):
    assert Carrier("c", "C", unit, storable=False).daily_unit == shown


@pytest.mark.parametrize(
    "weights, step",
    [
        ((1, 0.001, 1, 1000), 0.001),
        ((0.25, 0.5), 0.25),
        ((2, 4, 6), 2),
        ((1, 0), 1),  # a weight of 0 takes no part
        ((1 / 3, 1), None),  # no decimal step
        ((0, 0), None),
    ],
)
def test_weight_step_is_the_least_difference_of_two_weighted_sums(weights, step):
    found = weight_step(weights)
    assert found == (pytest.approx(step) if step is not None else None)


def test_committed_effect_is_that_of_the_inputs_asked_not_of_the_copy_they_were_made_from():
    # The inputs remember committed_effect's answers; a copy with other committed units (a rule lifted, a proposal
    # imposed) must answer for its own units. 50 kt of LNG per unit, committed and in service.
    law = dataclasses.replace(inst.project("law_stock", 10, ("stock", "lng", 50.0), max_units=0), committed_units=1)
    inputs = inst.base(scenarios=[inst.scenario("onset_2030", onset_year=2030)], projects=[law], year_budget=0)
    crisis = inputs.scenarios["onset_2030"]
    assert inputs.committed_effect("stock", "lng", crisis) == 50.0
    three = dataclasses.replace(inputs, projects={"law_stock": dataclasses.replace(law, committed_units=3)})
    assert three.committed_effect("stock", "lng", crisis) == 150.0
    assert inputs.committed_effect("stock", "lng", crisis) == 50.0
