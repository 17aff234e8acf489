"""`trp-opt compare`: what a proposal buys, what the same money would buy, and how to close the gap.

One run answers, for a proposal workbook against a base workbook:
0. today's plan: the base workbook's own optimum, what the proposal loses against (the budget cut included);
1. the proposal as written: every figure imposed (``Proposal.as_written``);
2. the same money, best use: only the budget envelope and the overrides;
3. the gap per scenario, and for each imposed figure the days recovered by
   lifting it alone, ranked;
4. the allocation side by side (in the report);
plus, for the proposal as written, the value of money, what holds it back (trp_opt.analysis.limits), what
each project it leaves out would buy (trp_opt.analysis.unfunded) and the price of the next day
(trp_opt.analysis.price), as a plan workbook has them.

Solves are saved where the answer is already known: the best-use plan is a
relaxation's optimum, so whenever it happens to satisfy every figure still
imposed (all of them for question 1, all but the lifted one for a lift), it
is also that problem's optimum and no solve is needed. Solves that do not need
each other's answers are asked side by side (today's plan and the best use; then
every figure lifted): a solve's longest stages are one MIP each, on one core.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from trp_opt.analysis.diagnosis import explained
from trp_opt.analysis.explanation import explain_plan
from trp_opt.analysis.value import value_of_money
from trp_opt.analysis.why import why_this_plan
from trp_opt.data import vocabulary
from trp_opt.data.errors import Infeasible
from trp_opt.data.explanations import Limits, NextDay, Unfunded, ValueOfMoney
from trp_opt.data.inputs import Inputs
from trp_opt.data.options import SolveOptions, with_deadline
from trp_opt.data.plans import PlanResult, Reachable
from trp_opt.data.solution import Solution
from trp_opt.io.proposal import Figure, Proposal
from trp_opt.model.highs import size_scheduler
from trp_opt.solve.choose import choose_plan
from trp_opt.solve.parallel import Answered, parallel_map

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Lift:
    figure: Figure
    endurance: dict[str, int]  # days per scenario with this figure lifted
    recovered: dict[str, int]  # days more than the proposal as written, per scenario
    worst_recovered: int  # change of the worst scenario's days
    solved: bool  # False when the best-use plan already answered it


@dataclass
class Comparison:
    proposal: Proposal
    written: Solution  # question 1
    best: Solution  # question 2
    lifts: list[Lift]  # ranked, most days recovered first
    value: ValueOfMoney | None
    timings: dict[str, float] = field(default_factory=dict)
    solves: dict[str, str] = field(default_factory=dict)  # question -> how it was answered
    base_file: str = ""
    base_sha256: str = ""
    proposal_sha256: str = ""
    options: dict[str, str] = field(default_factory=dict)
    limits: Limits | None = None  # of the proposal as written, with the value of money
    unfunded: Unfunded | None = None
    prices: list[NextDay] | None = None
    today: Solution | None = None  # the base workbook's own plan: question 0

    def lost(self, scenario_id: str) -> int:
        """Days the proposal as written loses against today's plan (negative: it lasts longer)."""
        today = self.today if self.today is not None else self.best
        return today.endurance_by_scenario[scenario_id] - self.written.endurance_by_scenario[scenario_id]

    def gap(self, scenario_id: str) -> int:
        """Days the proposal loses against the same money's best use (negative: it lasts longer there)."""
        return self.best.endurance_by_scenario[scenario_id] - self.written.endurance_by_scenario[scenario_id]


def category_spend(inputs: Inputs, plan: dict[tuple[str, int], int]) -> dict[str, float]:
    spend = {category: 0.0 for category in inputs.categories}
    for (project_id, _), units in plan.items():
        project = inputs.projects[project_id]
        spend[project.category] += units * project.unit_cost
    return spend


def satisfies(inputs: Inputs, plan: dict[tuple[str, int], int], figures: list[Figure]) -> bool:
    """Does the plan keep every one of these figures (earmarks and fixed decisions)?"""
    spend = category_spend(inputs, plan)
    for figure in figures:
        for rule in figure.rules:
            if rule.category is None:
                continue  # a figure's rules are earmarks of a category
            amount = spend[rule.category]
            if rule.rule == vocabulary.RULE_CATEGORY_FLOOR and amount < rule.amount - TOLERANCE * max(1.0, rule.amount):
                return False
            if rule.rule == vocabulary.RULE_CATEGORY_CAP and amount > rule.amount + TOLERANCE * max(1.0, rule.amount):
                return False
        if figure.decision is not None:
            units = {y: n for (p, y), n in plan.items() if p == figure.project and n > 0}
            if sum(units.values()) != figure.decision.units:
                return False
            if figure.decision.start_year is not None and set(units) - {figure.decision.start_year}:
                return False
    return True


