"""The output workbook: what an analyst reads, without this repository.

Sheets: Summary, Endurance, Allocation, Daily, with the value of money Limits, Unfunded projects, Price of
the next day, Marginal days and Days per project, and Diagnostics. Every figure
carries its unit in its header or in a Unit column; every string that came
from the inputs is a text cell (excel.append_row), never a formula.
"""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from trp_opt.data import vocabulary
from trp_opt.data.derived import plan_effect
from trp_opt.data.solution import SHORTFALL_TOLERANCE, ScenarioResult, Solution, days_text
from trp_opt.io.excel import BOLD, ROW_CM, TITLE, append_row, chart_below_table, save_atomically
from trp_opt.io.excel import header_row as _header
from trp_opt.io.excel import set_widths as _widths
from trp_opt.io.plans import NO_PROJECT_FUNDED
from trp_opt.reports.about import write_diagnostic_rows
from trp_opt.reports.limits import MORE_DAYS_SHEET, add_more_days_sheet, more_days_sentence
from trp_opt.reports.sentences import (
    counted_requirements_sentence,
    objective_words,
    scenario_sentence,
    unspent_sentence,
)
from trp_opt.reports.value import add_value_sheets
from trp_opt.reports.why import add_why_sheets, why_sections

WARNING_FILL = PatternFill("solid", fgColor="FCE4D6")
WRAPPED = Alignment(wrap_text=True, vertical="top")
MONEY = "#,##0"
DAYS = "0"
AMOUNT = "#,##0.0"
SHARE = "0.0%"


def write_plan_workbook(solution: Solution, path: Path) -> None:
    """Write the plan workbook atomically; refuses to write over the input workbook."""
    path = Path(path)
    if solution.input_file and path.resolve() == Path(solution.input_file).resolve():
        raise ValueError(f"refusing to write the plan over the input workbook {path}")
    book = Workbook()
    _summary(book.active, solution)
    _endurance(book.create_sheet("Endurance"), solution)
    _allocation(book.create_sheet("Allocation"), solution)
    _daily(book, solution)
    add_why_sheets(book, solution.inputs, solution.limits, solution.unfunded, solution.prices, solution.scenarios)
    if solution.more_days is not None:
        add_more_days_sheet(book, solution.inputs, solution.more_days)
    if solution.value is not None:  # Marginal days, Days per project
        add_value_sheets(book, solution.inputs, solution.value)
    _diagnostics(book.create_sheet("Diagnostics"), solution)
    save_atomically(book, path, Path(solution.input_file).name if solution.input_file else "")


def _format_column(worksheet: Worksheet, column: int, number_format: str, first_row: int = 2) -> None:
    for row in worksheet.iter_rows(min_row=first_row, min_col=column, max_col=column):
        for cell in row:
            if isinstance(cell.value, (int, float)):
                cell.number_format = number_format


def _summary(ws: Worksheet, solution: Solution) -> None:
    ws.title = "Summary"
    inputs = solution.inputs
    money = inputs.currency
    append_row(ws, [inputs.title or "trp-opt plan"])
    ws["A1"].font = TITLE
    append_row(ws, [])
    _header(ws, ["Figure", "Value", "Unit"])
    limit = inputs.spend_limit()
    rows = [
        ("Budget (most that may be spent)", limit, money),
        ("Spent", solution.total_spent, money),
        ("Budget left", limit - solution.total_spent, money),
        ("Worst-scenario endurance", solution.worst.endurance, "days"),
        ("Worst scenario", solution.worst.name, ""),
        ("Requirements counted", counted_requirements_sentence(inputs), ""),
        ("Objective", objective_words(solution.objective), ""),
        ("Status", _status_text(solution), ""),
    ]
    unspent = unspent_sentence(solution)
    if unspent is not None:
        rows.insert(3, ("Why it is left", unspent, ""))
    for label, value, unit in rows:
        append_row(ws, [label, value, unit])
        if isinstance(value, float):
            ws.cell(ws.max_row, 2).number_format = MONEY
        if isinstance(value, str) and len(value) > 30:  # the objective and status in words: wrapped, never cut
            ws.cell(ws.max_row, 2).alignment = WRAPPED
    if not solution.proven_optimal:
        for cell in ws[ws.max_row]:
            cell.fill = WARNING_FILL
            cell.font = BOLD
    _summary_endurance(ws, solution)
    _summary_projects(ws, solution)
    append_row(ws, [])
    _header(ws, ["What happens in each scenario"])
    names = {c.id: c.name for c in inputs.carriers.values()}
    for result in solution.scenarios:
        append_row(ws, [scenario_sentence(result, names)])
    for heading, sentences in why_sections(
        inputs, solution.scenarios, solution.limits, solution.unfunded, solution.prices
    ):
        append_row(ws, [])
        _header(ws, [heading])
        for sentence in sentences:
            append_row(ws, [sentence])
    if solution.more_days is not None:
        append_row(ws, [])
        _header(ws, [f"What {solution.more_days.asked} more days cost (sheet {MORE_DAYS_SHEET})"])
        append_row(ws, [more_days_sentence(inputs, solution.more_days)])
    if solution.notes:
        append_row(ws, [])
        _header(ws, ["Note"])
        for note in solution.notes:
            append_row(ws, [note])
    _widths(ws, {"A": 34, "B": 40, "C": 16})


