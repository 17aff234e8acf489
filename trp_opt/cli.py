"""Command line: `trp-opt solve | compare | validate | template | generate`.

Exit codes: 0 plan written (also when Ctrl-C came only after it was written in full), 2 invalid input, 3 infeasible,
130 interrupted (Ctrl-C) before the output was written, 143 stopped by SIGTERM likewise, 1 anything else.
Progress and errors go to stderr; tracebacks only with --debug.
"""

from __future__ import annotations

import contextlib
import math
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from trp_opt import __version__
from trp_opt.data.errors import (
    EXIT_INFEASIBLE,
    EXIT_INTERRUPTED,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_STOPPED,
    EXIT_UNEXPECTED,
    Infeasible,
    InvalidInputs,
    OutputError,
    SolverFailure,
)
from trp_opt.data.money import money_text
from trp_opt.data.options import FORMULATIONS, OBJECTIVES, SolveOptions, formulation_named, objective_named

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Split a civil-defence budget across projects to maximise endurance days.",
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


# A flag takes no value: without an empty metavar typer's help shows '--quiet <bool>', which reads as if it did.
FLAG = ""


def _fail(code: int, message: str) -> NoReturn:
    err.print(message, markup=False)
    raise typer.Exit(code)


def _refuse_non_finite(**options: float | None) -> None:
    """NaN and infinity pass every comparison an option check makes: refuse them by name first."""
    for name, value in options.items():
        if value is not None and not math.isfinite(value):
            _fail(EXIT_INVALID_INPUT, f"--{name.replace('_', '-')} must be a finite number (got {value:g}).")


def _amount(text: str) -> float:
    """An amount of money on the command line, written as in a workbook cell: '10000', '10,000' or '10000.5'."""
    from trp_opt.io.validate import number_from_text

    number = None if text.strip().endswith("%") else number_from_text(text)
    if number is not None:
        return number
    try:
        return float(text)  # 'nan' and 'inf' too: refused by name with the other options (_refuse_non_finite)
    except ValueError:
        raise typer.BadParameter(f"expected an amount such as 10000 or 10,000 (got {text!r})") from None


def _run(job, debug: bool):
    """Run a job and turn every known failure into its exit code and a plain message."""
    from trp_opt.data.interrupts import raise_stopped
    from trp_opt.io.excel import outputs_begun

    mark = outputs_begun()  # a process may run several commands (tests): this one's come after
    stopping = (
        threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    )
    if stopping:
        signal.signal(signal.SIGTERM, raise_stopped)  # `kill` stops as Ctrl-C does: workers ended, nothing half written
    try:
        return _answered(job, debug, mark)
    finally:
        if stopping:  # the process's own handling again once the command is done (a test runs many in one process)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _answered(job, debug: bool, mark: int):
    """The job's answer, or its failure as an exit code and a plain message (see _run)."""
    from trp_opt.data.interrupts import Stopped
    from trp_opt.io.excel import written_since

    try:
        return job()
    except InvalidInputs as problem:
        lines = [f"The workbook has {len(problem.errors)} problem(s); nothing was written:"]
        lines += [f"  {error}" for error in problem.errors]
        _fail(EXIT_INVALID_INPUT, "\n".join(lines))
    except Infeasible as problem:
        lines = [problem.summary, *[f"  {c}" for c in problem.conflicts]]
        if problem.diagnosis_path is not None:
            lines.append(f"No plan was written; this diagnosis is also in {problem.diagnosis_path} (sheet Diagnosis).")
        elif problem.diagnosis_unwritten is not None:
            lines.append(f"No plan was written, nor this diagnosis as a workbook: {problem.diagnosis_unwritten}.")
        else:
            lines.append("Nothing was written.")
        _fail(EXIT_INFEASIBLE, "\n".join(lines))
    except typer.Exit:
        raise
    except KeyboardInterrupt as interrupt:
        how = "Stopped (SIGTERM)" if isinstance(interrupt, Stopped) else "Interrupted (Ctrl-C)"
        code = EXIT_STOPPED if isinstance(interrupt, Stopped) else EXIT_INTERRUPTED
        results = written_since(mark, results_only=True)
        if results:  # it came once the result was in place: the command's work is on disk, and the exit code says so
            names = ", ".join(str(path) for path in results)
            _fail(EXIT_OK, f"{how} after {names} was written in full; the output is complete.")
        written = written_since(mark)
        if written:  # a by-product was written before it came (a model file, a diagnosis): say what is true
            names = ", ".join(str(path) for path in written)
            _fail(code, f"{how} after {names} was written in full; nothing else was written.")
        _fail(code, f"{how}; nothing was written, and any earlier output file is unchanged.")
    except OutputError as problem:
        if debug:
            raise
        _fail(EXIT_UNEXPECTED, f"Error: {problem}. Nothing was written.")
    except (SolverFailure, OSError, ValueError) as problem:
        if debug:
            raise
        _fail(EXIT_UNEXPECTED, f"Error: {problem}. Nothing was written.")
    except Exception as problem:  # the promise is: no traceback unless --debug
        if debug:
            raise
        _fail(
            EXIT_UNEXPECTED, f"Unexpected error ({type(problem).__name__}): {problem}. Rerun with --debug for details."
        )


