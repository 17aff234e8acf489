"""Why no plan exists: the rules that conflict, each named by its cell and by how much it must move.

models/endurance.md §"Explaining infeasibility" gives the formulation. In short,
every rule that could be at fault (each year's budget, each Policy rule, each
scenario's target under the 'target' objective, and any extra rule a caller
adds, such as a proposal's earmark) gets a slack ≥ 0 that relaxes it, and a
switch `relaxed` that must be on for its slack to be used. HiGHS then finds,
in two exact stages:

1. the fewest rules that must move for a plan to exist (Σ relaxed, minimised);
2. among those sets, the smallest moves, each priced relative to the rule's
   own figure so that rules of different sizes weigh alike.

The rules that moved are the conflict; the other rules that are exactly at
their limit in that relaxed plan are what they conflict with. Under 'target',
the budget rules are checked first on their own: only when they can be met
together do the targets take the blame, and then each scenario's largest
reachable endurance is found by bisection with every budget rule as written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo

from trp_opt.data import vocabulary
from trp_opt.data.errors import Infeasible, NoPlan, SolverFailure
from trp_opt.data.inputs import Inputs, PolicyRule
from trp_opt.data.money import money_text
from trp_opt.data.options import SolveOptions
from trp_opt.data.transforms import without_budget_limits
from trp_opt.model.formulation import build_model
from trp_opt.model.highs import INFINITY, HighsModel
from trp_opt.solve.bisection import highest_level
from trp_opt.solve.block_runner import BlockRunner

SLACK_TOLERANCE = 1e-6  # relative to the rule's own scale


@dataclass(frozen=True)
class ElasticRule:
    """A rule the diagnosis may relax, in the analyst's terms.

    Built-in rules (budgets, Policy rules, targets) already have their slack in
    the model (``model.policy_slack`` / ``model.target_slack``). An extra rule,
    such as a proposal's earmark, brings ``constraint(model, slack)``: the
    relaxed rule as a Pyomo relation, where a larger slack makes it looser.
    """

    key: str  # unique, e.g. "year:2027", "rule:training_floor", "target:blockade", "earmark:ships"
    cell: str  # where the analyst changes it, e.g. "Policy!E4"; an option such as "--target option"
    name: str  # "the training floor in 2027"
    amount: float  # the figure as written
    unit: str  # "money", "days", "share" (of spending; its slack is money), or any other unit, e.g. "units"
    loosen: str  # "rise" (a limit that must go up) or "come down" (a requirement that must go down)
    bound: float  # the largest slack that can ever help (a big-M for the switch)
    scale: float  # what one unit of slack costs is 1 / scale
    constraint: Callable[[pyo.ConcreteModel, pyo.Var], object] | None = None

    def relaxed(self, model: pyo.ConcreteModel, slack: pyo.Var) -> object:
        """An extra rule's relation with its slack (built-in rules have theirs in the model already)."""
        if self.constraint is None:
            raise ValueError(f"the rule {self.key} brings no constraint of its own")
        return self.constraint(model, slack)


@dataclass(frozen=True)
class Conflict:
    rule: ElasticRule
    change: float  # by how much the rule must move, in money or days
    against: tuple[str, ...]  # the unmoved rules that, lifted, would let this one move less, described
    text: str  # the whole sentence, starting with the cell
    reachable: int | None = None  # for a target: most days reachable in that scenario


@dataclass
class Diagnosis:
    summary: str
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---- the rules of a workbook ---------------------------------------------------------------


def budget_rules(inputs: Inputs) -> list[ElasticRule]:
    """Each year's budget and each Policy rule, as elastic rules (their slacks are built into the model)."""
    most = inputs.most_spend
    rules = []
    for year in inputs.years:
        budget = inputs.year_budgets[year]
        rules.append(
            ElasticRule(
                f"year:{year}",
                inputs.year_budget_cells.get(year, "Years"),
                f"the {year} budget",
                budget,
                "money",
                "rise",
                most + 1,
                max(1.0, budget),
            )
        )
    for rule in inputs.policy:
        rules.append(_policy_rule(inputs, rule, most))
    return rules


