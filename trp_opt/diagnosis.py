"""Why no plan exists: the budget rules (and targets) that conflict, in the analyst's words.

Every yearly budget, Policy rule and target gets a slack, priced per unit of
its own amount so that rules of different size weigh alike, and HiGHS finds
the smallest relaxation that makes a plan possible. The rules it had to move
are the ones that conflict; the slack is by how much each must move.
"""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus
from pyomo.contrib.solver.solvers.highs import Highs

from trp_opt import schema
from trp_opt.errors import Infeasible, SolverFailure
from trp_opt.inputs import Inputs
from trp_opt.model import build_model

SLACK_TOLERANCE = 1e-6


def explain_infeasibility(inputs: Inputs, targets: dict[str, int], options) -> Infeasible | SolverFailure:
    model = build_model(inputs, targets=targets, policy_slack=True)
    scale = {f"year:{y}": max(1.0, budget) for y, budget in inputs.year_budgets.items()}
    scale.update({f"rule:{r.id}": max(1.0, r.amount if r.amount_unit == schema.AMOUNT_MONEY else 1.0) for r in inputs.policy})
    model.relaxation = pyo.Objective(
        expr=sum(var / scale[key] for key, var in model.policy_slack.items())
        + sum(var / max(1, targets[s]) for s, var in model.target_slack.items()),
        sense=pyo.minimize,
    )
    results = Highs().solve(
        model,
        time_limit=options.time_limit,
        threads=options.threads,
        load_solutions=False,
        raise_exception_on_nonoptimal_result=False,
    )
    if results.solution_status not in (SolutionStatus.optimal, SolutionStatus.feasible):
        return Infeasible(
            "No plan satisfies every rule, and relaxing the budget rules did not find one either.",
            ["Check Requires/Excludes on the Projects sheet: they may contradict each other."],
        )
    results.solution_loader.load_vars()
    money = inputs.currency
    conflicts = []
    for year in inputs.years:
        slack = pyo.value(model.policy_slack[f"year:{year}"])
        if slack > SLACK_TOLERANCE * scale[f"year:{year}"]:
            cell = inputs.year_budget_cells.get(year, "Years")
            conflicts.append(
                f"{cell}: the {year} budget of {inputs.year_budgets[year]:,.0f} {money} "
                f"is {slack:,.0f} {money} short of what the other rules require."
            )
    for rule in inputs.policy:
        slack = pyo.value(model.policy_slack[f"rule:{rule.id}"])
        if slack <= SLACK_TOLERANCE * scale[f"rule:{rule.id}"]:
            continue
        period = f" in {rule.year}" if rule.year is not None else ""
        amount = f"{rule.amount:.1%} of spending" if rule.amount_unit == schema.AMOUNT_SHARE else f"{rule.amount:,.0f} {money}"
        where = rule.cell or f"Policy rule {rule.id}"
        if rule.rule == schema.RULE_TOTAL_BUDGET:
            text = f"the total budget{period} of {amount} is {slack:,.0f} {money} short of what the other rules require"
        elif rule.rule == schema.RULE_CATEGORY_FLOOR:
            text = f"the {rule.category} floor{period} of {amount} cannot be met; it must come down by {slack:,.0f} {money}"
        else:
            text = f"the {rule.category} cap{period} of {amount} is too low; it must rise by {slack:,.0f} {money}"
        conflicts.append(f"{where}: {text} (rule {rule.id}).")
    for scenario_id, var in model.target_slack.items():
        slack = pyo.value(var)
        if slack > SLACK_TOLERANCE:
            scenario = inputs.scenarios[scenario_id]
            reachable = targets[scenario_id] - round(slack)
            conflicts.append(
                f"Scenarios: the target of {targets[scenario_id]} days for {scenario.name} cannot be reached "
                f"within the budget; at most about {reachable} days are reachable with the others met."
            )
    if not conflicts:
        # Every rule holds as written in the relaxation, so a plan exists: the first verdict was wrong.
        return SolverFailure(
            "HiGHS reported no plan, yet one exists with every rule as written (found by the relaxation): "
            "numerical trouble in the solver; very large or very small figures are the usual cause"
        )
    return Infeasible("No plan satisfies every rule. The smallest change that allows a plan:", conflicts)
