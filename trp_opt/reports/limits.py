"""The 'Limits' sheet: each rule lifted by a stated amount, the days it gains for the worst case and for each
scenario, ranked; the rules not re-solved and why. The 'Price of the next day' sheet. And the sentences that
say both in the Summary and the terminal."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl import Workbook

from trp_opt.data import vocabulary
from trp_opt.data.explanations import WORST, Lift, Limits, MoreDays, NextDay
from trp_opt.data.inputs import Inputs
from trp_opt.data.money import money_text
from trp_opt.data.solution import ScenarioResult
from trp_opt.io.excel import BOLD, append_row, titled_sheet
from trp_opt.io.excel import header_row as _header
from trp_opt.io.excel import set_widths as _widths
from trp_opt.reports.sentences import day_count, units_words

LIMITS_SHEET = "Limits"
PRICE_SHEET = "Price of the next day"
MOST_NAMED = 3  # rules named in a sentence


# Beside the plan's own days: why a scenario can reach more than the plan gives it.
REACHABLE_WHY = (
    "'Reachable as planned': the most days each scenario can last within the same rules while every other keeps the "
    "worst case. The plan's own days (Endurance sheet) can be fewer where it gives those days to other scenarios "
    "(the weighted endurance) or saves money (the cost stage)."
)


def plan_rows(
    ws, endurance: Mapping[str, int], worst: int, reachable: Mapping[str, int], scenarios: list[str], lead: int
) -> None:
    """The two rows every explaining sheet starts with: the plan's own days, and what its rules allow (in bold, the
    figure the gains are counted from). ``lead``: blank cells between the label and the worst case."""
    append_row(
        ws,
        ["The plan (days, Endurance sheet)", *[""] * lead, min(endurance.values())] + [endurance[s] for s in scenarios],
    )
    append_row(ws, ["Reachable as planned (days)", *[""] * lead, worst] + [reachable[s] for s in scenarios])
    ws.cell(ws.max_row, 1).font = BOLD


def add_limits_sheet(book: Workbook, inputs: Inputs, limits: Limits, endurance: Mapping[str, int]) -> None:
    ws = titled_sheet(
        book,
        LIMITS_SHEET,
        "What limits the plan: each rule lifted by the stated amount, the plan chosen again",
        f"Worst case: the most days every scenario lasts at once ({limits.worst} days as planned). A scenario's "
        "column: the most days it lasts while every other keeps the worst case. Figures are days gained. "
        + REACHABLE_WHY,
    )
    scenarios = inputs.scenarios
    _header(
        ws,
        ["Rule", "Where", "Lifted", "Worst case (days gained)"]
        + [f"{scenarios[s].name} (days gained)" for s in scenarios]
        + ["Proven"],
    )
    plan_rows(ws, endurance, limits.worst, limits.bests, list(scenarios), lead=2)
    for lift in limits.lifts:
        append_row(
            ws,
            [lift.rule, lift.cell, lift.change, limits.worst_gain(lift)]
            + [limits.gain(lift, s) for s in scenarios]
            + ["yes" if lift.proven else "no: time limit, gains may be more"],
        )
    if limits.skipped:
        append_row(ws, [])
        _header(ws, ["Not re-solved", "Where", "Why: lifting it does not touch the plan's choice"])
        for skipped in limits.skipped:
            append_row(ws, [skipped.rule, skipped.cell, skipped.why])
    _widths(ws, {"A": 38, "B": 14, "C": 34, "D": 16})
    ws.freeze_panes = "B5"


def limit_sentences(
    inputs: Inputs, limits: Limits, results: list[ScenarioResult], prices: list[NextDay] | None = None
) -> list[str]:
    """One sentence for the worst case and one per scenario: which rules hold it back, most days first. Where no
    rule lifted gains a day but ``prices`` (the price of the next day) finds money that buys one, the sentence says
    so: a lift is one step (a budget by 10%, at least its cheapest unit), and the day may need a larger one."""
    bought = {price.measure: price for price in prices or [] if price.extra is not None}
    worst = min(results, key=lambda r: (r.endurance, r.scenario_id))
    if limits.lifts and not any(lift.proven for lift in limits.lifts):
        return [
            f"What holds the plan back was not found: the time limit ran out before any rule was lifted (sheet {LIMITS_SHEET})."
        ]
    sentences = []
    holding = limits.holding()
    if holding:
        sentences.append(f"The worst case ({limits.worst} days) is held back by {_named(limits, holding, None)}.")
    elif WORST in bought:
        sentences.append(
            f"No rule lifted here gains the worst case ({limits.worst} days) a day{_dearer(inputs, bought[WORST])}"
        )
    else:
        sentences.append(_nothing_in_reach(inputs, limits, worst))
    guesses = _assumptions(inputs, holding[:MOST_NAMED], worst)
    if guesses:
        sentences.append(f"The worst case rests on assumptions (Source says so, no public figure): {guesses}.")
    for scenario_id, scenario in inputs.scenarios.items():
        best = limits.bests[scenario_id]
        if best >= limits.horizons[scenario_id]:
            sentences.append(
                f"{scenario.name} lasts its whole horizon ({best} days) with the others at the worst case."
            )
            continue
        holding = limits.holding(scenario_id)
        start = f"{scenario.name} (at most {best} days while the others keep the worst case)"
        if holding:
            sentences.append(f"{start} is held back by {_named(limits, holding, scenario_id)}.")
        elif scenario_id in bought:
            sentences.append(f"{start}: no rule lifted here gains it a day{_dearer(inputs, bought[scenario_id])}")
        else:
            sentences.append(f"{start}: no rule lifted here gains it a day.")
    if any(not lift.proven for lift in limits.lifts):
        sentences.append("Some re-solves were cut short by the time limit: the days gained may be more than shown.")
    return sentences


def _dearer(inputs: Inputs, price: NextDay) -> str:
    """The end of a 'no rule lifted gains a day' sentence where money buys the day all the same."""
    at_most = "" if price.proven else "at most "
    return (
        f"; more money does, in a larger step than any lift here: day {price.days + 1} costs {at_most}"
        f"{money_text(price.extra or 0.0, inputs.currency)} more (sheet {PRICE_SHEET})."
    )


def _named(limits: Limits, holding: list[Lift], scenario_id: str | None) -> str:
    parts = []
    for lift in holding[:MOST_NAMED]:
        days = limits.worst_gain(lift) if scenario_id is None else limits.gain(lift, scenario_id)
        parts.append(f"{lift.rule} {lift.change} ({lift.cell}): +{day_count(days)}")
    more = len(holding) - MOST_NAMED
    return "; ".join(parts) + (f"; and {more} more (sheet {LIMITS_SHEET})" if more > 0 else "")


def _assumptions(inputs: Inputs, lifts: list[Lift], worst: ScenarioResult) -> str:
    """The assumed rows behind the worst case: the rules that hold it back, and the stock and use of what fails
    first in the worst scenario (and of the stocks exhausted that day), each with its Source cell."""
    found = []
    for lift in lifts:
        cell = inputs.assumed(*lift.row)
        if cell:
            found.append(f"{lift.rule} ({cell})")
    failing = [worst.shortfalls[0].carrier_id] if worst.shortfalls else []
    for carrier in dict.fromkeys(failing + list(worst.exhausted_stocks)):
        name = inputs.carriers[carrier].name
        for sheet, what in (("Storage", "stock"), ("Demands", "use")):
            cell = inputs.assumed(sheet, carrier)
            if cell:
                found.append(f"the {name} {what} ({cell})")
    return "; ".join(found)


def _nothing_in_reach(inputs: Inputs, limits: Limits, worst: ScenarioResult) -> str:
    """No lift gains the worst case a day: say what fails first, and whether any project acts on it."""
    text = f"No rule lifted here gains the worst case ({limits.worst} days) a day"
    if not worst.shortfalls:
        return text + "."
    carrier = worst.shortfalls[0].carrier_id
    name = inputs.carriers[carrier].name
    upstream = _feeding(inputs, carrier)
    acting = sorted(p.id for p in inputs.projects.values() if any(_acts_on(inputs, p.effects, c) for c in upstream))
    text += f": {name} falls short first (day {worst.endurance + 1} of {worst.name})"
    if not acting:
        return text + f", and no project acts on {name}."
    named = ", ".join(acting[:MOST_NAMED]) + (
        f" and {len(acting) - MOST_NAMED} more" if len(acting) > MOST_NAMED else ""
    )
    return text + f"; the projects that act on it ({named}) cannot add a day within any one rule lifted."


def _feeding(inputs: Inputs, carrier: str) -> set[str]:
    """The carrier and every carrier it is made from, however many conversions away (LNG for electricity)."""
    found, todo = {carrier}, [carrier]
    while todo:
        made = todo.pop()
        for technology in inputs.technologies.values():
            if technology.output == made and technology.input is not None and technology.input not in found:
                found.add(technology.input)
                todo.append(technology.input)
    return found


def _acts_on(inputs: Inputs, effects, carrier: str) -> bool:
    """An effect that adds to a carrier directly: its stock, room or relief, or a technology that makes it."""
    for effect in effects:
        if effect.kind in vocabulary.CARRIER_EFFECTS and effect.target == carrier:
            return True
        technology = inputs.technologies.get(effect.target)
        if effect.kind in vocabulary.TECHNOLOGY_EFFECTS and technology is not None and technology.output == carrier:
            return True
    return False


def add_price_sheet(book: Workbook, inputs: Inputs, prices: list[NextDay]) -> None:
    ws = titled_sheet(
        book,
        PRICE_SHEET,
        "The price of the next day: the least extra budget that buys one more day",
        "Every year's budget grows by the same factor (as --budget does); every other scenario keeps its days "
        "in the plan (for the worst case: every scenario lasts at least one day more than the plan's shortest). "
        "What it buys: the cheapest plan at that budget with the day, against the plan.",
    )
    money = inputs.currency
    _header(
        ws,
        [
            "Scenario",
            "Days as planned (days)",
            f"Extra budget for one more day ({money})",
            f"May be lower by at most ({money}; 0: proven least)",
            "Units added (all years)",
            "Units dropped (all years)",
            "Proven",
        ],
    )
    for price in prices:
        append_row(
            ws,
            [
                _measure_name(inputs, price.measure),
                price.days,
                _extra_words(price),
                price.within,
                units_words(inputs, price.added, ids=True),
                units_words(inputs, price.dropped, ids=True),
                "yes" if price.proven else "no: time limit",
            ],
        )
        if price.extra is not None:
            ws.cell(ws.max_row, 3).number_format = "#,##0"
        ws.cell(ws.max_row, 4).number_format = "#,##0"
    _widths(ws, {"A": 30, "B": 14, "C": 24, "D": 24, "E": 40, "F": 40})


def price_sentences(inputs: Inputs, prices: list[NextDay]) -> list[str]:
    """'Blockade 2027: day 49 costs NT$ 2,188 million more, funding 3 × Strategic LNG fill instead of 3 × New-tank LNG
    fill.'"""
    sentences = []
    for price in prices:
        name = _measure_name(inputs, price.measure)
        if price.extra is None and not price.proven:
            sentences.append(f"{name}: the price of day {price.days + 1} was not found within the time limit.")
            continue
        if price.extra is None:
            sentences.append(
                f"{name}: no amount of money buys day {price.days + 1}; the limit lies elsewhere (Limits)."
            )
            continue
        # A search cut short answers 'no' where it did not finish: the money found buys the day, perhaps less would.
        at_most = "" if price.proven else "at most "
        text = f"{name}: day {price.days + 1} costs {at_most}{money_text(price.extra, inputs.currency)} more"
        if price.added:
            text += f", funding {units_words(inputs, price.added)}"
        if price.dropped:
            text += f" instead of {units_words(inputs, price.dropped)}"
        if not price.added and not price.dropped:
            text += ", for the same units started in other years"
        sentences.append(text + ".")
    return sentences


