"""What limits each scenario (trp_opt.analysis.limits), on instances whose limits are known by hand.

The base instance (tests/support/instances.py): 100 kt of LNG, no imports in the blockade, 25 kt a day
needed, so 4 days; a 'fill' adds 25 kt (one day) for NT$ 4 M a unit, with room for all of it.
"""

from __future__ import annotations

import dataclasses

import pytest
from typer.testing import CliRunner

import trp_opt.analysis.limits as limits_module
import trp_opt.solve.block_runner as block_runner_module
from tests.support.instances import base, project, scenario
from tests.support.random_instances import random_instance
from tests.support.workbooks import small_workbook
from trp_opt.analysis.explanation import explain_plan
from trp_opt.analysis.limits import what_limits
from trp_opt.cli import app
from trp_opt.data import vocabulary
from trp_opt.data.errors import NoPlan
from trp_opt.data.explanations import WORST
from trp_opt.data.inputs import Carrier, PolicyRule, Storage
from trp_opt.data.options import SolveOptions
from trp_opt.reports.limits import limit_sentences
from trp_opt.reports.sentences import unspent_sentence
from trp_opt.solve.block_runner import BlockRunner
from trp_opt.solve.choose import choose_plan

OPTIONS = SolveOptions()


def limits_of(inputs):
    chosen = choose_plan(inputs, OPTIONS)
    return chosen, what_limits(inputs, chosen, OPTIONS)


def gains(limits) -> dict[str, int]:
    """Worst-case days gained per rule lifted, for the rules that gain any."""
    return {lift.rule: limits.worst_gain(lift) for lift in limits.lifts if limits.worst_gain(lift)}


def fills(cost: float, most: int, **options):
    return project("fill", cost, ("stock", "lng", 25.0), max_units=most, **options)


def two_onsets():
    """A short blockade in 2027 and a long one in 2028; fills of 25 kt ready a year after they start."""
    return base(
        room=1000,
        years=(2027, 2028),
        year_budget=40,
        scenarios=[scenario("early", onset_year=2027), scenario("late", onset_year=2028)],
        projects=[fills(4, 40, lead_time=1)],
    )


@pytest.mark.parametrize(
    "budget, days, change",
    [
        # NT$ 40 M buys 10 fills: 100 + 250 kt, 14 days. 10% more (NT$ 4 M) buys one more fill: 15 days.
        (40, 14, "10% higher (NT$ 4 million more)"),
        # At a budget of 0 the island lasts 4 days; 10% of 0 buys nothing and said that no rule holds the plan back,
        # while the price of the next day said NT$ 4 M buys a day. The lift is the cheapest unit that fits: one fill.
        (0, 4, "NT$ 4 million more, the cheapest unit that fits (10% would be NT$ 0 million)"),
    ],
)
def test_a_years_budget_that_binds_gains_exactly_what_it_buys(budget, days, change):
    inputs = base(room=1000, years=(2028,), year_budget=budget, projects=[fills(4, 20)])
    chosen, limits = limits_of(inputs)
    assert chosen.endurance == {"blockade": days}
    assert gains(limits) == {"Budget 2028": 1}
    lift = next(lift for lift in limits.lifts if lift.rule == "Budget 2028")
    assert (lift.change, lift.bests) == (change, {"blockade": days + 1})
    # The plan funds fewer than its 20 units: Max units is not what holds it back, and is not re-solved.
    why = f"the plan funds {days - 4} of its 20 units"
    assert [(s.rule, s.why) for s in limits.skipped] == [("Max units of fill", why)]


def test_max_units_that_bind_gain_one_unit_s_days():
    # Money for all, but at most 3 fills: 175 kt, 7 days; a fourth fill: 8 days. The budget gains nothing.
    inputs = base(room=1000, years=(2028,), year_budget=1000, projects=[fills(4, 3)])
    chosen, limits = limits_of(inputs)
    assert chosen.endurance == {"blockade": 7}
    assert gains(limits) == {"Max units of fill": 1}
    assert {lift.rule for lift in limits.lifts} == {"Budget 2028", "Max units of fill"}
    assert limits.skipped == []


