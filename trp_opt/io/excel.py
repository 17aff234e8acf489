"""Small Excel helpers shared by every workbook trp-opt writes."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from trp_opt.data.errors import OutputError


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


def write_atomically(path: Path, write: Callable[[Path], None], suffix: str | None = None) -> None:
    """``write(temporary)`` to a temporary file beside ``path``, then rename it into place.

    A crash or Ctrl-C while writing leaves any earlier file at ``path`` intact and no half-written
    file behind. The temporary file has ``suffix`` (default: ``path``'s; writers choose the format by it)
    and a short name of its own, so that an output name near the system's limit still fits. A failure to
    write (a full disk, say) is an OutputError naming ``path``, never the hidden temporary file.
    """
    path = Path(path)
    suffix = path.suffix if suffix is None else suffix
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.stem[:40]}-", suffix=suffix, dir=path.parent)
    except OSError as problem:
        raise OutputError(f"cannot write {path} ({problem.strerror or problem})") from None
    os.close(descriptor)
    try:
        write(Path(temporary))
        # mkstemp makes the file private (0600); give it the permissions a new file normally gets.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        _put_in_place(Path(temporary), path)
    except OSError as problem:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(problem, PermissionError):
            raise  # a locked file: trp_opt.io.outputs.replacing says so in the analyst's words
        raise OutputError(f"cannot write {path} ({problem.strerror or problem})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_put: list[tuple[Path, int]] = []  # outputs this process renamed into place (or began to), with the file's inode


def outputs_begun() -> int:
    """How many outputs this process has begun to put in place: a mark for written_since."""
    return len(_put)


def written_since(mark: int) -> list[Path]:
    """The outputs put in place, complete, since ``mark`` (outputs_begun()), in order. Judged on disk: the file at
    the path is the one that was renamed there (same inode), so an interruption at any instant of the rename
    is told the truth."""
    found = []
    for path, inode in _put[mark:]:
        try:
            if os.stat(path).st_ino == inode:
                found.append(path)
        except OSError:
            continue
    return found


def _put_in_place(temporary: Path, path: Path) -> None:
    """Rename into place, recording which file it is first (see written_since)."""
    _put.append((path, os.stat(temporary).st_ino))
    os.replace(temporary, path)


def save_atomically(book: Workbook, path: Path) -> None:
    """Save a workbook atomically (``write_atomically``), always as .xlsx.

    The workbook is zipped in memory first: openpyxl leaves its zip file open when a write fails, and
    closing it at exit fails again, which printed a traceback after the message (a full disk)."""
    content = io.BytesIO()
    book.save(content)
    write_atomically(path, lambda temporary: temporary.write_bytes(content.getvalue()), suffix=".xlsx")


BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)  # the first line of a sheet
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def header_row(worksheet: Worksheet, headers: list[str]) -> None:
    """A table's header row: bold on a light fill, the look of every sheet trp-opt writes."""
    append_row(worksheet, headers)
    for cell in worksheet[worksheet.max_row]:
        cell.font = BOLD
        cell.fill = HEADER_FILL


def set_widths(worksheet: Worksheet, widths: dict[str, float]) -> None:
    """Column widths by letter, in Excel's character units."""
    for letter, width in widths.items():
        worksheet.column_dimensions[letter].width = width
