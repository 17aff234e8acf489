"""Build inputs/taiwan_baseline.xlsx, the bundled Taiwan dataset, from sourced public figures.

Run from the repository folder:

    python inputs/build_taiwan_baseline.py

It writes ``taiwan_baseline.xlsx`` next to this file and prints the days of
supply of every storable carrier at normal use.

Every row of the workbook carries a Source: the public figure it rests on
(outlet and date as listed in shared/data/taiwan-figures.md), "Est." for
arithmetic on such figures (the arithmetic is in this file, next to the
constant), or "assumption: ..." with the reason. Money is NT$ million.

Calibration (by construction, checked at the end): with no new money, usable
stock ÷ normal daily import is 11 days for LNG, 40 days for coal and 110 days
for oil, as reported publicly; normal daily import of each fuel equals its
normal daily use (power-plant burn at normal dispatch + direct use).

The output is deterministic: the same inputs give the same cell values.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(HERE.parent))

from trp_opt.io.template import write_input_workbook  # noqa: E402

OUTPUT = HERE / "taiwan_baseline.xlsx"
MONEY_UNIT = "NT$ million"

# =====================================================================================
# Exchange rates and prices (assumptions, stated once)
# =====================================================================================
NT_PER_USD = 32.0  # assumption: 2025–26 range
NT_PER_EUR = 35.0  # assumption: 2025–26 range
LNG_MMBTU_PER_T = 52.0  # physical constant, approx.
LNG_USD_PER_MMBTU = 12.0  # assumption: Asian spot/contract blend
COAL_USD_PER_T = 130.0  # assumption: delivered thermal coal
OIL_USD_PER_BBL = 75.0  # assumption: Brent-linked crude
BBL_PER_T = 7.33  # physical constant, crude oil


def ntm(usd: float) -> float:
    """US$ → NT$ million, rounded to NT$ 10 million."""
    return round(usd * NT_PER_USD / 1e6, -1)


# =====================================================================================
# Electricity
# =====================================================================================
POWER_TWH = 289.1  # generated in 2024 (MOEA via Liberty Times, Sep 2025)
POWER_GWH_DAY = POWER_TWH * 1000 / 365  # Est. 792.1 GWh/day
RENEW_GWH_DAY = 33.9 * 1000 / 365  # renewables incl. hydro, 2024, same source: 92.9 GWh/day
COAL_SHARE = 0.39  # coal ~39% of 2024 generation (lowcarbonpower.org)
OIL_SHARE = 0.015  # oil ~1.5%
COAL_GEN = COAL_SHARE * POWER_GWH_DAY  # 308.9 GWh/day
OIL_GEN = OIL_SHARE * POWER_GWH_DAY  # 11.9 GWh/day
# Nuclear is 0 since 17 May 2025, so gas supplies the rest at normal dispatch (2024: ~42% + nuclear ~4%).
GAS_GEN = POWER_GWH_DAY - COAL_GEN - OIL_GEN - RENEW_GWH_DAY  # Est. 378.4 GWh/day (47.8%)

# Plant efficiencies, output GWh per kt of fuel.
LNG_MWH_PER_T = 13.6  # LHV of LNG (≈ 49 MJ/kg)
GAS_EFF = round(LNG_MWH_PER_T * 0.55, 2)  # 55% CCGT fleet → 7.48 GWh/kt
# Cross-check (Est.): 83.4% of 24.7 bcm burnt for power in 2023 (S&P Global) = 20.6 bcm ÷ 1,360 m³/t
# = 41.5 kt/day, making 39.6% of ≈ 792 GWh/day = 314 GWh/day → 7.56 GWh/kt. Agrees within 1%.
COAL_EFF = round(25.0 / 3.6 * 0.38, 2)  # 25 MJ/kg bituminous at 38% → 2.64 GWh/kt
OIL_EFF = round(42.0 / 3.6 * 0.36, 2)  # 42 MJ/kg fuel oil/diesel in steam units and GTs at 36% → 4.2
DUAL_EFF = round(42.0 / 3.6 * 0.50, 2)  # diesel in a combined cycle at 50% → 5.83

# Fleet capacities, GWh/day (2027 fleet, assumptions noted on the rows).
INSTALLED_MW = 67_795  # installed capacity 2024 (Climate Change Administration energy overview)
AVAILABILITY = 0.85  # assumption: share of installed thermal units not out for maintenance or repair
GAS_INSTALLED_GW = 0.313 * INSTALLED_MW / 1000  # gas ≈ 31.3% of installed → 21.2 GW (CCA)
COAL_INSTALLED_GW = 0.293 * INSTALLED_MW / 1000  # coal ≈ 29.3% of installed → 19.9 GW (CCA)
GAS_CAP = GAS_INSTALLED_GW * AVAILABILITY * 24  # 432.9 GWh/day (normal dispatch uses 87%)
COAL_CAP = COAL_INSTALLED_GW * AVAILABILITY * 24  # 405.2 GWh/day (normal dispatch uses 76%)
OIL_CAP = 1.5 * 24  # 1.5 GW oil/diesel units → 36 GWh/day
GRID_CAP = round(41.18 * 24, 1)  # EHV grid can carry the 2024 peak all day: 988.3 GWh/day

ESSENTIAL_ELECTRICITY = 0.70

# =====================================================================================
# Fuels: normal use = plant burn at normal dispatch + direct use = normal import
# =====================================================================================
LNG_POWER = GAS_GEN / GAS_EFF  # Est. 50.6 kt/day
LNG_DIRECT = LNG_POWER * (1 - 0.834) / 0.834  # 16.6% of gas is not burnt for power (S&P Global) → 10.1 kt/day
LNG_USE = LNG_POWER + LNG_DIRECT  # 60.7 kt/day = 22.1 Mt/yr (2024 imports ≈ 21.5 Mt/yr with 4% nuclear)
LNG_USABLE_DAYS = 11.0  # 11.5 days held (UDN, Apr 2026), of which 0.5 day is tank heel
LNG_HEEL_DAYS = 0.5  # assumption
LNG_ROOM_DAYS = 20.0  # legal tank capacity now (Liberty Times, 7 Mar 2026)
LNG_LEGAL_STOCK_2027 = 14.0  # legal safety stock from 2027 (Natural Gas Enterprise Act; Liberty Times, 9 Oct 2025)
LNG_LEGAL_ROOM_2027 = 24.0  # legal tank capacity from 2027 (same; MOEA notice on tank capacity)
LNG_SUMMER_DAYS = 7.0  # a summer onset: about 7 days held (Wu Da-jen, as cited in the Dec 2026 review; not re-verified)
LNG_TANK_KT = 180_000 * 0.45 / 1000  # 180,000 m³ at 0.45 t/m³ → 81 kt
LNG_TANK_COST = 26_600 / 4  # NT$26.6 bn for 4 × 180,000 kL (Gasworld, CTCI) → 6,650
LNG_FILL_COST = ntm(LNG_TANK_KT * 1000 * LNG_MMBTU_PER_T * LNG_USD_PER_MMBTU)  # 81 kt → NT$1,620 M

COAL_POWER = COAL_GEN / COAL_EFF  # Est. 117.0 kt/day
COAL_DIRECT = 41.0  # assumption: steel, cement and industrial boilers ≈ 15 Mt/yr
COAL_USE = COAL_POWER + COAL_DIRECT  # 158.0 kt/day ≈ 57.7 Mt/yr
TAIPOWER_COAL_KT = 3090.0  # Taipower's coal stock "約309萬噸", about 42 days of its own use (MOEA, Jan 2023)
TAIPOWER_COAL_DAYS = 42.0
TAIPOWER_COAL_USE = TAIPOWER_COAL_KT / TAIPOWER_COAL_DAYS  # Est. 73.6 kt/day
OTHER_COAL_DAYS = 30.0  # assumption: IPPs, cogeneration, steel and cement hold 30 days (no public figure)
COAL_FLOOR_DAYS = 2.0  # assumption: yard bottoms and handling stock
COAL_ROOM_DAYS = 45.0  # assumption: yards hold ≈ 45 usable days (50 under study)
COAL_FILL_KT = 500.0
COAL_FILL_COST = ntm(COAL_FILL_KT * 1000 * COAL_USD_PER_T)  # NT$2,080 M

OIL_USE = 130.0  # assumption: ≈ 0.95 Mb/d of crude and products incl. petrochemical feed (7.33 bbl/t)
OIL_POWER = OIL_GEN / OIL_EFF  # Est. 2.8 kt/day
OIL_DIRECT = OIL_USE - OIL_POWER  # 127.2 kt/day
# The legal days (Petroleum Administration Act Art. 24) count domestic sales without industrial feedstock and
# international bunkers. Non-energy use is 23.8% of final energy, mostly oil, against oil's 43.7% of supply (CCA):
# about half of oil use is feedstock.
OIL_FEEDSTOCK_SHARE = 0.5  # Est. (rounded from 23.8 / 43.7 = 0.54)
OIL_LEGAL_BASE = OIL_USE * (1 - OIL_FEEDSTOCK_SHARE)  # 65 kt/day: the denominator of the legal days
OIL_USABLE_DAYS = 110.0  # > 100 days (UDN, Mar 2026); 146 Aug 2022 (Taipei Times); 128 Jan 2020 (Taiwan News)
OIL_FLOOR_DAYS = 5.0  # assumption: tank heels across refinery and depot tanks
OIL_ROOM_DAYS = 130.0  # assumption
OIL_FILL_KT = 1000.0
OIL_FILL_COST = ntm(OIL_FILL_KT * 1000 * BBL_PER_T * OIL_USD_PER_BBL)  # NT$17,590 M

# =====================================================================================
# Food, medicine, ammunition, bandwidth
# =====================================================================================
POPULATION_M = 23.4  # assumption: population 2024, millions
KCAL_PER_PERSON = 2700.0  # assumption: food eaten per person per day
KCAL_PER_KG = 3500.0  # grain equivalent (rice ≈ 3,600)
FOOD_USE = POPULATION_M * 1e6 * KCAL_PER_PERSON / KCAL_PER_KG / 1e6  # Est. 18.05 kt/day
FOOD_SELF = 0.303  # calorie self-sufficiency 2023 (Focus Taiwan, Oct 2024)
FOOD_DOMESTIC = FOOD_USE * FOOD_SELF  # 5.47 kt/day
FOOD_IMPORT = FOOD_USE - FOOD_DOMESTIC  # 12.58 kt/day
RICE_KG_PER_PERSON_YEAR = 43.0  # assumption
RICE_USE = POPULATION_M * RICE_KG_PER_PERSON_YEAR / 365  # 2.76 kt/day
RICE_MONTHS = 7.0  # rice stock 7 months in Sep 2024 against a 3-month legal minimum (MOA via Taiwan News, 22 Oct 2024)
RICE_STOCK = RICE_USE * RICE_MONTHS * 30.4  # → 587 kt
OTHER_FOOD_STOCK = 30.0 * FOOD_IMPORT  # assumption: ≈ 30 days of imports in commercial grain, frozen, retail
FOOD_FLOOR = 40.0  # assumption: dispersed in shops and homes, spoilage
ESSENTIAL_FOOD = round(2100 / KCAL_PER_PERSON, 2)  # WFP emergency planning ration 2,100 kcal → 0.78

MED_USE = 10.0  # M treatment-days a day: assumption, ≈ 10 M people on medication on a given day
MED_DOMESTIC = 3.0  # assumption: 30% made at home with stocked ingredients
MED_IMPORT = MED_USE - MED_DOMESTIC
MED_USABLE_DAYS_OF_USE = 60.0  # assumption: hospitals, pharmacies, wholesalers, makers
MED_FLOOR = 50.0  # assumption: scattered or expired stock
MED_NT_PER_TREATMENT_DAY = 250_000 / 365 / MED_USE  # NT$ million per M treatment-days: NT$250 bn/yr drugs → 68.5

# No public figure gives ammunition in days of combat. The "30 → 120 days" of Sep 2025 is the war-readiness stock
# of fuel, spare parts and drinking water (UDN 11 Sep 2025; Taipei Times 17 Sep 2025), not ammunition.
AMMO_STOCK = 60.0  # assumption: the middle of a deliberately wide 20–120 range (taiwan_stress.xlsx)
AMMO_ROOM = 70.0  # assumption: depot room
AMMO_NT_PER_DAY = 3000.0  # assumption: NT$3,000 M of munitions per day of high-intensity combat
AMMO_IMPORT = round(8000 / AMMO_NT_PER_DAY / 365, 4)  # NT$8 bn a year of deliveries (Taipei Times, Sep 2022)

BANDWIDTH_USE = 20_000.0  # Gbps average: assumption (Matsu: 9.5 Gbps peak for ≈ 14,000 people)
ESSENTIAL_BANDWIDTH = 0.005  # → 100 Gbps

DEMAND_GROWTH = 0.017  # electricity use grows 1.7% a year, 2024–2034 (MOEA forecast; Taipei Times, 1 Oct 2025)
BASE_YEAR = 2024  # the year of the use figures

SOLAR_CF = 14_926 / (14.22 * 8760)  # Est.: 14.93 TWh from 14.22 GW in 2024 (pv-magazine, 13 Jan 2025) → 12.0%
WIND_CF = 0.30  # assumption: offshore wind capacity factor
SOLAR_ADD_GW = 20.0 - 14.22  # the 20 GW solar target for end-2026 less 14.22 GW installed (pv-magazine, 13 Jan 2025)
WIND_ADD_GW = 8.2 - SOLAR_ADD_GW  # the rest of the 8.2 GW of solar and offshore wind planned by end-2026
ROUND3_WIND_GW = 5.0  # offshore wind round 3: 5 GW over 2026–2030 (Taipei Times, 26 Apr 2019)

EARLY, LATE = 2027, 2030
HORIZON = 120
YEARS = {2027: 30_000, 2028: 40_000, 2029: 45_000, 2030: 45_000, 2031: 40_000}
TOTAL_BUDGET = 200_000


def r(x: float, digits: int = 2) -> float:
    return round(x, digits)


def carriers() -> list[dict]:
    rows = [
        (
            "lng",
            "LNG",
            "kt",
            "yes",
            "Bureau of Energy handbook via Global Taiwan Institute, Sep 2023: ~97% of energy supply imported",
        ),
        ("coal", "Coal", "kt", "yes", "Taipei Times, 23 Jan 2023 (coal stock days)"),
        ("oil", "Oil (crude and products)", "kt", "yes", "Petroleum Administration Act, Art. 24 (oil stock days)"),
        (
            "power",
            "Electricity at the power-station busbar",
            "GWh",
            "no",
            "modelling carrier: generation before the EHV grid, so that grid damage can be modelled (definition)",
        ),
        (
            "electricity",
            "Electricity delivered",
            "GWh",
            "no",
            "MOEA supply–demand report via Liberty Times, Sep 2025 (289.1 TWh generated in 2024)",
        ),
        (
            "bandwidth",
            "International bandwidth",
            "Gbps",
            "no",
            "15 cable systems, > 100 Tbps (Tech Policy Press, Sep 2024); a daily quantity is the average rate over the day",
        ),
        (
            "medicine",
            "Medicine",
            "M treatment-days",
            "yes",
            "definition: 1 M treatment-days = one day of medication for 1 million patients; civilian stock figure: none found",
        ),
        (
            "food",
            "Food (grain equivalent)",
            "kt",
            "yes",
            f"definition: kt of grain equivalent at {KCAL_PER_KG:,.0f} kcal/kg; 30.3% calorie self-sufficiency (Focus Taiwan, Oct 2024)",
        ),
        (
            "ammunition",
            "Ammunition",
            "combat-days",
            "yes",
            "definition: a combat-day is one day of high-intensity defensive combat; no public figure in days "
            "(Taipei Times, Sep 2022: ammunition budget NT$8 bn FY2023)",
        ),
    ]
    return [dict(zip(("Carrier ID", "Name", "Unit", "Storable", "Source"), row)) for row in rows]


def storage() -> list[dict]:
    lng_heel = LNG_HEEL_DAYS * LNG_USE
    coal_floor = COAL_FLOOR_DAYS * COAL_USE
    other_coal = OTHER_COAL_DAYS * (COAL_USE - TAIPOWER_COAL_USE)
    oil_floor = OIL_FLOOR_DAYS * OIL_LEGAL_BASE
    rows = [
        (
            "lng",
            lng_heel + LNG_USABLE_DAYS * LNG_USE,
            LNG_ROOM_DAYS * LNG_USE,
            lng_heel,
            f"stock 11.5 days held (UDN, Apr 2026; 11.9 days Mar 2026) × {LNG_USE:.1f} kt/day, of which the heel 0.5 day "
            "(assumption: tanks pumped to minimum level) → 11 usable days; capacity 20 days, the legal tank capacity now "
            "(Liberty Times, 7 Mar 2026); the legal 14 days of stock and 24 of room from 2027 are the committed project "
            "lng_legal_2027",
        ),
        (
            "coal",
            TAIPOWER_COAL_KT + other_coal,
            coal_floor + COAL_ROOM_DAYS * COAL_USE,
            coal_floor,
            f"Est.: Taipower's stock 3,090 kt, about 42 days of its own use ({TAIPOWER_COAL_USE:.1f} kt/day; MOEA, Jan 2023; "
            f"Taipei Times, 23 Jan 2023) + the other {COAL_USE - TAIPOWER_COAL_USE:.1f} kt/day of national use (IPPs, "
            f"cogeneration, steel, cement) × {OTHER_COAL_DAYS:.0f} days (assumption: no public figure for their stocks); "
            "the 40–42 days apply to Taipower alone, not to national use; floor 2 days and room 45 days of national use: "
            "assumption",
        ),
        (
            "oil",
            oil_floor + OIL_USABLE_DAYS * OIL_LEGAL_BASE,
            oil_floor + OIL_ROOM_DAYS * OIL_LEGAL_BASE,
            oil_floor,
            f"Est.: 110 legal days (> 100 days, UDN, Mar 2026; 146 Aug 2022, Taipei Times; 128 Jan 2020, Taiwan News) × "
            f"{OIL_LEGAL_BASE:.0f} kt/day, the legal denominator: domestic sales without feedstock and bunkers "
            "(Petroleum Administration Act Art. 24 and its calculation standard), taken as half of the "
            f"{OIL_USE:.0f} kt/day of oil use (non-energy use 23.8% of final energy, mostly oil, against oil's 43.7% "
            "of supply, CCA); heels 5 days and room 130 days: assumption",
        ),
        (
            "medicine",
            MED_FLOOR + MED_USABLE_DAYS_OF_USE * MED_USE,
            MED_FLOOR + (MED_USABLE_DAYS_OF_USE + 5) * MED_USE,
            MED_FLOOR,
            "assumption: 60 days of normal use in hospitals, pharmacies, wholesalers and makers (no public civilian figure; "
            "shortages of 6 drugs in Jan 2026, Yahoo/CNA, and calls for a war-reserve drug system, UDN 5 Mar 2026, "
            "suggest less: 30 days is the stress low); room 5 days more; floor = scattered or expired stock",
        ),
        (
            "food",
            FOOD_FLOOR + RICE_STOCK + OTHER_FOOD_STOCK,
            FOOD_FLOOR + RICE_STOCK + OTHER_FOOD_STOCK + 150.0,
            FOOD_FLOOR,
            f"Est.: rice stock 7 months in Sep 2024 (MOA via Taiwan News, 22 Oct 2024; legal minimum 3 months) × "
            f"{RICE_USE:.2f} kt/day rice use (assumption 43 kg/person/yr) = {RICE_STOCK:.0f} kt, plus other food ≈ 30 days "
            "of food imports (assumption); room +150 kt and floor: assumption",
        ),
        (
            "ammunition",
            AMMO_STOCK,
            AMMO_ROOM,
            0.0,
            "assumption: no public figure gives ammunition in days of combat (not found; likely classified); 60 is the "
            "middle of a deliberately wide 20–120 range, so that the stress test shows how much rests on it. The '30 → "
            "120 days' of Sep 2025 is the stock of fuel, spare parts and drinking water (UDN, 11 Sep 2025; Taipei Times, "
            "17 Sep 2025), not ammunition; depot room 70: assumption",
        ),
    ]
    return [
        dict(zip(("Carrier ID", "Initial stock", "Capacity", "Floor", "Source"), (c, r(i, 1), r(cap, 1), r(f, 1), s)))
        for c, i, cap, f, s in rows
    ]


def imports() -> list[dict]:
    rows = [
        (
            "lng",
            LNG_USE,
            f"Est. = normal use: plant burn {LNG_POWER:.1f} + direct {LNG_DIRECT:.1f} kt/day = {LNG_USE * 365 / 1000:.1f} Mt/yr; "
            "cf. ≈ 21.5 Mt/yr in 2024 with 4% nuclear still running (customs data via The Crude Truth, Dec 2024)",
        ),
        (
            "coal",
            COAL_USE,
            f"Est. = normal use: plant burn {COAL_POWER:.1f} + direct {COAL_DIRECT:.0f} kt/day (assumption) "
            f"= {COAL_USE * 365 / 1000:.1f} Mt/yr",
        ),
        (
            "oil",
            OIL_USE,
            "assumption: ≈ 0.95 Mb/d of crude and products incl. petrochemical feed, at 7.33 bbl/t; = normal use (about "
            "half of it feedstock, see Storage)",
        ),
        ("medicine", MED_IMPORT, "assumption: 70% of medicine use imported as finished drugs (the rest made at home)"),
        ("food", FOOD_IMPORT, "Est.: 69.7% of food calories imported (30.3% self-sufficiency, Focus Taiwan, Oct 2024)"),
        (
            "ammunition",
            AMMO_IMPORT,
            f"Est.: NT$8 bn a year of ammunition (FY2023, Chieh Chung in Taipei Times, 11 Sep 2022) at "
            f"NT${AMMO_NT_PER_DAY:,.0f} M per combat-day (assumption: no public price of a combat-day); no scenario with "
            "fighting lets it arrive",
        ),
    ]
    return [dict(zip(("Carrier ID", "Normal daily import", "Source"), (c, r(v, 4), s))) for c, v, s in rows]


def technologies() -> list[dict]:
    rows = [
        (
            "gas_plants",
            "Gas-fired plants",
            "lng",
            "power",
            GAS_EFF,
            GAS_CAP,
            5.0,
            f"efficiency Est.: LHV 13.6 MWh/t × 55% CCGT fleet = {GAS_EFF} GWh/kt (cross-check 7.56 from 83.4% of 24.7 bcm burnt "
            f"for power and 39.6% of generation, S&P Global, 30 May 2024); capacity Est.: 31.3% of 67,795 MW installed "
            f"(Climate Change Administration, 2024) = {GAS_INSTALLED_GW:.1f} GW × {AVAILABILITY:.0%} available (assumption); "
            "repair 5 GWh/day per day: assumption (Taipower crews)",
        ),
        (
            "coal_plants",
            "Coal-fired plants",
            "coal",
            "power",
            COAL_EFF,
            COAL_CAP,
            5.0,
            f"efficiency assumption: 25 MJ/kg coal at 38% = {COAL_EFF} GWh/kt; capacity Est.: 29.3% of 67,795 MW installed "
            f"(Climate Change Administration, 2024) = {COAL_INSTALLED_GW:.1f} GW × {AVAILABILITY:.0%} available (assumption); "
            f"normal output {COAL_GEN:.0f} GWh/day = 39% of 2024 generation (lowcarbonpower.org); repair: assumption",
        ),
        (
            "oil_plants",
            "Oil- and diesel-fired units",
            "oil",
            "power",
            OIL_EFF,
            OIL_CAP,
            0.0,
            f"efficiency assumption: 42 MJ/kg at 36% = {OIL_EFF} GWh/kt; capacity 1.5 GW: assumption (normal output "
            f"{OIL_GEN:.0f} GWh/day = 1.5% of 2024 generation, lowcarbonpower.org)",
        ),
        (
            "dual_fuel",
            "Gas units converted to burn diesel",
            "oil",
            "power",
            DUAL_EFF,
            0.0,
            0.0,
            f"assumption: none today; diesel in a combined cycle at 50% = {DUAL_EFF} GWh/kt; projects add capacity",
        ),
        (
            "renewables",
            "Renewables and hydro",
            None,
            "power",
            None,
            r(RENEW_GWH_DAY, 1),
            0.0,
            "33.9 TWh in 2024 ÷ 365 (MOEA via Liberty Times, Sep 2025); a daily average, weather not modelled; the solar and "
            "offshore wind planned for 2026 and 2030 are the committed projects renewables_2026 and offshore_wind_round3",
        ),
        (
            "nuclear",
            "Nuclear (Maanshan, if restarted)",
            None,
            "power",
            None,
            0.0,
            0.0,
            "0 since Maanshan 2 shut on 17 May 2025 (World Nuclear News); a restart is the project maanshan_restart",
        ),
        (
            "grid",
            "EHV transmission grid and substations",
            "power",
            "electricity",
            1.0,
            GRID_CAP,
            5.0,
            "capacity: the 2024 peak 41.18 GW (UDN / Taipei Times) carried all day; losses counted in demand; 3 EHV hubs "
            "Longtan, Zhongliao, Longqi (Taiwan Online News, Sep 2022); repair 5 GWh/day per day: assumption",
        ),
        (
            "microgrids",
            "Islandable microgrids at critical sites",
            None,
            "electricity",
            None,
            0.0,
            0.0,
            "assumption: none islandable today; projects add solar + battery microgrids that bypass the EHV grid",
        ),
        (
            "intl_cables",
            "International submarine cables",
            None,
            "bandwidth",
            None,
            100_000.0,
            0.0,
            "> 100 Tbps over 15 systems (Tech Policy Press, Sep 2024); repair 0: no repair ship based in Taiwan and foreign "
            "ships assumed kept out of a crisis zone (TPE cut 3 Jan, repaired 20 Jan 2025, Taipei Times)",
        ),
        (
            "satellite",
            "Satellite backup (international)",
            None,
            "bandwidth",
            None,
            20.0,
            0.0,
            "MODA: 700 sites + 70 backhaul + 3 overseas, NT$569.6 M (Taiwan News; Taipei Times, 9 Jul 2023); about 90 Mbps "
            "a terminal (Taiwan News, Jul 2024); 20 Gbps international through the overseas gateways: assumption (no public "
            "aggregate figure; stress range 10–60)",
        ),
        (
            "microwave",
            "Microwave link to Yonaguni (Japan)",
            None,
            "bandwidth",
            None,
            0.0,
            0.0,
            "assumption: no international microwave path today (Matsu–Taiwan microwave carries 12.6 Gbps, Taiwan News, Jan 2025)",
        ),
        (
            "domestic_food",
            "Domestic food production",
            None,
            "food",
            None,
            r(FOOD_DOMESTIC, 2),
            0.0,
            f"Est.: 30.3% calorie self-sufficiency (Focus Taiwan, Oct 2024) × {FOOD_USE:.2f} kt/day; fertiliser and fuel "
            "assumed available",
        ),
        (
            "domestic_medicine",
            "Domestic drug production",
            None,
            "medicine",
            None,
            MED_DOMESTIC,
            0.0,
            "assumption: 30% of use made at home from stocked ingredients; 50 key drugs to be made at home (UDN, Mar 2026)",
        ),
        (
            "ammo_production",
            "Domestic ammunition production",
            None,
            "ammunition",
            None,
            0.03,
            0.0,
            "assumption: arsenals make ≈ 1 combat-day a month at wartime pace",
        ),
    ]
    return [
        dict(
            zip(
                (
                    "Technology ID",
                    "Name",
                    "Input carrier",
                    "Output carrier",
                    "Efficiency",
                    "Capacity",
                    "Repair rate",
                    "Source",
                ),
                (t, n, i, o, e if i else None, r(c, 4), rep, s),
            )
        )
        for t, n, i, o, e, c, rep, s in rows
    ]


def demands() -> list[dict]:
    rows = [
        (
            "electricity",
            POWER_GWH_DAY,
            ESSENTIAL_ELECTRICITY,
            0.05,
            "assumption: essential 70% from the 2023 sector split (industry 56% kept at 65%: chips, water, food, defence; "
            "services 20% at 60%; households 19% at 85%; other 5% in full), no public rationing share found (CSIS: at 20% "
            "of normal all manufacturing stops), stress range 50–80%; relief up to 5%: assumption. Use: 289.1 TWh/yr ÷ 365 "
            "in 2024 (MOEA via Liberty Times, Sep 2025), growing 1.7% a year (a demand multiplier in each scenario)",
        ),
        (
            "lng",
            LNG_DIRECT,
            0.65,
            0.0,
            "Est.: 16.6% of gas not burnt for power (S&P Global, 30 May 2024); essential 65%: assumption (households and "
            "hospitals in full, industry half)",
        ),
        (
            "coal",
            COAL_DIRECT,
            0.30,
            0.0,
            "assumption: steel, cement, industrial boilers; 30% kept for repair and defence work",
        ),
        (
            "oil",
            OIL_DIRECT,
            0.25,
            0.0,
            "Est.: normal use less plant burn; essential 25% of it = half of the fuel use (assumption: freight, emergency "
            "services, military, farming, fishing kept; private driving cut) and no petrochemical feedstock (about half of "
            "oil use, see Storage)",
        ),
        (
            "bandwidth",
            BANDWIDTH_USE,
            ESSENTIAL_BANDWIDTH,
            0.0,
            "assumption: 20 Tbps average international use (Chunghwa: 51 Tbps of international capacity in 2020, the "
            "latest found); essential 0.5% = 100 Gbps for government, military, finance, news (cf. Matsu 9.5 Gbps peak for "
            "≈ 14,000 people, Taiwan News, Jan 2025); no public figure: stress range 20–200 Gbps",
        ),
        (
            "medicine",
            MED_USE,
            0.90,
            0.10,
            "assumption: ≈ 10 M people on medication a day; essential 90% (chronic and acute care kept, elective deferred); "
            "relief up to 10% (first aid, home care)",
        ),
        (
            "food",
            FOOD_USE,
            ESSENTIAL_FOOD,
            0.10,
            f"Est.: {POPULATION_M} M people × {KCAL_PER_PERSON:,.0f} kcal ÷ {KCAL_PER_KG:,.0f} kcal/kg (assumptions); essential = "
            "WFP planning ration 2,100 kcal/person/day (assumption); relief up to 10% (less waste, community kitchens)",
        ),
        (
            "ammunition",
            1.0,
            1.0,
            0.0,
            "definition: one combat-day per day of fighting; scenarios without fighting set the multiplier to 0",
        ),
    ]
    return [
        dict(zip(("Carrier ID", "Normal daily use", "Essential share", "Max relief", "Source"), (c, r(d, 2), e, m, s)))
        for c, d, e, m, s in rows
    ]


# (ID, name, onset year, weight, repair delay, target, source). Weights are judgement, not a source: nearer onsets
# and coercion short of war weigh more; under maxmin (the default objective) they only break ties.
SCENARIOS = [
    (
        "blockade_2027",
        "Blockade 2027",
        EARLY,
        0.1,
        14,
        60,
        "bounding case: declared blockade, no cargo arrives (CSIS "
        "played 20 weeks; its central cases had imports fall to about 20%, not zero); repair ships kept out for 14 days",
    ),
    (
        "partial_blockade_2027",
        "Partial blockade 2027",
        EARLY,
        0.2,
        14,
        60,
        "imports fall to half in the first two weeks "
        "and to 20% from day 15, as in a CSIS summary of its wargames (defencematters.eu); repair ships kept out 14 days",
    ),
    (
        "quarantine_2027",
        "Quarantine 2027",
        EARLY,
        0.15,
        7,
        90,
        "coast-guard quarantine that inspects and throttles cargoes (CSIS, Jun 2024, via Taiwan News)",
    ),
    (
        "lng_quarantine_2027",
        "LNG-selective quarantine 2027",
        EARLY,
        0.1,
        7,
        60,
        "a quarantine of the LNG terminals "
        "alone (CSIS, Jun 2024: may target Kaohsiung, home of the Yung-An terminal); coal, oil and food pass",
    ),
    (
        "summer_blockade_2027",
        "Summer blockade 2027",
        EARLY,
        0.05,
        14,
        60,
        "the blockade of 2027 starting in summer, "
        f"with LNG tanks at about {LNG_SUMMER_DAYS:.0f} days instead of 11.5 (Wu Da-jen, as cited in the Dec 2026 review)",
    ),
    (
        "assault_2027",
        "Assault 2027",
        EARLY,
        0.1,
        10,
        30,
        "strikes on plants, grid and landing stations; repairs start after 10 days",
    ),
    (
        "blockade_2030",
        "Blockade 2030",
        LATE,
        0.1,
        14,
        60,
        "as blockade_2027, on the 2030 island (committed projects, demand growth)",
    ),
    ("quarantine_2030", "Quarantine 2030", LATE, 0.1, 7, 90, "as quarantine_2027, on the 2030 island"),
    ("assault_2030", "Assault 2030", LATE, 0.1, 10, 30, "as assault_2027, on the 2030 island"),
]


def scenarios() -> list[dict]:
    return [
        {
            "Scenario ID": sid,
            "Name": name,
            "Onset year": year,
            "Horizon": HORIZON,
            "Weight": weight,
            "Repair delay": delay,
            "Target endurance": target,
            "Source": f"assumption: {source}; weight {weight} (judgement); horizon {HORIZON} days (time for outside help; "
            f"CSIS played 20 weeks) and target {target} days: assumption",
        }
        for sid, name, year, weight, delay, target, source in SCENARIOS
    ]


RATIONING_LAG = 7  # days before rationing orders take effect in a blockade or quarantine (assumption)
# Share of what chartered LNG carriers bring that gets through (judgement: escorted or reflagged ships, with US
# insurance as the Ricketts–Coons bill proposes; a blockade sinks or turns back some, a quarantine few).
ASSURED_SHARE = {
    "blockade": 0.5,
    "partial_blockade": 0.8,
    "quarantine": 0.8,
    "lng_quarantine": 0.5,
    "summer_blockade": 0.5,
    "assault": 0.25,
}


def growth(year: int) -> float:
    """Electricity use in the onset year against 2024's (MOEA forecast, 1.7% a year)."""
    return (1 + DEMAND_GROWTH) ** (year - BASE_YEAR)


