"""The workbooks of the analyst studies (frontier, alternatives, stress).

Each has the study's table(s) with native Excel charts, frozen headers and
every figure's unit in its header, and an About sheet (input, options,
executor, wall time). Everything but the About sheet's 'Executor', 'Wall
time' and 'Written' rows depends only on the inputs and options, so two
runs on different executors give the same cells.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from trp_opt.data.inputs import Inputs
from trp_opt.data.money import money_text
from trp_opt.data.plans import plan_cost, units_by_project
from trp_opt.io.excel import MOST_BARS, append_row, save_atomically
from trp_opt.io.excel import header_row as _header
from trp_opt.io.plans import NO_PROJECT_FUNDED
from trp_opt.io.ranges import unit_of
from trp_opt.reports.about import write_about_sheet
from trp_opt.reports.plan import DAYS, MONEY
from trp_opt.reports.sentences import objective_words

if TYPE_CHECKING:
    from trp_opt.studies.alternatives import AlternativesResult
    from trp_opt.studies.frontier import FrontierResult
    from trp_opt.studies.stress import StressResult

VOLATILE_ABOUT_ROWS = ("Executor", "Wall time", "Written")  # differ between runs by design


def _widths(ws: Worksheet, first: float, others: float, count: int) -> None:
    ws.column_dimensions["A"].width = first
    for index in range(2, count + 1):
        ws.column_dimensions[get_column_letter(index)].width = others


def _names(inputs: Inputs) -> dict[str, str]:
    return {s: inputs.scenarios[s].name for s in inputs.scenarios}


CHARTED_SCENARIOS = 4  # beside the worst case: a chart of fourteen lines says nothing


def charted_scenarios(endurances: list[dict[str, int]], order: list[str]) -> list[str]:
    """The few scenarios worth a series beside the worst case: those that are the worst in some row (they hold it),
    then those whose days vary most from row to row; at most CHARTED_SCENARIOS, in the sheet's order."""
    if not endurances:
        return []
    holding = {s for days in endurances for s in order if days[s] == min(days.values())}
    spread = {s: max(days[s] for days in endurances) - min(days[s] for days in endurances) for s in order}
    chosen = sorted(order, key=lambda s: (s not in holding, -spread[s], order.index(s)))[:CHARTED_SCENARIOS]
    return [s for s in order if s in chosen]


def _highlight_worst(chart: LineChart) -> None:
    """The worst case, the first series, drawn thick; the legend below the plot, not beside it."""
    chart.series[0].graphicalProperties.line.width = 50800  # 4 pt, in EMU
    chart.legend.position = "b"


# ---- frontier -----------------------------------------------------------------------------------
FRONTIER_PLANS_NOTE = (
    "Each budget's plan is its optimum: the most days, then the cheapest. Where two budgets have the same days in "
    "every scenario and the same cost, the smaller budget's plan is kept (it fits the larger one and is as good), so "
    "a change here is one the money makes."
)
SPENDS_LESS_NOTE = (
    "A larger budget can spend less: its optimum is the cheapest plan with the most days it allows, and every year's "
    "budget grows with the total, so a cheaper plan that needs more money in one year (a unit started earlier) may "
    "fit only the larger budget."
)


