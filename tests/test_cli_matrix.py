"""Every command with each of its main options: exit 0 and a workbook that opens.

One row per combination, so that a combination that crashes shows up by name. The default run uses the
small workbook of tests/support/workbooks.py (a second or two each); the bundled workbook's rows, ten
seconds and more each, are in the slow tier (``pytest --slow``).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.workbooks import add_range, small_workbook
from trp_opt.cli import app
from trp_opt.io import schema
from trp_opt.io.outputs import bundled_input
from trp_opt.io.template import write_input_workbook

runner = CliRunner()

# (name, arguments): {base} is the input workbook, {proposal} a proposal for it, {plan} a plan workbook
# written by solve, {out} the output; a row whose output is not {out} names what it writes itself.
COMBINATIONS = [
    ("solve", ["solve", "{base}"]),
    ("solve budget 0", ["solve", "{base}", "--budget", "0"]),
    ("solve budget larger", ["solve", "{base}", "--budget", "500"]),
    ("solve expected", ["solve", "{base}", "--objective", "expected"]),
    ("solve target", ["solve", "{base}", "--objective", "target", "--target", "5"]),
    ("solve proposal", ["solve", "{base}", "--proposal", "{proposal}"]),
    ("solve reference", ["solve", "{base}", "--formulation", "reference"]),
    ("solve threads 2", ["solve", "{base}", "--threads", "2"]),
    ("solve write model lp", ["solve", "{base}", "--write-model", "{folder}/model.lp"]),
    ("solve write model mps", ["solve", "{base}", "--write-model", "{folder}/model.mps"]),
    ("solve no value", ["solve", "{base}", "--no-value"]),
    ("solve step", ["solve", "{base}", "--step", "25"]),
    ("solve gap and time limit", ["solve", "{base}", "--gap", "0.01", "--time-limit", "60"]),
    (
        "solve expected reference no value",
        ["solve", "{base}", "--objective", "expected", "--formulation", "reference", "--no-value"],
    ),
    ("compare", ["compare", "{base}", "{proposal}"]),
    ("compare no value", ["compare", "{base}", "{proposal}", "--no-value"]),
    ("compare expected", ["compare", "{base}", "{proposal}", "--objective", "expected"]),
    ("compare reference", ["compare", "{base}", "{proposal}", "--formulation", "reference", "--no-value"]),
    ("compare threads 2", ["compare", "{base}", "{proposal}", "--threads", "2", "--no-value"]),
    ("frontier", ["frontier", "{base}", "--from", "0", "--to", "200", "--steps", "3", "--workers", "1"]),
    ("alternatives", ["alternatives", "{base}", "--count", "2", "--workers", "1"]),
    ("alternatives within", ["alternatives", "{base}", "--count", "3", "--within", "50", "--workers", "1"]),
    ("stress", ["stress", "{base}", "--samples", "3", "--workers", "1"]),
    ("stress plan", ["stress", "{base}", "--plan", "{plan}", "--samples", "3", "--workers", "1"]),
    ("stress reoptimise", ["stress", "{base}", "--samples", "2", "--reoptimise", "--workers", "1"]),
    ("template", ["template", "{out}"]),
    ("template proposal", ["template", "--proposal", "{out}"]),
    ("generate", ["generate", "{out}", "--projects", "4", "--scenarios", "2", "--days", "10", "--years", "2"]),
]
WRITES_NO_OUTPUT_OPTION = {"template", "template proposal", "generate"}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("matrix")
    base = small_workbook(folder / "base.xlsx")
    add_range(base, "Storage", "Initial stock", 2, 40, 160)  # something for stress to draw
    proposal = folder / "proposal.xlsx"
    write_input_workbook(
        proposal,
        {"Budget": [{"Amount": 150}], "Projects": [{"Project ID": "tank", "Units": 1}]},
        money_unit="NT$ million",
        sheets=schema.PROPOSAL_SHEETS,
    )
    plan = folder / "plan.xlsx"
    assert runner.invoke(app, ["solve", str(base), "-q", "--no-value", "-o", str(plan)]).exit_code == 0
    return {"base": base, "proposal": proposal, "plan": plan}


def run(name: str, arguments: list[str], files: dict[str, Path], folder: Path) -> None:
    out = folder / "out.xlsx"
    words = [a.format(out=out, folder=folder, **files) for a in arguments]
    if name not in WRITES_NO_OUTPUT_OPTION:
        words += ["-o", str(out), "--quiet"]
    result = runner.invoke(app, words)
    assert result.exit_code == 0, (name, result.output, result.exception)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames, name
    for path in folder.iterdir():  # no temporary file left beside what was written
        assert not path.name.startswith("."), path


@pytest.mark.parametrize("name, arguments", COMBINATIONS, ids=[name for name, _ in COMBINATIONS])
def test_every_command_and_option_on_the_small_workbook(small, tmp_path, name, arguments):
    run(name, arguments, small, tmp_path)


# The sheets that explain a plan take three minutes on the bundled workbook (issue 15): 'solve' and 'compare' write
# them; the other rows leave them out, their options being what the row is about (the small workbook's rows above,
# and tests/analysis, write them under every objective and formulation).
BUNDLED = [
    ("solve", ["solve"]),
    ("solve budget 0", ["solve", "--budget", "0"]),
    ("solve expected", ["solve", "--objective", "expected", "--no-value"]),
    ("solve threads 2", ["solve", "--threads", "2", "--no-value"]),
    ("solve write model", ["solve", "--write-model", "{folder}/model.mps", "--no-value"]),
    ("solve proposal", ["solve", "--proposal", "{proposal}", "--no-value"]),
    ("compare", ["compare", "{proposal}"]),
    ("stress", ["stress", "--samples", "4", "--workers", "1"]),
]


@pytest.mark.slow
@pytest.mark.parametrize("name, arguments", BUNDLED, ids=[name for name, _ in BUNDLED])
def test_every_command_on_the_bundled_workbook(tmp_path, name, arguments):
    proposal = bundled_input().with_name("legislature_proposal_example.xlsx")
    run(name, arguments, {"proposal": proposal}, tmp_path)
