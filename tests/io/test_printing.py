"""Every workbook trp-opt writes is ready to print (trp_opt.io.excel.print_ready): read back from the file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from tests.support.workbooks import small_workbook
from trp_opt.cli import app
from trp_opt.io.excel import PORTRAIT_CHARACTERS

runner = CliRunner()


def check_print_setup(path: Path, footer: str) -> openpyxl.Workbook:
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        where = f"{path.name}: {ws.title}"
        assert ws.sheet_properties.pageSetUpPr.fitToPage, where
        # One page wide, as many down as it takes: the Summary on one page printed at about 6 pt.
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), where
        assert (ws.oddFooter.left.text, ws.oddFooter.center.text, ws.oddFooter.right.text) == (
            footer,
            "&D",
            "Page &P of &N",
        ), where
        widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1)]
        expected = "landscape" if sum(widths) > PORTRAIT_CHARACTERS else None
        assert ws.page_setup.orientation in ((expected,) if expected else (None, "portrait")), where
    return book


def test_a_plan_prints_one_page_wide_with_headers_repeated_and_nothing_cut(tmp_path):
    source = small_workbook(tmp_path / "small.xlsx")
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["solve", "--quiet", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = check_print_setup(out, "small.xlsx")
    for ws in book.worksheets:
        headers = [row for row in ws.iter_rows() if row[0].fill.fgColor.rgb == "00DDEBF7"]
        if not headers:
            continue
        first = headers[0][0].row
        assert ws.print_title_rows == f"${first}:${first}", ws.title
        for row in headers:
            for cell in row:
                if isinstance(cell.value, str) and cell.value:
                    assert cell.alignment.wrap_text, (ws.title, cell.coordinate)
                    width = ws.column_dimensions[cell.column_letter].width
                    longest = max(len(word) for word in cell.value.split())
                    merged = any(cell.coordinate in span for span in ws.merged_cells.ranges)
                    assert merged or width >= longest, (ws.title, cell.coordinate, width, cell.value)
    # A sentence of the Summary is spread over the table's width and wrapped, so that it prints whole.
    summary = book["Summary"]
    sentences = [row[0] for row in summary.iter_rows() if isinstance(row[0].value, str) and "days" in row[0].value]
    long = [cell for cell in sentences if len(cell.value) > summary.column_dimensions["A"].width]
    assert long
    for cell in long:
        assert any(cell.coordinate in span for span in summary.merged_cells.ranges), cell.value
        assert cell.alignment.wrap_text


def test_the_template_prints_but_its_rows_stay_data(tmp_path):
    out = tmp_path / "template.xlsx"
    result = runner.invoke(app, ["template", str(out)])
    assert result.exit_code == 0, result.output
    book = check_print_setup(out, "template.xlsx")
    assert all(not ws.merged_cells.ranges for ws in book.worksheets)
    assert all(ws.print_title_rows == "$1:$1" for ws in book.worksheets if ws.title != "README")


def test_the_summary_says_the_objective_and_the_status_in_plain_words(tmp_path):
    source = small_workbook(tmp_path / "small.xlsx")
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["solve", "--quiet", "--no-value", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = {row[0]: row[1] for row in openpyxl.load_workbook(out)["Summary"].iter_rows(values_only=True) if row[0]}
    assert rows["Objective"].startswith("best worst case (maxmin): the most days every scenario lasts at once")
    assert rows["Status"] == "proven best: no plan within the rules does better (optimal, proven)"


def test_charts_make_their_point(tmp_path):
    # The small workbook (tests/support/workbooks.py): 100 kt of LNG, a tank and two fills of 100 kt each, so
    # the blockade starts with 300 kt; the Daily chart plots each stock as its share of that.
    source = small_workbook(tmp_path / "small.xlsx")
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["solve", "--quiet", str(source), "-o", str(out), "--step", "1"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    daily = book["Daily"]
    headers = [cell.value for cell in daily[1]]
    stock, share = headers.index("Stock: LNG (kt)"), headers.index("Stock: LNG (share of onset stock)")
    rows = list(daily.iter_rows(min_row=2, values_only=True))
    assert rows and all(row[share] == pytest.approx(row[stock] / 300) for row in rows)
    [chart] = daily._charts
    assert chart.y_axis.title.tx.rich.p[0].r[0].t == "share of the stock at onset"
    assert chart.series[0].val.numRef.f.startswith(f"'Daily'!${openpyxl.utils.get_column_letter(share + 1)}$")
    # NT$ 1 M more buys no day: a chart of zeros says nothing, and the sheet says why there is none.
    marginal = book["Marginal days"]
    assert not marginal._charts
    assert any(
        row[0] and row[0].startswith("No chart: no scenario gains a day")
        for row in marginal.iter_rows(values_only=True)
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_libreoffice_renders_a_plan_to_pdf(tmp_path):
    source = small_workbook(tmp_path / "small.xlsx")
    out = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["solve", "--quiet", str(source), "-o", str(out)]).exit_code == 0
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    pages = len(re.findall(rb"/Type\s*/Page[^s]", (tmp_path / "plan.pdf").read_bytes()))
    assert 1 <= pages <= 40, pages  # every sheet one page wide: a few pages, not hundreds


def test_the_allocation_lists_what_is_committed_outside_the_budget(tmp_path):
    def committed(rows):
        rows["Projects"][1].update({"Committed units": 2, "Committed start year": 2026})

    source = small_workbook(tmp_path / "committed.xlsx", committed)
    out = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["solve", "--quiet", "--no-value", str(source), "-o", str(out)]).exit_code == 0
    rows = list(openpyxl.load_workbook(out)["Allocation"].iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if row[0] == "Committed outside this budget")
    assert rows[at + 1][:5] == ("fill", "LNG fill", 2, 2026, 2026)
