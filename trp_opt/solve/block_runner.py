"""Asking the block model (trp_opt.model.blocks) questions: can every scenario last these days, what is the
best weighted endurance or the least cost within them, how long does a held plan last, and how does it
operate day by day.

Each question is assembled from cached scenario pieces and loaded into one HiGHS instance. Every plan
a question returns holds day by day: where a repair block used more capacity than its first day has,
the plan is checked on its own and the blocks are split until it holds or the question is asked again
(``BlockRunner._finer_blocks``; models/endurance.md, "Blocks").
"""

from __future__ import annotations

import copy
import dataclasses
import math
import time
from collections.abc import Callable, Mapping, Sequence
from functools import partial

import highspy
import numpy as np

from trp_opt.data.derived import cost_tie_break_scale
from trp_opt.data.errors import SolverFailure
from trp_opt.data.inputs import Inputs, weight_step
from trp_opt.data.options import SolveOptions, seconds_left
from trp_opt.data.plans import Plan, SolveStatus
from trp_opt.model.blocks import (
    CAPACITY_TOLERANCE,
    LOCAL,
    Assembled,
    Block,
    Investments,
    Piece,
    blocks_of,
    input_changes,
    investments_of,
    piece_reads,
    scenario_piece,
    with_plan,
)
from trp_opt.model.highs import (
    INFINITY,
    Outcome,
    has_feasible_solution,
    objective_agrees,
    pass_model,
    quiet_highs,
    status_of,
)
from trp_opt.solve import parallel
from trp_opt.solve.bisection import last_day_met, last_met_between
from trp_opt.solve.engine import CUT_SLACK, Cut, OperationsEngine, PointsOf, exposure_rows, master_columns
from trp_opt.solve.runner import WEIGHTED_THEN_COST, Answer

COUNTS_DAYS = ("weighted_endurance", WEIGHTED_THEN_COST)  # questions whose objective counts free days

# Scenario pieces of the block model, by scenario and its blocks of days: shared between questions about one held plan.
PlanPieces = dict[tuple[str, tuple[Block, ...]], Piece]


class PieceStore:
    """Scenario pieces shared by runners of inputs that differ only in what the investments' rows say (unit
    costs, budgets, policy rules, lead times, imposed decisions): the re-solves of the Limits, Unfunded projects
    and Price of the next day sheets. A piece is found by its scenario, its blocks and what it reads
    (trp_opt.model.blocks.piece_reads), so a runner whose inputs differ where a piece looks builds its own."""

    def __init__(self) -> None:
        self._pieces: dict[tuple[str, tuple[Block, ...]], list[tuple[tuple, Piece]]] = {}

    def piece(self, inputs: Inputs, invest: Investments, scenario_id: str, blocks: tuple[Block, ...]) -> Piece:
        reads = piece_reads(inputs, invest, scenario_id)
        built = self._pieces.setdefault((scenario_id, blocks), [])
        for known, piece in list(built):  # a copy: another thread may append
            if all(a is b or a == b for a, b in zip(known, reads)):
                return piece
        piece = scenario_piece(inputs, invest, inputs.scenarios[scenario_id], list(blocks))
        built.append((reads, piece))
        return piece


