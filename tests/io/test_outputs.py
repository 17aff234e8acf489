"""Writing an output when the file system says no: a full disk, a name at the system's limit."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.workbooks import small_workbook, stockpiles_floor_beyond_reach
from trp_opt.cli import app
from trp_opt.io.excel import EXCEL_CELL_CHARACTERS, within_a_cell

runner = CliRunner()


@pytest.fixture
def full_disk(tmp_path):
    """An 8 KiB file system, too small for a plan workbook (root only: it is mounted for the test)."""
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_is_one_message_naming_the_output_and_no_traceback(tmp_path, full_disk):
    # Before: the right message, then openpyxl's zip file, left open by the failed save, failed again
    # when closed at exit and printed a traceback ('Exception ignored in: <function ZipFile.__del__>').
    source = small_workbook(tmp_path / "in.xlsx")
    plan = full_disk / "plan.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "trp_opt.cli", "solve", str(source), "-q", "-o", str(plan)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: cannot write {plan} (No space left on device). Nothing was written."
    assert list(full_disk.iterdir()) == []  # nor a temporary file


def test_an_output_name_of_255_bytes_is_written_and_a_longer_one_refused_before_solving(tmp_path):
    # Before: a 255-byte name passed the checks and failed at the write (the temporary file's name, longer
    # still, was too long); now it is written, and a longer one is refused at the option.
    source = small_workbook(tmp_path / "in.xlsx")
    longest = tmp_path / ("p" * 250 + ".xlsx")
    result = runner.invoke(app, ["solve", str(source), "-q", "--no-value", "-o", str(longest)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(longest).sheetnames
    too_long = tmp_path / ("q" * 252 + ".xlsx")
    result = runner.invoke(app, ["solve", str(source), "-q", "-o", str(too_long)])
    assert result.exit_code == 1
    assert "is 257 bytes long; file names here are at most 255 bytes" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in.xlsx", longest.name])


def test_no_cell_written_holds_more_than_excel_can(tmp_path):
    # Names as long as a cell allows were written into longer sentences (Summary, Days per project), which
    # Excel refuses to open without "repairing" the workbook; such text is now cut, and says so.
    def long_names(rows):
        rows["Projects"][0]["Name"] = "T" * EXCEL_CELL_CHARACTERS
        rows["Scenarios"][0]["Name"] = "S" * EXCEL_CELL_CHARACTERS

    source = small_workbook(tmp_path / "in.xlsx", long_names)
    plan = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["solve", str(source), "-q", "-o", str(plan)]).exit_code == 0
    lengths = [
        len(cell.value)
        for ws in openpyxl.load_workbook(plan)
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert max(lengths) <= EXCEL_CELL_CHARACTERS


def test_text_longer_than_a_cell_is_cut_and_says_so():
    text = within_a_cell("x" * 40_000)
    assert len(text) == EXCEL_CELL_CHARACTERS
    assert text.endswith(" … (cut: 40,000 characters in all)")
    assert within_a_cell("short") == "short"


def test_a_full_disk_still_prints_the_diagnosis(tmp_path, full_disk):
    # Before: 'cannot write …-diagnosis.xlsx … Nothing was written.' (exit 1), and which rule conflicts, and by how
    # much, was never shown. The diagnosis is printed whether or not its workbook can be written.
    source = small_workbook(tmp_path / "in.xlsx", stockpiles_floor_beyond_reach)
    filler = full_disk / "filler"
    with open(filler, "wb", buffering=0) as handle:  # every byte taken: not even the small diagnosis workbook fits
        try:
            while True:
                handle.write(b"\0" * 512)
        except OSError:
            pass
    plan = full_disk / "plan.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "trp_opt.cli", "solve", str(source), "-q", "-o", str(plan)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 3, result.stderr
    assert "Policy!E3: the stockpiles" in result.stderr  # the floor's cell: the conflict itself is printed
    assert (
        "No plan was written, nor this diagnosis as a workbook: cannot write "
        f"{full_disk / 'plan-diagnosis.xlsx'} (No space left on device)."
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert list(full_disk.iterdir()) == [filler]