def _summary_endurance(ws: Worksheet, solution: Solution) -> None:
    """Days per scenario, and the chart that a printed brief leads with."""
    append_row(ws, [])
    _header(ws, ["Scenario", "Endurance (days)", "Horizon (days)"])
    first = ws.max_row + 1
    for result in solution.scenarios:
        append_row(ws, [result.name, result.endurance, result.horizon])
    last = ws.max_row
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Endurance per scenario (days)"
    chart.x_axis.title = "scenario"
    chart.y_axis.title = "days"
    chart.legend = None
    chart.add_data(Reference(ws, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.x_axis.scaling.orientation = "maxMin"  # the first scenario at the top, as in the table
    chart.height, chart.width = max(6, 0.7 * len(solution.scenarios) + 3), 14
    chart_below_table(ws, chart)


def _summary_projects(ws: Worksheet, solution: Solution) -> None:
    """What the money buys: each funded project, all start years together, the dearest first."""
    money = solution.inputs.currency
    funded: dict[str, tuple[int, float]] = {}
    for item in solution.allocation:
        units, cost = funded.get(item.project_id, (0, 0.0))
        funded[item.project_id] = (units + item.units, cost + item.total_cost)
    append_row(ws, [])
    _header(ws, ["Funded project", "Units (all years)", f"Cost ({money})"])
    if not funded:
        append_row(ws, ["(none)"])
    for project_id, (units, cost) in sorted(funded.items(), key=lambda item: (-item[1][1], item[0])):
        append_row(ws, [project_id, units, cost])
        ws.cell(ws.max_row, 3).number_format = MONEY


def _status_text(solution: Solution) -> str:
    if solution.proven_optimal and not solution.gap:
        return "proven best: no plan within the rules does better (optimal, proven)"
    gap = f"{solution.gap:.2%}" if solution.gap is not None else "unknown"
    return (
        f"{solution.status}; gap {gap} — NOT PROVEN OPTIMAL: a plan within the rules may do better, by at most the gap"
    )


def _days_cell(days: int | None, horizon: int) -> int | str:
    """A number of days, or '≥ horizon' where the horizon is reached (the scenario does not say how long after)."""
    if days is None:
        return ""
    return days_text(days, horizon) if days >= horizon else days


def _endurance(ws: Worksheet, solution: Solution) -> None:
    carriers = solution.inputs.carriers
    _header(
        ws,
        [
            "Scenario",
            "Endurance days",
            "Fails first",
            "Shortfall",
            "Unit",
            "Unbroken",
            "Scenario ID",
            "Onset year",
            "Horizon (days)",
            "Weight",
            "Exhausted stock",
            "Also short",
            *(
                f"{carriers[c].name} on its own (days){'' if demand.counts else ', not counted'}"
                for c, demand in solution.inputs.demands.items()
            ),
        ],
    )
    for result in solution.scenarios:
        first = result.shortfalls[0] if result.shortfalls else None
        append_row(
            ws,
            [
                result.name,
                result.endurance,
                first.carrier_name if first else "",
                first.shortfall if first else None,
                first.unit if first else "",
                "yes (≥ horizon)" if result.unbroken else "no",
                result.scenario_id,
                result.onset_year,
                result.horizon,
                result.weight,
                ", ".join(carriers[c].name for c in result.exhausted_stocks),
                "; ".join(f"{s.carrier_name} {s.shortfall:,.1f} {s.unit}" for s in result.shortfalls[1:]),
                *(_days_cell(result.requirement_days.get(c), result.horizon) for c in solution.inputs.demands),
            ],
        )
    _format_column(ws, 2, DAYS)
    _format_column(ws, 4, AMOUNT)
    ws.freeze_panes = "B2"
    _widths(
        ws, {"A": 28, "B": 15, "C": 24, "D": 12, "E": 14, "F": 16, "G": 16, "H": 11, "I": 14, "J": 8, "K": 24, "L": 40}
    )


def _allocation(ws: Worksheet, solution: Solution) -> None:
    inputs = solution.inputs
    money = inputs.currency
    years = list(inputs.years)
    headers = ["Project ID", "Name", "Category", "Units", "Start year"]
    headers += [f"{y} ({money})" for y in years] + [f"Total ({money})"]
    _header(ws, headers)
    first_money_column = 6
    for funded in solution.allocation:
        append_row(
            ws,
            [funded.project_id, funded.name, funded.category, funded.units, funded.start_year]
            + [funded.cost_by_year.get(y, 0.0) for y in years]
            + [funded.total_cost],
        )
    if not solution.allocation:
        append_row(ws, [NO_PROJECT_FUNDED])
    by_year = solution.spend_by_year
    append_row(ws, [])
    append_row(ws, ["Total", "", "", "", ""] + [by_year[y] for y in years] + [solution.total_spent])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    append_row(ws, ["Budget", "", "", "", ""] + [inputs.year_budgets[y] for y in years] + [inputs.spend_limit()])
    append_row(
        ws,
        ["Budget left", "", "", "", ""]
        + [inputs.year_budgets[y] - by_year[y] for y in years]
        + [inputs.spend_limit() - solution.total_spent],
    )
    for column in range(first_money_column, first_money_column + len(years) + 1):
        _format_column(ws, column, MONEY)

    append_row(ws, [])
    _header(ws, ["Category", f"Spent ({money})", "Share of spending"])
    category_start = ws.max_row + 1
    spent = solution.total_spent
    for category, amount in solution.spend_by_category.items():
        append_row(ws, [category, amount, amount / spent if spent else 0.0])
        ws.cell(ws.max_row, 2).number_format = MONEY
        ws.cell(ws.max_row, 3).number_format = SHARE
    category_end = ws.max_row
    committed = [project for project in inputs.projects.values() if project.committed_units > 0]
    if committed:  # funded outside this budget: what the island has besides the plan, at no cost to it
        append_row(ws, [])
        _header(ws, ["Committed outside this budget", "Name", "Units", "Started", "In service from"])
        for project in committed:
            started = project.committed_start if project.committed_start is not None else "already in service"
            ready = project.committed_start + project.lead_time if project.committed_start is not None else ""
            append_row(ws, [project.id, project.name, project.committed_units, started, ready])

    chart = BarChart()
    chart.type = "col"
    chart.title = "Spending by category"
    chart.y_axis.title = money
    chart.x_axis.title = "Category"
    chart.legend = None
    chart.add_data(Reference(ws, min_col=2, min_row=category_start - 1, max_row=category_end), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=category_start, max_row=category_end))
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, f"{get_column_letter(len(headers) + 2)}2")
    ws.freeze_panes = "A2"
    _widths(ws, {"A": 22, "B": 44, "C": 14, "D": 8, "E": 11})
    for index in range(len(years) + 1):
        ws.column_dimensions[get_column_letter(first_money_column + index)].width = 18


