"""Build inputs/taiwan_baseline.xlsx from sourced public figures.

Run:  python inputs/build_taiwan_baseline.py

Every row carries a Source: the public figure it comes from (outlet and
date, as listed in shared/data/taiwan-figures.md), "Est." for arithmetic on
those figures (the arithmetic is in this file), or "assumption" with the
reason. Money is NT$ million. The script prints each storable carrier's days
of supply at normal use, which must match the public figures:
LNG ≈ 11 days, coal ≈ 40 days, oil > 100 days.
"""

from __future__ import annotations

from pathlib import Path

from trp_opt.template import write_input_workbook

HERE = Path(__file__).resolve().parent
NT_PER_USD = 32.0  # assumption: exchange rate, 2025–26 range

# ---- electricity ------------------------------------------------------------------
POWER_TWH_2024 = 289.1  # MOEA supply–demand report, via Liberty Times, Sep 2025
POWER_GWH_DAY = POWER_TWH_2024 * 1000 / 365  # Est. ≈ 792 GWh/day
RENEWABLE_GWH_DAY = 33.9 * 1000 / 365  # same source: renewables 33.9 TWh → ≈ 93 GWh/day
GAS_GWH_DAY = 0.42 * POWER_GWH_DAY  # gas ~42% of 2024 generation (lowcarbonpower.org)
COAL_GWH_DAY = 0.39 * POWER_GWH_DAY  # coal ~39%
OIL_GWH_DAY = 0.015 * POWER_GWH_DAY  # oil ~1.5%

# Gas plant efficiency, Est.: 2023 power burn 83.4% of 24.7 bcm = 20.6 bcm (S&P Global, May 2024);
# 1 t LNG ≈ 1,360 m³ of gas → 15.1 Mt/yr = 41.5 kt/day; gas made 39.6% of ≈ 282 TWh = 306 GWh/day.
GAS_GWH_PER_KT = 7.4
COAL_GWH_PER_KT = 2.65  # assumption: 25 MJ/kg coal at 38% plant efficiency
OIL_GWH_PER_KT = 4.4  # assumption: 42 MJ/kg fuel oil at 38% plant efficiency

# ---- fuels --------------------------------------------------------------------------
LNG_IMPORT_KT_DAY = 21.5e3 / 365  # ≈ 21.5 Mt/yr (customs data via The Crude Truth, Dec 2024) → 58.9 kt/day
LNG_POWER_KT_DAY = GAS_GWH_DAY / GAS_GWH_PER_KT  # Est. ≈ 45 kt/day burnt for power
LNG_DIRECT_KT_DAY = LNG_IMPORT_KT_DAY - LNG_POWER_KT_DAY  # Est. city gas and industry ≈ 14 kt/day
LNG_FLOOR_KT = 30.0  # assumption: tank heel ≈ half a day of imports
LNG_STOCK_KT = LNG_FLOOR_KT + 11.0 * LNG_IMPORT_KT_DAY  # 11 usable days (UDN: 11.5 days held, Apr 2026)
LNG_ROOM_KT = 20.0 * LNG_IMPORT_KT_DAY  # legal tank capacity 20 days (Liberty Times, 7 Mar 2026)
LNG_TANK_KT = 180_000 * 0.45 / 1000  # 180,000 m³ at 0.45 t/m³ ≈ 81 kt
LNG_USD_PER_T = 12 * 52  # assumption: US$12/MMBtu, 52 MMBtu per tonne

COAL_POWER_KT_DAY = COAL_GWH_DAY / COAL_GWH_PER_KT  # Est. ≈ 117 kt/day
COAL_IMPORT_KT_DAY = 160.0  # assumption: ≈ 58 Mt/yr, power burn plus ≈ 43 kt/day for steel and cement
COAL_FLOOR_KT = 300.0  # assumption: yard bottoms and handling stock ≈ 2 days
COAL_STOCK_KT = COAL_FLOOR_KT + 40.0 * COAL_IMPORT_KT_DAY  # typically 40–42 days (Taipei Times, 23 Jan 2023)
COAL_ROOM_KT = COAL_FLOOR_KT + 45.0 * COAL_IMPORT_KT_DAY  # assumption: yards hold ≈ 45 days (50 under study)
COAL_USD_PER_T = 130.0  # assumption: delivered thermal coal price

