"""`trp-opt solve`, one way through: workbook → validated inputs → plan → explanation → report."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from trp_opt.analysis.diagnosis import explained
from trp_opt.analysis.explanation import explain_plan
from trp_opt.analysis.price import more_days as price_more_days
from trp_opt.analysis.value import value_of_money
from trp_opt.analysis.why import why_this_plan
from trp_opt.data.errors import Infeasible, OutputError
from trp_opt.data.explanations import MoreDays, ValueOfMoney
from trp_opt.data.money import money_text
from trp_opt.data.options import SolveOptions, with_deadline
from trp_opt.data.solution import Solution
from trp_opt.data.transforms import with_budget
from trp_opt.io.outputs import check_output, diagnosis_path, file_sha256, refuse_overwriting, replacing
from trp_opt.io.proposal import read_proposal
from trp_opt.io.validate import read_inputs
from trp_opt.reports.diagnosis import write_diagnosis_workbook
from trp_opt.reports.plan import write_plan_workbook
from trp_opt.solve.choose import choose_plan
from trp_opt.solve.parallel import Answered


def write_diagnosis(
    problem: Infeasible, input_path: Path, input_sha256: str, output_path: Path, read: Mapping[str, Path | None]
) -> None:
    """Why there is no plan, as a workbook beside the plan's path (never at it: an earlier plan stays),
    unless that name is a workbook the command reads (``read``): the explanation is printed in any case."""
    path = diagnosis_path(output_path)
    if any(source is not None and path.resolve() == source.resolve() for source in read.values()):
        return
    try:
        write_diagnosis_workbook(problem, input_path, input_sha256, path)
    except (OSError, OutputError) as failure:  # a full disk, say: the explanation is printed in any case
        problem.diagnosis_unwritten = (
            str(failure) if isinstance(failure, OutputError) else f"cannot write {path} ({failure.strerror or failure})"
        )
        return
    problem.diagnosis_path = path


def solve_workbook(
    input_path: Path,
    output_path: Path,
    options: SolveOptions,
    budget: float | None = None,
    progress: Callable[[str], None] = lambda _: None,
    proposal: Path | None = None,
    value: bool = True,
    step: float | None = None,
    create_folder: bool = False,
    plan_ready: Callable[[Solution], None] = lambda _: None,
    answered: Answered | None = None,
    more_days: int | None = None,
) -> Solution:
    """Read, solve, explain and write. Raises InvalidInputs, Infeasible, SolverFailure or
    OutputError; writes nothing unless every step succeeded, and never a partial file (a
    KeyboardInterrupt at any point leaves any earlier file at ``output_path`` as it was).

    ``proposal``: a proposal workbook imposed as written on the input (question 1 of
    `trp-opt compare`). ``value``: add the sheets that explain the plan (the days lost per
    dropped project, limits, unfunded projects, the price of the next day, and a re-solve at budget +
    ``step`` when a step is given). ``plan_ready``: told the plan, its days and what fails first as soon as they are
    proven, before the explaining sheets (the terminal shows them at once); ``answered(done, asked)``: the
    questions answered, part by part (each scenario's best weighted days, each scenario explained, the explaining
    sheets' questions: analysis.why.why_this_plan), for a progress bar. ``more_days``: also
    what that many more days in the worst case cost (analysis.price.more_days), with or without ``value``."""
    workbooks_read: dict[str, Path | None] = {"the input workbook": input_path, "the proposal workbook": proposal}
    refuse_overwriting(output_path, workbooks_read)
    if options.write_model is not None:
        refuse_overwriting(options.write_model, {**workbooks_read, "the plan": output_path})
    timings: dict[str, float] = {}
    start = time.perf_counter()
    progress(f"Reading {input_path.name}")
    # The hash of the bytes read, taken before reading: a file replaced while the solver runs is not it.
    input_sha256 = file_sha256(input_path)
    proposal_notes: list[str] = []
    if proposal is not None:
        progress(f"Reading the proposal {proposal.name}")
        imposed = read_proposal(proposal, input_path)
        inputs = imposed.as_written()
        proposal_notes.append(f"The proposal {proposal.name} as written: budget {imposed.budget_words}.")
        proposal_notes += [f"Imposed: {figure.words} ({figure.cell})." for figure in imposed.figures]
        proposal_notes += [f"Override {note}." for note in imposed.overrides]
    else:
        inputs = read_inputs(input_path)
    if file_sha256(input_path) != input_sha256:
        raise ValueError(f"the input {input_path} changed while it was being read; run again once it is saved")
    if budget is not None:
        inputs = with_budget(inputs, budget)
    timings["read"] = time.perf_counter() - start
    check_output(output_path, create_folder)
    if options.write_model is not None:
        check_output(options.write_model, workbook=False)

    try:
        chosen = choose_plan(inputs, options, progress, answered=answered)
    except Infeasible as no_plan:
        problem = explained(no_plan, options)
        if proposal is not None:
            problem = Infeasible(
                f"The proposal {proposal.name} cannot be carried out as written. {problem.summary}",
                problem.conflicts,
                problem.rows,
            )
        write_diagnosis(problem, input_path, input_sha256, output_path, workbooks_read)
        raise problem from None
    timings["build"] = chosen.build_seconds
    timings["solve"] = chosen.solve_seconds

    start = time.perf_counter()
    plan_explained = explain_plan(inputs, chosen, options, progress, answered)
    timings["explain"] = time.perf_counter() - start
    plan_ready(plan_explained)
    money_value, why = None, None
    if value:
        # --time-limit bounds the solve, and the same again for all the sheets that explain it together.
        explaining = with_deadline(options)
        start = time.perf_counter()
        label = "the proposal as written" if proposal is not None else "the plan"
        money_value = value_of_money(inputs, chosen, explaining, step, label, progress)
        timings["value of money"] = time.perf_counter() - start
        why = why_this_plan(inputs, chosen, explaining, timings, progress, answered)
    more: MoreDays | None = None
    if more_days is not None:
        start = time.perf_counter()
        progress(f"What {more_days} more days in the worst case cost, day by day")
        more = price_more_days(
            inputs,
            chosen.plan,
            chosen.endurance,
            with_deadline(options),
            more_days,
            chosen.block_starts,
            answered=answered,
        )
        timings["more days"] = time.perf_counter() - start

    solution = dataclasses.replace(
        plan_explained,
        notes=proposal_notes + plan_explained.notes,
        value=money_value,
        limits=why.limits if why is not None else None,
        unfunded=why.unfunded if why is not None else None,
        prices=why.prices if why is not None else None,
        more_days=more,
        timings=timings,
        input_file=str(input_path),
        input_sha256=input_sha256,
        options=_options_in_words(options, budget, inputs.currency, proposal, money_value),
    )
    start = time.perf_counter()
    progress(f"Writing {output_path}")
    replacing(output_path, lambda path: write_plan_workbook(solution, path))
    timings["write"] = time.perf_counter() - start
    return solution


def _options_in_words(
    options: SolveOptions, budget: float | None, currency: str, proposal: Path | None, money_value: ValueOfMoney | None
) -> dict[str, str]:
    """The options of the run, for the Diagnostics sheet."""
    return {
        "objective": options.objective,
        "budget": money_text(budget, currency) if budget is not None else "as in the workbook",
        "time limit": f"{options.time_limit:g} s" if options.time_limit is not None else "none",
        "gap": f"{options.gap:g}",
        "threads": str(options.threads),
        "formulation": options.formulation,
        "target": f"{options.target} days" if options.target is not None else "as in the workbook",
        "proposal": proposal.name if proposal is not None else "none",
        "value of money": (
            "no"
            if money_value is None
            else f"yes, step {money_text(money_value.marginal.step, currency)}"
            if money_value.marginal is not None
            else "yes, no fixed step (the price of the next day instead)"
        ),
    }