MORE_DAYS_SHEET = "More days"


def more_days_sentence(inputs: Inputs, more: MoreDays) -> str:
    """'+6 days is the most money can buy in the worst case (59 → 65, NT$ 12,000 million more, about NT$ 2,000 million
    a day); beyond that, Assault 2027 cannot last 66 days at any budget: …'"""
    money = inputs.currency
    if not more.prices:
        return f"No amount of money buys a day more in the worst case ({more.worst} days): {more.limit}."
    bought = len(more.prices)
    total = more.prices[-1].extra or 0.0
    at_most = "" if all(price.proven for price in more.prices) else "at most "
    reached = f"{more.worst} → {more.worst + bought}"
    cost = f"{at_most}{money_text(total, money)} more, about {money_text(total / bought, money)} a day"
    if not more.limit:
        first = money_text(more.prices[0].extra or 0.0, money)
        return f"+{bought} days in the worst case ({reached}) cost {cost}; the first day costs {first}."
    return f"+{bought} days is the most money can buy in the worst case ({reached}, {cost}); beyond that, {more.limit}."


def add_more_days_sheet(book: Workbook, inputs: Inputs, more: MoreDays) -> None:
    money = inputs.currency
    ws = titled_sheet(
        book,
        MORE_DAYS_SHEET,
        f"What {more.asked} more days in the worst case cost: the least extra budget for each day more",
        more_days_sentence(inputs, more)
        + " Every year's budget grows by the same factor, as --budget grows it; each row is the cheapest plan with "
        "that many days more, against the plan.",
    )
    _header(
        ws,
        [
            "Days more",
            "Worst case (days)",
            f"Least extra budget ({money})",
            f"May be less by at most ({money}; 0: proven)",
            f"Extra budget per day more ({money})",
            "Funding",
            "Instead of",
            "Proven",
        ],
    )
    for more_days, price in enumerate(more.prices, start=1):
        append_row(
            ws,
            [
                more_days,
                price.days + 1,
                price.extra,
                price.within,
                (price.extra or 0.0) / more_days,
                units_words(inputs, price.added, ids=True),
                units_words(inputs, price.dropped, ids=True),
                "yes" if price.proven else "no: time limit",
            ],
        )
        for column in (3, 4, 5):
            ws.cell(ws.max_row, column).number_format = "#,##0"
    if more.limit:
        append_row(ws, [])
        append_row(ws, [f"Day {more.worst + len(more.prices) + 1}: {more.limit}."])
    _widths(ws, {"A": 12, "B": 18, "C": 26, "D": 28, "E": 28, "F": 40, "G": 40, "H": 14})


def _extra_words(price: NextDay) -> float | str:
    if price.extra is not None:
        return price.extra
    return "not found within the time limit" if not price.proven else "no amount of money (see Limits)"


def _measure_name(inputs: Inputs, measure: str) -> str:
    return inputs.scenarios[measure].name if measure else "The worst case"
