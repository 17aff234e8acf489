"""The study commands end to end: workbooks written, reproducible, a plan read back, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.support.workbooks import add_range, cells, small_workbook
from trp_opt.cli import app
from trp_opt.io.outputs import bundled_input

runner = CliRunner()


def test_stress_command_is_reproducible_and_reads_a_plan_back(tmp_path):
    source = small_workbook(tmp_path / "small.xlsx")
    add_range(source, "Storage", "Initial stock", 2, 40, 160)
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    args = ["stress", str(source), "--samples", "5", "--seed", "3", "--workers", "1", "-q"]
    assert runner.invoke(app, args + ["-o", str(first)]).exit_code == 0
    assert runner.invoke(app, args + ["-o", str(second)]).exit_code == 0
    assert cells(first) == cells(second)

    # The plan of `solve`, read back from its Allocation sheet, is the optimum stress holds by default.
    plan = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["solve", str(source), "-o", str(plan), "-q"]).exit_code == 0
    third = tmp_path / "third.xlsx"
    result = runner.invoke(app, args + ["--plan", str(plan), "-o", str(third)])
    assert result.exit_code == 0, result.output
    ours = {k: v for k, v in cells(third).items() if k[0] != "About"}
    assert ours == {k: v for k, v in cells(first).items() if k[0] != "About"}


def test_a_plan_that_funds_nothing_is_read_back_as_no_project(tmp_path):
    # With no money solve writes "(no project funded)" where the project rows go; stress --plan must read that as
    # the empty plan, not as a stray note. The small workbook lasts 3 days with nothing (tests/support/workbooks.py).
    source = small_workbook(tmp_path / "small.xlsx")
    add_range(source, "Storage", "Initial stock", 2, 40, 160)
    plan = tmp_path / "nothing.xlsx"
    assert runner.invoke(app, ["solve", str(source), "--budget", "0", "-o", str(plan), "-q"]).exit_code == 0
    out = tmp_path / "stress.xlsx"
    args = ["stress", str(source), "--plan", str(plan), "--samples", "3", "--workers", "1", "-q", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert cells(out)["Plan", "A2"] == "(no project funded)"


def test_stress_without_ranges_is_invalid_input(tmp_path):
    source = small_workbook(tmp_path / "small.xlsx")
    result = runner.invoke(
        app, ["stress", str(source), "--samples", "2", "--workers", "1", "-q", "-o", str(tmp_path / "o.xlsx")]
    )
    assert result.exit_code == 2
    assert "nothing to stress" in result.output
    assert not (tmp_path / "o.xlsx").exists()


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_ctrl_c_stops_the_workers_and_writes_nothing(tmp_path):
    output = tmp_path / "frontier.xlsx"
    command = [
        sys.executable,
        "-m",
        "trp_opt.cli",
        "frontier",
        str(bundled_input()),
        "--from",
        "100000",
        "--to",
        "300000",
        "--steps",
        "4",
        "--workers",
        "2",
        "-o",
        str(output),
    ]
    # A shell that starts jobs in the background (as a CI runner may) has them ignore SIGINT, and
    # Python then installs no Ctrl-C handler: give the command the default disposition, as a terminal does.
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:  # wait until the pool's workers run
        time.sleep(0.5)
        workers = [
            p for p in children_of(process.pid) if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text(errors="ignore")
        ]
    assert len(workers) >= 2, "the worker processes never started"
    time.sleep(3)  # let them get into a solve
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130  # the CLI's code for an interruption, as for solve
    assert "Interrupted" in stderr and "nothing was written" in stderr
    assert "Traceback" not in stderr
    assert "Warning" not in stderr  # before: the resource tracker's 'leaked semaphore objects', every time
    assert not output.exists() and not list(tmp_path.glob(".*xlsx"))
    time.sleep(1)
    assert [
        p for p in workers if Path(f"/proc/{p}").exists() and "Z" not in Path(f"/proc/{p}/stat").read_text().split()[2]
    ] == []
    assert os.path.exists(bundled_input())


def test_stress_with_a_range_on_an_assured_import_states_its_unit(tmp_path):
    """An 'assured import' targets a carrier: its range's unit is the carrier's per day. The unit was looked up among
    the technologies (KeyError after every solve had run)."""

    def with_charter(rows) -> None:
        rows["Projects"].append(
            {"Project ID": "charter", "Name": "LNG charter", "Category": "stockpiles", "Unit cost": 40, "Max units": 1}
            | {"Lead time": 0}
        )
        rows["Effects"].append(
            {"Project ID": "charter", "Effect": "assured import", "Target ID": "lng", "Amount per unit": 5}
        )

    source = small_workbook(tmp_path / "charter.xlsx", with_charter)
    add_range(source, "Effects", "Amount per unit", 4, 2, 8)
    out = tmp_path / "stress.xlsx"
    args = ["stress", str(source), "--samples", "3", "--workers", "1", "-q", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "kt/day per unit" in cells(out).values()


def test_stress_never_writes_over_the_plan_it_reads(tmp_path):
    """`stress --plan P -o P` (or -o a link to P) would replace the plan it holds: refused before any solve."""
    source = small_workbook(tmp_path / "small.xlsx")
    add_range(source, "Storage", "Initial stock", 2, 40, 160)
    plan = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["solve", str(source), "-o", str(plan), "-q", "--no-value"]).exit_code == 0
    link = tmp_path / "link.xlsx"
    link.symlink_to(plan)
    before = plan.read_bytes()
    for output in (plan, link):
        args = ["stress", str(source), "--plan", str(plan), "--samples", "2", "--workers", "1", "-q", "-o", str(output)]
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert "would overwrite the plan workbook" in result.output
        assert plan.read_bytes() == before


def alive(pids: list[int]) -> list[int]:
    """Those of the processes that still run (a zombie has ended)."""
    return [p for p in pids if Path(f"/proc/{p}").exists() and Path(f"/proc/{p}/stat").read_text().split()[2] != "Z"]


def started_stress(tmp_path) -> tuple[subprocess.Popen, list[int]]:
    """`stress` with two workers on a long run, once its workers (and Python's resource tracker) run."""
    source = small_workbook(tmp_path / "small.xlsx")
    add_range(source, "Storage", "Initial stock", 2, 40, 160)
    command = [sys.executable, "-m", "trp_opt.cli", "stress", str(source), "--samples", "5000", "--workers", "2"]
    process = subprocess.Popen(
        [*command, "-o", str(tmp_path / "stress.xlsx")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    helpers: list[int] = []
    while time.monotonic() < deadline and len(helpers) < 3:
        time.sleep(0.3)
        helpers = [p for p in children_of(process.pid) if "multiprocessing" in Path(f"/proc/{p}/cmdline").read_text()]
    assert len(helpers) == 3, "the two workers and the resource tracker never started"
    time.sleep(1)
    return process, helpers


@pytest.mark.parametrize("sent, code", [(signal.SIGTERM, 143), (signal.SIGKILL, -signal.SIGKILL)])
def test_a_killed_study_takes_its_workers_with_it(tmp_path, sent, code):
    # Before: SIGTERM or SIGKILL left both workers and the resource tracker running under PID 1, for minutes.
    process, helpers = started_stress(tmp_path)
    process.send_signal(sent)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    if sent == signal.SIGTERM:  # stopped as Ctrl-C stops it, and said so
        assert "Stopped (SIGTERM); nothing was written" in stderr and "Traceback" not in stderr
    deadline = time.monotonic() + 10
    while alive(helpers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert alive(helpers) == []
    assert not (tmp_path / "stress.xlsx").exists()


def test_alternatives_name_projects_in_the_terminal(tmp_path):
    """'Must fund: tank, fill' read as code: the terminal names the projects as the workbook does."""
    source = small_workbook(tmp_path / "in.xlsx")
    arguments = ["alternatives", str(source), "--workers", "1", "--within", "50", "-o", str(tmp_path / "alt.xlsx")]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    must = next(line for line in result.output.splitlines() if "Must fund:" in line)
    assert "LNG tank" in must and "tank," not in must


def test_an_optimum_with_no_alternative_calls_nothing_must_fund(tmp_path):
    # The small workbook at 5 %: every plan must last 11 days, and the only other one (a second tank, NT$ 50 M more)
    # lasts no longer: dropped. The optimum alone called its every project 'must fund', as if alternatives had been
    # compared; the terminal and the sheet now say there is none to compare.
    source = small_workbook(tmp_path / "in.xlsx")
    out = tmp_path / "alt.xlsx"
    result = runner.invoke(app, ["alternatives", str(source), "--workers", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "No alternative to offer: the optimum stands alone" in result.output
    assert "Must fund" not in result.output and "1 plan found was dropped" in result.output
    verdicts = {row[0]: row[3] for row in load_workbook(out)["Projects"].iter_rows(min_row=2, values_only=True)}
    assert verdicts == dict.fromkeys(["fill", "tank"], "in the optimum (no alternative to set it against)")