def test_a_project_whose_units_are_all_committed_is_not_for_sale():
    # A law already holds 25 kt more (a committed fill, Max units 0, no cost): the island lasts 5 days and no
    # money buys more. Lifting its Max units would hand out a free unit: it is skipped, saying why, and nothing
    # holds the worst case back within the rules the budget can move.
    law = dataclasses.replace(fills(0, 0), id="law", name="law", committed_units=1)
    inputs = base(room=1000, years=(2028,), year_budget=40, projects=[law])
    chosen, limits = limits_of(inputs)
    assert chosen.endurance == {"blockade": 5}
    assert gains(limits) == {}
    assert [(s.rule, s.why) for s in limits.skipped] == [
        ("Max units of law", "all its units are committed outside this budget; none is for sale")
    ]


def test_a_cap_of_zero_is_not_lifted_by_ten_percent_of_nothing():
    cap = PolicyRule("keep_out", vocabulary.RULE_CATEGORY_CAP, 0.0, category="ammunition", cell="Policy!E3")
    inputs = dataclasses.replace(base(room=1000, years=(2028,), year_budget=40, projects=[fills(4, 20)]), policy=(cap,))
    _, limits = limits_of(inputs)
    assert "Cap on ammunition (keep_out)" not in {lift.rule for lift in limits.lifts}
    assert ("Cap on ammunition (keep_out)", "Policy!E3") in {(s.rule, s.cell) for s in limits.skipped}


def test_a_lead_time_that_misses_the_onset():
    # A 100 kt fill that takes two years: started in 2027 it is ready in 2029, after the 2028 onset, so the
    # plan buys nothing (4 days). One year shorter, it is ready in 2028: 8 days.
    slow = project("fill", 10, ("stock", "lng", 100.0), lead_time=2)
    inputs = base(room=1000, years=(2027, 2028), year_budget=100, projects=[slow])
    chosen, limits = limits_of(inputs)
    assert chosen.plan == {} and chosen.endurance == {"blockade": 4}
    assert gains(limits) == {"Lead time of fill": 4}


def test_each_scenario_has_its_own_limits():
    # A short blockade in 2027 and a long one in 2028; a fill of 25 kt ready in 2028 only (lead time 1).
    # The worst case is 2027's 4 days; 2028 gets the fills (NT$ 40 M: 10, 14 days) and is held by the 2027
    # budget, which is where they start; a lead time one year shorter would help 2027 too.
    inputs = two_onsets()
    chosen, limits = limits_of(inputs)
    assert limits.worst == 4 and limits.bests == {"early": 4, "late": 14}
    by_rule = {lift.rule: lift for lift in limits.lifts}
    assert limits.worst_gain(by_rule["Lead time of fill"]) == 10  # 2027's NT$ 40 M in fills, ready in time
    assert limits.gain(by_rule["Budget 2027"], "late") == 1
    assert limits.gain(by_rule["Budget 2027"], "early") == 0
    assert limits.gain(by_rule["Budget 2028"], "late") == 0  # units started in 2028 are too late for it


def test_a_requirement_no_project_acts_on_is_named():
    # The only project stocks food; electricity (from LNG) fails first, and nothing acts on it.
    food = project("granary", 5, ("stock", "food", 10.0))
    inputs = base(years=(2028,), projects=[food])
    inputs = dataclasses.replace(
        inputs,
        carriers={**inputs.carriers, "food": Carrier("food", "Food", "kt", True)},
        storage={**inputs.storage, "food": Storage("food", 0.0, 100.0)},
    )
    chosen, limits = limits_of(inputs)
    assert gains(limits) == {}
    solution = explain_plan(inputs, chosen, OPTIONS)
    sentences = limit_sentences(inputs, limits, solution.scenarios)
    assert sentences[0] == (
        "No rule lifted here gains the worst case (4 days) a day: Electricity falls short first "
        "(day 5 of Blockade), and no project acts on Electricity."
    )


