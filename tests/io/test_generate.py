"""`trp-opt generate`: a valid random instance shaped like the bundled one, the same for the same seed."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from trp_opt.cli import app
from trp_opt.io.generate import generate_rows
from trp_opt.io.outputs import bundled_input
from trp_opt.io.validate import read_inputs

runner = CliRunner()


def sheets(path):
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}


def test_generate_writes_a_valid_instance_of_the_asked_size(tmp_path):
    out = tmp_path / "gen.xlsx"
    result = runner.invoke(
        app,
        ["generate", str(out), "--projects", "12", "--scenarios", "4", "--days", "30", "--years", "3", "--seed", "7"],
    )
    assert result.exit_code == 0, result.output
    inputs = read_inputs(out)
    assert len(inputs.projects) == 12 and len(inputs.scenarios) == 4 and len(inputs.years) == 3
    assert {s.horizon for s in inputs.scenarios.values()} == {30}
    # Spread over the bundled list, even 12 projects take every category of the bundled ones.
    bundled = read_inputs(bundled_input())
    assert {p.category for p in inputs.projects.values()} == {p.category for p in bundled.projects.values()}
    # Every data row says it is generated, and from which seed.
    for name, rows in sheets(out).items():
        if name == "README":
            continue
        source = rows[0].index("Source")
        assert all("generated (seed 7)" in row[source] for row in rows[1:]), name


def test_same_seed_same_instance_other_seed_other_instance(tmp_path):
    first = generate_rows(10, 3, 20, 2, seed=3)
    assert generate_rows(10, 3, 20, 2, seed=3) == first
    assert generate_rows(10, 3, 20, 2, seed=4) != first


def test_generate_refuses_to_overwrite(tmp_path):
    out = tmp_path / "gen.xlsx"
    out.write_bytes(b"keep")
    result = runner.invoke(app, ["generate", str(out)])
    assert result.exit_code == 2 and out.read_bytes() == b"keep"


@pytest.mark.parametrize("days", [1, 7, 14])
def test_short_horizons_still_give_a_valid_instance(tmp_path, days):
    # Squeezing the bundled events into a few days made two events on one target share a day
    # (ScenarioEvents!D34: days 1–7 overlap ... 'intl_cables'), which validation then refused.
    out = tmp_path / "short.xlsx"
    result = runner.invoke(app, ["generate", str(out), "--scenarios", "3", "--days", str(days), "--seed", str(days)])
    assert result.exit_code == 0, result.output
    inputs = read_inputs(out)
    assert {s.horizon for s in inputs.scenarios.values()} == {days}
