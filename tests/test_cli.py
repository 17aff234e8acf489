"""End to end through the command line: exit codes, what is written and what is not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.workbooks import PLAN_SHEETS, add_range, small_workbook, stockpiles_floor_beyond_reach
from trp_opt.cli import app
from trp_opt.io.outputs import bundled_input
from trp_opt.io.validate import read_inputs

runner = CliRunner()
SHEETS = ["Summary", "Endurance", "Allocation", "Daily", "Daily table", "Diagnostics"]


def solve(*arguments: str):
    return runner.invoke(app, ["solve", "--quiet", *arguments])


def values(path: Path, skip: tuple[str, ...] = ("Diagnostics",)) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book if ws.title not in skip}


def test_small_workbook_end_to_end(tmp_path):
    source = small_workbook(tmp_path / "small.xlsx")
    out = tmp_path / "plan.xlsx"
    result = solve(str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == PLAN_SHEETS  # the value of money is in every output unless --no-value
    endurance = book["Endurance"]
    assert [c.value for c in endurance[1]][:5] == ["Scenario", "Endurance days", "Fails first", "Shortfall", "Unit"]
    # By hand (tests/workbooks.py): one tank and two fills give 300 kt of room and stock; usable
    # 290 kt at 25 kt/day is 11.6 days: 11 days, then electricity is 20 GWh/day short on day 12.
    assert [c.value for c in endurance[2]][:5] == ["Blockade 2028", 11, "Electricity", pytest.approx(20), "GWh/day"]
    assert "Blockade 2028: 11 days" in result.output
    assert book["Diagnostics"]["B3"].value == "optimal"
    # No --step: the price of the next day stands in for the fixed step, and the sheet says where to look.
    marginal = [row[0] for row in book["Marginal days"].iter_rows(values_only=True) if row[0]]
    assert marginal[0] == "Value of money for the plan: no fixed budget step was asked for"
    assert marginal[1].startswith("The Price of the next day sheet gives the least extra budget")
    assert "yes, no fixed step (the price of the next day instead)" in [
        row[1] for row in book["Diagnostics"].iter_rows(values_only=True)
    ]
    # The 'As planned' row gave a scenario more days than the Endurance sheet, unexplained: each explaining sheet
    # shows the plan's own days (the Endurance sheet's) and, named apart, the days its rules allow, and says why.
    days = {row[0]: row[1] for row in endurance.iter_rows(min_row=2, values_only=True) if row[0]}
    for sheet, lead in (("Limits", 2), ("Unfunded projects", 3)):
        rows = {row[0]: row for row in book[sheet].iter_rows(values_only=True) if row and row[0]}
        plan_row = rows["The plan (days, Endurance sheet)"]
        assert list(plan_row[lead + 2 : lead + 2 + len(days)]) == list(days.values())
        assert plan_row[lead + 1] == min(days.values())
        assert "Reachable as planned (days)" in rows
        assert "can be fewer where it gives those days to other scenarios" in book[sheet]["A2"].value


def test_bundled_workbook_twice_gives_identical_values(tmp_path):
    # Two separate processes, run side by side (the machine has two cores): the same figures must
    # come out of each, whatever else runs. --no-value: the value of money would solve the bundled
    # workbook once more per run (its sheets are tested on the small workbook, tests/test_proposal.py).
    command = [sys.executable, "-m", "trp_opt.cli", "solve", "--quiet", "--no-value"]
    runs = [
        subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True),
        subprocess.Popen(
            [*command, "-o", str(tmp_path / "again.xlsx")],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ),
    ]
    outputs = [run.communicate(timeout=900)[0] for run in runs]
    for run, output in zip(runs, outputs):
        assert run.returncode == 0, output
        assert "Traceback" not in output
    written = tmp_path / "outputs" / "taiwan_baseline-plan.xlsx"  # the default output, under ./outputs
    book = openpyxl.load_workbook(written)
    assert book.sheetnames == SHEETS
    assert book["Diagnostics"]["B4"].value == "yes"  # proven optimal
    scenarios = len(read_inputs(bundled_input()).scenarios)
    assert len(book["Allocation"]._charts) == 1 and len(book["Daily"]._charts) == scenarios  # a chart each
    assert values(tmp_path / "again.xlsx") == values(written)


def test_bundled_dataset_reproduces_public_days_of_supply():
    # The builder's arithmetic against its sources (inputs/README.md): usable LNG ÷ normal imports ≈ 11 days (11.5
    # held, Apr 2026, less a 0.5-day heel); coal: Taipower's reported 3,090 kt plus 30 days of the others' use; oil:
    # 110 legal days counted on use without feedstock, half of all oil use, so about 55 days of all of it.
    inputs = read_inputs(bundled_input())

    def days(carrier: str) -> float:
        storage = inputs.storage[carrier]
        return (storage.initial - storage.floor) / inputs.imports[carrier]

    assert 10.9 <= days("lng") <= 11.1
    coal_use = inputs.imports["coal"]
    taipower_use = 3090 / 42
    assert inputs.storage["coal"].initial == pytest.approx(3090 + 30 * (coal_use - taipower_use), abs=0.1)
    assert days("oil") == pytest.approx(110 * 0.5, abs=0.01)
    # The legal LNG stock of 2027 (14 days, 2.5 above the 11.5 held) is a committed project both onsets see.
    legal = inputs.projects["lng_legal_2027"]
    assert legal.committed_live(2027) == 1
    assert legal.effect("stock", "lng") == pytest.approx(2.5 * inputs.imports["lng"], rel=1e-3)
    # Offshore wind round 3 is finished for a 2030 onset and not for a 2027 one: the two islands differ.
    wind = inputs.projects["offshore_wind_round3"]
    assert (wind.committed_live(2027), wind.committed_live(2030)) == (0, 1)
    # No figure rounded away: the arsenals' ≈ 1 combat-day a month was written as 0.0 before.
    assert inputs.technologies["ammo_production"].capacity == 0.03


def test_invalid_workbook_exits_2_and_writes_nothing(tmp_path):
    def change(rows):
        rows["Years"][0]["Budget"] = "lots"
        rows["Projects"][0]["Max units"] = 0

    source = small_workbook(tmp_path / "bad.xlsx", change)
    out = tmp_path / "plan.xlsx"
    result = solve(str(source), "-o", str(out))
    assert result.exit_code == 2
    assert "Years!B2: not a number (got 'lots'" in result.output
    assert "Projects!E2: too small (got 0" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_infeasible_rules_exit_3_with_the_conflict(tmp_path):
    source = small_workbook(tmp_path / "rules.xlsx", stockpiles_floor_beyond_reach)
    out = tmp_path / "plan.xlsx"
    result = solve(str(source), "-o", str(out))
    assert result.exit_code == 3, result.output
    assert "Policy!E3" in result.output and "stockpiles floor" in result.output
    assert not out.exists()


def test_output_over_the_input_is_refused(tmp_path):
    source = small_workbook(tmp_path / "small.xlsx")
    before = source.read_bytes()
    result = solve(str(source), "-o", str(source))
    assert result.exit_code == 1
    assert "overwrite the input" in result.output
    assert source.read_bytes() == before


def test_text_from_inputs_is_never_a_formula(tmp_path):
    def change(rows):
        rows["Projects"][0]["Name"] = '=HYPERLINK("http://example.invalid","x")'
        rows["Projects"][1]["Category"] = "+cmd"

    source = small_workbook(tmp_path / "small.xlsx", change)
    out = tmp_path / "plan.xlsx"
    assert solve(str(source), "-o", str(out)).exit_code == 0
    allocation = openpyxl.load_workbook(out)["Allocation"]
    cells = [c for row in allocation.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith(("=", "+"))]
    assert {c.value for c in risky} >= {'=HYPERLINK("http://example.invalid","x")', "+cmd"}
    assert all(c.data_type == "s" for c in risky)


def test_write_model_and_reference_formulation_agree(tmp_path):
    source = small_workbook(tmp_path / "small.xlsx")
    model_file = tmp_path / "model.mps"
    levels = solve(str(source), "-o", str(tmp_path / "a.xlsx"), "--write-model", str(model_file))
    reference = solve(str(source), "-o", str(tmp_path / "b.xlsx"), "--formulation", "reference")
    assert levels.exit_code == 0 and reference.exit_code == 0
    assert model_file.stat().st_size > 0
    assert values(tmp_path / "a.xlsx") == values(tmp_path / "b.xlsx")


def test_template_then_validate(tmp_path):
    template = tmp_path / "template.xlsx"
    assert runner.invoke(app, ["template", str(template)]).exit_code == 0
    book = openpyxl.load_workbook(template)
    assert book.sheetnames[0] == "README"
    assert {"Settings", "Projects", "Policy"} <= set(book.sheetnames)
    checked = runner.invoke(app, ["validate", str(template)])
    assert checked.exit_code == 2  # an empty template has no years, carriers or scenarios yet
    assert "Years!A2: no planning years" in checked.output
    assert runner.invoke(app, ["template", str(template)]).exit_code == 2  # never overwrites


def test_validate_accepts_the_bundled_workbook():
    result = runner.invoke(app, ["validate", str(bundled_input())])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_budget_zero_gives_the_full_plan_workbook(tmp_path):
    # "What do we have with no new money?" once crashed (ZeroDivisionError) in the value-of-money sheet.
    source = small_workbook(tmp_path / "in.xlsx")
    out = tmp_path / "zero.xlsx"
    cheapest = min(p.unit_cost for p in read_inputs(source).projects.values())
    result = solve(str(source), "-o", str(out), "--budget", "0", "--step", f"{cheapest:g}")
    assert result.exit_code == 0, result.output
    assert "Spent NT$ 0 million of NT$ 0 million" in result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == PLAN_SHEETS
    title = book["Marginal days"]["A1"].value
    assert f"days gained by NT$ {cheapest:,.0f} million more (the budget is 0)" in title


@pytest.mark.parametrize(
    "command, option, value, message",
    [
        ("solve", "--budget", "nan", "--budget must be a finite number (got nan)"),
        ("solve", "--budget", "inf", "--budget must be a finite number (got inf)"),
        ("solve", "--time-limit", "nan", "--time-limit must be a finite number (got nan)"),
        ("solve", "--gap", "nan", "--gap must be a finite number (got nan)"),
        ("solve", "--step", "inf", "--step must be a finite number (got inf)"),
        ("solve", "--target", "-3", "--target must be at least 1 day (got -3)"),
        ("compare", "--step", "nan", "--step must be a finite number (got nan)"),
        ("frontier", "--to", "nan", "--to must be a finite number (got nan)"),
        ("alternatives", "--time-limit", "-1", "--time-limit must be > 0 (got -1)"),
    ],
)
def test_command_line_numbers_must_be_finite_and_in_range(tmp_path, command, option, value, message):
    # NaN and infinity passed every option check (each comparison with NaN is false) and failed later.
    source = small_workbook(tmp_path / "in.xlsx")
    arguments = {
        "solve": ["solve", str(source)],
        "compare": ["compare", str(source), str(source)],
        "frontier": ["frontier", str(source), "--from", "0"] + ([] if option == "--to" else ["--to", "10"]),
        "alternatives": ["alternatives", str(source)],
    }[command]
    result = runner.invoke(app, [*arguments, option, value, "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("command", ["solve", "compare", "frontier", "alternatives", "stress", "template", "generate"])
def test_an_output_not_named_xlsx_is_refused_before_anything_is_done(tmp_path, command):
    # `-o plan.csv` wrote an Excel workbook named plan.csv, which a program that opens by the name misreads.
    source = small_workbook(tmp_path / "in.xlsx")
    add_range(source, "Storage", "Initial stock", 2, 40, 160)
    out = tmp_path / "plan.csv"
    arguments = {
        "solve": ["solve", str(source), "-o", str(out)],
        "compare": ["compare", str(bundled_input().with_name("legislature_proposal_example.xlsx")), "-o", str(out)],
        "frontier": ["frontier", str(source), "-o", str(out)],
        "alternatives": ["alternatives", str(source), "-o", str(out)],
        "stress": ["stress", str(source), "--samples", "2", "-o", str(out)],
        "template": ["template", str(out)],
        "generate": ["generate", str(out)],
    }[command]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 1, result.output
    assert "the output plan.csv does not end in .xlsx; trp-opt writes Excel workbooks only" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx"]


def test_frontier_without_a_range_runs_from_nothing_to_twice_the_budget(tmp_path):
    # --from and --to were required; by default the range is 0 to twice the workbook's NT$ 200 M.
    source = small_workbook(tmp_path / "in.xlsx")
    out = tmp_path / "frontier.xlsx"
    result = runner.invoke(app, ["frontier", str(source), "--steps", "3", "--workers", "1", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "  NT$ 0 million: worst case 3 days" in result.output
    assert "  NT$ 200 million: worst case 11 days" in result.output
    assert "  NT$ 400 million: worst case 11 days" in result.output


@pytest.mark.parametrize(
    "command", ["solve", "compare", "validate", "template", "generate", "frontier", "alternatives", "stress"]
)
def test_flags_are_shown_as_flags(command):
    # typer showed '--quiet -q <bool>', which reads as if the flag took a value ('--quiet true' is then refused).
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "160"})
    assert result.exit_code == 0
    # typer's own --help line still says <bool> (click makes that option; left alone)
    shown = [line for line in result.output.splitlines() if "<bool>" in line and "Show this message" not in line]
    assert shown == []
    assert "--debug" in result.output


def test_the_compare_usage_line_reads_as_the_readme_writes_it():
    result = runner.invoke(app, ["compare", "--help"], env={"COLUMNS": "160"})
    assert "compare [OPTIONS] [WORKBOOKS]..." in result.output
    assert "[BASE] PROPOSAL [PROPOSAL …]" in result.output
    result = runner.invoke(app, ["compare"])
    assert result.exit_code == 2 and "give the proposal workbook" in result.output


def test_solve_shows_the_plan_before_the_explaining_questions(tmp_path):
    # The plan's days and what fails first come as soon as they are proven; the explaining sheets follow.
    path = small_workbook(tmp_path / "small.xlsx")
    command = [sys.executable, "-m", "trp_opt.cli", "solve", str(path), "-o", str(tmp_path / "plan.xlsx")]
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert run.returncode == 0, run.stdout
    lines = run.stdout.splitlines()
    status = next(i for i, line in enumerate(lines) if line.startswith("Status:"))
    limits = next(i for i, line in enumerate(lines) if line.startswith("… Limits"))
    written = next(i for i, line in enumerate(lines) if line.startswith("Plan written to"))
    assert status < limits < written


def test_amounts_of_money_are_read_as_in_the_workbook_cells(tmp_path):
    """`--budget 10,000` is 10000, as a cell's '10,000' is; '10,5' is no amount (a decimal comma or a typo)."""
    source = small_workbook(tmp_path / "in.xlsx")
    written = "1,000"  # more than the small workbook can spend: its plan at 1000
    out = tmp_path / "plan.xlsx"
    result = solve(str(source), "--budget", written, "--no-value", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"of NT$ {written} million" in result.output
    refused = solve(str(source), "--budget", "10,5", "--no-value", "-o", str(tmp_path / "other.xlsx"))
    assert refused.exit_code == 2
    assert "expected an amount such as 10000 or 10,000" in refused.output
    assert not (tmp_path / "other.xlsx").exists()


def test_validate_a_proposal_with_no_base_named_checks_it_against_the_bundled_base():
    """The README's `trp-opt validate --proposal P`: INPUT left out is the bundled base."""
    proposal = bundled_input().with_name("legislature_proposal_example.xlsx")
    result = runner.invoke(app, ["validate", "--proposal", str(proposal)])
    assert result.exit_code == 0, result.output
    assert f"valid against {bundled_input().name}" in result.output


def test_a_solve_with_another_budget_does_not_replace_the_workbooks_own_plan(tmp_path, monkeypatch):
    """`solve --budget X` without -o once wrote over the plan of the workbook's budget: it is named after the change."""
    source = small_workbook(tmp_path / "in.xlsx")
    monkeypatch.chdir(tmp_path)
    assert solve(str(source), "--no-value").exit_code == 0
    own = tmp_path / "outputs" / "in-plan.xlsx"
    before = own.read_bytes()
    result = solve(str(source), "--no-value", "--budget", "1,000", "--objective", "expected")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "outputs" / "in-plan-expected-budget-1000.xlsx").exists()
    assert own.read_bytes() == before


def test_solve_more_days_writes_its_sheet_and_says_it(tmp_path):
    source = small_workbook(tmp_path / "in.xlsx")
    out = tmp_path / "plan.xlsx"
    result = solve(str(source), "--no-value", "--more-days", "2", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "What 2 more days cost (sheet More days):" in result.output
    book = openpyxl.load_workbook(out)
    assert "More days" in book.sheetnames
    assert book["More days"]["A2"].value.startswith(("+", "No amount of money"))
    assert solve(str(source), "--more-days", "0", "-o", str(out)).exit_code == 2