def worst(endurance: dict[str, int]) -> int:
    return min(endurance.values())


def rank_key(lift: Lift, weights: dict[str, float]) -> tuple[float, float, float, str]:
    weighted = sum(weights[s] * d for s, d in lift.recovered.items())
    return (-lift.worst_recovered, -weighted, -max(lift.recovered.values()), lift.figure.cell)


def compare_proposal(
    proposal: Proposal,
    options: SolveOptions,
    step: float | None = None,
    value: bool = True,
    progress: Callable[[str], None] = lambda _: None,
    lifts_asked: bool = True,
    today_chosen: PlanResult | None = None,
    answered: Answered | None = None,
) -> Comparison:
    """Every question of the comparison; raises Infeasible (with the rules that conflict) or
    SolverFailure. ``lifts_asked``: lift each imposed figure (question 3); a league of proposals does without.
    ``today_chosen``: today's plan when the caller has it (a league asks it once for every proposal).
    ``answered(done, asked)``: the questions of each part answered (solve's progress bar)."""
    timings: dict[str, float] = {}
    solves: dict[str, str] = {}
    written_inputs = proposal.as_written()

    # Today's plan and the same money's best use are independent solves: asked side by side (a solve's longest
    # stages are one MIP each, which leave the other core idle).
    needs_today = today_chosen is None and proposal.envelope != proposal.base
    first_round: list[Solve] = [("same money, best use", proposal.envelope, options, None)]
    if needs_today:
        first_round.append(("today's plan", proposal.base, options, None))
    solved = _side_by_side(first_round, timings, progress, answered)
    best = solved[0]
    solves["same money, best use"] = "solved"
    timings.setdefault("solve: today's plan", 0.0)  # no solve of its own: it is known
    if today_chosen is not None:
        today = today_chosen
        solves["today's plan"] = "solved once for every proposal of the league"
    elif not needs_today:
        today = best  # no budget of its own and no figure overridden: the same question as the base's
        solves["today's plan"] = "the proposal keeps the base's budget and figures: the best-use plan, no solve"
    else:
        today = solved[1]
        solves["today's plan"] = "solved"

    if satisfies(written_inputs, best.plan, proposal.figures):
        written = best  # the best use already keeps every figure: it is the proposal's optimum too
        timings["solve: proposal as written"] = 0.0
        solves["proposal as written"] = "the best-use plan keeps every figure of the proposal: same optimum, no solve"
    else:
        try:
            (written,) = _side_by_side(
                [("proposal as written", written_inputs, options, None)], timings, progress, answered, explain=False
            )
        except Infeasible as no_plan:
            diagnosed = explained(no_plan, options)
            raise Infeasible(
                f"The proposal {proposal.path.name} cannot be carried out as written. {diagnosed.summary}",
                diagnosed.conflicts + _figure_list(proposal),
            ) from None
        solves["proposal as written"] = "solved"

    # Each figure lifted alone: the best-use plan answers a lift that keeps every other figure (within the proposal's
    # own money: not for the budget); the others are solves of their own, asked side by side.
    weights = {s: written_inputs.scenarios[s].weight for s in written_inputs.scenarios}
    figures = proposal.figures if lifts_asked else []
    to_solve: list[Solve] = []
    solved_figures: list[int] = []
    for index, figure in enumerate(figures):
        timings[f"solve: lifting {figure.cell}"] = 0.0  # in the figures' order, whichever solve ends first
        others = [f for f in proposal.figures if f is not figure]
        if figure.kind != "budget" and satisfies(written_inputs, best.plan, others):
            continue
        # Only the days count here, so the cost tie-break (often the longest stage) is skipped. Lifting a figure
        # only drops rules, so what the proposal's solve proved reachable still is, unless the figure replaced a
        # decision of the envelope's own (lifting it brings that one back).
        lifted_inputs = proposal.as_written(without=figure)
        relaxed = figure.project is None or figure.project not in proposal.envelope.imposed
        if figure.kind == "budget":  # a cut lifted is more money, every year; a rise lifted, less
            relaxed = lifted_inputs.spend_limit() >= written_inputs.spend_limit() and all(
                lifted_inputs.year_budgets[y] >= budget for y, budget in written_inputs.year_budgets.items()
            )
        known = written.reachable if relaxed else None
        to_solve.append((f"lifting {figure.cell}", lifted_inputs, replace(options, cheapest=False), known))
        solved_figures.append(index)
    lifted = dict(zip(solved_figures, _side_by_side(to_solve, timings, progress, answered, explain=False)))
    lifts = []
    for index, figure in enumerate(figures):
        endurance = lifted[index].endurance if index in lifted else best.endurance
        recovered = {s: endurance[s] - written.endurance[s] for s in written.endurance}
        lifts.append(
            Lift(figure, dict(endurance), recovered, worst(endurance) - worst(written.endurance), index in lifted)
        )
        solves[f"lifting {figure.cell}"] = (
            "solved" if index in lifted else "answered by the best-use plan (it keeps every other figure)"
        )
    lifts.sort(key=lambda lift: rank_key(lift, weights))

    start = time.perf_counter()
    written_solution = explain_plan(
        written_inputs, written, options, _tagged(progress, "proposal as written"), answered
    )
    best_solution = explain_plan(proposal.envelope, best, options, _tagged(progress, "same money, best use"), answered)
    today_solution = (
        best_solution
        if today is best
        else explain_plan(proposal.base, today, options, _tagged(progress, "today's plan"), answered)
    )
    timings["explain"] = time.perf_counter() - start

    money_of_value = None
    explaining = with_deadline(options)  # --time-limit again, for all the value sheets together
    if value:
        start = time.perf_counter()
        money_of_value = value_of_money(
            written_inputs, written, explaining, step, "the proposal as written", _tagged(progress, "value of money")
        )
        timings["value of money"] = time.perf_counter() - start
    comparison = Comparison(proposal, written_solution, best_solution, lifts, money_of_value, timings, solves)
    comparison.today = today_solution
    if value:
        why = why_this_plan(
            written_inputs, written, explaining, timings, _tagged(progress, "proposal as written"), answered
        )
        comparison.limits, comparison.unfunded, comparison.prices = why.limits, why.unfunded, why.prices
    return comparison


