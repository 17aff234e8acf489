"""Small Excel helpers shared by every workbook trp-opt writes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet


class TextCell:
    """Marks a value to be written as a text cell even if it looks like a formula."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def as_text_cell(value: Any) -> Any:
    """Strings are always text: a name such as '=SUM(A1)' must never become a formula."""
    return TextCell(value) if isinstance(value, str) else value


def append_row(worksheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row; every string (or TextCell) is stored as a text cell, never a formula."""
    cells: list[Any] = []
    for value in values:
        if isinstance(value, TextCell):
            value = value.text
        if isinstance(value, str):
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
    file behind. The temporary file has ``suffix`` (default: ``path``'s; writers choose the format by it).
    """
    path = Path(path)
    suffix = path.suffix if suffix is None else suffix
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=suffix, dir=path.parent)
    os.close(descriptor)
    try:
        write(Path(temporary))
        # mkstemp makes the file private (0600); give it the permissions a new file normally gets.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_atomically(book: Workbook, path: Path) -> None:
    """Save a workbook atomically (``write_atomically``), always as .xlsx."""
    write_atomically(path, book.save, suffix=".xlsx")


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
