"""Build inputs/taiwan_stress.xlsx: the bundled Taiwan workbook plus ranges for `trp-opt stress`.

The likely values are those of taiwan_baseline.xlsx (built by
build_taiwan_baseline.py, whose constants are used here); this script only
adds '<column> low' / '<column> high' cells to a few inputs and says where
each range comes from in the row's Source cell. Rebuild after the baseline:

    python inputs/build_taiwan_stress.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_taiwan_baseline as base  # noqa: E402  (the constants the likely values were built from)

SOURCE = HERE / "taiwan_baseline.xlsx"
OUTPUT = HERE / "taiwan_stress.xlsx"

# (sheet, {column: value} that identifies the row(s), uncertain column, unit in header, low, high, where the range comes from)
LNG_BASE = base.LNG_HEEL_DAYS * base.LNG_USE  # the heel, under every stock figure
COAL_OTHER_USE = base.COAL_USE - base.TAIPOWER_COAL_USE
RANGES = [
    (
        "Storage",
        {"Carrier ID": "lng"},
        "Initial stock",
        "carrier unit",
        LNG_BASE + 8.0 * base.LNG_USE,
        LNG_BASE + 13.5 * base.LNG_USE,
        "range: 8 usable days as low (assumption: stock swings between cargo deliveries); 14 days held, the legal "
        "level from 2027 (Liberty Times, 9 Oct 2025), less the heel as high",
    ),
    (
        "Storage",
        {"Carrier ID": "coal"},
        "Initial stock",
        "carrier unit",
        base.TAIPOWER_COAL_KT * 39 / 42 + 15.0 * COAL_OTHER_USE,
        base.TAIPOWER_COAL_KT + 42.0 * COAL_OTHER_USE,
        "range: Taipower 39 days (MOEA, Aug 2022) and the others 15 days (assumption) as low; Taipower 42 days and the "
        "others as many as high",
    ),
    (
        "Storage",
        {"Carrier ID": "oil"},
        "Initial stock",
        "carrier unit",
        (base.OIL_FLOOR_DAYS + 100.0) * base.OIL_LEGAL_BASE,
        (base.OIL_FLOOR_DAYS + 146.0) * base.OIL_LEGAL_BASE,
        "range: > 100 days (UDN, Mar 2026) as low, 146 days (MOEA, Aug 2022; Taipei Times) as high",
    ),
    (
        "Storage",
        {"Carrier ID": "medicine"},
        "Initial stock",
        "carrier unit",
        base.MED_FLOOR + 30.0 * base.MED_USE,
        base.MED_FLOOR + 60.0 * base.MED_USE,
        "range: 30 days of use as low (shortages of Jan 2026; calls for a war-reserve drug system, UDN 5 Mar 2026), "
        "60 as high: assumption",
    ),
    (
        "Storage",
        {"Carrier ID": "ammunition"},
        "Initial stock",
        "carrier unit",
        20.0,
        120.0,
        "range 20–120 combat-days: assumption, deliberately wide (no public figure)",
    ),
    (
        "Technologies",
        {"Technology ID": "coal_plants"},
        "Capacity",
        "carrier unit",
        340.0,
        base.COAL_INSTALLED_GW * 0.9 * 24,
        "range: 14.2 GW round the clock (the earlier assumption) as low, 90% of 19.9 GW installed as high",
    ),
    (
        "Technologies",
        {"Technology ID": "satellite"},
        "Capacity",
        "carrier unit",
        10.0,
        60.0,
        "range 10–60 Gbps: assumption (no public aggregate figure)",
    ),
    (
        "Demands",
        {"Carrier ID": "electricity"},
        "Essential share",
        "share",
        0.5,
        0.8,
        "range 50–80% of normal electricity use essential: assumption (no public rationing share)",
    ),
    (
        "Demands",
        {"Carrier ID": "bandwidth"},
        "Essential share",
        "share",
        0.001,
        0.01,
        "range 0.1–1% = 20–200 Gbps essential: assumption (no public figure)",
    ),
    (
        "ScenarioEvents",
        {"Scenario ID": "blockade_2027", "Event": "demand multiplier", "Target ID": "electricity", "From day": 1},
        "Value",
        "",
        base.growth(2027),
        base.growth(2027) / base.ESSENTIAL_ELECTRICITY,
        "range: rationing from day 1 (legal supply-control triggers exist) to a full week at normal use: assumption",
    ),
    (
        "ScenarioEvents",
        {"Scenario ID": "quarantine_2027", "Event": "import availability", "Target ID": "lng"},
        "Value",
        "",
        0.1,
        0.5,
        "range 10–50% of LNG cargoes pass: assumption",
    ),
    (
        "ScenarioEvents",
        {"Scenario ID": "lng_quarantine_2027", "Event": "import availability", "Target ID": "lng"},
        "Value",
        "",
        0.0,
        0.3,
        "range 0–30% of LNG cargoes pass: assumption",
    ),
    (
        "ScenarioEvents",
        {"Scenario ID": "blockade_2027", "Event": "assured share", "Target ID": "lng"},
        "Value",
        "",
        0.0,
        0.9,
        "range 0–90% of chartered cargoes get through: assumption",
    ),
    (
        "ScenarioEvents",
        {"Scenario ID": "assault_2027", "Event": "capacity loss", "Target ID": "gas_plants"},
        "Value",
        "",
        0.2,
        0.6,
        "range 20–60% of gas capacity lost: assumption",
    ),
]


def main() -> None:
    book = load_workbook(SOURCE)
    for sheet, match, column, unit, low, high, note in RANGES:
        ws = book[sheet]
        headers = {str(c.value).split("(")[0].strip(): c.column for c in ws[1] if c.value}
        name_low, name_high = f"{column} low", f"{column} high"
        for name in (name_low, name_high):
            if name not in headers:
                at = ws.max_column + 1
                ws.cell(1, at, f"{name} ({unit})" if unit else name)
                headers[name] = at
        rows = [
            row
            for row in range(2, ws.max_row + 1)
            if all(ws.cell(row, headers[k]).value == v for k, v in match.items())
        ]
        if not rows:
            raise SystemExit(f"{sheet}: no row matches {match}")
        for row in rows:
            ws.cell(row, headers[name_low], round(low, 4))
            ws.cell(row, headers[name_high], round(high, 4))
            source = ws.cell(row, headers["Source"])
            source.value = f"{source.value}; {column} {note}"
    book.properties.title = "Taiwan baseline with ranges for trp-opt stress"
    book.save(OUTPUT)
    print(f"wrote {OUTPUT} with {len(RANGES)} ranges")


if __name__ == "__main__":
    main()
