"""The endurance model on tiny instances whose optimum is worked out by hand, solved by HiGHS.

Unless a test says otherwise (tests/instances.py): LNG stock 100 kt, no
floor, room 200 kt; gas plants make 2 GWh per kt; the essential electricity
requirement is 50 GWh/day, i.e. 25 kt of LNG a day; LNG imports stop on day
1 (blockade); horizon 30 days; crisis in 2028; planning years 2027–2028.
"""

from __future__ import annotations

import dataclasses

import pytest

from instances import base, project, scenario, total_budget
from trp_opt import schema
from trp_opt.errors import Infeasible
from trp_opt.inputs import PolicyRule, ScenarioEvent
from trp_opt.operations import explain_scenario
from trp_opt.solve import SolveOptions, choose_plan, fixed_plan_endurance


def best(inputs, **options):
    return choose_plan(inputs, SolveOptions(**options))


def test_one_stock_no_imports_lasts_stock_over_requirement():
    # 100 kt / 25 kt a day = 4 days exactly; 130 kt gives 5.2 → 5 whole days.
    assert best(base(stock=100)).endurance == {"blockade": 4}
    assert best(base(stock=130)).endurance == {"blockade": 5}


def test_partial_imports_slow_the_drain():
    # 40% of 50 kt/day arrives = 20 kt; the stock drains 25 − 20 = 5 kt/day: 100 / 5 = 20 days.
    quarantine = scenario(events=(ScenarioEvent(schema.EVENT_IMPORT_AVAILABILITY, "lng", 1, 30, 0.4),))
    assert best(base(scenarios=[quarantine])).endurance == {"blockade": 20}


def test_tank_floor_is_not_usable():
    # Usable stock 100 − 30 = 70 kt: 70 / 25 = 2.8 → 2 days.
    assert best(base(stock=100, floor=30)).endurance == {"blockade": 2}


def test_fill_needs_storage_first():
    # The tank is full (room 100 = stock 100): a fill alone adds nothing, so a budget of 10
    # buys nothing (4 days); with 30 the tank (+100 room, 20) and the fill (+100 stock, 10) give 200 / 25 = 8.
    projects = [
        project("tank", 20, ("storage", "lng", 100)),
        project("fill", 10, ("stock", "lng", 100)),
    ]
    poor = best(base(room=100, projects=projects, years=(2028,), year_budget=10))
    assert poor.endurance == {"blockade": 4}
    assert poor.plan == {}
    rich = best(base(room=100, projects=projects, years=(2028,), year_budget=30))
    assert rich.endurance == {"blockade": 8}
    assert rich.plan == {("tank", 2028): 1, ("fill", 2028): 1}


def test_lead_time_that_misses_the_scenario_year():
    # +100 kt with a 2-year lead started in 2027 is finished for 2029, not for 2028:
    # the 2028 crisis keeps 4 days, the 2029 crisis gets 200 / 25 = 8.
    early = scenario("early", onset_year=2028)
    late = scenario("late", onset_year=2029)
    slow = project("slow_fill", 10, ("stock", "lng", 100), lead_time=2)
    result = best(base(projects=[slow], scenarios=[early, late], years=(2027, 2028, 2029)))
    assert result.endurance == {"early": 4, "late": 8}
    assert result.plan == {("slow_fill", 2027): 1}


def test_relief_from_training_is_capped():
    # Each cohort removes 10% of the requirement, capped at 20%: 50 × 0.8 = 40 GWh = 20 kt/day,
    # 100 / 20 = 5 days. A third cohort adds nothing, so the cheapest plan has exactly 2.
    cohort = project("cohort", 1, ("relief", "power", 0.1), max_units=5, category="training")
    result = best(base(projects=[cohort], max_relief=0.2, years=(2028,)))
    assert result.endurance == {"blockade": 5}
    assert result.plan == {("cohort", 2028): 2}


def _damaged(repair_delay: int):
    # Gas plants of 50 GWh/day meet the requirement exactly; from day 5, 40% (20 GWh/day) is lost.
    # Stock is ample (10,000 kt), so only capacity can fail.
    loss = ScenarioEvent(schema.EVENT_CAPACITY_LOSS, "gas", 5, 20, 0.4)
    strike = scenario(horizon=20, events=(scenario().events[0], loss), repair_delay=repair_delay)
    crews = project("crews", 5, ("repair", "gas", 20))
    return base(stock=10_000, room=10_000, gas_capacity=50, scenarios=[strike], projects=[crews], years=(2028,))