def test_a_project_on_what_the_failing_requirement_is_made_from_acts_on_it():
    # Electricity is made from LNG: a fill acts on it, though here the tanks are full and it adds nothing.
    fill = project("fill", 5, ("stock", "lng", 10.0))
    inputs = base(stock=100.0, room=100.0, years=(2028,), projects=[fill])
    chosen, limits = limits_of(inputs)
    assert gains(limits) == {}
    solution = explain_plan(inputs, chosen, OPTIONS)
    assert limit_sentences(inputs, limits, solution.scenarios)[0] == (
        "No rule lifted here gains the worst case (4 days) a day: Electricity falls short first (day 5 of "
        "Blockade); the projects that act on it (fill) cannot add a day within any one rule lifted."
    )


@pytest.mark.parametrize("seed", range(6))
def test_lifting_in_groups_finds_what_lifting_each_rule_alone_finds(seed):
    # Groups are split only where they gain: every rule's gains must equal those of lifting it alone.
    inputs = random_instance(seed)
    try:
        chosen, limits = limits_of(inputs)
    except NoPlan:
        pytest.skip("no plan in this instance")
    candidates, _ = limits_module.rules_to_lift(inputs, chosen.plan)
    known = {WORST: limits.worst, **limits.bests}
    measures = [
        m for m in known if known[m] < ({limits_module.WORST: min(limits.horizons.values())} | limits.horizons)[m]
    ]
    by_rule = {lift.rule: lift for lift in limits.lifts}
    for rule in candidates:
        runner = BlockRunner(rule.apply(inputs), OPTIONS)
        alone, _ = limits_module.levels_after(runner, known, measures, one_more=False)
        assert by_rule[rule.name].worst == alone[limits_module.WORST], rule.name
        assert by_rule[rule.name].bests == {s: alone[s] for s in inputs.scenarios}, rule.name


def test_runners_with_budgets_lifted_share_the_scenario_models(monkeypatch):
    # A budget lifted changes only the investments' rows, which a scenario's piece of the model never reads: every
    # lifted runner (both budgets together, then each alone) asks on the same pieces, built once (PieceStore).
    built = []
    build = block_runner_module.scenario_piece

    def counted(inputs, invest, crisis, blocks, *more, **named):
        built.append((crisis.id, tuple(blocks)))
        return build(inputs, invest, crisis, blocks, *more, **named)

    inputs = base(
        room=1000,
        years=(2027, 2028),
        year_budget=8,
        scenarios=[scenario("early", onset_year=2027), scenario("late", onset_year=2028)],
        projects=[fills(4, 40)],
    )
    chosen = choose_plan(inputs, OPTIONS)
    floors = block_runner_module.floors_of(inputs, OPTIONS.days_only())  # days every plan lasts: with no plan held
    monkeypatch.setattr(block_runner_module, "scenario_piece", counted)
    limits = what_limits(inputs, chosen, OPTIONS, floors=floors)
    assert sorted(lift.rule for lift in limits.lifts) == ["Budget 2027", "Budget 2028"]
    assert gains(limits) == {"Budget 2027": 1}  # 10% of NT$ 8 M is less than a unit: the cheapest unit, a day more
    assert built and len(built) == len(set(built))


