"""What each unfunded project would buy: the days with one unit of it added at its earliest start, and the unit
cost at which it would enter the plan.

The days: one unit imposed (exactly one, started in its first allowed year), the rest of the plan chosen again
within the same rules, measured as the Limits sheet measures (trp_opt.analysis.limits): the worst case, and each
scenario's most days while every other keeps that worst case. Imposing a unit only narrows the choice, so the
worst case is at most the plan's, and so is each scenario's while the worst case stays the plan's; what the unit
displaces shows as days lost.

The entry price: the highest unit cost at which one unit at its earliest start makes a plan at least as good as
the plan, in either of two ways:
- it lifts the worst case ('maxmin' only) or a weighed scenario: a plan with it lasts a day more there and no
  day less anywhere;
- it keeps every scenario's days in the plan for no more money (the cheapest such plan costs no more).
Either way the optimiser would fund it at that price, so this is what the project must cost to enter. (A unit
that lets the plan trade days between scenarios for a higher weighted sum would enter at a higher price still:
the figure is the price at which it surely enters.) Each way is one program with the unit's price a column
(trp_opt.model.blocks.with_price_column, equation (39)), maximised up to the unit's own cost: no search over
the price. A day more is asked only where a free unit reaches it (a feasibility question each).

A project enters at no positive price ("never") when it is not finished before any scenario's onset, or when,
even free, it buys no day and saves no money; the reason is given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from functools import partial

from trp_opt.analysis.limits import as_planned
from trp_opt.data import vocabulary
from trp_opt.data.derived import is_live
from trp_opt.data.explanations import Skipped, Unfunded, UnfundedProject
from trp_opt.data.inputs import ImposedDecision, Inputs, Project
from trp_opt.data.options import SolveOptions, out_of_time
from trp_opt.data.plans import Plan, PlanResult, Reachable, plan_cost, units_by_project
from trp_opt.model.blocks import with_price_column
from trp_opt.solve import parallel
from trp_opt.solve.bisection import last_day_met
from trp_opt.solve.block_runner import BlockRunner, PieceStore, PlanPieces, floors_of, plan_lasts
from trp_opt.solve.engine import OperationsEngine

COST_TOLERANCE = 1e-6  # relative, as the stages hold a cost
UNIT_PRICE = "unit price"  # the objective of the entry-price programs


def _reaches_with(runner: BlockRunner, levels: Mapping[str, int], scenario_id: str, days: int) -> bool:
    """Can the runner's plan meet ``levels`` with one scenario asked ``days``?"""
    return runner.reaches({**levels, scenario_id: days})


def unfunded_projects(
    inputs: Inputs,
    chosen: PlanResult,
    options: SolveOptions,
    progress: Callable[[str], None] = lambda _: None,
    reachable: Reachable | None = None,
    floors: Mapping[str, int] | None = None,
    answered: parallel.Answered | None = None,
    engine: OperationsEngine | None = None,
) -> Unfunded:
    """Every project the plan does not fund, one unit imposed (see the module docstring); the projects that
    cannot be asked about (a proposal's decision, no units allowed, no start year) in ``skipped``.
    ``reachable``: the plan's measures (trp_opt.analysis.limits.as_planned), when the caller has them; ``floors``:
    days every plan lasts (block_runner.floors_of), which a unit imposed only adds to. ``answered``: told as each
    project is answered (parallel.parallel_map); ``engine``: the run's operations engine, which every question
    shares."""
    quiet = options.days_only()
    floors = floors if floors is not None else floors_of(inputs, quiet)
    reachable = reachable or as_planned(inputs, chosen, quiet)
    bests = {s: max(reachable.bests.get(s, 0), reachable.worst) for s in inputs.scenarios}
    result = Unfunded(reachable.worst, bests)
    funded = units_by_project(chosen.plan)
    asked: list[Project] = []
    for project in inputs.projects.values():
        if project.id in funded:
            continue
        cell = project.cells.get("Max units", "Projects")
        if project.id in inputs.imposed:
            result.skipped.append(Skipped(project.id, inputs.imposed[project.id].cell, "imposed by the proposal"))
        elif project.max_units < 1:
            result.skipped.append(Skipped(project.id, cell, "its Max units is 0"))
        elif not inputs.start_years(project):
            why = "its spend profile is longer than the plan's years"
            result.skipped.append(Skipped(project.id, project.cells.get("Spend profile", "Projects"), why))
        else:
            asked.append(project)
    progress(f"Unfunded projects: one unit of each of {len(asked)} added")
    # Pieces shared by every project's questions: of the model (PieceStore), and of held plans (their effects sit in
    # the same columns whatever the plan: BlockRunner's plan_pieces).
    ask = partial(
        _one_unit, inputs, chosen, quiet, result, plan_cost(inputs, chosen.plan), PieceStore(), {}, floors, engine
    )
    result.projects = parallel.parallel_map([partial(ask, project) for project in asked], answered)
    return result


