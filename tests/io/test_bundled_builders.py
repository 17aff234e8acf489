"""The bundled workbooks are what their builders write (inputs/build_*.py): a builder that no longer runs, or
a workbook not rebuilt after its builder changed, fails here. Every sheet's values are compared."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.support.builders import INPUTS, builder


def values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}


def test_the_proposal_example_is_what_its_builder_writes(tmp_path, capsys):
    module = builder("build_legislature_proposal_example")
    module.OUTPUT = tmp_path / "legislature_proposal_example.xlsx"
    module.main()
    capsys.readouterr()
    assert values(module.OUTPUT) == values(INPUTS / "legislature_proposal_example.xlsx")


def test_the_taiwan_workbooks_are_what_the_ledger_writes(tmp_path, capsys):
    module = builder("build_workbooks")
    module.BASELINE, module.STRESS = tmp_path / "taiwan_baseline.xlsx", tmp_path / "taiwan_stress.xlsx"
    module.main()
    capsys.readouterr()
    assert values(module.BASELINE) == values(INPUTS / "taiwan_baseline.xlsx")
    assert values(module.STRESS) == values(INPUTS / "taiwan_stress.xlsx")