@app.command()
def solve(
    input_path: Annotated[
        Path | None, typer.Argument(metavar="[INPUT]", help="Input workbook (default: the bundled Taiwan dataset).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Output workbook (default: outputs/<input name>-plan.xlsx, with what the options change after it: "
            "-plan-budget-120000.xlsx).",
        ),
    ] = None,
    objective: Annotated[str, typer.Option(help=f"One of {', '.join(OBJECTIVES)}.")] = "maxmin",
    budget: Annotated[
        float | None,
        typer.Option(
            parser=_amount,
            help="Total budget in the workbook's currency (10000 or 10,000); yearly budgets scale with it.",
        ),
    ] = None,
    target: Annotated[int | None, typer.Option(help="Days every scenario must reach (objective 'target').")] = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            help="Seconds for the solve, and as many again for the sheets that explain it; a feasible plan found "
            "by then is written with its gap."
        ),
    ] = None,
    gap: Annotated[float, typer.Option(help="Relative optimality gap accepted (0 = proven optimum).")] = 0.0,
    threads: Annotated[int, typer.Option(help="Solver threads (1 keeps reruns identical).")] = 1,
    write_model: Annotated[
        Path | None, typer.Option(help="Also write the primary-objective model (.mps or .lp) for audit.")
    ] = None,
    formulation: Annotated[
        str,
        typer.Option(
            help="How the solver is asked: 'blocks' (default, fastest: runs of days with the same inputs) or 'reference' (one MIP per stage, as in models/endurance.md). Same optimum."
        ),
    ] = "blocks",
    proposal: Annotated[
        Path | None, typer.Option(help="A proposal workbook imposed as written (see `trp-opt compare`).")
    ] = None,
    step: Annotated[
        float | None,
        typer.Option(
            parser=_amount,
            help="Add the Marginal days sheet: the days this much more money buys, in the workbook's currency (one "
            "more solve). Without it the Price of the next day sheet says what one more day costs.",
        ),
    ] = None,
    more_days: Annotated[
        int | None,
        typer.Option(
            help="Also say what this many more days in the worst case cost: the least extra budget for each day more, "
            "until money buys no more (sheet More days)."
        ),
    ] = None,
    value: Annotated[
        bool,
        typer.Option(
            "--value/--no-value",
            help="Add the sheets that explain the plan: limits, unfunded projects, the price of the next day and the "
            "days lost per dropped project (and Marginal days with --step).",
            metavar=FLAG,
        ),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.", metavar=FLAG)] = False,
    debug: Annotated[bool, typer.Option(help="Show Python tracebacks.", metavar=FLAG)] = False,
) -> None:
    """Choose the projects that maximise endurance days and write the plan workbook."""
    from trp_opt.app.solve import solve_workbook
    from trp_opt.io.outputs import bundled_input, default_output, plan_changes

    chosen_objective, chosen_formulation = objective_named(objective), formulation_named(formulation)
    if chosen_objective is None:
        _fail(EXIT_INVALID_INPUT, f"--objective must be one of {', '.join(OBJECTIVES)} (got {objective!r}).")
    if chosen_formulation is None:
        _fail(EXIT_INVALID_INPUT, f"--formulation must be one of {', '.join(FORMULATIONS)} (got {formulation!r}).")
    _refuse_non_finite(gap=gap, time_limit=time_limit, budget=budget, step=step)
    if gap < 0 or threads < 1 or (time_limit is not None and time_limit <= 0) or (budget is not None and budget < 0):
        _fail(EXIT_INVALID_INPUT, "--gap and --budget must be ≥ 0, --threads ≥ 1 and --time-limit > 0.")
    if target is not None and target < 1:
        _fail(EXIT_INVALID_INPUT, f"--target must be at least 1 day (got {target}).")
    if step is not None and step <= 0:
        _fail(EXIT_INVALID_INPUT, f"--step must be > 0 (got {step:g}).")
    if more_days is not None and more_days < 1:
        _fail(EXIT_INVALID_INPUT, f"--more-days must be at least 1 day (got {more_days}).")
    options = SolveOptions(chosen_objective, time_limit, gap, threads, target, write_model, chosen_formulation)

    bar = _QuestionsBar(quiet)

    def job():
        source = input_path or bundled_input()
        destination = output or default_output(source, "plan", plan_changes(budget, objective, target, proposal))
        with bar.shown():
            return solve_workbook(
                source,
                destination,
                options,
                budget,
                bar.progress,
                proposal=proposal,
                value=value,
                step=step,
                create_folder=output is None,
                plan_ready=_print_plan,  # the plan's days at once, before the explaining questions
                answered=bar.answered,
                more_days=more_days,
            ), destination

    solution, destination = _run(job, debug)
    _print_summary(solution, destination)