def _policy_rule(inputs: Inputs, rule: PolicyRule, most: float) -> ElasticRule:
    period = f" in {rule.year}" if rule.year is not None else ""
    share = rule.amount_unit == vocabulary.AMOUNT_SHARE
    where = rule.cell or f"Policy rule {rule.id}"
    if rule.rule == vocabulary.RULE_TOTAL_BUDGET:
        name, loosen = f"the total budget{period}", "rise"
    elif rule.rule == vocabulary.RULE_CATEGORY_FLOOR:
        name, loosen = f"the {rule.category} floor{period}", "come down"
    else:
        name, loosen = f"the {rule.category} cap{period}", "rise"
    scale = max(1.0, rule.amount * inputs.spend_limit()) if share else max(1.0, rule.amount)
    bound = max(most, 0.0 if share else rule.amount) + 1  # a floor may have to come down by all of itself
    return ElasticRule(f"rule:{rule.id}", where, name, rule.amount, "share" if share else "money", loosen, bound, scale)


def target_rules(inputs: Inputs, targets: dict[str, int], option: bool = False) -> list[ElasticRule]:
    rules = []
    for scenario_id, days in targets.items():
        scenario = inputs.scenarios[scenario_id]
        cell = "--target option" if option or not scenario.target_cell else scenario.target_cell
        rules.append(
            ElasticRule(
                f"target:{scenario_id}",
                cell,
                f"the target for {scenario.name}",
                days,
                "days",
                "come down",
                days + 1,
                max(1.0, days),
            )
        )
    return rules


# ---- the elastic model ---------------------------------------------------------------------


def _slack_of(model: pyo.ConcreteModel, rule: ElasticRule) -> Any:  # a Pyomo variable
    if rule.key.startswith("target:"):
        return model.target_slack[rule.key.split(":", 1)[1]]
    return model.policy_slack[rule.key]


def _add_extra_rules(model: pyo.ConcreteModel, extra: Sequence[ElasticRule]) -> None:
    model.extra_slack = pyo.Var([r.key for r in extra], domain=pyo.NonNegativeReals)
    model.extra_rule = pyo.Constraint(
        [r.key for r in extra],
        rule=lambda m, key: next(r for r in extra if r.key == key).relaxed(m, m.extra_slack[key]),
    )


def _investments_only(inputs: Inputs) -> Inputs:
    first = next(iter(inputs.scenarios.values()))
    return dataclasses.replace(inputs, scenarios={first.id: dataclasses.replace(first, horizon=1, events=())})


