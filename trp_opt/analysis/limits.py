"""What limits each scenario: every rule that could hold the plan back, lifted by a stated amount and the
plan re-optimised, ranked by the days gained.

Rules, and how each is lifted (Lift.change says it in words):
- each year's budget (Years!Bn): 10% more, but at least the cheapest unit that fits (what a unit of any project spends
  that year): 10% of a budget of 0 is nothing;
- every Policy rule: a total budget or a category cap 10% higher (at least the cheapest unit it covers), a category
  floor 10% lower;
- each project's Max units (Projects!En): one more unit, for a project the plan funds to its Max units;
- each project's lead time: one year shorter, for a project that some scenario's onset comes too early for.
A project below its Max units, or live in every scenario when started first, is not re-solved: lifting that
rule does not touch the plan's choice (Limits.skipped says so).

What is measured after a lift, as before it (trp_opt.data.plans.Reachable): the worst case (the most days
every scenario can last at once) and, for each scenario, the most days it can last while every other keeps
the plan's worst case. Each lift only relaxes the rules, so what was reachable stays reachable and the
searches step up from there.

Lifting several rules at once relaxes each of them, so the rules are lifted in groups, first all together,
and a group is split in two only for the measures (the worst case, a scenario) on which it gained: a measure
on which a group gains no day gains none from any of its rules. This pays where most rules gain nothing; on
the bundled workbook, where most rules gain days for some scenario, it asks about as many questions as
lifting each rule alone (381 against 385 for 41 rules). Groups of the same round are independent, and asked
side by side; every runner starts from the blocks the plan's solve split (PlanResult.block_starts).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from trp_opt.data import vocabulary
from trp_opt.data.derived import cheapest_unit
from trp_opt.data.explanations import WORST, Lift, Limits, Skipped
from trp_opt.data.inputs import Inputs, PolicyRule, Project
from trp_opt.data.money import money_text
from trp_opt.data.options import SolveOptions, out_of_time
from trp_opt.data.plans import Plan, PlanResult, Reachable, units_by_project
from trp_opt.solve import parallel
from trp_opt.solve.bisection import highest_common_level, highest_level
from trp_opt.solve.block_runner import BlockRunner, PieceStore, floors_of

BUDGET_LIFT = 0.10  # share a budget, cap or floor is lifted by


def what_limits(
    inputs: Inputs,
    chosen: PlanResult,
    options: SolveOptions,
    progress: Callable[[str], None] = lambda _: None,
    reachable: Reachable | None = None,
    floors: Mapping[str, int] | None = None,
    answered: parallel.Answered | None = None,
) -> Limits:
    """Every rule lifted (see the module docstring), from what the plan's solve proved reachable (``reachable``:
    as_planned's answer, when the caller has it). ``floors``: days every plan lasts (block_runner.floors_of),
    when the caller has them; a lift only adds to what a plan may do, so they hold after it. ``answered``: told
    the rules settled after each round of groups (a group that gains nothing settles all its rules at once)."""
    quiet = options.days_only()
    floors = floors if floors is not None else floors_of(inputs, quiet)
    reachable = reachable or as_planned(inputs, chosen, quiet)
    horizons = {s: inputs.scenarios[s].horizon for s in inputs.scenarios}
    limits = Limits(reachable.worst, dict(reachable.bests), horizons)
    candidates, limits.skipped = rules_to_lift(inputs, chosen.plan)
    progress(f"Limits: lifting {len(candidates)} rules, in groups")
    known = {WORST: reachable.worst, **{s: max(reachable.bests.get(s, 0), reachable.worst) for s in inputs.scenarios}}
    top = {WORST: min(horizons.values()), **horizons}
    # A round: groups of rules, each with the measures it may still gain on; the first, every rule at once.
    round_ = [(list(range(len(candidates))), [m for m in known if known[m] < top[m]], True)]
    found: dict[int, tuple[dict[str, int], bool]] = {}
    # Scenario pieces shared by every lifted runner: a budget or Policy rule lifted changes only the investments'
    # rows, which a piece never reads; a lift that changes what a piece reads (Max units, a lead time) builds its own.
    shared = PieceStore()
    while round_:
        if out_of_time(quiet):  # no time to ask (nor to build runners): what is known stands, unproven
            for members, _, _ in round_:
                found.update((index, (dict(known), False)) for index in members)
            break
        runners = []  # made here, not in the threads (each has a HiGHS of its own)
        for members, _, _ in round_:
            lifted = inputs
            for index in members:
                lifted = candidates[index].apply(lifted)
            runners.append(BlockRunner(lifted, quiet, block_starts=chosen.block_starts, shared=shared, floors=floors))
        # A group of several rules need only say on which measures it gains (one question each); a rule alone
        # says how much.
        answers = parallel.parallel_map(
            [
                partial(levels_after, runner, known, asked, len(members) > 1)
                for runner, (members, asked, _) in zip(runners, round_)
            ]
        )
        next_round = []
        for (members, asked, proven), (levels, complete) in zip(round_, answers):
            gaining = [m for m in asked if levels[m] > known[m]]
            proven = proven and complete
            if len(members) == 1 or not gaining:
                for index in members:
                    found[index] = ({m: levels[m] if m in gaining else known[m] for m in known}, proven)
                continue
            half = len(members) // 2
            next_round += [(members[:half], gaining, proven), (members[half:], gaining, proven)]
        round_ = next_round
        if answered is not None:
            answered(len(found), len(candidates))
    for index, rule in enumerate(candidates):
        levels, proven = found[index]
        bests = {s: levels[s] for s in inputs.scenarios}
        limits.lifts.append(Lift(rule.name, rule.cell, rule.change, levels[WORST], bests, proven, rule.row))
    limits.lifts.sort(key=lambda lift: (-limits.worst_gain(lift), -sum(lift.bests.values())))
    return limits


def as_planned(inputs: Inputs, chosen: PlanResult, options: SolveOptions) -> Reachable:
    """The measures before any lift: what a maxmin solve by blocks proved reachable, or else found here, from
    the plan's own days (its shortest is a level every scenario reaches at once)."""
    if options.objective == "maxmin" and chosen.reachable is not None:
        return chosen.reachable
    runner = BlockRunner(inputs, options, block_starts=chosen.block_starts)
    horizons = {s: inputs.scenarios[s].horizon for s in inputs.scenarios}
    worst = highest_common_level(runner, min(chosen.endurance.values()), min(horizons.values()), near=True)
    at_worst = {s: worst for s in inputs.scenarios}
    bests = {s: highest_level(runner, at_worst, s, horizons[s], near=True) for s in inputs.scenarios}
    return Reachable(worst, bests)


