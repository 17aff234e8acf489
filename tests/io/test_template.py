"""The workbooks analysts fill guide them: every choice and reference column has a dropdown, every bounded
number a range, each with the schema's description as its message (trp_opt.io.template.validation_for)."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from trp_opt.io import schema
from trp_opt.io.outputs import bundled_input
from trp_opt.io.template import LAST_ROW, write_input_workbook
from trp_opt.io.validate import read_inputs


def validations(path) -> dict[tuple[str, str], object]:
    """(sheet, header) -> the data validation on that column, read back from the file."""
    book = openpyxl.load_workbook(path)
    found = {}
    for ws in book.worksheets:
        headers = {get_column_letter(cell.column): cell.value for cell in ws[1]}
        for rule in ws.data_validations.dataValidation:
            for cells in rule.sqref.ranges:
                letter = get_column_letter(cells.min_col)
                assert (cells.min_row, cells.max_row, cells.max_col) == (2, LAST_ROW, cells.min_col)
                found[ws.title, headers[letter]] = rule
    return found


@pytest.mark.parametrize("sheets", [schema.SHEETS, schema.PROPOSAL_SHEETS], ids=["inputs", "proposal"])
def test_every_choice_reference_and_bounded_number_has_a_validation(tmp_path, sheets):
    path = tmp_path / "template.xlsx"
    write_input_workbook(path, sheets=sheets)
    found = validations(path)
    names = {sheet.name for sheet in sheets}
    for sheet in sheets:
        for column in sheet.columns:
            header = f"{column.name} (money)" if column.unit == schema.MONEY else column.header
            rule = found.get((sheet.name, header))
            where = f"{sheet.name}!{header}"
            if column.kind is schema.Kind.CHOICE:
                assert rule.type == "list" and rule.formula1 == '"' + ",".join(column.choices) + '"', where
            elif column.kind is schema.Kind.YESNO:
                assert rule.type == "list" and rule.formula1 == '"yes,no"', where
            elif column.refers_to in names:
                assert rule.type == "list" and rule.formula1 == f"='{column.refers_to}'!$A$2:$A${LAST_ROW}", where
            elif column.minimum is not None or column.maximum is not None:
                assert rule.type == ("whole" if column.kind is schema.Kind.INTEGER else "decimal"), where
            else:
                assert rule is None, where
                continue
            assert rule.prompt == column.description[:255] and rule.showInputMessage, where
            assert rule.error.startswith("Expected "), where


def test_shares_are_kept_between_0_and_1_and_references_name_their_sheet(tmp_path):
    path = tmp_path / "template.xlsx"
    write_input_workbook(path)
    found = validations(path)
    assert found["Storage", "Carrier ID"].formula1 == f"='Carriers'!$A$2:$A${LAST_ROW}"
    assert found["Effects", "Project ID"].formula1 == f"='Projects'!$A$2:$A${LAST_ROW}"
    shares = [rule for (sheet, header), rule in found.items() if "share" in header.lower() and rule.type == "decimal"]
    assert shares and all((rule.formula1, rule.formula2) == ("0", "1") for rule in shares)


def test_the_bundled_workbook_has_its_dropdowns_and_still_reads():
    found = validations(bundled_input())
    assert found["ScenarioEvents", "Scenario ID"].type == "list"
    read_inputs(bundled_input())
