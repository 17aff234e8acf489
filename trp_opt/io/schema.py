"""The input workbook's schema: one definition that drives reading, validation,
the empty template and the column documentation in its README sheet.

Headers are written as ``Name (unit)``. When reading, a column is matched on
the name before the unit, case-insensitively, so an analyst may write the
money unit of their own data (``Unit cost (NT$ million)``) in the header.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from trp_opt.data import vocabulary
from trp_opt.data.vocabulary import AMOUNT_MONEY, AMOUNT_SHARE, EFFECT_KINDS, EVENT_KINDS, RULE_KINDS


class Kind(str, Enum):
    """What a cell must hold."""

    TEXT = "text"
    ID = "id"  # short identifier: letters, digits, '_', '-', '.'
    NUMBER = "number"
    INTEGER = "integer"
    YESNO = "yes/no"
    CHOICE = "choice"
    ID_LIST = "list of IDs"  # separated by ';' or ','
    SHARES = "list of shares"  # e.g. "0.4; 0.6", summing to 1


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    unit: str = ""
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    refers_to: str = ""  # the sheet whose first column lists the IDs this column may hold (a dropdown)

    @property
    def header(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name

    @property
    def expected(self) -> str:
        """What a valid value looks like, in words, for error messages."""
        if self.kind is Kind.CHOICE:
            return "one of " + ", ".join(f"'{c}'" for c in self.choices)
        text = {
            Kind.TEXT: "text",
            Kind.ID: "an ID (letters, digits, '_', '-', '.')",
            Kind.NUMBER: "a number",
            Kind.INTEGER: "a whole number",
            Kind.YESNO: "'yes' or 'no'",
            Kind.ID_LIST: "IDs separated by ';'",
            Kind.SHARES: "shares separated by ';' that add up to 1",
        }[self.kind]
        if self.minimum is not None and self.maximum is not None:
            text += f" from {self.minimum:g} to {self.maximum:g}"
        elif self.minimum is not None:
            text += f" ≥ {self.minimum:g}"
        elif self.maximum is not None:
            text += f" ≤ {self.maximum:g}"
        return text


@dataclass(frozen=True)
class Sheet:
    name: str
    description: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")


SOURCE = Column(
    "Source",
    Kind.TEXT,
    "Where the figures of this row come from; an assumption says 'assumption' and why.",
    required=False,
)
MONEY = "money"  # header unit of money columns: the currency named in Settings

SETTING_TITLE = "Title"
SETTING_CURRENCY = "Currency"
SETTINGS_KNOWN = (SETTING_TITLE, SETTING_CURRENCY)


SETTINGS = Sheet(
    "Settings",
    "General settings, one per row.",
    (
        Column("Setting", Kind.CHOICE, "Which setting.", choices=SETTINGS_KNOWN),
        Column(
            "Value",
            Kind.TEXT,
            "Title: a name for the dataset. Currency: the money unit of every money column, e.g. 'NT$ million'.",
        ),
        SOURCE,
    ),
)

YEARS = Sheet(
    "Years",
    "The planning years, consecutive, with the budget that may be spent in each.",
    (
        Column("Year", Kind.INTEGER, "Calendar year.", minimum=1900, maximum=2200),
        Column(
            "Budget",
            Kind.NUMBER,
            "Most that may be spent in this year. `trp-opt solve --budget X` scales every year's budget by the same "
            "factor, X over the years' sum (or the total budget rule, when smaller), so the split keeps its shape.",
            unit=MONEY,
            minimum=0,
        ),
        SOURCE,
    ),
)

CARRIERS = Sheet(
    "Carriers",
    "Things that are stored, converted or consumed, each with its unit.",
    (
        Column("Carrier ID", Kind.ID, "Short unique name used on the other sheets."),
        Column("Name", Kind.TEXT, "Name shown in reports."),
        Column("Unit", Kind.TEXT, "Unit of every quantity of this carrier (a daily rate is this unit per day)."),
        Column(
            "Storable",
            Kind.YESNO,
            "'yes' if it is held in stock (needs a row on Storage); 'no' if it must be used as it is produced.",
        ),
        SOURCE,
    ),
)

STORAGE = Sheet(
    "Storage",
    "Stock of each storable carrier when a crisis starts, before new projects.",
    (
        Column("Carrier ID", Kind.ID, "A storable carrier.", refers_to="Carriers"),
        Column("Initial stock", Kind.NUMBER, "Stock held on day 0.", unit="carrier unit", minimum=0),
        Column("Capacity", Kind.NUMBER, "Most that can be held (tank room).", unit="carrier unit", minimum=0),
        Column(
            "Floor",
            Kind.NUMBER,
            "Stock that cannot be used (tank heel); stock never falls below it.",
            unit="carrier unit",
            minimum=0,
            required=False,
        ),
        SOURCE,
    ),
)

IMPORTS = Sheet(
    "Imports",
    "Normal daily imports; a scenario's 'import availability' events scale them.",
    (
        Column("Carrier ID", Kind.ID, "The imported carrier.", refers_to="Carriers"),
        Column("Normal daily import", Kind.NUMBER, "Imports on a normal day.", unit="carrier unit/day", minimum=0),
        SOURCE,
    ),
)

TECHNOLOGIES = Sheet(
    "Technologies",
    "Plants, links and other means that turn an input carrier into an output carrier.",
    (
        Column("Technology ID", Kind.ID, "Short unique name used on the other sheets."),
        Column("Name", Kind.TEXT, "Name shown in reports."),
        Column(
            "Input carrier",
            Kind.ID,
            "Carrier consumed; blank for a source (renewables, cables).",
            required=False,
            refers_to="Carriers",
        ),
        Column("Output carrier", Kind.ID, "Carrier produced.", refers_to="Carriers"),
        Column(
            "Efficiency",
            Kind.NUMBER,
            "Output units per input unit (blank means 1; ignored for a source).",
            unit="output unit/input unit",
            minimum=0,
            required=False,
        ),
        Column("Capacity", Kind.NUMBER, "Most output in a day.", unit="output unit/day", minimum=0),
        Column(
            "Repair rate",
            Kind.NUMBER,
            "Lost capacity restored per day once the scenario's repair delay has passed.",
            unit="output unit/day per day",
            minimum=0,
            required=False,
        ),
        SOURCE,
    ),
)

DEMANDS = Sheet(
    "Demands",
    "Normal daily use of a carrier, and the share of it that is essential in a crisis.",
    (
        Column("Carrier ID", Kind.ID, "The demanded carrier.", refers_to="Carriers"),
        Column("Normal daily use", Kind.NUMBER, "Use on a normal day.", unit="carrier unit/day", minimum=0),
        Column(
            "Essential share",
            Kind.NUMBER,
            "Share of normal use that must be met every day of a crisis.",
            unit="share",
            minimum=0,
            maximum=1,
        ),
        Column(
            "Max relief",
            Kind.NUMBER,
            "Largest share of the essential requirement that relief projects (training, efficiency) may remove.",
            unit="share",
            minimum=0,
            maximum=1,
            required=False,
        ),
        Column(
            "Counts toward endurance",
            Kind.YESNO,
            "'yes' (or blank): a day counts only if this requirement is met. 'no': the requirement is still "
            "tracked and its own days reported, but it does not end endurance (to show a plan with and without a "
            "guessed floor). At least one requirement must count.",
            required=False,
        ),
        SOURCE,
    ),
)

SCENARIOS = Sheet(
    "Scenarios",
    "Crises to plan for: a crisis starts on day 1 of its onset year.",
    (
        Column("Scenario ID", Kind.ID, "Short unique name used on ScenarioEvents."),
        Column("Name", Kind.TEXT, "Name shown in reports."),
        Column(
            "Onset year",
            Kind.INTEGER,
            "Year the crisis starts; projects finished by then count.",
            minimum=1900,
            maximum=2200,
        ),
        Column(
            "Horizon",
            Kind.INTEGER,
            "Days modelled; endurance is reported as '≥ horizon' when never broken.",
            unit="days",
            minimum=1,
            maximum=3660,
        ),
        Column(
            "Weight",
            Kind.NUMBER,
            "Weight in the expected-endurance objective and tie-break; blank counts as 1, 0 leaves the scenario out "
            "of the weighted sum.",
            minimum=0,
            required=False,
        ),
        Column(
            "Repair delay", Kind.INTEGER, "Days before any repair can start.", unit="days", minimum=0, required=False
        ),
        Column(
            "Target endurance",
            Kind.INTEGER,
            "Days to reach under the 'target' objective.",
            unit="days",
            minimum=0,
            required=False,
        ),
        SOURCE,
    ),
)

SCENARIO_EVENTS = Sheet(
    "ScenarioEvents",
    "What a scenario does, over a range of days. Outside every event imports are normal, "
    "nothing is damaged and demand is normal.",
    (
        Column("Scenario ID", Kind.ID, "The scenario.", refers_to="Scenarios"),
        Column(
            "Event",
            Kind.CHOICE,
            vocabulary.choices_text(vocabulary.EVENTS.values()),
            choices=EVENT_KINDS,
        ),
        Column("Target ID", Kind.ID, "The carrier or technology affected."),
        Column("From day", Kind.INTEGER, "First day of the event.", unit="day", minimum=1),
        Column(
            "To day",
            Kind.INTEGER,
            "Last day of the event; blank means to the horizon.",
            unit="day",
            minimum=1,
            required=False,
        ),
        Column(
            "Value",
            Kind.NUMBER,
            f"{vocabulary.measures_text(vocabulary.EVENTS.values()).capitalize()}.",
            minimum=0,
        ),
        SOURCE,
    ),
)

PROJECTS = Sheet(
    "Projects",
    "Investments that may be funded, in whole units.",
    (
        Column("Project ID", Kind.ID, "Short unique name used on Effects and in Requires/Excludes."),
        Column("Name", Kind.TEXT, "Name shown in reports."),
        Column("Category", Kind.TEXT, "Budget category (stockpiles, grid, cables, training, ...)."),
        Column(
            "Unit cost",
            Kind.NUMBER,
            "Cost of one unit, spread over the years by the spend profile.",
            unit=MONEY,
            minimum=0,
        ),
        Column(
            "Max units",
            Kind.INTEGER,
            "Most units that may be funded, over all years (0: none, for a project whose committed units are all).",
            minimum=0,
        ),
        Column(
            "Lead time",
            Kind.INTEGER,
            "Years from start to finish; a unit started in year y helps in crises from year y + lead time.",
            unit="years",
            minimum=0,
            maximum=50,
        ),
        Column(
            "Spend profile",
            Kind.SHARES,
            "Share of the unit cost paid in the start year, the next year, ...; blank means all in the start year.",
            unit="shares",
            required=False,
        ),
        Column("Requires", Kind.ID_LIST, "Projects that must be funded for this one to be funded.", required=False),
        Column("Excludes", Kind.ID_LIST, "Projects that cannot be funded together with this one.", required=False),
        SOURCE,
        Column(
            "Committed units",
            Kind.INTEGER,
            "Units already funded outside this budget (a tank under construction, a law's stock): they help in every "
            "scenario they are finished for, cost nothing here and count against no rule.",
            required=False,
            minimum=0,
        ),
        Column(
            "Committed start year",
            Kind.INTEGER,
            "Year the committed units were started; they help from that year + lead time. Blank: already in service.",
            required=False,
            minimum=1900,
            maximum=2200,
        ),
    ),
)

EFFECTS = Sheet(
    "Effects",
    "What one finished unit of a project does.",
    (
        Column("Project ID", Kind.ID, "The project.", refers_to="Projects"),
        Column(
            "Effect",
            Kind.CHOICE,
            vocabulary.choices_text(vocabulary.EFFECTS.values()),
            choices=EFFECT_KINDS,
        ),
        Column("Target ID", Kind.ID, "The carrier or technology affected."),
        Column(
            "Amount per unit",
            Kind.NUMBER,
            f"{vocabulary.measures_text(vocabulary.EFFECTS.values()).capitalize()}.",
            minimum=0,
        ),
        SOURCE,
        Column(
            "From day",
            Kind.INTEGER,
            f"First crisis day the effect acts on ({', '.join(vocabulary.WINDOWED_EFFECTS)} only; blank: from day 1), "
            "e.g. a repair ship that arrives on day 30.",
            unit="day",
            minimum=1,
            required=False,
        ),
        Column(
            "To day",
            Kind.INTEGER,
            "Last crisis day the effect acts on (blank: to the horizon), e.g. drills that shorten the rationing lag "
            "of week 1.",
            unit="day",
            minimum=1,
            required=False,
        ),
    ),
)

POLICY = Sheet(
    "Policy",
    "Budget rules beyond the yearly budgets on Years.",
    (
        Column("Rule ID", Kind.ID, "Short unique name."),
        Column(
            "Rule",
            Kind.CHOICE,
            "'total budget': most spent over all years; 'category floor': least spent on a category; "
            "'category cap': most spent on a category.",
            choices=RULE_KINDS,
        ),
        Column("Category", Kind.TEXT, "The category (category rules only).", required=False),
        Column("Year", Kind.INTEGER, "The year it applies to; blank means over all years.", required=False),
        Column("Amount", Kind.NUMBER, "Money, or a share of the total spent in the same period.", minimum=0),
        Column(
            "Amount unit",
            Kind.CHOICE,
            "'money' or 'share' (of all spending in the same period; category rules only).",
            choices=(AMOUNT_MONEY, AMOUNT_SHARE),
        ),
        SOURCE,
    ),
)

SHEETS: tuple[Sheet, ...] = (
    SETTINGS,
    YEARS,
    CARRIERS,
    STORAGE,
    IMPORTS,
    TECHNOLOGIES,
    DEMANDS,
    SCENARIOS,
    SCENARIO_EVENTS,
    PROJECTS,
    EFFECTS,
    POLICY,
)
SHEETS_BY_NAME: dict[str, Sheet] = {sheet.name: sheet for sheet in SHEETS}


# ---- The proposal workbook (trp-opt compare, trp-opt solve --proposal) ----------------------
# A separate, small workbook the analyst fills from a legislature's text. Any subset of these
# sheets may be present; a sheet that is absent means "as in the base inputs".

EARMARK_EXACT = "exact"
EARMARK_CAP = "cap"
OVERRIDABLE_SHEETS = tuple(s.name for s in SHEETS if s.name != "Settings")
# The columns that identify a row of a base sheet, for an override's Row ID ("a / b / c").
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "Years": ("Year",),
    "Carriers": ("Carrier ID",),
    "Storage": ("Carrier ID",),
    "Imports": ("Carrier ID",),
    "Technologies": ("Technology ID",),
    "Demands": ("Carrier ID",),
    "Scenarios": ("Scenario ID",),
    "ScenarioEvents": ("Scenario ID", "Event", "Target ID", "From day"),
    "Projects": ("Project ID",),
    "Effects": ("Project ID", "Effect", "Target ID"),
    "Policy": ("Rule ID",),
}

PROPOSAL_BUDGET = Sheet(
    "Budget",
    "The proposal's money: a row with a blank Year is the total over all years; a row with a Year is that "
    "year's budget. Given only a total, every year's budget scales with it (as --budget does); given only "
    "years, the total is their sum.",
    (
        Column(
            "Year",
            Kind.INTEGER,
            "A planning year of the base workbook; blank for the total over all years.",
            minimum=1900,
            maximum=2200,
            required=False,
        ),
        Column("Amount", Kind.NUMBER, "Most that may be spent in that year, or in total.", unit=MONEY, minimum=0),
        SOURCE,
    ),
)

PROPOSAL_CATEGORIES = Sheet(
    "Categories",
    "Money the proposal assigns to a budget category. 'exact': must be spent on that category (whole "
    "units rarely add up to the exact amount, so at most the amount, and short of it by less than one unit "
    "of the category's cheapest project); 'cap': at most this is spent on it.",
    (
        Column("Category", Kind.TEXT, "A category of the base workbook's Projects sheet."),
        Column("Amount", Kind.NUMBER, "Money over all years.", unit=MONEY, minimum=0),
        Column("Earmark", Kind.CHOICE, "'exact' or 'cap'.", choices=(EARMARK_EXACT, EARMARK_CAP)),
        SOURCE,
    ),
)

PROPOSAL_PROJECTS = Sheet(
    "Projects",
    "Projects the proposal decides: fund this many units (from the start year, if given), or 0 = not funded.",
    (
        Column("Project ID", Kind.ID, "A project of the base workbook."),
        Column("Units", Kind.INTEGER, "Units funded over all years; 0 means the project is not funded.", minimum=0),
        Column(
            "Start year",
            Kind.INTEGER,
            "Year every unit starts; blank lets the model choose the years.",
            minimum=1900,
            maximum=2200,
            required=False,
        ),
        SOURCE,
    ),
)

PROPOSAL_OVERRIDES = Sheet(
    "Overrides",
    "Input figures of the base workbook that the proposal replaces, each checked as strictly as the base "
    "workbook. Row ID names the row by its ID column; for Effects 'project / effect / target', for "
    "ScenarioEvents 'scenario / event / target / from day'; for Years the year.",
    (
        Column("Sheet", Kind.CHOICE, "The base sheet.", choices=OVERRIDABLE_SHEETS),
        Column("Row ID", Kind.TEXT, "Which row of that sheet (see above); IDs are case-sensitive."),
        Column("Column", Kind.TEXT, "Which column, by its name without the unit, e.g. 'Unit cost'."),
        Column("Value", Kind.TEXT, "The new value, written as in the base workbook."),
        SOURCE,
    ),
)

PROPOSAL_SHEETS: tuple[Sheet, ...] = (PROPOSAL_BUDGET, PROPOSAL_CATEGORIES, PROPOSAL_PROJECTS, PROPOSAL_OVERRIDES)

# ---- ranges for `trp-opt stress` -------------------------------------------------------
# Numeric inputs that may carry a range: optional columns '<name> low' and '<name> high'
# beside the column (e.g. 'Initial stock low (kt)'); the cell itself is the likely value.
# Both or neither must be filled on a row, with low ≤ likely ≤ high and the column's own limits.
# Only inputs that change what a held plan achieves are listed (costs do not: a plan's
# endurance does not depend on its price).
UNCERTAIN_COLUMNS: dict[str, tuple[str, ...]] = {
    "Storage": ("Initial stock", "Capacity"),
    "Imports": ("Normal daily import",),
    "Technologies": ("Efficiency", "Capacity", "Repair rate"),
    "Demands": ("Normal daily use", "Essential share"),
    "ScenarioEvents": ("Value",),
    "Effects": ("Amount per unit",),
}
LOW, HIGH = "low", "high"


def range_column(sheet: Sheet, name: str, end: str) -> Column:
    """The optional '<name> low' or '<name> high' column of an uncertain numeric input."""
    likely = sheet.column(name)
    return Column(
        f"{likely.name} {end}",
        likely.kind,
        f"{'Lowest' if end == LOW else 'Highest'} plausible value of '{likely.name}' for `trp-opt stress` "
        "(triangular, the cell itself is the likely value); blank: not uncertain.",
        unit=likely.unit,
        required=False,
        minimum=likely.minimum,
        maximum=likely.maximum,
    )
