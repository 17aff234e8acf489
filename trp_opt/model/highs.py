"""A Pyomo model loaded into HiGHS once, then changed and re-solved in place.

The lexicographic stages, the bisections over endurance days and the
explanations solve one model many times with small changes: a few bounds, an
objective, a constraint holding an earlier optimum. Pyomo's persistent
interface re-examines the whole model before every solve, which costs
seconds each time on the bundled workbook; here the model is turned into
matrices once (Pyomo's LinearStandardFormCompiler, which needs scipy) and
every change goes straight to highspy. Results are written back into the
Pyomo variables, so the rest of trp-opt reads them as usual.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.tee import capture_output
from pyomo.repn import generate_standard_repn
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from trp_opt.data.errors import SolverFailure
from trp_opt.data.plans import SolveStatus

RANDOM_SEED = 20270101  # fixed so that a rerun gives the same figures
INFINITY = highspy.kHighsInf
_creating = threading.Lock()  # instances are made and the scheduler sized one at a time
_banner_shown = False
_scheduler_threads: int | None = None  # the thread count HiGHS's scheduler was last sized for


def quiet_highs(threads: int, gap: float = 0.0) -> highspy.Highs:
    """A silent HiGHS with trp-opt's options: fixed seed, given threads and relative MIP gap.

    ``threads``: --threads, passed down with the options. HiGHS runs all of a
    process's instances on one thread scheduler, sized by its first solve, and refuses to solve an
    instance that asks for another count; so a new count resets the scheduler. That is safe only
    between solves, and trp-opt asks one count throughout a command (``--threads``), so it happens only
    from one command's solve to the next in the same process (tests).

    HiGHS prints a banner when the process's first instance is created (the analyst needs none): that one
    is created with the output captured, under a lock, since questions may be asked from several threads
    (trp_opt.solve.parallel) and the capture redirects the whole process's output while it lasts."""
    global _banner_shown
    with _creating:
        if _banner_shown:
            highs = highspy.Highs()
        else:
            with capture_output(capture_fd=True):
                highs = highspy.Highs()
            _banner_shown = True
        _size_scheduler(threads)
    for option, value in (
        ("output_flag", False),
        ("threads", threads),
        ("random_seed", RANDOM_SEED),
        ("mip_rel_gap", gap),
    ):
        highs.setOptionValue(option, value)
    return highs


def size_scheduler(threads: int) -> None:
    """Size HiGHS's thread scheduler for ``threads`` now, from the thread that asks, before questions that make their
    own HiGHS in threads of their own (solves side by side, trp_opt.analysis.compare). Resized instead by the first
    of those threads to make its HiGHS, a `compare --threads 2` after a solve with one thread, in one process, found
    no plan at all (tests/test_cli_matrix.py, 'compare threads 2')."""
    with _creating:
        _size_scheduler(threads)


def _size_scheduler(threads: int) -> None:
    global _scheduler_threads
    if _scheduler_threads is not None and threads != _scheduler_threads:
        highspy.Highs.resetGlobalScheduler(True)
    _scheduler_threads = threads


def pass_model(highs: highspy.Highs, lp: highspy.HighsLp) -> None:
    """Load a model into HiGHS; a refusal is a solver failure in the analyst's words."""
    if highs.passModel(lp) == highspy.HighsStatus.kError:
        # HiGHS refuses coefficients beyond its limits (about 1e15) rather than solving badly.
        raise SolverFailure(
            "HiGHS refused the model: numerical trouble in the solver; very large or very small figures "
            "are the usual cause"
        )


STATUSES = {
    highspy.HighsModelStatus.kOptimal: SolveStatus.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: SolveStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: SolveStatus.INFEASIBLE,
    highspy.HighsModelStatus.kTimeLimit: SolveStatus.TIME_LIMIT,
    highspy.HighsModelStatus.kInterrupt: SolveStatus.INTERRUPTED,
}
FEASIBLE = highspy.SolutionStatus.kSolutionStatusFeasible  # HiGHS holds a feasible solution (primal_solution_status)


def status_of(highs: highspy.Highs, status: highspy.HighsModelStatus) -> tuple[SolveStatus, str]:
    """HiGHS's model status as trp-opt says it, and HiGHS's own word for it (for a status trp-opt has no name for)."""
    return STATUSES.get(status, SolveStatus.OTHER), highs.modelStatusToString(status)