OIL_IMPORT_KT_DAY = 136.0  # assumption: ≈ 1 million barrels/day of crude and products at 7.33 bbl/t
OIL_POWER_KT_DAY = OIL_GWH_DAY / OIL_GWH_PER_KT  # Est. ≈ 2.7 kt/day
OIL_FLOOR_KT = 700.0  # assumption: tank heels ≈ 5 days across refinery and depot tanks
OIL_STOCK_KT = OIL_FLOOR_KT + 110.0 * OIL_IMPORT_KT_DAY  # > 100 days (UDN, Mar 2026); 128 in Jan 2020
OIL_ROOM_KT = OIL_FLOOR_KT + 130.0 * OIL_IMPORT_KT_DAY  # assumption: tanks hold ≈ 130 days
OIL_USD_PER_T = 75 * 7.33  # assumption: US$75/bbl


def money(usd: float) -> float:
    """US$ → NT$ million, rounded to NT$ 10 million."""
    return round(usd * NT_PER_USD / 1e6, -1)


SRC_GEN = "MOEA supply–demand report via Liberty Times, Sep 2025 (289.1 TWh, renewables 33.9 TWh); mix: lowcarbonpower.org 2024"
SRC_LNG_IMPORT = "≈21.5 Mt/yr: customs data via The Crude Truth, Dec 2024"
SRC_GAS_EFF = "Est.: 83.4% of 24.7 bcm burnt for power and 39.6% of generation (S&P Global, 30 May 2024)"
ASSUMED_HORIZON = 120  # days modelled in every scenario: long enough for allied help to arrive (assumption)