def test_damaged_technology_repaired_after_a_delay():
    # With no delay, crews restoring 20 GWh/day per day give back all 20 GWh/day lost on day 5 itself:
    # never short, endurance = horizon 20.
    assert best(_damaged(repair_delay=0)).endurance == {"blockade": 20}
    # With repairs only after day 5, day 5 runs on 30 GWh/day < 50: endurance 4, and the crews are not bought.
    late = best(_damaged(repair_delay=5))
    assert late.endurance == {"blockade": 4}
    assert late.plan == {}


def test_available_capacity_profile_follows_damage_and_repair():
    # Lost 20 GWh/day from day 5; repairs from day 7 (delay 6) at 20 GWh/day per day with the crews:
    # capacity 50 on days 1–4, 30 on days 5–6, back to 50 from day 7.
    inputs = _damaged(repair_delay=6)
    result = explain_scenario(inputs, {("crews", 2028): 1}, "blockade", 4)
    assert result.available_capacity["gas"][:9] == pytest.approx([50, 50, 50, 50, 30, 30, 50, 50, 50])


def test_hardened_capacity_is_protected_from_damage():
    # Hardening 20 GWh/day of the plants: lost = 40% × 50 − 20 = 0, so nothing fails over 20 days.
    inputs = _damaged(repair_delay=20)
    shield = project("shield", 5, ("hardened", "gas", 20), category="grid")
    inputs = base(
        stock=10_000, room=10_000, gas_capacity=50, scenarios=list(inputs.scenarios.values()),
        projects=[shield], years=(2028,),
    )
    assert best(inputs).endurance == {"blockade": 20}


def _two_crises():
    # early (2027) and late (2028), weights 1 and 3. Budget 10 in 2027, none in 2028.
    # quick: +50 kt, no lead → both get 150 / 25 = 6 days.
    # big: +200 kt, 1-year lead → only the late crisis: 300 / 25 = 12 days; early stays at 4.
    early = scenario("early", onset_year=2027, weight=1)
    late = scenario("late", onset_year=2028, weight=3)
    projects = [
        project("quick", 10, ("stock", "lng", 50)),
        project("big", 10, ("stock", "lng", 200), lead_time=1),
    ]
    inputs = base(projects=projects, scenarios=[early, late], room=400)
    return dataclasses.replace(inputs, year_budgets={2027: 10.0, 2028: 0.0})


def test_maxmin_and_expected_pick_different_plans():
    # maxmin: quick gives worst 6 > big's worst 4.  expected: quick 1×6 + 3×6 = 24 < big 1×4 + 3×12 = 40.
    maxmin = best(_two_crises())
    assert maxmin.plan == {("quick", 2027): 1}
    assert maxmin.endurance == {"early": 6, "late": 6}
    expected = best(_two_crises(), objective="expected")
    assert expected.plan == {("big", 2027): 1}
    assert expected.endurance == {"early": 4, "late": 12}


def test_ties_broken_by_weighted_endurance_then_cost():
    # The early crisis (2027) gets 4 days whatever is bought (both fills have a 1-year lead), so the
    # worst is 4 for every plan. Stage 2 buys a fill for the late crisis (8 days); stage 3 takes the
    # cheaper of two identical fills (10 rather than 20). The budget of 25 cannot buy both.
    early = scenario("early", onset_year=2027)
    late = scenario("late", onset_year=2028)
    projects = [
        project("dear", 20, ("stock", "lng", 100), lead_time=1),
        project("cheap", 10, ("stock", "lng", 100), lead_time=1),
    ]
    inputs = base(projects=projects, scenarios=[early, late], policy=(total_budget(25),))
    result = best(inputs)
    assert result.endurance == {"early": 4, "late": 8}
    assert result.plan == {("cheap", 2027): 1}
    assert result.stages[-1].objective == pytest.approx(10)


def test_target_mode_finds_the_cheapest_plan():
    # 12 days need 12 × 25 = 300 kt, 200 more than the 100 held: A (+100, 10) + B (+100, 15) = 25
    # beats C (+200, 30). 20 days need 500 kt: everything, 55. 21 days need 525 kt: impossible.
    projects = [
        project("a", 10, ("stock", "lng", 100)),
        project("b", 15, ("stock", "lng", 100)),
        project("c", 30, ("stock", "lng", 200)),
    ]
    inputs = base(projects=projects, room=600, years=(2028,))
    twelve = best(inputs, objective="target", target=12)
    assert twelve.plan == {("a", 2028): 1, ("b", 2028): 1}
    assert twelve.primary.objective == pytest.approx(25)
    twenty = best(inputs, objective="target", target=20)
    assert twenty.primary.objective == pytest.approx(55)
    with pytest.raises(Infeasible) as failure:
        best(inputs, objective="target", target=21)
    assert any("Blockade" in conflict and "20 days" in conflict for conflict in failure.value.conflicts)


