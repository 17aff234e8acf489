"""Proposal workbooks and `trp-opt compare`, on the small workbook of tests/workbooks.py, solved by HiGHS.

The instance (by hand, see tests/workbooks.py): usable LNG 90 kt at 25 kt/day lasts 3 days; a tank
(NT$ 50 M, lead 1 year, so it must start in 2027) adds 100 kt of room; each fill (NT$ 30 M, requires
the tank, at most 2) adds 100 kt of stock, i.e. 4 days. Here the total budget is NT$ 110 M, exactly
a tank and two fills: 290 kt usable, 11 days. A 'decoy' project (grid, NT$ 30 M a unit, at most 2) does nothing.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.workbooks import PLAN_SHEETS, small_workbook
from trp_opt.analysis import compare as compare_module
from trp_opt.analysis.compare import compare_proposal
from trp_opt.cli import app
from trp_opt.data.errors import Infeasible, InvalidInputs
from trp_opt.data.options import SolveOptions
from trp_opt.io import schema
from trp_opt.io.proposal import read_proposal
from trp_opt.io.template import write_input_workbook
from trp_opt.reports.sentences import answer_sentence, day_count
from trp_opt.solve.parallel import parallel_questions, set_parallel_questions

runner = CliRunner()
OPTIONS = SolveOptions()
BEST_DAYS = 11  # tank + 2 fills
DAYS_PER_FILL = 4  # 100 kt ÷ 25 kt/day
parallel_questions_before = parallel_questions()


def with_decoy(rows) -> None:
    rows["Policy"][0]["Amount"] = 110
    rows["Projects"].append(
        {"Project ID": "decoy", "Name": "Decoy", "Category": "grid", "Unit cost": 30, "Max units": 2, "Lead time": 0}
    )


@pytest.fixture
def base(tmp_path) -> Path:
    return small_workbook(tmp_path / "base.xlsx", with_decoy)


def proposal(path: Path, **sheets) -> Path:
    write_input_workbook(path, sheets, money_unit="NT$ million", sheets=schema.PROPOSAL_SHEETS)
    return path


def days(solution) -> dict[str, int]:
    return {r.scenario_id: r.endurance for r in solution.scenarios}


def test_a_proposal_identical_to_the_optimum_shows_zero_gap(base, tmp_path):
    same = proposal(
        tmp_path / "same.xlsx",
        Projects=[
            {"Project ID": "tank", "Units": 1, "Start year": 2027},
            {"Project ID": "fill", "Units": 2},
            {"Project ID": "decoy", "Units": 0},
        ],
    )
    comparison = compare_proposal(read_proposal(same, base), OPTIONS, value=False)
    assert days(comparison.best) == {"blockade": BEST_DAYS}
    assert days(comparison.written) == {"blockade": BEST_DAYS}
    assert comparison.gap("blockade") == 0
    assert all(lift.recovered == {"blockade": 0} for lift in comparison.lifts)


def test_forcing_a_useless_project_costs_exactly_the_days_its_money_would_buy(base, tmp_path):
    # The decoy's NT$ 30 M is one fill less: 7 days instead of 11.
    forced = proposal(tmp_path / "decoy.xlsx", Projects=[{"Project ID": "decoy", "Units": 1, "Source": "test"}])
    comparison = compare_proposal(read_proposal(forced, base), OPTIONS, value=False)
    assert days(comparison.written) == {"blockade": BEST_DAYS - DAYS_PER_FILL}
    assert comparison.gap("blockade") == DAYS_PER_FILL
    [lift] = comparison.lifts
    assert lift.figure.cell == "Projects!A2"
    assert lift.recovered == {"blockade": DAYS_PER_FILL}
    assert not lift.solved  # lifting the only figure is the best use itself: no solve needed


@pytest.mark.parametrize("cap", [0, 50, 80, 100])
def test_lifting_an_earmark_never_lowers_endurance_and_the_proposal_never_beats_the_best(base, tmp_path, cap):
    capped = proposal(
        tmp_path / "cap.xlsx",
        Categories=[{"Category": "stockpiles", "Amount": cap, "Earmark": "cap"}],
        Projects=[{"Project ID": "decoy", "Units": 0}],
    )
    comparison = compare_proposal(read_proposal(capped, base), OPTIONS, value=False)
    written, best = days(comparison.written), days(comparison.best)
    # By hand: 0 or 50 buys nothing useful (3 days); 80 a tank and a fill (7); 100 the same (7).
    assert written == {"blockade": {0: 3, 50: 3, 80: 7, 100: 7}[cap]}
    assert all(written[s] <= best[s] for s in best)
    for lift in comparison.lifts:
        assert all(days_recovered >= 0 for days_recovered in lift.recovered.values())
    earmark = next(lift for lift in comparison.lifts if lift.figure.kind == "earmark")
    assert earmark.endurance == {"blockade": BEST_DAYS}


def test_exact_earmark_spends_the_amount_within_one_unit(base, tmp_path):
    # 'exact' NT$ 30 M for grid: the decoy must be bought, so the stockpiles get 80: 7 days.
    exact = proposal(tmp_path / "exact.xlsx", Categories=[{"Category": "grid", "Amount": 30, "Earmark": "exact"}])
    comparison = compare_proposal(read_proposal(exact, base), OPTIONS, value=False)
    assert comparison.written.spend_by_category["grid"] == pytest.approx(30)
    assert days(comparison.written) == {"blockade": 7}


def test_budget_and_override_change_both_questions(base, tmp_path):
    # A total of NT$ 80 M (a tank and one fill: 7 days) and fills overridden to NT$ 15 M: both fills fit, 11 days.
    cheaper = proposal(
        tmp_path / "cheap.xlsx",
        Budget=[{"Amount": 80}],
        Overrides=[{"Sheet": "Projects", "Row ID": "fill", "Column": "Unit cost", "Value": 15}],
    )
    read = read_proposal(cheaper, base)
    assert read.envelope.projects["fill"].unit_cost == 15
    assert read.envelope.spend_limit() == pytest.approx(80)
    comparison = compare_proposal(read_proposal(cheaper, base), OPTIONS, value=False)
    assert days(comparison.best) == days(comparison.written) == {"blockade": BEST_DAYS}


def test_an_override_applies_to_the_row_whose_id_matches_in_case(tmp_path):
    # IDs are case-sensitive: 'tank' and 'TANK' are two projects. The override of TANK was applied to
    # tank before (the match folded case), and 'Tank', which names neither, is an error at its cell.
    def two_tanks(rows):
        with_decoy(rows)
        rows["Projects"].append({**rows["Projects"][0], "Project ID": "TANK", "Name": "Second tank"})

    base = small_workbook(tmp_path / "base.xlsx", two_tanks)
    upper = proposal(
        tmp_path / "upper.xlsx", Overrides=[{"Sheet": "Projects", "Row ID": "TANK", "Column": "Unit cost", "Value": 7}]
    )
    read = read_proposal(upper, base)
    assert read.envelope.projects["TANK"].unit_cost == 7
    assert read.envelope.projects["tank"].unit_cost == 50
    neither = proposal(
        tmp_path / "neither.xlsx",
        Overrides=[{"Sheet": "Projects", "Row ID": "Tank", "Column": "Unit cost", "Value": 7}],
    )
    with pytest.raises(InvalidInputs) as caught:
        read_proposal(neither, base)
    assert [str(error) for error in caught.value.errors] == [
        "neither.xlsx: Overrides!B2: no row of Projects has this ID; did you mean 'tank' or 'TANK'? "
        "(IDs are case-sensitive) (got 'Tank', expected the Project ID of a row of Projects)"
    ]


def test_validation_errors_name_the_proposal_cells(base, tmp_path):
    bad = proposal(
        tmp_path / "bad.xlsx",
        Budget=[{"Amount": 100}, {"Year": 2027, "Amount": 150}],
        Categories=[
            {"Category": "roads", "Amount": 10, "Earmark": "cap"},
            {"Category": "stockpiles", "Amount": 500, "Earmark": "exact"},
        ],
        Projects=[
            {"Project ID": "bridge", "Units": 1},
            {"Project ID": "fill", "Units": 3},
            {"Project ID": "tank", "Units": 1, "Start year": 2031},
        ],
        Overrides=[
            {"Sheet": "Projects", "Row ID": "tnk", "Column": "Unit cost", "Value": 1},
            {"Sheet": "Projects", "Row ID": "tank", "Column": "Unit cost", "Value": "cheap"},
            {"Sheet": "Storage", "Row ID": "lng", "Column": "Capacity", "Value": 50},
            {"Sheet": "Projects", "Row ID": "tank", "Column": "Colour", "Value": 1},
        ],
    )
    book = openpyxl.load_workbook(bad)
    book.create_sheet("Wishes")
    book["Projects"]["E1"] = "Priority"
    book.save(bad)
    with pytest.raises(InvalidInputs) as caught:
        read_proposal(bad, base)
    where = {error.where for error in caught.value.errors}
    text = "\n".join(str(error) for error in caught.value.errors)
    assert {"Wishes", "Projects!E1"} <= where, text  # unknown sheet, unknown column
    assert "Budget!B3" in where, text  # a year beyond the total
    assert {"Categories!A2", "Categories!B3"} <= where, text  # unknown category; amount beyond the total
    assert {"Projects!A2", "Projects!B3", "Projects!C4"} <= where, text  # unknown project; too many units; start year
    assert {"Overrides!B2", "Overrides!C5"} <= where, text  # no such row; no such column
    assert "Overrides!D3" in where, text  # 'cheap' is not a number, said at the proposal's cell
    # Two workbooks are read: every message says it is about the proposal.
    assert all(line.startswith("bad.xlsx: ") for line in text.splitlines()), text

    assert "after the proposal's overrides" in text  # capacity 50 below the initial stock of 100
    assert "did you mean 'tank'" in text


def test_a_base_error_names_the_base_workbook(tmp_path):
    broken = small_workbook(tmp_path / "base.xlsx", lambda rows: rows["Storage"][0].update({"Capacity": -5}))
    plan = proposal(tmp_path / "plan.xlsx", Projects=[{"Project ID": "fill", "Units": 1}])
    with pytest.raises(InvalidInputs) as caught:
        read_proposal(plan, broken)
    assert [str(error).split(":")[0] for error in caught.value.errors] == ["base.xlsx"]


@pytest.mark.parametrize(
    "sheets, words",
    [
        ({"Projects": [{"Project ID": "fill", "Units": 1}, {"Project ID": "tank", "Units": 0}]}, "requires tank"),
        (
            {"Projects": [{"Project ID": "tank", "Units": 2}, {"Project ID": "fill", "Units": 1}]},
            "NT$ 20 million more than the NT$ 110 million",
        ),
        # Whole units: grid 60 needs both decoys (> 30.03), stockpiles 110 more than 80.03: 140 > 110.
        (
            {
                "Categories": [
                    {"Category": "grid", "Amount": 60, "Earmark": "exact"},
                    {"Category": "stockpiles", "Amount": 110, "Earmark": "exact"},
                ]
            },
            "need at least",
        ),
        ({"Categories": [{"Category": "grid", "Amount": 100, "Earmark": "exact"}]}, "cannot be spent"),
        (
            {
                "Categories": [{"Category": "grid", "Amount": 10, "Earmark": "cap"}],
                "Projects": [{"Project ID": "decoy", "Units": 1}],
            },
            "above the NT$ 10 million",
        ),
    ],
)
def test_infeasible_proposals_exit_3_naming_the_cells_and_write_nothing(base, tmp_path, sheets, words):
    wrong = proposal(tmp_path / "wrong.xlsx", **sheets)
    with pytest.raises(Infeasible) as caught:
        read_proposal(wrong, base)
    assert words in str(caught.value)
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["compare", str(base), str(wrong), "-o", str(out), "--quiet"])
    assert result.exit_code == 3, result.output
    assert "!" in result.output and words in result.output
    assert not out.exists()


def test_a_count_of_days_is_written_as_a_person_would():
    # The terminal printed 'lost 1 days' for each scenario a proposal cost a day.
    assert [day_count(n) for n in (0, 1, 2, -1)] == ["0 days", "1 day", "2 days", "-1 day"]


def test_compare_cli_writes_every_sheet_with_charts_and_marks(base, tmp_path):
    forced = proposal(tmp_path / "decoy.xlsx", Projects=[{"Project ID": "decoy", "Units": 1}])
    out = tmp_path / "compare.xlsx"
    result = runner.invoke(app, ["compare", str(base), str(forced), "-o", str(out), "--quiet", "--step", "30"])
    assert result.exit_code == 0, result.output
    assert "recovers 4 days in Blockade 2028" in result.output
    assert "Blockade 2028: today 11 days, proposal 7 days, best use 11 days; lost 4 days, gap 4 days" in result.output
    book = openpyxl.load_workbook(out)
    # The comparison's own sheets, then the plan workbook's from Limits on (why the proposal as written lasts
    # what it does, and the value of its money).
    comparison = ["Summary", "Endurance", "Imposed figures", "Projects", "Categories"]
    assert book.sheetnames == comparison + PLAN_SHEETS[PLAN_SHEETS.index("Limits") :]
    # Why the proposal as written lasts 7 days: no 10% lift gains a day, but NT$ 30 M more buys the fill back.
    assert "The worst case: day 8 costs NT$ 30 million more, funding 1 × LNG fill." in result.output
    summary = [row[0] for row in book["Summary"].iter_rows(values_only=True)]
    # The first sentence answers the question: what the proposal loses against today's plan.
    assert summary[1] == (
        "The proposal loses 4 days in the worst case (11 → 7); the same money, spent best, would lose none: "
        "the proposal's figures cost it all."
    )
    assert summary[5] == (
        "Releasing the decision to fund 1 × Decoy (decoy), NT$ 30 million (Projects!A2) "
        "recovers 4 days in Blockade 2028."
    )
    assert (
        "The proposal as written: the price of the next day (sheet Price of the next day: every year's budget scaled)"
        in summary
    )
    assert {ws.oddFooter.left.text for ws in book.worksheets} == {"base.xlsx and decoy.xlsx"}  # file names only
    for sheet in ("Summary", "Categories", "Marginal days", "Days per project"):
        assert len(book[sheet]._charts) == 1, sheet
    assert book["Projects"].conditional_formatting and book["Categories"].conditional_formatting
    # Value of money by hand: NT$ 30 M more buys the second fill back (+4 days); dropping the decoy loses nothing,
    # dropping the one fill loses its 4 days, and so does dropping the tank it requires (models/endurance.md,
    # (40)–(41): a fill without its tank in service counts for nothing).
    marginal = list(book["Marginal days"].iter_rows(min_row=4, max_row=4, values_only=True))[0]
    assert marginal[:4] == ("Blockade 2028", 7, 11, 4)
    lost = {row[0]: row[5] for row in book["Days per project"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert lost == {"fill": 4, "tank": 4, "decoy": 0}
    # The tank is bought for the fill that requires it, and says so.
    required = {row[0]: row[7] for row in book["Days per project"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert required == {"fill": None, "tank": "LNG fill", "decoy": None}


def test_solve_with_a_proposal_writes_the_plan_workbook(base, tmp_path):
    forced = proposal(tmp_path / "decoy.xlsx", Projects=[{"Project ID": "decoy", "Units": 1}])
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["solve", str(base), "--proposal", str(forced), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Blockade 2028: 7 days" in result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == PLAN_SHEETS
    notes = [row[0] for row in book["Summary"].iter_rows(values_only=True)]
    assert any(note and "Projects!A2" in note for note in notes)


def test_template_proposal_writes_a_readme_and_the_four_sheets(tmp_path):
    path = tmp_path / "proposal.xlsx"
    result = runner.invoke(app, ["template", "--proposal", str(path)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["README", "Budget", "Categories", "Projects", "Overrides"]
    # An empty proposal is the base itself: read back without error, nothing imposed.
    assert read_proposal(path, small_workbook(tmp_path / "base.xlsx")).figures == []


@pytest.mark.parametrize("cap", [30, 80])
def test_with_two_scenarios_the_worst_case_is_consistent(tmp_path, cap):
    # A quarantine (half the LNG imports arrive) next to the blockade: the guarantees of maxmin are about the
    # worst scenario (and the weighted sum when the worst ties), which is what is asserted here.
    def change(rows):
        with_decoy(rows)
        rows["Scenarios"].append(
            {
                "Scenario ID": "quarantine",
                "Name": "Quarantine 2028",
                "Onset year": 2028,
                "Horizon": 30,
                "Weight": 1,
                "Repair delay": 0,
            }
        )
        rows["ScenarioEvents"].append(
            {
                "Scenario ID": "quarantine",
                "Event": "import availability",
                "Target ID": "lng",
                "From day": 1,
                "Value": 0.5,
            }
        )

    two = small_workbook(tmp_path / "two.xlsx", change)
    capped = proposal(
        tmp_path / "cap.xlsx",
        Categories=[{"Category": "stockpiles", "Amount": cap, "Earmark": "cap"}],
        Projects=[{"Project ID": "decoy", "Units": 1}],
    )
    comparison = compare_proposal(read_proposal(capped, two), OPTIONS, value=False)
    written, best = days(comparison.written), days(comparison.best)
    weights = {"blockade": 1, "quarantine": 1}
    assert min(written.values()) <= min(best.values())
    if min(written.values()) == min(best.values()):
        assert sum(weights[s] * written[s] for s in written) <= sum(weights[s] * best[s] for s in best)
    for lift in comparison.lifts:
        assert lift.worst_recovered >= 0
        assert min(lift.endurance.values()) <= min(best.values())


def test_a_fixed_start_year_is_honoured(base, tmp_path):
    # The tank started in 2028 is finished only for 2029 (lead time 1 year): in the 2028 blockade it is not in
    # service, so the fills that require it count for nothing ((40)–(41)): the island's own stock, 3 days.
    late = proposal(tmp_path / "late.xlsx", Projects=[{"Project ID": "tank", "Units": 1, "Start year": 2028}])
    comparison = compare_proposal(read_proposal(late, base), OPTIONS, value=False)
    assert [(f.start_year, f.units) for f in comparison.written.allocation if f.project_id == "tank"] == [(2028, 1)]
    assert days(comparison.written) == {"blockade": 3}
    assert comparison.gap("blockade") == BEST_DAYS - 3


def test_validate_checks_a_proposal_against_its_base(base, tmp_path):
    good = proposal(tmp_path / "good.xlsx", Projects=[{"Project ID": "decoy", "Units": 1}])
    result = runner.invoke(app, ["validate", str(base), "--proposal", str(good)])
    assert result.exit_code == 0, result.output
    assert "valid against base.xlsx" in result.output and "1 figures imposed" in result.output
    bad = proposal(tmp_path / "bad.xlsx", Projects=[{"Project ID": "decoi", "Units": 1}])
    result = runner.invoke(app, ["validate", str(base), "--proposal", str(bad)])
    assert result.exit_code == 2, result.output
    assert "bad.xlsx: Projects!A2" in result.output and "did you mean 'decoy'" in result.output


def test_validate_recognises_a_proposal_workbook(tmp_path):
    # Alone, a proposal is checked against the bundled base, not refused for lacking the input sheets.
    plan = proposal(tmp_path / "plan.xlsx", Budget=[{"Amount": 150000}])
    result = runner.invoke(app, ["validate", str(plan)])
    assert result.exit_code == 0, result.output
    assert "is a proposal workbook: checked against the bundled base taiwan_baseline.xlsx" in result.output
    assert "Carriers" not in result.output


def test_solve_with_a_proposal_that_leaves_no_plan_exits_3_with_the_diagnosis(tmp_path):
    """A proposal that reads well but leaves no plan: the base's grid floor (NT$ 30 M) needs a decoy, which the
    proposal strikes. `solve --proposal` used to crash (AttributeError) where it should diagnose."""

    def grid_floor(rows) -> None:
        with_decoy(rows)
        rows["Policy"].append(
            {"Rule ID": "grid", "Rule": "category floor", "Category": "grid", "Amount": 30, "Amount unit": "money"}
        )

    floored = small_workbook(tmp_path / "floored.xlsx", grid_floor)
    struck = proposal(tmp_path / "struck.xlsx", Projects=[{"Project ID": "decoy", "Units": 0}])
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["solve", str(floored), "--proposal", str(struck), "-o", str(out), "--quiet"])
    assert result.exit_code == 3, result.output
    assert "The proposal struck.xlsx cannot be carried out as written" in result.output
    assert "Policy!" in result.output  # the diagnosis names the rule's cell
    assert not out.exists() and (tmp_path / "plan-diagnosis.xlsx").exists()


def test_a_cut_is_compared_with_todays_plan_where_the_loss_is_known(base, tmp_path):
    """By hand: today's plan (NT$ 110 M) funds a tank and two fills, 11 days. A cut to NT$ 80 M keeps a tank and one
    fill, 7 days: 4 days lost, which the same NT$ 80 M spent best cannot give back (the loss is the budget's). Forcing
    the decoy at NT$ 110 M loses the same 4 days, all of which the same money, spent best, recovers."""
    cut = proposal(tmp_path / "cut.xlsx", Budget=[{"Amount": 80}])
    comparison = compare_proposal(read_proposal(cut, base), OPTIONS, value=False)
    assert comparison.today is not None and days(comparison.today) == {"blockade": BEST_DAYS}
    assert days(comparison.written) == days(comparison.best) == {"blockade": BEST_DAYS - DAYS_PER_FILL}
    assert (comparison.lost("blockade"), comparison.gap("blockade")) == (DAYS_PER_FILL, 0)
    assert answer_sentence(comparison) == (
        "The proposal loses 4 days in the worst case (11 → 7); the same money, spent best, would lose as much: "
        "the loss is the budget's, not the figures'."
    )
    forced = proposal(tmp_path / "decoy.xlsx", Projects=[{"Project ID": "decoy", "Units": 1}])
    comparison = compare_proposal(read_proposal(forced, base), OPTIONS, value=False)
    assert (comparison.lost("blockade"), comparison.gap("blockade")) == (DAYS_PER_FILL, DAYS_PER_FILL)
    assert answer_sentence(comparison).endswith(
        "the same money, spent best, would lose none: the proposal's figures cost it all."
    )
    assert comparison.solves["today's plan"].startswith("the proposal keeps the base's budget")


def test_independent_solves_are_asked_side_by_side_with_the_figures_of_one_after_another(base, tmp_path, monkeypatch):
    """Today's plan and the same money's best use do not depend on each other: both start before either ends (a
    barrier both must reach), and the comparison is the one asked one solve after another."""
    cut = proposal(tmp_path / "cut.xlsx", Budget=[{"Amount": 80}], Projects=[{"Project ID": "decoy", "Units": 1}])
    proposal_read = read_proposal(cut, base)
    both_started = threading.Barrier(2, timeout=60)
    solve = compare_module.choose_plan
    first_round = [proposal_read.envelope, proposal_read.base]

    def met_first(inputs, options, *args, **kwargs):
        if any(inputs is first for first in first_round):  # best use and today's plan, not the later solves
            both_started.wait()
        return solve(inputs, options, *args, **kwargs)

    def figures(comparison):
        lifts = [(lift.figure.cell, lift.endurance, lift.solved) for lift in comparison.lifts]
        return days(comparison.today), days(comparison.written), days(comparison.best), lifts

    monkeypatch.setattr(compare_module, "choose_plan", met_first)
    set_parallel_questions(2)
    try:
        side_by_side = compare_proposal(proposal_read, OPTIONS, value=False)
    finally:
        set_parallel_questions(parallel_questions_before)
    monkeypatch.setattr(compare_module, "choose_plan", solve)
    set_parallel_questions(1)
    try:
        one_after_another = compare_proposal(read_proposal(cut, base), OPTIONS, value=False)
    finally:
        set_parallel_questions(parallel_questions_before)
    assert figures(side_by_side) == figures(one_after_another)
    assert side_by_side.written.allocation == one_after_another.written.allocation
    assert list(side_by_side.timings) == list(one_after_another.timings)  # in the questions' order, both ways


def test_the_reference_formulation_solves_one_after_another_in_a_fresh_process(base, tmp_path):
    """The reference formulation's Pyomo models must not be written by two solves at once: in a fresh process (Pyomo
    not yet warmed up by other tests) its writer failed with a TypeError when today's plan and the best use were
    solved side by side."""
    cut = proposal(tmp_path / "cut.xlsx", Budget=[{"Amount": 80}])
    out = tmp_path / "compare.xlsx"
    arguments = ["compare", str(base), str(cut), "--formulation", "reference", "--no-value", "-q", "-o", str(out)]
    run = subprocess.run([sys.executable, "-m", "trp_opt.cli", *arguments], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert out.exists()


def test_a_budget_cut_is_listed_and_lifted_among_the_imposed_figures(base, tmp_path):
    """The cut to NT$ 80 M was missing from 'Imposed figures': it is the first figure, and lifting it (the base's
    NT$ 110 M back, every other figure kept) recovers the fill it cost."""
    cut = proposal(tmp_path / "cut.xlsx", Budget=[{"Amount": 80}], Projects=[{"Project ID": "decoy", "Units": 0}])
    comparison = compare_proposal(read_proposal(cut, base), OPTIONS, value=False)
    budget = next(lift for lift in comparison.lifts if lift.figure.kind == "budget")
    assert budget.figure.words == "the budget of NT$ 80 million in total (the base's: NT$ 110 million)"
    assert budget.solved and budget.recovered == {"blockade": DAYS_PER_FILL}
    assert comparison.lifts[0] is budget  # the most days recovered


def test_several_proposals_make_a_league_table(base, tmp_path):
    """By hand: today's plan lasts 11 days. A cut to NT$ 80 M and a forced decoy both last 7; the cut spends less,
    so it ranks first; the decoy's loss, unlike the cut's, the same money would recover."""
    cut = proposal(tmp_path / "cut.xlsx", Budget=[{"Amount": 80}])
    decoy = proposal(tmp_path / "decoy.xlsx", Projects=[{"Project ID": "decoy", "Units": 1}])
    out = tmp_path / "league.xlsx"
    result = runner.invoke(app, ["compare", str(base), str(decoy), str(cut), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert (
        "Of 2 proposals, cut.xlsx keeps the most days in the worst case: 7 (today's plan: 11), spending "
        "NT$ 80 million." in result.output
    )
    rows = list(openpyxl.load_workbook(out)["League"].iter_rows(values_only=True))
    table = {row[1]: row[:9] for row in rows if row and isinstance(row[0], int)}
    assert table["cut.xlsx"] == (1, "cut.xlsx", table["cut.xlsx"][2], 80, 11, 7, 4, 7, 0)
    assert table["decoy.xlsx"] == (2, "decoy.xlsx", "as in the base workbook", 110, 11, 7, 4, 11, 4)


def test_a_proposal_that_keeps_the_worst_case_is_measured_where_it_loses():
    """'loses 0 days in the worst case (4 → 4) and 1 day in Blockade 2030; … would lose none' (the bundled example)
    measured the loss by the worst case it keeps: the scenario that loses is the measure, and so is what the same
    money would lose there. The three plans' days by scenario stand in for the solves (a sentence's arithmetic)."""

    def plan(days: dict[str, int]) -> SimpleNamespace:
        scenarios = [SimpleNamespace(scenario_id=s, name=s.title(), endurance=d) for s, d in days.items()]
        return SimpleNamespace(
            scenarios=scenarios, worst=min(scenarios, key=lambda r: r.endurance), endurance_by_scenario=dict(days)
        )

    today, written = plan({"assault": 4, "blockade": 113}), plan({"assault": 4, "blockade": 110})
    for best_days, ending in (
        (113, "; the same money, spent best, would lose none: the proposal's figures cost it all."),
        (112, "; the same money, spent best, would lose only 1 day there."),
        (110, "; the same money, spent best, would lose as much: the loss is the budget's, not the figures'."),
    ):
        comparison = SimpleNamespace(today=today, written=written, best=plan({"assault": 4, "blockade": best_days}))
        comparison.lost = lambda s, c=comparison: c.today.endurance_by_scenario[s] - c.written.endurance_by_scenario[s]
        assert (
            answer_sentence(comparison)
            == "The proposal keeps the worst case (4 days) but loses 3 days in Blockade" + ending
        )