@pytest.mark.parametrize("objective, formulation", [("expected", "blocks"), ("maxmin", "reference")])
def test_the_limits_do_not_depend_on_how_the_plan_was_chosen(objective, formulation):
    # Under 'expected' the solve proves no worst case, and the reference proves no levels: the limits
    # measure from the plan's own days, and find what the maxmin solve by blocks proved.
    inputs = two_onsets()
    _, expected = limits_of(inputs)
    options = SolveOptions(objective=objective, formulation=formulation)
    found = what_limits(inputs, choose_plan(inputs, options), options)
    assert (found.worst, found.bests) == (expected.worst, expected.bests)
    assert [(lift.rule, lift.worst, lift.bests) for lift in found.lifts] == [
        (lift.rule, lift.worst, lift.bests) for lift in expected.lifts
    ]


def test_a_worst_case_that_rests_on_assumptions_says_so():
    # The worst case is held by Max units of fill, and the LNG stock runs out: both rows' Sources begin with
    # 'assumption', so the sentence names them and their Source cells; a sourced row is not named.
    inputs = base(room=1000, years=(2028,), year_budget=1000, projects=[fills(4, 3)])
    inputs = dataclasses.replace(
        inputs,
        sources={
            ("Projects", "fill"): ("assumption: three fills is what the terminal takes", "Projects!J2"),
            ("Storage", "lng"): ("Assumption, no public figure", "Storage!E2"),
            ("Demands", "power"): ("Ministry statistics, 2025", "Demands!E2"),
        },
    )
    chosen, limits = limits_of(inputs)
    solution = explain_plan(inputs, chosen, OPTIONS)
    sentences = limit_sentences(inputs, limits, solution.scenarios)
    assert sentences[1] == (
        "The worst case rests on assumptions (Source says so, no public figure): Max units of fill (Projects!J2); "
        "the LNG stock (Storage!E2)."
    )


def test_money_left_unspent_says_what_keeps_it_from_buying_days():
    # NT$ 40 M, fills at NT$ 4 M but at most 3: NT$ 28 M is left, and Max units is what holds the plan back.
    inputs = base(room=1000, years=(2028,), year_budget=40, projects=[fills(4, 3)])
    chosen, limits = limits_of(inputs)
    solution = dataclasses.replace(explain_plan(inputs, chosen, OPTIONS), limits=limits)
    assert unspent_sentence(solution) == (
        "NT$ 28 million of the budget is left unspent: no unit it could buy adds a day within the rules; what holds "
        "the worst case back instead: Max units of fill (sheet Limits)."
    )
    # Without the Limits sheet it still says which rules can keep money out; and spent in full, nothing.
    assert "a year's budget, a Policy cap, Max units" in (unspent_sentence(explain_plan(inputs, chosen, OPTIONS)) or "")
    spent = base(room=1000, years=(2028,), year_budget=12, projects=[fills(4, 3)])
    assert unspent_sentence(explain_plan(spent, choose_plan(spent, OPTIONS), OPTIONS)) is None


def test_limits_and_the_price_of_the_next_day_never_contradict(tmp_path):
    # The small workbook at NT$ 0 lasts 3 days (90 kt of LNG at 25 kt a day). A day more needs a tank and a fill
    # (NT$ 80 M, the tank a year ahead of its fill): every year's budget at NT$ 50 M, NT$ 100 M in all. Limits lifts
    # the budget by its cheapest unit that fits (NT$ 30 M), which buys no day; its sentence said 'no rule lifted
    # here gains it a day' beside the price sheet's 'day 4 costs NT$ 100 million more'.
    source = small_workbook(tmp_path / "small.xlsx")
    result = CliRunner().invoke(app, ["solve", str(source), "--budget", "0", "-o", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 0, result.output
    assert "The worst case: day 4 costs NT$ 100 million more, funding 1 × LNG fill, 1 × LNG tank." in result.output
    money_buys = (
        "no rule lifted here gains it a day; more money does, in a larger step than any lift here: day 4 costs "
        "NT$ 100 million more (sheet Price of the next day)."
    )
    assert f"Blockade 2028 (at most 3 days while the others keep the worst case): {money_buys}" in result.output
    assert "gains the worst case (3 days) a day; more money does" in result.output
