"""The endurance model on tiny instances whose optimum is worked out by hand, solved by HiGHS.

Unless a test says otherwise (tests/instances.py, ``base``): LNG stock 100 kt, no
floor, room 200 kt; gas plants make 2 GWh per kt, up to 100 GWh/day; the essential
electricity requirement is 0.5 × 100 = 50 GWh/day, i.e. 25 kt of LNG a day; LNG
imports (normally 50 kt/day) stop on day 1 (blockade); horizon 30 days; crisis in
2028; planning years 2027–2028 with 1,000 a year. The arithmetic that gives each
expected figure is in the comment above its assertion.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.support.instances import base, farm, project, scenario, total_budget
from trp_opt.analysis.diagnosis import explained
from trp_opt.analysis.operations import explain_scenario
from trp_opt.data import vocabulary
from trp_opt.data.errors import NoPlan
from trp_opt.data.inputs import PolicyRule, ScenarioEvent
from trp_opt.data.options import SolveOptions
from trp_opt.solve.block_runner import plan_endurance
from trp_opt.solve.choose import choose_plan


def best(inputs, formulation=None, **options):
    if formulation is not None:
        options["formulation"] = formulation
    return choose_plan(inputs, SolveOptions(**options))


def cost_of(inputs, plan) -> float:
    return sum(inputs.projects[p].unit_cost * units for (p, _), units in plan.items())


def availability(share: float, first: int = 1, last: int = 30) -> ScenarioEvent:
    return ScenarioEvent(vocabulary.EVENT_IMPORT_AVAILABILITY, "lng", first, last, share)


# ---- stocks, imports, floors ----------------------------------------------------------


def test_one_stock_no_imports_lasts_stock_over_requirement():
    # 100 kt / 25 kt a day = 4 days exactly.
    assert best(base(stock=100)).endurance == {"blockade": 4}
    # 130 kt / 25 = 5.2 → 5 whole days (day 6 would need 150 kt).
    assert best(base(stock=130)).endurance == {"blockade": 5}
    # 24 kt < 25 kt: not even day 1.
    assert best(base(stock=24)).endurance == {"blockade": 0}


def test_partial_imports_slow_the_drain():
    # 40% of 50 kt/day arrives = 20 kt; the stock drains 25 − 20 = 5 kt/day: 100 / 5 = 20 days.
    quarantine = scenario(events=(availability(0.4),))
    assert best(base(scenarios=[quarantine])).endurance == {"blockade": 20}
    # 112 kt / 5 = 22.4 → 22 days.
    assert best(base(stock=112, scenarios=[quarantine])).endurance == {"blockade": 22}


def test_imports_stopped_later_in_the_crisis():
    # Full imports (50 ≥ 25 kt/day) on days 1–10 keep the tank topped up at its room of 200 kt;
    # from day 11 nothing arrives: 200 / 25 = 8 more days, endurance 10 + 8 = 18.
    late_blockade = scenario(events=(availability(0.0, first=11),))
    assert best(base(scenarios=[late_blockade])).endurance == {"blockade": 18}


def test_tank_floor_is_not_usable():
    # Usable stock 100 − 30 = 70 kt: 70 / 25 = 2.8 → 2 days.
    assert best(base(stock=100, floor=30)).endurance == {"blockade": 2}
    # With 40% imports the drain is 5 kt/day: 70 / 5 = 14 days (not 100 / 5 = 20).
    quarantine = scenario(events=(availability(0.4),))
    assert best(base(stock=100, floor=30, scenarios=[quarantine])).endurance == {"blockade": 14}


# ---- investments ----------------------------------------------------------------------


def test_fill_needs_storage_first():
    # The tank is full (room 100 = stock 100): a fill alone adds nothing, so with 10 to spend
    # the cheapest best plan buys nothing: 100 / 25 = 4 days.
    projects = [
        project("tank", 20, ("storage", "lng", 100)),
        project("fill", 10, ("stock", "lng", 100)),
    ]
    poor = best(base(room=100, projects=projects, years=(2028,), year_budget=10))
    assert poor.endurance == {"blockade": 4}
    assert poor.plan == {}
    # The fill fixed on its own still gives 4 days: the opening stock cannot exceed the room of 100.
    inputs = base(room=100, projects=projects, years=(2028,))
    assert plan_endurance(inputs, {("fill", 2028): 1}) == {"blockade": 4}
    # The tank alone: room 200 but still 100 kt: 4 days.
    assert plan_endurance(inputs, {("tank", 2028): 1}) == {"blockade": 4}
    # With 30: tank (+100 room, 20) and fill (+100 stock, 10): 200 / 25 = 8 days.
    rich = best(base(room=100, projects=projects, years=(2028,), year_budget=30))
    assert rich.endurance == {"blockade": 8}
    assert rich.plan == {("tank", 2028): 1, ("fill", 2028): 1}


def test_lead_time_that_misses_the_scenario_year(formulation):
    # +100 kt with a 2-year lead started in 2027 is finished for 2029 (2027 + 2 ≤ 2029),
    # not for 2028 (2027 + 2 > 2028): the 2028 crisis keeps 100 / 25 = 4 days, the 2029
    # crisis gets 200 / 25 = 8. Started in 2028 or 2029 it helps neither.
    early = scenario("early", onset_year=2028)
    late = scenario("late", onset_year=2029)
    slow = project("slow_fill", 10, ("stock", "lng", 100), lead_time=2)
    inputs = base(projects=[slow], scenarios=[early, late], years=(2027, 2028, 2029))
    result = best(inputs, formulation=formulation)
    assert result.endurance == {"early": 4, "late": 8}
    assert result.plan == {("slow_fill", 2027): 1}
    # Started in 2028 (finished 2030), it is worth nothing to either crisis.
    assert plan_endurance(inputs, {("slow_fill", 2028): 1}) == {"early": 4, "late": 4}


def test_relief_from_training_is_capped():
    # Each cohort removes 10% of the requirement, capped at 20%: 50 × 0.8 = 40 GWh = 20 kt/day,
    # 100 / 20 = 5 days. A third cohort adds nothing, so the cheapest best plan has exactly 2.
    cohort = project("cohort", 1, ("relief", "power", 0.1), max_units=5, category="training")
    result = best(base(projects=[cohort], max_relief=0.2, years=(2028,)))
    assert result.endurance == {"blockade": 5}
    assert result.plan == {("cohort", 2028): 2}


def test_relief_is_linear_in_units_below_the_cap():
    # Cap 40%, 110 kt, budget for 3 cohorts: 30% relief → 35 GWh = 17.5 kt/day: 110 / 17.5 = 6.29 → 6.
    # (2 cohorts: 110 / 20 = 5.5 → 5; 4 would give 110 / 15 = 7.33 → 7 but cost 4 > 3.)
    cohort = project("cohort", 1, ("relief", "power", 0.1), max_units=5, category="training")
    result = best(base(stock=110, projects=[cohort], max_relief=0.4, years=(2028,), year_budget=3))
    assert result.endurance == {"blockade": 6}
    assert result.plan == {("cohort", 2028): 3}


# ---- damage, repair, hardening ----------------------------------------------------------


def _damaged(repair_delay: int, projects=None):
    # Gas plants of 50 GWh/day meet the requirement exactly; days 5–20, 40% (20 GWh/day) is lost.
    # Stock is ample (10,000 kt), so only capacity can fail.
    loss = ScenarioEvent(vocabulary.EVENT_CAPACITY_LOSS, "gas", 5, 20, 0.4)
    strike = scenario(horizon=20, events=(scenario().events[0], loss), repair_delay=repair_delay)
    crews = project("crews", 5, ("repair", "gas", 20))
    return base(
        stock=10_000,
        room=10_000,
        gas_capacity=50,
        scenarios=[strike],
        projects=[crews] if projects is None else projects,
        years=(2028,),
    )


def test_damaged_technology_repaired_after_a_delay():
    # With no delay, crews restoring 20 GWh/day per day give back all 20 GWh/day lost on day 5 itself:
    # never short, endurance = horizon 20.
    result = best(_damaged(repair_delay=0))
    assert result.endurance == {"blockade": 20}
    assert result.plan == {("crews", 2028): 1}
    # With repairs only after day 5, day 5 runs on 50 − 20 = 30 GWh/day < 50: endurance 4, whatever
    # is bought, so the cheapest best plan buys nothing.
    late = best(_damaged(repair_delay=5))
    assert late.endurance == {"blockade": 4}
    assert late.plan == {}


def test_stock_bridges_the_gap_until_repairs_catch_up(formulation):
    # Farms (10 kt/day = the food requirement) are wholly lost from day 1; repairs start on day 4
    # (delay 3) at 2 kt/day per day with the crews: output 0, 0, 0, 2, 4, 6, 8, then 10 from day 8.
    # Daily deficit 10, 10, 10, 8, 6, 4, 2, then 0: cumulative 10, 20, 30, 38, 44, 48, 50, 50, ...
    # Without crews the farms give nothing: 49 / 10 = 4.9 → 4 days; 50 / 10 → 5 days.
    assert plan_endurance(farm(49), {}) == {"strike": 4}
    assert plan_endurance(farm(50), {}) == {"strike": 5}
    # 50 kt covers the whole 50 kt deficit: unbroken, 30 days.
    assert best(farm(50), formulation=formulation).endurance == {"strike": 30}
    # 49 kt: day 7 needs 50 kt cumulative > 49: endurance 6, and the crews are bought.
    # Days 8–30 would be fine on their own, but endurance is a prefix: it ends at day 6.
    result = best(farm(49), formulation=formulation)
    assert result.endurance == {"strike": 6}
    assert result.plan == {("crews", 2028): 1}
    # 47 kt: day 6 needs 48 > 47: endurance 5.
    assert best(farm(47), formulation=formulation).endurance == {"strike": 5}


def test_farm_profiles_show_the_repair_and_the_stock_running_out():
    # Same as above with 49 kt and the crews: available capacity 0, 0, 0, 2, 4, 6, 8, 10, 10, ...
    # Stock 49 − 10 − 10 − 10 − 8 − 6 − 4 = 39, 29, 19, 11, 5, 1; day 7: 1 kt + 8 kt grown = 9 kt
    # of the 10 required: food short by 1 kt/day and the food stock exhausted.
    result = explain_scenario(farm(49), {("crews", 2028): 1}, "strike", 6)
    assert result.available_capacity["farms"][:9] == pytest.approx([0, 0, 0, 2, 4, 6, 8, 10, 10])
    assert result.stock["food"][:7] == pytest.approx([39, 29, 19, 11, 5, 1, 0])
    assert [s.carrier_id for s in result.shortfalls] == ["food"]
    assert result.shortfalls[0].shortfall == pytest.approx(1)
    assert result.shortfalls[0].unit == "kt/day"
    assert result.exhausted_stocks == ("food",)


def test_available_capacity_profile_follows_damage_and_repair():
    # Lost 20 GWh/day on days 5–20; repairs from day 7 (delay 6) at 20 GWh/day per day with the crews:
    # capacity 50 on days 1–4, 30 on days 5–6, back to 50 from day 7.
    inputs = _damaged(repair_delay=6)
    result = explain_scenario(inputs, {("crews", 2028): 1}, "blockade", 4)
    assert result.available_capacity["gas"][:9] == pytest.approx([50, 50, 50, 50, 30, 30, 50, 50, 50])


def test_hardened_capacity_is_protected_from_damage():
    # No repairs within the 20 days (delay 20). Unprotected: day 5 has 50 − 0.4 × 50 = 30 < 50 GWh: 4 days.
    # Hardening 20 GWh/day: lost = 0.4 × 50 − 20 = 0, nothing fails over the 20 days.
    # Hardening 10 GWh/day: lost = 20 − 10 = 10, 40 < 50 on day 5: still 4 days.
    shield = project("shield", 5, ("hardened", "gas", 20), category="grid")
    half_shield = project("half_shield", 1, ("hardened", "gas", 10), category="grid")
    inputs = _damaged(repair_delay=20, projects=[shield, half_shield])
    assert plan_endurance(inputs, {}) == {"blockade": 4}
    assert plan_endurance(inputs, {("half_shield", 2028): 1}) == {"blockade": 4}
    result = best(inputs)
    assert result.endurance == {"blockade": 20}
    assert result.plan == {("shield", 2028): 1}


def test_hardened_capacity_cannot_be_repaired_in_advance():
    # Gas plants 50 GWh/day = requirement; shield hardens 10 GWh/day; crews repair 10 GWh/day per day
    # from day 1 (delay 0). Day 2: 20% damage = 10 GWh/day, all of it on hardened plant: nothing is
    # lost, nothing to repair, 50 available. Days 3–20: 60% = 30 GWh/day, 30 − 10 hardened = 20 lost;
    # the crews restore 10 on day 3 → 40 < 50. Day 3 fails: endurance 2, with or without the shield
    # (crews alone: day 2 loses 10 and restores 10 → 50; day 3 loses 30, restores 20 → 40 < 50).
    # explain_scenario's own capacity profile says 50, 50, 40 on days 1–3.
    events = (
        scenario().events[0],
        ScenarioEvent(vocabulary.EVENT_CAPACITY_LOSS, "gas", 2, 2, 0.2),
        ScenarioEvent(vocabulary.EVENT_CAPACITY_LOSS, "gas", 3, 20, 0.6),
    )
    strike = scenario(horizon=20, events=events, repair_delay=0)
    shield = project("shield", 5, ("hardened", "gas", 10), category="grid")
    crews = project("crews", 5, ("repair", "gas", 10))
    inputs = base(
        stock=10_000, room=10_000, gas_capacity=50, scenarios=[strike], projects=[shield, crews], years=(2028,)
    )
    both = {("shield", 2028): 1, ("crews", 2028): 1}
    profile = explain_scenario(inputs, both, "blockade", 2).available_capacity["gas"]
    assert profile[:4] == pytest.approx([50, 50, 40, 50])
    assert plan_endurance(inputs, {("crews", 2028): 1}) == {"blockade": 2}
    assert plan_endurance(inputs, both) == {"blockade": 2}


# ---- objectives and tie-breaking --------------------------------------------------------


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


def test_maxmin_and_expected_pick_different_plans(formulation):
    # maxmin: quick's worst is 6 > big's worst 4.
    maxmin = best(_two_crises(), formulation=formulation)
    assert maxmin.plan == {("quick", 2027): 1}
    assert maxmin.endurance == {"early": 6, "late": 6}
    # expected: quick 1 × 6 + 3 × 6 = 24 < big 1 × 4 + 3 × 12 = 40.
    expected = best(_two_crises(), objective="expected", formulation=formulation)
    assert expected.plan == {("big", 2027): 1}
    assert expected.endurance == {"early": 4, "late": 12}
    assert expected.primary.objective == pytest.approx(40)


def test_scenario_with_zero_weight_reports_its_true_endurance(formulation):
    # 'calm' (weight 0) has 40% of imports: drain 25 − 20 = 5 kt/day, 100 / 5 = 20 days; the blockade
    # (weight 1) has 100 / 25 = 4. No objective stage values calm's days beyond the worst (4), but the
    # endurance reported for the plan is what the plan gives: 20.
    calm = scenario("calm", weight=0, events=(availability(0.4),))
    inputs = base(scenarios=[scenario(), calm])
    result = best(inputs, formulation=formulation)
    assert result.endurance == {"blockade": 4, "calm": 20}


def _tied_worst(extra=()):
    # The early crisis (2027, weight 1) keeps 100 / 25 = 4 days whatever is bought (every fill has a
    # 1-year lead), so the worst endurance is 4 for every plan. Late crisis: 2028, weight 2.
    # Total budget 20. small: +25 kt, 6 → late 125 / 25 = 5; large: +100 kt, 20 → late 200 / 25 = 8.
    early = scenario("early", onset_year=2027, weight=1)
    late = scenario("late", onset_year=2028, weight=2)
    projects = [
        project("small", 6, ("stock", "lng", 25), lead_time=1),
        project("large", 20, ("stock", "lng", 100), lead_time=1),
        *extra,
    ]
    return base(projects=projects, scenarios=[early, late], room=400, policy=(total_budget(20),))


def test_equal_worst_broken_by_weighted_endurance(formulation):
    # Worst 4 everywhere. Weighted: nothing 4 + 2 × 4 = 12; small 4 + 2 × 5 = 14; large 4 + 2 × 8 = 20;
    # small + large costs 26 > 20. The weighted stage picks large even though it is the dearest.
    inputs = _tied_worst()
    result = best(inputs, formulation=formulation)
    assert result.endurance == {"early": 4, "late": 8}
    assert result.plan == {("large", 2027): 1}
    assert [s.objective for s in result.stages] == pytest.approx([4, 20, 20])


def test_equal_worst_and_weighted_broken_by_cost(formulation):
    # Add large_cheap: the same +100 kt for 15. large and large_cheap both give worst 4, weighted 20
    # (both together cost 35 > 20; small + large_cheap costs 21 > 20), so the cheaper one wins at 15.
    inputs = _tied_worst([project("large_cheap", 15, ("stock", "lng", 100), lead_time=1)])
    result = best(inputs, formulation=formulation)
    assert result.endurance == {"early": 4, "late": 8}
    assert result.plan == {("large_cheap", 2027): 1}
    assert result.stages[-1].objective == pytest.approx(15)
    assert cost_of(inputs, result.plan) == pytest.approx(15)


def test_target_mode_finds_the_cheapest_plan(formulation):
    # 12 days need 12 × 25 = 300 kt, 200 more than the 100 held: a (+100, 10) + b (+100, 15) = 25
    # beats c (+200, 30). 20 days need 500 kt: everything, 10 + 15 + 30 = 55.
    projects = [
        project("a", 10, ("stock", "lng", 100)),
        project("b", 15, ("stock", "lng", 100)),
        project("c", 30, ("stock", "lng", 200)),
    ]
    inputs = base(projects=projects, room=600, years=(2028,))
    twelve = best(inputs, objective="target", target=12, formulation=formulation)
    assert twelve.plan == {("a", 2028): 1, ("b", 2028): 1}
    assert twelve.primary.objective == pytest.approx(25)
    assert twelve.endurance["blockade"] >= 12
    twenty = best(inputs, objective="target", target=20, formulation=formulation)
    assert twenty.primary.objective == pytest.approx(55)
    assert twenty.endurance == {"blockade": 20}


def test_unreachable_target_names_the_scenario(formulation):
    # 21 days need 525 kt; at most 100 + 400 = 500 kt can be held: 20 days. Infeasible, and the
    # conflict names the scenario ("Blockade") and the 20 days that are reachable.
    projects = [
        project("a", 10, ("stock", "lng", 100)),
        project("b", 15, ("stock", "lng", 100)),
        project("c", 30, ("stock", "lng", 200)),
    ]
    inputs = base(projects=projects, room=600, years=(2028,))
    with pytest.raises(NoPlan) as failure:
        best(inputs, objective="target", target=21, formulation=formulation)
    assert failure.value.conflicts == []  # the solve says 'no plan'; the diagnosis says why
    conflicts = explained(failure.value, SolveOptions(objective="target", target=21)).conflicts
    assert any("Blockade" in conflict and "21 days" in conflict and "20 days" in conflict for conflict in conflicts)


# ---- budget rules ----------------------------------------------------------------------


def test_yearly_budgets_and_spend_profiles():
    # 60 a year: a unit of 100 paid 50/50 over 2027–2028 spends 50 + 50, within 60 each year;
    # one paid at once (100 in one year) never fits. The spread unit, 1-year lead, is finished
    # for 2028: 200 / 25 = 8 days.
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
    # With 14 to spend, fill + permit (15) does not fit: nothing is bought, 4 days.
    poor = best(base(projects=projects, years=(2028,), year_budget=14))
    assert poor.plan == {}
    assert poor.endurance == {"blockade": 4}


def test_category_caps_in_money_and_share():
    fills = [project("a", 10, ("stock", "lng", 100)), project("b", 10, ("stock", "lng", 100))]
    drill = project("drill", 10, category="training")
    # Cap of 10 on stockpiles: one fill of two, 200 / 25 = 8 days (not 300 / 25 = 12).
    cap = PolicyRule("cap", vocabulary.RULE_CATEGORY_CAP, 10, category="stockpiles")
    capped = best(base(projects=fills, room=400, years=(2028,), policy=(cap,)))
    assert capped.endurance == {"blockade": 8}
    assert len(capped.plan) == 1
    # Stockpiles at most 50% of spending: a + drill (10 ≤ 0.5 × 20) fits; a + b + drill (20 > 0.5 × 30)
    # does not. So one fill and the otherwise useless drill: 8 days.
    share_cap = PolicyRule(
        "share_cap", vocabulary.RULE_CATEGORY_CAP, 0.5, vocabulary.AMOUNT_SHARE, category="stockpiles"
    )
    shared = best(base(projects=[*fills, drill], room=400, years=(2028,), policy=(share_cap,)))
    assert shared.endurance == {"blockade": 8}
    assert shared.plan[("drill", 2028)] == 1
    assert len(shared.plan) == 2


def test_category_floors_in_money_and_share():
    fills = [project("a", 10, ("stock", "lng", 100)), project("b", 10, ("stock", "lng", 100))]
    drill = project("drill", 10, category="training")
    # Training at least 10 with a total budget of 20: the drill takes 10, one fill the rest: 8 days
    # (without the floor a + b would give 300 / 25 = 12).
    floor = PolicyRule("floor", vocabulary.RULE_CATEGORY_FLOOR, 10, category="training")
    inputs = base(projects=[*fills, drill], room=400, years=(2028,), policy=(floor, total_budget(20)))
    money = best(inputs)
    assert money.endurance == {"blockade": 8}
    assert money.plan[("drill", 2028)] == 1
    assert cost_of(inputs, money.plan) == pytest.approx(20)
    # Training at least 50% of spending: the fill (10) drags the drill (10) along.
    share = PolicyRule("share", vocabulary.RULE_CATEGORY_FLOOR, 0.5, vocabulary.AMOUNT_SHARE, category="training")
    floored = best(base(projects=[fills[0], drill], years=(2028,), policy=(share,)))
    assert floored.plan == {("a", 2028): 1, ("drill", 2028): 1}
    assert floored.endurance == {"blockade": 8}


@pytest.mark.parametrize("budget_rule", ["year", "total"])
def test_infeasible_floor_names_its_cell_and_the_amount(budget_rule, formulation):
    # A training floor of 50 with 20 to spend (the 2028 budget, or a total budget rule): the cheapest
    # relaxation lowers the floor by 50 − 20 = 30 (30 / 50 = 0.6 of the floor) rather than raising the
    # budget by 30 (30 / 20 = 1.5 of the budget).
    drill = project("drill", 10, category="training", max_units=5)
    floor = PolicyRule("training_floor", vocabulary.RULE_CATEGORY_FLOOR, 50, category="training", cell="Policy!E2")
    if budget_rule == "year":
        inputs = base(projects=[drill], years=(2028,), year_budget=20, policy=(floor,))
    else:
        inputs = base(projects=[drill], years=(2028,), policy=(floor, total_budget(20, cell="Policy!E3")))
    with pytest.raises(NoPlan) as failure:
        best(inputs, formulation=formulation)
    conflicts = explained(failure.value, SolveOptions()).conflicts
    assert len(conflicts) == 1
    assert "Policy!E2" in conflicts[0] and "by NT$ 30 million" in conflicts[0]


# ---- what fails first, profiles ----------------------------------------------------------


def test_what_fails_first_is_found_by_re_solve():
    # 110 kt: 4 full days use 100 kt; on day 5 the 10 kt left make 20 GWh of the 50 required:
    # electricity falls short by 50 − 20 = 30 GWh/day and LNG is exhausted.
    result = explain_scenario(base(stock=110), {}, "blockade", 4)
    assert [s.carrier_id for s in result.shortfalls] == ["power"]
    assert result.shortfalls[0].shortfall == pytest.approx(30)
    assert result.shortfalls[0].required == pytest.approx(50)
    assert result.shortfalls[0].unit == "GWh/day"
    assert result.exhausted_stocks == ("lng",)
    assert result.stock["lng"][:5] == pytest.approx([85, 60, 35, 10, 0])
    assert result.used["power"][:5] == pytest.approx([50, 50, 50, 50, 20])


def test_capacity_failure_does_not_report_a_full_stock_as_exhausted():
    # 130 kt, 20% of imports (10 kt/day), gas plants 50 GWh/day of which 40% is lost from day 5, never
    # repaired within the 20 days. Days 1–4 burn 25 kt and receive 10: 130 − 4 × 15 = 70 kt left.
    # Day 5: 50 − 20 = 30 GWh/day available: electricity short by 50 − 30 = 20 GWh/day; burning 15 kt
    # and receiving 10 leaves 65 kt in the tank (floor 0). The plants failed, not the LNG: no stock is
    # exhausted on day 5.
    events = (
        ScenarioEvent(vocabulary.EVENT_IMPORT_AVAILABILITY, "lng", 1, 20, 0.2),
        ScenarioEvent(vocabulary.EVENT_CAPACITY_LOSS, "gas", 5, 20, 0.4),
    )
    strike = scenario(horizon=20, events=events, repair_delay=20)
    inputs = base(stock=130, room=1000, gas_capacity=50, scenarios=[strike], years=(2028,))
    assert plan_endurance(inputs, {}) == {"blockade": 4}
    result = explain_scenario(inputs, {}, "blockade", 4)
    assert [s.carrier_id for s in result.shortfalls] == ["power"]
    assert result.shortfalls[0].shortfall == pytest.approx(20)
    assert result.exhausted_stocks == ()


def test_what_fails_first_with_relief_reports_the_relieved_requirement():
    # Two cohorts relieve 20%: the requirement is 50 × 0.8 = 40 GWh = 20 kt/day. 110 kt: 5 days use
    # 100 kt; day 6 has 10 kt = 20 GWh of the 40 required: short by 20 GWh/day, i.e. 50% of the
    # requirement after relief (Shortfall.required is documented as "after relief": 40, not 50).
    cohort = project("cohort", 1, ("relief", "power", 0.1), max_units=5, category="training")
    inputs = base(stock=110, projects=[cohort], max_relief=0.2, years=(2028,))
    result = explain_scenario(inputs, {("cohort", 2028): 2}, "blockade", 5)
    assert [s.carrier_id for s in result.shortfalls] == ["power"]
    assert result.shortfalls[0].shortfall == pytest.approx(20)
    assert result.exhausted_stocks == ("lng",)
    assert result.shortfalls[0].required == pytest.approx(40)
    assert result.shortfalls[0].share == pytest.approx(0.5)


def test_unbroken_scenario_reports_the_horizon():
    # 1,000 kt / 25 = 40 days > 30-day horizon: endurance = horizon, nothing short.
    inputs = base(stock=1000, room=1000)
    result = best(inputs)
    assert result.endurance == {"blockade": 30}
    explained = explain_scenario(inputs, {}, "blockade", 30)
    assert explained.unbroken and explained.shortfalls == ()
    assert explained.endurance_text == "≥ 30"


def test_unbroken_scenario_profiles_show_the_requirement_being_met():
    # Every day is met, so every day uses the 50 GWh required, burning 25 kt:
    # stock 975, 950, ..., 1,000 − 30 × 25 = 250 on day 30.
    inputs = base(stock=1000, room=1000)
    explained = explain_scenario(inputs, {}, "blockade", 30)
    assert explained.used["power"] == pytest.approx([50] * 30)
    assert explained.stock["lng"] == pytest.approx([1000 - 25 * t for t in range(1, 31)])


def test_plan_endurance_matches_a_fixed_plan_evaluation():
    # The two-crisis instance: choose_plan's own endurance is what the plan gives when held fixed.
    inputs = _two_crises()
    for objective in ("maxmin", "expected"):
        result = best(inputs, objective=objective)
        assert plan_endurance(inputs, result.plan) == result.endurance
