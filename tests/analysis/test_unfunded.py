"""What each unfunded project would buy (trp_opt.analysis.unfunded), on instances whose answers are known by hand.

The base instance (tests.support.instances): 100 kt of LNG, 25 kt a day in a total blockade, so 4 days; one
year (2028) with a budget of NT$ 20 M.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.support.instances import base, project
from trp_opt.analysis.unfunded import unfunded_projects
from trp_opt.data import vocabulary
from trp_opt.data.explanations import Unfunded, UnfundedProject
from trp_opt.data.inputs import ImposedDecision, PolicyRule
from trp_opt.data.options import SolveOptions
from trp_opt.reports.unfunded import unfunded_sentence
from trp_opt.solve.choose import choose_plan

OPTIONS = SolveOptions()


def one_year(*projects):
    return base(years=(2028,), year_budget=20, projects=list(projects))


def asked(inputs):
    chosen = choose_plan(inputs, OPTIONS)
    return chosen, unfunded_projects(inputs, chosen, OPTIONS)


def test_a_project_that_would_add_a_day_enters_where_it_fits_the_budget():
    # The plan: the 50 kt fill (NT$ 12 M, 6 days); two 25 kt fills (NT$ 10 M each) last as long for more.
    # One 25 kt fill imposed at NT$ 10 M: with the large fill it costs 22 > 20, so it stands alone, 5 days.
    # At NT$ 8 M or less both fit: 175 kt, 7 days, a day more: it enters there, and not above.
    chosen, unfunded = asked(
        one_year(
            project("large_fill", 12, ("stock", "lng", 50.0)),
            project("small_fill", 10, ("stock", "lng", 25.0), max_units=2),
        )
    )
    assert chosen.plan == {("large_fill", 2028): 1}
    [small] = unfunded.projects
    assert (unfunded.worst, small.project_id, small.start_year) == (6, "small_fill", 2028)
    assert (small.worst, small.bests) == (5, {"blockade": 5})
    assert (small.entry, small.within) == (pytest.approx(8), pytest.approx(0, abs=1e-9))
    assert small.how == "a day more in a scenario, none fewer in any"


def test_a_project_that_does_the_same_for_less_enters_at_the_cost_it_saves():
    # The plan: the NT$ 12 M fill; a second 50 kt fill at NT$ 15 M does not fit beside it (27 > 20). Free, it
    # would also add 2 days beside the first (8 days) up to NT$ 8 M; but it replaces the first for the same
    # 6 days up to NT$ 12 M, the higher of the two, exactly (two questions, no bisection).
    chosen, unfunded = asked(
        one_year(project("cheap_fill", 12, ("stock", "lng", 50.0)), project("dear_fill", 15, ("stock", "lng", 50.0)))
    )
    assert chosen.plan == {("cheap_fill", 2028): 1}
    [dear] = unfunded.projects
    assert (dear.worst, dear.bests) == (6, {"blockade": 6})  # it replaces the cheap fill: no day lost
    assert dear.entry == pytest.approx(12)
    assert dear.how == "the plan's days for less money"


def test_a_share_cap_on_its_category_holds_the_entry_price_to_what_the_share_allows():
    # As the first test (free, the 25 kt fill beside the large one adds a day), but its category may take at
    # most 20% of what is spent: price ≤ 0.2 × (12 + price), so at most NT$ 3 M, below the NT$ 8 M the year allows.
    cap = PolicyRule("small_share", vocabulary.RULE_CATEGORY_CAP, 0.2, category="small", cell="Policy!E2")
    cap = dataclasses.replace(cap, amount_unit=vocabulary.AMOUNT_SHARE)
    inputs = dataclasses.replace(
        one_year(
            project("large_fill", 12, ("stock", "lng", 50.0)),
            project("small_fill", 10, ("stock", "lng", 25.0), category="small"),
        ),
        policy=(cap,),
    )
    _, unfunded = asked(inputs)
    [small] = unfunded.projects
    assert (small.entry, small.how) == (pytest.approx(3), "a day more in a scenario, none fewer in any")


def test_projects_that_never_enter_say_why():
    late = project("late_tank", 1, ("stock", "lng", 50.0), lead_time=1)  # started 2028, finished 2029: too late
    useless = project("more_plants", 1, ("capacity", "gas", 10.0))  # the plants have room to spare
    chosen, unfunded = asked(one_year(project("fill", 12, ("stock", "lng", 50.0)), late, useless))
    assert chosen.plan == {("fill", 2028): 1}
    why = {p.project_id: (p.entry, p.how) for p in unfunded.projects}
    assert why["late_tank"] == (None, "never: finished in 2029 at the earliest, after every scenario's onset")
    assert why["more_plants"][0] is None
    assert why["more_plants"][1].startswith("never: even free it buys no day and saves no money")


def test_a_unit_that_does_not_fit_has_no_days():
    # A NT$ 25 M unit in a NT$ 20 M year: no plan within the rules has it. It enters at NT$ 8 M (beside the
    # fill, 175 kt: 7 days).
    chosen, unfunded = asked(
        one_year(project("fill", 12, ("stock", "lng", 50.0)), project("big_fill", 25, ("stock", "lng", 25.0)))
    )
    [big] = unfunded.projects
    assert big.worst is None
    assert (big.entry, big.within) == (pytest.approx(8), pytest.approx(0, abs=1e-9))


def test_a_project_a_cap_of_zero_keeps_out_never_enters():
    # A cap of 0 on the fill's category: free, it would add a day, but at any price above 0 no plan has it. It
    # never enters (it had been reported as entering 'below NT$ 0.2 M'), and the sheet names the rule.
    cap = PolicyRule("keep_out", vocabulary.RULE_CATEGORY_CAP, 0.0, category="ammunition", cell="Policy!E3")
    inputs = dataclasses.replace(
        one_year(
            project("fill", 12, ("stock", "lng", 50.0)),
            project("rounds", 10, ("stock", "lng", 25.0), category="ammunition"),
        ),
        policy=(cap,),
    )
    _, unfunded = asked(inputs)
    [rounds] = unfunded.projects
    assert (rounds.worst, rounds.entry) == (None, None)
    assert rounds.how == "never: the Policy rule keep_out (Policy!E3) caps ammunition at 0"


def test_projects_a_proposal_decides_are_not_asked_about():
    inputs = one_year(project("fill", 12, ("stock", "lng", 50.0)), project("other", 5, ("stock", "lng", 25.0)))
    inputs = dataclasses.replace(inputs, imposed={"other": ImposedDecision(0, cell="Projects!C3")})
    _, unfunded = asked(inputs)
    assert unfunded.projects == []
    assert [(s.rule, s.cell, s.why) for s in unfunded.skipped] == [("other", "Projects!C3", "imposed by the proposal")]


def test_an_entry_price_found_only_below_the_precision_is_said_so():
    # The fill costs NT$ 10 M; a program stopped short (a gap) found 0 with 0.2 to spare: 'below 0.2', not 'at 0'.
    project_at = UnfundedProject("fill", 2028, 10.0, 6, {}, 0.0, 0.2, "the plan's days for less money")
    fill = project("fill", 10, ("stock", "lng", 25.0))
    sentence = unfunded_sentence(one_year(fill), Unfunded(6, {}, [project_at]))
    assert "fill below NT$ 0.2 million (now NT$ 10 million)" in sentence
