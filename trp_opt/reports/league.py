"""The league table of `trp-opt compare BASE P1 P2 …`: several proposals side by side against today's plan, for the
committee that weighs the executive's draft against the amendments."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook

from trp_opt.data.money import money_text
from trp_opt.io.excel import BOLD, TITLE, append_row, save_atomically
from trp_opt.io.excel import header_row as _header
from trp_opt.io.excel import set_widths as _widths
from trp_opt.reports.sentences import answer_sentence

if TYPE_CHECKING:
    from trp_opt.analysis.compare import Comparison

MONEY = "#,##0"


def ranked(comparisons: list[Comparison]) -> list[Comparison]:
    """Most days in the worst case first; then the most weighted days; then the least spent; then by file name."""

    def key(comparison: Comparison) -> tuple[float, float, float, str]:
        written = comparison.written
        weighted = sum(r.weight * r.endurance for r in written.scenarios)
        return (-written.worst.endurance, -weighted, written.total_spent, comparison.proposal.path.name)

    return sorted(comparisons, key=key)


def league_sentence(comparisons: list[Comparison]) -> str:
    """'Of 3 proposals, amendment_b.xlsx keeps the most days in the worst case: 59 (today's plan: 61).'"""
    first = ranked(comparisons)[0]
    today = first.today or first.best
    return (
        f"Of {len(comparisons)} proposals, {first.proposal.path.name} keeps the most days in the worst case: "
        f"{first.written.worst.endurance} (today's plan: {today.worst.endurance}), spending "
        f"{money_text(first.written.total_spent, first.written.inputs.currency)}."
    )


def write_league_workbook(comparisons: list[Comparison], base_name: str, path: Path) -> None:
    """One sheet: each proposal's days as written, what it loses against today's plan, what the same money spent
    best would give, and what it spends; ranked."""
    book = Workbook()
    ws = book.active
    ws.title = "League"
    inputs = comparisons[0].written.inputs
    money = inputs.currency
    append_row(ws, [f"{len(comparisons)} proposals against {base_name}: today's plan, as written, best use"])
    ws["A1"].font = TITLE
    append_row(ws, [league_sentence(comparisons)])
    ws["A2"].font = BOLD
    append_row(ws, [])
    scenarios = list(inputs.scenarios.values())
    _header(
        ws,
        [
            "Rank",
            "Proposal",
            "Budget",
            f"Spent ({money})",
            "Worst case, today's plan (days)",
            "Worst case, as written (days)",
            "Worst case lost against today (days)",
            "Worst case, same money best use (days)",
            "Of the loss, the same money recovers (days)",
        ]
        + [f"{s.name}, as written (days)" for s in scenarios]
        + [f"{s.name}, lost against today (days)" for s in scenarios],
    )
    for rank, comparison in enumerate(ranked(comparisons), start=1):
        written, best = comparison.written, comparison.best
        today = comparison.today or best
        append_row(
            ws,
            [
                rank,
                comparison.proposal.path.name,
                comparison.proposal.budget_words,
                written.total_spent,
                today.worst.endurance,
                written.worst.endurance,
                today.worst.endurance - written.worst.endurance,
                best.worst.endurance,
                best.worst.endurance - written.worst.endurance,
            ]
            + [written.endurance_by_scenario[s.id] for s in scenarios]
            + [comparison.lost(s.id) for s in scenarios],
        )
        ws.cell(ws.max_row, 4).number_format = MONEY
    append_row(ws, [])
    _header(ws, ["What each proposal loses, in one sentence"])
    for comparison in ranked(comparisons):
        append_row(ws, [f"{comparison.proposal.path.name}: {answer_sentence(comparison)}"])
    append_row(ws, [])
    append_row(
        ws,
        [
            "Today's plan: the base workbook's own optimum. Best use: the optimum of each proposal's own money and "
            "overrides, without its earmarks and decisions. For each proposal's figures, lifted one by one: trp-opt "
            "compare BASE PROPOSAL."
        ],
    )
    _widths(ws, {"A": 8, "B": 28, "C": 30, "D": 16, "E": 18, "F": 18, "G": 18, "H": 18, "I": 20})
    save_atomically(book, path, f"{base_name} and {len(comparisons)} proposals")