class Relaxation:
    """The elastic model of some rules (the others held as written), loaded into HiGHS once."""

    def __init__(
        self,
        inputs: Inputs,
        rules: Sequence[ElasticRule],
        targets: dict[str, int],
        options: SolveOptions,
        extra: Sequence[ElasticRule] = (),
    ) -> None:
        self.inputs, self.rules, self.options = inputs, list(rules), options
        # Without targets, operations never stand in the way (a day may simply count as not met):
        # the budget rules are judged on the investments alone, with one one-day scenario kept for form.
        model = build_model(
            inputs if targets else _investments_only(inputs), targets=targets or None, policy_slack=True
        )
        _add_extra_rules(model, extra)
        elastic = {r.key for r in rules}
        extra_keys = {r.key for r in extra}
        self.slack, self.held = {}, {}
        for rule in [*budget_rules(inputs), *target_rules(inputs, targets), *extra]:
            var = model.extra_slack[rule.key] if rule.key in extra_keys else _slack_of(model, rule)
            if rule.key in elastic:
                self.slack[rule.key] = var
            else:
                var.setub(0)  # held as written, yet still a column: _helps frees it for a moment
                self.held[rule.key] = var
        by_key = {r.key: r for r in rules}
        model.relaxed = pyo.Var(list(self.slack), domain=pyo.Binary)
        model.switch = pyo.Constraint(
            list(self.slack), rule=lambda m, k: self.slack[k] <= by_key[k].bound * m.relaxed[k]
        )
        self.model = model
        self.highs = HighsModel(model, threads=options.threads)
        self.moves = sum(var / by_key[k].scale for k, var in self.slack.items())

    def solve(self) -> dict[str, float] | None:
        """The smallest relaxation: fewest rules (1), then smallest moves (2). Rule key -> slack;
        None when no relaxation of these rules admits a plan."""
        highs, relaxed = self.highs, sum(self.model.relaxed.values())
        highs.set_objective(relaxed, pyo.minimize)
        first = highs.solve(self.options.time_limit)
        if not first.has_plan:
            return None
        if first.proven and first.objective is not None:
            highs.add_constraint("fewest_rules", relaxed, None, round(first.objective) + 0.5)
        highs.set_objective(self.moves, pyo.minimize)
        second = highs.solve(self.options.time_limit)
        if not second.has_plan:  # keep the first stage's relaxation
            highs.set_objective(relaxed, pyo.minimize)
            highs.solve(self.options.time_limit)
        self.values = {k: pyo.value(var) for k, var in self.slack.items()}
        self.least = sum(v / next(r.scale for r in self.rules if r.key == k) for k, v in self.values.items())
        return self.values

    def helps(self, key: str, moved: set[str]) -> bool:
        """Would the moved rules move less if the unmoved rule ``key`` were lifted (free, unpriced)?
        Then ``key`` is part of the conflict. The other unmoved rules are held as written meanwhile."""
        scale = {r.key: r.scale for r in self.rules}
        highs, model = self.highs, self.model
        highs.release("fewest_rules")  # the count no longer matters: only the moves of the moved rules
        others = [var for k, var in self.slack.items() if k not in moved and k != key]
        highs.set_bounds(others, [0.0] * len(others), [0.0] * len(others))
        if key in self.held:
            lifted, switch = self.held[key], None
        else:
            lifted, switch = self.slack[key], model.relaxed[key]
            highs.set_bounds([switch], [1.0], [1.0])
        highs.set_bounds([lifted], [0.0], [INFINITY])
        highs.set_objective(sum(self.slack[k] / scale[k] for k in moved), pyo.minimize)
        outcome = highs.solve(self.options.time_limit)
        least = sum(self.values[k] / scale[k] for k in moved)
        # restore: held rules back at zero, elastic ones back to their switch
        highs.set_bounds(others, [0.0] * len(others), [INFINITY] * len(others))
        highs.set_bounds([lifted], [0.0], [0.0 if switch is None else INFINITY])
        if switch is not None:
            highs.set_bounds([switch], [0.0], [1.0])
        return outcome.has_plan and outcome.proven and outcome.objective < least * (1 - 1e-6) - 1e-9


def _binding(relaxation: Relaxation, moved: set[str]) -> list[ElasticRule]:
    """Budget rules not moved that, lifted, would let the moved rules move less: the rules the moved
    ones conflict with. (Not merely those at their limit: with whole units a rule can bind with money
    to spare, as a budget of 60 binds two units of 50.)"""
    return [r for r in budget_rules(relaxation.inputs) if r.key not in moved and relaxation.helps(r.key, moved)]


# ---- sentences -------------------------------------------------------------------------------


def _amount(value: float, unit: str, currency: str) -> str:
    if unit == "money":
        return money_text(value, currency)
    if unit == "days":
        return f"{value:,.0f} days"
    return f"{value:,.6g} {unit}"


def _figure(rule: ElasticRule, currency: str) -> str:
    if rule.unit == "share":
        return f"{rule.amount:.1%} of spending"
    return _amount(rule.amount, rule.unit, currency)


def _named(rule: ElasticRule, currency: str) -> str:
    return f"{rule.name} ({rule.cell}, {_figure(rule, currency)})"


def _sentence(rule: ElasticRule, change: float, against: list[ElasticRule], currency: str) -> str:
    """One conflict in words; a share rule's change is money (its slack is spending)."""
    unit = "money" if rule.unit == "share" else rule.unit
    by = _amount(change, unit, currency)
    others = " and ".join(_named(r, currency) for r in against)
    if rule.loosen == "come down" and rule.unit != "share":
        limit = (
            f"what {others} leave{'s' if len(against) == 1 else ''}" if against else "the most that can be spent on it"
        )
        text = (
            f"{rule.name} of {_figure(rule, currency)} exceeds {limit} by {by}; "
            f"it must come down to {_amount(rule.amount - change, unit, currency)}"
        )
    elif rule.loosen == "come down":
        limit = f" within {others}" if against else ""
        text = f"{rule.name} of {_figure(rule, currency)} cannot be met{limit}: spending on it is {by} short"
    else:
        need = f" to allow {others}" if against else ""
        to = f" (to {_amount(rule.amount + change, unit, currency)})" if rule.unit != "share" else ""
        text = f"{rule.name} of {_figure(rule, currency)} must rise by {by}{to}{need}"
    return f"{rule.cell}: {text}."


