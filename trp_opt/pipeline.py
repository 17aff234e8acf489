"""The main job, one way through: workbook → validated inputs → plan → explanation → report."""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from trp_opt import parallel, schema
from trp_opt.errors import Infeasible, OutputError
from trp_opt.inputs import Inputs, PolicyRule
from trp_opt.operations import explain_scenario
from trp_opt.solution import FundedProject, Solution
from trp_opt.solve import PlanResult, SolveOptions, choose_plan

BUNDLED_NAME = "taiwan_baseline.xlsx"


def bundled_input() -> Path:
    """The bundled Taiwan workbook: in the source tree, or inside the installed wheel."""
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / "inputs" / BUNDLED_NAME, package / "bundled_inputs" / BUNDLED_NAME):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"the bundled workbook {BUNDLED_NAME} is missing from this installation")


def default_output(input_path: Path) -> Path:
    return Path("outputs") / f"{input_path.stem}-plan.xlsx"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def with_budget(inputs: Inputs, total: float) -> Inputs:
    """The same inputs with a new total budget; each year's budget scales by the same factor,
    so the yearly split keeps its shape."""
    factor = total / inputs.spend_limit() if inputs.spend_limit() > 0 else 0.0
    year_budgets = {y: b * factor for y, b in inputs.year_budgets.items()} if factor else {
        y: total / len(inputs.years) for y in inputs.years
    }
    rules = [r for r in inputs.policy if not (r.rule == schema.RULE_TOTAL_BUDGET and r.year is None)]
    rules.append(PolicyRule("budget-option", schema.RULE_TOTAL_BUDGET, total, cell="--budget option"))
    return dataclasses.replace(inputs, year_budgets=year_budgets, policy=tuple(rules))


def allocation_of(inputs: Inputs, plan: dict[tuple[str, int], int]) -> list[FundedProject]:
    funded = []
    for (project_id, start_year), units in sorted(plan.items()):
        project = inputs.projects[project_id]
        cost_by_year = {
            start_year + offset: units * project.unit_cost * share
            for offset, share in enumerate(project.spend_profile)
            if share > 0
        }
        funded.append(
            FundedProject(
                project_id, project.name, project.category, start_year, units, cost_by_year, units * project.unit_cost
            )
        )
    return funded


def explain_plan(
    inputs: Inputs,
    chosen: PlanResult,
    options: SolveOptions,
    progress: Callable[[str], None] = lambda _: None,
) -> Solution:
    """Turn the chosen plan into a Solution: fails-first and daily profiles for every scenario."""
    progress("Explaining the plan: what fails first and the daily profiles of every scenario")
    # Each scenario is its own set of linear programs: explained side by side, in the scenarios' order.
    scenarios = parallel.at_once([partial(explain_scenario, inputs, chosen.plan, scenario_id, chosen.endurance[scenario_id])
                                  for scenario_id in inputs.scenarios])
    primary = chosen.primary
    return Solution(
        inputs=inputs,
        objective=options.objective,
        status=primary.status,
        proven_optimal=primary.proven_optimal,
        objective_value=primary.objective,
        bound=primary.bound,
        gap=chosen.gap,
        allocation=allocation_of(inputs, chosen.plan),
        scenarios=scenarios,
        solver_name="HiGHS",
        solver_version=chosen.solver_version,
        notes=list(chosen.notes),
    )


def check_output(input_path: Path, output_path: Path, create_folder: bool = False) -> None:
    """Refuse, before any solving, an output the plan could not be written to.

    The folder must exist (``create_folder`` makes it: for the default outputs/
    folder, not for a folder the analyst typed, where a missing one is likely a
    typo) and accept new files; an existing file must be replaceable (on Windows
    a workbook open in Excel is locked).
    """
    if output_path.resolve() == input_path.resolve():
        raise ValueError(f"the output {output_path} would overwrite the input workbook; choose another path with -o")
    if output_path.is_dir():
        raise OutputError(f"the output {output_path} is a folder; name a file in it, e.g. {output_path / 'plan.xlsx'}")
    folder = output_path.parent
    if not folder.exists() and create_folder:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as problem:
            raise OutputError(f"cannot create the folder {folder} for the plan ({problem.strerror or problem})") from None
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


