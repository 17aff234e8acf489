"""A chosen plan explained: the money per project and year, what fails first and the daily profiles."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial

from trp_opt.analysis.operations import days_per_requirement, explain_scenario
from trp_opt.data.inputs import Inputs
from trp_opt.data.options import SolveOptions
from trp_opt.data.plans import Plan, PlanResult
from trp_opt.data.solution import FundedProject, Solution
from trp_opt.solve import parallel


def allocation_of(inputs: Inputs, plan: Plan) -> list[FundedProject]:
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
    answered: parallel.Answered | None = None,
) -> Solution:
    """Turn the chosen plan into a Solution: fails-first and daily profiles for every scenario (``answered(done,
    asked)`` told as each scenario is explained)."""
    progress("Explaining the plan: what fails first and the daily profiles of every scenario")
    # Each scenario is its own set of linear programs: explained side by side, in the scenarios' order.
    scenarios = parallel.parallel_map(
        [
            partial(explain_scenario, inputs, chosen.plan, scenario_id, chosen.endurance[scenario_id], options)
            for scenario_id in inputs.scenarios
        ],
        answered,
    )
    progress("Explaining the plan: the days of each requirement on its own")
    alone = days_per_requirement(inputs, chosen.plan, chosen.endurance, options)
    scenarios = [dataclasses.replace(result, requirement_days=alone[result.scenario_id]) for result in scenarios]
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
