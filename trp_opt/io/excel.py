"""Small Excel helpers shared by every workbook trp-opt writes."""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart._chart import ChartBase
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from trp_opt.data.errors import OutputError
from trp_opt.data.interrupts import HeldInterrupts


class TextCell:
    """Marks a value to be written as a text cell even if it looks like a formula."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def as_text_cell(value: Any) -> Any:
    """Strings are always text: a name such as '=SUM(A1)' must never become a formula."""
    return TextCell(value) if isinstance(value, str) else value


EXCEL_CELL_CHARACTERS = 32_767  # the most text one Excel cell holds; Excel "repairs" a workbook with more


def within_a_cell(text: str) -> str:
    """Text cut to what one Excel cell holds, saying so at its end."""
    if len(text) <= EXCEL_CELL_CHARACTERS:
        return text
    note = f" … (cut: {len(text):,} characters in all)"
    return text[: EXCEL_CELL_CHARACTERS - len(note)] + note


def append_row(worksheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row; every string (or TextCell) is stored as a text cell, never a formula, and cut to what
    one cell holds."""
    cells: list[Any] = []
    for value in values:
        if isinstance(value, TextCell):
            value = value.text
        if isinstance(value, str):
            value = within_a_cell(value)
            cell = Cell(worksheet, value=None)
            cell._value = value  # bypass openpyxl's formula detection
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    worksheet.append(cells)


