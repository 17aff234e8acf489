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
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.tee import capture_output
from pyomo.repn import generate_standard_repn
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from trp_opt.errors import SolverFailure

RANDOM_SEED = 20270101  # fixed so that a rerun gives the same figures
# Components indexed (scenario, ..., day): the ones set_horizon can leave out after a scenario's last day.
DAILY = frozenset({
    "ok", "imp", "out", "lost", "fixed", "use", "shortfall", "relief", "inv",
    "capacity_limit", "damage", "lost_when_exposed", "lost_when_protected", "damage_limit", "repair_pace",
    "repair_limit", "essential_requirement", "relief_potential", "relief_cap", "stock_room", "stock_balance",
    "flow_balance", "endurance_prefix",
})
INFINITY = highspy.kHighsInf
_creating = threading.Lock()  # instances are made and the scheduler sized one at a time
_banner_shown = False
_scheduler_threads: int | None = None  # the thread count HiGHS's scheduler was last sized for


def quiet_highs(threads: int | None = None, gap: float = 0.0) -> highspy.Highs:
    """A silent HiGHS with trp-opt's options: fixed seed, given threads and relative MIP gap.

    ``threads`` None: as many as the process's instances so far (1 if none). HiGHS runs all of a
    process's instances on one thread scheduler, sized by its first solve, and refuses to solve an
    instance that asks for another count; so a new count resets the scheduler. That is safe only
    between solves, and trp-opt asks one count throughout a command (``--threads``), so it happens only
    from one command's solve to the next in the same process (tests).

    HiGHS prints a banner when the process's first instance is created (the analyst needs none): that one
    is created with the output captured, under a lock, since questions may be asked from several threads
    (trp_opt.parallel) and the capture redirects the whole process's output while it lasts."""
    global _banner_shown, _scheduler_threads
    with _creating:
        if _banner_shown:
            highs = highspy.Highs()
        else:
            with capture_output(capture_fd=True):
                highs = highspy.Highs()
            _banner_shown = True
        if threads is None:
            threads = _scheduler_threads or 1
        elif _scheduler_threads is not None and threads != _scheduler_threads:
            highspy.Highs.resetGlobalScheduler(True)
        _scheduler_threads = threads
    for option, value in (("output_flag", False), ("threads", threads), ("random_seed", RANDOM_SEED),
                          ("mip_rel_gap", gap)):
        highs.setOptionValue(option, value)
    return highs


def pass_model(highs: highspy.Highs, lp: highspy.HighsLp) -> None:
    """Load a model into HiGHS; a refusal is a solver failure in the analyst's words."""
    if highs.passModel(lp) == highspy.HighsStatus.kError:
        # HiGHS refuses coefficients beyond its limits (about 1e15) rather than solving badly.
        raise SolverFailure(
            "HiGHS refused the model: numerical trouble in the solver; very large or very small figures "
            "are the usual cause"
        )


def status_in_words(highs: highspy.Highs, status) -> str:
    """HiGHS's model status as trp-opt says it: optimal, infeasible, time limit, interrupted, or HiGHS's own word."""
    words = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
        highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible",
        highspy.HighsModelStatus.kTimeLimit: "time limit",
        highspy.HighsModelStatus.kInterrupt: "interrupted",
    }
    return words.get(status, highs.modelStatusToString(status))


