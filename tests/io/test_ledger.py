"""The ledger of the bundled Taiwan data (inputs/taiwan/): every row says where its figures come from.

A row needs a source (a Source ID of sources.csv, each with a title, a date and a web address) unless it is an
assumption; an assumption names the columns it assumes, and each of those `trp-opt stress` can vary carries its
range. The builder refuses to write the workbooks otherwise; these tests check the bundled ledger and that each
kind of bad row is refused, naming the file and line."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from tests.support.builders import INPUTS, builder
from trp_opt.io import schema
from trp_opt.io.validate import read_inputs

LEDGER = builder("build_workbooks")


def edited(tmp_path: Path, table: str, change) -> Path:
    """A copy of the bundled ledger with ``change(rows)`` applied to one table."""
    folder = tmp_path / "taiwan"
    shutil.copytree(INPUTS / "taiwan", folder)
    with open(folder / table, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    change(rows)
    with open(folder / table, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_the_bundled_ledger_has_no_problem():
    assert LEDGER.check_ledger() == []


def test_every_sheet_of_the_workbook_has_its_table():
    assert sorted(p.stem for p in (INPUTS / "taiwan").glob("*.csv")) == sorted(
        [s.name for s in schema.SHEETS] + ["sources"]
    )


def first_row_where(rows, **match):
    return next(r for r in rows if all(r[k] == v for k, v in match.items()))


def test_a_row_with_neither_a_source_nor_an_assumption_is_refused(tmp_path):
    def unsourced(rows):
        row = first_row_where(rows, **{"Carrier ID": "lng"})
        row["Sources"] = ""

    problems = LEDGER.check_ledger(edited(tmp_path, "Storage.csv", unsourced))
    assert problems == ["Storage.csv line 2: a 'correct' row names no source (cite one, or say 'assumption')"]


def test_an_assumption_without_its_range_is_refused(tmp_path):
    def no_range(rows):
        row = first_row_where(rows, **{"Carrier ID": "electricity"})
        row["Essential share low"] = row["Essential share high"] = ""

    problems = LEDGER.check_ledger(edited(tmp_path, "Demands.csv", no_range))
    assert problems == [
        "Demands.csv line 2: 'Essential share' is an assumption without its stress range ('Essential share low/high')"
    ]


def test_an_assumption_that_names_nothing_an_unknown_source_and_a_bad_address_are_each_refused(tmp_path):
    def bad(rows):
        rows[0]["Assumed"] = ""
        rows[1]["Sources"] = "nobody-said-so"
        rows[2]["Verdict"] = "plausible"

    folder = edited(tmp_path, "Years.csv", bad)
    with open(folder / "sources.csv", "a", encoding="utf-8") as handle:
        handle.write("no-address,A report,2026-01-01,the library\n")
    problems = LEDGER.check_ledger(folder)
    assert problems == [
        f"sources.csv line {sum(1 for _ in open(folder / 'sources.csv'))}: the Address 'the library' is not a web address",
        "Years.csv line 2: an assumption names no column in Assumed",
        "Years.csv line 3: Source ID 'nobody-said-so' is not in sources.csv",
        "Years.csv line 4: Verdict 'plausible' is not one of correct, derived, corrected, scenario, definition, assumption",
    ]


def test_the_builder_writes_nothing_from_a_ledger_with_a_problem(tmp_path, monkeypatch, capsys):
    def unsourced(rows):
        first_row_where(rows, **{"Carrier ID": "lng"})["Sources"] = ""

    monkeypatch.setattr(LEDGER, "LEDGER", edited(tmp_path, "Storage.csv", unsourced))
    monkeypatch.setattr(LEDGER, "BASELINE", tmp_path / "baseline.xlsx")
    monkeypatch.setattr(LEDGER, "STRESS", tmp_path / "stress.xlsx")
    with pytest.raises(SystemExit):
        LEDGER.main()
    assert "Storage.csv line 2" in capsys.readouterr().out
    assert not (tmp_path / "baseline.xlsx").exists() and not (tmp_path / "stress.xlsx").exists()


def test_every_source_cell_of_the_workbook_names_its_verdict():
    inputs = read_inputs(INPUTS / "taiwan_baseline.xlsx")
    assert inputs.scenarios and all(s.horizon >= 140 for s in inputs.scenarios.values())
    rows, _ = LEDGER.tables()
    for sheet, sheet_rows in rows.items():
        for row in sheet_rows:
            assert row["Source"].split(":")[0] in LEDGER.VERDICTS, (sheet, row)