def write_atomically(
    path: Path,
    write: Callable[[Path], None],
    suffix: str | None = None,
    before_rename: Callable[[], None] | None = None,
    result: bool = False,
) -> None:
    """``write(temporary)`` to a temporary file beside ``path``, then rename it into place.

    A crash or Ctrl-C while writing leaves any earlier file at ``path`` intact and no half-written
    file behind. The temporary file has ``suffix`` (default: ``path``'s; writers choose the format by it)
    and a short name of its own, so that an output name near the system's limit still fits. A failure to
    write (a full disk, say) is an OutputError naming ``path``, never the hidden temporary file.
    ``before_rename``: a last check (an interrupt held until now) that may still stop the write, leaving nothing.
    ``result``: the file is the command's result (a plan, a comparison, a study), not a by-product (see written_since).
    """
    path = Path(path)
    suffix = path.suffix if suffix is None else suffix
    _clear_leftovers(path, suffix)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=suffix, dir=path.parent)
    except OSError as problem:
        raise OutputError(f"cannot write {path} ({problem.strerror or problem})") from None
    os.close(descriptor)
    try:
        write(Path(temporary))
        # mkstemp makes the file private (0600); give it the permissions a new file normally gets.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        if before_rename is not None:
            before_rename()
        _put_in_place(Path(temporary), path, result)
    except OSError as problem:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(problem, PermissionError):
            raise  # a locked file: trp_opt.io.outputs.replacing says so in the analyst's words
        raise OutputError(f"cannot write {path} ({problem.strerror or problem})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _temporary_prefix(path: Path) -> str:
    """The hidden temporary file's name starts with the output's and the writing process's: '.plan-4711-'."""
    return f".{path.stem[:40]}-{os.getpid()}-"


def _clear_leftovers(path: Path, suffix: str) -> None:
    """Remove the temporary files that earlier writes of this output left when they were killed (SIGKILL, a power
    cut): those whose writing process no longer runs. A write in progress elsewhere keeps its file."""
    pattern = re.compile(re.escape(f".{path.stem[:40]}-") + r"(\d+)-[a-z0-9_]{8}" + re.escape(suffix))  # mkstemp's 8
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return
    for candidate in candidates:
        found = pattern.fullmatch(candidate.name)
        if found is None or _running(int(found.group(1))):
            continue
        candidate.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    """A process with this ID runs (or exists but is another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# Outputs this process renamed into place (or began to): the path, the file's inode, and whether it is a result.
_put: list[tuple[Path, int, bool]] = []


def outputs_begun() -> int:
    """How many outputs this process has begun to put in place: a mark for written_since."""
    return len(_put)


def written_since(mark: int, results_only: bool = False) -> list[Path]:
    """The outputs put in place, complete, since ``mark`` (outputs_begun()), in order (``results_only``: only the
    commands' results, not a model file or a diagnosis). Judged on disk: the file at the path is the one that was
    renamed there (same inode), so an interruption at any instant of the rename is told the truth."""
    found = []
    for path, inode, result in _put[mark:]:
        if results_only and not result:
            continue
        try:
            if os.stat(path).st_ino == inode:
                found.append(path)
        except OSError:
            continue
    return found


def _put_in_place(temporary: Path, path: Path, result: bool) -> None:
    """Rename into place, recording which file it is first (see written_since)."""
    _put.append((path, os.stat(temporary).st_ino, result))
    os.replace(temporary, path)


def save_atomically(book: Workbook, path: Path, about: str = "", notes: bool = True, result: bool = True) -> None:
    """Save a workbook atomically (``write_atomically``), always as .xlsx, ready to print (print_ready; ``about``:
    the input file names for the footer, else the workbook's own; ``notes``: spread lone notes over the table,
    not for a workbook analysts fill, whose rows are data).

    The workbook is zipped in memory first: openpyxl leaves its zip file open when a write fails, and
    closing it at exit fails again, which printed a traceback after the message (a full disk).

    Ctrl-C is held while the workbook is zipped and written (trp_opt.data.interrupts): it stops the write before the
    rename (nothing written), or, once the file is in place, is raised after it, so the command says the file was
    written in full. Let through, it landed in a zip file's finalizer, where Python swallows it.
    ``result``: the workbook is the command's result (False: a by-product, the diagnosis of 'no plan')."""
    with HeldInterrupts() as held:
        print_ready(book, about or Path(path).name, notes)
        content = io.BytesIO()
        book.save(content)
        held.check()

        def write(temporary: Path) -> None:
            temporary.write_bytes(content.getvalue())

        write_atomically(path, write, suffix=".xlsx", before_rename=held.check, result=result)


BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)  # the first line of a sheet
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")  # a long header wraps instead of being cut off


def titled_sheet(book: Workbook, name: str, title: str, explanation: str) -> Worksheet:
    """A new sheet that opens with its title in bold, a line saying how to read it, and a blank row."""
    worksheet = book.create_sheet(name)
    append_row(worksheet, [title])
    worksheet["A1"].font = BOLD
    append_row(worksheet, [explanation])
    append_row(worksheet, [])
    return worksheet


def header_row(worksheet: Worksheet, headers: list[str]) -> None:
    """A table's header row: bold on a light fill, wrapped, the look of every sheet trp-opt writes. The sheet's
    first header row is repeated at the top of every printed page (print_ready)."""
    append_row(worksheet, headers)
    row = worksheet.max_row
    for cell in worksheet[row]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
    if not worksheet.print_title_rows:
        worksheet.print_title_rows = f"{row}:{row}"


# Printing (print_ready): a page holds about this many characters of Excel's default font at 100%, in its width.
PORTRAIT_CHARACTERS = 90
LINE_POINTS = 15  # height of one line of wrapped text
WIDEST_COLUMN = 60  # a column sized to its content is no wider than this (characters); longer text wraps
# Columns are sized, and lone notes looked for, in the first rows of a sheet holding this many cells (and at least
# ROWS_LOOKED_AT rows): a long wide table (Daily table: a row per scenario and day) has its notes and widest
# headers at the top, and reading every cell of it took most of the write; a narrow sheet is read further down.
ROWS_LOOKED_AT = 400
CELLS_LOOKED_AT = 16_000
FOOTER_CHARACTERS = 80  # of the file names in the footer


def print_ready(book: Workbook, about: str, notes: bool = True) -> None:
    """Every sheet set up to print: landscape where it is wider than a portrait page, one page wide, its first
    header row repeated on every page, a footer with ``about`` (the input file names), the sheet name, the date and 'Page n of
    m'. Columns are sized to their content (at least their header's longest word, so that wrapped headers
    are never cut in the middle of a word), and a note that stands alone in its row (a sentence, a sheet's
    explanation) is spread over the table's width and wrapped, so that it prints whole."""
    footer = about if len(about) <= FOOTER_CHARACTERS else about[: FOOTER_CHARACTERS - 1] + "…"
    for worksheet in book.worksheets:
        _size_columns(worksheet)
        if notes:
            _wrap_notes(worksheet)
        _fit_wrapped_rows(worksheet)
        width = sum(_width(worksheet, column) for column in range(1, worksheet.max_column + 1))  # once a sheet
        if width > PORTRAIT_CHARACTERS:
            worksheet.page_setup.orientation = "landscape"
        worksheet.page_setup.fitToWidth = 1
        # As many pages down as it takes, the Summary too: squeezed onto one page it printed at about 6 pt.
        worksheet.page_setup.fitToHeight = 0
        worksheet.sheet_properties.pageSetUpPr.fitToPage = True
        worksheet.oddFooter.left.text = footer.replace("&", "&&")  # '&' starts a code in a footer
        worksheet.oddFooter.center.text = "&A, &D"  # the sheet a printed page comes from, the date
        worksheet.oddFooter.right.text = "Page &P of &N"


ROW_CM = 0.53  # a row of 15 pt
CHART_WIDTH_CM = 14  # about a Summary's first two columns: a chart beside its table widened the printed page


def chart_below_table(worksheet: Worksheet, chart: ChartBase) -> None:
    """The chart under the rows written so far, with blank rows kept for it: beside the table it made the printed
    page twice as wide, and the Summary printed at about 6.5 pt (LibreOffice)."""
    chart.width = min(chart.width, CHART_WIDTH_CM)
    append_row(worksheet, [])
    worksheet.add_chart(chart, f"A{worksheet.max_row + 2}")
    for _ in range(math.ceil(chart.height / ROW_CM) + 1):
        append_row(worksheet, [])


def _rows_looked_at(worksheet: Worksheet) -> int:
    """No further than the sheet's last row: openpyxl makes every cell it is asked to iterate over, and a sheet
    grown by empty cells is refused when read back (the readers' row limit) and slow to write."""
    rows = max(ROWS_LOOKED_AT, CELLS_LOOKED_AT // max(1, worksheet.max_column))
    return min(worksheet.max_row, rows)


def _width(worksheet: Worksheet, column: int) -> float:
    return worksheet.column_dimensions[get_column_letter(column)].width or 8.43  # Excel's default


def _lone_note(row: tuple) -> bool:
    return isinstance(row[0].value, str) and all(cell.value in (None, "") for cell in row[1:])


def _size_columns(worksheet: Worksheet) -> None:
    """Widen each column to its longest value (lone notes aside) and its headers' longest words."""
    columns = worksheet.max_column  # openpyxl counts every cell to know it: asked once
    needed = [0.0] * columns
    for row in worksheet.iter_rows(max_row=_rows_looked_at(worksheet), max_col=columns):
        if columns > 1 and _lone_note(row):
            continue
        for index, cell in enumerate(row):
            if cell.value is None:
                continue
            value = cell.value
            text = value if isinstance(value, str) else f"{value:,.1f}" if isinstance(value, float) else str(value)
            if cell.alignment is not None and cell.alignment.wrap_text:
                longest = max((len(word) for word in text.split()), default=0)
            else:
                longest = min(len(text), WIDEST_COLUMN)
            needed[index] = max(needed[index], longest + 2)
    for index, characters in enumerate(needed, start=1):
        dimension = worksheet.column_dimensions[get_column_letter(index)]
        if characters > (dimension.width or 0):
            dimension.width = characters


def _fit_wrapped_rows(worksheet: Worksheet) -> None:
    """Rows with wrapped text (headers, a sentence in a cell) as tall as their longest cell needs: a spreadsheet
    does not always grow a row for text written by a program, and the lines then print over each other."""
    merged = {span.min_row for span in worksheet.merged_cells.ranges}  # their height is set already
    for row in worksheet.iter_rows(max_row=_rows_looked_at(worksheet), max_col=worksheet.max_column):
        if not row or row[0].row in merged:
            continue
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment is not None and cell.alignment.wrap_text:
                width = max(1, int(_width(worksheet, cell.column)))
                lines = max(lines, sum(_lines(part, width) for part in cell.value.split("\n")))
        if lines > 1:
            worksheet.row_dimensions[row[0].row].height = LINE_POINTS * lines


def _lines(text: str, width: int) -> int:
    """Lines a text wraps to in a column this many characters wide, breaking between words."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _wrap_notes(worksheet: Worksheet) -> None:
    """A lone note longer than its first column: spread over the table's columns, wrapped, its height set."""
    used = worksheet.max_column
    columns = min(used, 12)
    if columns < 2:
        return
    span = sum(_width(worksheet, column) for column in range(1, columns + 1))
    for row in worksheet.iter_rows(max_row=_rows_looked_at(worksheet), max_col=used):
        first = row[0]
        if not _lone_note(row) or len(first.value) <= _width(worksheet, 1):
            continue
        worksheet.merge_cells(start_row=first.row, start_column=1, end_row=first.row, end_column=columns)
        first.alignment = Alignment(wrap_text=True, vertical="top")
        lines = sum(max(1, -(-len(part) // int(span))) for part in first.value.split("\n"))
        worksheet.row_dimensions[first.row].height = LINE_POINTS * lines


MOST_BARS = 30  # a bar chart shows at most this many categories: the first (most important) of a ranked table


def nothing_to_chart(worksheet: Worksheet, min_col: int, max_col: int, min_row: int, max_row: int) -> bool:
    """True when every figure in the range is 0 or blank: a chart of it would be a flat line that says nothing."""
    for row in worksheet.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col):
        for cell in row:
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) and cell.value != 0:
                return False
    return True


def set_widths(worksheet: Worksheet, widths: dict[str, float]) -> None:
    """Column widths by letter, in Excel's character units."""
    for letter, width in widths.items():
        worksheet.column_dimensions[letter].width = width
