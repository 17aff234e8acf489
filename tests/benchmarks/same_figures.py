"""Do two workbooks written by trp-opt hold the same figures? Every cell of every sheet is compared,
except the Diagnostics and About sheets (timings, dates, paths differ between runs by design).

    python tests/benchmarks/same_figures.py BEFORE.xlsx AFTER.xlsx

Prints the first differing cells and exits 1 when they differ, 0 when every figure is the same. Used to
show that a change of structure changed no figure (run the same command on two checkouts)."""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import load_workbook

VOLATILE_SHEETS = ("Diagnostics", "About")


def figures(path: Path) -> dict[tuple[str, str], object]:
    book = load_workbook(path)
    found: dict[tuple[str, str], object] = {}
    for sheet in book.worksheets:
        if sheet.title in VOLATILE_SHEETS:
            continue
        found[sheet.title, "charts"] = len(sheet._charts)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    found[sheet.title, cell.coordinate] = cell.value
    return found


def main(before: str, after: str) -> int:
    old, new = figures(Path(before)), figures(Path(after))
    differing = sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
    for sheet, cell in differing[:20]:
        print(f"{sheet}!{cell}: {old.get((sheet, cell))!r} -> {new.get((sheet, cell))!r}")
    sheets = len({sheet for sheet, _ in old})
    print(f"{len(old)} cells in {sheets} sheets compared; {len(differing)} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