def has_feasible_solution(info: highspy.HighsInfo) -> bool:
    """HiGHS's info after a run says it holds a feasible solution (primal_solution_status)."""
    return bool(info.primal_solution_status == FEASIBLE)


OBJECTIVE_TOLERANCE = 1e-6  # relative: HiGHS's objective and its plan's own value agree far closer than this


def objective_agrees(reported: float, costs: np.ndarray, offset: float, solution: Sequence[float] | np.ndarray) -> bool:
    """Does the objective HiGHS reports equal what its own plan gives? HiGHS 1.16 can report, after a solve
    started from a given plan (setSolution), the objective of a plan it does not return and that is not
    feasible (a generated instance: cost 14,647 reported, 55,927 for the plan returned, 24,967 the true
    optimum). Such an answer is never used: the question is asked again without the start."""
    value = float(np.dot(costs, solution)) + offset
    return abs(reported - value) <= OBJECTIVE_TOLERANCE * max(1.0, abs(value))


@dataclass(frozen=True)
class Outcome:
    """How one solve ended."""

    status: SolveStatus
    has_plan: bool  # a feasible solution was found (and loaded into the Pyomo variables)
    objective: float | None
    bound: float | None
    seconds: float
    word: str = ""  # HiGHS's own word for the status, for messages

    @property
    def proven(self) -> bool:
        return self.status is SolveStatus.OPTIMAL

    @property
    def words(self) -> str:
        """The status in words: trp-opt's name, or HiGHS's own word for a status it has no name for."""
        return self.word if self.status is SolveStatus.OTHER and self.word else self.status.value