class _QuestionsBar:
    """The progress of `solve` and `compare`: a line for each step ("… Reading …"), and a bar over the questions of
    the step that counts them (each scenario's best weighted days, each scenario explained, rules lifted, projects
    added, days priced), with the time left, on stderr; nothing when quiet. A step's bar appears with its first
    answer and gives way to the next step's (its line stays)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.part = ""
        self.task: Any = None  # the bar of the part being asked, made at its first answer
        self.lock = threading.Lock()

    @contextlib.contextmanager
    def shown(self) -> Iterator[None]:
        try:
            yield
        finally:
            if self.bar is not None:
                self.bar.stop()

    def progress(self, message: str) -> None:
        if not self.quiet:
            err.print(f"… {message}", markup=False)
        with self.lock:
            if self.task is not None:
                self.bar.remove_task(self.task)
            self.part, self.task = message.split(":")[0], None

    def answered(self, done: int, asked: int) -> None:
        if self.quiet:
            return
        with self.lock:  # answers come from the threads that ask the questions
            if self.bar is None:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

                columns = (BarColumn(), MofNCompleteColumn(), TextColumn("left:"), TimeRemainingColumn())
                self.bar = Progress(TextColumn("{task.description}"), *columns, console=err, transient=True)
                self.bar.start()
            if self.task is None:
                self.task = self.bar.add_task(self.part, total=asked)
            self.bar.update(self.task, completed=done, total=asked)


def _print_plan(solution) -> None:
    """The plan's status, spend and days per scenario, with what fails first and each requirement alone."""
    from trp_opt.reports.sentences import counted_requirements_sentence, requirement_days_sentence

    money = solution.inputs.currency
    if solution.proven_optimal:
        status = solution.status
    else:  # a time limit: the plan is still written, flagged with its gap (unknown when no bound was proven)
        gap = f"gap {solution.gap:.2%}" if solution.gap is not None else "gap unknown"
        status = f"{solution.status} ({gap}); NOT PROVEN OPTIMAL"
    out.print(f"Status: {status}", markup=False)
    out.print(
        f"Spent {money_text(solution.total_spent, money)} of {money_text(solution.inputs.spend_limit(), money)}; "
        f"worst-scenario endurance {solution.worst.endurance_text} days",
        markup=False,
    )
    out.print(counted_requirements_sentence(solution.inputs), markup=False)
    for result in solution.scenarios:
        line = f"  {result.name}: {result.endurance_text} days"
        if result.shortfalls:
            first = result.shortfalls[0]
            line += f"; {first.carrier_name} falls short by {first.shortfall:,.1f} {first.unit} on day {result.endurance + 1}"
        out.print(line, markup=False)
        if result.requirement_days:
            out.print(f"    {requirement_days_sentence(result, solution.inputs)}", markup=False)