def rows() -> dict[str, list[dict]]:
    carriers = [
        ("lng", "LNG", "kt", "yes", "LNG imports 97% of energy supply context: Bureau of Energy handbook via GTI, Sep 2023"),
        ("coal", "Coal", "kt", "yes", "Taipei Times, 23 Jan 2023 (coal stock regulation)"),
        ("oil", "Oil (crude and products)", "kt", "yes", "Petroleum Administration Act, Art. 24"),
        ("electricity", "Electricity", "GWh", "no", SRC_GEN),
        ("bandwidth", "International bandwidth", "Gbps-days", "no",
         "15 cable systems, > 100 Tbps: Tech Policy Press, Sep 2024; a rate of 1 Gbps held for a day is 1 Gbps-day"),
        ("medicine", "Medicine", "M patient-days", "yes",
         "assumption: 1 M patient-days = a day of medication for 1 million people; civilian stock figure: none found"),
        ("food", "Food (grain equivalent)", "kt", "yes", "Focus Taiwan, Oct 2024 (30.3% calorie self-sufficiency)"),
        ("ammunition", "Ammunition", "combat-days", "yes",
         "assumption: a combat-day is a day of high-intensity use; no public figure in days (Taipei Times, Sep 2022: NT$8 bn FY2023)"),
    ]
    storage = [
        ("lng", LNG_STOCK_KT, LNG_ROOM_KT, LNG_FLOOR_KT,
         "stock: 11 usable days of imports (UDN 2026: 11.9 days Mar, 11.5 days Apr) plus heel; room: legal 20 days "
         "(Liberty Times, 7 Mar 2026); heel 30 kt: assumption"),
        ("coal", COAL_STOCK_KT, COAL_ROOM_KT, COAL_FLOOR_KT,
         "stock: 40 days, typical 40–42 (Taipei Times, 23 Jan 2023); room 45 days and floor 2 days: assumption"),
        ("oil", OIL_STOCK_KT, OIL_ROOM_KT, OIL_FLOOR_KT,
         "stock: 110 days, > 100 days (UDN, Mar 2026), 128 days in Jan 2020 (Taiwan News); room and heel: assumption"),
        ("medicine", 95.0, 120.0, 5.0,
         "assumption: ≈ 3 months of wholesaler and hospital stock; no public civilian figure found"),
        ("food", 1900.0, 2300.0, 100.0,
         "assumption: ≈ 90 days of use; rice reserve 5.5–7 months (Reuters Oct 2024; Taipei Times Mar 2025)"),
        ("ammunition", 30.0, 40.0, 0.0,
         "assumption: 30 days, the pre-2025 military wartime reserve (press, Sep 2025); depot room 40 days"),
    ]
    imports = [
        ("lng", LNG_IMPORT_KT_DAY, SRC_LNG_IMPORT),
        ("coal", COAL_IMPORT_KT_DAY, "assumption: power burn (Est. 117 kt/day) plus steel and cement ≈ 43 kt/day"),
        ("oil", OIL_IMPORT_KT_DAY, "assumption: ≈ 1 million barrels/day at 7.33 bbl/t"),
        ("medicine", 0.8, "assumption: 80% of medicine use is imported (finished drugs and ingredients)"),
        ("food", 14.0, "Est.: 70% of use imported (30.3% self-sufficiency, Focus Taiwan, Oct 2024)"),
    ]
    technologies = [
        ("gas_plants", "Gas-fired plants", "lng", "electricity", GAS_GWH_PER_KT, 492.0, 0.0,
         f"capacity 20.5 GW × 24 h: assumption from 67,795 MW installed (Climate Change Administration); efficiency {SRC_GAS_EFF}"),
        ("coal_plants", "Coal-fired plants", "coal", "electricity", COAL_GWH_PER_KT, 360.0, 0.0,
         "capacity 15 GW × 24 h: assumption; coal made ~39% of 2024 generation (lowcarbonpower.org)"),
        ("oil_plants", "Oil-fired plants", "oil", "electricity", OIL_GWH_PER_KT, 48.0, 0.0,
         "capacity 2 GW × 24 h: assumption; oil ~1.5% of 2024 generation (lowcarbonpower.org)"),
        ("renewables", "Renewables and hydro", None, "electricity", None, RENEWABLE_GWH_DAY, 0.0,
         "33.9 TWh in 2024 ÷ 365 (MOEA via Liberty Times, Sep 2025); daily average, weather not modelled"),
        ("intl_cables", "International submarine cables", None, "bandwidth", None, 100_000.0, 0.0,
         "> 100 Tbps over 15 systems (Tech Policy Press, Sep 2024); no own repair ship: repair rate 0"),
        ("satellite", "Satellite backup (MODA)", None, "bandwidth", None, 10.0, 0.0,
         "700 domestic sites + 3 overseas (Taiwan News; Taipei Times, 9 Jul 2023); 10 Gbps international: assumption"),
        ("domestic_food", "Domestic food production", None, "food", None, 6.0, 0.0,
         "30.3% calorie self-sufficiency (Focus Taiwan, Oct 2024) × 20 kt/day"),
        ("domestic_medicine", "Domestic drug production", None, "medicine", None, 0.2, 0.0,
         "assumption: 20% of use made at home; 50 key drugs to be made at home (UDN, Mar 2026)"),
    ]
    demands = [
        ("electricity", POWER_GWH_DAY, 0.7, 0.05,
         "289.1 TWh/yr ÷ 365 (MOEA via Liberty Times, Sep 2025); essential 70%: assumption (households, services, "
         "critical industry; rotating cuts for the rest); relief up to 5%: assumption"),
        ("lng", LNG_DIRECT_KT_DAY, 0.5, 0.0,
         "Est.: imports minus power burn (city gas, industry); essential 50%: assumption"),
        ("coal", COAL_IMPORT_KT_DAY - COAL_POWER_KT_DAY, 0.3, 0.0,
         "Est.: imports minus power burn (steel, cement); essential 30%: assumption"),
        ("oil", OIL_IMPORT_KT_DAY - OIL_POWER_KT_DAY, 0.5, 0.0,
         "Est.: imports minus power burn (transport, petrochemicals); essential 50%: assumption (rationing)"),
        ("bandwidth", 10_000.0, 0.01, 0.0,
         "assumption: 10 Tbps average use; essential 1% (government, military, finance, news) ≈ 100 Gbps; "
         "cf. Matsu 9.5 Gbps peak (Taiwan News, Jan 2025)"),
        ("medicine", 1.0, 0.8, 0.1,
         "assumption: 1 M patient-days a day; essential 80%; relief up to 10% from first-aid training"),
        ("food", 20.0, 0.7, 0.05, "assumption: 20 kt/day grain equivalent; essential 70% under rationing"),
        ("ammunition", 1.0, 1.0, 0.0, "a combat-day per day of fighting (definition); 0 outside an assault"),
    ]
    early, late = 2027, 2030
    scenarios = []
    events = []
    all_imports = ["lng", "coal", "oil", "medicine", "food"]
    for year in (early, late):
        scenarios += [
            (f"blockade_{year}", f"Blockade {year}", year, 0.2, 14,
             "assumption: full blockade; repair ships kept out for 14 days; weight 0.2"),
            (f"quarantine_{year}", f"Quarantine {year}", year, 0.2, 7,
             "assumption: coast-guard quarantine inspects and throttles cargoes; weight 0.2"),
            (f"assault_{year}", f"Assault {year}", year, 0.1, 30,
             "assumption: strikes on plants and cables; no repair for 30 days; weight 0.1"),
        ]
        for carrier in all_imports:
            events.append((f"blockade_{year}", "import availability", carrier, 1, None, 0.0,
                           "assumption: no cargo arrives (published studies: stock ÷ use with no arrivals)"))
            share = 0.3 if carrier in ("lng", "coal", "oil") else 0.5
            events.append((f"quarantine_{year}", "import availability", carrier, 1, None, share,
                           "assumption: 30% of energy cargoes pass, 50% of food and medicine (quarantine throttles arrivals)"))
            events.append((f"assault_{year}", "import availability", carrier, 1, None, 0.0, "assumption: no cargo arrives"))
        for kind in ("blockade", "quarantine"):
            events.append((f"{kind}_{year}", "demand multiplier", "ammunition", 1, None, 0.0,
                           "assumption: no fighting, no ammunition used"))
        events += [
            (f"blockade_{year}", "capacity loss", "intl_cables", 5, None, 0.5,
             "assumption: grey-zone cuts from day 5 (cf. 2023 Matsu and 2025 cuts, Taipei Times)"),
            (f"assault_{year}", "capacity loss", "intl_cables", 1, None, 1.0,
             "assumption: every international cable cut or its landing station struck"),
            (f"assault_{year}", "capacity loss", "gas_plants", 1, None, 0.3,
             "assumption: strikes on LNG terminals and switchyards; cf. 2022 Hsinta fault, 10.5 GW lost (Taiwan News)"),
            (f"assault_{year}", "capacity loss", "coal_plants", 1, None, 0.2,
             "assumption: strikes on coal plant switchyards (3 EHV hubs, Taiwan Online News, Sep 2022)"),
            (f"assault_{year}", "demand multiplier", "medicine", 1, None, 1.5, "assumption: casualties raise medicine use 50%"),
        ]

    lng_fill_cost = money(LNG_TANK_KT * 1000 * LNG_USD_PER_T)
    coal_fill_cost = money(500_000 * COAL_USD_PER_T)
    oil_fill_cost = money(1_000_000 * OIL_USD_PER_T)
    # (ID, name, category, unit cost, max units, lead, profile, requires, excludes, effects, source)
    projects = [
        ("lng_tank_taichung", "LNG tank, Taichung (180,000 m³)", "stockpiles", 6650, 2, 3, "0.3;0.4;0.3", "", "",
         [("storage", "lng", LNG_TANK_KT)],
         "NT$26.6 bn for 4 × 180,000 kL (Gasworld, CTCI contract) ≈ NT$6,650 M a tank; 2 more tanks: assumption; lead 3 years: assumption"),
        ("lng_tank_kaohsiung", "LNG tank, Kaohsiung Intercontinental (180,000 m³)", "stockpiles", 6650, 4, 3,
         "0.3;0.4;0.3", "", "", [("storage", "lng", LNG_TANK_KT)],
         "NT$26.6 bn for 4 × 180,000 kL (Gasworld, CTCI contract); lead 3 years: assumption"),
        ("lng_fill", "LNG strategic fill (one tank's worth, 81 kt)", "stockpiles", lng_fill_cost, 12, 0, "", "", "",
         [("stock", "lng", LNG_TANK_KT)], "Est.: 81 kt at US$12/MMBtu (assumption), NT$32/US$; needs free tank room"),
        ("coal_yard", "Coal yard expansion (+500 kt)", "stockpiles", 1200, 4, 1, "", "", "",
         [("storage", "coal", 500)], "assumption: NT$1,200 M per 500 kt of covered yard; Taipower studying 50 days (Taipei Times, Jan 2023)"),
        ("coal_fill", "Strategic coal fill (500 kt)", "stockpiles", coal_fill_cost, 8, 0, "", "", "",
         [("stock", "coal", 500)], "Est.: 500 kt at US$130/t (assumption), NT$32/US$"),
        ("oil_fill", "Strategic oil fill (1,000 kt)", "stockpiles", oil_fill_cost, 3, 0, "", "", "",
         [("stock", "oil", 1000)], "Est.: 1,000 kt at US$75/bbl (assumption), 7.33 bbl/t, NT$32/US$"),
        ("oil_tanks", "Oil tank farm (+1,500 kt)", "stockpiles", 23000, 1, 3, "0.3;0.4;0.3", "", "",
         [("storage", "oil", 1500)], "NT$23 bn for 3 tanks plus piping, Taichung (CENS, 12 May 2011); capacity: assumption"),
        ("oil_plant_reserve", "Keep retired oil units as wartime reserve (+1 GW)", "grid", 3000, 2, 1, "", "", "",
         [("capacity", "oil_plants", 24)], "assumption: NT$3,000 M to keep 1 GW of retiring oil-fired units ready"),
        ("medicine_reserve", "Medicine reserve (+10 M patient-days)", "stockpiles", 2000, 6, 0, "", "", "",
         [("stock", "medicine", 10)], "assumption, scaled from the NT$24 bn 2026–29 drug resilience plan (UDN, Mar 2026)"),
        ("medicine_warehouse", "Medicine warehouses (+20 M patient-days room)", "stockpiles", 600, 3, 1, "", "", "",
         [("storage", "medicine", 20)], "assumption: cold-chain warehouse cost"),
        ("drug_plant", "Domestic drug production line (+5% of use)", "stockpiles", 6000, 2, 3, "0.4;0.3;0.3", "", "",
         [("capacity", "domestic_medicine", 0.05)], "assumption; 50 key drugs to be made at home (UDN, Mar 2026)"),
        ("rice_reserve", "Rice reserve (+200 kt)", "stockpiles", 6000, 4, 0, "", "", "",
         [("stock", "food", 200)], "assumption: NT$30/kg; legal minimum 3 months (Reuters, Oct 2024)"),
        ("granary", "Granary (+300 kt room)", "stockpiles", 1500, 2, 1, "", "", "",
         [("storage", "food", 300)], "assumption"),
        ("ammo_fms", "Ammunition, urgent foreign military sale (+3 combat-days)", "stockpiles", 6000, 3, 0, "", "", "",
         [("stock", "ammunition", 3)], "assumption: NT$2,000 M per combat-day; ammunition budget NT$8 bn FY2023 (Taipei Times, Sep 2022)"),
        ("ammo_domestic", "Ammunition, domestic production surge (+5 combat-days)", "stockpiles", 7500, 4, 1, "", "", "",
         [("stock", "ammunition", 5)], "assumption: NT$1,500 M per combat-day made at home"),
        ("ammo_depot", "Hardened ammunition depot (+15 combat-days room)", "stockpiles", 3000, 3, 1, "", "", "",
         [("storage", "ammunition", 15)], "assumption; wartime reserves 30 → 120 days under the special budget (press, Sep 2025)"),
        ("substation_gas", "Protected EHV substation at a gas plant (hardens 48 GWh/day)", "grid", 6700, 4, 2, "0.5;0.5", "", "",
         [("hardened", "gas_plants", 48)],
         "Est.: NT$188.4 bn new programmes ÷ 28 substations ≈ NT$6.7 bn (Taipei Times, 16 Sep 2022); 2 GW protected: assumption"),
        ("substation_coal", "Protected EHV substation at a coal plant (hardens 48 GWh/day)", "grid", 6700, 3, 2, "0.5;0.5", "", "",
         [("hardened", "coal_plants", 48)], "Est. as for gas plants (Taipei Times, 16 Sep 2022)"),
        ("grid_repair_gas", "Grid rapid-repair teams for gas plants (+12 GWh/day per day)", "grid", 800, 3, 0, "", "", "",
         [("repair", "gas_plants", 12)], "assumption; 2022 blackout of 10.5 GW restored the same day (Taiwan News, Mar 2022)"),
        ("grid_repair_coal", "Grid rapid-repair teams for coal plants (+12 GWh/day per day)", "grid", 800, 3, 0, "", "", "",
         [("repair", "coal_plants", 12)], "assumption"),
        ("microgrid", "Solar + battery microgrids (+1 GWh/day)", "grid", 5000, 6, 1, "", "", "",
         [("capacity", "renewables", 1.0)], "assumption: ≈ 250 MW solar with batteries; storage subsidy NT$5 M/MWh (industry press)"),
        ("gas_peakers", "Dual-fuel conversion of gas units to oil (+24 GWh/day)", "grid", 4500, 2, 2, "0.5;0.5", "", "",
         [("capacity", "oil_plants", 24)], "assumption: NT$4,500 M per GW converted to burn oil"),
        ("satellite_batch", "Satellite terminals and gateways (+20 Gbps)", "cables", 600, 10, 0, "", "", "",
         [("capacity", "satellite", 20)], "MODA: NT$569.6 M over 2 years for 700 sites + 70 backhaul + 3 overseas (Taipei Times, 9 Jul 2023); 20 Gbps: assumption"),
        ("leo_constellation", "Own LEO constellation share (+200 Gbps)", "cables", 20000, 1, 4, "0.25;0.25;0.25;0.25", "", "",
         [("capacity", "satellite", 200)], "NT$40 bn space budget to 2031 (Taipei Times 2024–25); half, 200 Gbps: assumption"),
        ("repair_ship", "Cable repair ship, newbuild", "cables", 8000, 1, 3, "0.3;0.4;0.3", "", "repair_ship_charter",
         [("repair", "intl_cables", 5000)], "€200–250 M a cable-layer (Marine Log) ≈ NT$8,000 M; repairs ≈ 5 Tbps a day: assumption"),
        ("repair_ship_charter", "Cable repair ship, 5-year standby charter", "cables", 2300, 1, 0, "0.2;0.2;0.2;0.2;0.2", "",
         "repair_ship", [("repair", "intl_cables", 3000)],
         "US$40,000/day (Taipei Times editorial, 22 Feb 2023) × 5 years + crew: Est. NT$2,300 M; ≈ 3 Tbps a day: assumption"),
        ("landing_hardening", "Hardened cable landing station (protects 500 Gbps)", "cables", 2500, 4, 2, "0.5;0.5", "", "",
         [("hardened", "intl_cables", 500)], "assumption; 4 landing sites, the south relies on Fangshan (W.Media)"),
        ("cable_new_route", "New cable route to a diverse landing (+8 Tbps)", "cables", 9000, 2, 3, "0.3;0.4;0.3", "", "",
         [("capacity", "intl_cables", 8000)], "assumption: ≈ US$280 M a system"),
        ("civil_cohort", "Civil-defence training cohort (10,000 civilians)", "training", 200, 40, 0, "", "", "",
         [("relief", "electricity", 0.002), ("relief", "medicine", 0.005), ("relief", "food", 0.002)],
         "CERT basic course 20 hours (FEMA); NT$20,000 a trainee: assumption; target 400,000 (Taiwan News)"),
        ("repair_cohort", "Utility repair volunteers (2,000 trained)", "training", 300, 10, 0, "", "", "",
         [("repair", "gas_plants", 3), ("repair", "coal_plants", 3)], "assumption: volunteers assisting utility crews"),
        ("supply_stations", "Emergency supply stations (500 stations)", "training", 500, 11, 0, "", "", "",
         [("relief", "food", 0.004), ("relief", "medicine", 0.004)],
         "5,668 stations planned (Liberty Times, Sep 2025); NT$1 M a station: assumption"),
        ("energy_saving_drill", "Power-saving drills and demand response", "training", 400, 5, 0, "", "", "",
         [("relief", "electricity", 0.006)], "assumption: drilled load shedding saves 0.6% of essential load per programme"),
    ]
    policy = [
        ("total", "total budget", None, None, 200_000, "money",
         "assumption: the civil-defence slice (stockpiles, grid, cables, training) of the NT$544.7 bn special budget "
         "(Taipei Times, 18 Oct 2025), over 5 years"),
        ("training_floor", "category floor", "training", None, 0.03, "share",
         "assumption: at least 3% of spending on civilian training"),
        ("cables_cap", "category cap", "cables", None, 40_000, "money", "assumption: absorption capacity of the telecom sector"),
    ]

    settings = [
        {"Setting": "Title", "Value": "Taiwan civil-defence resilience, baseline 2027–2031",
         "Source": "figures: shared/data/taiwan-figures.md"},
        {"Setting": "Currency", "Value": "NT$ million", "Source": "all money columns"},
    ]
    years = [
        {"Year": y, "Budget": 40_000, "Source": "assumption: NT$200 bn spread evenly over 5 years"}
        for y in range(2027, 2032)
    ]
    return {
        "Settings": settings,
        "Years": years,
        "Carriers": [dict(zip(("Carrier ID", "Name", "Unit", "Storable", "Source"), r)) for r in carriers],
        "Storage": [
            dict(zip(("Carrier ID", "Initial stock", "Capacity", "Floor", "Source"), (c, round(i, 1), round(r, 1), round(f, 1), s)))
            for c, i, r, f, s in storage
        ],
        "Imports": [dict(zip(("Carrier ID", "Normal daily import", "Source"), (c, round(v, 2), s))) for c, v, s in imports],
        "Technologies": [
            dict(zip(("Technology ID", "Name", "Input carrier", "Output carrier", "Efficiency", "Capacity", "Repair rate", "Source"),
                     (t, n, i, o, e, round(c, 1), r, s)))
            for t, n, i, o, e, c, r, s in technologies
        ],
        "Demands": [
            dict(zip(("Carrier ID", "Normal daily use", "Essential share", "Max relief", "Source"), (c, round(d, 2), e, m, s)))
            for c, d, e, m, s in demands
        ],
        "Scenarios": [
            {"Scenario ID": sid, "Name": name, "Onset year": year, "Horizon": ASSUMED_HORIZON, "Weight": weight,
             "Repair delay": delay, "Target endurance": 60, "Source": source + f"; horizon {ASSUMED_HORIZON} days and target 60 days: assumption"}
            for sid, name, year, weight, delay, source in scenarios
        ],
        "ScenarioEvents": [
            dict(zip(("Scenario ID", "Event", "Target ID", "From day", "To day", "Value", "Source"), e)) for e in events
        ],
        "Projects": [
            {"Project ID": p[0], "Name": p[1], "Category": p[2], "Unit cost": p[3], "Max units": p[4], "Lead time": p[5],
             "Spend profile": p[6] or None, "Requires": p[7] or None, "Excludes": p[8] or None, "Source": p[10]}
            for p in projects
        ],
        "Effects": [
            {"Project ID": p[0], "Effect": kind, "Target ID": target, "Amount per unit": round(amount, 4),
             "Source": "as the project row"}
            for p in projects
            for kind, target, amount in p[9]
        ],
        "Policy": [
            dict(zip(("Rule ID", "Rule", "Category", "Year", "Amount", "Amount unit", "Source"), r)) for r in policy
        ],
    }


def days_of_supply(tables: dict[str, list[dict]]) -> dict[str, float]:
    """Usable stock ÷ normal daily import, for every imported storable carrier."""
    imports = {r["Carrier ID"]: r["Normal daily import"] for r in tables["Imports"]}
    return {
        r["Carrier ID"]: (r["Initial stock"] - r["Floor"]) / imports[r["Carrier ID"]]
        for r in tables["Storage"]
        if imports.get(r["Carrier ID"])
    }


def main() -> None:
    tables = rows()
    target = HERE / "taiwan_baseline.xlsx"
    write_input_workbook(target, tables, money_unit="NT$ million")
    print(f"wrote {target}")
    for carrier, days in days_of_supply(tables).items():
        print(f"  {carrier}: {days:.1f} days of usable stock at normal use")


if __name__ == "__main__":
    main()
