"""Small input workbooks for tests, written through the same template writer as the bundled data."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from trp_opt.io.template import write_input_workbook
from trp_opt.reports.studies import VOLATILE_ABOUT_ROWS

# The sheets of a plan workbook with the value of money (the default), in order.
PLAN_SHEETS = [
    "Summary",
    "Endurance",
    "Allocation",
    "Daily",
    "Daily table",
    "Limits",
    "Unfunded projects",
    "Price of the next day",
    "Marginal days",
    "Days per project",
    "Diagnostics",
]


def small_rows() -> dict[str, list[dict[str, Any]]]:
    """A tiny valid instance: LNG (stored) burnt for electricity (flow) under a blockade.

    By hand: usable LNG 100 − 10 = 90 kt; gas plants make 2 GWh per kt; the
    essential requirement is 0.5 × 100 = 50 GWh/day = 25 kt/day of LNG, so with
    no imports the stock lasts 90 / 25 = 3.6 days: endurance 3 days. The tank
    adds 100 kt of room and each fill 100 kt of stock (fills require the tank).
    """
    return {
        "Settings": [
            {"Setting": "Title", "Value": "Small test", "Source": "test"},
            {"Setting": "Currency", "Value": "NT$ million"},
        ],
        "Years": [{"Year": 2027, "Budget": 100}, {"Year": 2028, "Budget": 100}],
        "Carriers": [
            {"Carrier ID": "lng", "Name": "LNG", "Unit": "kt", "Storable": "yes"},
            {"Carrier ID": "power", "Name": "Electricity", "Unit": "GWh", "Storable": "no"},
        ],
        "Storage": [{"Carrier ID": "lng", "Initial stock": 100, "Capacity": 200, "Floor": 10}],
        "Imports": [{"Carrier ID": "lng", "Normal daily import": 50}],
        "Technologies": [
            {
                "Technology ID": "gas",
                "Name": "Gas plants",
                "Input carrier": "lng",
                "Output carrier": "power",
                "Efficiency": 2,
                "Capacity": 100,
            },
        ],
        "Demands": [{"Carrier ID": "power", "Normal daily use": 100, "Essential share": 0.5}],
        "Scenarios": [
            {
                "Scenario ID": "blockade",
                "Name": "Blockade 2028",
                "Onset year": 2028,
                "Horizon": 30,
                "Weight": 1,
                "Repair delay": 0,
            },
        ],
        "ScenarioEvents": [
            {"Scenario ID": "blockade", "Event": "import availability", "Target ID": "lng", "From day": 1, "Value": 0},
        ],
        "Projects": [
            {
                "Project ID": "tank",
                "Name": "LNG tank",
                "Category": "stockpiles",
                "Unit cost": 50,
                "Max units": 2,
                "Lead time": 1,
            },
            {
                "Project ID": "fill",
                "Name": "LNG fill",
                "Category": "stockpiles",
                "Unit cost": 30,
                "Max units": 2,
                "Lead time": 0,
                "Requires": "tank",
            },
        ],
        "Effects": [
            {"Project ID": "tank", "Effect": "storage", "Target ID": "lng", "Amount per unit": 100},
            {"Project ID": "fill", "Effect": "stock", "Target ID": "lng", "Amount per unit": 100},
        ],
        "Policy": [
            {"Rule ID": "total", "Rule": "total budget", "Amount": 200, "Amount unit": "money"},
        ],
    }


def stockpiles_floor_beyond_reach(rows: dict[str, list[dict[str, Any]]]) -> None:
    """A Policy row no plan can meet: stockpiles at least 500, where every project together costs 2 × 50 + 2 × 30
    = 160 (its Amount is Policy!E3)."""
    rows["Policy"].append(
        {"Rule ID": "floor", "Rule": "category floor", "Category": "stockpiles", "Amount": 500, "Amount unit": "money"}
    )


def write_rows(path: Path, rows: dict[str, list[dict[str, Any]]]) -> Path:
    write_input_workbook(path, rows, money_unit="NT$ million")
    return path


def small_workbook(path: Path, change=None) -> Path:
    """Write the small instance, after ``change(rows)`` edits a deep copy of it."""
    rows = copy.deepcopy(small_rows())
    if change is not None:
        change(rows)
    return write_rows(path, rows)


def add_range(path: Path, sheet: str, column: str, row: int, low, high) -> None:
    book = load_workbook(path)
    ws = book[sheet]
    at = ws.max_column + 1
    ws.cell(1, at, f"{column} low")
    ws.cell(1, at + 1, f"{column} high")
    ws.cell(row, at, low)
    ws.cell(row, at + 1, high)
    book.save(path)


def cells(path: Path) -> dict:
    """Every cell value of a workbook, except the About rows that differ between runs by design."""
    book = load_workbook(path)
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            if ws.title == "About" and row[0].value in VOLATILE_ABOUT_ROWS:
                continue
            for cell in row:
                if cell.value is not None:
                    found[ws.title, cell.coordinate] = cell.value
    return found
