"""The corpus of bad input workbooks (issue 5): every one is refused by the command line with a clear
Sheet!Cell (or file-level) message, exit code 2, no traceback, nothing written, the input unchanged."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import pytest
from openpyxl.xml import DEFUSEDXML
from typer.testing import CliRunner

from tests.support import badbooks as bad
from trp_opt.cli import app
from trp_opt.io.schema import SHEETS
from trp_opt.io.validate import read_inputs
from trp_opt.io.workbook import MAX_ROWS, read_sheets

runner = CliRunner()


def _set(sheet: str, cell: str, value):
    def change(book):
        book[sheet][cell] = value

    return change


def _error_value(sheet: str, cell: str, code: str):
    def change(book):
        book[sheet][cell].value = code
        book[sheet][cell].data_type = "e"

    return change


def _rows(change):
    return lambda tmp: bad.small(tmp, change)


def _cells(*edits):
    def build(tmp):
        path = bad.small(tmp)
        for edit in edits:
            bad.edit(path, edit)
        return path

    return build


def _delete_column(sheet: str, index: int):
    return lambda book: book[sheet].delete_cols(index)


def _merge(sheet: str, cells: str):
    return lambda book: book[sheet].merge_cells(cells)


def _rename_sheet(old: str, new: str):
    def change(book):
        book[old].title = new

    return change


def _remove_sheet(name: str):
    return lambda book: book.remove(book[name])


def _junk(book):
    projects = book["Projects"]
    projects.insert_rows(3)  # a blank row inside the table: skipped, not an error
    projects["B8"], projects["D8"] = "Total", "=SUM(D2:D4)"  # a total under the table, never calculated
    projects["A10"] = "Notes: costs from the 2026 special budget"


def _set_row(sheet: str, index: int, column: str, value):
    def change(rows):
        rows[sheet][index][column] = value

    return change


# (case, builder, words the message must contain)
CASES = [
    # ---- not an xlsx at all ---------------------------------------------------------------
    (
        "text file",
        lambda tmp: _write(tmp, b"Project,Unit cost\ntank,50\n"),
        ["input.xlsx is not an Excel workbook (its content is neither .xlsx nor .xls)"],
    ),
    ("random bytes", bad.random_bytes, ["input.xlsx is not an Excel workbook"]),
    (
        "OpenDocument spreadsheet",
        lambda tmp: bad.zip_of(
            tmp, "input.xlsx", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
        ),
        ["input.xlsx is an OpenDocument spreadsheet (.ods), not an Excel workbook", "Excel 2007-365 (.xlsx)"],
    ),
    ("empty file", lambda tmp: _write(tmp, b""), ["input.xlsx is empty (0 bytes)"]),
    (
        "password-protected workbook",
        bad.encrypted,
        ["protected.xlsx is protected by a password; trp-opt cannot read encrypted workbooks"],
    ),
    (
        "old .xls (OLE file)",
        lambda tmp: _write(tmp, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096),
        ["input.xlsx is an old-style .xls workbook"],
    ),
    (
        "zip that is not a workbook",
        lambda tmp: bad.zip_of(tmp, "input.xlsx", {"notes.txt": b"hello"}),
        ["input.xlsx is a zip file but not an Excel workbook (it has no xl/workbook.xml)"],
    ),
    (
        "binary .xlsb workbook",
        lambda tmp: bad.zip_of(tmp, "input.xlsb", {"xl/workbook.bin": b"\0" * 64}),
        ["input.xlsb is a binary workbook (.xlsb)"],
    ),
    ("truncated file", bad.truncated, ["input.xlsx is not an Excel workbook"]),
    # ---- sheets and columns -------------------------------------------------------------
    (
        "missing sheet",
        _cells(_remove_sheet("Policy")),
        ["Policy: sheet 'Policy' is missing (expected a sheet named 'Policy')"],
    ),
    (
        "misspelt sheet",
        _cells(_rename_sheet("Projects", "Projets")),
        ["Projects: sheet 'Projects' is missing; did you mean 'Projets'?"],
    ),
    (
        "sheet name in another case",
        _cells(_rename_sheet("Scenarios", "scenarios ")),
        ["Scenarios: sheet 'Scenarios' is missing; did you mean 'scenarios '?"],
    ),
    ("missing column", _cells(_delete_column("Projects", 4)), ["Projects!L1: column 'Unit cost (money)' is missing"]),
    (
        "renamed column",
        _cells(_set("Projects", "D1", "Unit price (NT$ million)")),
        ["Projects!M1: column 'Unit cost (money)' is missing; did you mean 'Unit price (NT$ million)'?"],
    ),
    (
        "merged cells in a table",
        _cells(_merge("Projects", "C2:C3")),
        ["Projects!C2:C3: merged cells; trp-opt reads every cell on its own, so only C2 has a value"],
    ),
    (
        "merged header cells",
        _cells(_merge("Projects", "A1:B1")),
        ["Projects!A1:B1: merged cells", "Projects!M1: column 'Name' is missing"],
    ),
    (
        "blank rows inside and junk below a table",
        _cells(_junk),
        [
            "Projects!A8: row 8 has no 'Project ID' but holds 'Total', =SUM(D2:D4); is it a total or a note below the table?",
            "Projects!A10: row 10 holds only 'Notes: costs from the 2026 special budget'; is it a note below the table?",
        ],
    ),
    # ---- cell values --------------------------------------------------------------------
    (
        "number stored as unusable text",
        _rows(_set_row("Years", 0, "Budget", "about 5")),
        ["Years!B2: not a number (got 'about 5', expected a number ≥ 0)"],
    ),
    ("decimal comma", _rows(_set_row("Years", 0, "Budget", "1,2")), ["Years!B2: not a number (got '1,2'"]),
    (
        "formula never calculated",
        _cells(_set("Years", "B2", "=40*2")),
        [
            "Years!B2: the formula was never calculated; open the workbook in Excel, let it calculate and save it (got '=40*2'"
        ],
    ),
    (
        "#DIV/0! error value",
        _cells(_error_value("Years", "B2", "#DIV/0!")),
        ["Years!B2: the cell holds an Excel error (got '#DIV/0!', expected a number ≥ 0)"],
    ),
    (
        "#REF! error value",
        _cells(_error_value("Projects", "D3", "#REF!")),
        ["Projects!D3: the cell holds an Excel error (got '#REF!'"],
    ),
    (
        "date where a number is expected",
        _cells(_set("Storage", "B2", datetime.datetime(2027, 3, 1))),
        ["Storage!B2: a date or time where a number is expected (got 2027-03-01 00:00:00"],
    ),
    (
        "duplicate ID",
        _rows(_set_row("Projects", 1, "Project ID", "tank")),
        ["Projects!A3: 'tank' appears twice (also in A2)"],
    ),
    ("unknown reference", _rows(_set_row("Effects", 1, "Target ID", "lpg")), ["Effects!C3: unknown carrier 'lpg'"]),
    (
        "requires cycle",
        _rows(_set_row("Projects", 0, "Requires", "fill")),
        ["Requires forms a cycle: tank → fill → tank"],
    ),
    (
        "negative figure",
        _rows(_set_row("Imports", 0, "Normal daily import", -50)),
        ["Imports!B2: too small (got -50, expected a number ≥ 0)"],
    ),
    (
        "NaN written by another program",
        lambda tmp: bad.raw_cell_value(tmp, "Years", "B3", "NaN"),
        ["Years!3:3: a cell in row 3 cannot be read (ValueError: invalid literal for int() with base 10: 'NaN')"],
    ),
    (
        "infinite figure",
        lambda tmp: bad.raw_cell_value(tmp, "Years", "B3", "1E999"),
        ["Years!B3: not a finite number (got inf"],
    ),
    (
        "huge figure",
        _rows(_set_row("Projects", 0, "Unit cost", 1e300)),
        ["Projects!D2: too large to be a real figure (at most 1e+12; is the unit right?) (got 1e+300"],
    ),
    (
        "formula-like text in an ID",
        _rows(_set_row("Projects", 0, "Project ID", "=cmd|'/c calc'!A1")),
        ["Projects!A2: not a valid ID"],
    ),
    # ---- size and safety ----------------------------------------------------------------
    (
        "1,000,000 rows, dimension declared",
        lambda tmp: bad.many_rows(tmp, 1_000_000, declare=True),
        [
            f"Projects: the sheet declares 1,000,000 rows (A1:J1000000); trp-opt reads at most {MAX_ROWS:,} rows per sheet and refuses it unread"
        ],
    ),
    (
        "1,000,000 rows, no dimension",
        lambda tmp: bad.many_rows(tmp, 1_000_000, declare=False),
        [f"Projects: the sheet has more than {MAX_ROWS:,} rows; trp-opt refuses it unread"],
    ),
    (
        "more rows than the dimension declares",
        lambda tmp: bad.many_rows(tmp, MAX_ROWS + 100, declare=3),
        [f"Projects!A{MAX_ROWS + 2}: more than {MAX_ROWS:,} rows; trp-opt stopped reading here"],
    ),
    (
        "decompression bomb (size)",
        lambda tmp: bad.bomb(tmp, 300),
        ["bomb.xlsx would unpack to 300 MiB, more than the 256 MiB allowed"],
    ),
    (
        "decompression bomb (ratio)",
        lambda tmp: bad.bomb(tmp, 40),
        [
            "bomb.xlsx: its part xl/worksheets/sheet1.xml would unpack",
            "times its stored size, more than the 500 allowed",
        ],
    ),
    (
        "XML entity bomb",
        bad.entity_bomb,
        ["input.xlsx cannot be read as an Excel workbook: it contains XML entity or DTD declarations"],
    ),
    (
        "rows stored out of order",
        lambda tmp: bad.rows_reordered(tmp, "Projects"),
        ["Projects!A2: the file stores row 2 after row 3", "save it again"],
    ),
    (
        "a row stored twice",
        lambda tmp: bad.rows_reordered(tmp, "Projects", twice=True),
        ["Projects!A3: the file stores row 3 after row 3"],
    ),
    (
        "macro workbook with a bad cell",
        lambda tmp: bad.macro_workbook(tmp, _set_row("Years", 0, "Budget", -1)),
        ["Years!B2: too small (got -1"],
    ),
]


def _write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "input.xlsx"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(("builder", "words"), [pytest.param(b, w, id=c) for c, b, w in CASES])
def test_bad_workbook_is_refused_cleanly(tmp_path, builder, words):
    source = builder(tmp_path)
    before = source.read_bytes()
    files_before = sorted(tmp_path.iterdir())
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["solve", "--quiet", str(source), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "nothing was written" in result.output
    for text in words:
        assert text in result.output, result.output
    assert not out.exists()
    assert sorted(tmp_path.iterdir()) == files_before  # no temporary file left either
    assert source.read_bytes() == before


SAMPLE = (
    "text file",
    "password-protected workbook",
    "misspelt sheet",
    "merged cells in a table",
    "formula never calculated",
    "NaN written by another program",
    "XML entity bomb",
)


@pytest.mark.parametrize(("builder", "words"), [pytest.param(b, w, id=c) for c, b, w in CASES if c in SAMPLE])
def test_validate_gives_the_same_message(tmp_path, builder, words):
    # `trp-opt validate` shares the reading code with `solve`: a sample of the classes is enough.
    source = builder(tmp_path)
    result = runner.invoke(app, ["validate", str(source)])
    assert result.exit_code == 2, result.output
    assert all(text in result.output for text in words), result.output


def test_every_problem_is_listed_at_once(tmp_path):
    path = bad.small(tmp_path)
    bad.edit(path, _merge("Projects", "C2:C3"))
    bad.edit(path, _set("Years", "B2", "=40*2"))
    bad.edit(path, _error_value("Storage", "B2", "#REF!"))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    for where in ("Projects!C2:C3:", "Years!B2:", "Storage!B2:"):
        assert where in result.output, result.output


def test_thousands_separators_and_percentages_are_accepted(tmp_path):
    # Decision (README, template README sheet): "1,200" is 1200 (a comma only ever separates thousands)
    # and "12%" is 0.12, when typed as text.
    def change(rows):
        rows["Years"][0]["Budget"] = "1,200"
        rows["Years"][1]["Budget"] = " 12% "
        rows["Storage"][0]["Capacity"] = "1,200.5"

    inputs = read_inputs(bad.small(tmp_path, change))
    assert inputs.year_budgets == {2027: 1200, 2028: 0.12}
    assert inputs.storage["lng"].capacity == 1200.5


def test_macro_workbook_is_read_for_its_data_only(tmp_path):
    source = bad.macro_workbook(tmp_path)
    before = source.read_bytes()
    result = runner.invoke(app, ["validate", str(source)])
    assert result.exit_code == 0, result.output
    assert read_inputs(source).projects["tank"].unit_cost == 50
    assert source.read_bytes() == before
    with zipfile.ZipFile(source) as archive:
        assert "xl/vbaProject.bin" in archive.namelist()  # the macro was there, and was ignored


def test_an_xlsx_with_another_file_name_is_judged_by_its_content(tmp_path):
    source = bad.small(tmp_path).rename(tmp_path / "budget.xlsx.bak")
    assert read_inputs(source).currency == "NT$ million"


def test_the_largest_sheet_allowed_is_read(tmp_path):
    # A header and MAX_ROWS rows: read in full, every row kept for validation.
    sheets, errors = read_sheets(bad.many_rows(tmp_path, MAX_ROWS + 1, declare=True), SHEETS)
    assert errors == []
    assert len(sheets["Projects"].rows) == MAX_ROWS
    assert sheets["Projects"].rows[-1].cells["Project ID"].value == MAX_ROWS + 1


def test_missing_input_and_folder(tmp_path):
    missing = runner.invoke(app, ["validate", str(tmp_path / "nowhere.xlsx")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    folder = runner.invoke(app, ["validate", str(tmp_path)])
    assert folder.exit_code == 2 and "is not a file" in folder.output


def test_openpyxl_parses_through_defusedxml():
    assert DEFUSEDXML, "defusedxml must be installed (a dependency) so openpyxl refuses XML entity tricks"
