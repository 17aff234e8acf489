"""The price of the next day (trp_opt.analysis.price) against brute force: every plan enumerated."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from tests.support.instances import base, project, scenario, total_budget
from trp_opt.analysis.price import more_days, price_of_next_day
from trp_opt.data.options import SolveOptions
from trp_opt.reports.limits import more_days_sentence, price_sentences
from trp_opt.solve.choose import choose_plan

OPTIONS = SolveOptions()


def small():
    # 100 kt of LNG, 25 kt a day; fills of 25 kt for NT$ 6 M (at most 5) and of 50 kt for NT$ 10 M (at most 2);
    # NT$ 20 M a year in 2027 and 2028, so NT$ 40 M in all.
    projects = [
        project("small_fill", 6, ("stock", "lng", 25.0), max_units=5),
        project("large_fill", 10, ("stock", "lng", 50.0), max_units=2),
    ]
    return base(room=1000, years=(2027, 2028), year_budget=20, projects=projects)


def brute_force_price(inputs, days_wanted: int) -> float | None:
    """The least total budget, scaled as --budget scales it, at which some plan lasts ``days_wanted`` days,
    less the workbook's: every plan (units per project and start year) tried."""
    budget = inputs.spend_limit()
    share = {y: b / budget for y, b in inputs.year_budgets.items()}
    options = []
    for p in inputs.projects.values():
        options.append(
            [
                dict(zip(inputs.years, units))
                for units in itertools.product(range(p.max_units + 1), repeat=len(inputs.years))
                if sum(units) <= p.max_units
            ]
        )
    cheapest = None
    for choice in itertools.product(*options):
        stock = inputs.storage["lng"].initial
        spend = dict.fromkeys(inputs.years, 0.0)
        for p, units in zip(inputs.projects.values(), choice):
            for year, count in units.items():
                stock += count * p.effect("stock", "lng")
                spend[year] += count * p.unit_cost
        if int(stock // 25) < days_wanted:
            continue
        # The budget at which this plan fits: its total, and each year's spend over that year's share.
        needed = max(sum(spend.values()), *(spend[y] / share[y] for y in inputs.years))
        needed = max(needed, budget)  # the price is of more money: a plan that fits the budget costs nothing more
        cheapest = needed if cheapest is None else min(cheapest, needed)
    return None if cheapest is None else cheapest - budget


def test_the_price_of_the_next_day_is_what_brute_force_finds():
    inputs = small()
    chosen = choose_plan(inputs, OPTIONS)
    assert chosen.endurance == {"blockade": 11}  # by hand: 2 large fills in 2027, 3 small ones in 2028
    prices = price_of_next_day(inputs, chosen.plan, chosen.endurance, OPTIONS)
    expected = brute_force_price(inputs, 12)
    assert expected == pytest.approx(4.0)  # 2 small and a large fill each year: NT$ 22 M a year
    assert [price.measure for price in prices] == ["", "blockade"]
    for price in prices:
        assert price.days == 11
        assert price.extra == pytest.approx(expected, abs=1e-6)
        assert price.within == pytest.approx(0.0, abs=1e-6)
        assert price.added == {"small_fill": 1}


def test_a_total_budget_below_the_years_grows_by_the_amount_and_the_years_by_its_factor():
    # NT$ 30 M in all of the two years' 40: the total binds before the years do, and grows by the extra amount
    # while each year grows by the factor (30 + extra) / 30. Brute force says what the next day costs.
    inputs = small()
    inputs = dataclasses.replace(inputs, policy=(total_budget(30.0),))
    chosen = choose_plan(inputs, OPTIONS)
    days = chosen.endurance["blockade"]
    prices = price_of_next_day(inputs, chosen.plan, chosen.endurance, OPTIONS)
    expected = brute_force_price(inputs, days + 1)
    assert expected is not None and expected > 0
    assert [price.extra for price in prices] == pytest.approx([expected, expected], abs=1e-6)


def test_no_amount_of_money_when_every_unit_is_not_enough():
    # Money for every fill: 100 + 5 × 25 + 2 × 50 = 325 kt, 13 days, so the long scenario's 14th day has no
    # price. The short one lasts its whole horizon (10 days), and with it the worst case: neither is asked.
    inputs = small()
    inputs = base(
        room=1000,
        years=(2027, 2028),
        year_budget=1000,
        projects=list(inputs.projects.values()),
        scenarios=[scenario("long", onset_year=2028, horizon=30), scenario("short", onset_year=2028, horizon=10)],
    )
    chosen = choose_plan(inputs, OPTIONS)
    assert chosen.endurance == {"long": 13, "short": 10}
    prices = price_of_next_day(inputs, chosen.plan, chosen.endurance, OPTIONS)
    assert [(price.measure, price.extra) for price in prices] == [("long", None)]


def test_the_price_sentence_names_projects_not_ids():
    """'funding small_fill ×2' read as code; a sentence names the project as the workbook does: '2 × Small LNG fill'."""
    inputs = small()
    named = {
        pid: dataclasses.replace(p, name=f"{'Small' if pid == 'small_fill' else 'Large'} LNG fill")
        for pid, p in inputs.projects.items()
    }
    inputs = dataclasses.replace(inputs, projects=named)
    chosen = choose_plan(inputs, OPTIONS)
    sentences = price_sentences(inputs, price_of_next_day(inputs, chosen.plan, chosen.endurance, OPTIONS))
    text = " ".join(sentences)
    assert "LNG fill" in text and "× " in text
    assert "small_fill" not in text and "large_fill" not in text


def test_more_days_price_each_day_until_money_buys_no_more():
    """By hand: NT$ 40 M buys 10 fills (14 days); each day more is one fill more, NT$ 4 M, up to the 20 fills Max units
    allows (24 days); day 25 no money buys."""
    inputs = base(
        room=1000, years=(2028,), year_budget=40, projects=[project("fill", 4, ("stock", "lng", 25.0), max_units=20)]
    )
    chosen = choose_plan(inputs, OPTIONS)
    assert chosen.endurance == {"blockade": 14}
    more = more_days(inputs, chosen.plan, chosen.endurance, OPTIONS, 12)
    assert [price.extra for price in more.prices] == pytest.approx([4.0 * k for k in range(1, 11)])
    assert [price.days + 1 for price in more.prices] == list(range(15, 25))
    assert all(price.added == {"fill": k} for k, price in enumerate(more.prices, start=1))
    assert more.limit.startswith("Blockade cannot last 25 days at any budget")
    assert more_days_sentence(inputs, more).startswith(
        "+10 days is the most money can buy in the worst case (14 → 24, NT$ 40 million more, about NT$ 4 million a day)"
    )
    within = more_days(inputs, chosen.plan, chosen.endurance, OPTIONS, 3)
    assert (len(within.prices), within.limit) == (3, "")
    assert more_days_sentence(inputs, within) == (
        "+3 days in the worst case (14 → 17) cost NT$ 12 million more, about NT$ 4 million a day; the first day costs "
        "NT$ 4 million."
    )
