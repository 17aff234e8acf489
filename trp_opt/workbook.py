"""Opening an input workbook safely and turning each sheet into raw rows.

Nothing here judges values: every cell keeps its Excel address so that
validation can say exactly where a problem is. The file is only ever opened
for reading (openpyxl parses its XML through defusedxml, which is installed
as a dependency), and never in a way that runs macros.

Refused before parsing: missing or empty files, files that are not a zip
container (an encrypted workbook or an old .xls is an OLE file), and zip
containers whose parts would unpack to more than MAX_UNPACKED_BYTES (a
decompression bomb). Sheets with more than MAX_DATA_ROWS data rows are
refused while streaming, so memory stays bounded.
"""

from __future__ import annotations

import difflib
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from trp_opt.errors import InputError
from trp_opt.schema import Sheet

MAX_DATA_ROWS = 100_000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class RawCell:
    value: Any  # as openpyxl gives it: str, int, float, bool, datetime or None
    address: str  # e.g. "D7"
    error_value: bool = False  # an Excel error such as #DIV/0!
    uncalculated_formula: str | None = None  # the formula, when it has no saved value


@dataclass
class RawRow:
    excel_row: int
    cells: dict[str, RawCell]  # schema column name -> cell

    def is_blank(self) -> bool:
        return all(_blank(c.value) and c.uncalculated_formula is None for c in self.cells.values())


@dataclass
class RawSheet:
    name: str
    rows: list[RawRow] = field(default_factory=list)
    column_letters: dict[str, str] = field(default_factory=dict)  # schema column name -> letter


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def header_name(text: Any) -> str:
    """The column name a header cell stands for: the text before its unit, in lower case."""
    name = str(text).strip()
    if "(" in name:
        name = name[: name.index("(")]
    return " ".join(name.split()).lower()


def check_file(path: Path) -> InputError | None:
    """A reason the file cannot be an xlsx workbook, or None."""
    name = path.name
    if not path.exists():
        return InputError("", "", f"the input file {path} does not exist")
    if not path.is_file():
        return InputError("", "", f"{path} is not a file")
    if path.stat().st_size == 0:
        return InputError("", "", f"{name} is empty", expected="an Excel .xlsx workbook")
    with open(path, "rb") as handle:
        start = handle.read(8)
    if start == OLE_MAGIC:
        return InputError(
            "",
            "",
            f"{name} is a password-protected workbook or an old .xls file",
            expected="an unprotected .xlsx workbook (save it from Excel without a password, as .xlsx)",
        )
    if not zipfile.is_zipfile(path):
        return InputError("", "", f"{name} is not an Excel workbook", expected="an .xlsx file")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as problem:
        return InputError("", "", f"{name} is damaged: {problem}", expected="an .xlsx file")
    if unpacked > MAX_UNPACKED_BYTES:
        return InputError(
            "",
            "",
            f"{name} would unpack to {unpacked / 2**20:,.0f} MiB, more than the {MAX_UNPACKED_BYTES / 2**20:,.0f} MiB allowed",
            expected="an ordinary input workbook",
        )
    return None


def read_sheets(path: Path, sheets: tuple[Sheet, ...]) -> tuple[dict[str, RawSheet], list[InputError]]:
    """Raw rows of every schema sheet found in the workbook, and the problems met on the way."""
    problem = check_file(path)
    if problem is not None:
        return {}, [problem]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation and such; not the analyst's concern
            values = load_workbook(path, read_only=True, data_only=True, keep_vba=False)
            formulas = load_workbook(path, read_only=True, data_only=False, keep_vba=False)
    except Exception as failure:  # openpyxl raises many kinds for a broken file
        return {}, [InputError("", "", f"{path.name} cannot be read as an Excel workbook ({failure})", expected="an .xlsx file")]
    errors: list[InputError] = []
    found: dict[str, RawSheet] = {}
    try:
        for sheet in sheets:
            if sheet.name not in values.sheetnames:
                close = difflib.get_close_matches(sheet.name, values.sheetnames, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                errors.append(
                    InputError(sheet.name, "", f"sheet '{sheet.name}' is missing{hint}", expected=f"a sheet named '{sheet.name}'")
                )
                continue
            raw, sheet_errors = _read_sheet(values[sheet.name], formulas[sheet.name], sheet)
            errors.extend(sheet_errors)
            if raw is not None:
                found[sheet.name] = raw
    finally:
        values.close()
        formulas.close()
    return found, errors


def _read_sheet(values_ws, formulas_ws, sheet: Sheet) -> tuple[RawSheet | None, list[InputError]]:
    errors: list[InputError] = []
    rows = zip(values_ws.iter_rows(), formulas_ws.iter_rows())
    header = next(rows, None)
    if header is None:
        return None, [InputError(sheet.name, "A1", "the sheet is empty; its first row must hold the column headers")]
    value_header = header[0]
    wanted = {column.name.lower(): column.name for column in sheet.columns}
    positions: dict[str, int] = {}
    header_texts: list[str] = []
    for index, cell in enumerate(value_header):
        if _blank(cell.value):
            continue
        name = header_name(cell.value)
        header_texts.append(str(cell.value))
        if name in wanted:
            column = wanted[name]
            if column in positions:
                first = get_column_letter(positions[column] + 1)
                errors.append(
                    InputError(sheet.name, f"{get_column_letter(index + 1)}1", f"column '{column}' appears twice (also in {first}1)")
                )
            else:
                positions[column] = index
    next_free = get_column_letter(len(value_header) + 1 if value_header else 1)
    for column in sheet.columns:
        if column.name not in positions and column.required:
            close = difflib.get_close_matches(column.header, header_texts, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            errors.append(
                InputError(
                    sheet.name,
                    f"{next_free}1",
                    f"column '{column.header}' is missing{hint}",
                    expected=f"a header '{column.header}' in row 1",
                )
            )
    if errors:
        return None, errors

    raw = RawSheet(sheet.name, column_letters={c: get_column_letter(i + 1) for c, i in positions.items()})
    data_rows = 0
    # Rows are numbered as they stream: read-only mode yields every row, blank ones included.
    for excel_row, (value_row, formula_row) in enumerate(rows, start=2):
        cells = {}
        for column, index in positions.items():
            address = f"{get_column_letter(index + 1)}{excel_row}"
            if index >= len(value_row):
                cells[column] = RawCell(None, address)
                continue
            value_cell = value_row[index]
            formula_cell = formula_row[index] if index < len(formula_row) else None
            formula = None
            if value_cell.value is None and formula_cell is not None and formula_cell.data_type == "f":
                formula = str(formula_cell.value)
            cells[column] = RawCell(value_cell.value, address, value_cell.data_type == "e", formula)
        row = RawRow(excel_row, cells)
        if row.is_blank():
            continue
        data_rows += 1
        if data_rows > MAX_DATA_ROWS:
            return None, [
                InputError(
                    sheet.name,
                    f"A{row.excel_row}",
                    f"more than {MAX_DATA_ROWS:,} data rows; trp-opt refuses sheets this large",
                    expected=f"at most {MAX_DATA_ROWS:,} rows",
                )
            ]
        raw.rows.append(row)
    return raw, errors