def _tagged(progress: Callable[[str], None], tag: str) -> Callable[[str], None]:
    """The progress of one part of the comparison, its lines marked with the part's name."""
    return lambda message: progress(f"[{tag}] {message}")


def _silent(message: str) -> None:
    """The progress of a solve asked beside others: its steps would interleave with theirs."""


# A solve of the comparison: its tag (the step's name), inputs, options and what is known reachable in them.
Solve = tuple[str, Inputs, SolveOptions, Reachable | None]


def _side_by_side(
    solves: list[Solve],
    timings: dict[str, float],
    progress: Callable[[str], None],
    answered: Answered | None,
    explain: bool = True,
) -> list[PlanResult]:
    """The solves' plans, in order, asked side by side (trp_opt.solve.parallel: each its own HiGHS, so the plans do
    not depend on which ends first), each timed in ``timings`` as 'solve: TAG'. A solve alone reports its own steps
    and counts their questions; several report as one step that counts the solves answered, since their steps would
    interleave. ``explain``: a solve with no plan raises the diagnosis (analysis.diagnosis.explained)."""
    alone = len(solves) == 1
    for tag, *_ in solves:
        timings[f"solve: {tag}"] = 0.0  # in the solves' order, whichever ends first

    def asked(tag: str, inputs: Inputs, options: SolveOptions, known: Reachable | None) -> Callable[[], PlanResult]:
        def solve() -> PlanResult:
            start = time.perf_counter()
            told = _tagged(progress, tag) if alone else _silent
            try:
                chosen = choose_plan(inputs, options, told, known=known, answered=answered if alone else None)
            except Infeasible as problem:
                if explain:
                    raise explained(problem, options) from None
                raise
            timings[f"solve: {tag}"] = time.perf_counter() - start
            return chosen

        return solve

    # The reference formulation's Pyomo models are written one at a time (its writer failed with a TypeError when
    # two solves built theirs at once): asked one after another, as they were.
    by_blocks = all(options.formulation == "blocks" for _, _, options, _ in solves)
    if len(solves) > 1:
        progress(f"Solving {'side by side' if by_blocks else 'one after another'}: {'; '.join(t for t, *_ in solves)}")
        size_scheduler(solves[0][2].threads)  # here, not in the solves' threads
    return parallel_map([asked(*solve) for solve in solves], None if alone else answered, side_by_side=by_blocks)


def _figure_list(proposal: Proposal) -> list[str]:
    if not proposal.figures:
        return []
    return ["The proposal imposes: " + "; ".join(f"{f.cell} {f.words}" for f in proposal.figures) + "."]
