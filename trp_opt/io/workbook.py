"""Opening an input workbook safely and turning each sheet into raw rows.

Nothing here judges values: every cell keeps its Excel address so that
validation can say exactly where a problem is. The file is only ever opened
for reading (openpyxl parses its XML through defusedxml, which is installed
as a dependency, so entity tricks such as the "billion laughs" are refused),
and never in a way that runs macros: a macro workbook (.xlsm) is read for its
cell values only, its VBA part is never even loaded.

Refused before any XML is parsed, from the file's first bytes and the zip's
own directory: missing or empty files, files that are not a zip container
(an encrypted workbook, an old .xls), binary .xlsb workbooks, and zip
containers that would unpack to more than MAX_UNPACKED_BYTES or whose parts
are compressed more than MAX_RATIO to one (a decompression bomb). The sizes
the directory declares are binding: Python's zipfile never inflates a part
beyond its declared size.

Large sheets: a sheet whose declared dimension has more than MAX_ROWS rows is
refused at once; a sheet without (or with a false) dimension is streamed,
row by row, and refused as soon as it passes MAX_ROWS rows, so memory stays
bounded whatever the file says.
"""

from __future__ import annotations

import difflib
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import fromstring
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.xml.functions import iterparse  # defusedxml's, when installed

from trp_opt.data.errors import InputError
from trp_opt.io.schema import Sheet

MAX_ROWS = 10_000  # rows per sheet, blank ones included; the bundled workbook's largest sheet has 77
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 500  # deflate's best is about 1,000 to 1; spreadsheet XML stays well below 100
RATIO_CHECKED_ABOVE = 1024 * 1024  # small parts may compress as they like
MAX_PARTS = 10_000
MAX_HEADER_COLUMNS = 200  # headers are looked for in the first 200 columns
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode(
    "utf-16-le"
)  # the stream an encrypted OOXML file keeps in its OLE container


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
    headers: dict[str, str] = field(default_factory=dict)  # schema column name -> its header as written


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def header_unit(text: str) -> str:
    """The unit a header states in brackets ('NT$ million' of 'Unit cost (NT$ million)'), or ''."""
    if "(" not in text or not text.rstrip().endswith(")"):
        return ""
    return " ".join(text[text.index("(") + 1 : text.rstrip().rindex(")")].split())


def header_name(text: Any) -> str:
    """The column name a header cell stands for: the text before its unit, in lower case."""
    name = str(text).strip()
    if "(" in name:
        name = name[: name.index("(")]
    return " ".join(name.split()).lower()


def _file_problem(message: str, expected: str = "an Excel workbook saved as .xlsx") -> InputError:
    return InputError("", "", message, expected=expected)


def _is_encrypted(path: Path) -> bool:
    """An OLE container holding an 'EncryptedPackage' stream: a password-protected .xlsx."""
    tail = b""
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            if ENCRYPTED_STREAM in tail + block:
                return True
            tail = block[-len(ENCRYPTED_STREAM) :]
    return False