def levels_after(
    runner: BlockRunner, known: dict[str, int], asked: list[str], one_more: bool
) -> tuple[dict[str, int], bool]:
    """The measures ``asked`` (WORST, scenario IDs) in the runner's lifted inputs, stepping up from what is known
    reachable (the lifted rules are looser, so it stays reachable); the others as known. ``one_more``: only
    whether each gains a day (known + 1 when it does). False when the time limit cut a search short."""
    levels = dict(known)
    at_worst = {s: known[WORST] for s in runner.scenario_ids}
    for measure in asked:
        if measure == WORST and one_more:
            levels[WORST] += runner.reaches({s: known[WORST] + 1 for s in runner.scenario_ids})
        elif measure == WORST:
            levels[WORST] = highest_common_level(runner, known[WORST], min(runner.horizon.values()), near=True)
        elif one_more:
            levels[measure] += runner.reaches({**at_worst, measure: known[measure] + 1})
        else:
            top = runner.horizon[measure]
            levels[measure] = highest_level(runner, {**at_worst, measure: known[measure]}, measure, top, near=True)
    return levels, not runner.timed_out


@dataclass(frozen=True)
class Rule:
    """A rule to lift: its name, cell and row, the change in words, and the change itself (``apply``, which
    applies to any inputs, so that several rules can be lifted at once)."""

    name: str
    cell: str
    change: str
    apply: Callable[[Inputs], Inputs]
    row: tuple[str, str]


