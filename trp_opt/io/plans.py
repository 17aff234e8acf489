"""A plan read back from a plan workbook's Allocation sheet (``trp-opt stress --plan``)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from trp_opt.data.errors import InputError, InvalidInputs
from trp_opt.data.inputs import Inputs
from trp_opt.data.plans import Plan
from trp_opt.io.workbook import check_file


def read_plan(path: Path, inputs: Inputs) -> Plan:
    """A plan from an output workbook's Allocation sheet (Project ID, Units, Start year), checked against the inputs."""
    problem = check_file(Path(path))
    if problem is not None:
        raise InvalidInputs([problem])
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if "Allocation" not in book.sheetnames:
            raise InvalidInputs(
                [
                    InputError(
                        "Allocation",
                        "",
                        f"{Path(path).name} has no Allocation sheet",
                        expected="a plan workbook written by trp-opt solve",
                    )
                ]
            )
        rows = list(book["Allocation"].iter_rows(values_only=True))
    finally:
        book.close()
    header = [str(v).split("(")[0].strip().lower() if v is not None else "" for v in (rows[0] if rows else ())]
    try:
        col_project, col_units, col_start = (
            header.index("project id"),
            header.index("units"),
            header.index("start year"),
        )
    except ValueError:
        raise InvalidInputs(
            [
                InputError(
                    "Allocation",
                    "A1",
                    "the headers Project ID, Units and Start year are needed",
                    expected="a plan workbook written by trp-opt solve",
                )
            ]
        ) from None
    plan: dict[tuple[str, int], int] = {}
    errors = []
    for number, row in enumerate(rows[1:], start=2):
        project_id = row[col_project] if len(row) > col_project else None
        if project_id is None or str(project_id).strip() == "" or str(project_id).startswith("("):
            break  # the project rows end at the first blank row (totals follow)
        project_id = str(project_id).strip()
        units, start = row[col_units], row[col_start]
        letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        if project_id not in inputs.projects:
            errors.append(
                InputError(
                    "Allocation",
                    f"{letter[col_project]}{number}",
                    "unknown project",
                    project_id,
                    "a Project ID of the input workbook",
                )
            )
            continue
        if not isinstance(units, (int, float)) or units < 0 or float(units) != int(units):
            errors.append(
                InputError(
                    "Allocation",
                    f"{letter[col_units]}{number}",
                    "not a whole number of units",
                    str(units),
                    "a whole number ≥ 0",
                )
            )
            continue
        if start not in inputs.start_years(inputs.projects[project_id]):
            allowed = ", ".join(map(str, inputs.start_years(inputs.projects[project_id])))
            errors.append(
                InputError(
                    "Allocation",
                    f"{letter[col_start]}{number}",
                    "not a start year this project allows",
                    str(start),
                    f"one of {allowed}",
                )
            )
            continue
        key = (project_id, int(start))
        plan[key] = plan.get(key, 0) + int(units)
    if errors:
        raise InvalidInputs(errors)
    return {k: v for k, v in plan.items() if v > 0}
