"""Units shown to the analyst: a day's quantity of a carrier; the weights' step."""

import pytest

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
