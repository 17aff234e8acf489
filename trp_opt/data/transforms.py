"""Inputs -> Inputs: the same workbook's figures with one thing changed, for a re-solve or a check."""

from __future__ import annotations

import dataclasses

from trp_opt.data import vocabulary
from trp_opt.data.inputs import Inputs, PolicyRule


def with_budget(inputs: Inputs, total: float) -> Inputs:
    """The same inputs with a new total budget; each year's budget scales by the same factor,
    so the yearly split keeps its shape."""
    factor = total / inputs.spend_limit() if inputs.spend_limit() > 0 else 0.0
    year_budgets = (
        {y: b * factor for y, b in inputs.year_budgets.items()}
        if factor
        else {y: total / len(inputs.years) for y in inputs.years}
    )
    rules = [r for r in inputs.policy if not (r.rule == vocabulary.RULE_TOTAL_BUDGET and r.year is None)]
    rules.append(PolicyRule("budget-option", vocabulary.RULE_TOTAL_BUDGET, total, cell="--budget option"))
    return dataclasses.replace(inputs, year_budgets=year_budgets, policy=tuple(rules))


def without_rules(inputs: Inputs) -> Inputs:
    """The same inputs without budget rules, Excludes or imposed decisions: to measure a plan's days, not its
    legality (a plan with a project dropped may break a category floor; its days are still what they are).
    Requires stay: they also say which units count ((40)–(41): a fill without its tank adds nothing), and a
    held plan is never checked against (6)."""
    projects = {pid: dataclasses.replace(p, excludes=()) for pid, p in inputs.projects.items()}
    return dataclasses.replace(inputs, policy=(), imposed={}, projects=projects)


def without_budget_limits(inputs: Inputs) -> Inputs:
    """The inputs without budget rules, each year's budget room for every project: with the plan held
    they decide nothing, and a plan read back from a workbook (a proposal) may not fit this workbook's budget."""
    most = inputs.most_spend + 1.0
    return dataclasses.replace(inputs, policy=(), year_budgets={y: most for y in inputs.years})