def _one_unit(
    inputs: Inputs,
    chosen: PlanResult,
    options: SolveOptions,
    planned: Unfunded,
    spent: float,
    shared: PieceStore,
    shared_plan_pieces: PlanPieces,
    floors: Mapping[str, int],
    engine: OperationsEngine | None,
    project: Project,
) -> UnfundedProject:
    start = inputs.start_years(project)[0]
    if out_of_time(options):  # not even the runners are built: on a large workbook they take seconds
        return UnfundedProject(project.id, start, project.unit_cost, None, {}, None, 0.0, "", proven=False)
    proven = True

    forced = dataclasses.replace(inputs, imposed={**inputs.imposed, project.id: ImposedDecision(1, start)})

    # The plan with the unit beside it: it meets the plan's days, and fits the rules at a low enough price.
    with_unit = {**chosen.plan, (project.id, start): 1}

    def runner_at(price: float) -> BlockRunner:
        costed = dataclasses.replace(project, unit_cost=price)
        priced = dataclasses.replace(forced, projects={**inputs.projects, project.id: costed})
        runner = BlockRunner(
            priced, options, block_starts=chosen.block_starts, shared=shared, floors=floors, engine=engine
        )
        runner.start_from(with_unit)
        return runner

    def done(runner: BlockRunner) -> None:
        nonlocal proven
        proven = proven and not runner.timed_out

    # The days with one unit at its own cost.
    runner = runner_at(project.unit_cost)
    worst: int | None = None
    bests: dict[str, int] = {}
    plan_at: dict[int, Plan] = {}  # a plan found with every scenario at these days

    def all_at(days: int) -> bool:
        if runner.reaches({s: days for s in inputs.scenarios}):
            plan_at[days] = runner.plan()
            return True
        return False

    if all_at(planned.worst):
        worst = planned.worst
    elif planned.worst > 0 and all_at(0):
        worst = last_day_met(all_at, planned.worst - 1, planned.worst - 1)
    if worst is not None:
        at_worst = {s: worst for s in inputs.scenarios}
        # With the worst case kept, the unit can only narrow the plan's choice: no more than the plan's.
        top = {s: planned.bests[s] if worst == planned.worst else inputs.scenarios[s].horizon for s in inputs.scenarios}
        # The plan found at the worst case already settles every scenario it lasts the most days in (one linear
        # program each, against a question of the whole model); a top at the worst case needs nothing more.
        open_ = {s: days for s, days in top.items() if days > worst}
        settled = plan_lasts(inputs, plan_at[worst], open_, options, shared_plan_pieces)
        for s in inputs.scenarios:
            if s not in open_ or s in settled:
                bests[s] = top[s]
                continue
            start_days = min(max(planned.bests[s], worst), top[s])
            bests[s] = last_day_met(partial(_reaches_with, runner, at_worst, s), start_days, top[s])
    done(runner)

    def result(entry: float | None, how: str, within: float = 0.0) -> UnfundedProject:
        return UnfundedProject(project.id, start, project.unit_cost, worst, bests, entry, within, how, proven)

    if not any(is_live(project, start, s) for s in inputs.scenarios.values()):
        finished = start + project.lead_time
        return result(None, f"never: finished in {finished} at the earliest, after every scenario's onset")

    endurance = chosen.endurance
    tolerance = COST_TOLERANCE * max(1.0, spent)

    horizons = {s: inputs.scenarios[s].horizon for s in inputs.scenarios}
    weighed = [s for s in inputs.scenarios if inputs.scenarios[s].weight > 0 and endurance[s] < horizons[s]]
    asked_for: list[dict[str, int]] = []  # the days a plan with the unit could gain on
    if options.objective == "maxmin" and planned.worst < min(horizons.values()):
        asked_for.append({s: max(days, planned.worst + 1) for s, days in endurance.items()})
    if options.objective != "target":  # under 'target' only the cost counts
        asked_for += [{**endurance, s: endurance[s] + 1} for s in weighed]
    # The worst case a day more is one scenario's day more when one scenario alone holds it: asked once.
    asked_for = [levels for index, levels in enumerate(asked_for) if levels not in asked_for[:index]]

    def highest_price(levels: dict[str, int], most_spent: float | None) -> tuple[float | None, float]:
        """The highest unit cost (up to its own) at which a plan with the unit reaches ``levels`` (and spends at
        most ``most_spent``): one program with the price a column (trp_opt.model.blocks.with_price_column).
        None: no plan at any price; and how far the optimum may lie above the price found."""
        invest, price = with_price_column(forced, project.id, most=project.unit_cost)
        asked = BlockRunner(
            forced,
            options,
            investments=invest,
            block_starts=chosen.block_starts,
            shared=shared,
            floors=floors,
            engine=engine,
        )
        asked.objectives[UNIT_PRICE] = ({price: 1.0}, True)
        asked.start_from(with_unit)
        if most_spent is not None:
            asked.keep("total_cost", most_spent, tolerance)
        outcome = asked.optimise(UNIT_PRICE, levels, levels)
        done(asked)
        if not outcome.has_plan or outcome.objective is None:
            return None, 0.0
        found = max(0.0, outcome.objective)
        return found, max(0.0, (outcome.bound if outcome.bound is not None else found) - found)

    # The plan's days for no more money: a unit that saves money enters at the price it saves.
    saving, saving_within = highest_price(endurance, spent)
    saves = saving is not None and saving > 2 * tolerance  # beyond the slack the cost is held with
    # A day more somewhere: only what a free unit gains can be gained at a price.
    free = runner_at(0.0)
    asked_for[:] = [levels for levels in asked_for if free.reaches(levels)]
    done(free)
    if not saves and not asked_for:
        return result(None, _never_why(inputs, project, chosen))
    if worst is None:
        # It does not fit at its own cost. If it fits at no positive price either (a cap of 0 on its category), a
        # plan with it is one where it is free: it never enters.
        priced = runner_at(COST_TOLERANCE * max(1.0, project.unit_cost))
        fits = priced.reaches({s: 0 for s in inputs.scenarios})
        done(priced)
        if not fits:
            return result(None, _no_room_why(inputs, project))
    entries: list[tuple[float, float, str]] = []
    if saves:
        assert saving is not None
        entries.append((saving, saving_within, "the plan's days for less money"))
    for levels in asked_for:
        gaining, gaining_within = highest_price(levels, None)
        if gaining is not None:
            entries.append((gaining, gaining_within, "a day more in a scenario, none fewer in any"))
    price, within, how = max(entries)
    if price >= project.unit_cost * (1 - COST_TOLERANCE):
        return result(project.unit_cost, f"at its own cost: an equally good plan funds it ({how})")
    return result(price, how, within)


def _no_room_why(inputs: Inputs, project: Project) -> str:
    caps = [
        rule
        for rule in inputs.policy
        if rule.rule == vocabulary.RULE_CATEGORY_CAP and rule.category == project.category and rule.amount == 0
    ]
    if caps:
        rule = caps[0]
        return f"never: the Policy rule {rule.id} ({rule.cell or 'Policy'}) caps {project.category} at 0"
    return "never: no plan within the budget and policy rules has room for it at any price above 0"


def _never_why(inputs: Inputs, project: Project, chosen: PlanResult) -> str:
    funded = units_by_project(chosen.plan)
    excluded = [q for q in project.excludes if q in funded] + [
        q.id for q in inputs.projects.values() if project.id in q.excludes and q.id in funded
    ]
    if excluded:
        return f"never: it excludes {', '.join(sorted(set(excluded)))}, which the plan funds and needs"
    if project.requires:
        return (
            f"never: even free it buys no day and saves no money once what it requires "
            f"({', '.join(project.requires)}) is paid for"
        )
    targets = sorted({effect.target for effect in project.effects})
    return (
        "never: even free it buys no day and saves no money; what it acts on "
        f"({', '.join(targets) or 'nothing'}) is not what holds a scenario back"
    )