def scenario_events() -> list[dict]:
    events = []

    def add(sid, kind, target, first, last, value, source):
        events.append(
            dict(
                zip(
                    ("Scenario ID", "Event", "Target ID", "From day", "To day", "Value", "Source"),
                    (sid, kind, target, first, last, value, source),
                )
            )
        )

    essential = {d["Carrier ID"]: d["Essential share"] for d in demands()}
    lag_source = (
        "assumption: rationing orders take a week to organise, so in week 1 the requirement is normal use "
        "(factor = 1 ÷ essential share), as in published day counts at normal use; a key driver (without it a blockade "
        "lasts about two weeks longer; gas curtailment rules and emergency oil rules already exist): stress range from 1"
    )
    growth_source = "Est.: electricity use grows 1.7% a year from 2024 (MOEA forecast; Taipei Times, 1 Oct 2025)"

    def demand(sid: str, year: int, lag: bool, no_fighting: bool = True) -> None:
        """Electricity grows with the year; in week 1 of a blockade or quarantine use is normal (the rationing lag)."""
        g = growth(year)
        if lag:
            add(
                sid,
                "demand multiplier",
                "electricity",
                1,
                RATIONING_LAG,
                r(g / essential["electricity"], 4),
                f"{lag_source}; × {g:.3f}, {growth_source}",
            )
            add(sid, "demand multiplier", "electricity", RATIONING_LAG + 1, None, r(g, 4), growth_source)
            for c in ("lng", "coal", "oil"):
                add(sid, "demand multiplier", c, 1, RATIONING_LAG, r(1 / essential[c], 4), lag_source)
        else:
            add(sid, "demand multiplier", "electricity", 1, None, r(g, 4), growth_source)
        if no_fighting:
            add(sid, "demand multiplier", "ammunition", 1, None, 0.0, "assumption: no fighting")

    def charters(sid: str, kind: str) -> None:
        add(
            sid,
            "assured share",
            "lng",
            1,
            None,
            ASSURED_SHARE[kind],
            "assumption (judgement): share of chartered, escorted LNG cargoes that gets through",
        )

    def grey_zone_cables(sid: str) -> None:
        add(
            sid,
            "capacity loss",
            "intl_cables",
            5,
            29,
            0.9,
            "assumption: grey-zone cuts from day 5, a few systems "
            "survive (past incidents cut one system at a time: Matsu 2023, TPE 2025; no precedent for mass cuts)",
        )
        add(sid, "capacity loss", "intl_cables", 30, None, 1.0, "assumption: every remaining system cut from day 30")

    for sid, _, year, *_ in SCENARIOS:
        kind = sid.rsplit("_", 1)[0]
        if kind in ("blockade", "summer_blockade"):
            for c in ("lng", "coal", "oil", "food", "medicine", "ammunition"):
                add(sid, "import availability", c, 1, None, 0.0, "assumption: no cargo arrives (bounding case)")
            demand(sid, year, lag=True)
            grey_zone_cables(sid)
            if kind == "summer_blockade":
                add(
                    sid,
                    "stock at onset",
                    "lng",
                    1,
                    None,
                    r(LNG_SUMMER_DAYS / 11.5, 4),
                    f"summer stock about {LNG_SUMMER_DAYS:.0f} days against 11.5 on average (Wu Da-jen, as cited in the "
                    "Dec 2026 review; not re-verified); the legal stock of lng_legal_2027 is held whatever the season",
                )
        elif kind == "partial_blockade":
            for c in ("lng", "coal", "oil", "food", "medicine"):
                add(sid, "import availability", c, 1, 14, 0.5, "assumption: half of cargoes still arrive in weeks 1–2")
                add(
                    sid,
                    "import availability",
                    c,
                    15,
                    None,
                    0.2,
                    "cargo imports fall to about 20% of baseline within "
                    "weeks (CSIS wargames as summarised by defencematters.eu)",
                )
            add(sid, "import availability", "ammunition", 1, None, 0.0, "assumption: military cargo stopped")
            demand(sid, year, lag=True)
            add(
                sid,
                "capacity loss",
                "intl_cables",
                10,
                None,
                0.5,
                "assumption: harassment cuts half the systems from day 10",
            )
        elif kind == "quarantine":
            for c in ("lng", "coal", "oil"):
                add(
                    sid,
                    "import availability",
                    c,
                    1,
                    None,
                    0.3,
                    "assumption: 30% of energy cargoes pass inspection "
                    "(arbitrary and uniform; stress range 10–50% for LNG)",
                )
            for c in ("food", "medicine"):
                add(
                    sid,
                    "import availability",
                    c,
                    1,
                    None,
                    0.5,
                    "assumption: half of food and medicine cargoes pass "
                    "(a quarantine may let food pass: Atlantic Council, 2023)",
                )
            add(sid, "import availability", "ammunition", 1, None, 0.0, "assumption: military cargo stopped")
            demand(sid, year, lag=True)
            add(
                sid,
                "capacity loss",
                "intl_cables",
                10,
                None,
                0.5,
                "assumption: harassment cuts half the systems from day 10",
            )
        elif kind == "lng_quarantine":
            add(
                sid,
                "import availability",
                "lng",
                1,
                None,
                0.0,
                "assumption: LNG carriers turned back at the terminals "
                "(CSIS, Jun 2024: the quarantine may target Kaohsiung); stress range 0–30%",
            )
            add(sid, "import availability", "ammunition", 1, None, 0.0, "assumption: military cargo stopped")
            demand(sid, year, lag=True)
        elif kind == "assault":
            for c in ("lng", "coal", "oil", "food", "medicine", "ammunition"):
                add(sid, "import availability", c, 1, None, 0.0, "assumption: no cargo arrives")
            demand(sid, year, lag=False, no_fighting=False)
            add(sid, "capacity loss", "intl_cables", 1, 4, 0.95, "assumption: cables cut at sea on day 1")
            add(
                sid,
                "capacity loss",
                "intl_cables",
                5,
                None,
                1.0,
                "assumption: landing stations struck (Tamsui, Bali, "
                "Toucheng, Fangshan; W.Media); not tied to any strike model",
            )
            add(
                sid,
                "capacity loss",
                "gas_plants",
                1,
                None,
                0.4,
                "assumption: strikes on LNG terminals and gas plant "
                "switchyards (the 2017 Tatan trip, 4 GW, was an accident restored within hours, not a strike)",
            )
            add(
                sid,
                "capacity loss",
                "coal_plants",
                1,
                None,
                0.25,
                "assumption: strikes on coal plant switchyards and jetties",
            )
            add(
                sid,
                "capacity loss",
                "grid",
                1,
                20,
                0.25,
                "assumption: first strikes on EHV substations (cf. the 2022 "
                "Hsinta → Longqi trip, 10.5 GW lost, an accident)",
            )
            add(sid, "capacity loss", "grid", 21, None, 0.55, "assumption: second wave on the 3 EHV hubs from day 21")
            add(sid, "demand multiplier", "medicine", 1, None, 1.5, "assumption: casualties raise medicine use by half")
        charters(sid, kind)
    return events


