"""Errors an analyst sees. Each maps to one exit code of the command line."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trp_opt.data.inputs import Inputs

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_INVALID_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_INTERRUPTED = 130  # Ctrl-C: the shell's convention, 128 + SIGINT
EXIT_STOPPED = 143  # SIGTERM (kill): 128 + SIGTERM


@dataclass(frozen=True)
class InputError:
    """One problem in one cell (or one sheet, when ``cell`` is empty)."""

    sheet: str
    cell: str  # e.g. "B7"; "" when the problem is the sheet or the file itself
    message: str  # what is wrong, in the analyst's words
    got: str | None = None  # the bad value as written
    expected: str | None = None  # what would be valid
    file: str = ""  # the workbook's file name, when a command reads two (a proposal and its base)

    @property
    def where(self) -> str:
        if not self.sheet:
            return ""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.file and not self.message.startswith(self.file):  # a file's own problem names it already
            text = f"{self.file}: {text}"
        details = []
        if self.got is not None:
            details.append(f"got {self.got}")
        if self.expected is not None:
            details.append(f"expected {self.expected}")
        return f"{text} ({', '.join(details)})" if details else text


class InvalidInputs(Exception):
    """The workbook cannot be used; every problem found is listed."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def in_file(self, name: str) -> InvalidInputs:
        """The same problems, each saying which workbook it is in (when a command reads two)."""
        return InvalidInputs([dataclasses.replace(error, file=error.file or name) for error in self.errors])


class Infeasible(Exception):
    """No plan satisfies every rule; ``conflicts`` says which rules, in the analyst's words."""

    def __init__(self, summary: str, conflicts: list[str], rows: Sequence[Mapping[str, object]] | None = None) -> None:
        self.summary = summary
        self.conflicts = list(conflicts)
        self.rows = list(rows or [])  # one dict per conflicting rule, for the Diagnosis sheet
        self.diagnosis_path: Path | None = None  # set when a Diagnosis workbook was written
        self.diagnosis_unwritten: str | None = None  # why the Diagnosis workbook could not be written, if it could not
        super().__init__("\n".join([summary, *conflicts]))


class NoPlan(Infeasible):
    """The solver proved that no plan satisfies every rule of these inputs, and says no more: which
    rules conflict is the diagnosis's question (trp_opt.analysis.diagnosis.explained), asked by the
    workflow that needs the answer, so that a study that only counts feasible budgets never pays for it."""

    def __init__(self, inputs: Inputs, targets: Mapping[str, int], beyond_reach: Sequence[str] = ()) -> None:
        super().__init__("No plan satisfies every rule.", [])
        self.inputs = inputs
        self.targets = dict(targets)  # days per scenario under the 'target' objective, else empty
        # Scenarios whose target no plan reaches even with the others asked for nothing: the diagnosis names them
        # without the elastic model (minutes on the bundled workbook).
        self.beyond_reach = tuple(beyond_reach)


class SolverFailure(Exception):
    """The solver stopped without a usable plan for a reason other than infeasibility."""


class OutputError(Exception):
    """The plan cannot be written where asked (folder missing, not writable, file locked); names the path."""
