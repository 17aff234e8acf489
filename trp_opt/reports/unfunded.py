"""The 'Unfunded projects' sheet: for each project the plan leaves out, the days with one unit of it added and
the unit cost at which it would enter; and the sentence that sums it up in the Summary and the terminal."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl import Workbook

from trp_opt.data.explanations import Unfunded, UnfundedProject
from trp_opt.data.inputs import Inputs
from trp_opt.data.money import money_text
from trp_opt.io.excel import append_row, titled_sheet
from trp_opt.io.excel import header_row as _header
from trp_opt.io.excel import set_widths as _widths
from trp_opt.reports.limits import REACHABLE_WHY, plan_rows

UNFUNDED_SHEET = "Unfunded projects"
MOST_NAMED = 3  # projects named in the sentence


def add_unfunded_sheet(book: Workbook, inputs: Inputs, unfunded: Unfunded, endurance: Mapping[str, int]) -> None:
    ws = titled_sheet(
        book,
        UNFUNDED_SHEET,
        "What each unfunded project would buy: one unit added at its earliest start, the plan chosen again",
        "Days as on the Limits sheet: the worst case (the most days every scenario lasts at once) and, per "
        "scenario, the most days it lasts while every other keeps that worst case. Enters at: the highest unit "
        "cost at which a plan with one unit beats the plan (a day more in a scenario and none fewer in any, "
        "or the plan's days for less money), so the optimiser would fund it; 'never': no positive price does. "
        + REACHABLE_WHY,
    )
    money = inputs.currency
    scenarios = inputs.scenarios
    _header(
        ws,
        ["Project", "Category", f"Unit cost ({money})", "Start (year)", "Worst case (days)"]
        + [f"{scenarios[s].name} (days)" for s in scenarios]
        + [
            f"Enters at unit cost ({money})",
            f"May be higher by at most ({money}; 0: proven)",
            "How it enters, or why never",
            "Proven",
        ],
    )
    plan_rows(ws, endurance, unfunded.worst, unfunded.bests, list(scenarios), lead=3)
    for project in unfunded.projects:
        blank = [""] * len(scenarios)
        if not project.proven:  # a search cut short: its figures could be anything below the truth
            days: list[object] = ["cut short by the time limit", *blank]
            entry: list[object] = ["", "", ""]
        else:
            days = ["no plan within the rules has it", *blank] if project.worst is None else [project.worst]
            days += [] if project.worst is None else [project.bests[s] for s in scenarios]
            entry = (
                [project.entry, project.within, project.how]
                if project.entry is not None
                else ["never", "", project.how]
            )
        append_row(
            ws,
            [project.project_id, inputs.projects[project.project_id].category, project.unit_cost, project.start_year]
            + days
            + entry
            + ["yes" if project.proven else "no: time limit"],
        )
        first_money = 6 + len(scenarios)
        for column in (3, first_money, first_money + 1):
            ws.cell(ws.max_row, column).number_format = "#,##0"
    if unfunded.skipped:
        append_row(ws, [])
        _header(ws, ["Not asked about", "Where", "Why"])
        for skipped in unfunded.skipped:
            append_row(ws, [skipped.rule, skipped.cell, skipped.why])
    _widths(ws, {"A": 24, "B": 16, "C": 16, "D": 12, "E": 14})
    ws.freeze_panes = "B5"


def unfunded_sentence(inputs: Inputs, unfunded: Unfunded) -> str:
    """'Of 16 unfunded projects, 2 would enter at or below a unit cost of: Ammunition production line at NT$ 703 million (now NT$ 5,000 million); …;
    14 at no positive price.'"""
    answered = [p for p in unfunded.projects if p.proven]
    entering = sorted((p for p in answered if p.entry is not None), key=lambda p: -(p.entry or 0.0) / p.unit_cost)
    never = len(answered) - len(entering)
    cut = len(unfunded.projects) - len(answered)
    if not unfunded.projects:
        return "The plan funds every project it may."
    count = len(unfunded.projects)
    text = f"Of {count} unfunded project{'s' if count != 1 else ''}, "
    if not answered:
        return text + f"none was answered within the time limit (sheet {UNFUNDED_SHEET})."
    if entering:
        named = [_entry_words(inputs, p) for p in entering[:MOST_NAMED]]
        more = len(entering) - MOST_NAMED
        text += f"{len(entering)} would enter at or below a unit cost of: " + "; ".join(named)
        text += f"; and {more} more" if more > 0 else ""
        text += f"; {never} at no positive price" if never else ""
    else:
        text += "none would enter at any positive unit cost"
    if cut:
        text += f"; {cut} not answered within the time limit"
    return text + f" (sheet {UNFUNDED_SHEET})."


def _entry_words(inputs: Inputs, project: UnfundedProject) -> str:
    """'Ammunition production line at NT$ 703 million (now NT$ 5,000 million)'; a price found only below what the
    program left open (a gap) is said so."""
    money, name = inputs.currency, inputs.projects[project.project_id].name
    now = f"(now {money_text(project.unit_cost, money)})"
    if project.entry is not None and 0 < project.within and project.entry < project.within:
        return f"{name} below {money_text(project.within, money)} {now}"
    return f"{name} at {money_text(project.entry or 0.0, money)} {now}"