def projects() -> list[tuple]:
    """(ID, name, category, unit cost, max units, lead, profile, requires, excludes, effects, source)."""
    med_unit = 50.0
    med_cost = round(med_unit * MED_NT_PER_TREATMENT_DAY * 1.1, -1)
    rice_cost = round(100_000 * 1000 * 30 / 1e6 * 1.1, -1)  # 100 kt = 1e8 kg at NT$30/kg, +10% storage → NT$3,300 M
    fsu_cost = round(ntm(80_000 * 365 * 5) + ntm(75_000 * LNG_MMBTU_PER_T * LNG_USD_PER_MMBTU) + 500, -1)
    charter_cost = ntm(40_000 * 365 * 5)
    return [
        # ---- stockpiles: energy ------------------------------------------------------
        (
            "lng_tank",
            "LNG tank, 180,000 m³ (+81 kt room)",
            "stockpiles",
            LNG_TANK_COST,
            4,
            4,
            "0.2;0.3;0.3;0.2",
            "",
            "",
            [("storage", "lng", LNG_TANK_KT)],
            "NT$26.6 bn for 4 × 180,000 kL (Gasworld, CTCI contract) = NT$6,650 M a tank; 81 kt at 0.45 t/m³ (Est.); lead 4 "
            "years, the short end of a realistic 4–6 (the Kaohsiung tanks: completion late 2030; land, EIA and protests the "
            "named obstacles, LTN Mar 2026); 4 more tanks: assumption; CPC capital spending in practice, not an "
            "appropriation",
        ),
        (
            "lng_fill",
            "LNG strategic fill into existing tank room (81 kt)",
            "stockpiles",
            LNG_FILL_COST,
            6,
            0,
            "",
            "",
            "",
            [("stock", "lng", LNG_TANK_KT)],
            f"Est.: 81 kt × 52 MMBtu/t × US${LNG_USD_PER_MMBTU:.0f}/MMBtu (assumption) × NT${NT_PER_USD:.0f}/US$; max 6 fills: "
            "assumption; the room between stock and tank capacity is working room for scheduling cargoes at 107% terminal "
            "load (Liberty Times, 7 Mar 2026), so a strategic fill takes it from that margin",
        ),
        (
            "lng_fill_new",
            "LNG fill for a new tank (81 kt)",
            "stockpiles",
            LNG_FILL_COST,
            4,
            0,
            "",
            "lng_tank",
            "",
            [("stock", "lng", LNG_TANK_KT)],
            "Est. as lng_fill; helps only once new tanks give room",
        ),
        (
            "lng_fsu",
            "Floating LNG storage unit, 5-year charter, delivered full (75 kt)",
            "stockpiles",
            fsu_cost,
            2,
            0,
            "0.2;0.2;0.2;0.2;0.2",
            "",
            "",
            [("storage", "lng", 75.0), ("stock", "lng", 75.0)],
            "assumption: US$80,000/day charter × 5 years + a 75 kt cargo at the lng_fill price + NT$500 M mooring works; "
            "cf. cable ship day rate US$40,000 (Taipei Times, 22 Feb 2023)",
        ),
        (
            "lng_legal_2027",
            "Legal LNG stock 14 days and tank room 24 days from 2027",
            "stockpiles",
            0.0,
            0,
            0,
            "",
            "",
            "",
            [
                ("stock", "lng", (LNG_LEGAL_STOCK_2027 - 11.5) * LNG_USE),
                ("storage", "lng", (LNG_LEGAL_ROOM_2027 - LNG_ROOM_DAYS) * LNG_USE),
            ],
            f"Est.: the Natural Gas Enterprise Act raises the safety stock from 11 to 14 days and tank capacity from 20 to 24 "
            f"days by 2027 (Liberty Times, 9 Oct 2025; MOEA notice on tank capacity): {LNG_LEGAL_STOCK_2027 - 11.5:.1f} days "
            f"of stock above the 11.5 held and 4 days of room, × {LNG_USE:.1f} kt/day; CPC's obligation, not this budget",
        ),
        (
            "lng_charter",
            "Chartered LNG carrier on standby with war-risk cover, 5 years (78 kt a month)",
            "stockpiles",
            round(ntm(100_000 * 365 * 5), -1),
            6,
            0,
            "0.2;0.2;0.2;0.2;0.2",
            "",
            "",
            [("assured import", "lng", 174_000 * 0.45 / 1000 / 30, 15, None)],
            "assumption: a 174,000 m³ carrier (78 kt at 0.45 t/m³) on a 30-day round trip, the first cargo on day 15; "
            "US$100,000/day charter and war-risk cover × 5 years (assumption); the cargo itself is bought as in normal "
            "trade. The wargame capability that decided blockade outcomes was chartering or requisitioning gas carriers "
            "(CSIS, 2025); US insurance for LNG shippers to Taiwan was proposed by Senators Ricketts and Coons (Sep 2025, "
            "via Mint/WSJ); the share that gets through is each scenario's 'assured share'",
        ),
        (
            "coal_yard",
            "Coal yard expansion (+500 kt room)",
            "stockpiles",
            1500.0,
            4,
            2,
            "0.5;0.5",
            "",
            "",
            [("storage", "coal", COAL_FILL_KT)],
            "assumption: NT$3,000 per tonne of covered yard; Taipower studying 50 days of coal (Taipei Times, 23 Jan 2023)",
        ),
        (
            "coal_fill",
            "Strategic coal fill (500 kt)",
            "stockpiles",
            COAL_FILL_COST,
            8,
            0,
            "",
            "",
            "",
            [("stock", "coal", COAL_FILL_KT)],
            f"Est.: 500 kt × US${COAL_USD_PER_T:.0f}/t (assumption) × NT${NT_PER_USD:.0f}/US$",
        ),
        (
            "oil_fill",
            "Strategic oil fill (1,000 kt)",
            "stockpiles",
            OIL_FILL_COST,
            2,
            0,
            "",
            "",
            "",
            [("stock", "oil", OIL_FILL_KT)],
            f"Est.: 1,000 kt × 7.33 bbl/t × US${OIL_USD_PER_BBL:.0f}/bbl (assumption) × NT${NT_PER_USD:.0f}/US$",
        ),
        (
            "oil_tanks",
            "Oil tank farm, 10 tanks (+400 kt room)",
            "stockpiles",
            5000.0,
            2,
            3,
            "0.3;0.4;0.3",
            "",
            "",
            [("storage", "oil", 400.0)],
            "Est.: NT$40–50 bn for 80–100 tanks, Kaohsiung (CENS, 12 May 2011) ≈ NT$500 M a tank, not re-priced since 2011; "
            "40 kt a tank: assumption",
        ),
        # ---- stockpiles: medicine, food --------------------------------------------------
        (
            "medicine_reserve",
            "Medicine reserve with warehouses (+50 M treatment-days)",
            "stockpiles",
            med_cost,
            6,
            1,
            "",
            "",
            "",
            [("stock", "medicine", med_unit), ("storage", "medicine", med_unit)],
            "Est.: drugs at NT$68.5 a treatment-day (NT$253.6 bn of NHI drug spending in 2024, UDN Sep 2025, ÷ 10 M "
            "treatment-days a day: assumption) +10% storage and rotation; a stockpile of ordinary drugs, which no plan "
            "funds yet: the NT$24 bn 2026–29 drug resilience plan (Focus Taiwan, 4 Dec 2025) is mostly production and a "
            "reserve centre for hard-to-get drugs, and awaits the legislature",
        ),
        (
            "drug_line",
            "Domestic drug production line (+0.3 M treatment-days/day)",
            "stockpiles",
            3000.0,
            3,
            3,
            "0.4;0.3;0.3",
            "",
            "",
            [("capacity", "domestic_medicine", 0.3)],
            "assumption: NT$3 bn a line; about NT$6 bn of the NT$24 bn 2026–29 plan is for domestic production of APIs and "
            "key drugs (Focus Taiwan, 4 Dec 2025; UDN, Mar 2026), i.e. about 2 lines; output depends on stocked APIs",
        ),
        (
            "rice_reserve",
            "Rice reserve with granary space (+100 kt)",
            "stockpiles",
            rice_cost,
            6,
            1,
            "",
            "",
            "",
            [("stock", "food", 100.0), ("storage", "food", 100.0)],
            "assumption: NT$30/kg + 10% storage; legal minimum 3 months, 7 months held in Sep 2024 (MOA via Taiwan News, "
            "22 Oct 2024)",
        ),
        (
            "fallow_land",
            "Return 20,000 ha of fallow land to rice (+0.5 kt/day)",
            "stockpiles",
            2500.0,
            3,
            1,
            "0.2;0.2;0.2;0.2;0.2",
            "",
            "",
            [("capacity", "domestic_food", 0.5)],
            "assumption: 20,000 ha × 9 t/ha/yr; NT$25,000/ha/yr for 5 years; target 40% self-sufficiency (Focus Taiwan, Oct 2024)",
        ),
        # ---- stockpiles: ammunition ----------------------------------------------------
        (
            "ammo_allied",
            "Ammunition from allied stocks, emergency buy (+1 combat-day)",
            "ammunition",
            4500.0,
            3,
            0,
            "",
            "",
            "",
            [("stock", "ammunition", 1.0)],
            f"assumption: 1.5 × NT${AMMO_NT_PER_DAY:,.0f} M per combat-day for delivery within the year (no public price of a "
            "combat-day); MND procurement, outside the civil allocation (Policy ammunition_out)",
        ),
        (
            "ammo_fms",
            "Ammunition, foreign military sale (+2 combat-days)",
            "ammunition",
            2 * AMMO_NT_PER_DAY,
            4,
            2,
            "0.5;0.5",
            "",
            "",
            [("stock", "ammunition", 2.0)],
            f"assumption: NT${AMMO_NT_PER_DAY:,.0f} M per combat-day, 2-year delivery; ammunition budget NT$8 bn FY2023 (Taipei Times, "
            "Sep 2022); now inside the NT$1.25 tn special defence budget proposed 26 Nov 2025 (Focus Taiwan)",
        ),
        (
            "ammo_domestic",
            "Ammunition, domestic arsenal order (+1 combat-day)",
            "ammunition",
            2500.0,
            6,
            1,
            "",
            "",
            "",
            [("stock", "ammunition", 1.0)],
            "assumption: domestic rounds cheaper, 1-year delivery; MND procurement",
        ),
        (
            "ammo_line",
            "New ammunition production line (+0.05 combat-days/day)",
            "ammunition",
            5000.0,
            2,
            3,
            "0.4;0.3;0.3",
            "",
            "",
            [("capacity", "ammo_production", 0.05)],
            "assumption: MND procurement",
        ),
        (
            "ammo_depot",
            "Hardened dispersed ammunition depot (+10 combat-days room)",
            "ammunition",
            2000.0,
            4,
            2,
            "0.5;0.5",
            "",
            "",
            [("storage", "ammunition", 10.0)],
            "assumption; MND procurement (the NT$42.9 bn homeland-defence line of 2025 includes ammunition depots, UDN "
            "11 Sep 2025)",
        ),
        # ---- grid ---------------------------------------------------------------------
        (
            "substation",
            "Protected EHV substation (hardens 60 GWh/day)",
            "grid",
            6700.0,
            5,
            2,
            "0.5;0.5",
            "",
            "",
            [("hardened", "grid", 60.0)],
            "Est.: NT$188.4 bn of new grid programmes ÷ 28 substations ≈ NT$6.7 bn (Taipei Times, 16 Sep 2022), an upper "
            "bound (the programme also pays for lines and science-park supply, and is about accidents, not strikes); "
            "2.5 GW protected: assumption",
        ),
        (
            "grid_spares",
            "Mobile substations and spare EHV transformers (+10 GWh/day per day)",
            "grid",
            1200.0,
            4,
            1,
            "",
            "",
            "",
            [("repair", "grid", 10.0)],
            "assumption; 2022 blackout (10.5 GW) restored the same day (Taiwan News, Mar 2022), destroyed equipment needs spares",
        ),
        (
            "black_start",
            "Black-start diesel turbines at EHV hubs (0.5 GW)",
            "grid",
            2500.0,
            3,
            2,
            "0.5;0.5",
            "",
            "",
            [("capacity", "oil_plants", 12.0), ("repair", "grid", 5.0)],
            "assumption: NT$5,000 M per GW; restart after the 2017 Tatan trip (4 GW, 6.68 M households) took hours",
        ),
        (
            "dual_fuel",
            "Convert a 1 GW gas block to burn diesel",
            "grid",
            2000.0,
            4,
            2,
            "0.5;0.5",
            "",
            "",
            [("capacity", "dual_fuel", 24.0)],
            "assumption: NT$2,000 M per GW for burners, water injection and on-site diesel tanks; oil > 100 days (UDN, Mar 2026)",
        ),
        (
            "oil_units_reserve",
            "Keep retiring oil units as a wartime reserve (+0.5 GW)",
            "grid",
            1200.0,
            2,
            1,
            "",
            "",
            "",
            [("capacity", "oil_plants", 12.0)],
            "assumption: NT$1,200 M to refurbish and keep 0.5 GW ready for 5 years",
        ),
        (
            "standby_coal",
            "Keep two coal units on standby after gas conversion (+1.1 GW)",
            "grid",
            1500.0,
            1,
            0,
            "",
            "",
            "",
            [("capacity", "coal_plants", 1.1 * 24)],
            "the Economy Minister names standby coal units as the blockade back-up (UDN, 9 Oct 2025); Taichung's coal units "
            "to be kept as back-up after the switch to gas (Taipei Times, 23 Jan 2023); 2 × 550 MW and NT$1,500 M to keep "
            "them ready for 5 years: assumption",
        ),
        (
            "maanshan_restart",
            "Restart Maanshan nuclear plant (2 × 936 MW)",
            "grid",
            20_000.0,
            1,
            3,
            "0.3;0.4;0.3",
            "",
            "",
            [("capacity", "nuclear", 2 * 0.936 * 24 * 0.9)],
            "2 × 936 MW (World Nuclear News) at 90% availability (assumption); restart judged feasible (MOEA, 2025), plan "
            "to the Nuclear Safety Commission by Mar 2026, safety inspection 1.5–2 years (connextion.news); lead 3 years, "
            "optimistic (Taipower estimated about 3½); NT$20 bn for steam generators and dry storage: assumption (no "
            "public estimate found); no fuel imports in a crisis (a core lasts over a year)",
        ),
        (
            "hospital_backup",
            "Back-up power for 100 hospitals: solar, batteries and diesel, islandable (20 MW)",
            "grid",
            1000.0,
            5,
            1,
            "",
            "",
            "",
            [("capacity", "microgrids", 0.02 * 24)],
            "assumption: 100 hospitals × 0.2 MW round the clock, NT$10 M a hospital; hospital back-up power and fuel are "
            "missing from the resilience plans (public hospitals association, UDN, Dec 2025)",
        ),
        (
            "microgrid",
            "Solar + battery microgrids at critical sites (100 MW, 200 MWh)",
            "grid",
            5000.0,
            6,
            1,
            "",
            "",
            "",
            [("capacity", "microgrids", 0.35)],
            "Est.: 200 MWh × NT$5 M/MWh storage subsidy figure (industry press) + 100 MW solar × NT$40 M/MW (assumption); "
            "100 MW × 3.5 h a day = 0.35 GWh/day off-grid",
        ),
        (
            "renewables_2026",
            "Solar and offshore wind planned by end-2026 (+8.2 GW)",
            "grid",
            0.0,
            0,
            0,
            "",
            "",
            "",
            [("capacity", "renewables", (SOLAR_ADD_GW * SOLAR_CF + WIND_ADD_GW * WIND_CF) * 24)],
            f"Est.: 8.2 GW of solar and offshore wind by end-2026 (MOEA plan; pv-magazine, 13 Jan 2025): "
            f"{SOLAR_ADD_GW:.2f} GW of solar to reach 20 GW at {SOLAR_CF:.1%} (14.93 TWh from 14.22 GW in 2024) and "
            f"{WIND_ADD_GW:.2f} GW of offshore wind at {WIND_CF:.0%} (assumption); a plan: the 20 GW solar goal already "
            "slipped from 2025 to 2026",
        ),
        (
            "offshore_wind_round3",
            "Offshore wind round 3 (+5 GW over 2026–2030)",
            "grid",
            0.0,
            0,
            1,
            "",
            "",
            "",
            [("capacity", "renewables", ROUND3_WIND_GW * WIND_CF * 24)],
            f"Est.: 5 GW of offshore wind over 2026–2030 (MOEA; Taipei Times, 26 Apr 2019) at {WIND_CF:.0%} (assumption); "
            "counted as finished in 2030 (committed start 2029, lead 1), so it helps a 2030 onset and not a 2027 one",
        ),
        (
            "smart_meters",
            "Smart meters and feeder automation for selective rationing (1 M meters)",
            "grid",
            3000.0,
            4,
            1,
            "",
            "",
            "",
            [("relief", "electricity", 0.01)],
            "assumption: NT$3,000 a meter; rotating feeder cuts shed essential loads with the rest, metering spares 1% of "
            "the essential requirement per million meters",
        ),
        # ---- cables ---------------------------------------------------------------------
        (
            "satellite_batch",
            "Satellite terminals and overseas gateway capacity (+10 Gbps)",
            "cables",
            600.0,
            8,
            0,
            "",
            "",
            "",
            [("capacity", "satellite", 10.0)],
            "MODA: NT$569.6 M over 2 years for 700 sites + 70 backhaul + 3 overseas (Taipei Times, 9 Jul 2023); +10 Gbps "
            "international per batch: assumption (about 90 Mbps a terminal, Taiwan News, Jul 2024)",
        ),
        (
            "leo_lease",
            "Capacity lease on an allied LEO constellation, 5 years (+40 Gbps)",
            "cables",
            3000.0,
            1,
            0,
            "0.2;0.2;0.2;0.2;0.2",
            "",
            "",
            [("capacity", "satellite", 40.0)],
            "assumption: NT$600 M a year and 40 Gbps; own constellation (NT$40 bn to 2031, Taipei Times 2024–25) is too "
            "late for these scenarios",
        ),
        (
            "microwave_link",
            "Microwave link to Yonaguni, Japan, 110 km (+10 Gbps)",
            "cables",
            800.0,
            2,
            1,
            "",
            "",
            "",
            [("capacity", "microwave", 10.0)],
            "Matsu microwave backup 12.6 Gbps (Taiwan News, Jan 2025); NT$800 M and Japan's consent: assumption",
        ),
        (
            "repair_ship_layer",
            "Cable ship, full cable-layer newbuild (+1,000 Gbps/day per day)",
            "cables",
            round(250e6 * NT_PER_EUR / 1e6, -1),
            1,
            3,
            "0.3;0.4;0.3",
            "",
            "repair_ship_repairer",
            [("repair", "intl_cables", 1000.0)],
            f"€250 M a cable-layer (assumption: the Marine Log price was not found) × NT${NT_PER_EUR:.0f}/€; restores ≈ one "
            "system (6.7 Tbps) a week: assumption (TPE repaired in 17 days, Taipei Times, 25 Jan 2025; domestic cables "
            "wait 110 days on average for a ship)",
        ),
        (
            "repair_ship_repairer",
            "Cable ship, repair-only newbuild (+700 Gbps/day per day)",
            "cables",
            round(200e6 * NT_PER_EUR / 1e6, -1),
            1,
            3,
            "0.3;0.4;0.3",
            "",
            "repair_ship_layer",
            [("repair", "intl_cables", 700.0)],
            f"€200 M (assumption, price not found) × NT${NT_PER_EUR:.0f}/€; one berth and crew at Keelung, so one design "
            "or the other: assumption",
        ),
        (
            "repair_charter",
            "Cable repair ship on standby charter, 5 years (+700 Gbps/day per day)",
            "cables",
            charter_cost,
            1,
            0,
            "0.2;0.2;0.2;0.2;0.2",
            "",
            "",
            [("repair", "intl_cables", 700.0)],
            "Est.: US$40,000/day (Taipei Times editorial, 22 Feb 2023) × 5 years; based in Taiwan, so it works in a crisis: "
            "assumption",
        ),
        (
            "cable_route",
            "Diverse cable route with hardened east-coast landing (protects 2 Tbps)",
            "cables",
            9000.0,
            2,
            3,
            "0.3;0.4;0.3",
            "",
            "",
            [("hardened", "intl_cables", 2000.0)],
            "assumption: ≈ US$280 M a system with a buried landing; partly done: TPU lands at Dawu, Taitung (2025, UDN), "
            "but no landing is hardened against strikes",
        ),
        # ---- training ---------------------------------------------------------------------
        (
            "civil_cohort",
            "Civil-defence training cohort (10,000 civilians)",
            "training",
            200.0,
            20,
            0,
            "",
            "",
            "",
            [("relief", "food", 0.003), ("relief", "medicine", 0.005), ("relief", "electricity", 0.001)],
            "CERT basic course 20 hours (FEMA); NT$20,000 a trainee: assumption; civilian force target 400,000 (Taiwan News); "
            "relief shares: assumption",
        ),
        (
            "supply_stations",
            "Emergency supply stations, 500 stations staffed and stocked",
            "training",
            500.0,
            11,
            0,
            "",
            "",
            "",
            [("relief", "food", 0.004), ("relief", "medicine", 0.002)],
            "5,668 stations planned (MND, Taipei Times, 17 Sep 2025); NT$1 M a station: assumption (MOEA plans to use "
            "convenience stores and supermarkets, cheaper); relief: assumption",
        ),
        (
            "repair_reservists",
            "Utility repair reservists (2,000 trained)",
            "training",
            300.0,
            10,
            0,
            "",
            "",
            "",
            [("repair", "grid", 3.0), ("repair", "gas_plants", 1.0), ("repair", "coal_plants", 1.0)],
            "assumption: NT$150,000 a reservist; civil defence members > 420,000 (Taipei Times, 26 Jan 2023)",
        ),
        (
            "power_saving_drills",
            "Household and office power-saving drills (national programme)",
            "training",
            400.0,
            5,
            0,
            "",
            "",
            "",
            [("relief", "electricity", 0.005)],
            "assumption: drilled conservation spares 0.5% of the essential requirement per programme",
        ),
    ]


