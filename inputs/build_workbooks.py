"""Write the bundled Taiwan workbooks from the ledger in inputs/taiwan/.

The ledger is plain tables, one per input sheet (``<Sheet>.csv``, the sheet's columns without units), and
``sources.csv`` (Source ID, Title, Published, Address). Every row of a sheet says where its figures come from:

- ``Verdict``: correct (a source says so), derived (arithmetic on sourced figures, shown in the Note),
  corrected (changed in the December 2026 review to what the source says), scenario (part of the question a
  scenario asks, following the study it cites), definition (a name or a unit, no figure), or assumption
  (no public figure);
- ``Assumed``: the columns whose figures are assumptions (';'-separated); each one that `trp-opt stress` can
  vary has its '<column> low' and '<column> high' in the same table;
- ``Sources``: Source IDs of sources.csv (';'-separated); ``Note``: the reasoning and arithmetic.

Run from the repository folder:

    python inputs/build_workbooks.py

It checks the ledger (check_ledger: a row with neither a source nor an assumption, an assumption without its
range, an unknown Source ID are refused, all listed at once), then writes taiwan_baseline.xlsx (the likely
values) and taiwan_stress.xlsx (the same, with the ranges). The output is deterministic.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(HERE.parent))

from openpyxl import load_workbook  # noqa: E402

from trp_opt.io import schema  # noqa: E402
from trp_opt.io.template import write_input_workbook  # noqa: E402

LEDGER = HERE / "taiwan"
BASELINE = HERE / "taiwan_baseline.xlsx"
STRESS = HERE / "taiwan_stress.xlsx"
MONEY_UNIT = "NT$ million"
VERDICTS = ("correct", "derived", "corrected", "scenario", "definition", "assumption")
NEEDS_SOURCE = ("correct", "derived", "corrected", "scenario")
DEFINITION_SHEETS = ("Settings", "Carriers", "Demands")  # where a row may hold a name or a unit and no figure
LEDGER_COLUMNS = ("Verdict", "Assumed", "Sources", "Note")


def ledger_columns(sheet: schema.Sheet) -> list[str]:
    """The columns of a sheet's table: the sheet's own (without Source), the ranges, then the ledger's."""
    own = [c.name for c in sheet.columns if c.name != "Source"]
    ranges = [
        f"{name} {end}" for name in schema.UNCERTAIN_COLUMNS.get(sheet.name, ()) for end in (schema.LOW, schema.HIGH)
    ]
    return own + ranges + list(LEDGER_COLUMNS)


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as table:
        reader = csv.DictReader(table)
        return list(reader.fieldnames or []), list(reader)


def split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def check_ledger(folder: Path | None = None) -> list[str]:
    """Every problem of the ledger, as 'file line N: what is wrong' (an empty list: the ledger may be built)."""
    folder = LEDGER if folder is None else folder
    problems = []
    _, sources = read_table(folder / "sources.csv")
    known = set()
    for line, source in enumerate(sources, start=2):
        known.add(source["Source ID"])
        if not all(source.get(column, "").strip() for column in ("Title", "Published", "Address")):
            problems.append(f"sources.csv line {line}: a source needs a Title, a Published date and an Address")
        elif not source["Address"].startswith(("http://", "https://")):
            problems.append(f"sources.csv line {line}: the Address '{source['Address']}' is not a web address")
    for sheet in schema.SHEETS:
        name = f"{sheet.name}.csv"
        header, rows = read_table(folder / name)
        if header != ledger_columns(sheet):
            problems.append(f"{name}: the columns are {header}, expected {ledger_columns(sheet)}")
            continue
        columns = {c.name for c in sheet.columns}
        uncertain = schema.UNCERTAIN_COLUMNS.get(sheet.name, ())
        for line, row in enumerate(rows, start=2):
            where = f"{name} line {line}"
            verdict, assumed, cited = row["Verdict"].strip(), split(row["Assumed"]), split(row["Sources"])
            if verdict not in VERDICTS:
                problems.append(f"{where}: Verdict '{verdict}' is not one of {', '.join(VERDICTS)}")
            if verdict in NEEDS_SOURCE and not cited:
                problems.append(f"{where}: a '{verdict}' row names no source (cite one, or say 'assumption')")
            if verdict == "assumption" and not assumed:
                problems.append(f"{where}: an assumption names no column in Assumed")
            if verdict == "definition" and sheet.name not in DEFINITION_SHEETS:
                problems.append(f"{where}: only {', '.join(DEFINITION_SHEETS)} rows may be a definition")
            problems += [f"{where}: Source ID '{sid}' is not in sources.csv" for sid in cited if sid not in known]
            for column in assumed:
                if column not in columns:
                    problems.append(f"{where}: Assumed names '{column}', not a column of {sheet.name}")
                elif column in uncertain and not (row[f"{column} low"].strip() and row[f"{column} high"].strip()):
                    problems.append(
                        f"{where}: '{column}' is an assumption without its stress range ('{column} low/high')"
                    )
            for column in uncertain:
                if bool(row[f"{column} low"].strip()) != bool(row[f"{column} high"].strip()):
                    problems.append(f"{where}: '{column}' has one end of a range, not both")
    return problems