def rules_to_lift(inputs: Inputs, plan: Plan) -> tuple[list[Rule], list[Skipped]]:
    """Every rule worth a re-solve, and the rules that are not (see the module docstring)."""
    money = inputs.currency
    candidates: list[Rule] = []
    skipped: list[Skipped] = []
    for year, budget in inputs.year_budgets.items():
        cell = inputs.year_budget_cells.get(year, "Years")
        amount, change = _money_lift(budget, _cost(cheapest_unit(inputs, year, None)), money)
        more = partial(_more_for_year, year, amount)
        candidates.append(Rule(f"Budget {year}", cell, change, more, ("Years", str(year))))
    for index, rule in enumerate(inputs.policy):
        if rule.amount == 0 and rule.rule != vocabulary.RULE_CATEGORY_FLOOR:
            # 10% more than nothing is nothing: a cap of 0 keeps a category out by design (ammunition, say).
            why = "a cap of 0, and 10% of 0 is 0: raise it by hand to see what it holds back"
            skipped.append(Skipped(_policy_lift(inputs, index, rule).name, rule.cell or "Policy", why))
            continue
        candidates.append(_policy_lift(inputs, index, rule))
    units = units_by_project(plan)
    for project in inputs.projects.values():
        cell = project.cells.get("Max units", "Projects")
        funded = units.get(project.id, 0)
        if project.max_units == 0 and project.committed_units > 0:
            # Bought outside this budget (a law's stock, a plan's wind farms): one more unit would come free.
            why = "all its units are committed outside this budget; none is for sale"
            skipped.append(Skipped(f"Max units of {project.name}", cell, why))
        elif funded >= project.max_units:
            more = partial(_project_change, project.id, "max_units", project.max_units + 1)
            change = f"one more ({project.max_units + 1})"
            candidates.append(Rule(f"Max units of {project.name}", cell, change, more, ("Projects", project.id)))
        else:
            why = f"the plan funds {funded} of its {project.max_units} units"
            skipped.append(Skipped(f"Max units of {project.name}", cell, why))
    for project in inputs.projects.values():
        cell = project.cells.get("Lead time", "Projects")
        starts = inputs.start_years(project)
        if project.lead_time < 1 or not starts:
            continue
        if not all(project.finished_by(starts[0], s.onset_year) for s in inputs.scenarios.values()):
            shorter = partial(_project_change, project.id, "lead_time", project.lead_time - 1)
            change = f"one year shorter ({project.lead_time - 1} years)"
            candidates.append(Rule(f"Lead time of {project.name}", cell, change, shorter, ("Projects", project.id)))
        else:
            skipped.append(Skipped(f"Lead time of {project.name}", cell, "live in every scenario when started first"))
    return candidates, skipped


def _more_for_year(year: int, more: float, inputs: Inputs) -> Inputs:
    return dataclasses.replace(inputs, year_budgets={**inputs.year_budgets, year: inputs.year_budgets[year] + more})


def _project_change(project_id: str, figure: str, value: int, inputs: Inputs) -> Inputs:
    project = inputs.projects[project_id]
    changed = (
        dataclasses.replace(project, max_units=value)
        if figure == "max_units"
        else dataclasses.replace(project, lead_time=value)
    )
    return dataclasses.replace(inputs, projects={**inputs.projects, project_id: changed})


def _rule_amount(index: int, amount: float, inputs: Inputs) -> Inputs:
    policy = list(inputs.policy)
    policy[index] = dataclasses.replace(policy[index], amount=amount)
    return dataclasses.replace(inputs, policy=tuple(policy))


def _cost(cheapest: tuple[float, Project] | None) -> float | None:
    return None if cheapest is None else cheapest[0]


def _money_lift(amount: float, cheapest: float | None, money: str) -> tuple[float, str]:
    """How much a budget or cap is lifted by, and the change in words: 10%, but at least the cheapest unit that fits
    (10% of a budget of 0 is nothing, and would say no rule holds the plan back while money buys days)."""
    tenth = amount * BUDGET_LIFT
    if cheapest is not None and cheapest > tenth:
        return cheapest, (
            f"{money_text(cheapest, money)} more, the cheapest unit that fits (10% would be {money_text(tenth, money)})"
        )
    return tenth, f"10% higher ({money_text(tenth, money)} more)"


def _policy_lift(inputs: Inputs, index: int, rule: PolicyRule) -> Rule:
    """A total budget or cap 10% higher (at least the cheapest unit it covers), a floor 10% lower."""
    floor = rule.rule == vocabulary.RULE_CATEGORY_FLOOR
    words = {
        vocabulary.RULE_TOTAL_BUDGET: "Total budget",
        vocabulary.RULE_CATEGORY_CAP: f"Cap on {rule.category}",
        vocabulary.RULE_CATEGORY_FLOOR: f"Floor on {rule.category}",
    }[rule.rule]
    if rule.year is not None:
        words += f" in {rule.year}"
    direction, side = ("lower", "less") if floor else ("higher", "more")
    if rule.amount_unit == vocabulary.AMOUNT_SHARE:
        amount = rule.amount * (1 - BUDGET_LIFT if floor else 1 + BUDGET_LIFT)
        change = f"10% {direction} (a share of {amount:.1%})"
    elif floor:
        amount = rule.amount * (1 - BUDGET_LIFT)
        change = f"10% {direction} ({money_text(abs(amount - rule.amount), inputs.currency)} {side})"
    else:
        category = None if rule.rule == vocabulary.RULE_TOTAL_BUDGET else rule.category
        lift, change = _money_lift(rule.amount, _cost(cheapest_unit(inputs, rule.year, category)), inputs.currency)
        amount = rule.amount + lift
    apply = partial(_rule_amount, index, amount)
    return Rule(f"{words} ({rule.id})", rule.cell or "Policy", change, apply, ("Policy", rule.id))