class BlockRunner:
    """Asks the block model questions: can every scenario last these days, what is the best weighted
    endurance or the least cost within given days. Declares trp_opt.solve.runner.Runner, as the reference formulation's runner does."""

    def __init__(
        self,
        inputs: Inputs,
        options: SolveOptions,
        plan: Plan | None = None,
        scenario_ids: list[str] | None = None,
        investments: Investments | None = None,
        plan_pieces: PlanPieces | None = None,
        block_starts: Mapping[str, frozenset[int]] | None = None,
        shared: PieceStore | None = None,
        floors: Mapping[str, int] | None = None,
        engine: OperationsEngine | None = None,
    ) -> None:
        """``investments``: the arrays of equations (1)–(8), when already built (with the plan, if one is given).
        ``plan_pieces``: with a plan, scenario pieces to share with other held-plan questions of the same
        inputs: a held plan's effects sit in the same columns whatever the plan (blocks.with_plan), so a
        piece built for one plan serves every plan. ``block_starts``: days where blocks start, per scenario,
        from an earlier solve of the same scenarios (PlanResult.block_starts): finer blocks are never wrong, and
        starting from them saves splitting them again. ``shared``: pieces shared with other runners (PieceStore),
        for questions with no plan held. ``floors``: days every plan of these inputs lasts, per scenario
        (floors_of): a question that asks no more of a scenario than its floor leaves the scenario out, as
        every plan meets it (not for the weighted endurance, which counts each scenario's days). ``engine``: the
        run's operations engine (trp_opt.solve.engine): a question that fixes every scenario's days is asked of the
        investments with its pooled cuts, where these inputs have its operations."""
        started = time.perf_counter()
        self.inputs, self.options = inputs, options
        self.scenario_ids = list(scenario_ids or inputs.scenarios)
        if investments is None:
            investments = investments_of(inputs) if plan is None else with_plan(inputs, plan)
        self.invest = investments
        self.plan_held = plan is not None
        self.changes = {s: input_changes(inputs, inputs.scenarios[s]) for s in self.scenario_ids}
        for s, days in (block_starts or {}).items():
            if s in self.changes:
                self.changes[s] |= days
        self.horizon = {s: inputs.scenarios[s].horizon for s in self.scenario_ids}
        self.floors = dict(floors or {}) if plan is None else {}
        # Scenarios the last question left out (at their floors), and the days it asked of them.
        self.dropped: dict[str, int] = {}
        self.trusted_dropped: dict[str, int] = {}
        self.weights = {s: inputs.scenarios[s].weight for s in self.scenario_ids}
        if plan_pieces is not None and plan is None:
            raise ValueError("plan_pieces serve questions about a held plan only")
        self.pieces: PlanPieces = {} if plan_pieces is None else plan_pieces
        # Pieces for questions about a held plan: this runner's own when its plan is fixed, else a store
        # for the checks of the plans it finds (and for the plan's endurance afterwards).
        self.plan_pieces = self.pieces if plan is not None else {}
        self.shared = shared if plan is None else None
        self.holds: list[tuple[str, float]] = []
        self.start: dict[int, float] = {}  # last plan found (investment columns), a MIP start for the next question
        # The last plan found and the pieces it was found on; 'trusted' once it holds day by day.
        self.solution: np.ndarray | None = None
        self.last_pieces: list[tuple[Piece, int]] = []
        self.trusted: tuple[np.ndarray, list[tuple[Piece, int]]] | None = None
        self.started = time.perf_counter()
        self.seconds = 0.0  # in HiGHS
        self.build_seconds = self.started - started  # building and assembling arrays
        self.timed_out = False
        self.refinements = 0
        self.highs = quiet_highs(options.threads, options.gap)
        # Objectives of questions of their own, by name: terms on investment columns, maximised or not.
        self.objectives: dict[str, tuple[dict[int, float], bool]] = {}
        self.engine = engine if engine is not None and plan is None and engine.serves(inputs) else None
        self.by_cuts = 0  # questions the engine answered
        self.exposure: list[tuple[dict[int, float], float, float]] | None = None  # (11) on the investments alone
        self.points_of: PointsOf | None = None  # a plan's point in each scenario, for the engine

    def version(self) -> str:
        return f"{self.highs.version()}"

    def remaining(self) -> float:
        left = seconds_left(self.options, self.started)
        return INFINITY if left is None else max(0.01, left)

    # ---- trp_opt.solve.runner.Runner ------------------------------------------------------------------------------
    def reaches(self, levels: Mapping[str, int]) -> bool:
        """Can some plan meet every requirement of each scenario s on days 1..levels[s]?
        A check cut short by the time limit counts as 'no' and marks the result unproven."""
        outcome = self.solve(levels, levels, None)
        return outcome.has_plan

    def optimise(self, name: str, lower: Mapping[str, int], upper: Mapping[str, int], daily: bool = True) -> Outcome:
        """'weighted_endurance' (maximise), 'total_cost' (minimise), WEIGHTED_THEN_COST (both at once: see
        trp_opt.solve.runner) or one of ``self.objectives``, with days up to lower[s] met and days after upper[s] not
        counted, and every stage held so far. ``daily``: a binary per free day (tighter for a MIP over investments);
        otherwise free runs of days counted in binary digits (fewer columns: for a held plan)."""
        outcome = self.solve(lower, upper, name, daily)
        if name != WEIGHTED_THEN_COST or not outcome.has_plan:
            return outcome
        # In days: the plan's weighted endurance, and what the bound on K × weighted − cost allows of it with no cost.
        weighted = self.value_of("weighted_endurance")
        bound = None if outcome.bound is None else (outcome.bound + self.inputs.most_spend) / self._cost_scale()
        return dataclasses.replace(outcome, objective=weighted, bound=weighted if outcome.proven else bound)

    def _cost_scale(self) -> float:
        scale = cost_tie_break_scale(self.inputs, weight_step(self.weights.values()))
        if scale is None:
            raise ValueError("the weighted endurance and the cost cannot be asked as one MIP of these inputs")
        return scale

    def keep(self, name: str, value: float, slack: float) -> None:
        """Keep a stage's optimum (within slack) in every later question."""
        maximised = name == "weighted_endurance" or (name in self.objectives and self.objectives[name][1])
        self.holds.append((name, value - slack if maximised else value + slack))

    def _found(self, trusted: bool) -> tuple[np.ndarray, list[tuple[Piece, int]]]:
        """The column values of the last plan that holds day by day (``trusted=False``: the last one found), with
        the scenario pieces they are laid out by."""
        found = self.trusted if trusted else None if self.solution is None else (self.solution, self.last_pieces)
        if found is None:
            raise SolverFailure("a plan was asked for before any question found one")
        return found

    def plan(self, trusted: bool = True) -> dict[tuple[str, int], int]:
        """The last plan that holds day by day (``trusted=False``: the last one found)."""
        values = self._found(trusted)[0]
        return {
            key: int(round(values[column])) for key, column in self.invest.build.items() if round(values[column]) > 0
        }

    def start_from(self, plan: Plan) -> None:
        """Offer this plan to HiGHS as the start of the next question (it completes or repairs it): a plan known to
        meet most of what is asked (the plan being explained, beside a rule lifted or a unit imposed) saves it
        the search for a first one."""
        funded = {project for project, _ in plan}
        start = {column: float(plan.get(key, 0)) for key, column in self.invest.build.items()}
        start.update({column: float(project in funded) for project, column in self.invest.funded.items()})
        self.start = start

    def endurance(self, trusted: bool = True) -> dict[str, int]:
        """Days counted as met in the last plan that holds day by day (or the last found), per scenario."""
        values, pieces = self._found(trusted)
        found = dict(self.trusted_dropped if trusted else self.dropped)  # met by every plan
        for piece, offset in pieces:
            found[piece.scenario_id] = piece.met_days + int(
                round(sum(days * values[offset + column - LOCAL] for column, days in piece.counted))
            )
        return found

    def value_of(self, name: str) -> float:
        if name == "total_cost":
            values = self._found(True)[0]
            return float(sum(cost * values[column] for column, cost in self.invest.cost.items()))
        endurance = self.endurance()
        return float(sum(self.weights[s] * endurance[s] for s in endurance))

    def parallel_map(
        self, questions: Sequence[Callable[[BlockRunner], Answer]], answered: parallel.Answered | None = None
    ) -> list[Answer]:
        """Each question asked of a copy of this runner (the same inputs, arrays, pieces, refined blocks,
        held stages and last plan; a HiGHS of its own), as many at once as there are cores
        (trp_opt.solve.parallel). Answers in order. Afterwards this runner knows every copy's refined blocks
        and holds the last copy's plan; the wall time spent counts as its own."""
        copies = [self._copy() for _ in questions]  # HiGHS instances made here, not in the threads
        began = time.perf_counter()
        try:
            return parallel.parallel_map(
                [partial(question, each) for question, each in zip(questions, copies)], answered
            )
        finally:
            # Python's assembly of questions holds the interpreter's lock: it adds up, the solves overlap.
            building = sum(each.build_seconds for each in copies)
            self.build_seconds += building
            self.seconds += max(0.0, time.perf_counter() - began - building)
            for each in copies:
                for scenario_id, days in each.changes.items():
                    self.changes[scenario_id] |= days
                self.refinements += each.refinements
                self.timed_out = self.timed_out or each.timed_out
            if copies:
                last = copies[-1]
                self.solution, self.last_pieces, self.trusted, self.start = (
                    last.solution,
                    last.last_pieces,
                    last.trusted,
                    last.start,
                )
                self.dropped, self.trusted_dropped = last.dropped, last.trusted_dropped

    def _copy(self) -> BlockRunner:
        twin = copy.copy(self)  # shares the inputs, arrays and the stores of pieces (read-mostly)
        twin.changes = {scenario_id: set(days) for scenario_id, days in self.changes.items()}
        twin.holds, twin.start = list(self.holds), dict(self.start)
        twin.seconds = twin.build_seconds = 0.0
        twin.refinements = 0
        twin.highs = quiet_highs(self.options.threads, self.options.gap)
        return twin

    # ---- solving ----------------------------------------------------------------------------------------
    def solve(
        self, lower: Mapping[str, int], upper: Mapping[str, int], objective: str | None, daily: bool = False
    ) -> Outcome:
        """One question, asked again on finer blocks until its plan holds day by day."""
        if parallel.halted():  # a question beside this one failed, or Ctrl-C was pressed
            raise parallel.Halted()
        left = seconds_left(self.options, self.started)
        if left is not None and left <= 0:
            self.timed_out = True  # out of time: no question is asked any more
            return Outcome(SolveStatus.TIME_LIMIT, False, None, None, 0.0)
        if self._engine_answers(lower, upper, objective):
            answered = self._solve_by_cuts(lower, upper, objective)
            if answered is not None:
                self.by_cuts += 1
                return answered
        spent = 0.0
        while True:
            outcome = self._solve_once(lower, upper, objective, daily)
            spent += outcome.seconds
            outcome = dataclasses.replace(outcome, seconds=spent)
            if not outcome.has_plan:
                return outcome
            finer = self._finer_blocks()
            if not finer:
                self.trusted, self.trusted_dropped = self._found(False), self.dropped
                return outcome
            if outcome.status.cut_short:
                # No time to ask again: the plan found may not hold day by day, so none is returned.
                self.timed_out = True
                return Outcome(outcome.status, False, None, None, outcome.seconds, outcome.word)
            self.refinements += 1
            for scenario_id, days in finer.items():
                self.changes[scenario_id] |= days

    def _engine_answers(self, lower: Mapping[str, int], upper: Mapping[str, int], objective: str | None) -> bool:
        """A question for the engine: every scenario's days fixed (none free), and no weighted endurance asked or
        held (it counts free days)."""
        if self.engine is None or objective in COUNTS_DAYS:
            return False
        if any(name == "weighted_endurance" for name, _ in self.holds):
            return False
        return all(
            min(lower.get(s, 0), self.horizon[s]) == min(upper.get(s, 0), self.horizon[s]) for s in self.scenario_ids
        )

    def _solve_by_cuts(
        self, lower: Mapping[str, int], upper: Mapping[str, int], objective: str | None
    ) -> Outcome | None:
        """The question asked of the investments with the engine's cuts as rows (the master), again with the cuts its
        plan earns until the plan lasts in every scenario (the daily model's answer) or no plan is left (a proof:
        every cut holds for every plan that lasts). None: the engine cannot settle it (the master's plan earned no
        cut that removes it), and the block model is asked."""
        engine = self.engine
        assert engine is not None
        began = time.perf_counter()
        levels = {s: min(upper.get(s, 0), self.horizon[s]) for s in self.scenario_ids}
        asked = {s: days for s, days in levels.items() if days > 0 and days > self.floors.get(s, -1)}
        model = Assembled(self.invest, [])
        if model.columns == 0:
            return None
        self._stages_on(model, objective)
        if self.exposure is None:
            self.exposure = exposure_rows(self.inputs, self.invest)
        for terms, row_lower, row_upper in self.exposure:
            model.add_row(terms, lower=row_lower, upper=row_upper, equation="exposure")
        point_columns = {s: master_columns(engine, self.invest, s) for s in asked}
        seen: dict[str, int] = {}

        def cut_rows() -> list[tuple[str, Cut]]:
            return [(s, cut) for s, cut in engine.cuts_since(seen) if s in asked and cut.days <= asked[s]]

        for s, cut in cut_rows():
            model.add_row(_cut_terms(point_columns[s], cut), upper=CUT_SLACK - cut.constant, equation="cut")
        pass_model(self.highs, model.lp())
        self.build_seconds += time.perf_counter() - began
        spent = 0.0
        while True:
            if parallel.halted():
                raise parallel.Halted()
            seconds, status, solved, word = self._run_from_start(model)
            spent += seconds
            info = self.highs.getInfo()
            if solved is SolveStatus.INFEASIBLE or not has_feasible_solution(info):
                return Outcome(solved, False, None, None, spent, word)
            solution = np.asarray(self.highs.getSolution().col_value)
            plan = {
                key: int(round(solution[column]))
                for key, column in self.invest.build.items()
                if round(solution[column]) > 0
            }
            checking = time.perf_counter()
            if self.points_of is None:
                self.points_of = PointsOf(self.inputs, engine.point_keys)
            points = self.points_of(plan)
            short = [s for s in asked if not engine.lasts(s, points[s], asked[s])]
            checked = time.perf_counter() - checking
            spent += checked
            self.seconds += checked
            if not short:
                self.solution = solution
                self.last_pieces, self.dropped = [], dict(levels)
                self.trusted, self.trusted_dropped = (solution, []), dict(levels)
                self.start = {
                    column: float(round(solution[column]))
                    for column in [*self.invest.build.values(), *self.invest.funded.values()]
                }
                bound = info.mip_dual_bound if objective is not None else info.objective_function_value
                finite_bound = bound if math.isfinite(bound) else None
                return Outcome(solved, True, info.objective_function_value, finite_bound, spent, word)
            if solved.cut_short:
                # Out of time with a plan that falls short somewhere: no plan to return, and no time to ask again.
                return Outcome(solved, False, None, None, spent, word)
            added = 0
            separated = False
            for s, cut in cut_rows():
                terms = _cut_terms(point_columns[s], cut)
                upper_side = CUT_SLACK - cut.constant
                columns = np.fromiter(terms.keys(), dtype=np.int32, count=len(terms))
                values = np.fromiter(terms.values(), dtype=float, count=len(terms))
                self.highs.addRow(-INFINITY, upper_side, len(columns), columns, values)
                added += 1
                if float(values @ solution[columns]) > upper_side + CUT_SLACK:
                    separated = True
            if not separated:
                return None  # the master's own point is not removed: the block model answers

    def _finer_blocks(self) -> dict[str, set[int]]:
        """Where blocks must be split before the last plan can be trusted (empty: it holds day by day).

        A block that passes the capacity check (_uncertified) holds. A scenario with a block that does
        not is asked again on its own with the plan held (a small problem, refined the same way): the
        plan may still last its days with flows that change from day to day. If it does not, the
        scenario's failing blocks are halved, and the finer blocks that its own check found are kept."""
        failing = self._uncertified()
        halves: dict[str, set[int]] = {}
        days: dict[str, set[int]] = {}
        for scenario_id, block in failing:
            halves.setdefault(scenario_id, set()).add(block.first + block.length // 2)
            days.setdefault(scenario_id, set()).update(range(block.first + 1, block.first + block.length))
        if self.plan_held:
            return days  # with the plan held the problem is small: failing blocks go straight to single days
        if not failing:
            return {}
        claimed = self.endurance(trusted=False)
        plan = self.plan(trusted=False)
        finer: dict[str, set[int]] = {}
        fixed = with_plan(self.inputs, plan)
        options = dataclasses.replace(self.options, time_limit=self.remaining() if self.options.time_limit else None)
        for scenario_id in sorted({s for s, _ in failing}):
            check = BlockRunner(
                self.inputs,
                options,
                plan=plan,
                scenario_ids=[scenario_id],
                investments=fixed,
                plan_pieces=self.plan_pieces,
            )
            check.changes[scenario_id] = set(self.changes[scenario_id])
            holds = check.reaches({scenario_id: claimed[scenario_id]})
            self.build_seconds += check.build_seconds
            self.seconds += check.seconds
            if holds:
                continue
            finer[scenario_id] = (check.changes[scenario_id] - self.changes[scenario_id]) | halves[scenario_id]
        return finer

    def _pieces_for(
        self, lower: Mapping[str, int], upper: Mapping[str, int], daily: bool, weighted: bool
    ) -> list[Piece]:
        pieces = []
        self.dropped = {}
        for s in self.scenario_ids:
            top = min(upper.get(s, 0), self.horizon[s])
            if not weighted and top <= self.floors.get(s, -1):
                self.dropped[s] = top  # every plan lasts these days: nothing to ask of it
                continue
            blocks = tuple(blocks_of(self.changes[s], min(lower.get(s, 0), top), top, daily))
            key = (s, blocks)
            if key not in self.pieces and self.shared is not None:
                self.pieces[key] = self.shared.piece(self.inputs, self.invest, s, blocks)
            elif key not in self.pieces:
                self.pieces[key] = scenario_piece(self.inputs, self.invest, self.inputs.scenarios[s], list(blocks))
            pieces.append(self.pieces[key])
        return pieces

    def _solve_once(self, lower, upper, objective: str | None, daily: bool) -> Outcome:
        began = time.perf_counter()
        weighted = objective in COUNTS_DAYS or any(name == "weighted_endurance" for name, _ in self.holds)
        pieces = self._pieces_for(lower, upper, daily, weighted)
        model = Assembled(self.invest, pieces)
        placed = list(zip(pieces, model.offsets))
        self._stages_on(model, objective, model.weighted_days(self.weights))
        lp = model.lp()
        pass_model(self.highs, lp)
        self.build_seconds += time.perf_counter() - began
        seconds, status, solved, word = self._run_from_start(model)
        info = self.highs.getInfo()
        has_plan = solved is not SolveStatus.INFEASIBLE and has_feasible_solution(info)
        if status == highspy.HighsModelStatus.kModelEmpty:
            # No project to fund and no day left free: HiGHS says only "Empty". Every row is then a
            # constant, and the question's answer is whether each constant lies within its bounds.
            if not (np.all(np.asarray(lp.row_lower_) <= 1e-9) and np.all(np.asarray(lp.row_upper_) >= -1e-9)):
                return Outcome(SolveStatus.INFEASIBLE, False, None, None, seconds, word)
            self.solution, self.last_pieces, self.start = np.zeros(0), placed, {}
            return Outcome(SolveStatus.OPTIMAL, True, lp.offset_, lp.offset_, seconds, word)
        if not has_plan:
            return Outcome(solved, False, None, None, seconds, word)
        self.solution = np.asarray(self.highs.getSolution().col_value)
        if not objective_agrees(info.objective_function_value, model.cost, model.offset, self.solution):
            raise SolverFailure("HiGHS reported an objective that its own plan does not have, even without a start")
        self.last_pieces = placed
        self.start = {
            column: float(round(self.solution[column]))
            for column in [*self.invest.build.values(), *self.invest.funded.values()]
        }
        bound = info.mip_dual_bound
        finite_bound = bound if math.isfinite(bound) else None
        return Outcome(solved, True, info.objective_function_value, finite_bound, seconds, word)

    def _stages_on(
        self, model: Assembled, objective: str | None, days: tuple[dict[int, float], float] | None = None
    ) -> None:
        """The stages held so far, as rows, and the question's objective, on a model of this runner's investments.
        ``days``: the weighted endurance's terms and constant where the model counts days (the block model; the
        engine's master fixes them)."""
        for name, value in self.holds:
            if name == "weighted_endurance":
                assert days is not None, "the weighted endurance is held only where days are counted"
                model.add_row(days[0], lower=value - days[1], equation=f"keep_{name}")
            elif name == "total_cost":
                model.add_row(self.invest.cost, upper=value, equation=f"keep_{name}")
            else:
                terms, maximise = self.objectives[name]
                side = {"lower": value} if maximise else {"upper": value}
                model.add_row(terms, **side, equation=f"keep_{name.replace(' ', '_')}")
        if objective == "weighted_endurance":
            assert days is not None, "the weighted endurance is asked only where days are counted"
            model.set_objective(days[0], days[1], maximise=True)
        elif objective == WEIGHTED_THEN_COST:
            assert days is not None, "the weighted endurance is asked only where days are counted"
            scale = self._cost_scale()
            combined = {column: scale * value for column, value in days[0].items()}
            for column, cost in self.invest.cost.items():
                combined[column] = combined.get(column, 0.0) - cost
            model.set_objective(combined, scale * days[1], maximise=True)
        elif objective == "total_cost":
            model.set_objective(self.invest.cost)
        elif objective is not None:
            terms, maximise = self.objectives[objective]
            model.set_objective(terms, maximise=maximise)

    def _run_from_start(self, model: Assembled) -> tuple[float, highspy.HighsModelStatus, SolveStatus, str]:
        """Run HiGHS on the loaded model, within the time left, from the last plan found (often feasible, or nearly,
        for the next question: HiGHS completes it); asked again without it when HiGHS reports an objective its own
        plan does not have (trp_opt.model.highs.objective_agrees). Returns the seconds in HiGHS (counted as this
        runner's), HiGHS's status, trp-opt's and HiGHS's word for it; a run cut short marks the runner."""
        self.highs.setOptionValue("time_limit", self.remaining())
        began = self.highs.getRunTime()
        if self.start:
            indices = np.fromiter(self.start.keys(), dtype=np.int32, count=len(self.start))
            values = np.fromiter(self.start.values(), dtype=float, count=len(indices))
            self.highs.setSolution(len(indices), indices, values)
        self.highs.run()
        if has_feasible_solution(self.highs.getInfo()) and not objective_agrees(
            self.highs.getInfo().objective_function_value,
            model.cost,
            model.offset,
            np.asarray(self.highs.getSolution().col_value),
        ):
            if not self.start:
                raise SolverFailure("HiGHS reported an objective that its own plan does not have")
            self.highs.clearSolver()
            self.highs.run()
        seconds = self.highs.getRunTime() - began
        self.seconds += seconds
        status = self.highs.getModelStatus()
        solved, word = status_of(self.highs, status)
        if solved.cut_short:
            self.timed_out = True
        return seconds, status, solved, word

    def _uncertified(self) -> list[tuple[str, Block]]:
        """Blocks whose output of a repaired technology exceeds what its first day can give.

        With repairs under way a block's capacity rises day by day, and the block used the average.
        Output within the first day's capacity (lost capacity less what is restored by then) can be
        repeated on every day of the block, so such a plan holds day by day; any other block is
        returned, to be halved."""
        values = self._found(False)[0]
        failing = []
        for piece, offset in self.last_pieces:

            def at(column: int | None) -> float:
                if column is None:
                    return 0.0
                return float(values[offset + column - LOCAL] if column >= LOCAL else values[column])

            for repair in piece.repairs:
                block = piece.blocks[repair.block]
                counted = (
                    block.length if not block.free else round(sum(at(c) * d for c, d in piece.block_days[repair.block]))
                )
                if block.length == 1 or counted == 0:
                    continue
                technology = self.inputs.technologies[repair.technology]
                capacity = technology.capacity + sum(at(c) for c in repair.capacity_effect)
                rate = technology.repair_rate + sum(at(c) for c in repair.repair_effect)
                lost = at(repair.lost)
                first_day = capacity - lost + min(lost, at(repair.previous_end) + rate)
                if at(repair.out) > first_day + CAPACITY_TOLERANCE * max(1.0, capacity):
                    failing.append((piece.scenario_id, block))
        return sorted(set(failing), key=lambda item: (item[0], item[1].first))


def _cut_terms(columns: np.ndarray, cut: Cut) -> dict[int, float]:
    """A cut's terms on the master's columns of its scenario's point."""
    return {int(column): float(value) for column, value in zip(columns, cut.coefficients) if value != 0.0}


def plan_endurance(
    inputs: Inputs,
    plan: Plan,
    options: SolveOptions | None = None,
    at_most: Mapping[str, int] | None = None,
    guess: Mapping[str, int] | None = None,
    plan_pieces: PlanPieces | None = None,
    at_least: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """Endurance of every scenario with the investments fixed, each scenario on its own.

    With the plan held, 'are days 1..k met?' is a linear program whose answer turns from yes to no
    once as k grows, so the endurance is found by a search over k: from ``guess[s]`` when given (the
    days the stages counted, say: two programs confirm it), else from the top. ``at_most[s]``: days
    scenario s is known to last at most (e.g. a larger plan's endurance: every effect adds, so fewer
    units never add days); only the days up to it are asked about. A guess is only where the search
    starts: the answer is what the programs say, never the guess itself. ``plan_pieces``: scenario
    pieces shared with other calls for plans of the same inputs (see BlockRunner). ``at_least[s]``: days scenario s is
    known to last (the plan's endurance, for a requirement that counts toward it): the top is asked first, then
    only the days between."""
    # With the plan held these are small linear programs: a time limit that cut one short would report fewer
    # days than the plan gives.
    options = (options or SolveOptions()).unlimited()
    fixed = with_plan(inputs, plan)
    plan_pieces = {} if plan_pieces is None else plan_pieces

    def question(scenario_id: str, runner: BlockRunner) -> int:
        horizon = inputs.scenarios[scenario_id].horizon
        top = min((at_most or {}).get(scenario_id, horizon), horizon)

        def reaches(days: int) -> bool:
            return runner.reaches({scenario_id: days})

        known = (at_least or {}).get(scenario_id)
        if known is not None:
            # Known to last this long: the top first (most requirements on their own last it), then a bisection.
            return top if reaches(top) else last_met_between(reaches, min(max(known, 0), top), top)
        start = min(max((guess or {}).get(scenario_id, top), 0), top)
        return last_day_met(reaches, start, top)

    questions = []
    for scenario_id in inputs.scenarios:  # runners (and their HiGHS) made here, not in the threads
        runner = BlockRunner(
            inputs, options, plan=plan, scenario_ids=[scenario_id], investments=fixed, plan_pieces=plan_pieces
        )
        questions.append(partial(question, scenario_id, runner))
    return dict(zip(inputs.scenarios, parallel.parallel_map(questions)))


def floors_of(inputs: Inputs, options: SolveOptions | None = None) -> dict[str, int]:
    """Days every plan lasts, per scenario: those of the committed units alone, held (every effect only adds,
    so no plan lasts fewer). They stay floors for any inputs that only add to what a plan may do: a budget or
    policy rule lifted, a lead time shorter, a unit imposed."""
    return plan_endurance(inputs, {}, options)


def plan_lasts(
    inputs: Inputs, plan: Plan, levels: Mapping[str, int], options: SolveOptions, plan_pieces: PlanPieces | None = None
) -> set[str]:
    """The scenarios of ``levels`` in which the plan, held, meets every requirement on days 1..levels[s]: one
    linear program each, asked one after the other (a check inside a question already asked side by side)."""
    options = options.unlimited()  # small programs, see plan_endurance
    fixed = with_plan(inputs, plan)
    lasting = set()
    for scenario_id, days in levels.items():
        runner = BlockRunner(
            inputs, options, plan=plan, scenario_ids=[scenario_id], investments=fixed, plan_pieces=plan_pieces
        )
        if runner.reaches({scenario_id: days}):
            lasting.add(scenario_id)
    return lasting


class DailyOperations:
    """One scenario with the plan held, a block a day, loaded once into HiGHS: a linear program whose
    objective changes from stage to stage while each stage's optimum is held (trp_opt.analysis.operations)."""

    def __init__(
        self, inputs: Inputs, plan: Plan, scenario_id: str, threads: int, elastic_after: int | None = None
    ) -> None:
        invest = with_plan(inputs, plan)
        scenario = inputs.scenarios[scenario_id]
        every_day = [Block(day, 1, False) for day in range(1, scenario.horizon + 1)]
        self.piece = scenario_piece(inputs, invest, scenario, every_day, elastic_after)
        self.model = Assembled(invest, [self.piece])
        self.highs = quiet_highs(threads)
        pass_model(self.highs, self.model.lp())
        self.values: np.ndarray | None = None

    def column(self, kind: str, carrier: str, day: int) -> int | None:
        """Column of inv / use / relief / shortfall of a carrier on a day (None where there is none)."""
        local = self.piece.named.get((kind, carrier, day))
        return None if local is None else self.model.column(0, local)

    def optimise(self, terms: Mapping[int, float], maximise: bool) -> tuple[SolveStatus, str]:
        """Solve with this objective; returns how it ended, and HiGHS's own word for it."""
        count = self.model.columns
        cost = np.zeros(count)
        for column, value in terms.items():
            cost[column] = value
        self.highs.changeColsCost(count, np.arange(count, dtype=np.int32), cost)
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
        self.highs.run()
        # Later stages change the objective and add a row: the primal simplex from this basis is
        # quicker than presolving and solving anew (about half the time on the bundled workbook).
        self.highs.setOptionValue("presolve", "off")
        self.highs.setOptionValue("simplex_strategy", 4)
        solved, word = status_of(self.highs, self.highs.getModelStatus())
        if solved is SolveStatus.OPTIMAL:
            self.values = np.asarray(self.highs.getSolution().col_value)
        return solved, word

    def hold(self, terms: Mapping[int, float], lower: float = -INFINITY, upper: float = INFINITY) -> None:
        columns = np.fromiter(terms.keys(), dtype=np.int32, count=len(terms))
        self.highs.addRow(
            lower, upper, len(columns), columns, np.fromiter(terms.values(), dtype=float, count=len(terms))
        )

    def value(self, column: int | None) -> float:
        return 0.0 if column is None else float(self._solved()[column])

    def objective(self, terms: Mapping[int, float]) -> float:
        values = self._solved()
        return float(sum(value * values[column] for column, value in terms.items()))

    def _solved(self) -> np.ndarray:
        if self.values is None:
            raise SolverFailure("the day-by-day operations were read before they were solved")
        return self.values
