"""The diagnosis workbook written when no plan satisfies the rules.

It goes beside the plan's path, as ``<plan name>-diagnosis.xlsx``, never to the
plan's path itself: a workbook there is always a plan, and an earlier plan is
never replaced by a file that is not one. One sheet, ``Diagnosis``: what must
change, rule by rule, with the cell to change, and the input it came from.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from trp_opt import __version__
from trp_opt.data.errors import Infeasible
from trp_opt.io.excel import append_row, save_atomically

COLUMNS = [
    "Cell",
    "Rule",
    "As written",
    "Unit",
    "Must",
    "By",
    "By unit",
    "Largest reachable (days)",
    "Conflicts with",
    "Explanation",
]


def diagnosis_path(plan_path: Path) -> Path:
    return plan_path.with_name(f"{plan_path.stem}-diagnosis.xlsx")


def write_diagnosis_workbook(problem: Infeasible, input_path: Path, input_sha256: str, path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "Diagnosis"
    append_row(ws, ["No plan: " + problem.summary])
    ws["A1"].font = Font(bold=True, size=13)
    append_row(ws, [f"Input: {input_path.name} (SHA-256 {input_sha256})"])
    append_row(ws, [f"Written by trp-opt {__version__} at {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ} (UTC)"])
    append_row(ws, [])
    if problem.rows:
        append_row(ws, COLUMNS)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for row in problem.rows:
            append_row(ws, [row.get(column) for column in COLUMNS])
            ws.cell(ws.max_row, COLUMNS.index("Explanation") + 1).alignment = Alignment(wrap_text=True, vertical="top")
        for line in problem.conflicts[len(problem.rows) :]:  # notes after the rules
            append_row(ws, [line])
    else:
        for line in problem.conflicts:
            append_row(ws, [line])
    for letter, width in zip("ABCDEFGHIJ", (18, 30, 14, 14, 10, 14, 14, 14, 50, 90)):
        ws.column_dimensions[letter].width = width
    save_atomically(book, path, input_path.name, result=False)
