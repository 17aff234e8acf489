"""Where inputs are found and outputs go: one policy for every command.

- With no INPUT, a command reads a bundled workbook (in the source tree, or inside the installed wheel).
- With no ``-o``, the output goes to ``outputs/<input name>-<kind>.xlsx``; that default folder is
  created when missing, a folder the analyst typed is not (a missing one is likely a typo).
- Every output is checked before any solving (``check_output``): never over an input, the folder
  exists and accepts files, an existing file can be replaced (not open in Excel). The writing itself
  is atomic (trp_opt.io.excel.save_atomically).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from trp_opt.data.errors import OutputError

BUNDLED_NAME = "taiwan_baseline.xlsx"
BUNDLED_STRESS_NAME = "taiwan_stress.xlsx"  # the bundled workbook with sourced low/high ranges
OUTPUTS = Path("outputs")


def bundled(name: str) -> Path:
    """A bundled workbook: in the source tree, or inside the installed wheel."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent / "inputs" / name, package / "bundled_inputs" / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"the bundled workbook {name} is missing from this installation")


def bundled_input() -> Path:
    """The bundled Taiwan workbook, the default input of every command."""
    return bundled(BUNDLED_NAME)


def bundled_stress_input() -> Path:
    """The bundled workbook with ranges: the default input of `trp-opt stress`."""
    return bundled(BUNDLED_STRESS_NAME)


def default_output(input_path: Path, kind: str, changed: Sequence[str] = ()) -> Path:
    """``outputs/<input name>-<kind>.xlsx``, e.g. kind 'plan', 'compare', 'frontier'; with what the command changed
    from the workbook's own question after it (``changed``: 'budget-120000', 'expected'), so that `solve --budget X`
    does not replace the plan of the workbook's budget."""
    return OUTPUTS / ("-".join([input_path.stem, kind, *changed]) + ".xlsx")


def plan_changes(budget: float | None, objective: str, target: int | None, proposal: Path | None) -> list[str]:
    """What a `solve` asks beyond the workbook's own question, as words for its default output's name."""
    changed = [] if objective == "maxmin" else [objective]
    if target is not None:
        changed.append(f"target-{target}")
    if budget is not None:
        changed.append(f"budget-{budget:.12g}")
    if proposal is not None:
        changed.append(f"proposal-{proposal.stem}")
    return changed


def diagnosis_path(plan_path: Path) -> Path:
    """Where the explanation of 'no plan' goes: beside the plan's path, never at it."""
    return plan_path.with_name(f"{plan_path.stem}-diagnosis.xlsx")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def refuse_overwriting(output_path: Path, read: Mapping[str, Path | None]) -> None:
    """An output never replaces a workbook the command reads (``read``: what each is called -> its path)."""
    for called, source in read.items():
        if source is not None and output_path.resolve() == source.resolve():
            raise ValueError(f"the output {output_path} would overwrite {called}; choose another path with -o")


def require_workbook_name(output_path: Path) -> None:
    """trp-opt writes Excel workbooks only: an output named otherwise (plan.csv) would be a workbook by another
    name, which the program that opens it by its name then misreads."""
    if output_path.suffix.lower() != ".xlsx":
        raise OutputError(
            f"the output {output_path.name} does not end in .xlsx; trp-opt writes Excel workbooks only, so name "
            f"it, for example, {output_path.with_suffix('.xlsx').name} (Excel and LibreOffice can save it as CSV)"
        )


def check_output(output_path: Path, create_folder: bool = False, workbook: bool = True) -> None:
    """Refuse, before any solving, an output that could not be written.

    The folder must exist (``create_folder`` makes it: for the default outputs/ folder, not for a
    folder the analyst typed, where a missing one is likely a typo) and accept new files; an existing
    file must be replaceable (on Windows a workbook open in Excel is locked). ``workbook``: the output is
    an Excel workbook, so its name must end in .xlsx (not so for --write-model's .mps or .lp).
    """
    longest = _longest_name(output_path.parent)
    if len(os.fsencode(output_path.name)) > longest:
        raise OutputError(
            f"the file name {output_path.name[:40]}… is {len(os.fsencode(output_path.name))} bytes long; file names "
            f"here are at most {longest} bytes. Choose a shorter name with -o"
        )
    if output_path.is_dir():
        raise OutputError(f"the output {output_path} is a folder; name a file in it, e.g. {output_path / 'plan.xlsx'}")
    if workbook:
        require_workbook_name(output_path)
    folder = output_path.parent
    if not folder.exists() and create_folder:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as problem:
            raise OutputError(
                f"cannot create the folder {folder} for the plan ({problem.strerror or problem})"
            ) from None
    if not folder.exists():
        raise OutputError(f"the folder {folder} does not exist; create it, or choose another path with -o")
    if not folder.is_dir():
        raise OutputError(f"{folder} is not a folder, so {output_path} cannot be written")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as problem:
        raise OutputError(
            f"cannot write in the folder {folder} ({problem.strerror or problem}); choose another path with -o"
        ) from None
    if output_path.exists():
        try:
            open(output_path, "r+b").close()
        except OSError as problem:
            raise OutputError(
                f"cannot replace {output_path} ({problem.strerror or problem}); is it open in Excel? "
                "Close it, or choose another path with -o"
            ) from None


def _longest_name(folder: Path) -> int:
    """The longest file name, in bytes, that the folder's file system takes (255 where it cannot say)."""
    try:
        return os.pathconf(folder if folder.exists() else ".", "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):
        return 255


def replacing(output_path: Path, write) -> None:
    """Write with ``write(output_path)``; a file locked meanwhile (opened in Excel while the solver
    ran) is an OutputError naming the path, and the earlier file stays as it was."""
    existed = output_path.exists()
    try:
        write(output_path)
    except PermissionError as problem:
        kept = f"; the earlier {output_path.name} is unchanged" if existed else ""
        raise OutputError(
            f"cannot replace {output_path} ({problem.strerror or problem}); is it open in Excel? "
            f"Close it and run again{kept}"
        ) from None