def test_yearly_budgets_and_spend_profiles():
    # 60 a year: a unit of 100 paid 50/50 over 2027–2028 fits; one paid at once never does.
    # The spread unit, 1-year lead, is finished for 2028: 200 / 25 = 8 days.
    projects = [
        project("spread", 100, ("stock", "lng", 100), lead_time=1, profile=(0.5, 0.5)),
        project("lump", 100, ("stock", "lng", 100), lead_time=0),
    ]
    result = best(base(projects=projects, year_budget=60))
    assert result.plan == {("spread", 2027): 1}
    assert result.endurance == {"blockade": 8}


def test_excludes_allows_only_one():
    # Two identical fills (+100 each) that exclude each other: 200 / 25 = 8 days, not 300 / 25 = 12.
    projects = [
        project("a", 10, ("stock", "lng", 100), excludes=("b",)),
        project("b", 10, ("stock", "lng", 100), excludes=("a",)),
    ]
    result = best(base(projects=projects, room=400, years=(2028,)))
    assert result.endurance == {"blockade": 8}
    assert len(result.plan) == 1


def test_requires_holds_even_when_the_required_project_is_useless():
    # The fill requires a 'permit' that does nothing and costs 5: buying the fill means buying the permit.
    projects = [
        project("permit", 5),
        project("fill", 10, ("stock", "lng", 100), requires=("permit",)),
    ]
    result = best(base(projects=projects, years=(2028,)))
    assert result.plan == {("permit", 2028): 1, ("fill", 2028): 1}
    assert result.endurance == {"blockade": 8}


def test_category_cap_and_share_floor():
    # Cap of 10 on stockpiles: one fill of two (8 days, not 12).
    fills = [project("a", 10, ("stock", "lng", 100)), project("b", 10, ("stock", "lng", 100))]
    cap = PolicyRule("cap", schema.RULE_CATEGORY_CAP, 10, category="stockpiles")
    capped = best(base(projects=fills, room=400, years=(2028,), policy=(cap,)))
    assert capped.endurance == {"blockade": 8}
    # A floor of 50% of spending on training: the fill (10) drags a useless drill (10) along.
    drill = project("drill", 10, category="training")
    floor = PolicyRule("floor", schema.RULE_CATEGORY_FLOOR, 0.5, schema.AMOUNT_SHARE, category="training")
    floored = best(base(projects=[fills[0], drill], years=(2028,), policy=(floor,)))
    assert floored.plan == {("a", 2028): 1, ("drill", 2028): 1}


def test_infeasible_floor_names_its_cell_and_the_amount():
    # A training floor of 50 with 20 to spend: the cheapest relaxation lowers the floor by 30
    # (30/50 = 0.6 of the floor) rather than raising the budget by 30 (30/20 = 1.5 of the budget).
    drill = project("drill", 10, category="training", max_units=5)
    floor = PolicyRule("training_floor", schema.RULE_CATEGORY_FLOOR, 50, category="training", cell="Policy!E7")
    with pytest.raises(Infeasible) as failure:
        best(base(projects=[drill], years=(2028,), year_budget=20, policy=(floor,)))
    conflicts = failure.value.conflicts
    assert len(conflicts) == 1
    assert "Policy!E7" in conflicts[0] and "by 30 NT$ million" in conflicts[0]


def test_what_fails_first_is_found_by_re_solve():
    # 110 kt: 4 full days use 100 kt; on day 5 the 10 kt left make 20 GWh of the 50 required:
    # electricity falls short by 30 GWh/day and LNG is exhausted.
    result = explain_scenario(base(stock=110), {}, "blockade", 4)
    assert [s.carrier_id for s in result.shortfalls] == ["power"]
    assert result.shortfalls[0].shortfall == pytest.approx(30)
    assert result.shortfalls[0].unit == "GWh/day"
    assert result.exhausted_stocks == ("lng",)
    assert result.stock["lng"][:5] == pytest.approx([85, 60, 35, 10, 0])


def test_unbroken_scenario_reports_the_horizon():
    # 1,000 kt / 25 = 40 days > 30-day horizon: endurance = horizon, nothing short.
    inputs = base(stock=1000, room=1000)
    result = best(inputs)
    assert result.endurance == {"blockade": 30}
    explained = explain_scenario(inputs, {}, "blockade", 30)
    assert explained.unbroken and explained.shortfalls == ()
    assert explained.endurance_text == "≥ 30"


def test_plan_endurance_matches_a_fixed_plan_evaluation():
    inputs = _two_crises()
    result = best(inputs)
    assert fixed_plan_endurance(inputs, result.plan) == result.endurance
