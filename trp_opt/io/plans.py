"""A plan read back from a plan workbook's Allocation sheet (``trp-opt stress --plan``).

Read as strictly as an input workbook, by the same reader (file checks, size limits, cells converted and
named), then checked against the inputs' rules: known projects, allowed start years, one row per project
and start year, Max units, and the money (each year's budget and every total-budget rule).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from trp_opt.data import vocabulary
from trp_opt.data.errors import InvalidInputs
from trp_opt.data.inputs import Inputs
from trp_opt.data.money import money_text
from trp_opt.data.plans import Plan
from trp_opt.io.schema import Column, Kind, Sheet
from trp_opt.io.validate import Validator
from trp_opt.io.workbook import RawRow, read_sheets

ALLOCATION = Sheet(
    "Allocation",
    "A plan written by trp-opt solve: a row per project and start year, up to the first blank row.",
    (
        Column("Project ID", Kind.ID, "A project of the input workbook."),
        Column("Units", Kind.INTEGER, "Units started in that year.", minimum=0),
        Column("Start year", Kind.INTEGER, "The year the units start.", minimum=1900, maximum=2200),
    ),
)
NO_PROJECT_FUNDED = "(no project funded)"  # what solve writes in place of project rows for a plan that funds none
MONEY_TOLERANCE = 1e-6  # relative: a plan written by solve spends within its budgets to the solver's tolerance


def read_plan(path: Path, inputs: Inputs) -> Plan:
    """The plan in a plan workbook's Allocation sheet, checked against the inputs; InvalidInputs names every
    cell at fault."""
    sheets, errors = read_sheets(Path(path), (ALLOCATION,))
    if errors:
        raise InvalidInputs(errors)
    raw = sheets[ALLOCATION.name]
    raw.rows = _project_rows(raw.rows)
    v = Validator(sheets)
    plan: dict[tuple[str, int], int] = {}
    where: dict[tuple[str, int], RawRow] = {}
    for row, values in v.records(ALLOCATION):
        project_id, units, start = values["Project ID"], values["Units"], values["Start year"]
        project = inputs.projects.get(project_id)
        if project is None:
            v.error(
                ALLOCATION.name,
                row.cells["Project ID"].address,
                "unknown project",
                project_id,
                "a Project ID of the input workbook",
            )
            continue
        allowed = inputs.start_years(project)
        if start not in allowed:
            v.error(
                ALLOCATION.name,
                row.cells["Start year"].address,
                f"not a start year {project_id} allows",
                start,
                "one of " + ", ".join(map(str, allowed)),
            )
            continue
        key = (project_id, start)
        if key in where:
            first = where[key].cells["Project ID"].address
            v.error(
                ALLOCATION.name,
                row.cells["Project ID"].address,
                f"{project_id} from {start} appears twice (also in {first})",
            )
            continue
        plan[key], where[key] = units, row
    if not v.errors:
        _check_rules(v, inputs, plan, where)
    if v.errors:
        raise InvalidInputs(v.errors)
    return {key: units for key, units in plan.items() if units > 0}


def _project_rows(rows: list[RawRow]) -> list[RawRow]:
    """The project rows: up to the first blank row, after which solve writes its totals. The line solve writes
    for a plan that funds nothing is no project row."""
    kept: list[RawRow] = []
    for row in rows:
        cell = row.cells.get("Project ID")
        if row.excel_row == 2 and cell is not None and cell.value == NO_PROJECT_FUNDED:
            break
        if row.excel_row != 2 + len(kept):  # the reader skips blank rows: a gap is the blank row
            break
        kept.append(row)
    return kept


def _check_rules(v: Validator, inputs: Inputs, plan: dict[tuple[str, int], int], where: dict) -> None:
    """Max units per project, and the money of each year and of every total-budget rule."""
    units_of: dict[str, int] = defaultdict(int)
    spend: dict[int, float] = defaultdict(float)
    for (project_id, start), units in plan.items():
        project = inputs.projects[project_id]
        units_of[project_id] += units
        for offset, share in enumerate(project.spend_profile):
            spend[start + offset] += project.unit_cost * share * units
    last_row = {project_id: row for (project_id, _), row in where.items()}  # in sheet order: the last one stays
    for project_id, units in units_of.items():
        most = inputs.projects[project_id].max_units
        if units > most:
            v.error(
                ALLOCATION.name,
                last_row[project_id].cells["Units"].address,
                f"{units:,} units of {project_id} in all, more than its Max units",
                units,
                f"at most {most:,} units over all years",
            )
    first_cell = next(iter(where.values())).cells["Units"].address if where else "A1"
    currency = inputs.currency
    for year in inputs.years:
        budget = inputs.year_budgets[year]
        if spend[year] > budget * (1 + MONEY_TOLERANCE) + MONEY_TOLERANCE:
            v.error(
                ALLOCATION.name,
                first_cell,
                f"the plan spends {money_text(spend[year], currency)} in {year}, more than that year's budget "
                f"({inputs.year_budget_cells.get(year, 'Years')})",
                expected=f"at most {money_text(budget, currency)} in {year}",
            )
    for rule in inputs.policy:
        if rule.rule != vocabulary.RULE_TOTAL_BUDGET:
            continue
        spent = sum(spend.values()) if rule.year is None else spend[rule.year]
        if spent > rule.amount * (1 + MONEY_TOLERANCE) + MONEY_TOLERANCE:
            period = "in all years" if rule.year is None else f"in {rule.year}"
            v.error(
                ALLOCATION.name,
                first_cell,
                f"the plan spends {money_text(spent, currency)} {period}, more than the total budget "
                f"({rule.cell or rule.id})",
                expected=f"at most {money_text(rule.amount, currency)} {period}",
            )