def value(cell: str) -> int | float | str | None:
    """A table cell as the workbook holds it: blank, a whole number, a number, or text."""
    text = cell.strip()
    if not text:
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def source_text(row: dict[str, str], sources: dict[str, dict[str, str]], has_range: bool) -> str:
    """The workbook's Source cell: the verdict and the reasoning, what is assumed, then each source in full."""
    text = f"{row['Verdict']}: {row['Note']}".rstrip(". ") + "."
    if split(row["Assumed"]):
        text += f" Assumed: {', '.join(split(row['Assumed']))}"
        text += " (ranges in taiwan_stress.xlsx)." if has_range else "."
    cited = [sources[sid] for sid in split(row["Sources"])]
    if cited:
        text += " Sources: " + "; ".join(f"{s['Title']} ({s['Published']}) {s['Address']}" for s in cited) + "."
    return text


def tables(folder: Path | None = None) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """The workbook's rows per sheet (column name -> value) and the ranges per sheet ('<column> low' -> value)."""
    folder = LEDGER if folder is None else folder
    _, source_rows = read_table(folder / "sources.csv")
    sources = {s["Source ID"]: s for s in source_rows}
    rows_by_sheet, ranges_by_sheet = {}, {}
    for sheet in schema.SHEETS:
        _, rows = read_table(folder / f"{sheet.name}.csv")
        bounds = [
            f"{name} {end}"
            for name in schema.UNCERTAIN_COLUMNS.get(sheet.name, ())
            for end in (schema.LOW, schema.HIGH)
        ]
        sheet_rows, sheet_ranges = [], []
        for row in rows:
            ranges = {column: value(row[column]) for column in bounds if row[column].strip()}
            cells = {c.name: value(row[c.name]) for c in sheet.columns if c.name != "Source"}
            cells["Source"] = source_text(row, sources, bool(ranges))
            sheet_rows.append(cells)
            sheet_ranges.append(ranges)
        rows_by_sheet[sheet.name] = sheet_rows
        ranges_by_sheet[sheet.name] = sheet_ranges
    return rows_by_sheet, ranges_by_sheet


def add_ranges(path: Path, ranges_by_sheet: dict[str, list[dict]]) -> None:
    """Append the '<column> low/high' columns `trp-opt stress` reads, after the sheet's own columns."""
    book = load_workbook(path)
    for sheet in schema.SHEETS:
        ranges = ranges_by_sheet[sheet.name]
        used = [
            c for c in schema.UNCERTAIN_COLUMNS.get(sheet.name, ()) if any(f"{c} {schema.LOW}" in r for r in ranges)
        ]
        if not used:
            continue
        worksheet = book[sheet.name]
        first = worksheet.max_column + 1
        for offset, (column, end) in enumerate((c, e) for c in used for e in (schema.LOW, schema.HIGH)):
            worksheet.cell(1, first + offset, schema.range_column(sheet, column, end).header)
            for line, row in enumerate(ranges, start=2):
                worksheet.cell(line, first + offset, row.get(f"{column} {end}"))
    book.save(path)


def main() -> None:
    problems = check_ledger()
    if problems:
        print("The ledger has problems; nothing was written:", *problems, sep="\n  ")
        raise SystemExit(1)
    rows, ranges = tables()
    write_input_workbook(BASELINE, rows, money_unit=MONEY_UNIT)
    write_input_workbook(STRESS, rows, money_unit=MONEY_UNIT)
    add_ranges(STRESS, ranges)
    counted = sum(len(r) for r in rows.values())
    with_range = sum(1 for sheet in ranges.values() for r in sheet if r)
    print(f"wrote {BASELINE.name} and {STRESS.name}: {counted} rows, {with_range} with a stress range")


if __name__ == "__main__":
    main()
