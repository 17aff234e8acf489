"""The comparison workbook of `trp-opt compare`.

Sheets: Summary (the three figures that cost the most days, in words, then
days per scenario), Endurance (both plans, what fails first, the gap),
Imposed figures (days recovered by lifting each alone, ranked), Projects and
Categories (side by side, with the difference; increases and cuts marked),
Limits, Unfunded projects, Price of the next day, Marginal days and Days per
project (why the proposal as written lasts what it does, and the value of its
money), Diagnostics. Every string from the inputs is a text cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from trp_opt.data.solution import Solution
from trp_opt.io.excel import BOLD, TITLE, append_row, chart_below_table, save_atomically
from trp_opt.io.excel import header_row as _header
from trp_opt.io.excel import set_widths as _widths
from trp_opt.reports.about import write_diagnostic_rows
from trp_opt.reports.sentences import answer_sentence, release_sentence, scenario_sentence
from trp_opt.reports.value import add_value_sheets
from trp_opt.reports.why import add_why_sheets, why_sections

if TYPE_CHECKING:
    from trp_opt.analysis.compare import Comparison

MORE_FILL = PatternFill("solid", fgColor="C6EFCE")  # the proposal spends more here than the best use
LESS_FILL = PatternFill("solid", fgColor="FFC7CE")  # the proposal spends less here (a cut)
MONEY = "#,##0"
SHEETS = ["Summary", "Endurance", "Imposed figures", "Projects", "Categories"]


def write_comparison_workbook(comparison: Comparison, path: Path) -> None:
    path = Path(path)
    book = Workbook()
    _summary(book.active, comparison)
    _endurance(book.create_sheet("Endurance"), comparison)
    _figures(book.create_sheet("Imposed figures"), comparison)
    _projects(book.create_sheet("Projects"), comparison)
    _categories(book.create_sheet("Categories"), comparison)
    inputs = comparison.written.inputs
    add_why_sheets(
        book, inputs, comparison.limits, comparison.unfunded, comparison.prices, comparison.written.scenarios
    )
    if comparison.value is not None:
        add_value_sheets(book, inputs, comparison.value)
    _diagnostics(book.create_sheet("Diagnostics"), comparison)
    save_atomically(book, path, f"{Path(comparison.base_file).name} and {comparison.proposal.path.name}")


def _mark_differences(ws: Worksheet, column: str, first: int, last: int) -> None:
    if last < first:
        return
    cells = f"{column}{first}:{column}{last}"
    ws.conditional_formatting.add(cells, CellIsRule(operator="greaterThan", formula=["0.5"], fill=MORE_FILL))
    ws.conditional_formatting.add(cells, CellIsRule(operator="lessThan", formula=["-0.5"], fill=LESS_FILL))


def _summary(ws: Worksheet, comparison: Comparison) -> None:
    ws.title = "Summary"
    proposal = comparison.proposal
    inputs = comparison.written.inputs
    money = inputs.currency
    append_row(ws, [f"Proposal {proposal.path.name} compared with today's plan and with the same money's best use"])
    ws["A1"].font = TITLE
    append_row(ws, [answer_sentence(comparison)])
    ws["A2"].font = BOLD
    append_row(ws, [f"Base: {inputs.title or Path(comparison.base_file).name}; budget {proposal.budget_words}"])
    append_row(ws, [])
    _header(ws, ["What the proposal's figures cost, most days first"])
    if not comparison.lifts:
        append_row(
            ws, ["The proposal imposes no earmark or project decision: as written it is the best use of its money."]
        )
    for lift in comparison.lifts[:3]:
        append_row(ws, [release_sentence(lift, comparison)])
    binding = _binding_together(comparison)
    if binding:
        append_row(ws, [binding])
    append_row(ws, [])
    _header(
        ws,
        [
            "Scenario",
            "Today's plan (days)",
            "Proposal as written (days)",
            "Same money, best use (days)",
            "Lost against today (days)",
            "Gap: the same money recovers (days)",
        ],
    )
    first = ws.max_row + 1
    written = {r.scenario_id: r for r in comparison.written.scenarios}
    today = comparison.today or comparison.best
    today_days = today.endurance_by_scenario
    for result in comparison.best.scenarios:
        s = result.scenario_id
        append_row(
            ws,
            [result.name, today_days[s], written[s].endurance, result.endurance, comparison.lost(s), comparison.gap(s)],
        )
    _mark_gap(ws, "E", first, ws.max_row)
    _mark_gap(ws, "F", first, ws.max_row)
    # The brief's chart: each scenario's days under the proposal beside the best use of the same money.
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = "Endurance per scenario (days): today, the proposal and the best use"
    chart.y_axis.title = "days"
    chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=first - 1, max_row=ws.max_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=ws.max_row))
    chart.x_axis.scaling.orientation = "maxMin"  # the first scenario at the top, as in the table
    chart.height, chart.width = max(7, 1.0 * len(comparison.best.scenarios) + 3), 15
    append_row(
        ws,
        [
            "Worst scenario",
            today.worst.endurance,
            comparison.written.worst.endurance,
            comparison.best.worst.endurance,
            today.worst.endurance - comparison.written.worst.endurance,
            comparison.best.worst.endurance - comparison.written.worst.endurance,
        ],
    )
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    append_row(
        ws,
        [
            "Today's plan: the base workbook's own optimum (its budget and figures). Lost: the days the proposal as "
            "written lasts less than today's plan; gap: the days the best use of the proposal's own money would "
            "give back. An endurance equal to the horizon means at least that many days."
        ],
    )
    chart_below_table(ws, chart)
    append_row(ws, [])
    _header(ws, ["Figure", "Proposal as written", "Same money, best use", "Unit"])
    append_row(ws, ["Most that may be spent", inputs.spend_limit(), comparison.best.inputs.spend_limit(), money])
    append_row(ws, ["Spent", comparison.written.total_spent, comparison.best.total_spent, money])
    append_row(
        ws,
        [
            "Left unspent",
            inputs.spend_limit() - comparison.written.total_spent,
            comparison.best.inputs.spend_limit() - comparison.best.total_spent,
            money,
        ],
    )
    for row in ws.iter_rows(min_row=ws.max_row - 2, max_row=ws.max_row, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = MONEY
    append_row(ws, [])
    _header(ws, ["What happens under the proposal as written"])
    names = {c.id: c.name for c in inputs.carriers.values()}
    for result in comparison.written.scenarios:
        append_row(ws, [scenario_sentence(result, names)])
    for heading, sentences in why_sections(
        inputs, comparison.written.scenarios, comparison.limits, comparison.unfunded, comparison.prices
    ):
        append_row(ws, [])
        _header(ws, [f"The proposal as written: {heading[0].lower()}{heading[1:]}"])
        for sentence in sentences:
            append_row(ws, [sentence])
    if proposal.overrides:
        append_row(ws, [])
        _header(ws, ["Input figures the proposal replaces (in both questions)"])
        for note in proposal.overrides:
            append_row(ws, [note])
    notes = comparison.written.notes + comparison.best.notes
    if notes:
        append_row(ws, [])
        _header(ws, ["Note"])
        for note in notes:
            append_row(ws, [note])
    # Narrow day columns under wrapped headers: at 170 characters wide the Summary printed at about 6.3 pt.
    _widths(ws, {"A": 34, "B": 13, "C": 13, "D": 13, "E": 13, "F": 13})


def _binding_together(comparison: Comparison) -> str:
    """Say so when the figures cost days only together: no single lift recovers the whole gap."""
    worst_gap = comparison.best.worst.endurance - comparison.written.worst.endurance
    if len(comparison.lifts) < 2 or worst_gap <= 0:
        return ""
    most = max(lift.worst_recovered for lift in comparison.lifts)
    if most >= worst_gap:
        return ""
    return (
        f"The figures cost days together: lifting any one alone recovers at most {most} of the {worst_gap} days "
        "the worst scenario loses; lifting all of them (the same money, best use) recovers them all."
    )


def _mark_gap(ws: Worksheet, column: str, first: int, last: int) -> None:
    if last >= first:
        cells = f"{column}{first}:{column}{last}"
        ws.conditional_formatting.add(cells, CellIsRule(operator="greaterThan", formula=["0"], fill=LESS_FILL))
        ws.conditional_formatting.add(cells, CellIsRule(operator="lessThan", formula=["0"], fill=MORE_FILL))


def _first_failure(result) -> tuple[str, float | None, str]:
    if not result.shortfalls:
        return ("none (≥ horizon)" if result.unbroken else "", None, "")
    first = result.shortfalls[0]
    return first.carrier_name, first.shortfall, first.unit


def _endurance(ws: Worksheet, comparison: Comparison) -> None:
    _header(
        ws,
        [
            "Scenario",
            "Proposal (days)",
            "Fails first (proposal)",
            "Shortfall (proposal)",
            "Unit",
            "Best use (days)",
            "Fails first (best use)",
            "Shortfall (best use)",
            "Unit",
            "Gap (days)",
            "Horizon (days)",
            "Weight",
        ],
    )
    best = {r.scenario_id: r for r in comparison.best.scenarios}
    for mine in comparison.written.scenarios:
        other = best[mine.scenario_id]
        append_row(
            ws,
            [
                mine.name,
                mine.endurance,
                *_first_failure(mine),
                other.endurance,
                *_first_failure(other),
                comparison.gap(mine.scenario_id),
                mine.horizon,
                mine.weight,
            ],
        )
        for column in (4, 8):
            ws.cell(ws.max_row, column).number_format = "#,##0.0"
    _mark_gap(ws, "J", 2, ws.max_row)
    ws.freeze_panes = "B2"
    _widths(ws, {"A": 26, "B": 15, "C": 24, "D": 20, "E": 16, "F": 15, "G": 24, "H": 20, "I": 16, "J": 11, "K": 14})


def _figures(ws: Worksheet, comparison: Comparison) -> None:
    scenarios = list(comparison.written.inputs.scenarios.values())
    append_row(
        ws,
        [
            "Each figure the proposal imposes, lifted alone (every other figure kept): days recovered "
            "against the proposal as written, most first"
        ],
    )
    ws["A1"].font = BOLD
    append_row(ws, [])
    _header(
        ws,
        ["Rank", "Figure", "Cell", "Worst scenario: days recovered (days)"]
        + [f"Recovered: {s.name} (days)" for s in scenarios]
        + ["How it was found", "In words"],
    )
    first = ws.max_row + 1
    for rank, lift in enumerate(comparison.lifts, start=1):
        append_row(
            ws,
            [rank, lift.figure.words, lift.figure.cell, lift.worst_recovered]
            + [lift.recovered[s.id] for s in scenarios]
            + [
                "re-solved" if lift.solved else "the best-use plan keeps every other figure: no solve needed",
                release_sentence(lift, comparison),
            ],
        )
    if not comparison.lifts:
        append_row(ws, ["", "(the proposal imposes no earmark or project decision)"])
    last = ws.max_row
    for index in range(len(scenarios) + 1):
        column = get_column_letter(4 + index)
        cells = f"{column}{first}:{column}{last}"
        if last >= first:
            ws.conditional_formatting.add(cells, CellIsRule(operator="greaterThan", formula=["0"], fill=MORE_FILL))
    ws.freeze_panes = ws.cell(first, 3)
    _widths(ws, {"A": 6, "B": 60, "C": 16, "D": 22})


def _projects(ws: Worksheet, comparison: Comparison) -> None:
    inputs = comparison.written.inputs
    money = inputs.currency
    append_row(
        ws,
        [
            "Funded projects side by side. Difference = proposal − best use: green where the proposal "
            "spends more, red where it spends less (a cut)."
        ],
    )
    ws["A1"].font = BOLD
    append_row(ws, [])
    _header(
        ws,
        [
            "Project ID",
            "Name",
            "Category",
            "Proposal: units",
            f"Proposal: cost ({money})",
            "Proposal: start years",
            "Best use: units",
            f"Best use: cost ({money})",
            "Best use: start years",
            f"Difference ({money})",
            "Fixed by the proposal",
        ],
    )
    first = ws.max_row + 1

    def by_project(solution: Solution) -> dict[str, list[Any]]:
        """Per project: units, cost and the start years, 'N from YEAR'."""
        table: dict[str, list[Any]] = {}
        for funded in solution.allocation:
            entry = table.setdefault(funded.project_id, [0, 0.0, []])
            entry[0] += funded.units
            entry[1] += funded.total_cost
            entry[2].append(f"{funded.units} from {funded.start_year}")
        return table

    mine, best = by_project(comparison.written), by_project(comparison.best)
    imposed = comparison.proposal.as_written().imposed
    ids = sorted(set(mine) | set(best) | set(imposed), key=lambda p: (inputs.projects[p].category, p))
    for project_id in ids:
        project = inputs.projects[project_id]
        m, b = mine.get(project_id, [0, 0.0, []]), best.get(project_id, [0, 0.0, []])
        decision = imposed.get(project_id)
        note = ""
        if decision is not None:
            note = f"{decision.units} unit{'s' if decision.units != 1 else ''}"
            note += f" from {decision.start_year}" if decision.start_year else ""
            note += f" ({decision.cell})"
        append_row(
            ws,
            [
                project_id,
                project.name,
                project.category,
                m[0],
                m[1],
                "; ".join(m[2]),
                b[0],
                b[1],
                "; ".join(b[2]),
                m[1] - b[1],
                note,
            ],
        )
        for column in (5, 8, 10):
            ws.cell(ws.max_row, column).number_format = MONEY
    last = ws.max_row
    _mark_differences(ws, "J", first, last)
    append_row(ws, [])
    append_row(
        ws,
        [
            "Total",
            "",
            "",
            "",
            comparison.written.total_spent,
            "",
            "",
            comparison.best.total_spent,
            "",
            comparison.written.total_spent - comparison.best.total_spent,
        ],
    )
    for cell in ws[ws.max_row]:
        cell.font = BOLD
        if isinstance(cell.value, float):
            cell.number_format = MONEY
    ws.freeze_panes = ws.cell(first, 2)
    _widths(ws, {"A": 20, "B": 44, "C": 12, "D": 10, "E": 18, "F": 22, "G": 10, "H": 18, "I": 22, "J": 18, "K": 28})


def _categories(ws: Worksheet, comparison: Comparison) -> None:
    inputs = comparison.written.inputs
    money = inputs.currency
    _header(
        ws,
        ["Category", f"Proposal ({money})", f"Best use ({money})", f"Difference ({money})", "The proposal's earmark"],
    )
    earmarks = {}
    for figure in comparison.proposal.figures:
        for rule in figure.rules:
            earmarks[rule.category] = f"{figure.words} ({figure.cell})"
    mine, best = comparison.written.spend_by_category, comparison.best.spend_by_category
    for category in inputs.categories:
        append_row(
            ws, [category, mine[category], best[category], mine[category] - best[category], earmarks.get(category, "")]
        )
        for column in (2, 3, 4):
            ws.cell(ws.max_row, column).number_format = MONEY
    last = ws.max_row
    _mark_differences(ws, "D", 2, last)
    append_row(ws, ["Difference = proposal − best use: green where the proposal spends more, red where less."])
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = "Spending by category: proposal and best use"
    chart.y_axis.title = money
    chart.x_axis.title = "category"
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, "G2")
    _widths(ws, {"A": 16, "B": 22, "C": 22, "D": 22, "E": 50})


def _diagnostics(ws: Worksheet, comparison: Comparison) -> None:
    _header(ws, ["Item", "Value", "Unit"])
    rows: list[tuple[str, object, str]] = [
        ("Base file", Path(comparison.base_file).name, ""),
        ("Base SHA-256", comparison.base_sha256, ""),
        ("Proposal file", comparison.proposal.path.name, ""),
        ("Proposal SHA-256", comparison.proposal_sha256, ""),
        ("Solver", f"{comparison.written.solver_name} {comparison.written.solver_version}", ""),
        ("Status: proposal as written", comparison.written.status, ""),
        ("Status: same money, best use", comparison.best.status, ""),
    ]
    rows += [(f"How answered: {question}", how, "") for question, how in comparison.solves.items()]
    rows += [(f"Time: {part}", seconds, "seconds") for part, seconds in comparison.timings.items() if part != "write"]
    rows.append(("Time: write", "see the command's output (measured after this file is written)", ""))
    rows += [(f"Option: {name}", value, "") for name, value in comparison.options.items()]
    if comparison.value is not None and comparison.value.marginal is not None:
        rows.append(
            ("Budget step (value of money)", comparison.value.marginal.step, comparison.written.inputs.currency)
        )
    write_diagnostic_rows(ws, rows)
    _widths(ws, {"A": 40, "B": 70, "C": 14})
