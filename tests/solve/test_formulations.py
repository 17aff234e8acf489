"""Every formulation finds the reference's optimum: same worst endurance, weighted endurance and cost.

The reference formulation is models/endurance.md as written (one MIP per stage, a binary
for every scenario and day); the others must agree with it on every stage's
optimal value, on the small hand-made instances and on generated instances
with fixed seeds (small enough to solve in seconds).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.support import instances as inst
from tests.support.instances import base, hand_made, project, scenario
from trp_opt.data import vocabulary
from trp_opt.data.inputs import Carrier, ScenarioEvent, Technology
from trp_opt.data.options import FORMULATIONS, SolveOptions
from trp_opt.data.transforms import with_budget
from trp_opt.io.generate import generate_workbook
from trp_opt.io.validate import read_inputs
from trp_opt.solve.choose import choose_plan

FASTER = [f for f in FORMULATIONS if f != "reference"]
# (projects, scenarios, days, years, seed): a few kinds of generated instance, seconds each.
GENERATED = [(8, 2, 25, 2, 11), (12, 3, 30, 3, 12), (10, 3, 40, 2, 13)]


def stage_values(inputs, objective: str, formulation: str, target: int | None = None):
    chosen = choose_plan(inputs, SolveOptions(objective=objective, formulation=formulation, target=target))
    assert all(stage.proven_optimal for stage in chosen.stages)
    return {stage.name: stage.objective for stage in chosen.stages}, chosen.endurance


def assert_same_optimum(inputs, objective: str, target: int | None = None) -> dict[str, float]:
    reference, _ = stage_values(inputs, objective, "reference", target)
    for formulation in FASTER:
        found, _ = stage_values(inputs, objective, formulation, target)
        assert found.keys() == reference.keys(), formulation
        for name, value in reference.items():
            assert found[name] == pytest.approx(value, rel=1e-6, abs=1e-6), (formulation, name)
    return reference


@pytest.mark.parametrize("objective", ["maxmin", "expected"])
@pytest.mark.parametrize("index", range(2))
def test_hand_made_instances(index, objective):
    assert_same_optimum(hand_made()[index], objective)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    instances = []
    for projects, scenarios, days, years, seed in GENERATED:
        path = folder / f"g{seed}.xlsx"
        generate_workbook(path, projects, scenarios, days, years, seed)
        instances.append(read_inputs(path))
    return instances


@pytest.mark.parametrize("index", range(len(GENERATED)))
def test_generated_instances(generated, index):
    inputs = generated[index]
    worst = assert_same_optimum(inputs, "maxmin")["worst_endurance"]
    assert_same_optimum(inputs, "expected")
    # The best worst case is a target every scenario can reach: the cheapest plan that does.
    assert_same_optimum(inputs, "target", target=round(worst))


@pytest.mark.parametrize("formulation", FORMULATIONS)
@pytest.mark.parametrize("objective", ["maxmin", "expected"])
def test_skipping_the_cost_tie_break_keeps_the_endurance_stages(objective, formulation):
    inputs = hand_made()[0]
    full = choose_plan(inputs, SolveOptions(objective=objective, formulation=formulation))
    days_only = choose_plan(inputs, SolveOptions(objective=objective, formulation=formulation, cheapest=False))
    full_stages = {stage.name: stage.objective for stage in full.stages}
    short_stages = {stage.name: stage.objective for stage in days_only.stages}
    assert "total_cost" in full_stages and "total_cost" not in short_stages
    for name, value in short_stages.items():
        assert value == pytest.approx(full_stages[name], abs=1e-6), name


@pytest.mark.parametrize("formulation", FASTER)
@pytest.mark.parametrize("objective", ["maxmin", "expected"])
def test_levels_known_from_less_money_give_the_same_optimum(generated, objective, formulation):
    # What a solve proves reachable is reachable with more money: searching up from it must find
    # the same optimum as searching from scratch, at a budget a little larger and at one far larger.
    for inputs in generated:
        options = SolveOptions(objective=objective, formulation=formulation)
        smaller = choose_plan(with_budget(inputs, 0.5 * inputs.spend_limit()), options)
        assert smaller.reachable is not None
        for share in (0.51, 1.0):
            larger = with_budget(inputs, share * inputs.spend_limit())
            fresh = choose_plan(larger, options)
            warm = choose_plan(larger, options, known=smaller.reachable)
            assert warm.endurance == fresh.endurance
            assert warm.reachable == fresh.reachable
            for stage, again in zip(fresh.stages, warm.stages, strict=True):
                assert again.objective == pytest.approx(stage.objective, rel=1e-6, abs=1e-6), stage.name


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_nothing_to_fund_still_gives_the_days_the_island_has(formulation):
    # No project and no day met: the first question (are days 1..0 met?) has no column at all, which
    # HiGHS calls "Empty" and the block runner took for "no plan" (NoPlan where the plan is to buy nothing).
    # By hand: electricity from solar alone, 10 GWh a day against an essential 50 -> 0 days; at 60, every day.
    for solar, days in ((10.0, 0), (60.0, 30)):
        island = dataclasses.replace(
            base(projects=[], scenarios=[scenario(events=())]),
            carriers={"power": Carrier("power", "Electricity", "GWh", False)},
            storage={},
            imports={},
            technologies={"solar": Technology("solar", "Solar", None, "power", 1.0, solar)},
        )
        chosen = choose_plan(island, SolveOptions(formulation=formulation))
        assert chosen.plan == {}
        assert chosen.endurance == {"blockade": days}
        assert {stage.name: stage.objective for stage in chosen.stages}["total_cost"] == 0


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_a_carrier_nothing_touches_changes_nothing(formulation):
    # A carrier listed but neither imported, made, burnt nor used: its balance is 0 >= 0, which Pyomo
    # refused as a bare True (the reference formulation crashed with InvalidConstraintError).
    inputs = hand_made()[0]
    idle = dataclasses.replace(inputs, carriers={**inputs.carriers, "water": Carrier("water", "Water", "Ml", False)})
    assert stage_values(idle, "maxmin", formulation) == stage_values(inputs, "maxmin", formulation)


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_projects_that_cannot_start_within_the_plan_change_nothing(formulation):
    # Two projects whose three-year spend profiles do not fit the two plan years, one requiring the other:
    # the 'requires' row is 0 <= 0, which Pyomo refused as a bare True (InvalidConstraintError).
    inputs = hand_made()[0]
    late = [
        project("late_tank", 5, ("storage", "lng", 100), profile=(0.3, 0.3, 0.4)),
        project("late_fill", 5, ("stock", "lng", 100), profile=(0.3, 0.3, 0.4), requires=("late_tank",)),
    ]
    more = dataclasses.replace(inputs, projects={**inputs.projects, **{p.id: p for p in late}})
    assert stage_values(more, "maxmin", formulation) == stage_values(inputs, "maxmin", formulation)


def test_the_cost_stage_is_the_cost_of_the_plan_returned(tmp_path):
    # HiGHS 1.16, started from the weighted stage's plan, reported a cost of 14,647 for the reference's cost
    # stage while returning a plan that costs 55,927; the true optimum, which blocks found, is 24,967.11
    # (a plan of 14,647 lasts 21 days, not 46). Found by the random comparison of the two formulations, on an
    # instance generated (7 projects, 2 scenarios, 46 days, 5 years, seed 20065) from the bundled workbook of
    # Dec 2026 before its rebuild; kept as a file, since the generator draws from whatever is bundled now.
    inputs = read_inputs(Path(__file__).parents[1] / "support" / "highs_cost_stage_g20065.xlsx")
    chosen = choose_plan(inputs, SolveOptions(formulation="reference"))
    cost = sum(inputs.projects[p].unit_cost * units for (p, _), units in chosen.plan.items())
    stages = {stage.name: stage.objective for stage in chosen.stages}
    assert stages["total_cost"] == pytest.approx(cost) == pytest.approx(24_967.11)


SUMMER = ScenarioEvent(vocabulary.EVENT_STOCK_AT_ONSET, "lng", 1, 30, 0.5)


@pytest.mark.parametrize("formulation", ["reference", "blocks"])
def test_a_summer_onset_starts_with_half_the_stock_but_every_fill(formulation):
    # Base (tests/support/instances.py): 100 kt of LNG, 25 kt a day. A summer onset holds half of it, 50 kt: 2
    # days, where the average onset lasts 4. A fill of 50 kt is a reserve, held whatever the season: 100 kt, 4
    # days in summer, 6 on average. The worst case is the summer, and both formulations say so.
    summer = inst.scenario("summer", events=(inst.BLOCKADE, SUMMER))
    average = inst.scenario("average")
    fill = inst.project("fill", 10, ("stock", "lng", 50.0))
    bare = inst.base(scenarios=[summer, average], year_budget=0)
    _, endurance = stage_values(bare, "maxmin", formulation)
    assert endurance == {"summer": 2, "average": 4}
    funded = inst.base(scenarios=[summer, average], projects=[fill])
    values, endurance = stage_values(funded, "maxmin", formulation)
    assert endurance == {"summer": 4, "average": 6}
    assert values["worst_endurance"] == 4


def test_the_stock_at_onset_agrees_between_formulations_on_every_stage():
    summer = inst.scenario("summer", events=(inst.BLOCKADE, SUMMER), weight=2.0)
    fills = [
        inst.project("fill", 10, ("stock", "lng", 25.0), max_units=3),
        inst.project("tank", 5, ("storage", "lng", 50.0)),
    ]
    inputs = inst.base(scenarios=[summer, inst.scenario("average")], projects=fills, year_budget=20, years=(2028,))
    for objective in ("maxmin", "expected"):
        assert_same_optimum(inputs, objective)


def committed(project_, units: int, start: int | None):
    return dataclasses.replace(project_, committed_units=units, committed_start=start)


@pytest.mark.parametrize("formulation", ["reference", "blocks"])
def test_committed_units_help_the_scenarios_they_are_finished_for_at_no_cost(formulation):
    # Base: 100 kt of LNG, 25 kt a day, 4 days. A 50 kt fill already funded, started in 2029 and finished the same
    # year, helps a 2030 onset (6 days) and not a 2028 one (4 days); no money at all, so it is no purchase.
    fill = committed(inst.project("law_stock", 10, ("stock", "lng", 50.0), max_units=0), 1, 2029)
    scenarios = [inst.scenario("onset_2028", onset_year=2028), inst.scenario("onset_2030", onset_year=2030)]
    inputs = inst.base(scenarios=scenarios, projects=[fill], year_budget=0)
    values, endurance = stage_values(inputs, "maxmin", formulation)
    assert endurance == {"onset_2028": 4, "onset_2030": 6}
    assert values["total_cost"] == 0
    # Already in service (no start year): both.
    inputs = inst.base(scenarios=scenarios, projects=[committed(fill, 1, None)], year_budget=0)
    assert stage_values(inputs, "maxmin", formulation)[1] == {"onset_2028": 6, "onset_2030": 6}


def test_committed_units_agree_between_formulations_on_every_stage():
    # A committed tank (room) finished for the later onset only, beside fills the budget buys: the room the
    # tank brings decides how much fill is worth buying.
    tank = committed(inst.project("tank", 30, ("storage", "lng", 50.0), max_units=1), 1, 2028)
    fill = inst.project("fill", 10, ("stock", "lng", 25.0), max_units=4)
    scenarios = [inst.scenario("early", onset_year=2028), inst.scenario("late", onset_year=2030, weight=2.0)]
    inputs = inst.base(room=120.0, scenarios=scenarios, projects=[tank, fill], year_budget=25, years=(2027, 2028))
    for objective in ("maxmin", "expected"):
        assert_same_optimum(inputs, objective)


def windowed(project_, first: int, last: int | None):
    """The project with every effect acting on crisis days first..last only (models/endurance.md, (8))."""
    effects = tuple(dataclasses.replace(e, first_day=first, last_day=last) for e in project_.effects)
    return dataclasses.replace(project_, effects=effects)


def assured_share(value: float, first: int = 1, last: int = 30) -> ScenarioEvent:
    return ScenarioEvent(vocabulary.EVENT_ASSURED_SHARE, "lng", first, last, value)


@pytest.mark.parametrize("formulation", ["reference", "blocks"])
def test_chartered_cargoes_bring_lng_through_a_blockade_at_the_share_that_gets_through(formulation):
    # Base: 100 kt of LNG, 25 kt a day, no imports in the blockade: 4 days. A charter brings 12.5 kt a day: the
    # stock falls by 12.5 a day, 8 days. If 60% gets through (7.5 kt), by 17.5 a day: 100 / 17.5 = 5.7, 5 days.
    charter = inst.project("charter", 10, ("assured import", "lng", 12.5))
    through = inst.scenario("through")
    partly = inst.scenario("partly", events=(inst.BLOCKADE, assured_share(0.6)))
    stopped = inst.scenario("stopped", events=(inst.BLOCKADE, assured_share(0.0)))
    inputs = inst.base(scenarios=[through, partly, stopped], projects=[charter])
    _, endurance = stage_values(inputs, "maxmin", formulation)
    assert endurance == {"through": 8, "partly": 5, "stopped": 4}


@pytest.mark.parametrize("formulation", ["reference", "blocks"])
def test_cargoes_that_arrive_from_a_day_on_help_only_if_the_stock_lasts_until_then(formulation):
    # 250 kt of LNG at 25 kt a day: 10 days. A charter of 25 kt a day from day 11 on carries the island to the
    # horizon (30); one that arrives on day 12 comes a day too late: 10 days. A carrier with no normal import
    # (none at all here) is imported by the charter alone.
    for first, days in ((11, 30), (12, 10)):
        charter = windowed(inst.project("charter", 10, ("assured import", "lng", 25.0)), first, None)
        inputs = inst.base(stock=250.0, room=300.0, daily_import=0.0, projects=[charter])
        assert stage_values(inputs, "maxmin", formulation)[1] == {"blockade": days}, first


@pytest.mark.parametrize("formulation", ["reference", "blocks"])
def test_drills_that_relieve_week_one_only(formulation):
    # 200 kt of LNG, 25 kt a day: 8 days. Drills relieve 20% (20 kt a day) on days 1-7 only: 140 kt by day 7,
    # then 25 a day: day 9 ends at 190, day 10 would need 215: 9 days. Relief on every day: 200 / 20 = 10 days.
    drills = inst.project("drills", 1, ("relief", "power", 0.2), category="training")
    for project_, days in ((windowed(drills, 1, 7), 9), (drills, 10)):
        inputs = inst.base(stock=200.0, room=300.0, projects=[project_], max_relief=0.2)
        assert stage_values(inputs, "maxmin", formulation)[1] == {"blockade": days}


@pytest.mark.parametrize("formulation", ["reference", "blocks"])
def test_a_repair_ship_that_arrives_late_or_leaves_early(formulation):
    # The farm (tests/support/instances.py): 10 kt of food a day lost from day 1, a 3-day repair delay, a stock of
    # 60 kt. Crews restoring 2 kt a day from day 4: shortfalls 10, 10, 10, 8, 6, 4, 2 = 50 kt, then none: the
    # horizon (30 days). Crews from day 6 only: 10 × 5 + 8 = 58 by day 6, day 7 needs 6 more: 6 days. Crews on days
    # 4-7 only: 50 by day 7, then 2 a day short for good: 60 at day 12, 12 days.
    crews = inst.project("crews", 5, ("repair", "farms", 2.0), category="training")
    for project_, days in ((crews, 30), (windowed(crews, 6, None), 6), (windowed(crews, 4, 7), 12)):
        inputs = inst.farm(stock=60.0, projects=[project_])
        assert stage_values(inputs, "maxmin", formulation)[1] == {"strike": days}


def test_windows_and_assured_imports_agree_between_formulations_on_every_stage():
    # Money buys either chartered cargoes (which only partly get through in one scenario and arrive on day 3),
    # relief in week one or tanks and fills: the three stages must agree.
    projects = [
        windowed(inst.project("charter", 12, ("assured import", "lng", 10.0), max_units=2), 3, None),
        windowed(inst.project("drills", 4, ("relief", "power", 0.1), max_units=2, category="training"), 1, 7),
        inst.project("fill", 10, ("stock", "lng", 25.0), max_units=3),
        inst.project("tank", 5, ("storage", "lng", 50.0)),
    ]
    scenarios = [
        inst.scenario("blockade", weight=2.0),
        inst.scenario("quarantine", events=(inst.BLOCKADE, assured_share(0.5, 5, 30))),
    ]
    inputs = inst.base(projects=projects, scenarios=scenarios, max_relief=0.2, year_budget=30, years=(2028,))
    for objective in ("maxmin", "expected"):
        assert_same_optimum(inputs, objective)