# Units funded outside this budget (models/endurance.md, (8)): project -> (units, start year or None, why).
COMMITTED = {
    "lng_legal_2027": (1, 2027, "committed: the law's 2027 levels"),
    "lng_tank": (
        4,
        2027,
        "committed: the 4 Kaohsiung Intercontinental tanks, completion late 2030 (Gasworld; LNG Prime), "
        "counted from 2031",
    ),
    "renewables_2026": (1, 2026, "committed: the plan for end-2026, in service for both onsets"),
    "offshore_wind_round3": (1, 2029, "committed: round 3, in service from 2030"),
    "leo_lease": (
        1,
        2026,
        "committed: the MND's new satellite leasing in the NT$56.3 bn military-civil ICT line, "
        "2026–27 (UDN, 11 Sep 2025; Liberty Times defence); 40 Gbps assumed as for this project",
    ),
}


def policy() -> list[dict]:
    rows = [
        (
            "total",
            "total budget",
            None,
            None,
            TOTAL_BUDGET,
            "money",
            "hypothetical envelope for the investments modelled here over 2027–31, not a voted budget. For scale: the "
            "homeland-security part of the 2025 resilience special budget is NT$150 bn for 2026–27 (MND 113.2, Coast "
            "Guard 29.5, MOI 6.25, MOA 1.0; Liberty Times defence, 11 Sep 2025), of which about NT$7.25 bn civilian; most "
            "projects here (LNG tanks, grid, cables) are CPC, Taipower or Chunghwa capital spending, not appropriations",
        ),
        (
            "ammunition_out",
            "category cap",
            "ammunition",
            None,
            0,
            "money",
            "ammunition is MND procurement (the NT$1.25 tn special defence budget, Focus Taiwan, 26 Nov 2025, and the "
            "regular budget), not civil defence: kept out of this allocation; raise the cap to let the optimiser weigh it",
        ),
        (
            "training_floor",
            "category floor",
            "training",
            None,
            0.03,
            "share",
            "assumption: at least 3% of spending on civilian training (ASPI proposal: train civilians)",
        ),
        (
            "cables_cap",
            "category cap",
            "cables",
            None,
            20_000,
            "money",
            "assumption: what the telecom operators can execute in 5 years (≈ NT$4 bn a year)",
        ),
    ]
    return [dict(zip(("Rule ID", "Rule", "Category", "Year", "Amount", "Amount unit", "Source"), row)) for row in rows]


