"""Uncertain inputs for `trp-opt stress`: the optional '<column> low' / '<column> high' cells.

schema.UNCERTAIN_COLUMNS says which numeric inputs may carry a range. A
range is read beside the validated inputs and checked as strictly: both ends
or neither, numbers within the column's limits, low ≤ likely ≤ high, and the
rules a drawn value must keep (a share stays ≤ 1, stock never starts below
the tank heel, an efficiency stays above 0). Every problem is reported as
``Sheet!Cell`` together with the workbook's other problems.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trp_opt.data import vocabulary
from trp_opt.data.errors import InputError, InvalidInputs
from trp_opt.data.inputs import Inputs
from trp_opt.io import schema
from trp_opt.io.schema import Column, Kind, Sheet
from trp_opt.io.validate import Validator, read_inputs
from trp_opt.io.workbook import read_sheets

# The columns that identify a row (and describe it in reports), per sheet.
KEYS: dict[str, tuple[str, ...]] = {
    "Storage": ("Carrier ID",),
    "Imports": ("Carrier ID",),
    "Technologies": ("Technology ID",),
    "Demands": ("Carrier ID",),
    "ScenarioEvents": ("Scenario ID", "Event", "Target ID"),
    "Effects": ("Project ID", "Effect", "Target ID"),
}
# Rows of these sheets are matched to the inputs by their position among the rows of the same owner.
BY_POSITION = {"ScenarioEvents": "Scenario ID", "Effects": "Project ID"}


@dataclass(frozen=True)
class Range:
    """One uncertain input: where it is, what it is, and its low, likely and high values."""

    sheet: str
    column: str
    key: tuple  # carrier or technology ID, or (owner ID, position) on ScenarioEvents and Effects
    what: str  # e.g. "lng", "blockade: import availability of lng"
    cell: str  # the likely value's cell, e.g. "Storage!B3"
    low: float
    likely: float
    high: float

    @property
    def label(self) -> str:
        return f"{self.sheet} {self.what}: {self.column}"


def _reading_sheet(name: str) -> Sheet:
    """A sheet of only the key, likely, low and high columns, all optional (read_inputs checks the rest)."""
    base = schema.SHEETS_BY_NAME[name]
    columns = [dataclasses.replace(Column(k, Kind.TEXT, ""), required=False) for k in KEYS[name]]
    if name == "Storage":
        columns.append(dataclasses.replace(base.column("Floor"), required=False))
    for column_name in schema.UNCERTAIN_COLUMNS[name]:
        columns.append(dataclasses.replace(base.column(column_name), required=False))
        columns.append(schema.range_column(base, column_name, schema.LOW))
        columns.append(schema.range_column(base, column_name, schema.HIGH))
    return Sheet(name, base.description, tuple(columns))


def read_ranges(path: Path) -> tuple[list[Range], list[InputError]]:
    """Every range in the workbook, and every problem with one (missing sheets are read_inputs's to report)."""
    sheets = tuple(_reading_sheet(name) for name in schema.UNCERTAIN_COLUMNS)
    raw, _ = read_sheets(Path(path), sheets)
    checker = Validator(raw)
    ranges: list[Range] = []
    for sheet in sheets:
        if sheet.name not in raw:
            continue
        positions: dict[str, int] = {}
        for row in raw[sheet.name].rows:
            keys = [checker.cell_value(sheet, sheet.column(k), row.cells.get(k)) for k in KEYS[sheet.name]]
            keys = [str(k).strip() if k is not None else "" for k in keys]
            key: tuple = (keys[0],)
            if sheet.name in BY_POSITION:
                position = positions.get(keys[0], 0)
                positions[keys[0]] = position + 1
                key = (keys[0], position)
            for column_name in schema.UNCERTAIN_COLUMNS[sheet.name]:
                found = _range(checker, sheet, row, column_name, keys, key)
                if found is not None:
                    ranges.append(found)
    return ranges, checker.errors


def _range(checker: Validator, sheet: Sheet, row, column_name: str, keys: list[str], key: tuple) -> Range | None:
    low_column = sheet.column(f"{column_name} {schema.LOW}")
    high_column = sheet.column(f"{column_name} {schema.HIGH}")
    low_cell, high_cell = row.cells.get(low_column.name), row.cells.get(high_column.name)
    before = len(checker.errors)
    low = checker.cell_value(sheet, low_column, low_cell)
    high = checker.cell_value(sheet, high_column, high_cell)
    if len(checker.errors) > before:
        return None
    if low is None and high is None:
        return None
    if low is None or high is None:
        blank, other = (low_cell, high_cell) if low is None else (high_cell, low_cell)
        missing = low_column if low is None else high_column
        checker.error(
            sheet.name,
            blank.address if blank else other.address,
            f"'{missing.header}' is blank but its pair is filled",
            "an empty cell",
            "both the low and the high value, or neither",
        )
        return None
    likely_cell = row.cells.get(column_name)
    likely = checker.cell_value(sheet, sheet.column(column_name), likely_cell)
    if len(checker.errors) > before or likely is None:
        if likely is None and len(checker.errors) == before:
            checker.error(
                sheet.name,
                likely_cell.address if likely_cell else low_cell.address,
                f"'{column_name}' is blank, so it has no likely value for its range",
                "an empty cell",
                "a number",
            )
        return None
    if not low <= likely:
        checker.error(
            sheet.name,
            low_cell.address,
            "the low value is above the likely value",
            low,
            f"at most the likely value {likely:g}",
        )
        return None
    if not likely <= high:
        checker.error(
            sheet.name,
            high_cell.address,
            "the high value is below the likely value",
            high,
            f"at least the likely value {likely:g}",
        )
        return None
    kind = keys[1].lower() if len(keys) > 1 else ""
    kinds: Mapping[str, vocabulary.EventKind | vocabulary.EffectKind] = (
        vocabulary.EVENTS if sheet.name == "ScenarioEvents" else vocabulary.EFFECTS
    )
    if kind in kinds and kinds[kind].measure == "share" and high > 1:
        checker.error(sheet.name, high_cell.address, f"a '{keys[1]}' is a share", high, "a share from 0 to 1")
        return None
    if sheet.name == "Storage" and column_name == "Initial stock":
        floor = checker.cell_value(sheet, sheet.column("Floor"), row.cells.get("Floor")) or 0.0
        if isinstance(floor, float) and low < floor:
            checker.error(
                sheet.name,
                low_cell.address,
                "the low initial stock is below the floor",
                low,
                f"at least the floor {floor:g}",
            )
            return None
    if column_name == "Efficiency" and low <= 0:
        checker.error(sheet.name, low_cell.address, "an efficiency must stay above 0", low, "a number > 0")
        return None
    what = keys[0] if len(keys) == 1 else f"{keys[0]}: {keys[1]} of {keys[2]}"
    return Range(
        sheet.name,
        column_name,
        key,
        what,
        f"{sheet.name}!{likely_cell.address}",
        float(low),
        float(likely),
        float(high),
    )


def read_inputs_and_ranges(path: Path) -> tuple[Inputs, list[Range]]:
    """Validated inputs and their ranges; every problem of both at once (InvalidInputs)."""
    ranges, range_errors = read_ranges(path)
    try:
        inputs = read_inputs(path)
    except InvalidInputs as problem:
        raise InvalidInputs(problem.errors + range_errors) from None
    if range_errors:
        raise InvalidInputs(range_errors)
    return inputs, ranges


def unit_of(item: Range, inputs: Inputs) -> str:
    """The unit a range's values are in, for reports."""
    carriers, technologies = inputs.carriers, inputs.technologies
    if item.sheet == "Storage":
        return carriers[item.key[0]].unit
    if item.sheet == "Imports":
        return carriers[item.key[0]].daily_unit
    if item.sheet == "Demands":
        return carriers[item.key[0]].daily_unit if item.column == "Normal daily use" else "share"
    if item.sheet == "Technologies":
        tech = technologies[item.key[0]]
        output = carriers[tech.output].daily_unit
        return {"Efficiency": "output unit per input unit", "Capacity": output}.get(item.column, f"{output} per day")
    if item.sheet == "ScenarioEvents":
        event = inputs.scenarios[item.key[0]].events[item.key[1]]
        return vocabulary.EVENTS[event.kind].measure
    effect = inputs.projects[item.key[0]].effects[item.key[1]]
    return f"{inputs.effect_unit(effect)} per unit"


def apply(inputs: Inputs, ranges: Sequence[Range], values: Sequence[float]) -> Inputs:
    """The inputs with each range's input replaced by the given value."""
    storage, imports = dict(inputs.storage), dict(inputs.imports)
    technologies, demands = dict(inputs.technologies), dict(inputs.demands)
    scenarios, projects = dict(inputs.scenarios), dict(inputs.projects)
    field_of = {
        "Initial stock": "initial",
        "Capacity": "capacity",
        "Efficiency": "efficiency",
        "Repair rate": "repair_rate",
        "Normal daily use": "daily",
        "Essential share": "essential_share",
    }
    for item, value in zip(ranges, values, strict=True):
        key = item.key
        # The dataclass field a column's value goes to, e.g. Storage 'Initial stock' -> initial.
        change: dict[str, Any] = {field_of[item.column]: value} if item.column in field_of else {}
        if item.sheet == "Storage":
            storage[key[0]] = dataclasses.replace(storage[key[0]], **change)
        elif item.sheet == "Imports":
            imports[key[0]] = value
        elif item.sheet == "Technologies":
            technologies[key[0]] = dataclasses.replace(technologies[key[0]], **change)
        elif item.sheet == "Demands":
            demands[key[0]] = dataclasses.replace(demands[key[0]], **change)
        elif item.sheet == "ScenarioEvents":
            events = list(scenarios[key[0]].events)
            events[key[1]] = dataclasses.replace(events[key[1]], value=value)
            scenarios[key[0]] = dataclasses.replace(scenarios[key[0]], events=tuple(events))
        elif item.sheet == "Effects":
            effects = list(projects[key[0]].effects)
            effects[key[1]] = dataclasses.replace(effects[key[1]], amount=value)
            projects[key[0]] = dataclasses.replace(projects[key[0]], effects=tuple(effects))
    return dataclasses.replace(
        inputs,
        storage=storage,
        imports=imports,
        technologies=technologies,
        demands=demands,
        scenarios=scenarios,
        projects=projects,
    )
