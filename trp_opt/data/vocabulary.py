"""The analyst's words that the workbook and the model share: kinds of scenario event, of project
effect, of policy rule and of amount. The workbook's schema offers them as choices (trp_opt.io.schema);
the model reads them from the validated inputs."""

from __future__ import annotations

EVENT_IMPORT_AVAILABILITY = "import availability"
EVENT_CAPACITY_LOSS = "capacity loss"
EVENT_DEMAND_MULTIPLIER = "demand multiplier"
EVENT_STOCK_AT_ONSET = "stock at onset"  # share of the Storage sheet's initial stock held when the crisis starts
# share of what assured-import projects bring (chartered, escorted carriers) that gets through
EVENT_ASSURED_SHARE = "assured share"
EVENT_KINDS = (
    EVENT_IMPORT_AVAILABILITY,
    EVENT_CAPACITY_LOSS,
    EVENT_DEMAND_MULTIPLIER,
    EVENT_STOCK_AT_ONSET,
    EVENT_ASSURED_SHARE,
)

EFFECT_STOCK = "stock"
EFFECT_STORAGE = "storage"
EFFECT_CAPACITY = "capacity"
EFFECT_HARDENED = "hardened"
EFFECT_REPAIR = "repair"
EFFECT_RELIEF = "relief"
EFFECT_ASSURED_IMPORT = "assured import"  # carrier unit per day brought in during a crisis, beyond normal imports
EFFECT_KINDS = (
    EFFECT_STOCK,
    EFFECT_STORAGE,
    EFFECT_CAPACITY,
    EFFECT_HARDENED,
    EFFECT_REPAIR,
    EFFECT_RELIEF,
    EFFECT_ASSURED_IMPORT,
)
CARRIER_EFFECTS = (EFFECT_STOCK, EFFECT_STORAGE, EFFECT_RELIEF, EFFECT_ASSURED_IMPORT)
TECHNOLOGY_EFFECTS = (EFFECT_CAPACITY, EFFECT_HARDENED, EFFECT_REPAIR)
# Effects that may act over a window of crisis days only (models/endurance.md, (8)): flows and rates. A stock, a
# tank or a plant is there from the onset, and damage is a share of the capacity there.
WINDOWED_EFFECTS = (EFFECT_REPAIR, EFFECT_RELIEF, EFFECT_ASSURED_IMPORT)

RULE_TOTAL_BUDGET = "total budget"
RULE_CATEGORY_FLOOR = "category floor"
RULE_CATEGORY_CAP = "category cap"
RULE_KINDS = (RULE_TOTAL_BUDGET, RULE_CATEGORY_FLOOR, RULE_CATEGORY_CAP)
AMOUNT_MONEY = "money"
AMOUNT_SHARE = "share"
