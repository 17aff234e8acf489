"""Property-based tests (issue 5): cells of real workbooks changed at random, the tool never crashes.

Whatever is typed into a cell (a blank, a negative or huge number, text where a number belongs, a
formula, a date, a boolean), validation gives either valid inputs or errors that each name where they
are (`Sheet!Cell`, a sheet, or the file), and a solve gives a plan, those errors, or the rules that
conflict: never a traceback, never a hang. Examples are derandomised, so CI runs the same ones.
"""

from __future__ import annotations

import copy
import datetime
import re
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from tests.support.workbooks import small_workbook
from trp_opt.app.solve import solve_workbook
from trp_opt.data.errors import Infeasible, InputError, InvalidInputs
from trp_opt.data.options import SolveOptions
from trp_opt.io.outputs import bundled_input
from trp_opt.io.schema import SHEETS_BY_NAME
from trp_opt.io.validate import read_inputs

WHERE = re.compile(r"^[A-Za-z]+!(\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?|\d+:\d+)$")


def _rows_of(path: Path) -> dict[str, list[list]]:
    """Every cell value of every schema sheet, as openpyxl reads them (formulas as their text)."""
    book = load_workbook(path)
    rows = {
        ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book if ws.title in SHEETS_BY_NAME
    }
    book.close()
    return rows


BUNDLED = _rows_of(bundled_input())

VALUES = st.one_of(
    st.none(),
    st.just(""),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([-1, -0.5, 0, 1e13, 1e300, -1e300, 3.5, 2**53]),
    # Control characters cannot be written to a cell (openpyxl refuses them, as Excel does): an analyst never types one.
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(
        [
            "=1/0",
            "=A1+1",
            "=SUM(B2:B9)",
            '=HYPERLINK("http://x.invalid")',
            "+1",
            "-5",
            "@SUM(1)",
            "1,200",
            "12%",
            "1,2",
            "yes",
            "no",
            "TRUE",
            "#REF!",
            " ",
            "n/a",
            "∞",
            "1e999",
        ]
    ),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2200, 1, 1)),
)


@st.composite
def mutations(draw, rows: dict[str, list[list]], most: int = 3):
    """One to ``most`` cells changed: (sheet, row index, column index, new value); row 0 is the header."""
    changes = []
    for _ in range(draw(st.integers(1, most))):
        sheet = draw(st.sampled_from(sorted(rows)))
        height = len(rows[sheet])
        width = max(len(r) for r in rows[sheet])
        row = draw(st.integers(0, height))  # one past the end: a new row
        column = draw(st.integers(0, width))  # one past the end: a new column
        changes.append((sheet, row, column, draw(VALUES)))
    return changes


def write_mutated(rows: dict[str, list[list]], changes, path: Path) -> Path:
    """A workbook with the changes applied; strings starting with '=' become formulas, as in Excel."""
    rows = copy.deepcopy(rows)
    for sheet, row, column, value in changes:
        table = rows[sheet]
        while len(table) <= row:
            table.append([])
        while len(table[row]) <= column:
            table[row].append(None)
        table[row][column] = value
    book = Workbook()
    book.remove(book.active)
    for sheet, table in rows.items():
        ws = book.create_sheet(sheet)
        for values in table:
            ws.append(values)
    book.save(path)
    return path


def assert_located(errors: list[InputError]) -> None:
    assert errors, "InvalidInputs with no error"
    for error in errors:
        assert error.message
        if error.sheet:
            assert error.sheet in SHEETS_BY_NAME, error
            if error.cell:
                assert WHERE.match(error.where), error.where
        else:
            assert str(error)  # a file-level problem


@settings(
    max_examples=30,
    deadline=10_000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(changes=mutations(BUNDLED))
def test_validate_mutated_bundled_workbook(tmp_path, changes):
    path = write_mutated(BUNDLED, changes, tmp_path / "mutated.xlsx")
    before = path.read_bytes()
    try:
        inputs = read_inputs(path)
    except InvalidInputs as problem:
        assert_located(problem.errors)
        event("invalid")
    else:
        assert inputs.years and inputs.scenarios
        event("valid")
    assert path.read_bytes() == before


SMALL: dict[str, list[list]] = {}


def _small_rows(tmp_path_factory) -> dict[str, list[list]]:
    if not SMALL:
        SMALL.update(_rows_of(small_workbook(tmp_path_factory.mktemp("small") / "small.xlsx")))
    return SMALL


@settings(
    max_examples=12,
    deadline=30_000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_solve_mutated_small_workbook(tmp_path_factory, data):
    rows = _small_rows(tmp_path_factory)
    changes = data.draw(mutations(rows, most=2))
    folder = tmp_path_factory.mktemp("solve")
    path = write_mutated(rows, changes, folder / "mutated.xlsx")
    out = folder / "plan.xlsx"
    try:
        solution = solve_workbook(path, out, SolveOptions(time_limit=5.0))
    except InvalidInputs as problem:
        assert_located(problem.errors)
        assert not out.exists()
        event("invalid")
    except Infeasible as problem:
        assert problem.conflicts  # the rules that conflict, never a bare "infeasible"
        assert not out.exists()
        event("infeasible")
    else:
        assert out.is_file()
        event("plan")
        assert all(result.endurance >= 0 for result in solution.scenarios)