def rows() -> dict[str, list[dict]]:
    project_rows = projects()
    return {
        "Settings": [
            {
                "Setting": "Title",
                "Value": "Taiwan civil-defence resilience, baseline 2027–2031",
                "Source": "built by inputs/build_taiwan_baseline.py from shared/data/taiwan-figures.md",
            },
            {"Setting": "Currency", "Value": MONEY_UNIT, "Source": "every money column"},
        ],
        "Years": [
            {
                "Year": y,
                "Budget": b,
                "Source": f"hypothetical: NT${TOTAL_BUDGET / 1000:.0f} bn over 5 years, ramping up as procurement scales "
                "(see Policy 'total'; about 5× what the legislature has voted for civilian items)",
            }
            for y, b in YEARS.items()
        ],
        "Carriers": carriers(),
        "Storage": storage(),
        "Imports": imports(),
        "Technologies": technologies(),
        "Demands": demands(),
        "Scenarios": scenarios(),
        "ScenarioEvents": scenario_events(),
        "Projects": [
            {
                "Project ID": p[0],
                "Name": p[1],
                "Category": p[2],
                "Unit cost": float(p[3]),
                "Max units": p[4],
                "Lead time": p[5],
                "Spend profile": p[6] or None,
                "Requires": p[7] or None,
                "Excludes": p[8] or None,
                "Source": p[10] + (f"; {COMMITTED[p[0]][2]}" if p[0] in COMMITTED else ""),
                "Committed units": COMMITTED[p[0]][0] if p[0] in COMMITTED else None,
                "Committed start year": COMMITTED[p[0]][1] if p[0] in COMMITTED else None,
            }
            for p in project_rows
        ],
        "Effects": [
            {
                "Project ID": p[0],
                "Effect": effect[0],
                "Target ID": effect[1],
                "Amount per unit": r(effect[2], 4),
                "Source": f"as project {p[0]}",
                "From day": effect[3] if len(effect) > 3 else None,
                "To day": effect[4] if len(effect) > 3 else None,
            }
            for p in project_rows
            for effect in p[9]
        ],
        "Policy": policy(),
    }