def _conflicts(inputs: Inputs, rules: Sequence[ElasticRule], relaxation: Relaxation) -> list[Conflict]:
    values = relaxation.values
    moved = {k for k, v in values.items() if v > SLACK_TOLERANCE * next(r.scale for r in rules if r.key == k)}
    against = _binding(relaxation, moved) if moved else []
    conflicts = []
    for rule in rules:
        if rule.key not in moved:
            continue
        change = values[rule.key]
        others = [r for r in against if r.key != rule.key]
        conflicts.append(
            Conflict(
                rule,
                change,
                tuple(_named(r, inputs.currency) for r in others),
                _sentence(rule, change, others, inputs.currency),
            )
        )
    return conflicts


# ---- the entry point -------------------------------------------------------------------------


def explain_infeasibility(
    inputs: Inputs,
    targets: dict[str, int],
    options: SolveOptions,
    extra_rules: Sequence[ElasticRule] = (),
    target_option: bool = False,
    beyond_reach: Sequence[str] = (),
) -> Infeasible | SolverFailure:
    """Why no plan satisfies every rule, as an Infeasible to raise (or a SolverFailure when every rule
    can in fact be met: the solver's 'no plan' was numerical trouble). ``extra_rules`` are relaxed
    together with the budget rules (a later proposal's earmarks, say). ``beyond_reach``: scenarios already proven
    unable to reach their targets on their own (NoPlan.beyond_reach)."""
    target_option = target_option or getattr(options, "target", None) is not None
    diagnosis = _targets_beyond_reach(inputs, targets, beyond_reach, options, target_option) if beyond_reach else None
    if diagnosis is None:
        diagnosis = diagnose(inputs, targets, options, extra_rules, target_option)
    if diagnosis is None:
        return SolverFailure(
            "HiGHS reported no plan, yet one exists with every rule as written (found by the relaxation): "
            "numerical trouble in the solver; very large or very small figures are the usual cause"
        )
    rows = [
        {
            "Cell": c.rule.cell,
            "Rule": c.rule.name,
            "As written": c.rule.amount,
            "Unit": inputs.currency if c.rule.unit == "money" else c.rule.unit,
            "Must": c.rule.loosen,
            "By": c.change,
            "By unit": inputs.currency if c.rule.unit in ("money", "share") else c.rule.unit,
            "Largest reachable (days)": c.reachable,
            "Conflicts with": "; ".join(c.against),
            "Explanation": c.text,
        }
        for c in diagnosis.conflicts
    ]
    return Infeasible(diagnosis.summary, [c.text for c in diagnosis.conflicts] + diagnosis.notes, rows)


def explained(problem: Infeasible, options: SolveOptions) -> Infeasible:
    """The rules that conflict, for a solve's bare 'no plan' (NoPlan); any other Infeasible, which
    already names its rules, as it is. Raises SolverFailure when every rule can in fact be met."""
    if not isinstance(problem, NoPlan):
        return problem
    found = explain_infeasibility(problem.inputs, problem.targets, options, beyond_reach=problem.beyond_reach)
    if isinstance(found, SolverFailure):
        raise found
    return found


