"""The analyst's words that the workbook and the model share: kinds of scenario event, of project
effect, of policy rule and of amount. The workbook's schema offers them as choices (trp_opt.io.schema);
the model reads them from the validated inputs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

# What an event or effect acts on: a row of the Carriers sheet or one of the Technologies sheet.
TargetSheet = Literal["carrier", "technology"]
# What an effect's amount per unit is measured in:
#   "stock": the carrier's own unit (kt of LNG in a tank);
#   "carrier per day": the carrier's unit per day (kt/day brought in);
#   "output per day": the technology's output unit per day (GWh/day of capacity);
#   "share": a share from 0 to 1 (of an essential requirement).
EffectMeasure = Literal["stock", "carrier per day", "output per day", "share"]
# What an event's value is: a share from 0 to 1, or a factor (≥ 0) on a normal figure.
EventMeasure = Literal["share", "factor"]


@dataclass(frozen=True)
class EventKind:
    """One kind of scenario event: everything the workbook, validation, ranges and reports need to know of it.
    The model reads it through Scenario.profile (the value day by day) and its own equation."""

    name: str  # the word in the ScenarioEvents sheet's Event column
    target: TargetSheet
    measure: EventMeasure
    meaning: str  # what the value says, for the schema and the template's README sheet
    equation: str  # where the model uses it (models/endurance.md)
    default: float  # the value on a day no event of this kind covers
    needs_row: str | None = None  # the sheet the target needs a row on ("Imports"), or None
    onset_only: bool = False  # a figure of the day the crisis starts: From day must be 1


@dataclass(frozen=True)
class EffectKind:
    """One kind of project effect: what it targets, its amount's measure, whether it may act over a window of crisis
    days, and how the model adds it. Every effect may carry a stress range (Effects 'Amount per unit low/high')."""

    name: str  # the word in the Effects sheet's Effect column
    target: TargetSheet
    measure: EffectMeasure
    meaning: str  # what one unit does, for the schema and the template's README sheet
    equation: str  # how the model adds effect_total (8) (models/endurance.md)
    windowed: bool = False  # may act over a window of crisis days (From day, To day): flows and rates
    needs_storable: bool = False  # the target carrier must be storable
    needs_demand: bool = False  # the target carrier must have a Demands row

    @property
    def counted_in_target_quantities(self) -> bool:
        """The amount is a quantity of its target (not a share), so it joins the carrier's span check."""
        return self.measure != "share"


EVENT_IMPORT_AVAILABILITY = "import availability"
EVENT_CAPACITY_LOSS = "capacity loss"
EVENT_DEMAND_MULTIPLIER = "demand multiplier"
EVENT_STOCK_AT_ONSET = "stock at onset"  # share of the Storage sheet's initial stock held when the crisis starts
# share of what assured-import projects bring (chartered, escorted carriers) that gets through
EVENT_ASSURED_SHARE = "assured share"

EVENTS: dict[str, EventKind] = {
    kind.name: kind
    for kind in (
        EventKind(
            EVENT_IMPORT_AVAILABILITY,
            "carrier",
            "share",
            "share of normal imports that arrive",
            "(21) flow_balance, (20) stock_balance, (37) assured_import_limit: imports a_s,c,t · imp_c",
            default=1.0,
            needs_row="Imports",
        ),
        EventKind(
            EVENT_CAPACITY_LOSS,
            "technology",
            "share",
            "share of a technology's capacity lost",
            "(10) damage, (12) damage_limit: δ_s,j,t",
            default=0.0,
        ),
        EventKind(
            EVENT_DEMAND_MULTIPLIER,
            "carrier",
            "factor",
            "factor on normal use",
            "(15) essential_requirement: req_s,c,t",
            default=1.0,
            needs_row="Demands",
        ),
        EventKind(
            EVENT_STOCK_AT_ONSET,
            "carrier",
            "share",
            "share of the Storage sheet's initial stock held when the crisis starts (From day 1), e.g. a summer "
            "onset with LNG tanks below their yearly average",
            "(18) opening_stock: σ_s,c",
            default=1.0,
            needs_row="Storage",
            onset_only=True,
        ),
        EventKind(
            EVENT_ASSURED_SHARE,
            "carrier",
            "share",
            "share of what assured-import projects bring that gets through",
            "(37) assured_import_limit: g_s,c,t",
            default=1.0,
        ),
    )
}
EVENT_KINDS = tuple(EVENTS)