def _print_summary(solution, destination: Path) -> None:
    """Once the workbook is written: where, why this plan (the explaining sheets' sentences) and the times."""
    out.print(f"Plan written to {destination}", markup=False)
    from trp_opt.reports.sentences import unspent_sentence

    unspent = unspent_sentence(solution)
    if unspent is not None:
        out.print(unspent, markup=False)
    _print_why(solution.inputs, solution.scenarios, solution.limits, solution.unfunded, solution.prices)
    if solution.more_days is not None:
        from trp_opt.reports.limits import more_days_sentence

        out.print(f"What {solution.more_days.asked} more days cost (sheet More days):", markup=False)
        out.print(f"  {more_days_sentence(solution.inputs, solution.more_days)}", markup=False)
    times = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in solution.timings.items())
    out.print(f"Times: {times}", markup=False)


def _print_why(inputs, scenarios, limits, unfunded, prices) -> None:
    """Why this plan: what holds it back, what the unfunded projects would buy, the price of the next day."""
    from trp_opt.reports.why import why_sections

    for heading, sentences in why_sections(inputs, scenarios, limits, unfunded, prices):
        out.print(f"{heading}:", markup=False)
        for sentence in sentences:
            out.print(f"  {sentence}", markup=False)


@app.command()
def compare(
    # Optional here, so that none is refused below in the analyst's words.
    workbooks: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="WORKBOOKS",
            help="[BASE] PROPOSAL [PROPOSAL …]: the base workbook (default: the bundled Taiwan dataset, also when the "
            "first workbook is a proposal) and one proposal workbook, or several for a league table of them.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Output workbook (default: outputs/<proposal name>-compare.xlsx)."),
    ] = None,
    objective: Annotated[str, typer.Option(help=f"One of {', '.join(OBJECTIVES)}.")] = "maxmin",
    step: Annotated[
        float | None,
        typer.Option(
            parser=_amount,
            help="Add the Marginal days sheet: the days this much more money buys, in the workbook's currency (one "
            "more solve). Without it the Price of the next day sheet says what one more day costs.",
        ),
    ] = None,
    value: Annotated[
        bool,
        typer.Option(
            "--value/--no-value",
            help="Add why the proposal as written lasts what it does: value of money, limits, unfunded projects, "
            "price of the next day.",
            metavar=FLAG,
        ),
    ] = True,
    time_limit: Annotated[
        float | None, typer.Option(help="Seconds for each solve, and as many again for the sheets that explain it.")
    ] = None,
    gap: Annotated[float, typer.Option(help="Relative optimality gap accepted (0 = proven optimum).")] = 0.0,
    threads: Annotated[int, typer.Option(help="Solver threads (1 keeps reruns identical).")] = 1,
    formulation: Annotated[str, typer.Option(help="'blocks' (default) or 'reference'. Same optimum.")] = "blocks",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.", metavar=FLAG)] = False,
    debug: Annotated[bool, typer.Option(help="Show Python tracebacks.", metavar=FLAG)] = False,
) -> None:
    """What a legislature's proposal buys, what the same money would buy, and which figures cost the most days."""
    from trp_opt.app.compare import compare_workbooks
    from trp_opt.io.outputs import bundled_input, default_output
    from trp_opt.io.proposal import is_proposal_workbook
    from trp_opt.reports.sentences import answer_sentence, day_count, release_sentence

    paths = list(workbooks or [])
    if not paths:
        _fail(EXIT_INVALID_INPUT, "compare takes [BASE] PROPOSAL…: give the proposal workbook.")
    given_base = len(paths) > 1 and not is_proposal_workbook(paths[0])
    base_path = paths[0] if given_base else bundled_input()
    proposal_paths = paths[1:] if given_base else paths
    chosen_objective, chosen_formulation = objective_named(objective), formulation_named(formulation)
    if chosen_objective is None:
        _fail(EXIT_INVALID_INPUT, f"--objective must be one of {', '.join(OBJECTIVES)} (got {objective!r}).")
    if chosen_formulation is None:
        _fail(EXIT_INVALID_INPUT, f"--formulation must be one of {', '.join(FORMULATIONS)} (got {formulation!r}).")
    _refuse_non_finite(gap=gap, time_limit=time_limit, step=step)
    if gap < 0 or threads < 1 or (time_limit is not None and time_limit <= 0) or (step is not None and step <= 0):
        _fail(EXIT_INVALID_INPUT, "--gap must be ≥ 0, --threads ≥ 1, --time-limit and --step > 0.")
    options = SolveOptions(chosen_objective, time_limit, gap, threads, None, None, chosen_formulation)

    bar = _QuestionsBar(quiet)
    if len(proposal_paths) > 1:
        _league(base_path, proposal_paths, output, options, bar, debug)
        return

    def job():
        base = base_path
        proposal_path = proposal_paths[0]
        destination = output or default_output(proposal_path, "compare")
        with bar.shown():
            comparison = compare_workbooks(
                base,
                proposal_path,
                destination,
                options,
                step,
                value,
                bar.progress,
                create_folder=output is None,
                answered=bar.answered,
            )
        return comparison, destination

    comparison, destination = _run(job, debug)
    out.print(f"Comparison written to {destination}", markup=False)
    out.print(answer_sentence(comparison), markup=False)
    for lift in comparison.lifts[:3]:
        out.print(release_sentence(lift, comparison), markup=False)
    written = {r.scenario_id: r for r in comparison.written.scenarios}
    today = {r.scenario_id: r for r in (comparison.today or comparison.best).scenarios}
    for result in comparison.best.scenarios:
        s = result.scenario_id
        out.print(
            f"  {result.name}: today {today[s].endurance_text} days, proposal {written[s].endurance_text} days, "
            f"best use {result.endurance_text} days; lost {day_count(comparison.lost(s))}, "
            f"gap {day_count(comparison.gap(s))}",
            markup=False,
        )
    written_inputs = comparison.written.inputs
    _print_why(written_inputs, comparison.written.scenarios, comparison.limits, comparison.unfunded, comparison.prices)
    times = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in comparison.timings.items())
    out.print(f"Times: {times}", markup=False)