def write_frontier_workbook(result: FrontierResult, inputs: Inputs, source: Path, path: Path, executor: str) -> None:
    money = inputs.currency
    names = _names(inputs)
    book = Workbook()
    ws = book.active
    ws.title = "Frontier"
    headers = [f"Total budget ({money})", "Worst case (days)"] + [f"{names[s]} (days)" for s in names]
    headers += [f"Spent ({money})", "Status"]
    _header(ws, headers)
    for budget, optimum in zip(result.budgets, result.optima):
        spent = plan_cost(inputs, optimum.plan)
        if optimum.feasible:
            status = "optimal" if optimum.proven else "not proven optimal"
            append_row(ws, [budget, optimum.worst] + [optimum.endurance[s] for s in names] + [spent, status])
        else:
            append_row(ws, [budget, None] + [None for _ in names] + [None, f"no plan: {optimum.note}"])
    last = ws.max_row
    for row in ws.iter_rows(min_row=2, max_row=last):
        row[0].number_format = MONEY
        row[len(names) + 2].number_format = MONEY
        for cell in row[1 : len(names) + 2]:
            cell.number_format = DAYS
    ws.freeze_panes = "B2"
    _widths(ws, 24, 20, len(headers))
    chart = LineChart()
    shown = charted_scenarios([o.endurance for o in result.optima if o.feasible], list(names))
    chart.title = "Endurance against total budget: the worst case" + (
        f" and the {len(shown)} scenarios that hold it" if shown else ""
    )
    chart.y_axis.title = "Endurance (days)"
    chart.x_axis.title = f"Total budget ({money})"
    columns = [2] + [3 + list(names).index(s) for s in shown]
    for column in columns:
        chart.add_data(Reference(ws, min_col=column, max_col=column, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    for series in chart.series:  # a handful of budgets: each one marked, joined by straight lines
        series.marker.symbol = "circle"
        series.smooth = False
    _highlight_worst(chart)
    chart.height, chart.width = 10, 20
    ws.add_chart(chart, f"{get_column_letter(len(headers) + 2)}2")

    tp = book.create_sheet("Turning points")
    _header(
        tp,
        [
            f"From budget ({money})",
            f"To budget ({money})",
            "Projects entering",
            "Projects leaving",
            "Units changed (project: before → after)",
            "Start years changed (project: before → after)",
            "Worst case before (days)",
            "Worst case after (days)",
            f"Worst-case days per 1,000 {money}",
            f"Spent before ({money})",
            f"Spent after ({money})",
        ],
    )
    spends_less = False
    for point in result.turning_points:
        gained = (point["worst_after"] - point["worst_before"]) / (point["to"] - point["from"]) * 1000
        spends_less = spends_less or point["spent_after"] < point["spent_before"]
        append_row(
            tp,
            [
                point["from"],
                point["to"],
                "; ".join(point["entering"]) or "—",
                "; ".join(point["leaving"]) or "—",
                "; ".join(f"{p}: {a} → {b}" for p, a, b in point["changed"]) or "—",
                "; ".join(f"{p}: {a} → {b}" for p, a, b in point["moved"]) or "—",
                point["worst_before"],
                point["worst_after"],
                gained,
                point["spent_before"],
                point["spent_after"],
            ],
        )
        for column in (1, 2, 10, 11):
            tp.cell(tp.max_row, column).number_format = MONEY
        tp.cell(tp.max_row, 9).number_format = "0.000"
    if not result.turning_points:
        append_row(tp, ["(the plan is the same at every budget level)"])
    append_row(tp, [])
    append_row(tp, [FRONTIER_PLANS_NOTE])
    if spends_less:
        append_row(tp, [SPENDS_LESS_NOTE])
    tp.freeze_panes = "A2"
    _widths(tp, 20, 22, 11)
    tp.column_dimensions["E"].width = 60
    tp.column_dimensions["F"].width = 60

    plans = book.create_sheet("Plans")
    projects = sorted({p for o in result.optima for p in units_by_project(o.plan)})
    _header(plans, ["Project ID", "Name"] + [f"Units at {money_text(b, money)}" for b in result.budgets])
    for project_id in projects:
        append_row(
            plans,
            [project_id, inputs.projects[project_id].name]
            + [units_by_project(o.plan).get(project_id, 0) for o in result.optima],
        )
    plans.freeze_panes = "C2"
    _widths(plans, 20, 22, 2 + len(result.budgets))
    plans.column_dimensions["B"].width = 40

    write_about_sheet(
        book,
        "Budget frontier",
        inputs,
        source,
        [
            (
                "Budget levels",
                f"{len(result.budgets)}, from {money_text(result.budgets[0], money)} to "
                f"{money_text(result.budgets[-1], money)}",
            ),
            ("Yearly budgets", "scaled with the total, keeping the workbook's yearly split"),
            ("Objective", objective_words("maxmin")),
        ],
        executor,
        result.seconds,
    )
    save_atomically(book, path, source.name)


# ---- alternatives -------------------------------------------------------------------------------
def write_alternatives_workbook(
    result: AlternativesResult, inputs: Inputs, source: Path, path: Path, executor: str
) -> None:
    money = inputs.currency
    names = _names(inputs)
    book = Workbook()
    ws = book.active
    ws.title = "Alternatives"
    headers = ["Plan", "Worst case (days)"] + [f"{names[s]} (days)" for s in names]
    headers += [f"Cost ({money})", "Units changed vs nearest earlier plan"]
    _header(ws, headers)
    for index, (plan, endurance) in enumerate(zip(result.plans, result.endurance)):
        cost = plan_cost(inputs, plan)
        label = "Optimum" if index == 0 else f"Alternative {index}"
        append_row(
            ws, [label, min(endurance.values())] + [endurance[s] for s in names] + [cost, result.distance[index]]
        )
        ws.cell(ws.max_row, len(names) + 3).number_format = MONEY
    last = ws.max_row
    ws.freeze_panes = "B2"
    _widths(ws, 16, 20, len(headers))
    chart = BarChart()
    chart.type = "col"
    shown = charted_scenarios(result.endurance, list(names))
    chart.title = "Endurance of each plan: the worst case" + (
        f" and the {len(shown)} scenarios where the plans differ most" if shown else ""
    )
    chart.y_axis.title = "Endurance (days)"
    for column in [2] + [3 + list(names).index(s) for s in shown]:
        chart.add_data(Reference(ws, min_col=column, max_col=column, min_row=1, max_row=last), titles_from_data=True)
    chart.legend.position = "b"
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.height, chart.width = 10, 20
    ws.add_chart(chart, f"{get_column_letter(len(headers) + 2)}2")
    append_row(ws, [])
    append_row(
        ws,
        [
            f"Every plan keeps every scenario at ≥ {result.floor_days} days: the best worst case, "
            f"{result.best_worst} days, less {result.within:g} %, rounded up to a whole day."
            + (
                f" Every alternative costs at most {money_text(result.max_cost, money)} (--max-cost)."
                if result.max_cost is not None
                else ""
            )
        ],
    )
    if result.stopped:
        append_row(ws, [f"Note: {result.stopped}."])

    pr = book.create_sheet("Projects")
    labels = ["Optimum"] + [f"Alternative {k}" for k in range(1, len(result.plans))]
    _header(pr, ["Project ID", "Name", f"Unit cost ({money})", "Verdict"] + [f"{label} (units)" for label in labels])
    funded = result.funded_in()
    must = set(result.must_fund)
    for project_id in sorted(funded, key=lambda p: (p not in must, p)):
        project = inputs.projects[project_id]
        verdict = "must fund" if project_id in must else "swappable"
        if len(result.plans) < 2:
            verdict = "in the optimum (no alternative to set it against)"
        append_row(pr, [project_id, project.name, project.unit_cost, verdict] + funded[project_id])
        pr.cell(pr.max_row, 3).number_format = MONEY
    pr.freeze_panes = "E2"
    _widths(pr, 20, 16, 4 + len(labels))
    pr.column_dimensions["B"].width = 40

    plans = book.create_sheet("Plans")
    _header(plans, ["Plan", "Project ID", "Start year", "Units", f"Cost ({money})"])
    for label, plan in zip(labels, result.plans):
        for (project_id, start), units in sorted(plan.items()):
            append_row(plans, [label, project_id, start, units, units * inputs.projects[project_id].unit_cost])
            plans.cell(plans.max_row, 5).number_format = MONEY
    plans.freeze_panes = "A2"
    _widths(plans, 16, 16, 5)

    write_about_sheet(
        book,
        "Near-optimal alternatives",
        inputs,
        source,
        [
            ("Plans", f"{len(result.plans)} found of {result.asked} asked for (the optimum included)"),
            (
                "Tolerance",
                f"{result.within:g} % below the best worst-case endurance ({result.best_worst} days) → "
                f"≥ {result.floor_days} days, rounded up",
            ),
            (
                "Most an alternative costs",
                money_text(result.max_cost, money) if result.max_cost is not None else "no limit",
            ),
            (
                "Method",
                "each alternative maximises the smallest number of changed units (per project, all start years together) "
                "against every earlier plan, at least 1",
            ),
            ("Must fund", "; ".join(result.must_fund) or "—"),
            ("Swappable", "; ".join(result.swappable) or "—"),
        ],
        executor,
        result.seconds,
    )
    save_atomically(book, path, source.name)


# ---- stress -------------------------------------------------------------------------------------
def write_stress_workbook(result: StressResult, inputs: Inputs, source: Path, path: Path, executor: str) -> None:
    names = _names(inputs)
    book = Workbook()
    ws = book.active
    ws.title = "Percentiles"
    fixed = result.percentiles(result.samples)
    reoptimised, reoptimised_days = result.reoptimised, result.reoptimised_endurance
    reopt = result.percentiles(reoptimised_days) if reoptimised is not None and reoptimised_days is not None else None
    headers = ["Scenario", "Likely inputs (days)", "P10 (days)", "P50 (days)", "P90 (days)"]
    if reopt:
        headers += [
            "Re-optimised P10 (days)",
            "Re-optimised P50 (days)",
            "Re-optimised P90 (days)",
            "Mean gain from re-optimising (days)",
        ]
    _header(ws, headers)
    rows = [*result.scenario_ids, "worst"]
    for s in rows:
        likely = min(result.likely.values()) if s == "worst" else result.likely[s]
        line = ["Worst case" if s == "worst" else names[s], likely, *fixed[s]]
        if reopt and reoptimised is not None:
            gains = [
                (min(o.endurance.values()) if s == "worst" else o.endurance[s])
                - (min(d.values()) if s == "worst" else d[s])
                for o, d in zip(reoptimised, result.samples)
            ]
            line += [*reopt[s], sum(gains) / len(gains)]
        append_row(ws, line)
        for cell in ws[ws.max_row][1:]:
            cell.number_format = "0.0"
    last = ws.max_row
    ws.freeze_panes = "B2"
    _widths(ws, 30, 18, len(headers))
    chart = BarChart()
    chart.type = "col"
    chart.title = "Endurance with the plan held: P10, P50, P90"
    chart.y_axis.title = "Endurance (days)"
    chart.add_data(Reference(ws, min_col=3, max_col=5, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.height, chart.width = 10, 20
    ws.add_chart(chart, f"A{last + 3}")

    tornado = book.create_sheet("Tornado")
    _header(
        tornado,
        [
            "Uncertain input",
            "Cell",
            "Unit",
            "Low",
            "Likely",
            "High",
            "Worst case at low (days)",
            "Worst case at high (days)",
            "Swing (days)",
            "Largest swing of one scenario (days)",
            "In scenario",
        ],
    )
    ranked = result.ranked_tornado()
    likely_worst = min(result.likely.values())
    for item, low, high, swing, scenario_swing, scenario in ranked:
        append_row(
            tornado,
            [
                item.label,
                item.cell,
                unit_of(item, inputs),
                item.low,
                item.likely,
                item.high,
                min(low.values()),
                min(high.values()),
                swing,
                scenario_swing,
                names[scenario],
            ],
        )
    tornado.freeze_panes = "B2"
    _widths(tornado, 50, 14, 11)
    if ranked:
        # Bars of the change from the likely worst case at each end: the classic tornado shape.
        append_row(tornado, [])
        _header(tornado, ["Uncertain input", "Change at low (days)", "Change at high (days)"])
        start = tornado.max_row + 1
        for item, low, high, *_ in reversed(ranked[:MOST_BARS]):  # the widest swing at the top of the chart
            append_row(tornado, [item.label, min(low.values()) - likely_worst, min(high.values()) - likely_worst])
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "clustered"
        chart.overlap = 100
        chart.title = f"Tornado: worst-case endurance vs {likely_worst} days at likely inputs" + (
            f" (the {MOST_BARS} widest swings)" if len(ranked) > MOST_BARS else ""
        )
        chart.x_axis.title = "Uncertain input"
        chart.y_axis.title = "Change in worst-case endurance (days)"
        chart.add_data(
            Reference(tornado, min_col=2, max_col=3, min_row=start - 1, max_row=tornado.max_row), titles_from_data=True
        )
        chart.set_categories(Reference(tornado, min_col=1, min_row=start, max_row=tornado.max_row))
        # Bars run left and right of zero: the inputs' names go at the left edge, beside the bars, not across them.
        chart.x_axis.tickLblPos = "low"
        chart.height, chart.width = max(8, 0.6 * min(len(ranked), MOST_BARS) + 4), 22
        tornado.add_chart(chart, "M2")

    # What each scenario's days rest on: the inputs that move that scenario most, not only the worst case.
    by_scenario = book.create_sheet("Tornado by scenario")
    _header(
        by_scenario,
        ["Scenario", "Likely (days)", "Rank", "Uncertain input", "Cell", "Low", "High", "Days at low", "Days at high"],
    )
    for scenario_id in result.scenario_ids:
        moving = result.most_moving(scenario_id)
        if not moving:
            append_row(by_scenario, [names[scenario_id], result.likely[scenario_id], "", "(no range moves it)"])
        for rank, (item, days_low, days_high) in enumerate(moving, start=1):
            append_row(
                by_scenario,
                [
                    names[scenario_id],
                    result.likely[scenario_id],
                    rank,
                    item.label,
                    item.cell,
                    item.low,
                    item.high,
                    days_low,
                    days_high,
                ],
            )
    by_scenario.freeze_panes = "B2"
    _widths(by_scenario, 30, 14, 9)

    sm = book.create_sheet("Samples")
    headers = ["Sample"] + [f"{names[s]} (days)" for s in result.scenario_ids] + ["Worst case (days)"]
    if result.reoptimised is not None:
        headers += ["Worst case re-optimised (days)"]
    headers += [f"{r.label} ({unit_of(r, inputs)})" for r in result.ranges]
    _header(sm, headers)
    for index, (values, endurance) in enumerate(zip(result.draws, result.samples)):
        sample: list[object] = [index, *(endurance[s] for s in result.scenario_ids), min(endurance.values())]
        if result.reoptimised is not None:
            sample.append(result.reoptimised[index].worst)
        append_row(sm, sample + list(values))
        for cell in sm[sm.max_row][len(line) :]:
            cell.number_format = "#,##0.000"
    sm.freeze_panes = "B2"
    _widths(sm, 10, 18, len(headers))

    plan = book.create_sheet("Plan")
    _header(plan, ["Project ID", "Name", "Start year", "Units", f"Cost ({inputs.currency})"])
    for (project_id, start), units in sorted(result.plan.items()):
        append_row(
            plan,
            [project_id, inputs.projects[project_id].name, start, units, units * inputs.projects[project_id].unit_cost],
        )
        plan.cell(plan.max_row, 5).number_format = MONEY
    if not result.plan:
        append_row(plan, [NO_PROJECT_FUNDED])
    plan.freeze_panes = "A2"
    _widths(plan, 20, 14, 5)
    plan.column_dimensions["B"].width = 40

    write_about_sheet(
        book,
        "Stress test",
        inputs,
        source,
        [
            ("Plan", result.plan_source),
            (
                "Samples",
                f"{len(result.samples)}, seed {result.seed}: triangular (low, likely, high) draws, "
                "numpy Generator seeded by (seed, sample index)",
            ),
            ("Uncertain inputs", f"{len(result.ranges)}"),
            ("Re-optimised per sample", "yes" if result.reoptimised is not None else "no"),
            ("Percentiles", "numpy.percentile, linear interpolation between samples"),
        ],
        executor,
        result.seconds,
    )
    save_atomically(book, path, source.name)
