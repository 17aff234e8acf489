"""The progress bar counts real work: each step that asks several questions tells how many it has answered of how
many, so the terminal's bar (cli._QuestionsBar) can show the time left. Read from the calls themselves."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.support.workbooks import small_workbook
from trp_opt.analysis.diagnosis import explained
from trp_opt.app.compare import compare_workbooks
from trp_opt.app.solve import solve_workbook
from trp_opt.data.errors import NoPlan
from trp_opt.data.options import SolveOptions
from trp_opt.io import schema
from trp_opt.io.template import write_input_workbook
from trp_opt.io.validate import read_inputs
from trp_opt.solve.choose import choose_plan


class Recorded:
    """The (answered, asked) counts told in each step, the step named by the last progress line."""

    def __init__(self) -> None:
        self.step = ""
        self.counts: dict[str, set[tuple[int, int]]] = defaultdict(set)

    def progress(self, message: str) -> None:
        self.step = message.split(":")[0]

    def answered(self, done: int, asked: int) -> None:
        self.counts[self.step].add((done, asked))


def two_blockades(rows) -> None:
    """A blockade in 2027 besides the one in 2028 (tests/io/test_printing.py: 3 and 11 days)."""
    rows["Scenarios"].insert(0, {**rows["Scenarios"][0], "Scenario ID": "early", "Name": "Blockade 2027"})
    rows["Scenarios"][0]["Onset year"] = 2027
    rows["ScenarioEvents"].append({**rows["ScenarioEvents"][0], "Scenario ID": "early"})


def test_solve_counts_each_scenarios_search_and_explanation(tmp_path):
    source = small_workbook(tmp_path / "two.xlsx", two_blockades)
    recorded = Recorded()
    solve_workbook(
        source,
        tmp_path / "plan.xlsx",
        SolveOptions(),
        progress=recorded.progress,
        value=False,
        answered=recorded.answered,
    )
    # Each scenario's best weighted days is a search of its own, and each scenario's explanation a set of LPs: two
    # questions each, counted as they are answered (the 'Finding' step once took a minute on the bundled workbook
    # with no bar).
    assert recorded.counts["Finding the best weighted endurance"] == {(1, 2), (2, 2)}
    assert recorded.counts["Explaining the plan"] == {(1, 2), (2, 2)}


def test_compare_counts_the_questions_of_each_of_its_solves(tmp_path):
    def with_room(rows) -> None:
        rows["Policy"][0]["Amount"] = 110

    base = small_workbook(tmp_path / "base.xlsx", with_room)
    cut = tmp_path / "cut.xlsx"
    write_input_workbook(cut, {"Budget": [{"Amount": 80}]}, money_unit="NT$ million", sheets=schema.PROPOSAL_SHEETS)
    recorded = Recorded()
    options = SolveOptions()
    compare_workbooks(
        base, cut, tmp_path / "compare.xlsx", options, progress=recorded.progress, answered=recorded.answered
    )
    # Today's plan and the same money's best use (here also the proposal as written), solved side by side, are
    # counted as solves; the budget lifted, a solve alone, by its weighted search; and each explanation and each
    # explaining sheet's questions.
    assert recorded.counts["Solving side by side"] == {(1, 2), (2, 2)}
    steps = {step for step, counts in recorded.counts.items() if (1, 1) in counts}
    assert {
        "[lifting Budget!B2] Finding the best weighted endurance",
        "[proposal as written] Explaining the plan",
    } <= steps, sorted(recorded.counts)
    assert any(step.startswith("[proposal as written] Limits") for step in recorded.counts), sorted(recorded.counts)


def test_a_target_no_plan_reaches_alone_is_counted_out_before_the_cost_stage(tmp_path):
    # 5 days in every scenario: Blockade 2027 comes before the tank (a year's lead time), so it lasts 3 days whatever
    # is bought. Each target is asked on its own first, counted; the cost stage (a MIP that took minutes on the
    # bundled workbook to prove it had no plan) is never reached.
    inputs = read_inputs(small_workbook(tmp_path / "two.xlsx", two_blockades))
    recorded = Recorded()
    steps: list[str] = []

    def progress(message: str) -> None:
        steps.append(message)
        recorded.progress(message)

    options = SolveOptions(objective="target", target=5)
    with pytest.raises(NoPlan) as no_plan:
        choose_plan(inputs, options, progress, answered=recorded.answered)
    assert recorded.counts["Checking each scenario's target on its own"] == {(1, 2), (2, 2)}
    assert not any(step.startswith("Finding the cheapest plan") for step in steps)
    # The diagnosis names that target and the days within reach, and blames no budget (the elastic model it no
    # longer needs named the 2027 budget on the bundled workbook, after minutes).
    assert no_plan.value.beyond_reach == ("early",)
    assert explained(no_plan.value, options).conflicts == [
        "--target option: the target of 5 days for Blockade 2027 cannot be reached by any plan within the rules, "
        "even with no other target asked; at most 3 days are reachable in this scenario, whatever the money: Max "
        "units, lead times or Requires hold it back.",
        "Whether the other targets hold together is asked once these come down.",
    ]
    # Targets every scenario reaches on its own go on to the cost stage: 3 days need nothing bought (90 kt, 25 a day).
    chosen = choose_plan(inputs, SolveOptions(objective="target", target=3))
    assert chosen.plan == {} and min(chosen.endurance.values()) == 3