@dataclass(frozen=True)
class Outcome:
    """How one solve ended."""

    status: str  # "optimal", "infeasible", "time limit", "interrupted", or HiGHS's own word
    has_plan: bool  # a feasible solution was found (and loaded into the Pyomo variables)
    objective: float | None
    bound: float | None
    seconds: float

    @property
    def proven(self) -> bool:
        return self.status == "optimal"


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

        # A copy of the whole model, kept up to date with every change, from which a model cut to fewer
        # days is passed to HiGHS (set_horizon). Each column and row knows its scenario and day.
        self.scenario_code = {s: k for k, s in enumerate(getattr(model, "scenario_ids", []))}
        self.col_lower, self.col_upper = lower.copy(), upper.copy()
        self.cost = np.zeros(count)
        self.offset, self.maximize = 0.0, False
        self.integrality = np.zeros(count, dtype=np.uint8)
        self.integrality[integer] = 1
        self.matrix = matrix
        self.row_lower, self.row_upper = np.array(row_lower, dtype=float), np.array(row_upper, dtype=float)
        self.extra_rows: list[tuple[list[int], list[float]]] = []  # rows added after loading
        self.extra_bounds_lower: list[float] = []
        self.extra_bounds_upper: list[float] = []
        self.col_scenario, self.col_day = self._days_of([(v.parent_component().name, v.index()) for v in self.columns])
        self.row_scenario, self.row_day = self._days_of(
            [(e.constraint.parent_component().name, e.constraint.index()) for e in compiled.rows]
        )
        self.horizon: dict[str, int] | None = None  # None: every day of every scenario is in HiGHS
        self.loaded_full = True
        self.kept_columns: np.ndarray | None = None
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

    def _days_of(self, entries) -> tuple[np.ndarray, np.ndarray]:
        """Scenario code and day of each (component name, index); -1 when not a per-day entry."""
        scenario = np.full(len(entries), -1, dtype=np.int64)
        day = np.full(len(entries), -1, dtype=np.int64)
        for k, (name, index) in enumerate(entries):
            if name in DAILY and isinstance(index, tuple):
                scenario[k] = self.scenario_code.get(index[0], -1)
                day[k] = index[-1]
        return scenario, day

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
            self.col_lower[indices] = lows
            self.col_upper[indices] = ups
            if self.loaded_full:
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
        costs[indices] = values
        self.cost, self.offset, self.maximize = costs, constant, sense == pyo.maximize
        if self.loaded_full:
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
        self.rows_of.setdefault(name, []).append(len(self.row_lower) + len(self.extra_rows))
        self.extra_rows.append((indices, values))
        self.extra_bounds_lower.append(low)
        self.extra_bounds_upper.append(up)
        if self.loaded_full:
            self.highs.addRow(low, up, len(indices), np.array(indices, dtype=np.int32), np.array(values, dtype=float))

    def release(self, name: str) -> None:
        """Lift every row of a constraint (it no longer binds)."""
        for row in self.rows_of.get(name, []):
            if row < len(self.row_lower):
                self.row_lower[row], self.row_upper[row] = -INFINITY, INFINITY
            else:
                extra = row - len(self.row_lower)
                self.extra_bounds_lower[extra], self.extra_bounds_upper[extra] = -INFINITY, INFINITY
            if self.loaded_full:
                self.highs.changeRowBounds(row, -INFINITY, INFINITY)

    def set_horizon(self, horizon: dict[str, int] | None) -> None:
        """Solve only days 1..horizon[s] of each scenario s (None: every day).

        Exact when nothing after those days is asked for (no day after them counted as met): every
        constraint of a day looks back, never ahead, and a day that need not be met can always be
        passed by doing nothing. So those days are left out of HiGHS instead of solved for nothing.
        """
        self.horizon = None if horizon is None else dict(horizon)

    def _kept(self, scenario: np.ndarray, day: np.ndarray) -> np.ndarray:
        limit = np.array([self.horizon.get(s, 10**9) for s in self.scenario_code] + [10**9], dtype=np.int64)
        return (day < 0) | (day <= limit[scenario])

    def _pass_restricted(self) -> None:
        """Give HiGHS the model cut to the horizon (columns and rows of later days left out)."""
        import scipy.sparse as sparse

        columns = np.flatnonzero(self._kept(self.col_scenario, self.col_day))
        rows = np.flatnonzero(self._kept(self.row_scenario, self.row_day))
        matrix = self.matrix[rows]
        lower, upper = self.row_lower[rows], self.row_upper[rows]
        if self.extra_rows:
            data, indices, starts = [], [], [0]
            for cols, values in self.extra_rows:
                indices.extend(cols)
                data.extend(values)
                starts.append(len(indices))
            extra = sparse.csr_matrix((data, indices, starts), shape=(len(self.extra_rows), len(self.columns)))
            matrix = sparse.vstack([matrix, extra], format="csr")
            lower = np.concatenate([lower, self.extra_bounds_lower])
            upper = np.concatenate([upper, self.extra_bounds_upper])
        matrix = matrix[:, columns].tocsc()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(columns), len(lower)
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = self.cost[columns], self.col_lower[columns], self.col_upper[columns]
        lp.row_lower_, lp.row_upper_ = lower, upper
        lp.offset_ = self.offset
        lp.sense_ = highspy.ObjSense.kMaximize if self.maximize else highspy.ObjSense.kMinimize
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = matrix.data.astype(float)
        lp.integrality_ = [highspy.HighsVarType.kInteger if self.integrality[c] else highspy.HighsVarType.kContinuous
                           for c in columns]
        pass_model(self.highs, lp)
        self.kept_columns = columns
        self.loaded_full = False

    def _pass_full(self) -> None:
        self.horizon = {}
        self._pass_restricted()
        self.horizon = None
        self.kept_columns = None
        self.loaded_full = True

    # ---- solving ---------------------------------------------------------------------
    def solve(self, time_limit: float | None = None) -> Outcome:
        """Solve; when a plan is found, write it into the Pyomo variables."""
        self.highs.setOptionValue("time_limit", INFINITY if time_limit is None else max(time_limit, 0.01))
        if self.horizon is not None:
            self._pass_restricted()
        elif not self.loaded_full:
            self._pass_full()
        kept = self.kept_columns
        if self.last_solution is not None:
            # A MIP start: the last plan is often feasible, or nearly, for the next question.
            start = highspy.HighsSolution()
            start.col_value = list(self.last_solution if kept is None else np.asarray(self.last_solution)[kept])
            self.highs.setSolution(start)
        started = self.highs.getRunTime()
        self.highs.run()
        seconds = self.highs.getRunTime() - started
        status = self.highs.getModelStatus()
        info = self.highs.getInfo()
        has_plan = info.primal_solution_status == 2  # feasible
        word = status_in_words(self.highs, status)
        if word == "infeasible":
            has_plan = False
        objective = bound = None
        if has_plan:
            values = list(self.highs.getSolution().col_value)
            if kept is not None:  # days left out did nothing
                full = np.zeros(len(self.columns))
                full[kept] = values
                values = list(full)
            self.last_solution = values
            for var, value in zip(self.columns, values):
                var.set_value(value, skip_validation=True)
            objective = info.objective_function_value
            bound = info.mip_dual_bound if self.is_mip else objective
            if bound is not None and not math.isfinite(bound):
                bound = None
        return Outcome(word, has_plan, objective, bound, seconds)
