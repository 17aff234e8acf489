"""The studies' workflows: read the workbook, run the study's solves on an executor, write its workbook.
The output is checked before any solve (trp_opt.io.outputs), as for every command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from trp_opt.analysis.diagnosis import explained
from trp_opt.data.errors import NoPlan
from trp_opt.data.inputs import Inputs
from trp_opt.data.money import money_text
from trp_opt.data.options import SolveOptions
from trp_opt.io.outputs import check_output, refuse_overwriting, replacing
from trp_opt.io.plans import read_plan
from trp_opt.io.ranges import read_inputs_and_ranges
from trp_opt.io.validate import read_inputs
from trp_opt.reports.studies import write_alternatives_workbook, write_frontier_workbook, write_stress_workbook
from trp_opt.studies.alternatives import AlternativesResult, alternatives
from trp_opt.studies.executor import Executor, Progress
from trp_opt.studies.frontier import FrontierResult, frontier
from trp_opt.studies.stress import StressResult, stress

Message = Callable[[str], None]


def _read(source: Path, destination: Path, create_folder: bool) -> Inputs:
    refuse_overwriting(destination, {"the input workbook": source})
    inputs = read_inputs(source)
    check_output(destination, create_folder)
    return inputs


def frontier_workbook(
    source: Path,
    destination: Path,
    low: float | None,
    high: float | None,
    steps: int,
    executor: Executor,
    message: Message,
    advance: Progress,
    options: SolveOptions,
    create_folder: bool = False,
) -> tuple[FrontierResult, Inputs]:
    """`trp-opt frontier`: the optimum at ``steps`` budgets from low to high, written to ``destination``.
    Without ``low``, from 0; without ``high``, to twice the workbook's budget (or, with none, to what every
    unit of every project costs)."""
    inputs = _read(source, destination, create_folder)
    low = 0.0 if low is None else low
    if high is None:
        high = 2 * inputs.spend_limit() if inputs.spend_limit() > 0 else inputs.most_spend
    if high <= low:
        raise ValueError(
            f"--to ({money_text(high, inputs.currency)}) must be above --from ({money_text(low, inputs.currency)}); "
            "give both"
        )
    message(f"Solving at {steps} budget levels")
    result = frontier(inputs, low, high, steps, executor, options, advance)
    message(f"Writing {destination}")
    replacing(destination, lambda path: write_frontier_workbook(result, inputs, source, path, executor.description))
    return result, inputs


def alternatives_workbook(
    source: Path,
    destination: Path,
    count: int,
    within: float,
    time_limit: float | None,
    executor: Executor,
    message: Message,
    advance: Progress,
    options: SolveOptions,
    create_folder: bool = False,
    max_cost: float | None = None,
) -> AlternativesResult:
    """`trp-opt alternatives`: up to ``count`` plans within ``within`` % of the best worst case, each costing at most
    ``max_cost`` when given."""
    inputs = _read(source, destination, create_folder)
    try:
        result = alternatives(inputs, count, within, executor, options, message, advance, time_limit, max_cost)
    except NoPlan as problem:
        raise explained(problem, options) from None
    message(f"Writing {destination}")
    replacing(destination, lambda path: write_alternatives_workbook(result, inputs, source, path, executor.description))
    return result


def stress_workbook(
    source: Path,
    destination: Path,
    plan_path: Path | None,
    samples: int,
    seed: int,
    reoptimise: bool,
    executor: Executor,
    message: Message,
    advance: Progress,
    options: SolveOptions,
    create_folder: bool = False,
) -> tuple[StressResult, Inputs]:
    """`trp-opt stress`: the plan (read from ``plan_path``, or the optimum) under ``samples`` draws."""
    refuse_overwriting(destination, {"the input workbook": source, "the plan workbook": plan_path})
    inputs, ranges = read_inputs_and_ranges(source)
    held = read_plan(plan_path, inputs) if plan_path is not None else None
    check_output(destination, create_folder)
    try:
        result = stress(
            inputs,
            ranges,
            samples,
            seed,
            executor,
            held,
            f"read from {plan_path}" if plan_path else "",
            reoptimise,
            options,
            message,
            advance,
        )
    except NoPlan as problem:
        raise explained(problem, options) from None
    message(f"Writing {destination}")
    replacing(destination, lambda path: write_stress_workbook(result, inputs, source, path, executor.description))
    return result, inputs
