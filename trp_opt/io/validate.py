"""Validation: raw workbook rows → trusted ``Inputs``, or every problem at once.

Decisions an analyst should know (also in the README sheet of the template):
- Numbers may be typed as text when the text is a plain number: "1200",
  "1,200" (comma as thousands separator) and "12%" (= 0.12) are accepted;
  anything else ("about 5", "1.2.3") is an error naming the cell.
- Yes/no cells accept yes/no, y/n, true/false and 1/0, in any case.
- Choices (Event, Effect, Rule, ...) are matched ignoring case.
- A row is skipped when every column of the schema is blank (trailing blank
  rows are common); a row with some cells filled is checked in full.
- A row whose first (ID) column is blank while other cells are filled is
  reported once, as a row that is not part of the table (a total, a note):
  delete it or give it an ID.
- No figure may exceed 1e12 in size (LARGEST): larger numbers are typing
  errors or the wrong unit, and would wreck the solver's numerics.
- The quantities of one carrier (stocks, room, floors, imports, use, what
  technologies make and burn of it at capacity, project effects) may lie at
  most a factor SPAN apart: HiGHS works to a tolerance relative to a row's
  largest figure, and beyond that it reported 0 days as optimal where the
  arithmetic gives 4 (an efficiency of 1e-9 with fills of 1e11). The error
  names both cells; the fix is a larger unit or a corrected figure.
- Dates where numbers are expected, Excel error values (#DIV/0!, #REF!) and
  formulas that were never calculated are errors: the analyst must fix or
  recalculate the workbook, trp-opt never guesses a value.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Callable, Collection
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from trp_opt.data import vocabulary
from trp_opt.data.errors import InputError, InvalidInputs
from trp_opt.data.inputs import (
    Carrier,
    Demand,
    Effect,
    Inputs,
    PolicyRule,
    Project,
    Scenario,
    ScenarioEvent,
    Storage,
    Technology,
)
from trp_opt.io import schema
from trp_opt.io.schema import Column, Kind, Sheet
from trp_opt.io.workbook import RawCell, RawRow, RawSheet, header_unit, read_sheets

ID_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]+$")
NUMBER_TEXT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?%?$")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
SHARE_SUM_TOLERANCE = 1e-6
REFERRED_SHEET = {"project": "Projects", "carrier": "Carriers", "technology": "Technologies", "scenario": "Scenarios"}
LARGEST = 1e12  # no input figure is larger; bigger numbers are typos or the wrong unit
# Most a carrier's quantities may lie apart. HiGHS's answers were right up to 1e9 and wrong at 1e10 on the
# small workbook (tests/io/test_validate.py); a factor of 10 below that is kept in hand.
SPAN = 1e8


class Invalid(Exception):
    """One cell's value cannot be used; caught and collected by the validator."""

    def __init__(self, message: str, got: Any, expected: str) -> None:
        self.message, self.got, self.expected = message, got, expected


SHOWN_CHARACTERS = 60  # a long bad value is shown by its start and its length, not echoed whole