EFFECT_STOCK = "stock"
EFFECT_STORAGE = "storage"
EFFECT_CAPACITY = "capacity"
EFFECT_HARDENED = "hardened"
EFFECT_REPAIR = "repair"
EFFECT_RELIEF = "relief"
EFFECT_ASSURED_IMPORT = "assured import"  # carrier unit per day brought in during a crisis, beyond normal imports

EFFECTS: dict[str, EffectKind] = {
    kind.name: kind
    for kind in (
        EffectKind(
            EFFECT_STOCK,
            "carrier",
            "stock",
            "adds stock",
            "(18) opening_stock: Stock_s,c",
            needs_storable=True,
        ),
        EffectKind(
            EFFECT_STORAGE,
            "carrier",
            "stock",
            "adds capacity to hold stock",
            "(19) stock_room: Room_s,c",
            needs_storable=True,
        ),
        EffectKind(
            EFFECT_CAPACITY,
            "technology",
            "output per day",
            "adds daily capacity",
            "(9) capacity_limit: Cap_s,j",
        ),
        EffectKind(
            EFFECT_HARDENED,
            "technology",
            "output per day",
            "capacity protected from damage",
            "(10) damage, (11) lost_when_exposed: Hard_s,j",
        ),
        EffectKind(
            EFFECT_REPAIR,
            "technology",
            "output per day",
            "adds to the daily repair rate",
            "(13) repair_pace: Rep_s,j,t",
            windowed=True,
        ),
        EffectKind(
            EFFECT_RELIEF,
            "carrier",
            "share",
            "cuts the essential requirement by a share",
            "(16) relief_potential: Share_s,c,t",
            windowed=True,
            needs_demand=True,
        ),
        EffectKind(
            EFFECT_ASSURED_IMPORT,
            "carrier",
            "carrier per day",
            "brings the carrier in during a crisis, beyond normal imports (chartered or escorted cargoes; the share "
            "that gets through is a scenario's 'assured share' event, 1 without)",
            "(37) assured_import_limit: Assured_s,c,t",
            windowed=True,
        ),
    )
}
EFFECT_KINDS = tuple(EFFECTS)
CARRIER_EFFECTS = tuple(k.name for k in EFFECTS.values() if k.target == "carrier")
TECHNOLOGY_EFFECTS = tuple(k.name for k in EFFECTS.values() if k.target == "technology")
# Effects that may act over a window of crisis days only (models/endurance.md, (8)): flows and rates. A stock, a
# tank or a plant is there from the onset, and damage is a share of the capacity there.
WINDOWED_EFFECTS = tuple(k.name for k in EFFECTS.values() if k.windowed)

MEASURE_WORDS: dict[str, str] = {
    "stock": "in the carrier's unit",
    "carrier per day": "the carrier's unit per day",
    "output per day": "the technology's output unit per day",
    "share": "a share from 0 to 1",
    "factor": "a factor ≥ 0",
}


def choices_text(kinds: Iterable[EventKind | EffectKind]) -> str:
    """The Event or Effect column, in words: each kind, what it does and what it acts on."""
    return "; ".join(f"'{k.name}': {k.meaning} ({k.target})" for k in kinds) + "."


def measures_text(kinds: Iterable[EventKind | EffectKind]) -> str:
    """The Value or Amount per unit column, in words: each kind's measure, e.g. 'a share from 0 to 1 (relief)'."""
    by_measure: dict[str, list[str]] = {}
    for kind in kinds:
        by_measure.setdefault(MEASURE_WORDS[kind.measure], []).append(kind.name)
    return ", ".join(f"{words} ({', '.join(names)})" for words, names in by_measure.items())


RULE_TOTAL_BUDGET = "total budget"
RULE_CATEGORY_FLOOR = "category floor"
RULE_CATEGORY_CAP = "category cap"
RULE_KINDS = (RULE_TOTAL_BUDGET, RULE_CATEGORY_FLOOR, RULE_CATEGORY_CAP)
AMOUNT_MONEY = "money"
AMOUNT_SHARE = "share"
