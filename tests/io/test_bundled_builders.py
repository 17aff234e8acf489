"""The bundled workbooks are what their builders write (inputs/build_*.py): a builder that no longer runs, or
a workbook not rebuilt after its builder changed, fails here. Every sheet's values are compared."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import openpyxl
import pytest

INPUTS = Path(__file__).resolve().parents[2] / "inputs"


def builder(name: str):
    spec = importlib.util.spec_from_file_location(name, INPUTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(INPUTS))  # the stress builder imports the baseline's
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(INPUTS))
    return module


def values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}


@pytest.mark.parametrize(
    "name, bundled",
    [
        ("build_taiwan_baseline", "taiwan_baseline.xlsx"),
        ("build_legislature_proposal_example", "legislature_proposal_example.xlsx"),
        ("build_taiwan_stress", "taiwan_stress.xlsx"),
    ],
)
def test_each_bundled_workbook_is_what_its_builder_writes(tmp_path, capsys, name, bundled):
    module = builder(name)
    module.OUTPUT = tmp_path / bundled
    module.main()
    capsys.readouterr()
    assert values(tmp_path / bundled) == values(INPUTS / bundled)