def _league(base_path: Path, proposal_paths: list[Path], output, options, bar: _QuestionsBar, debug: bool) -> None:
    """`compare BASE P1 P2 …`: the league table of the proposals."""
    from trp_opt.app.compare import league_workbooks
    from trp_opt.io.outputs import default_output
    from trp_opt.reports.league import league_sentence, ranked
    from trp_opt.reports.sentences import answer_sentence

    destination = output or default_output(base_path, "league")

    def job():
        with bar.shown():
            return league_workbooks(
                base_path, proposal_paths, destination, options, bar.progress, output is None, bar.answered
            )

    comparisons = _run(job, debug)
    out.print(f"League table written to {destination}", markup=False)
    out.print(league_sentence(comparisons), markup=False)
    for rank, comparison in enumerate(ranked(comparisons), start=1):
        out.print(f"  {rank}. {comparison.proposal.path.name}: {answer_sentence(comparison)}", markup=False)


@app.command()
def validate(
    input_path: Annotated[
        Path | None,
        typer.Argument(metavar="[INPUT]", help="Input workbook to check (default: the bundled Taiwan dataset)."),
    ] = None,
    proposal: Annotated[
        Path | None,
        typer.Option(help="A proposal workbook to check against INPUT, its base (default: the bundled base)."),
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show Python tracebacks.", metavar=FLAG)] = False,
) -> None:
    """Check a workbook and list every problem found; builds no model. A proposal workbook is checked against its
    base: INPUT --proposal PROPOSAL, or the proposal alone (as INPUT, or as --proposal with no INPUT) against the
    bundled base."""
    from trp_opt.io.outputs import bundled_input
    from trp_opt.io.proposal import is_proposal_workbook, read_proposal
    from trp_opt.io.ranges import read_inputs_and_ranges

    if input_path is None:
        input_path = bundled_input()
    elif proposal is None and is_proposal_workbook(input_path):
        base = bundled_input()
        out.print(
            f"{input_path.name} is a proposal workbook: checked against the bundled base {base.name} "
            f"(trp-opt validate BASE --proposal {input_path.name} for another base).",
            markup=False,
        )
        proposal, input_path = input_path, base
    if proposal is not None:
        base_path, proposal_path = input_path, proposal
        read = _run(lambda: read_proposal(proposal_path, base_path), debug)
        out.print(
            f"{proposal_path}: valid against {base_path.name} — budget {read.budget_words}; "
            f"{len(read.figures)} figures imposed; {len(read.overrides)} base figures overridden.",
            markup=False,
        )
        return
    inputs, ranges = _run(lambda: read_inputs_and_ranges(input_path), debug)
    out.print(
        f"{input_path}: valid — {len(inputs.years)} years, {len(inputs.scenarios)} scenarios, "
        f"{len(inputs.projects)} projects, {len(inputs.carriers)} carriers, {len(ranges)} uncertain inputs.",
        markup=False,
    )


@app.command()
def template(
    path: Annotated[Path | None, typer.Argument(help="Where to write the empty input workbook.")] = None,
    proposal: Annotated[
        Path | None,
        typer.Option(help="Write an empty proposal workbook here instead (Budget, Categories, Projects, Overrides)."),
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show Python tracebacks.", metavar=FLAG)] = False,
) -> None:
    """Write an empty input (or, with --proposal, proposal) workbook with its headers and a README sheet."""
    from trp_opt.io import schema
    from trp_opt.io.outputs import require_workbook_name
    from trp_opt.io.template import write_input_workbook

    if (path is None) == (proposal is None):
        _fail(EXIT_INVALID_INPUT, "Give either PATH (an input workbook) or --proposal PATH (a proposal workbook).")
    target = path if path is not None else proposal
    assert target is not None
    if target.exists():
        _fail(EXIT_INVALID_INPUT, f"{target} already exists; choose a new path.")
    sheets = schema.SHEETS if proposal is None else schema.PROPOSAL_SHEETS

    def write_template() -> None:
        require_workbook_name(target)
        write_input_workbook(target, sheets=sheets)

    _run(write_template, debug)
    out.print(f"{'Proposal template' if proposal is not None else 'Template'} written to {target}", markup=False)


@app.command()
def generate(
    path: Annotated[Path, typer.Argument(help="Where to write the random input workbook.")],
    projects: Annotated[int, typer.Option(help="Number of projects.")] = 35,
    scenarios: Annotated[int, typer.Option(help="Number of scenarios.")] = 6,
    days: Annotated[int, typer.Option(help="Horizon of every scenario, in days.")] = 120,
    years: Annotated[int, typer.Option(help="Number of plan years, from 2027.")] = 5,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same workbook.")] = 1,
    debug: Annotated[bool, typer.Option(help="Show Python tracebacks.", metavar=FLAG)] = False,
) -> None:
    """Write a random instance shaped like the bundled workbook (for benchmarks and tests)."""
    from trp_opt.io.generate import generate_workbook
    from trp_opt.io.outputs import require_workbook_name

    if path.exists():
        _fail(EXIT_INVALID_INPUT, f"{path} already exists; choose a new path.")
    if min(projects, scenarios, days, years) < 1:
        _fail(EXIT_INVALID_INPUT, "--projects, --scenarios, --days and --years must each be at least 1.")

    def write_instance() -> None:
        require_workbook_name(path)
        generate_workbook(path, projects, scenarios, days, years, seed)

    _run(write_instance, debug)
    out.print(
        f"Generated instance written to {path}: {projects} projects, {scenarios} scenarios, {days} days, "
        f"{years} years, seed {seed}",
        markup=False,
    )


def version_callback(value: bool) -> None:
    if value:
        out.print(f"trp-opt {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.", metavar=FLAG),
    ] = False,
) -> None:
    """trp-opt: endurance-maximising budget plans for civil defence."""