class HighsModel:
    """One Pyomo model in one HiGHS instance."""

    def __init__(self, model: pyo.ConcreteModel, threads: int = 1, gap: float = 0.0) -> None:
        for objective in model.component_data_objects(pyo.Objective, active=True):
            objective.deactivate()
        compiled = LinearStandardFormCompiler().write(model, mixed_form=True)
        self.model = model
        self.columns = list(compiled.columns)
        self.column_of = {id(var): index for index, var in enumerate(self.columns)}
        self.highs = quiet_highs(threads, gap)

        count = len(self.columns)
        lower = np.array([-INFINITY if v.lb is None else v.lb for v in self.columns], dtype=float)
        upper = np.array([INFINITY if v.ub is None else v.ub for v in self.columns], dtype=float)
        self.highs.addVars(count, lower, upper)
        integer = [i for i, v in enumerate(self.columns) if v.is_integer()]
        if integer:
            self.highs.changeColsIntegrality(
                len(integer), np.array(integer, dtype=np.int32), np.full(len(integer), highspy.HighsVarType.kInteger)
            )

        matrix = compiled.A.tocsr()
        row_lower, row_upper = [], []
        self.rows_of: dict[str, list[int]] = {}
        for index, (entry, rhs) in enumerate(zip(compiled.rows, compiled.rhs)):
            kind = entry.bound_type  # 0: equal, 1: at most rhs, -1: at least rhs
            row_lower.append(rhs if kind <= 0 else -INFINITY)
            row_upper.append(rhs if kind >= 0 else INFINITY)
            self.rows_of.setdefault(entry.constraint.parent_component().name, []).append(index)

        if row_lower:
            self.highs.addRows(
                len(row_lower),
                np.array(row_lower, dtype=float),
                np.array(row_upper, dtype=float),
                matrix.nnz,
                matrix.indptr.astype(np.int32),
                matrix.indices.astype(np.int32),
                matrix.data.astype(float),
            )
        self.is_mip = bool(integer)
        self.last_solution: list[float] | None = None
        self.costs, self.offset = np.zeros(count), 0.0  # the objective, as set_objective last set it

    def version(self) -> str:
        return f"{self.highs.version()}"

    # ---- changes -------------------------------------------------------------------
    def set_bounds(self, variables: list, lower: list[float], upper: list[float]) -> None:
        """Change bounds of many variables at once (also in the Pyomo model, for consistency)."""
        indices, lows, ups = [], [], []
        for var, low, up in zip(variables, lower, upper):
            index = self.column_of.get(id(var))
            if index is None:
                continue  # fixed when the model was loaded: a constant here
            indices.append(index)
            lows.append(low)
            ups.append(up)
        if indices:
            self.highs.changeColsBounds(
                len(indices), np.array(indices, dtype=np.int32), np.array(lows, dtype=float), np.array(ups, dtype=float)
            )

    def _linear(self, expression) -> tuple[list[int], list[float], float]:
        repn = generate_standard_repn(expression, compute_values=True)
        if repn.nonlinear_expr is not None or repn.quadratic_vars:
            raise ValueError("only linear expressions can be sent to HiGHS")
        indices, values = [], []
        constant = float(repn.constant)
        for var, coefficient in zip(repn.linear_vars, repn.linear_coefs):
            index = self.column_of.get(id(var))
            if index is None:
                constant += coefficient * pyo.value(var)
            else:
                indices.append(index)
                values.append(float(coefficient))
        return indices, values, constant

    def set_objective(self, expression, sense) -> None:
        indices, values, constant = self._linear(expression)
        count = len(self.columns)
        costs = np.zeros(count)
        np.add.at(costs, indices, values)
        self.costs, self.offset = costs, constant
        self.highs.changeColsCost(count, np.arange(count, dtype=np.int32), costs)
        self.highs.changeObjectiveOffset(constant)
        self.highs.changeObjectiveSense(
            highspy.ObjSense.kMaximize if sense == pyo.maximize else highspy.ObjSense.kMinimize
        )

    def add_constraint(self, name: str, expression, lower: float | None, upper: float | None) -> None:
        """lower ≤ expression ≤ upper, as a new row (None: no bound on that side)."""
        indices, values, constant = self._linear(expression)
        low = -INFINITY if lower is None else lower - constant
        up = INFINITY if upper is None else upper - constant
        self.rows_of.setdefault(name, []).append(self.highs.getNumRow())
        self.highs.addRow(low, up, len(indices), np.array(indices, dtype=np.int32), np.array(values, dtype=float))

    def release(self, name: str) -> None:
        """Lift every row of a constraint (it no longer binds)."""
        for row in self.rows_of.get(name, []):
            self.highs.changeRowBounds(row, -INFINITY, INFINITY)

    # ---- solving ---------------------------------------------------------------------
    def solve(self, time_limit: float | None = None) -> Outcome:
        """Solve; when a plan is found, write it into the Pyomo variables."""
        self.highs.setOptionValue("time_limit", INFINITY if time_limit is None else max(time_limit, 0.01))
        started = self.highs.getRunTime()
        with_start = self.last_solution is not None
        if self.last_solution is not None:
            # A MIP start: the last plan is often feasible, or nearly, for the next question.
            start = highspy.HighsSolution()
            start.col_value = list(self.last_solution)
            self.highs.setSolution(start)
        self.highs.run()
        has_plan = has_feasible_solution(self.highs.getInfo())
        if has_plan and not objective_agrees(
            self.highs.getInfo().objective_function_value,
            self.costs,
            self.offset,
            np.asarray(self.highs.getSolution().col_value),
        ):
            if not with_start:
                raise SolverFailure("HiGHS reported an objective that its own plan does not have")
            self.highs.clearSolver()  # forget the start and ask again (see objective_agrees)
            self.highs.run()
        seconds = self.highs.getRunTime() - started
        status = self.highs.getModelStatus()
        info = self.highs.getInfo()
        has_plan = has_feasible_solution(info)
        solved, word = status_of(self.highs, status)
        if solved is SolveStatus.INFEASIBLE:
            has_plan = False
        objective = bound = None
        if has_plan:
            if not objective_agrees(
                info.objective_function_value, self.costs, self.offset, self.highs.getSolution().col_value
            ):
                raise SolverFailure("HiGHS reported an objective that its own plan does not have, even without a start")
            values = list(self.highs.getSolution().col_value)
            self.last_solution = values
            for var, value in zip(self.columns, values):
                var.set_value(value, skip_validation=True)
            objective = info.objective_function_value
            bound = info.mip_dual_bound if self.is_mip else objective
            if bound is not None and not math.isfinite(bound):
                bound = None
        return Outcome(solved, has_plan, objective, bound, seconds, word)
