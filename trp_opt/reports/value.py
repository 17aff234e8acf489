"""The value-of-money sheets, shared by the plan workbook and the comparison workbook:
'Marginal days' and 'Days per project', each with a native chart."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from trp_opt.data.explanations import ValueOfMoney
from trp_opt.data.inputs import Inputs
from trp_opt.data.money import money_text
from trp_opt.io.excel import BOLD, MOST_BARS, append_row, nothing_to_chart
from trp_opt.io.excel import header_row as _header
from trp_opt.io.plans import NO_PROJECT_FUNDED

MARGINAL_SHEET = "Marginal days"
PROJECTS_SHEET = "Days per project"


def add_value_sheets(book: Workbook, inputs: Inputs, value: ValueOfMoney) -> None:
    _marginal(book.create_sheet(MARGINAL_SHEET), inputs, value)
    _projects(book.create_sheet(PROJECTS_SHEET), inputs, value)


def _marginal(ws: Worksheet, inputs: Inputs, value: ValueOfMoney) -> None:
    money = inputs.currency
    marginal = value.marginal
    if marginal is None:
        append_row(ws, [f"Value of money for {value.plan_label}: no fixed budget step was asked for"])
        ws["A1"].font = BOLD
        append_row(ws, [])
        append_row(
            ws,
            [
                "The Price of the next day sheet gives the least extra budget that buys one more day in each "
                "scenario. For the days a fixed amount more buys, solve again with --step AMOUNT (one more solve)."
            ],
        )
        ws.column_dimensions["A"].width = 100
        return
    step = money_text(marginal.step, money)
    if marginal.budget > 0:
        share = f"{marginal.step / marginal.budget:.1%} of the budget of {money_text(marginal.budget, money)}"
    else:
        share = "the budget is 0"
    append_row(
        ws,
        [
            f"Value of money for {value.plan_label}: days gained by {step} more "
            f"({share}), found by solving again with every year's budget scaled up"
        ],
    )
    ws["A1"].font = BOLD
    append_row(ws, [])
    _header(
        ws,
        [
            "Scenario",
            "Days at the budget (days)",
            "Days at budget + step (days)",
            f"Marginal days (days per {step})",
            f"Days per {money_text(1000, money)} (days)",
        ],
    )
    first = ws.max_row + 1
    for scenario_id, scenario in inputs.scenarios.items():
        if not marginal.proven:
            append_row(ws, [scenario.name, marginal.endurance[scenario_id], "cut short by the time limit"])
            continue
        gained = marginal.gained(scenario_id)
        append_row(
            ws,
            [
                scenario.name,
                marginal.endurance[scenario_id],
                marginal.endurance_more[scenario_id],
                gained,
                gained / marginal.step * 1000 if marginal.step > 0 else None,
            ],
        )
        ws.cell(ws.max_row, 5).number_format = "0.000"
    last = ws.max_row
    for note in value.notes:
        append_row(ws, [])
        append_row(ws, [note])
    if nothing_to_chart(ws, 4, 4, first, last):
        append_row(ws, [])
        append_row(
            ws,
            [
                f"No chart: no scenario gains a day with {step} more (the Price of the next day sheet says what one costs)."
            ],
        )
        _widths_marginal(ws)
        return
    chart = BarChart()
    chart.type = "col"
    chart.title = f"Days gained by {step} more"
    chart.y_axis.title = "days"
    chart.x_axis.title = "scenario"
    chart.legend = None
    chart.add_data(Reference(ws, min_col=4, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "G3")
    _widths_marginal(ws)


def _widths_marginal(ws: Worksheet) -> None:
    for letter, width in zip("ABCDE", (28, 24, 28, 30, 26)):
        ws.column_dimensions[letter].width = width


def _projects(ws: Worksheet, inputs: Inputs, value: ValueOfMoney) -> None:
    money = inputs.currency
    scenarios = list(inputs.scenarios.values())
    append_row(
        ws,
        [
            f"Days each scenario loses if a funded project of {value.plan_label} were dropped, the rest "
            "of the plan held fixed (the budget rules are not re-checked)"
        ],
    )
    ws["A1"].font = BOLD
    append_row(ws, [])
    _header(
        ws,
        ["Project ID", "Name", "Category", "Units", f"Cost ({money})"]
        + [f"Days lost: {s.name} (days)" for s in scenarios]
        + ["Most days lost (days)", "Required by (funded: dropping this one drops what they add)"],
    )
    first = ws.max_row + 1
    ranked = sorted(value.projects, key=lambda p: (-max(p.days_lost.values(), default=0), -p.cost, p.project_id))
    funded = {item.project_id for item in ranked}
    for item in ranked:
        lost = [item.days_lost[s.id] for s in scenarios]
        # A project bought for what requires it (a tank for its fills) says so: its days are theirs.
        required_by = ", ".join(
            p.name for p in inputs.projects.values() if item.project_id in p.requires and p.id in funded
        )
        append_row(
            ws,
            [
                item.project_id,
                item.name,
                item.category,
                item.units,
                item.cost,
                *lost,
                max(lost, default=0),
                required_by,
            ],
        )
        ws.cell(ws.max_row, 5).number_format = "#,##0"
    if not ranked:
        append_row(ws, [NO_PROJECT_FUNDED])
        return
    # The table is ranked by the most days lost: the chart shows its top, a project that loses nothing not at all.
    charted = [item for item in ranked[:MOST_BARS] if max(item.days_lost.values(), default=0) > 0]
    if not charted:
        append_row(ws, [])
        append_row(ws, ["No chart: dropping any one funded project loses no day in any scenario."])
    else:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "clustered"
        losing = sum(1 for item in ranked if max(item.days_lost.values(), default=0) > 0)
        which = f" (the {len(charted)} that lose most)" if losing > len(charted) else f" (the {losing} that lose days)"
        chart.title = "Days lost if the project were dropped" + (which if len(charted) < len(ranked) else "")
        chart.x_axis.title = "project"
        chart.y_axis.title = "days"
        end = first + len(charted) - 1
        for offset in range(len(scenarios)):
            chart.add_data(Reference(ws, min_col=6 + offset, min_row=first - 1, max_row=end), titles_from_data=True)
        # Rows are read from the top in a bar chart's axis: the project that loses most at the top.
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=end))
        chart.x_axis.scaling.orientation = "maxMin"
        chart.height, chart.width = max(8, 0.6 * len(charted) + 4), 20
        ws.add_chart(chart, f"{get_column_letter(len(scenarios) + 8)}3")
    ws.freeze_panes = ws.cell(first, 2)
    for letter, width in zip("ABCDE", (20, 44, 12, 8, 16)):
        ws.column_dimensions[letter].width = width
    for offset in range(len(scenarios) + 1):
        ws.column_dimensions[get_column_letter(6 + offset)].width = 22
    ws.column_dimensions[get_column_letter(7 + len(scenarios))].width = 40