def write_diagnosis(problem: Infeasible, input_path: Path, output_path: Path) -> None:
    """Why there is no plan, as a workbook beside the plan's path (never at it: an earlier plan stays)."""
    from trp_opt.diagnosis_sheet import diagnosis_path, write_diagnosis_workbook

    path = diagnosis_path(output_path)
    try:
        write_diagnosis_workbook(problem, input_path, file_sha256(input_path), path)
    except OSError:
        return  # the explanation is printed in any case
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
) -> Solution:
    """Read, solve, explain and write. Raises InvalidInputs, Infeasible, SolverFailure or
    OutputError; writes nothing unless every step succeeded, and never a partial file (a
    KeyboardInterrupt at any point leaves any earlier file at ``output_path`` as it was).

    ``proposal``: a proposal workbook imposed as written on the input (question 1 of
    `trp-opt compare`). ``value``: add the value of money (a re-solve at budget + ``step``,
    default 1% of the budget, and the days lost per dropped project)."""
    from trp_opt.report import write_plan_workbook
    from trp_opt.validate import read_inputs

    if output_path.resolve() == input_path.resolve():
        raise ValueError(f"the output {output_path} would overwrite the input workbook; choose another path with -o")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    progress(f"Reading {input_path.name}")
    proposal_notes: list[str] = []
    if proposal is not None:
        from trp_opt.proposal import read_proposal

        if output_path.resolve() == proposal.resolve():
            raise ValueError(f"the output {output_path} would overwrite the proposal workbook; choose another path with -o")
        progress(f"Reading the proposal {proposal.name}")
        read = read_proposal(proposal, input_path)
        inputs = read.as_written()
        proposal_notes.append(f"The proposal {proposal.name} as written: budget {read.budget_words}.")
        proposal_notes += [f"Imposed: {figure.words} ({figure.cell})." for figure in read.figures]
        proposal_notes += [f"Override {note}." for note in read.overrides]
    else:
        inputs = read_inputs(input_path)
    if budget is not None:
        inputs = with_budget(inputs, budget)
    timings["read"] = time.perf_counter() - start
    check_output(input_path, output_path, create_folder)

    try:
        chosen = choose_plan(inputs, options, progress)
    except Infeasible as problem:
        if proposal is not None:
            problem = Infeasible(
                f"The proposal {proposal.name} cannot be carried out as written. {problem.summary}",
                problem.conflicts, problem.rows,
            )
        write_diagnosis(problem, input_path, output_path)
        raise problem from None
    timings["build"] = chosen.build_seconds
    timings["solve"] = chosen.solve_seconds

    start = time.perf_counter()
    solution = explain_plan(inputs, chosen, options, progress)
    timings["explain"] = time.perf_counter() - start
    solution.notes = proposal_notes + solution.notes
    if value:
        from trp_opt.value import value_of_money

        start = time.perf_counter()
        label = "the proposal as written" if proposal is not None else "the plan"
        solution.value = value_of_money(inputs, chosen, options, step, label, progress)
        timings["value of money"] = time.perf_counter() - start

    solution.timings = timings
    solution.input_file = str(input_path)
    solution.input_sha256 = file_sha256(input_path)
    solution.options = {
        "objective": options.objective,
        "budget": f"{budget:,.0f} {inputs.currency}" if budget is not None else "as in the workbook",
        "time limit": f"{options.time_limit:g} s" if options.time_limit is not None else "none",
        "gap": f"{options.gap:g}",
        "threads": str(options.threads),
        "formulation": options.formulation,
        "target": f"{options.target} days" if options.target is not None else "as in the workbook",
        "proposal": proposal.name if proposal is not None else "none",
        "value of money": (f"yes, step {solution.value.marginal.step:,.0f} {inputs.currency}"
                           if solution.value is not None and solution.value.marginal is not None else "no"),
    }
    start = time.perf_counter()
    progress(f"Writing {output_path}")
    existed = output_path.exists()
    try:
        write_plan_workbook(solution, output_path)
    except PermissionError as problem:  # e.g. the file was opened in Excel while the solver ran
        kept = f"; the earlier {output_path.name} is unchanged" if existed else ""
        raise OutputError(
            f"cannot replace {output_path} ({problem.strerror or problem}); is it open in Excel? "
            f"Close it and run again{kept}"
        ) from None
    timings["write"] = time.perf_counter() - start
    return solution