def days_of_supply(tables: dict[str, list[dict]]) -> list[tuple[str, float, float, float, float]]:
    """(carrier, usable stock, normal import, normal use, usable ÷ import) for every storable carrier.

    Normal use of a fuel is its direct use plus what the plants burn at normal dispatch.
    """
    imports_ = {row["Carrier ID"]: row["Normal daily import"] for row in tables["Imports"]}
    direct = {row["Carrier ID"]: row["Normal daily use"] for row in tables["Demands"]}
    burn = {"lng": GAS_GEN / GAS_EFF, "coal": COAL_GEN / COAL_EFF, "oil": OIL_GEN / OIL_EFF}
    result = []
    for row in tables["Storage"]:
        c = row["Carrier ID"]
        usable = row["Initial stock"] - row["Floor"]
        use = direct.get(c, 0.0) + burn.get(c, 0.0)
        result.append((c, usable, imports_.get(c, 0.0), use, usable / imports_[c] if imports_.get(c) else float("inf")))
    return result


def main() -> None:
    tables = rows()
    write_input_workbook(OUTPUT, tables, money_unit=MONEY_UNIT)
    print(f"wrote {OUTPUT}")
    print(
        f"{'carrier':<12}{'usable stock':>14}{'import/day':>12}{'use/day':>10}{'days of imports':>17}{'days of use':>13}"
    )
    for c, usable, imp, use, days in days_of_supply(tables):
        unit = next(row["Unit"] for row in tables["Carriers"] if row["Carrier ID"] == c)
        print(f"{c:<12}{usable:>14,.1f}{imp:>12,.3f}{use:>10,.2f}{days:>17,.1f}{usable / use:>13,.1f}  ({unit})")


if __name__ == "__main__":
    main()
