"""Why this plan, in one place for every output that says it: the Limits, Unfunded projects and Price of the
next day sheets, and the sections of sentences that sum them up in a Summary sheet and in the terminal."""

from __future__ import annotations

from openpyxl import Workbook

from trp_opt.data.explanations import Limits, NextDay, Unfunded
from trp_opt.data.inputs import Inputs
from trp_opt.data.solution import ScenarioResult
from trp_opt.reports.limits import (
    LIMITS_SHEET,
    PRICE_SHEET,
    add_limits_sheet,
    add_price_sheet,
    limit_sentences,
    price_sentences,
)
from trp_opt.reports.unfunded import UNFUNDED_SHEET, add_unfunded_sheet, unfunded_sentence


def add_why_sheets(
    book: Workbook,
    inputs: Inputs,
    limits: Limits | None,
    unfunded: Unfunded | None,
    prices: list[NextDay] | None,
    scenarios: list[ScenarioResult],
) -> None:
    """The sheets of whichever was computed, in the order an analyst reads them; ``scenarios``: the plan's own days,
    shown beside what its rules allow."""
    endurance = {result.scenario_id: result.endurance for result in scenarios}
    if limits is not None:
        add_limits_sheet(book, inputs, limits, endurance)
    if unfunded is not None:
        add_unfunded_sheet(book, inputs, unfunded, endurance)
    if prices is not None:
        add_price_sheet(book, inputs, prices)


def why_sections(
    inputs: Inputs,
    scenarios: list[ScenarioResult],
    limits: Limits | None,
    unfunded: Unfunded | None,
    prices: list[NextDay] | None,
) -> list[tuple[str, list[str]]]:
    """(heading, sentences) for each of the three that was computed."""
    sections = []
    if limits is not None:
        heading = f"What holds it back (sheet {LIMITS_SHEET}: each rule lifted, the plan chosen again)"
        sections.append((heading, limit_sentences(inputs, limits, scenarios, prices)))
    if unfunded is not None:
        heading = f"What the unfunded projects would buy (sheet {UNFUNDED_SHEET}: one unit of each added)"
        sections.append((heading, [unfunded_sentence(inputs, unfunded)]))
    if prices is not None:
        heading = f"The price of the next day (sheet {PRICE_SHEET}: every year's budget scaled)"
        sections.append((heading, price_sentences(inputs, prices)))
    return sections