DAILY_TABLE_SHEET = "Daily table"
DAILY_TABLE_NOTE = (
    "Every day of every scenario, for filtering, charting and copying: a row per scenario and day. "
    "Set not to print (it would be hundreds of pages): the sheet Daily prints each scenario's chart and a table "
    "of every 14th day."
)
DIGEST_STRIDE = 14  # days: the Daily sheet's table shows every other week, and the days around the first failure
DAILY_CHART_CM = 7  # each scenario's chart on the Daily sheet: with its table, a landscape page


def _daily(book: Workbook, solution: Solution) -> None:
    """Daily: for each scenario its sentence, a chart of its stocks and a table of every 14th day, a page each.
    Daily table (after it): every day, every figure, set not to print."""
    readable = book.create_sheet("Daily")
    table = book.create_sheet(DAILY_TABLE_SHEET)
    rows_of = _daily_table(table, solution)
    _daily_digest(readable, table, solution, rows_of)


def _daily_table(ws: Worksheet, solution: Solution) -> dict[str, tuple[int, int]]:
    """The full table; returns each scenario's first and last row."""
    inputs = solution.inputs
    carriers, technologies = inputs.carriers, inputs.technologies
    storable = list(inputs.storage)
    demanded = list(inputs.demands)
    relieved = sorted({c for r in solution.scenarios for c in r.relief})
    damaged = sorted({j for r in solution.scenarios for j in r.available_capacity})
    append_row(ws, [DAILY_TABLE_NOTE])
    append_row(ws, [])
    headers = ["Scenario", "Day", "All requirements met"]
    headers += [f"Stock: {carriers[c].name} ({carriers[c].unit})" for c in storable]
    # Each stock as a share of what the scenario starts with: one scale for kt of oil and combat-days alike.
    headers += [f"Stock: {carriers[c].name} (share of onset stock)" for c in storable]
    for c in demanded:
        unit = carriers[c].daily_unit
        headers += [f"Required: {carriers[c].name} ({unit})", f"Used: {carriers[c].name} ({unit})"]
        if c in relieved:
            headers.append(f"Relief: {carriers[c].name} ({unit})")
    headers += [f"Capacity: {technologies[j].name} ({carriers[technologies[j].output].daily_unit})" for j in damaged]
    _header(ws, headers)
    header = ws.max_row
    rows_of: dict[str, tuple[int, int]] = {}
    for result in solution.scenarios:
        first_row = ws.max_row + 1
        onset = {c: onset_stock(solution, result.scenario_id, c) for c in storable}
        for day in range(1, result.horizon + 1):
            row: list = [result.name, day, "yes" if day <= result.endurance else "no"]
            row += [result.stock[c][day - 1] for c in storable]
            row += [result.stock[c][day - 1] / onset[c] if onset[c] > 0 else None for c in storable]
            for c in demanded:
                row += [result.required[c][day - 1], result.used[c][day - 1]]
                if c in relieved:
                    row.append(result.relief[c][day - 1] if c in result.relief else 0.0)
            row += [result.available_capacity[j][day - 1] if j in result.available_capacity else None for j in damaged]
            append_row(ws, row)
        rows_of[result.scenario_id] = (first_row, ws.max_row)
    shares = range(4 + len(storable), 4 + 2 * len(storable))
    for column in range(4, len(headers) + 1):
        _format_column(ws, column, SHARE if column in shares else AMOUNT, first_row=header + 1)
    ws.freeze_panes = f"C{header + 1}"
    ws.column_dimensions["A"].width = 26
    for index in range(3, len(headers) + 1):
        ws.column_dimensions[get_column_letter(index)].width = max(14, min(40, len(headers[index - 1]) * 0.9))
    ws.print_area = "A1:A1"  # the note alone: where the readable pages are
    ws.print_title_rows = None
    return rows_of


