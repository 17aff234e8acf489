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
from trp_opt.reports.league import write_league_workbook
from trp_opt.solve.choose import choose_plan
from trp_opt.solve.parallel import Answered


def compare_workbooks(
    base_path: Path,
    proposal_path: Path,
    output_path: Path,
    options: SolveOptions,
    step: float | None = None,
    value: bool = True,
    progress: Callable[[str], None] = lambda _: None,
    create_folder: bool = False,
    answered: Answered | None = None,
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
    comparison = compare_proposal(proposal, options, step, value, progress, answered=answered)
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


def league_workbooks(
    base_path: Path,
    proposal_paths: list[Path],
    output_path: Path,
    options: SolveOptions,
    progress: Callable[[str], None] = lambda _: None,
    create_folder: bool = False,
    answered: Answered | None = None,
) -> list[Comparison]:
    """Several proposals against one base: each compared with today's plan and with its money's best use (no
    figure lifted, no explaining sheets: the league is about their days), one league table written atomically.
    Every proposal is read and checked before any solve."""
    refuse_overwriting(output_path, {f"the input {path.name}": path for path in [base_path, *proposal_paths]})
    proposals = [read_proposal(path, base_path) for path in proposal_paths]
    check_output(output_path, create_folder)
    progress("Today's plan: the base workbook's own optimum")
    today = choose_plan(proposals[0].base, options, progress, answered=answered)
    comparisons = []
    for index, proposal in enumerate(proposals, start=1):
        progress(f"Proposal {index} of {len(proposals)}: {proposal.path.name}")
        comparisons.append(
            compare_proposal(
                proposal,
                options,
                value=False,
                progress=progress,
                lifts_asked=False,
                today_chosen=today,
                answered=answered,
            )
        )
    progress(f"Writing {output_path}")
    replacing(output_path, lambda path: write_league_workbook(comparisons, base_path.name, path))
    return comparisons
