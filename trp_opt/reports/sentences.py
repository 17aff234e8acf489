"""Sentences an analyst can read out, shared by the console and the workbooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trp_opt.data.derived import cheapest_unit
from trp_opt.data.inputs import Inputs
from trp_opt.data.money import money_text
from trp_opt.data.solution import ScenarioResult, Solution, days_text

if TYPE_CHECKING:
    from trp_opt.analysis.compare import Comparison, Lift


OBJECTIVE_WORDS = {
    "maxmin": "best worst case (maxmin): the most days every scenario lasts at once; ties go to the most weighted "
    "days, then to the least cost",
    "expected": "most weighted days (expected): each scenario's days times its weight, summed; ties go to the least "
    "cost",
    "target": "cheapest plan that meets every target (target)",
}


def units_words(inputs: Inputs, units: dict[str, int], ids: bool = False) -> str:
    """Units of projects by name, as a sentence says them: '2 × Strategic LNG fill, 1 × LEO satellite lease'; in a
    table (``ids``) the ID beside the name: '2 × Strategic LNG fill (lng_fill)'."""
    return ", ".join(
        f"{count} × {inputs.projects[project_id].name}" + (f" ({project_id})" if ids else "")
        for project_id, count in units.items()
    )


def objective_words(objective: str) -> str:
    """What an objective asks for, in plain words, its name in brackets."""
    return OBJECTIVE_WORDS.get(objective, objective)


def scenario_sentence(result: ScenarioResult, carrier_names: dict[str, str]) -> str:
    """One line an analyst can read out: days, and what fails first."""
    if result.unbroken:
        return f"{result.name}: ≥ {result.horizon} days (every requirement met over the whole horizon)."
    text = f"{result.name}: {result.endurance} days"
    if result.shortfalls:
        first = result.shortfalls[0]
        text += (
            f"; {first.carrier_name} falls short by {first.shortfall:,.1f} {first.unit} "
            f"({first.share:.0%} of the requirement) on day {result.endurance + 1}"
        )
    if result.exhausted_stocks:
        names = ", ".join(carrier_names[c] for c in result.exhausted_stocks)
        text += f" ({names} stock exhausted)"
    return text + "."


UNSPENT_TOLERANCE = 1e-6  # relative to the budget: less is rounding, not money left


def unspent_sentence(solution: Solution) -> str | None:
    """Money the plan leaves, and what keeps it from buying days; None when it spends (nearly) all of it."""
    inputs = solution.inputs
    money = inputs.currency
    limit = inputs.spend_limit()
    left = limit - solution.total_spent
    if left <= UNSPENT_TOLERANCE * max(1.0, limit):
        return None
    cheapest = cheapest_unit(inputs, None, None)
    text = f"{money_text(left, money)} of the budget is left unspent"
    if cheapest is None:
        return text + "."
    cost, project = cheapest
    if left < cost:
        return text + f": less than the cheapest unit for sale ({project.name}, {money_text(cost, money)})."
    text += ": no unit it could buy adds a day within the rules"
    limits = solution.limits
    if limits is None:
        return text + " (a year's budget, a Policy cap, Max units, a lead time, Requires or Excludes keeps it out)."
    holding = [lift.rule for lift in limits.holding()][:3]
    if holding:
        return text + f"; what holds the worst case back instead: {', '.join(holding)} (sheet Limits)."
    return (
        text + "; no rule lifted gains a day in the worst case: it is held by what no project acts on (sheet Limits)."
    )


def counted_requirements_sentence(inputs: Inputs) -> str:
    """Which requirements count toward endurance, and which are only tracked."""
    names = inputs.carriers
    counted = [names[c].name for c, demand in inputs.demands.items() if demand.counts]
    tracked = [names[c].name for c, demand in inputs.demands.items() if not demand.counts]
    text = f"Endurance counts the days every one of these is met: {', '.join(counted)}"
    if tracked:
        text += f". Tracked, not counted (Demands' 'Counts toward endurance' is 'no'): {', '.join(tracked)}"
    return text + "."


def requirement_days_sentence(result: ScenarioResult, inputs: Inputs) -> str:
    """'Each requirement on its own: Electricity 59 days, Bandwidth ≥ 140 (not counted), …'"""
    parts = []
    for carrier, days in result.requirement_days.items():
        counted = "" if inputs.demands[carrier].counts else " (not counted)"
        parts.append(f"{inputs.carriers[carrier].name} {days_text(days, result.horizon)}{counted}")
    return f"each requirement on its own, days: {', '.join(parts)}"


def day_count(count: int) -> str:
    """'1 day', '-1 day', '4 days'."""
    return f"{count} day{'' if abs(count) == 1 else 's'}"


def answer_sentence(comparison: Comparison) -> str:
    """The question a comparison answers, in one sentence: 'The proposal loses 12 days in the worst case (61 → 49)
    and 30 days in Blockade 2030; the same money, spent best, would lose only 4 days in the worst case.' Where the
    worst case is kept, the scenario that loses most is the measure."""
    today = comparison.today or comparison.best
    before, after = today.worst.endurance, comparison.written.worst.endurance
    names = {r.scenario_id: r.name for r in today.scenarios}
    losses = {s: comparison.lost(s) for s in names}
    most = max(losses, key=lambda s: (losses[s], -comparison.written.endurance_by_scenario[s], s))
    if before - after <= 0 and losses[most] <= 0:
        gained = before - after < 0 or any(loss < 0 for loss in losses.values())
        return (
            f"The proposal loses no day against today's plan in any scenario (worst case {before} → {after} days)"
            + ("; it gains in some." if gained else ".")
        )
    if before - after > 0:
        text = f"The proposal loses {day_count(before - after)} in the worst case ({before} → {after})"
        if losses[most] > before - after:
            text += f" and {day_count(losses[most])} in {names[most]}"
        lost, best_lost, where = before - after, before - comparison.best.worst.endurance, " in the worst case"
    else:
        text = f"The proposal keeps the worst case ({after} days) but loses {day_count(losses[most])} in {names[most]}"
        lost = losses[most]
        best_lost = today.endurance_by_scenario[most] - comparison.best.endurance_by_scenario[most]
        where = " there"
    if best_lost <= 0:
        return text + "; the same money, spent best, would lose none: the proposal's figures cost it all."
    if best_lost < lost:
        return text + f"; the same money, spent best, would lose only {day_count(best_lost)}{where}."
    return text + "; the same money, spent best, would lose as much: the loss is the budget's, not the figures'."


def release_sentence(lift: Lift, comparison: Comparison) -> str:
    """'Releasing the NT$ 10,000 million cap on grid (Categories!B3) recovers 5 days in Assault 2027.'"""
    scenarios = comparison.written.inputs.scenarios
    worst_first = sorted(lift.recovered, key=lambda s: (comparison.written.endurance_by_scenario[s], s))
    most = max(worst_first, key=lambda s: lift.recovered[s])  # ties: the scenario that lasts least
    days = lift.recovered[most]
    text = f"Releasing {lift.figure.words} ({lift.figure.cell})"
    if days <= 0:
        return f"{text} recovers no days in any scenario."
    others = [s for s in worst_first if s != most and lift.recovered[s] > 0]
    also = ""
    if others:
        also = " (and " + ", ".join(f"{lift.recovered[s]} in {scenarios[s].name}" for s in others[:2])
        also += ", …)" if len(others) > 2 else ")"
    return f"{text} recovers {day_count(days)} in {scenarios[most].name}{also}."