def _short_that_day(solution: Solution, result: ScenarioResult, day: int) -> str:
    """The requirements not met on a day, each with its share short of what relief leaves of it, largest first
    ('' when all are met): a requirement relieved by 5% is met at 95% of it."""
    carriers = solution.inputs.carriers
    short = []
    for c in solution.inputs.demands:
        relieved = result.relief[c][day - 1] if c in result.relief else 0.0
        required, used = result.required[c][day - 1] - relieved, result.used[c][day - 1]
        if required > 0 and used < required * (1 - SHORTFALL_TOLERANCE):
            short.append((1 - used / required, carriers[c].name))
    return "; ".join(f"{name} {share:.0%} short" for share, name in sorted(short, key=lambda item: -item[0]))


def _digest_days(result: ScenarioResult) -> list[int]:
    """Day 1, every 14th day, the last day every requirement is met and the first that fails, the horizon."""
    days = {1, result.horizon, *range(DIGEST_STRIDE, result.horizon + 1, DIGEST_STRIDE)}
    if not result.unbroken:
        days |= {d for d in (result.endurance, result.endurance + 1) if 1 <= d <= result.horizon}
    return sorted(days)


def _daily_digest(ws: Worksheet, table: Worksheet, solution: Solution, rows_of: dict[str, tuple[int, int]]) -> None:
    inputs = solution.inputs
    carriers = inputs.carriers
    storable = list(inputs.storage)
    names = {c.id: c.name for c in carriers.values()}
    append_row(ws, ["Each scenario day by day: its stocks and what falls short"])
    ws["A1"].font = TITLE
    append_row(
        ws,
        [
            "A page per scenario: its chart of every stock as a share of what the scenario starts with, and a table "
            f"of every {DIGEST_STRIDE}th day and the days around the first failure (shaded). Every day and every "
            f"figure (stocks in their units, requirements, use, relief, capacity): sheet {DAILY_TABLE_SHEET}."
        ],
    )
    share_column = {c: 4 + len(storable) + offset for offset, c in enumerate(storable)}  # in the Daily table
    headers = ["Day", "All requirements met"]
    headers += [f"{carriers[c].name} stock (share of onset)" for c in storable]
    headers += ["Short that day (share of the requirement)"]
    for number, result in enumerate(solution.scenarios):
        append_row(ws, [])
        append_row(ws, [scenario_sentence(result, names)])
        ws.cell(ws.max_row, 1).font = BOLD
        if number:
            ws.row_breaks.append(Break(id=ws.max_row - 1))  # each scenario starts a page, its sentence at the top
        first, last = rows_of[result.scenario_id]
        onset = {c: onset_stock(solution, result.scenario_id, c) for c in storable}
        charted = [c for c in storable if onset[c] > 0]
        if charted:
            chart = LineChart()
            chart.title = f"Stocks over time, {result.name}"
            chart.y_axis.title = "share of the stock at onset"
            chart.y_axis.number_format = "0%"
            chart.x_axis.title = "day"
            for carrier in charted:
                values = Reference(table, min_col=share_column[carrier], min_row=first, max_row=last)
                chart.series.append(Series(values, title=carriers[carrier].name))
            chart.set_categories(Reference(table, min_col=2, min_row=first, max_row=last))
            chart.legend.position = "b"
            chart.height, chart.width = DAILY_CHART_CM, 22
            ws.add_chart(chart, f"A{ws.max_row + 1}")
            for _ in range(math.ceil(DAILY_CHART_CM / ROW_CM)):  # the rows the chart covers: 14
                append_row(ws, [])
        _header(ws, headers)
        for day in _digest_days(result):
            index = day - 1
            shares = [result.stock[c][index] / onset[c] if onset[c] > 0 else None for c in storable]
            met = "yes" if day <= result.endurance else "no"
            append_row(ws, [day, met, *shares, _short_that_day(solution, result, day)])
            ws.cell(ws.max_row, 3 + len(storable)).alignment = WRAPPED
            for column in range(3, 3 + len(storable)):
                ws.cell(ws.max_row, column).number_format = SHARE
            if not result.unbroken and day in (result.endurance, result.endurance + 1):
                for cell in ws[ws.max_row]:
                    cell.fill = WARNING_FILL
    ws.print_title_rows = None  # each scenario's table has its own header; a repeated one would sit above a chart
    _widths(ws, {"A": 8, "B": 14})
    for index in range(3, 3 + len(storable)):
        ws.column_dimensions[get_column_letter(index)].width = 12
    ws.column_dimensions[get_column_letter(3 + len(storable))].width = 48


