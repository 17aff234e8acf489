"""Infeasibility explained (issue 5): the fewest rules that must move, by how much, against which rules.

Every instance is small and its answer worked out by hand; HiGHS solves the elastic model for real.
"""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.instances import base, project, scenario, total_budget
from tests.support.workbooks import small_workbook, stockpiles_floor_beyond_reach
from trp_opt.analysis.diagnosis import ElasticRule, diagnose, explain_infeasibility, explained
from trp_opt.cli import app
from trp_opt.data import vocabulary
from trp_opt.data.errors import NoPlan
from trp_opt.data.inputs import PolicyRule
from trp_opt.data.money import money_text as money
from trp_opt.data.options import SolveOptions
from trp_opt.solve.choose import choose_plan

OPTIONS = SolveOptions()


def floor(rule_id: str, amount: float, category: str, year: int | None = None, cell: str = "") -> PolicyRule:
    return PolicyRule(rule_id, vocabulary.RULE_CATEGORY_FLOOR, amount, category=category, year=year, cell=cell)


def test_money_is_written_one_way_in_the_analysts_currency():
    """One way in every sheet and sentence (data/money.py): before, "NT$ 10,000 million", "NT$12,000 million" and
    "NT$ million 30" all appeared."""
    assert money(12_000, "NT$ million") == "NT$ 12,000 million"
    assert money(2_350.0000001, "NT$ million") == "NT$ 2,350 million"
    assert money(12.5, "EUR million") == "12.5 EUR million"
    assert money(0.25, "NT$ million") == "NT$ 0.25 million"  # an entry price below a million is not 0
    assert money(-5, "NT$ million") == "-NT$ 5 million"
    assert money(40, "US$") == "US$ 40"


def test_budget_too_small_for_two_floors():
    # 2027: training ≥ 120 and stockpiles ≥ 100 need 220 of a 150 budget: 70 short. One rule must move
    # (fewest); relative to its own size the budget moves least (70/150 = 0.47 < 70/120 = 0.58 < 70/100).
    # Both floors are at their limit, and lifting either would shrink the move: they are the conflict.
    projects = [
        project("drill", 10, category="training", max_units=20),
        project("fill", 10, ("stock", "lng", 10), max_units=20),
    ]
    rules = (
        floor("training", 120, "training", 2027, "Policy!E2"),
        floor("stock", 100, "stockpiles", 2027, "Policy!E3"),
    )
    inputs = base(projects=projects, year_budget=150, policy=rules)
    inputs = dataclasses.replace(inputs, year_budget_cells={2027: "Years!B2", 2028: "Years!B3"})
    with pytest.raises(NoPlan) as failure:
        choose_plan(inputs, OPTIONS)
    problem = explained(failure.value, OPTIONS)
    assert problem.conflicts == [
        "Years!B2: the 2027 budget of NT$ 150 million must rise by NT$ 70 million (to NT$ 220 million) to allow "
        "the training floor in 2027 (Policy!E2, NT$ 120 million) and the stockpiles floor in 2027 (Policy!E3, NT$ 100 million)."
    ]
    [row] = problem.rows
    assert (row["Cell"], row["Must"], row["By"]) == ("Years!B2", "rise", pytest.approx(70))


def test_floor_beyond_the_yearly_budget_names_both_cells():
    # Training ≥ 12,000 over all years; each year's budget is 5,000 and a drill costs 1,000 (max 20):
    # 10,000 can be spent in all, so the floor is 2,000 too high (2,000/12,000 = 0.17 of the floor, less
    # than raising either year's budget by 2,000: 0.4). Both budgets are spent to the limit.
    drill = project("drill", 1000, category="training", max_units=20)
    inputs = base(projects=[drill], year_budget=5000, policy=(floor("training", 12000, "training", cell="Policy!E4"),))
    inputs = dataclasses.replace(inputs, year_budget_cells={2027: "Years!B2", 2028: "Years!B3"})
    with pytest.raises(NoPlan) as failure:
        choose_plan(inputs, OPTIONS)
    assert explained(failure.value, OPTIONS).conflicts == [
        "Policy!E4: the training floor of NT$ 12,000 million exceeds what the 2027 budget (Years!B2, NT$ 5,000 million) "
        "and the 2028 budget (Years!B3, NT$ 5,000 million) leave by NT$ 2,000 million; it must come down to NT$ 10,000 million."
    ]


def test_two_separate_conflicts_are_both_reported():
    # 2027 has 20 to spend. A stockpiles cap of 5 cannot hold a stockpiles floor of 15, and training
    # needs 30. No single rule fixes both: two must move. Lowering the stockpiles floor by 10 (to the cap:
    # 10/15 = 0.67) leaves 20 − 5 = 15 for training, whose floor must come down by 15 (15/30 = 0.5):
    # 1.17 in all, less than raising the cap (10/5 = 2) or the budget by 15 (0.75) with the floor −10.
    projects = [
        project("drill", 5, category="training", max_units=10),
        project("fill", 5, ("stock", "lng", 10), max_units=5),
    ]
    rules = (
        floor("training", 30, "training", 2027, "Policy!E2"),
        PolicyRule("cap", vocabulary.RULE_CATEGORY_CAP, 5, category="stockpiles", cell="Policy!E3"),
        floor("stock", 15, "stockpiles", cell="Policy!E4"),
    )
    inputs = base(projects=projects, years=(2027,), year_budget=20, policy=rules)
    found = diagnose(inputs, {}, OPTIONS)
    moved = {c.rule.cell: pytest.approx(c.change) for c in found.conflicts}
    assert moved == {"Policy!E2": 15, "Policy!E4": 10}
    assert "must move (2)" in found.summary


