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
RANGES = [
    (
        "Storage",
        {"Carrier ID": "lng"},
        "Initial stock",
        "carrier unit",
        (base.LNG_HEEL_DAYS + 8.0) * base.LNG_USE,
        (base.LNG_HEEL_DAYS + 11.4) * base.LNG_USE,
        "range: 11.9 days held in Mar 2026 (UDN) less the heel as high; 8 usable days as low (assumption: stock "
        "swings between cargo deliveries)",
    ),
    (
        "Storage",
        {"Carrier ID": "coal"},
        "Initial stock",
        "carrier unit",
        (base.COAL_FLOOR_DAYS + 35.0) * base.COAL_USE,
        (base.COAL_FLOOR_DAYS + 42.0) * base.COAL_USE,
        "range: 42 usable days as high (typically 40–42, Taipei Times, 23 Jan 2023); 35 days as low (assumption)",
    ),
    (
        "Storage",
        {"Carrier ID": "oil"},
        "Initial stock",
        "carrier unit",
        (base.OIL_FLOOR_DAYS + 100.0) * base.OIL_USE,
        (base.OIL_FLOOR_DAYS + 128.0) * base.OIL_USE,
        "range: > 100 days (UDN, Mar 2026) as low, 128 days (Jan 2020, Taiwan News) as high",
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
        {"Scenario ID": "quarantine_2030", "Event": "import availability", "Target ID": "lng"},
        "Value",
        "",
        0.1,
        0.5,
        "range 10–50% of LNG cargoes pass: assumption",
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
    (
        "ScenarioEvents",
        {"Scenario ID": "assault_2030", "Event": "capacity loss", "Target ID": "gas_plants"},
        "Value",
        "",
        0.2,
        0.6,
        "range 20–60% of gas capacity lost: assumption",
    ),
    (
        "Demands",
        {"Carrier ID": "electricity"},
        "Essential share",
        "share",
        0.6,
        0.8,
        "range 60–80% of normal electricity use essential: assumption",
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
            ws.cell(row, headers[name_low], round(low, 2))
            ws.cell(row, headers[name_high], round(high, 2))
            source = ws.cell(row, headers["Source"])
            source.value = f"{source.value}; {column} {note}"
    book.properties.title = "Taiwan baseline with ranges for trp-opt stress"
    book.save(OUTPUT)
    print(f"wrote {OUTPUT} with {len(RANGES)} ranges")


if __name__ == "__main__":
    main()
