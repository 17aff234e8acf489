"""`trp-opt compare`: read the base and the proposal, answer the comparison's questions, write its workbook."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from trp_opt.analysis.compare import Comparison, compare_proposal
from trp_opt.data.options import SolveOptions
from trp_opt.io.outputs import check_output, file_sha256, refuse_overwriting, replacing
from trp_opt.io.proposal import read_proposal
from trp_opt.reports.compare import write_comparison_workbook


def compare_workbooks(
    base_path: Path,
    proposal_path: Path,
    output_path: Path,
    options: SolveOptions,
    step: float | None = None,
    value: bool = True,
    progress: Callable[[str], None] = lambda _: None,
    create_folder: bool = False,
) -> Comparison:
    """Compare and write the comparison workbook atomically; nothing is written if any step fails.
    Raises InvalidInputs, Infeasible, SolverFailure or OutputError (the output is checked before any solve)."""
    refuse_overwriting(
        output_path, {f"the input {base_path.name}": base_path, f"the input {proposal_path.name}": proposal_path}
    )
    start = time.perf_counter()
    progress(f"Reading {base_path.name} and the proposal {proposal_path.name}")
    # Hashes of the bytes read, taken before reading (a file replaced during the solves is not what was read).
    base_sha256, proposal_sha256 = file_sha256(base_path), file_sha256(proposal_path)
    proposal = read_proposal(proposal_path, base_path)
    read_seconds = time.perf_counter() - start
    check_output(output_path, create_folder)
    comparison = compare_proposal(proposal, options, step, value, progress)
    comparison.timings = {"read": read_seconds, **comparison.timings}
    comparison.base_file = str(base_path)
    comparison.base_sha256, comparison.proposal_sha256 = base_sha256, proposal_sha256
    comparison.options = {
        "objective": options.objective,
        "time limit": f"{options.time_limit:g} s" if options.time_limit is not None else "none",
        "gap": f"{options.gap:g}",
        "threads": str(options.threads),
        "formulation": options.formulation,
        "value of money": "yes" if value else "no (--no-value)",
    }
    start = time.perf_counter()
    progress(f"Writing {output_path}")
    replacing(output_path, lambda path: write_comparison_workbook(comparison, path))
    comparison.timings["write"] = time.perf_counter() - start
    return comparison
