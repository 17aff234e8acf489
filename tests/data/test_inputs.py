"""Units shown to the analyst: a day's quantity of a carrier."""

import pytest

from trp_opt.data.inputs import Carrier


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
