"""What wrote a workbook, how and when: the plan's and comparison's Diagnostics sheet, a study's About sheet."""

from __future__ import annotations

import platform
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from trp_opt import __version__
from trp_opt.data.inputs import Inputs
from trp_opt.io.excel import TITLE, append_row
from trp_opt.io.excel import header_row as _header


def write_diagnostic_rows(ws: Worksheet, rows: list[tuple[str, object, str]]) -> None:
    """(item, value, unit) rows of a Diagnostics sheet, then what wrote the file and when."""
    rows = rows + [
        ("trp-opt version", __version__, ""),
        ("Python", platform.python_version(), ""),
        ("Written at", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "UTC"),
    ]
    for label, value, unit in rows:
        append_row(ws, [label, value, unit])
        cell = ws.cell(ws.max_row, 2)
        if unit == "seconds":
            cell.number_format = "0.000"
        elif unit == "share":
            cell.number_format = "0.00%"
    ws.freeze_panes = "A2"


def write_about_sheet(
    book: Workbook, title: str, inputs: Inputs, source: Path, rows: list[tuple[str, str]], executor: str, seconds: float
) -> None:
    """The About sheet of a study's workbook: its inputs, options (``rows``), solver, executor and wall time."""
    ws = book.create_sheet("About")
    append_row(ws, [title])
    ws["A1"].font = TITLE
    _header(ws, ["Item", "Value"])
    for item, value in [
        ("Input workbook", str(source)),
        ("Dataset", inputs.title or source.stem),
        ("Money unit", inputs.currency),
        *rows,
        ("Solver", "HiGHS through highspy, 1 thread per solve, fixed random seed"),
        ("trp-opt version", __version__),
        ("Executor", executor),
        ("Wall time", f"{seconds:,.1f} s"),
        ("Written", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
    ]:
        append_row(ws, [item, value])
    ws.freeze_panes = "A3"
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