# ---- analyst studies: frontier, alternatives, stress -------------------------------------------
WorkersOption = Annotated[
    int | None, typer.Option("--workers", help="Local worker processes (default: the number of cores).")
]
DaskOption = Annotated[
    str | None,
    typer.Option("--dask-scheduler", help="Run the solves on an existing Dask cluster, e.g. tcp://HOST:8786."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.", metavar=FLAG)]
DebugOption = Annotated[bool, typer.Option(help="Show Python tracebacks.", metavar=FLAG)]


def _run_study(run, quiet: bool, debug: bool, workers: int | None, dask_scheduler: str | None):
    """Run a study with an executor and a progress bar on stderr; always stop the executor."""
    from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
    from rich.text import Text

    from trp_opt.studies.executor import make_executor

    class Counted(ProgressColumn):
        """'3/7' where the step counts its work (budgets solved, plans checked); nothing where it is one piece of
        work (the optimum, the search for alternatives), whose bar pulses instead of reading '0/?'."""

        def render(self, task) -> Text:
            return Text("" if task.total is None else f"{int(task.completed)}/{int(task.total)}")

    if workers is not None and workers < 1:
        _fail(EXIT_INVALID_INPUT, f"--workers must be ≥ 1 (got {workers}).")

    def job():
        executor = make_executor(workers, dask_scheduler)
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            Counted(),
            TimeElapsedColumn(),
            console=err,
            disable=quiet,
            transient=False,
        )
        try:
            with bar:
                task = bar.add_task("solves", total=None)

                def message(text: str) -> None:
                    bar.update(task, description=text, completed=0, total=None)  # a new step counts afresh

                def advance(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                return run(executor, message, advance), executor.description
        finally:
            executor.close()

    return _run(job, debug)


@app.command()
def frontier(
    input_path: Annotated[
        Path | None, typer.Argument(metavar="[INPUT]", help="Input workbook (default: the bundled Taiwan dataset).")
    ] = None,
    low: Annotated[
        float | None,
        typer.Option("--from", parser=_amount, help="Lowest total budget, in the workbook's currency (default 0)."),
    ] = None,
    high: Annotated[
        float | None,
        typer.Option(
            "--to",
            parser=_amount,
            help="Highest total budget, in the workbook's currency (default: twice the workbook's).",
        ),
    ] = None,
    steps: Annotated[int, typer.Option(help="Budget levels, evenly spaced, both ends included.")] = 5,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Output workbook (default: outputs/<input>-frontier.xlsx).")
    ] = None,
    workers: WorkersOption = None,
    dask_scheduler: DaskOption = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Best endurance at each total budget from --from to --to, and where the plan changes."""
    from trp_opt.app.studies import frontier_workbook
    from trp_opt.io.outputs import bundled_input, default_output

    _refuse_non_finite(**{"from": low, "to": high})
    if steps < 2 or (low is not None and low < 0) or (low is not None and high is not None and high <= low):
        given = f"{'-' if low is None else f'{low:g}'}, {'-' if high is None else f'{high:g}'}, {steps}"
        _fail(EXIT_INVALID_INPUT, f"need 0 ≤ --from < --to and --steps ≥ 2 (got {given}).")
    source = input_path or bundled_input()

    destination = output or default_output(source, "frontier")

    def run(executor, message, advance):
        result, inputs = frontier_workbook(
            source, destination, low, high, steps, executor, message, advance, SolveOptions(), output is None
        )
        return result, inputs, destination

    (result, inputs, destination), description = _run_study(run, quiet, debug, workers, dask_scheduler)
    money = inputs.currency
    out.print(f"Frontier written to {destination} ({description}, {result.seconds:,.1f} s)", markup=False)
    for budget, optimum in zip(result.budgets, result.optima):
        worst = f"{optimum.worst} days" if optimum.feasible else "no plan"
        out.print(f"  {money_text(budget, money)}: worst case {worst}", markup=False)
    for point in result.turning_points:
        entering = ", ".join(inputs.projects[p].name for p in point["entering"]) or "—"
        leaving = ", ".join(inputs.projects[p].name for p in point["leaving"]) or "—"
        line = (
            f"  Plan changes between {money_text(point['from'], money)} and {money_text(point['to'], money)}: "
            f"entering {entering}; leaving {leaving}"
        )
        if point["moved"]:
            line += "; started in other years: " + ", ".join(inputs.projects[p].name for p, _, _ in point["moved"])
        if point["spent_after"] < point["spent_before"]:
            line += (
                f" (spends {money_text(point['spent_before'] - point['spent_after'], money)} less: see Turning points)"
            )
        out.print(line, markup=False)


@app.command()
def alternatives(
    input_path: Annotated[
        Path | None, typer.Argument(metavar="[INPUT]", help="Input workbook (default: the bundled Taiwan dataset).")
    ] = None,
    count: Annotated[int, typer.Option(help="Most plans, the optimum included.")] = 4,
    within: Annotated[
        float, typer.Option(help="Percent below the best worst-case endurance an alternative may fall.")
    ] = 5.0,
    time_limit: Annotated[
        float | None,
        typer.Option(help="Seconds for each alternative's search; the most different plan found by then is kept."),
    ] = None,
    max_cost: Annotated[
        float | None,
        typer.Option(
            parser=_amount, help="Most each alternative may cost, all years together, in the workbook's currency."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Output workbook (default: outputs/<input>-alternatives.xlsx)."),
    ] = None,
    workers: WorkersOption = None,
    dask_scheduler: DaskOption = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Plans within --within % of the best worst-case endurance, as different from each other as possible."""
    from trp_opt.app.studies import alternatives_workbook
    from trp_opt.io.outputs import bundled_input, default_output

    _refuse_non_finite(within=within, time_limit=time_limit, max_cost=max_cost)
    if time_limit is not None and time_limit <= 0:
        _fail(EXIT_INVALID_INPUT, f"--time-limit must be > 0 (got {time_limit:g}).")
    if max_cost is not None and max_cost < 0:
        _fail(EXIT_INVALID_INPUT, f"--max-cost must be ≥ 0 (got {max_cost:g}).")
    if count < 1 or not 0 <= within < 100:
        _fail(EXIT_INVALID_INPUT, f"--count must be ≥ 1 and --within from 0 to below 100 (got {count}, {within:g}).")
    source = input_path or bundled_input()

    destination = output or default_output(source, "alternatives")

    def run(executor, message, advance):
        result = alternatives_workbook(
            source,
            destination,
            count,
            within,
            time_limit,
            executor,
            message,
            advance,
            SolveOptions(),
            create_folder=output is None,
            max_cost=max_cost,
        )
        return result, destination

    (result, destination), description = _run_study(run, quiet, debug, workers, dask_scheduler)
    out.print(f"Alternatives written to {destination} ({description}, {result.seconds:,.1f} s)", markup=False)
    out.print(
        f"  {len(result.plans)} plan(s), each scenario ≥ {result.floor_days} days "
        f"(best worst case {result.best_worst} days − {within:g} %, rounded up)",
        markup=False,
    )
    names = result.project_names
    if len(result.plans) < 2:
        out.print("  No alternative to offer: the optimum stands alone (why: the note below).", markup=False)
    else:
        out.print(f"  Must fund: {', '.join(names[p] for p in result.must_fund) or '—'}", markup=False)
        out.print(f"  Swappable: {', '.join(names[p] for p in result.swappable) or '—'}", markup=False)
    if result.stopped:
        out.print(f"  Note: {result.stopped}", markup=False)


@app.command()
def stress(
    input_path: Annotated[
        Path | None,
        typer.Argument(
            metavar="[INPUT]",
            help="Input workbook with '<column> low'/'<column> high' ranges (default: the bundled Taiwan dataset with ranges, inputs/taiwan_stress.xlsx).",
        ),
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan", help="Hold this plan fixed (an output workbook's Allocation sheet); default: the optimum."
        ),
    ] = None,
    samples: Annotated[int, typer.Option(help="Random draws of the uncertain inputs.")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of the draws; the same seed gives the same workbook.")] = 1,
    reoptimise: Annotated[
        bool, typer.Option("--reoptimise", help="Also re-optimise the plan for every draw.", metavar=FLAG)
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Output workbook (default: outputs/<input>-stress.xlsx).")
    ] = None,
    workers: WorkersOption = None,
    dask_scheduler: DaskOption = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Endurance P10/P50/P90 of a held plan under uncertain inputs, and a tornado of the inputs."""
    from trp_opt.app.studies import stress_workbook
    from trp_opt.io.outputs import bundled_stress_input, default_output

    if samples < 1:
        _fail(EXIT_INVALID_INPUT, f"--samples must be ≥ 1 (got {samples}).")
    source = input_path or bundled_stress_input()

    destination = output or default_output(source, "stress")

    def run(executor, message, advance):
        result, inputs = stress_workbook(
            source,
            destination,
            plan,
            samples,
            seed,
            reoptimise,
            executor,
            message,
            advance,
            SolveOptions(),
            create_folder=output is None,
        )
        return result, inputs, destination

    (result, inputs, destination), description = _run_study(run, quiet, debug, workers, dask_scheduler)
    table = result.percentiles(result.samples)
    out.print(f"Stress test written to {destination} ({description}, {result.seconds:,.1f} s)", markup=False)
    names = {s: inputs.scenarios[s].name for s in inputs.scenarios}
    for s, (p10, p50, p90) in table.items():
        out.print(f"  {names.get(s, 'Worst case')}: P10 {p10:.1f}, P50 {p50:.1f}, P90 {p90:.1f} days", markup=False)
    ranked = result.ranked_tornado()
    if ranked:
        top = ranked[0]
        out.print(
            f"  Largest swing: {top[0].label} ({top[0].cell}): worst case {top[3]} days, {names[top[5]]} {top[4]} days",
            markup=False,
        )


if __name__ == "__main__":
    sys.exit(app())
