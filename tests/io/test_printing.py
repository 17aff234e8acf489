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
from trp_opt.io.outputs import bundled_input
from trp_opt.io.validate import read_inputs

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
            "&A, &D",
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
    table = book["Daily table"]  # every day; its header below a note and a blank row
    headers = [cell.value for cell in table[3]]
    stock, share = headers.index("Stock: LNG (kt)"), headers.index("Stock: LNG (share of onset stock)")
    rows = list(table.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 30 and all(row[share] == pytest.approx(row[stock] / 300) for row in rows)
    [chart] = book["Daily"]._charts  # on the printed sheet, drawn from the full table
    assert chart.y_axis.title.tx.rich.p[0].r[0].t == "share of the stock at onset"
    column = openpyxl.utils.get_column_letter(share + 1)
    assert chart.series[0].val.numRef.f == f"'Daily table'!${column}$4:${column}$33"
    # NT$ 1 M more buys no day: a chart of zeros says nothing, and the sheet says why there is none.
    marginal = book["Marginal days"]
    assert not marginal._charts
    assert any(
        row[0] and row[0].startswith("No chart: no scenario gains a day")
        for row in marginal.iter_rows(values_only=True)
    )


def earlier_blockade(rows):
    """A blockade in 2027 besides the small workbook's of 2028: before the tank (a year's lead time) and its fills."""
    rows["Scenarios"].insert(0, {**rows["Scenarios"][0], "Scenario ID": "early", "Name": "Blockade 2027"})
    rows["Scenarios"][0]["Onset year"] = 2027
    rows["ScenarioEvents"].append({**rows["ScenarioEvents"][0], "Scenario ID": "early"})


def test_daily_prints_a_page_per_scenario_and_keeps_every_day_in_a_sheet_not_printed(tmp_path):
    # The small workbook's plan holds 300 kt of LNG in 2028; the blockade burns 25 kt a day above a 10 kt heel, so
    # day 11 ends with 25 kt and day 12 has 15 kt for 30 of the 50 GWh required: 40% short, then nothing from day 13.
    # A blockade in 2027 comes before the tank (a year's lead time) and its fills: 100 kt lasts 3 days, day 4 is
    # 40% short.
    source = small_workbook(tmp_path / "small.xlsx", earlier_blockade)
    out = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["solve", "--quiet", "--no-value", str(source), "-o", str(out)]).exit_code == 0
    book = openpyxl.load_workbook(out)
    daily, table = book["Daily"], book["Daily table"]
    assert table.print_area == "'Daily table'!$A$1"  # prints its note alone: where the readable pages are
    assert len(list(table.iter_rows(min_row=4))) == 2 * 30  # every day of both scenarios
    headings = [row[0] for row in daily.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("Blockade")]
    assert len(headings) == 2 and len(daily._charts) == 2
    assert [brk.id for brk in daily.row_breaks.brk] == [rows_before(daily, headings[1]) - 1]  # a page each
    days = [row for row in daily.iter_rows(values_only=True) if isinstance(row[0], int)]
    # Day 1, every 14th, the last day met and the first short, the horizon: 2027's then 2028's.
    assert [row[0] for row in days] == [1, 3, 4, 14, 28, 30] + [1, 11, 12, 14, 28, 30]
    assert days[1][1:] == ("yes", pytest.approx(25 / 100), None)
    assert days[2][1:] == ("no", pytest.approx(10 / 100), "Electricity 40% short")
    assert days[3][3] == "Electricity 100% short"
    assert days[7][1:] == ("yes", pytest.approx(25 / 300), None)
    assert days[8][1:] == ("no", pytest.approx(10 / 300), "Electricity 40% short")
    assert days[9][3] == "Electricity 100% short"
    shaded = [row[0].value for row in daily.iter_rows() if row[0].fill.fgColor.rgb.endswith("FCE4D6")]
    assert shaded == [3, 4, 11, 12]
    # Sizing the columns reads the rows and must not add empty ones: the rows a sheet declares are its rows (a sheet
    # declaring 16,000 was refused when read back by stress --plan).
    declared = openpyxl.load_workbook(out, read_only=True)
    for sheet in book.worksheets:
        last = max(cell.row for row in sheet.iter_rows() for cell in row if cell.value is not None)
        assert declared[sheet.title].max_row == last, sheet.title


def rows_before(worksheet, text):
    return next(cell.row for cell in worksheet["A"] if cell.value == text)


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


def to_pdf(workbook: Path, folder: Path) -> Path:
    """The workbook printed by LibreOffice, as an analyst's print would be (its own profile: no lock shared)."""
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(folder), str(workbook)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return folder / workbook.with_suffix(".pdf").name