def onset_stock(solution: Solution, scenario_id: str, carrier: str) -> float:
    """What a scenario starts with of a stored carrier: the workbook's stock and what the plan's units that count at
    the onset (finished, with what they require in service: (40)–(41)) add to it."""
    inputs = solution.inputs
    scenario = inputs.scenarios[scenario_id]
    added = plan_effect(inputs, solution.plan, scenario, vocabulary.EFFECT_STOCK, carrier)  # committed units too
    return scenario.onset_share(carrier) * inputs.storage[carrier].initial + added


def _diagnostics(ws: Worksheet, solution: Solution) -> None:
    _header(ws, ["Item", "Value", "Unit"])
    rows: list[tuple[str, object, str]] = [
        ("Solver", f"{solution.solver_name} {solution.solver_version}", ""),
        ("Status", solution.status, ""),
        ("Proven optimal", "yes" if solution.proven_optimal else "no", ""),
        ("Objective", solution.objective, ""),
        ("Primary objective value", solution.objective_value, _objective_unit(solution)),
        ("Best bound", solution.bound, _objective_unit(solution)),
        ("Relative gap", solution.gap, "share"),
    ]
    for part, seconds in solution.timings.items():
        if part != "write":
            rows.append((f"Time: {part}", seconds, "seconds"))
    rows.append(("Time: write", "see the command's output (measured after this file is written)", ""))
    rows += [
        ("Input file", Path(solution.input_file).name if solution.input_file else "", ""),
        ("Input SHA-256", solution.input_sha256, ""),
    ]
    rows += [(f"Option: {name}", value, "") for name, value in solution.options.items()]
    write_diagnostic_rows(ws, rows)
    _widths(ws, {"A": 28, "B": 70, "C": 14})


def _objective_unit(solution: Solution) -> str:
    return {"maxmin": "days", "expected": "weighted days", "target": solution.inputs.currency}[solution.objective]
