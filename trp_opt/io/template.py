"""Writing input workbooks from the schema: the empty template and the bundled dataset."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from trp_opt.data import vocabulary
from trp_opt.io import schema
from trp_opt.io.excel import append_row, save_atomically

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def readme_rows(sheets: tuple[schema.Sheet, ...] = schema.SHEETS) -> list[list[str]]:
    """One row per column of every sheet: what it holds, its unit, whether required."""
    rows = [["Sheet", "Column", "Unit", "Required", "Expected", "Meaning"]]
    for sheet in sheets:
        rows.append([sheet.name, "", "", "", "", sheet.description])
        for column in sheet.columns:
            unit = column.unit
            if unit == schema.MONEY:
                unit = "money (the Currency in Settings)"
            rows.append(
                [
                    sheet.name,
                    column.header,
                    unit,
                    "yes" if column.required else "no",
                    column.expected,
                    column.description,
                ]
            )
    names = {sheet.name for sheet in sheets}
    kinds: list[tuple[str, str, vocabulary.EventKind | vocabulary.EffectKind]] = []
    if "ScenarioEvents" in names:
        kinds += [("ScenarioEvents", "Event", kind) for kind in vocabulary.EVENTS.values()]
    if "Effects" in names:
        kinds += [("Effects", "Effect", kind) for kind in vocabulary.EFFECTS.values()]
    for sheet_name, kind_column, kind in kinds:
        window = " May act over a window of crisis days." if getattr(kind, "windowed", False) else ""
        rows.append(
            [
                sheet_name,
                f"{kind_column} '{kind.name}'",
                vocabulary.MEASURE_WORDS[kind.measure],
                "",
                f"a {kind.target} ID in Target ID",
                f"{kind.meaning[0].upper()}{kind.meaning[1:]}.{window} In the model: {kind.equation} "
                "(models/endurance.md).",
            ]
        )
    rows.append(["(every sheet)", "", "", "", "", "Conventions, for every sheet:"])
    rows += [["(every sheet)", "", "", "", "", note] for note in CONVENTIONS]
    return rows


CONVENTIONS = (
    "Row 1 holds the headers; a column is found by the name before its unit, so 'Unit cost (NT$ million)' is 'Unit cost'.",
    "A money column's unit, when the header gives one, is the Currency in Settings: 'Unit cost (NT$ million)' in a "
    "workbook whose Currency is EUR is an error at that header (the figures are never relabelled).",
    "Numbers typed as text are accepted when they are plain: '1200', '1,200' (a comma only ever separates "
    "thousands, so '1,2' is refused), '12%' (= 0.12). Anything else, such as 'about 5', is an error naming the cell.",
    "Blank rows are skipped. A row below a table with no ID (a total, a note) is an error: delete it.",
    "Merged cells, formulas never calculated (save the workbook from Excel), Excel errors (#DIV/0!, #REF!), dates "
    "where numbers belong and figures above 1e12 are errors naming the cell.",
    "Events of one kind on one target in one scenario may not overlap: each day has one value (two rows covering the "
    "same day are an error naming both).",
    "Damage and repair: a technology's restored capacity never exceeds what is lost, so when damage stops the whole "
    "capacity is back and repair starts again from 0 if damage returns.",
    "At most 10,000 rows per sheet. Macros in an .xlsm workbook are never run: only cell values are read.",
    "The quantities of one carrier (stocks, tank room, imports, use, what technologies make and burn of it at "
    "capacity, project effects) must lie within a factor of 100 million of each other: further apart, the solver "
    "reports wrong days. The error names the largest and the smallest; state the carrier in a larger unit.",
)


def write_input_workbook(
    path: Path,
    rows_by_sheet: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    money_unit: str = schema.MONEY,
    sheets: tuple[schema.Sheet, ...] = schema.SHEETS,
) -> None:
    """Write an input workbook with every sheet of the schema and a README sheet.

    ``rows_by_sheet`` maps a sheet name to rows, each a mapping from column
    name (without unit) to value; missing sheets are written with headers
    only. Money columns get ``money_unit`` in their header. ``sheets`` is the
    schema to write: the input workbook's, or the proposal workbook's
    (schema.PROPOSAL_SHEETS).
    """
    rows_by_sheet = rows_by_sheet or {}
    unknown = set(rows_by_sheet) - {sheet.name for sheet in sheets}
    if unknown:
        raise ValueError(f"unknown sheets: {sorted(unknown)}")
    book = Workbook()
    readme = book.active
    readme.title = "README"
    for readme_row in readme_rows(sheets):
        append_row(readme, readme_row)
    for cell in readme[1]:
        cell.font = HEADER_FONT
    for letter, width in zip("ABCDEF", (16, 30, 26, 10, 40, 90)):
        readme.column_dimensions[letter].width = width
    for row in readme.iter_rows(min_row=2):
        row[5].alignment = Alignment(wrap_text=True, vertical="top")

    for sheet in sheets:
        worksheet = book.create_sheet(sheet.name)
        headers = [f"{c.name} ({money_unit})" if c.unit == schema.MONEY else c.header for c in sheet.columns]
        append_row(worksheet, headers)
        for cell in worksheet[1]:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
        for row in rows_by_sheet.get(sheet.name, ()):
            extra = set(row) - {c.name for c in sheet.columns}
            if extra:
                raise ValueError(f"{sheet.name}: unknown columns {sorted(extra)}")
            append_row(worksheet, [row.get(c.name) for c in sheet.columns])
        worksheet.freeze_panes = "A2"
        worksheet.print_title_rows = "1:1"  # the headers on every printed page
        add_validations(worksheet, sheet, {s.name for s in sheets})
        for index, column in enumerate(sheet.columns, start=1):
            width = 60 if column.name == "Source" else max(12, len(headers[index - 1]) + 2)
            worksheet.column_dimensions[get_column_letter(index)].width = width
    save_atomically(book, path, notes=False)


LAST_ROW = 10_001  # the reader takes at most 10,000 rows below the header (trp_opt.io.workbook)
EXCEL_PROMPT = 255  # the most characters Excel shows in a validation's message
EXCEL_TITLE = 32


def validation_for(column: schema.Column, sheet_names: set[str]) -> DataValidation | None:
    """The Excel data validation that the schema asks of a column: a dropdown of its choices, of yes/no, or
    of the IDs on the sheet it refers to (the whole column, so that a new row appears in the list); a range
    for numbers; and, with each, the column's description as the message shown when a cell is chosen. The
    reader checks everything again: a validation guides, it does not guard (a pasted value skips it)."""
    if column.kind is schema.Kind.CHOICE:
        rule = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"')
    elif column.kind is schema.Kind.YESNO:
        rule = DataValidation(type="list", formula1='"yes,no"')
    elif column.refers_to and column.refers_to in sheet_names:
        rule = DataValidation(type="list", formula1=f"='{column.refers_to}'!$A$2:$A${LAST_ROW}")
    elif column.kind in (schema.Kind.NUMBER, schema.Kind.INTEGER) and (
        column.minimum is not None or column.maximum is not None
    ):
        kind = "whole" if column.kind is schema.Kind.INTEGER else "decimal"
        if column.minimum is not None and column.maximum is not None:
            rule = DataValidation(
                type=kind, operator="between", formula1=f"{column.minimum:g}", formula2=f"{column.maximum:g}"
            )
        elif column.minimum is not None:
            rule = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=f"{column.minimum:g}")
        else:
            rule = DataValidation(type=kind, operator="lessThanOrEqual", formula1=f"{column.maximum:g}")
    else:
        return None
    rule.allow_blank = True  # a blank is the reader's to judge (an optional column, a row being written)
    rule.promptTitle = column.name[:EXCEL_TITLE]
    rule.prompt = column.description[:EXCEL_PROMPT]
    rule.errorTitle = column.name[:EXCEL_TITLE]
    rule.error = f"Expected {column.expected}."[:EXCEL_PROMPT]
    rule.showInputMessage = rule.showErrorMessage = True
    return rule


def add_validations(worksheet: Worksheet, sheet: schema.Sheet, sheet_names: set[str]) -> None:
    """Every column's validation (validation_for), over the rows the reader reads."""
    for index, column in enumerate(sheet.columns, start=1):
        rule = validation_for(column, sheet_names)
        if rule is None:
            continue
        letter = get_column_letter(index)
        rule.add(f"{letter}2:{letter}{LAST_ROW}")
        worksheet.add_data_validation(rule)