def printed_pages(pdf: Path, sheets: list[str]) -> list[tuple[str, list[float]]]:
    """Each page's sheet, read from its footer ('<sheet>, <date>', print_ready), and the heights of its words
    (points, pdftotext's boxes)."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", boxes, flags=re.S):
        words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page)
        text = " ".join(word for _, _, word in words)
        sheet = max((name for name in sheets if f"{name}, " in text), key=len)  # 'Daily table' before 'Daily'
        pages.append((sheet, [float(bottom) - float(top) for top, bottom, _ in words]))
    return pages


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler (pdftotext) are not installed here",
)
def test_the_bundled_plan_and_comparison_print_at_a_readable_size(tmp_path):
    # Calibration: a line of Excel's default font (11 pt) at 100%, printed the same way, and its words' height.
    calibration = tmp_path / "calibration.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Calibration"
    for _ in range(20):  # many words, so that the footer's few do not move the median
        book.active.append(["Eleven point text as Excel writes it by default"])
    book.active.oddFooter.center.text = "&A, &D"  # as print_ready writes it: the page's sheet is read from it
    book.save(calibration)
    heights = [height for _, words in printed_pages(to_pdf(calibration, tmp_path), ["Calibration"]) for height in words]
    points_per_height = 11 / median(heights)

    proposal = bundled_input().with_name("legislature_proposal_example.xlsx")
    plan, comparison = tmp_path / "plan.xlsx", tmp_path / "compare.xlsx"
    assert runner.invoke(app, ["solve", "--quiet", "-o", str(plan)]).exit_code == 0
    assert runner.invoke(app, ["compare", "--quiet", str(proposal), "-o", str(comparison)]).exit_code == 0
    for workbook in (plan, comparison):
        sheets = openpyxl.load_workbook(workbook, read_only=True).sheetnames
        pages = printed_pages(to_pdf(workbook, tmp_path), sheets)
        count = {sheet: sum(1 for name, _ in pages if name == sheet) for sheet in sheets}
        summary = [height for name, heights in pages if name == "Summary" for height in heights]
        size = median(summary) * points_per_height
        print(f"{workbook.name}: {len(pages)} pages; Summary's text at about {size:.1f} pt; pages per sheet {count}")
        assert size >= 9, size  # about 6 pt when the Summary was fitted onto one page
        assert all(count[sheet] >= 1 for sheet in sheets), count  # every sheet prints, named in its footer
        if "Daily table" in count:
            assert count["Daily table"] == 1  # its note alone: every day of every scenario is not for paper
            scenarios = len(read_inputs(bundled_input()).scenarios)
            assert count["Daily"] <= 2 * scenarios, count  # a page per scenario, a second where a table runs on
        assert len(pages) <= 150, count


def test_the_allocation_lists_what_is_committed_outside_the_budget(tmp_path):
    def committed(rows):
        rows["Projects"][1].update({"Committed units": 2, "Committed start year": 2026})

    source = small_workbook(tmp_path / "committed.xlsx", committed)
    out = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["solve", "--quiet", "--no-value", str(source), "-o", str(out)]).exit_code == 0
    rows = list(openpyxl.load_workbook(out)["Allocation"].iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if row[0] == "Committed outside this budget")
    assert rows[at + 1][:5] == ("fill", "LNG fill", 2, 2026, 2026)


def test_a_relieved_requirement_is_not_called_short_on_a_day_it_is_met(tmp_path):
    # Power-saving drills relieve 20% of the 50 GWh a day: 40 GWh, 20 kt of LNG. The blockade of 2027 (before the
    # tank) then lasts 90 / 20 = 4.5 days: 4, and day 5 has 10 kt for 20 of the 40 GWh: 50% short. The Daily sheet
    # called every day 'Electricity 20% short' beside 'yes', measuring use against the requirement before relief.
    def with_drills(rows):
        earlier_blockade(rows)
        rows["Projects"].append(
            {
                "Project ID": "drill",
                "Name": "Drills",
                "Category": "training",
                "Unit cost": 10,
                "Max units": 1,
                "Lead time": 0,
            }
        )
        rows["Effects"].append(
            {"Project ID": "drill", "Effect": "relief", "Target ID": "power", "Amount per unit": 0.2}
        )
        rows["Demands"][0]["Max relief"] = 0.2  # the most of the requirement relief may remove

    source = small_workbook(tmp_path / "small.xlsx", with_drills)
    out = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["solve", "--quiet", "--no-value", str(source), "-o", str(out)]).exit_code == 0
    days = [row for row in openpyxl.load_workbook(out)["Daily"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert all(row[3] is None for row in days if row[1] == "yes") and any(row[1] == "yes" for row in days)
    assert [row[:2] for row in days[:4]] == [(1, "yes"), (4, "yes"), (5, "no"), (14, "no")]
    assert days[2][3] == "Electricity 50% short"