def check_file(path: Path) -> InputError | None:
    """A reason the file cannot be an xlsx workbook, or None. Reads only the first bytes and the zip directory."""
    name = path.name
    if not path.exists():
        return InputError("", "", f"the input file {path} does not exist")
    if not path.is_file():
        return InputError("", "", f"{path} is not a file")
    if path.stat().st_size == 0:
        return _file_problem(f"{name} is empty (0 bytes)")
    with open(path, "rb") as handle:
        start = handle.read(8)
    if start == OLE_MAGIC:
        if _is_encrypted(path):
            return _file_problem(
                f"{name} is protected by a password; trp-opt cannot read encrypted workbooks",
                "a workbook saved without a password (File > Info > Protect Workbook > Encrypt with Password: clear it)",
            )
        return _file_problem(f"{name} is an old-style .xls workbook (or another OLE file)", "a workbook saved as .xlsx")
    if not zipfile.is_zipfile(path):
        return _file_problem(f"{name} is not an Excel workbook (its content is neither .xlsx nor .xls)")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as problem:
        return _file_problem(f"{name} is damaged: {problem}")
    if len(parts) > MAX_PARTS:
        return _file_problem(
            f"{name} holds {len(parts):,} parts, more than the {MAX_PARTS:,} an input workbook may have"
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        return _file_problem(
            f"{name} would unpack to {unpacked / 2**20:,.0f} MiB, more than the {MAX_UNPACKED_BYTES / 2**20:,.0f} MiB allowed "
            "(a decompression bomb, or far more data than an input workbook holds)",
            "an ordinary input workbook",
        )
    for part in parts:
        if part.file_size > RATIO_CHECKED_ABOVE and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            return _file_problem(
                f"{name}: its part {part.filename} would unpack {part.file_size / max(part.compress_size, 1):,.0f} times "
                f"its stored size, more than the {MAX_RATIO} allowed (a decompression bomb)",
                "an ordinary input workbook",
            )
    names = {part.filename for part in parts}
    if "xl/workbook.bin" in names:
        return _file_problem(f"{name} is a binary workbook (.xlsb)", "a workbook saved as .xlsx")
    if "content.xml" in names and "mimetype" in names:  # OpenDocument (LibreOffice's .ods): readable once resaved
        return _file_problem(
            f"{name} is an OpenDocument spreadsheet (.ods), not an Excel workbook; in LibreOffice, File > Save As, "
            "choose 'Excel 2007-365 (.xlsx)' and give trp-opt that file",
            "a workbook saved as .xlsx",
        )
    if "xl/workbook.xml" not in names:
        return _file_problem(f"{name} is a zip file but not an Excel workbook (it has no xl/workbook.xml)")
    return None


ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref="((?:[A-Z]+\d+:)?[A-Z]+(\d+))"')
ROW_NUMBER = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br="(\d+)"')


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Zip part -> sheet name, from the workbook's own index (small parts, parsed by defusedxml)."""
    names: dict[str, str] = {}
    try:
        workbook = fromstring(archive.read("xl/workbook.xml"))
        relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # judged again, with a proper message, when openpyxl opens the file
        return names
    targets = {r.get("Id"): r.get("Target", "") for r in relations}
    for element in workbook.iter():
        if element.tag.endswith("}sheet"):
            relation = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            target = targets.get(relation, "").lstrip("/")
            names[target if target.startswith("xl/") else f"xl/{target}"] = element.get("name", "")
    return names


def _oversized_sheets(path: Path) -> list[InputError]:
    """Sheets with more than MAX_ROWS rows, found before openpyxl opens the file.

    Opening in read-only mode reads each sheet's <dimension>; when it is missing,
    openpyxl parses the whole sheet just to find its size, which for a million rows
    takes minutes. So the size is read here: from the dimension at the top of the
    sheet's XML, or, without one, by counting <row> tags (stopping past the limit).
    """
    problems = []
    with zipfile.ZipFile(path) as archive:
        names = _sheet_names(archive)
        for part in archive.namelist():
            if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
                continue
            name = names.get(part, part)
            with archive.open(part) as stream:
                start = stream.read(1 << 16)
                declared = DIMENSION.search(start)
                if declared is not None:
                    rows = int(declared.group(2))
                    if rows > MAX_ROWS + 1:
                        problems.append(
                            InputError(
                                name,
                                "",
                                f"the sheet declares {rows:,} rows ({declared.group(1).decode()}); "
                                f"trp-opt reads at most {MAX_ROWS:,} rows per sheet and refuses it unread",
                                expected=f"at most {MAX_ROWS:,} rows",
                            )
                        )
                    continue
                rows, carry, block = 0, b"", start
                while block:
                    buffer = carry + block
                    cut = max(0, len(buffer) - 64)  # a tag cut in two is counted with the next block
                    rows += sum(1 for match in ROW_TAG.finditer(buffer) if match.start() < cut)
                    carry = buffer[cut:]
                    if rows > MAX_ROWS + 1:
                        break
                    block = stream.read(1 << 20)
                else:
                    rows += len(ROW_TAG.findall(carry))
                if rows > MAX_ROWS + 1:
                    problems.append(
                        InputError(
                            name,
                            "",
                            f"the sheet has more than {MAX_ROWS:,} rows; trp-opt refuses it unread",
                            expected=f"at most {MAX_ROWS:,} rows",
                        )
                    )
    return problems


def _rows_out_of_order(path: Path, sheets: tuple[Sheet, ...]) -> list[InputError]:
    """Sheets whose XML stores a row after a later one, or twice. openpyxl's reader drops such a row without
    a word (a project would vanish), and no spreadsheet program writes one: saving again mends it."""
    wanted = {sheet.name for sheet in sheets}
    problems = []
    with zipfile.ZipFile(path) as archive:
        for part, name in _sheet_names(archive).items():
            if name not in wanted or part not in archive.namelist():
                continue
            previous, carry = 0, b""
            with archive.open(part) as stream:
                while block := stream.read(1 << 20):
                    buffer = carry + block
                    cut = buffer.rfind(b"<")  # a tag cut in two is read with the next block
                    for match in ROW_NUMBER.finditer(buffer, 0, cut if cut >= 0 else len(buffer)):
                        row = int(match.group(1))
                        if row <= previous:
                            problems.append(
                                InputError(
                                    name,
                                    f"A{row}",
                                    f"the file stores row {row} after row {previous} (rows out of order, or one row "
                                    "twice), which a spreadsheet program never writes; open the workbook in Excel or "
                                    "LibreOffice and save it again",
                                    expected="each row stored once, in order",
                                )
                            )
                            break
                        previous = row
                    else:
                        carry = buffer[cut:] if cut >= 0 else b""
                        continue
                    break
    return problems


def _reason(failure: BaseException) -> str:
    """The root cause of a reading failure, on one line, in words an analyst can pass on."""
    cause = failure
    while (deeper := cause.__cause__ or cause.__context__) is not None:
        cause = deeper
    if type(cause).__module__.startswith("defusedxml"):
        return "it contains XML entity or DTD declarations, which trp-opt refuses (they can hide an XML bomb)"
    text = " ".join(str(cause).split()) or type(cause).__name__
    return f"{type(cause).__name__}: {text}"[:300]


def read_sheets(path: Path, sheets: tuple[Sheet, ...]) -> tuple[dict[str, RawSheet], list[InputError]]:
    """Raw rows of every schema sheet found in the workbook, and the problems met on the way."""
    problem = check_file(path)
    if problem is not None:
        return {}, [problem]
    oversized = _oversized_sheets(path) or _rows_out_of_order(path, sheets)
    if oversized:
        return {}, oversized
    errors: list[InputError] = []
    found: dict[str, RawSheet] = {}
    # Opened through a file handle, so openpyxl judges the content, not the file name's extension.
    with open(path, "rb") as value_file, open(path, "rb") as formula_file:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter(
                    "ignore"
                )  # openpyxl warns about data validation and such; not the analyst's concern
                values = load_workbook(value_file, read_only=True, data_only=True, keep_vba=False)
                formulas = load_workbook(formula_file, read_only=True, data_only=False, keep_vba=False)
        except Exception as failure:  # openpyxl raises many kinds for a broken file
            return {}, [_file_problem(f"{path.name} cannot be read as an Excel workbook: {_reason(failure)}")]
        try:
            for sheet in sheets:
                if sheet.name not in values.sheetnames:
                    close = difflib.get_close_matches(sheet.name, values.sheetnames, n=1, cutoff=0.6)
                    if not close:  # a different case or stray spaces, e.g. 'projects ' for 'Projects'
                        close = [n for n in values.sheetnames if n.strip().lower() == sheet.name.lower()]
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    errors.append(
                        InputError(
                            sheet.name,
                            "",
                            f"sheet '{sheet.name}' is missing{hint}",
                            expected=f"a sheet named '{sheet.name}'",
                        )
                    )
                    continue
                try:
                    raw, sheet_errors = _read_sheet(values[sheet.name], formulas[sheet.name], sheet)
                except Exception as failure:  # a malformed cell deep in the XML
                    raw, sheet_errors = (
                        None,
                        [
                            InputError(
                                sheet.name,
                                "",
                                f"the sheet cannot be read: {_reason(failure)}",
                                expected="a sheet saved by Excel or another spreadsheet program",
                            )
                        ],
                    )
                errors.extend(sheet_errors)
                if raw is not None:
                    found[sheet.name] = raw
        finally:
            values.close()
            formulas.close()
    return found, errors


def _merged_ranges(worksheet) -> list[str]:
    """Merged ranges of a read-only worksheet (openpyxl does not keep them in read-only mode)."""
    ranges = []
    source = worksheet._get_source()
    try:
        for _, element in iterparse(source):
            if element.tag.endswith("}mergeCell"):
                ranges.append(element.get("ref", ""))
            element.clear()
    finally:
        source.close()
    return [r for r in ranges if r]


def _merged_errors(worksheet, sheet: Sheet, width: int) -> list[InputError]:
    """One error per merged range that touches the table's columns."""
    errors = []
    for ref in _merged_ranges(worksheet):
        if range_boundaries(ref)[0] <= width:
            errors.append(
                InputError(
                    sheet.name,
                    ref,
                    f"merged cells; trp-opt reads every cell on its own, so only {ref.split(':')[0]} has a value",
                    expected="no merged cells in a table: unmerge them and fill in every cell",
                )
            )
    return errors


def _read_sheet(values_ws, formulas_ws, sheet: Sheet) -> tuple[RawSheet | None, list[InputError]]:
    errors: list[InputError] = []
    declared = values_ws.max_row  # sizes were checked before opening (_oversized_sheets)
    # The declared dimension may be wrong; rows are counted again as they stream.
    values_ws.reset_dimensions()
    formulas_ws.reset_dimensions()
    header = next(values_ws.iter_rows(min_row=1, max_row=1, max_col=MAX_HEADER_COLUMNS), None)
    if header is None or all(_blank(cell.value) for cell in header):
        return None, [InputError(sheet.name, "A1", "the sheet is empty; its first row must hold the column headers")]
    value_header = header
    wanted = {column.name.lower(): column.name for column in sheet.columns}
    positions: dict[str, int] = {}
    header_texts: list[str] = []
    last = 0
    for index, cell in enumerate(value_header):
        if _blank(cell.value):
            continue
        last = index + 1
        name = header_name(cell.value)
        header_texts.append(str(cell.value))
        if name in wanted:
            column_name = wanted[name]
            if column_name in positions:
                first = get_column_letter(positions[column_name] + 1)
                errors.append(
                    InputError(
                        sheet.name,
                        f"{get_column_letter(index + 1)}1",
                        f"column '{column_name}' appears twice (also in {first}1)",
                    )
                )
            else:
                positions[column_name] = index
    header_errors = list(errors)
    next_free = get_column_letter(last + 1)
    for column in sheet.columns:
        if column.name not in positions and column.required:
            unmatched = {header_name(t): t for t in header_texts if header_name(t) not in wanted}
            close = [
                unmatched[n] for n in difflib.get_close_matches(column.name.lower(), list(unmatched), n=1, cutoff=0.6)
            ]
            hint = f"; did you mean '{close[0]}'?" if close else ""
            header_errors.append(
                InputError(
                    sheet.name,
                    f"{next_free}1",
                    f"column '{column.header}' is missing{hint}",
                    expected=f"a header '{column.header}' in row 1",
                )
            )
    if header_errors:
        if declared is not None:  # a sheet of known, modest size: merged headers explain missing columns
            errors += _merged_errors(values_ws, sheet, MAX_HEADER_COLUMNS)
        return None, errors + [e for e in header_errors if e not in errors]

    raw = RawSheet(
        sheet.name,
        column_letters={c: get_column_letter(i + 1) for c, i in positions.items()},
        headers={c: str(value_header[i].value).strip() for c, i in positions.items()},
    )
    width = max(positions.values()) + 1
    rows = zip(values_ws.iter_rows(min_row=2, max_col=width), formulas_ws.iter_rows(min_row=2, max_col=width))
    # Rows are numbered as they stream: read-only mode yields every row, blank ones included.
    try:
        raw = _read_rows(raw, rows, positions)
    except _TooManyRows as failure:
        return None, errors + [
            InputError(
                sheet.name,
                f"A{failure.row}",
                f"more than {MAX_ROWS:,} rows; trp-opt stopped reading here and refuses sheets this large",
                expected=f"at most {MAX_ROWS:,} rows",
            )
        ]
    except _UnreadableRow as failure:
        return None, errors + [
            InputError(
                sheet.name,
                f"{failure.row}:{failure.row}",
                f"a cell in row {failure.row} cannot be read ({_reason(failure.__cause__ or failure)})",
                expected="values saved by Excel or another spreadsheet program",
            )
        ]
    # Merged ranges follow the rows in the sheet's XML: looked for only once the rows are known to be few.
    errors += _merged_errors(values_ws, sheet, max(positions.values()) + 1)
    return raw, errors


class _UnreadableRow(Exception):
    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row


def _read_rows(raw: RawSheet, rows, positions: dict[str, int]) -> RawSheet:
    excel_row = 1
    stream = enumerate(rows, start=2)
    while True:
        try:
            item = next(stream, None)
        except Exception as failure:  # openpyxl met a value it cannot convert, e.g. <v>NaN</v>
            raise _UnreadableRow(excel_row + 1) from failure
        if item is None:
            return raw
        excel_row, (value_row, formula_row) = item
        if excel_row > MAX_ROWS + 1:
            raise _TooManyRows(excel_row)
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
                # An array formula ({=...} in Excel) is an object holding its text, not a string.
                formula = str(getattr(formula_cell.value, "text", formula_cell.value))
            cells[column] = RawCell(value_cell.value, address, value_cell.data_type == "e", formula)
        row = RawRow(excel_row, cells)
        if row.is_blank():
            continue
        raw.rows.append(row)


class _TooManyRows(Exception):
    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row