def test_unreachable_target_reports_the_most_days_per_scenario():
    # Fills: +100 kt each, cost 10, lead time 0; room 1,000 kt; LNG 25 kt/day. The total budget of 10
    # buys one fill: 200 kt, 8 days, in either scenario. Targets: 8 days in 2027 (reachable), 12 in 2028
    # (needs 300 kt: two fills). The budget rules hold on their own, so the 2028 target must come down
    # by 4 days; the most reachable there is 8 days, and the total budget is what limits it.
    fill = project("fill", 10, ("stock", "lng", 100), max_units=2)
    scenarios = [scenario("early", onset_year=2027, target=8), scenario("late", onset_year=2028, target=12)]
    scenarios = [dataclasses.replace(s, target_cell=f"Scenarios!G{i + 2}") for i, s in enumerate(scenarios)]
    inputs = base(projects=[fill], scenarios=scenarios, room=1000, policy=(total_budget(10, cell="Policy!E2"),))
    with pytest.raises(NoPlan) as failure:
        choose_plan(inputs, SolveOptions(objective="target"))
    problem = explained(failure.value, SolveOptions(objective="target"))
    assert problem.conflicts == [
        "Scenarios!G3: the target of 12 days for Late cannot be reached by any plan within the rules; at most 8 days "
        "are reachable in this scenario; held back by the total budget (Policy!E2, NT$ 10 million)."
    ]
    assert problem.rows[0]["Largest reachable (days)"] == 8


def test_targets_reachable_alone_but_not_together():
    # The same fill, with a 2027 and a 2028 budget of 10 each and a total budget of 10: the early scenario
    # needs the fill started in 2027 (12 days → 300 kt → two fills: unreachable, 8 alone); to reach the
    # late target of 8 a 2028 fill is enough. Alone, each reaches 8 days; the early target of 12 must come
    # down to 8.
    fill = project("fill", 10, ("stock", "lng", 100), max_units=2)
    scenarios = [scenario("early", onset_year=2027, target=12), scenario("late", onset_year=2028, target=8)]
    inputs = base(projects=[fill], scenarios=scenarios, room=1000, year_budget=10, policy=(total_budget(10),))
    found = diagnose(inputs, {"early": 12, "late": 8}, OPTIONS)
    [conflict] = found.conflicts
    assert conflict.rule.key == "target:early" and conflict.reachable == 8
    assert conflict.change == pytest.approx(4)


def test_extra_named_rules_are_relaxed_too():
    # A later proposal may earmark units: here 'fund 2 tanks' (cost 50 each) with a 2028 budget of 60.
    # Fewest rules: one, either the budget +40 (40/60 = 0.67) or the earmark −1 unit (1/2 = 0.5): the earmark.
    tank = project("tank", 50, ("storage", "lng", 100), max_units=2)
    inputs = base(projects=[tank], years=(2028,), year_budget=60)
    inputs = dataclasses.replace(inputs, year_budget_cells={2028: "Years!B2"})
    earmark = ElasticRule(
        "earmark:tank",
        "Proposal!C4",
        "the earmark for LNG tanks",
        2,
        "units",
        "come down",
        bound=2,
        scale=2,
        constraint=lambda m, slack: sum(m.build["tank", y] for y in (2028,)) + slack >= 2,
    )
    problem = explain_infeasibility(inputs, {}, OPTIONS, extra_rules=[earmark])
    assert problem.conflicts == [
        "Proposal!C4: the earmark for LNG tanks of 2 units exceeds what the 2028 budget (Years!B2, NT$ 60 million) "
        "leaves by 1 units; it must come down to 1 units."
    ]


def test_cli_prints_the_conflict_writes_a_diagnosis_and_keeps_the_earlier_plan(tmp_path):
    runner = CliRunner()
    out = tmp_path / "plan.xlsx"
    good = small_workbook(tmp_path / "good.xlsx")
    assert runner.invoke(app, ["solve", "--quiet", str(good), "-o", str(out)]).exit_code == 0
    earlier = out.read_bytes()

    source = small_workbook(tmp_path / "rules.xlsx", stockpiles_floor_beyond_reach)
    before = source.read_bytes()
    result = runner.invoke(app, ["solve", "--quiet", str(source), "-o", str(out)])
    assert result.exit_code == 3, result.output
    sentence = (
        "Policy!E3: the stockpiles floor of NT$ 500 million exceeds the most that can be spent on it by "
        "NT$ 340 million; it must come down to NT$ 160 million."
    )
    assert sentence in result.output
    assert out.read_bytes() == earlier and source.read_bytes() == before
    diagnosis = tmp_path / "plan-diagnosis.xlsx"
    assert f"this diagnosis is also in {diagnosis}" in result.output
    sheet = openpyxl.load_workbook(diagnosis)["Diagnosis"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r[0] == "Cell"))
    table = [dict(zip(rows[header], r)) for r in rows[header + 1 :]]
    assert table[0]["Cell"] == "Policy!E3" and table[0]["By"] == pytest.approx(340)
    assert table[0]["By unit"] == "NT$ million" and table[0]["Explanation"] == sentence
    assert all(c.data_type == "s" for c in sheet["A"] if isinstance(c.value, str))