def diagnose(
    inputs: Inputs,
    targets: dict[str, int],
    options: SolveOptions,
    extra_rules: Sequence[ElasticRule] = (),
    target_option: bool = False,
) -> Diagnosis | None:
    """The conflicting rules; None when no rule needs to move (a plan exists as written)."""
    rules = [*budget_rules(inputs), *extra_rules]
    relaxed = Relaxation(inputs, rules, {}, options, extra_rules)
    if relaxed.solve() is None:
        return Diagnosis(
            "No plan satisfies every rule, and relaxing the budget rules did not find one either.",
            notes=["Check Requires/Excludes on the Projects sheet: they may contradict each other."],
        )
    conflicts = _conflicts(inputs, rules, relaxed)
    if conflicts:
        return Diagnosis(
            f"No plan satisfies every budget rule. The fewest rules that must move ({len(conflicts)}), by the least:",
            conflicts,
        )
    if not targets:
        return None

    # The budget rules hold together: the targets are what no plan can reach.
    goals = target_rules(inputs, targets, target_option)
    relaxed = Relaxation(inputs, goals, targets, options, extra_rules)
    if relaxed.solve() is None:
        return None
    conflicts = _conflicts(inputs, goals, relaxed)
    if not conflicts:
        return None
    reachable = largest_reachable(inputs, [c.rule.key.split(":", 1)[1] for c in conflicts], options)
    explained = []
    for conflict in conflicts:
        scenario_id = conflict.rule.key.split(":", 1)[1]
        scenario = inputs.scenarios[scenario_id]
        best = reachable[scenario_id]
        together = targets[scenario_id] - round(conflict.change)
        limits = f"; held back by {'; '.join(conflict.against)}" if conflict.against else ""
        text = (
            f"{conflict.rule.cell}: the target of {targets[scenario_id]} days for {scenario.name} cannot be reached "
            f"by any plan within the rules; at most {best} days are reachable in this scenario"
            + (f" on its own, {together} with the other targets met" if together < best else "")
            + f"{limits}."
        )
        explained.append(Conflict(conflict.rule, conflict.change, conflict.against, text, best))
    return Diagnosis(
        f"No plan within the budget rules reaches every target. The targets that must come down ({len(explained)}):",
        explained,
    )


def _targets_beyond_reach(
    inputs: Inputs, targets: dict[str, int], beyond_reach: Sequence[str], options: SolveOptions, target_option: bool
) -> Diagnosis | None:
    """The targets no plan reaches even alone, when money cannot reach one of them: each with the most days its
    scenario reaches within the budget rules and with no limit on money, so that no budget rule is blamed for a
    scenario money cannot help (the elastic model, after minutes, named the 2027 budget for one). None when more
    money would reach every one of them: the elastic model then names the budget rules that hold them back."""
    scenario_ids = list(beyond_reach)
    unlimited = largest_reachable(without_budget_limits(inputs), scenario_ids, options)
    if all(unlimited[s] >= targets[s] for s in scenario_ids):
        return None
    reachable = largest_reachable(inputs, scenario_ids, options)
    explained = []
    for rule in target_rules(inputs, {s: targets[s] for s in scenario_ids}, target_option):
        scenario_id = rule.key.split(":", 1)[1]
        best, most = reachable[scenario_id], unlimited[scenario_id]
        if most >= targets[scenario_id]:
            limit = "more money reaches it: the budget rules hold it back"
        elif most > best:
            limit = f"{most} with no limit on money: beyond that Max units, lead times or Requires hold it back"
        else:
            limit = "whatever the money: Max units, lead times or Requires hold it back"
        text = (
            f"{rule.cell}: the target of {targets[scenario_id]} days for {inputs.scenarios[scenario_id].name} cannot "
            f"be reached by any plan within the rules, even with no other target asked; at most {best} days are "
            f"reachable in this scenario, {limit}."
        )
        explained.append(Conflict(rule, targets[scenario_id] - best, (), text, best))
    return Diagnosis(
        f"No plan within the budget rules reaches every target. The targets that must come down ({len(explained)}), "
        "each out of reach on its own:",
        explained,
        ["Whether the other targets hold together is asked once these come down."],
    )


def largest_reachable(inputs: Inputs, scenario_ids: list[str], options: SolveOptions) -> dict[str, int]:
    """For each scenario, the most days of endurance any plan reaches with every budget rule as written
    (the other scenarios unconstrained): the bisection of the solve, asked of the block model."""
    reachable = {}
    for scenario_id in scenario_ids:
        runner = BlockRunner(inputs, options, scenario_ids=[scenario_id])
        reachable[scenario_id] = highest_level(
            runner, {scenario_id: 0}, scenario_id, inputs.scenarios[scenario_id].horizon
        )
    return reachable