def shown(value: Any) -> str:
    """A bad value as the analyst would recognise it."""
    if isinstance(value, str):
        if len(value) > SHOWN_CHARACTERS:
            return f"{value[:SHOWN_CHARACTERS]!r}… ({len(value):,} characters)"
        return repr(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def number_from_text(text: str) -> float | None:
    """A number typed as text, as a workbook cell may hold it ('1200', '1,200', '12%' = 0.12); None when it is not
    plain. The command line reads its amounts of money the same way (`--budget 10,000`)."""
    text = text.strip()
    if not NUMBER_TEXT.match(text):
        return None
    text = text.replace(",", "")
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def _number(value: Any, column: Column) -> float:
    if isinstance(value, bool):
        raise Invalid("not a number", value, column.expected)
    if isinstance(value, (datetime, date, time)):
        raise Invalid("a date or time where a number is expected", value, column.expected)
    typed = number_from_text(value) if isinstance(value, str) else None
    if isinstance(value, (int, float)):
        number = float(value)
    elif typed is not None:
        number = typed
    else:
        raise Invalid("not a number", value, column.expected)
    if not math.isfinite(number):
        raise Invalid("not a finite number", value, column.expected)
    if abs(number) > LARGEST:
        raise Invalid(
            f"too large to be a real figure (at most {LARGEST:.0e}; is the unit right?)", value, column.expected
        )
    return number


def convert(value: Any, column: Column) -> Any:
    """A non-blank cell value converted to the column's kind, range checked."""
    kind = column.kind
    if kind in (Kind.NUMBER, Kind.INTEGER):
        number = _number(value, column)
        if kind is Kind.INTEGER:
            if not number.is_integer():
                raise Invalid("not a whole number", value, column.expected)
            number = int(number)
        if column.minimum is not None and number < column.minimum:
            raise Invalid("too small", value, column.expected)
        if column.maximum is not None and number > column.maximum:
            raise Invalid("too large", value, column.expected)
        return number
    if isinstance(value, (datetime, date, time)):
        raise Invalid("a date where text is expected", value, column.expected)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if kind is Kind.TEXT:
        return text
    if kind is Kind.ID:
        if not ID_PATTERN.match(text):
            raise Invalid("not a valid ID", value, column.expected)
        return text
    if kind is Kind.YESNO:
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise Invalid("not yes or no", value, column.expected)
    if kind is Kind.CHOICE:
        for choice in column.choices:
            if text.lower() == choice.lower():
                return choice
        raise Invalid("not one of the allowed values", value, column.expected)
    if kind is Kind.ID_LIST:
        items = tuple(item.strip() for item in re.split(r"[;,]", text) if item.strip())
        for item in items:
            if not ID_PATTERN.match(item):
                raise Invalid(f"'{item}' is not a valid ID", value, column.expected)
        return items
    if kind is Kind.SHARES:
        parts = [p.strip() for p in text.split(";") if p.strip()] if isinstance(value, str) else [value]
        shares = []
        for part in parts:
            try:
                share = _number(part, column)
            except Invalid:
                raise Invalid("not a list of shares", value, column.expected) from None
            if share < 0:
                raise Invalid("a share is negative", value, column.expected)
            shares.append(share)
        if not shares or abs(sum(shares) - 1) > SHARE_SUM_TOLERANCE:
            raise Invalid(f"the shares add up to {sum(shares):g}", value, column.expected)
        return tuple(shares)
    raise AssertionError(f"unhandled column kind {kind}")


class Validator:
    """Collects every problem; each check adds an InputError and carries on."""

    def __init__(self, sheets: dict[str, RawSheet]) -> None:
        self.sheets = sheets
        self.errors: list[InputError] = []
        # IDs of rows dropped for a bad cell: references to them are not reported again as unknown.
        self.dropped: dict[str, set[str]] = {}

    def error(self, sheet: str, cell: str, message: str, got: Any = None, expected: str | None = None) -> None:
        self.errors.append(InputError(sheet, cell, message, None if got is None else shown(got), expected))

    def records(self, sheet: Sheet, keep_bad: bool = False) -> list[tuple[RawRow, dict[str, Any]]]:
        """Each data row with its cells converted; a row with a bad cell is reported and dropped (``keep_bad``:
        kept, its bad cells as _BAD, for the caller to check what else the row names)."""
        raw = self.sheets.get(sheet.name)
        if raw is None:
            return []
        result = []
        key = sheet.columns[0]
        for row in raw.rows:
            if key.required and self.stray_row(sheet, key, row):
                continue
            values: dict[str, Any] = {}
            good = True
            for column in sheet.columns:
                cell = row.cells.get(column.name)
                value = self.cell_value(sheet, column, cell)
                if value is _BAD:
                    good = False
                values[column.name] = value
            if good or keep_bad:
                result.append((row, values))
            if not good and isinstance(values.get(key.name), str):
                self.dropped.setdefault(sheet.name, set()).add(values[key.name])
        return result

    def stray_row(self, sheet: Sheet, key: Column, row: RawRow) -> bool:
        """A row with its ID blank but other cells filled (a total or a note under the table): one error, not one per cell."""
        cell = row.cells.get(key.name)
        if cell is None:
            return False
        filled = [c for c in row.cells.values() if not _blank_cell(c)]
        if filled == [cell] and isinstance(cell.value, str) and not ID_PATTERN.match(cell.value.strip()):
            self.error(
                sheet.name,
                cell.address,
                f"row {row.excel_row} holds only {shown(cell.value)}; is it a note below the table?",
                expected="notes in the Source column or on another sheet; delete the row",
            )
            return True
        if not _blank_cell(cell):
            return False
        shown_values = ", ".join(
            shown(c.value) if c.uncalculated_formula is None else f"={c.uncalculated_formula.lstrip('=')}"
            for c in filled[:3]
        )
        self.error(
            sheet.name,
            cell.address,
            f"row {row.excel_row} has no '{key.header}' but holds {shown_values}{', …' if len(filled) > 3 else ''}; "
            "is it a total or a note below the table?",
            expected=f"every row of the table to have a '{key.header}'; delete the row or fill it in",
        )
        return True

    def cell_value(self, sheet: Sheet, column: Column, cell: RawCell | None) -> Any:
        if cell is None:
            return None  # an optional column left out of the sheet
        if cell.error_value:
            self.error(sheet.name, cell.address, "the cell holds an Excel error", cell.value, column.expected)
            return _BAD
        if cell.uncalculated_formula is not None:
            self.error(
                sheet.name,
                cell.address,
                "the formula was never calculated; open the workbook in Excel, let it calculate and save it",
                f"={cell.uncalculated_formula.lstrip('=')}",
                column.expected,
            )
            return _BAD
        if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            if column.required:
                self.error(sheet.name, cell.address, f"'{column.header}' is required", "an empty cell", column.expected)
                return _BAD
            return None
        try:
            return convert(cell.value, column)
        except Invalid as problem:
            self.error(sheet.name, cell.address, problem.message, problem.got, problem.expected)
            return _BAD

    def unique(
        self, sheet: Sheet, key: str, rows: list[tuple[RawRow, dict[str, Any]]]
    ) -> dict[str, tuple[RawRow, dict]]:
        """Rows by their key; a repeated key is reported with both cells."""
        seen: dict[str, tuple[RawRow, dict]] = {}
        for row, values in rows:
            identifier = values[key]
            if identifier in seen:
                first = seen[identifier][0].cells[key].address
                self.error(sheet.name, row.cells[key].address, f"'{identifier}' appears twice (also in {first})")
                continue
            seen[identifier] = (row, values)
        return seen

    def refer(
        self, sheet: Sheet, row: RawRow, column: str, identifier: str | None, known: Callable[[str], bool], what: str
    ) -> bool:
        if identifier is None or known(identifier):
            return True
        referred = REFERRED_SHEET.get(what, "")
        if identifier in self.dropped.get(referred, ()) or (referred and referred not in self.sheets):
            return False  # the row it names, or its whole sheet, has its own error already
        message = f"unknown {what} '{identifier}'{self._did_you_mean(referred, identifier)}"
        self.error(sheet.name, row.cells[column].address, message, identifier, f"a {what} ID")
        return False

    def _did_you_mean(self, referred: str, identifier: str) -> str:
        """'; did you mean 'lng'?' when an ID of the sheet referred to is close (a slip of case counts most)."""
        raw = self.sheets.get(referred)
        if raw is None or not isinstance(identifier, str):
            return ""
        key = next(c.name for c in schema.SHEETS_BY_NAME[referred].columns)
        ids = [str(r.cells[key].value).strip() for r in raw.rows if key in r.cells and r.cells[key].value is not None]
        return did_you_mean(identifier, ids)


_BAD = object()


def did_you_mean(asked: str, known: list[str]) -> str:
    """A hint such as "; did you mean 'tank'?": every known ID that differs from ``asked`` only in case (the
    likeliest slip: IDs are case-sensitive), else the closest one; an empty string when none is close."""
    close = [k for k in known if k.lower() == asked.lower()] or difflib.get_close_matches(asked, known, 1, 0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _blank_cell(cell: RawCell) -> bool:
    return (
        cell.uncalculated_formula is None
        and not cell.error_value
        and (cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()))
    )


# Ways of writing the same multiplier: 'NT$ m' and 'NT$ million' are one unit, 'NT$ million' and 'EUR' are not.
MULTIPLIERS = {"million": "m", "mn": "m", "mio": "m", "billion": "bn", "b": "bn", "thousand": "k"}


def _money_unit(text: str) -> tuple[str, ...]:
    """A money unit as words, in lower case, multipliers written one way."""
    words = text.lower().replace(".", " ").split()
    return tuple(MULTIPLIERS.get(word, word) for word in words)


def _money_headers(v: Validator, currency: str) -> None:
    """A money column's header states the workbook's currency, or no unit, or the template's 'money': 'Unit cost
    (NT$ million)' in a workbook whose Settings say EUR is an error at that header, never silently relabelled."""
    wanted = {_money_unit(str(currency)), _money_unit(schema.MONEY)}
    for sheet in schema.SHEETS:
        raw = v.sheets.get(sheet.name)
        if raw is None:
            continue
        for column in sheet.columns:
            text = raw.headers.get(column.name, "")
            unit = header_unit(text)
            if column.unit == schema.MONEY and unit and _money_unit(unit) not in wanted:
                v.error(
                    sheet.name,
                    f"{raw.column_letters[column.name]}1",
                    f"the header's unit '{unit}' is not the workbook's currency '{currency}' (Settings)",
                    got=text,
                    expected=f"'{column.name} ({currency})', or change the Currency in Settings",
                )


def read_inputs(path: Path) -> Inputs:
    """Read and validate an input workbook; raise InvalidInputs with every problem found."""
    sheets, errors = read_sheets(Path(path), schema.SHEETS)
    if errors and not sheets:
        raise InvalidInputs(errors)
    validator = Validator(sheets)
    validator.errors.extend(errors)
    inputs = validate_sheets(validator)
    if validator.errors:
        raise InvalidInputs(validator.errors)
    assert inputs is not None
    return inputs


def validate_sheets(v: Validator) -> Inputs | None:
    """Every check on the raw sheets; returns Inputs when there was no error."""
    settings = {}
    for row, values in v.records(schema.SETTINGS):
        if values["Setting"] in settings:
            v.error("Settings", row.cells["Setting"].address, f"setting '{values['Setting']}' appears twice")
        settings[values["Setting"]] = (row, values["Value"])
    if "Settings" in v.sheets and schema.SETTING_CURRENCY not in settings:
        v.error(
            "Settings", "A2", "the Currency setting is missing", expected="a row 'Currency' with e.g. 'NT$ million'"
        )

    if schema.SETTING_CURRENCY in settings:
        _money_headers(v, settings[schema.SETTING_CURRENCY][1])
    years = _years(v)
    carriers = _carriers(v)
    storage = _storage(v, carriers)
    imports = _imports(v, carriers)
    technologies = _technologies(v, carriers)
    demands = _demands(v, carriers)
    scenarios = _scenarios(v, years, carriers, technologies, imports, demands, storage)
    projects = _projects(v, years, carriers, technologies, demands)
    policy = _policy(v, years, projects)

    if not v.errors:
        _carrier_spans(v, technologies)
    if v.errors:
        return None
    year_budgets = {year: budget for year, (budget, _) in years.items()}
    return Inputs(
        years=tuple(sorted(year_budgets)),
        year_budgets=year_budgets,
        carriers=carriers,
        storage=storage,
        imports=imports,
        technologies=technologies,
        demands=demands,
        scenarios=scenarios,
        projects=projects,
        policy=policy,
        title=settings.get(schema.SETTING_TITLE, (None, ""))[1] or "",
        currency=settings[schema.SETTING_CURRENCY][1],
        year_budget_cells={year: f"Years!{cell}" for year, (_, cell) in years.items()},
        sources=_sources(v),
    )


def _sources(v: Validator) -> dict[tuple[str, str], tuple[str, str]]:
    """Each row's Source text and cell, by sheet and the row's first column (see Inputs.sources)."""
    found = {}
    for sheet in schema.SHEETS:
        raw = v.sheets.get(sheet.name)
        key = sheet.columns[0].name
        if raw is None or all(c.name != "Source" for c in sheet.columns):
            continue
        for row in raw.rows:
            source, row_id = row.cells.get("Source"), row.cells.get(key)
            if source is not None and isinstance(source.value, str) and row_id is not None and row_id.value is not None:
                identifier = row_id.value
                if isinstance(identifier, float) and identifier.is_integer():
                    identifier = int(identifier)
                found[(sheet.name, str(identifier).strip())] = (source.value, f"{sheet.name}!{source.address}")
    return found


def _years(v: Validator) -> dict[int, tuple[float, str]]:
    sheet = schema.YEARS
    rows = v.records(sheet)
    years: dict[int, tuple[float, str]] = {}
    for row, values in v.unique(sheet, "Year", rows).values():
        years[values["Year"]] = (values["Budget"], row.cells["Budget"].address)
    if "Years" in v.sheets and not rows and not any(e.sheet == "Years" for e in v.errors):
        v.error("Years", "A2", "no planning years", expected="at least one year with its budget")
    if years:
        ordered = sorted(years)
        missing = sorted(set(range(ordered[0], ordered[-1] + 1)) - set(ordered))
        if missing:
            v.error("Years", "A1", "the planning years must be consecutive", f"missing {', '.join(map(str, missing))}")
    return years


def _carriers(v: Validator) -> dict[str, Carrier]:
    sheet = schema.CARRIERS
    rows = v.records(sheet)
    carriers = {
        cid: Carrier(cid, values["Name"], values["Unit"], values["Storable"])
        for cid, (_, values) in v.unique(sheet, "Carrier ID", rows).items()
    }
    if "Carriers" in v.sheets and not rows and not any(e.sheet == "Carriers" for e in v.errors):
        v.error("Carriers", "A2", "no carriers", expected="at least one carrier")
    return carriers


def _carrier_rows(v: Validator, sheet: Sheet, carriers: dict[str, Carrier]) -> dict[str, tuple[RawRow, dict]]:
    """Rows of a one-row-per-carrier sheet, with the carrier checked."""
    rows = v.unique(sheet, "Carrier ID", v.records(sheet))
    return {
        cid: entry
        for cid, entry in rows.items()
        if v.refer(sheet, entry[0], "Carrier ID", cid, carriers.__contains__, "carrier")
    }


def _storage(v: Validator, carriers: dict[str, Carrier]) -> dict[str, Storage]:
    sheet = schema.STORAGE
    storage = {}
    for cid, (row, values) in _carrier_rows(v, sheet, carriers).items():
        cell = row.cells["Carrier ID"].address
        if not carriers[cid].storable:
            v.error(
                sheet.name, cell, f"carrier '{cid}' is not storable (Carriers says 'no')", cid, "a storable carrier"
            )
            continue
        floor = values["Floor"] or 0.0
        initial, capacity = values["Initial stock"], values["Capacity"]
        if initial > capacity:
            v.error(
                sheet.name,
                row.cells["Initial stock"].address,
                "the initial stock does not fit in the capacity",
                initial,
                f"at most the capacity {capacity:g}",
            )
        elif floor > initial:
            v.error(
                sheet.name,
                row.cells["Floor"].address,
                "the floor is above the initial stock",
                floor,
                f"at most the initial stock {initial:g}",
            )
        storage[cid] = Storage(cid, initial, capacity, floor)
    if "Storage" in v.sheets:
        for cid, carrier in carriers.items():
            if carrier.storable and cid not in storage and not any(e.sheet == "Storage" for e in v.errors):
                v.error(
                    sheet.name, "A1", f"storable carrier '{cid}' has no row", expected="one row per storable carrier"
                )
    return storage


def _imports(v: Validator, carriers: dict[str, Carrier]) -> dict[str, float]:
    return {
        cid: values["Normal daily import"] for cid, (_, values) in _carrier_rows(v, schema.IMPORTS, carriers).items()
    }


def _demands(v: Validator, carriers: dict[str, Carrier]) -> dict[str, Demand]:
    sheet = schema.DEMANDS
    rows = _carrier_rows(v, sheet, carriers)
    demands = {
        cid: Demand(
            cid,
            values["Normal daily use"],
            values["Essential share"],
            values["Max relief"] or 0.0,
            values["Counts toward endurance"] is not False,  # blank: it counts
        )
        for cid, (_, values) in rows.items()
    }
    if "Demands" in v.sheets and not demands and not any(e.sheet == "Demands" for e in v.errors):
        v.error(sheet.name, "A2", "no demands", expected="at least one demanded carrier")
    elif demands and not any(d.counts for d in demands.values()):
        first, _ = next(iter(rows.values()))
        cell = first.cells.get("Counts toward endurance") or first.cells["Carrier ID"]
        v.error(
            sheet.name,
            cell.address,
            "no requirement counts toward endurance",
            "no on every row",
            expected="'yes' (or blank) on at least one row: endurance is the days every counted requirement is met",
        )
    return demands


def _technologies(v: Validator, carriers: dict[str, Carrier]) -> dict[str, Technology]:
    sheet = schema.TECHNOLOGIES
    technologies = {}
    for tid, (row, values) in v.unique(sheet, "Technology ID", v.records(sheet)).items():
        known = carriers.__contains__
        ok = v.refer(sheet, row, "Input carrier", values["Input carrier"], known, "carrier")
        ok &= v.refer(sheet, row, "Output carrier", values["Output carrier"], known, "carrier")
        efficiency = values["Efficiency"] if values["Efficiency"] is not None else 1.0
        if values["Input carrier"] is not None and efficiency <= 0:
            v.error(
                sheet.name,
                row.cells["Efficiency"].address,
                "a technology with an input needs an efficiency above 0",
                efficiency,
                "a number > 0",
            )
            ok = False
        if ok:
            technologies[tid] = Technology(
                tid,
                values["Name"],
                values["Input carrier"],
                values["Output carrier"],
                efficiency,
                values["Capacity"],
                values["Repair rate"] or 0.0,
            )
    return technologies


def _carrier_spans(v: Validator, technologies: dict[str, Technology]) -> None:
    """Refuse a carrier whose quantities lie more than SPAN apart (see the module's notes), at its largest
    figure's cell, naming the smallest's. Called on sheets already valid, so reading them again adds no error."""
    figures: dict[str, list[tuple[float, str]]] = {}  # carrier -> (quantity in its unit, Sheet!Cell)

    def add(carrier: str | None, quantity: float | None, where: str) -> None:
        if carrier is not None and quantity:
            figures.setdefault(carrier, []).append((abs(quantity), where))

    for sheet, columns in (
        (schema.STORAGE, ("Initial stock", "Capacity", "Floor")),
        (schema.IMPORTS, ("Normal daily import",)),
        (schema.DEMANDS, ("Normal daily use",)),
    ):
        for row, values in v.records(sheet):
            for column in columns:
                add(values["Carrier ID"], values[column], _address(row, column, sheet.name))
    for row, values in v.records(schema.TECHNOLOGIES):
        # A technology's daily output, and what it burns of its input at that output (output ÷ efficiency).
        technology = technologies[values["Technology ID"]]
        for column in ("Capacity", "Repair rate"):
            add(technology.output, values[column], _address(row, column, schema.TECHNOLOGIES.name))
            if technology.input is not None and values[column]:
                burnt = values[column] / technology.efficiency
                add(technology.input, burnt, _address(row, "Efficiency", schema.TECHNOLOGIES.name))
    for row, values in v.records(schema.EFFECTS):
        kind, target, amount = values["Effect"], values["Target ID"], values["Amount per unit"]
        where = _address(row, "Amount per unit", schema.EFFECTS.name)
        effect_kind = vocabulary.EFFECTS.get(kind)
        if effect_kind is None or not effect_kind.counted_in_target_quantities:
            continue
        if effect_kind.target == "carrier":
            add(target, amount, where)
        elif target in technologies and amount:
            technology = technologies[target]
            add(technology.output, amount, where)
            if technology.input is not None:
                add(technology.input, amount / technology.efficiency, where)
    for carrier, quantities in figures.items():
        smallest, largest = min(quantities), max(quantities)
        if largest[0] > SPAN * smallest[0]:
            sheet_name, cell = largest[1].split("!")
            v.error(
                sheet_name,
                cell,
                f"the quantities of carrier '{carrier}' lie {largest[0] / smallest[0]:.0e} apart: {largest[0]:g} "
                f"here against {smallest[0]:g} at {smallest[1]}; the solver cannot honour figures that far apart "
                "and would report wrong days. Correct the figure, or state the carrier in a larger unit",
                expected=f"quantities of one carrier within a factor of {SPAN:.0e}",
            )


def _effect_window(v: Validator, row: RawRow, values: dict, kind: str) -> tuple[int, int | None] | None:
    """The crisis days an Effects row acts on ((1, None): all of them), or None after an error."""
    first, last = values.get("From day"), values.get("To day")
    if first is None and last is None:
        return (1, None)
    sheet = schema.EFFECTS.name
    if not vocabulary.EFFECTS[kind].windowed:
        column = "From day" if first is not None else "To day"
        v.error(
            sheet,
            row.cells[column].address,
            f"a '{kind}' effect acts from the onset on (a stock, a tank, a plant is there or not); only "
            f"{', '.join(repr(k) for k in vocabulary.WINDOWED_EFFECTS)} effects may act over a window of days",
            first if first is not None else last,
            "blank",
        )
        return None
    first = 1 if first is None else first
    if last is not None and last < first:
        v.error(sheet, row.cells["To day"].address, "the effect ends before it starts", last, f"a day from {first} on")
        return None
    return (first, last)


def _address(row: RawRow, column: str, sheet: str) -> str:
    """Sheet!Cell of a column in this row, or the sheet alone when the (optional) column is absent."""
    cell = row.cells.get(column)
    return f"{sheet}!{cell.address}" if cell is not None else sheet


def _scenarios(v, years, carriers, technologies, imports, demands, storage) -> dict[str, Scenario]:
    sheet = schema.SCENARIOS
    scenarios: dict[str, Scenario] = {}
    rows = v.records(sheet)
    for sid, (row, values) in v.unique(sheet, "Scenario ID", rows).items():
        if years and values["Onset year"] < min(years):
            v.error(
                sheet.name,
                row.cells["Onset year"].address,
                "the crisis starts before the first planning year",
                values["Onset year"],
                f"{min(years)} or later",
            )
        target = values["Target endurance"]
        if target is not None and target > values["Horizon"]:
            v.error(
                sheet.name,
                row.cells["Target endurance"].address,
                "the target is beyond the horizon",
                target,
                f"at most the horizon of {values['Horizon']} days",
            )
        scenarios[sid] = Scenario(
            sid,
            values["Name"],
            values["Onset year"],
            values["Horizon"],
            values["Weight"] if values["Weight"] is not None else 1.0,
            values["Repair delay"] or 0,
            target,
            target_cell=_address(row, "Target endurance", "Scenarios"),
        )
    if "Scenarios" in v.sheets and not rows and not any(e.sheet == "Scenarios" for e in v.errors):
        v.error(sheet.name, "A2", "no scenarios", expected="at least one scenario")

    events_sheet = schema.SCENARIO_EVENTS
    events: dict[str, list[tuple[RawRow, ScenarioEvent]]] = {sid: [] for sid in scenarios}
    # The sheets an event kind's target may need a row on (EventKind.needs_row).
    rows_of: dict[str, Collection[str]] = {"Imports": imports, "Demands": demands, "Storage": storage}
    for row, values in v.records(events_sheet):
        sid, kind_name, target = values["Scenario ID"], values["Event"], values["Target ID"]
        if not v.refer(events_sheet, row, "Scenario ID", sid, scenarios.__contains__, "scenario"):
            continue
        kind = vocabulary.EVENTS[kind_name]
        known: Collection[str] = carriers if kind.target == "carrier" else technologies
        if not v.refer(events_sheet, row, "Target ID", target, known.__contains__, kind.target):
            continue
        # A share above 1 is reported whatever else is wrong with the row (every problem at once).
        value = values["Value"]
        too_large = _share_above_one(v, events_sheet, row, "Value", kind.measure, value, f"a '{kind_name}'")
        if kind.needs_row is not None and target not in rows_of[kind.needs_row]:
            if target in v.dropped.get(kind.needs_row, ()):
                continue  # its row has an error of its own already
            needed = f"{'an' if kind.needs_row[0] in 'AEIOU' else 'a'} {kind.needs_row} row"
            v.error(
                events_sheet.name,
                row.cells["Target ID"].address,
                f"'{kind_name}' needs {needed} for carrier '{target}'",
                target,
                f"a carrier with {needed}",
            )
            continue
        horizon = scenarios[sid].horizon
        first, last = values["From day"], values["To day"] if values["To day"] is not None else horizon
        if first > horizon:
            v.error(
                events_sheet.name,
                row.cells["From day"].address,
                "the event starts after the horizon",
                first,
                f"a day from 1 to {horizon}",
            )
            continue
        if last < first:
            v.error(
                events_sheet.name,
                row.cells["To day"].address,
                "the event ends before it starts",
                last,
                f"a day from {first} to {horizon}",
            )
            continue
        if last > horizon:
            v.error(
                events_sheet.name,
                row.cells["To day"].address,
                "the event ends after the horizon",
                last,
                f"a day from {first} to {horizon}",
            )
            continue
        if too_large:
            continue
        if kind.onset_only and first != 1:
            v.error(
                events_sheet.name,
                row.cells["From day"].address,
                f"a '{kind_name}' is a figure of the day the crisis starts",
                first,
                "day 1",
            )
            continue
        if kind_name == vocabulary.EVENT_STOCK_AT_ONSET and value * storage[target].initial < storage[target].floor:
            v.error(
                events_sheet.name,
                row.cells["Value"].address,
                f"a share of {value:g} leaves {value * storage[target].initial:,.6g} of '{target}', below its floor of "
                f"{storage[target].floor:,.6g} (Storage)",
                value,
                f"a share of at least {storage[target].floor / storage[target].initial:.3g}"
                if storage[target].initial > 0
                else "no stock at onset event for a carrier with no initial stock",
            )
            continue
        event = ScenarioEvent(kind_name, target, first, last, value)
        for other_row, other in events[sid]:
            if (
                other.kind == kind_name
                and other.target == target
                and other.first_day <= last
                and first <= other.last_day
            ):
                v.error(
                    events_sheet.name,
                    row.cells["From day"].address,
                    f"days {first}–{last} overlap the same event for '{target}' in row {other_row.excel_row}",
                    expected="events of one scenario, kind and target on separate days",
                )
                break
        else:
            events[sid].append((row, event))
    return {
        sid: dataclasses.replace(scenario, events=tuple(e for _, e in events[sid]))
        for sid, scenario in scenarios.items()
    }


def _projects(v, years, carriers, technologies, demands) -> dict[str, Project]:
    sheet = schema.PROJECTS
    rows = v.unique(sheet, "Project ID", v.records(sheet))
    projects: dict[str, Project] = {}
    for pid, (row, values) in rows.items():
        profile = values["Spend profile"] or (1.0,)
        if years and len(profile) > len(years):
            v.error(
                sheet.name,
                row.cells["Spend profile"].address,
                "the spend profile is longer than the plan",
                f"{len(profile)} years",
                f"at most {len(years)} shares",
            )
        committed = values["Committed units"] or 0
        if values["Max units"] == 0 and committed == 0:
            v.error(
                sheet.name,
                row.cells["Max units"].address,
                "too small",
                0,
                "a whole number ≥ 1, or 0 for a project whose units are all committed (Committed units)",
            )
        if values["Committed start year"] is not None and committed == 0:
            v.error(
                sheet.name,
                row.cells["Committed start year"].address,
                "a committed start year with no Committed units",
                values["Committed start year"],
                "Committed units ≥ 1 beside it, or no start year",
            )
        for column in ("Requires", "Excludes"):
            for other in values[column] or ():
                if other == pid:
                    v.error(sheet.name, row.cells[column].address, f"a project cannot name itself in {column}", other)
                else:
                    v.refer(sheet, row, column, other, rows.__contains__, "project")
        projects[pid] = Project(
            pid,
            values["Name"],
            values["Category"],
            values["Unit cost"],
            values["Max units"],
            values["Lead time"],
            tuple(profile),
            tuple(values["Requires"] or ()),
            tuple(values["Excludes"] or ()),
            committed_units=committed,
            committed_start=values["Committed start year"],
            cells={column: _address(row, column, sheet.name) for column in ("Unit cost", "Max units", "Lead time")},
        )
    _requires_cycles(v, rows, projects)

    effects_sheet = schema.EFFECTS
    effects: dict[str, list[Effect]] = {pid: [] for pid in projects}
    for row, values in v.records(effects_sheet, keep_bad=True):
        pid, kind, target, amount = (
            values["Project ID"],
            values["Effect"],
            values["Target ID"],
            values["Amount per unit"],
        )
        if any(value is _BAD for value in values.values()):
            # A bad amount, say, must not hide an unknown project or target in the same row.
            if pid is not _BAD:
                v.refer(effects_sheet, row, "Project ID", pid, projects.__contains__, "project")
            if target is not _BAD and kind is not _BAD:
                what = vocabulary.EFFECTS[kind].target
                known: Collection[str] = technologies if what == "technology" else carriers
                v.refer(effects_sheet, row, "Target ID", target, known.__contains__, what)
            continue
        if not v.refer(effects_sheet, row, "Project ID", pid, projects.__contains__, "project"):
            continue
        effect_kind = vocabulary.EFFECTS[kind]
        known = technologies if effect_kind.target == "technology" else carriers
        if not v.refer(effects_sheet, row, "Target ID", target, known.__contains__, effect_kind.target):
            continue
        if effect_kind.needs_storable and not carriers[target].storable:
            v.error(
                effects_sheet.name,
                row.cells["Target ID"].address,
                f"a '{kind}' effect needs a storable carrier",
                target,
                "a carrier marked storable",
            )
            continue
        # Every problem of the row is reported: a share above 1 also where the target's Demands row has an error.
        too_large = _share_above_one(v, effects_sheet, row, "Amount per unit", effect_kind.measure, amount, kind)
        if effect_kind.needs_demand and target not in demands:
            if target not in v.dropped.get("Demands", ()):
                v.error(
                    effects_sheet.name,
                    row.cells["Target ID"].address,
                    f"{kind} needs a carrier with a Demands row",
                    target,
                    "a demanded carrier",
                )
            continue  # else its Demands row has an error of its own
        if too_large:
            continue
        window = _effect_window(v, row, values, kind)
        if window is None:
            continue
        effects[pid].append(Effect(kind, target, amount, *window))
    return {pid: dataclasses.replace(p, effects=tuple(effects[pid])) for pid, p in projects.items()}


def _share_above_one(
    v: Validator, sheet: Sheet, row: RawRow, column: str, measure: str, value: float, what: str
) -> bool:
    """Report a share above 1 at its cell; True when there was one."""
    if measure != "share" or value <= 1:
        return False
    v.error(sheet.name, row.cells[column].address, f"{what} is a share", value, "a share from 0 to 1")
    return True


def _requires_cycles(v: Validator, rows: dict[str, tuple[RawRow, dict]], projects: dict[str, Project]) -> None:
    """Report each cycle of Requires once, e.g. A → B → A.

    A depth-first walk with its own stack, not recursion: a chain of thousands of projects would pass
    Python's recursion limit."""
    state: dict[str, str] = {}
    reported: set[frozenset[str]] = set()
    for root in projects:
        if root in state:
            continue
        path, place = [root], {root: 0}  # the walk's current path, and where each project stands on it
        pending = [iter(projects[root].requires)]
        state[root] = "open"
        while pending:
            other = next(pending[-1], None)
            if other is None:  # every requirement of the path's last project seen
                state[path[-1]] = "done"
                del place[path.pop()]
                pending.pop()
            elif other not in projects:
                continue
            elif state.get(other) == "open":
                cycle = path[place[other] :] + [other]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    v.error(
                        "Projects",
                        rows[path[-1]][0].cells["Requires"].address,
                        f"Requires forms a cycle: {_cycle_in_words(cycle)}",
                        expected="no project requiring itself through others",
                    )
            elif other not in state:
                state[other] = "open"
                place[other] = len(path)
                path.append(other)
                pending.append(iter(projects[other].requires))


def _cycle_in_words(cycle: list[str]) -> str:
    """A → B → A; a long cycle by its ends and its length, so that the message stays readable."""
    if len(cycle) <= 12:
        return " → ".join(cycle)
    return f"{' → '.join(cycle[:5])} → … → {' → '.join(cycle[-5:])} ({len(cycle) - 1} projects)"


def _policy(v: Validator, years, projects: dict[str, Project]) -> tuple[PolicyRule, ...]:
    sheet = schema.POLICY
    categories = sorted({p.category for p in projects.values()})
    rules = []
    for rid, (row, values) in v.unique(sheet, "Rule ID", v.records(sheet)).items():
        kind, category, year = values["Rule"], values["Category"], values["Year"]
        amount, unit = values["Amount"], values["Amount unit"]
        cells = row.cells
        if kind == vocabulary.RULE_TOTAL_BUDGET:
            if category:
                v.error(
                    sheet.name, cells["Category"].address, "a total budget has no category", category, "a blank cell"
                )
                continue
            if unit == vocabulary.AMOUNT_SHARE:
                v.error(
                    sheet.name, cells["Amount unit"].address, "a total budget is money, not a share", unit, "'money'"
                )
                continue
        else:
            if not category:
                v.error(
                    sheet.name,
                    cells["Category"].address,
                    f"a {kind} needs a category",
                    "an empty cell",
                    f"one of {', '.join(categories)}",
                )
                continue
            if category not in categories:
                v.error(
                    sheet.name,
                    cells["Category"].address,
                    "no project has this category",
                    category,
                    f"one of {', '.join(categories)}",
                )
                continue
            if unit == vocabulary.AMOUNT_SHARE and amount > 1:
                v.error(sheet.name, cells["Amount"].address, "a share is at most 1", amount, "a share from 0 to 1")
                continue
        if year is not None and years and year not in years:
            v.error(
                sheet.name,
                cells["Year"].address,
                "not a planning year",
                year,
                f"a year from {min(years)} to {max(years)} or blank",
            )
            continue
        rules.append(PolicyRule(rid, kind, amount, unit, category or None, year, f"Policy!{cells['Amount'].address}"))
    return tuple(rules)
