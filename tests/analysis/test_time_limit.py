"""With --time-limit, the sheets that explain a plan share one clock (trp_opt.data.options.with_deadline), and
what it cuts short says so instead of reporting a figure the search never proved. Here the clock has already
run out, so every question is cut short: the outcome does not depend on the machine's speed."""

from __future__ import annotations

import dataclasses
import time

from tests.support.instances import base, project
from trp_opt.analysis.explanation import explain_plan
from trp_opt.analysis.limits import what_limits
from trp_opt.analysis.price import price_of_next_day
from trp_opt.analysis.unfunded import unfunded_projects
from trp_opt.analysis.value import marginal_days, project_values
from trp_opt.data.options import SolveOptions, seconds_left, with_deadline
from trp_opt.reports.limits import limit_sentences, price_sentences
from trp_opt.reports.unfunded import unfunded_sentence
from trp_opt.solve.choose import choose_plan

OPTIONS = SolveOptions()


def instance():
    # 100 kt of LNG at 25 kt a day; a NT$ 12 M fill of 50 kt fits the NT$ 20 M year, a dearer one does not.
    fills = [project("cheap_fill", 12, ("stock", "lng", 50.0)), project("dear_fill", 15, ("stock", "lng", 50.0))]
    return base(years=(2028,), year_budget=20, projects=fills)


def test_the_deadline_is_the_time_limit_from_now_and_the_earlier_clock_wins():
    assert with_deadline(OPTIONS) is OPTIONS  # no time limit: no deadline
    options = with_deadline(SolveOptions(time_limit=30.0))
    assert 29.0 < options.deadline - time.perf_counter() <= 30.0
    started = time.perf_counter() - 25.0  # a solve that began 25 s ago, on a 30 s limit: 5 s left
    assert 4.0 < seconds_left(options, started) <= 5.0
    late = dataclasses.replace(options, deadline=time.perf_counter() + 1.0)
    assert seconds_left(late, time.perf_counter()) <= 1.0


def test_analyses_cut_short_say_so():
    inputs = instance()
    chosen = choose_plan(inputs, OPTIONS)
    assert chosen.endurance == {"blockade": 6}
    out_of_time = dataclasses.replace(OPTIONS, deadline=time.perf_counter() - 1.0)
    solution = explain_plan(inputs, chosen, OPTIONS)

    unfunded = unfunded_projects(inputs, chosen, out_of_time)
    assert [(p.project_id, p.proven) for p in unfunded.projects] == [("dear_fill", False)]
    assert unfunded_sentence(inputs, unfunded) == (
        "Of 1 unfunded project, none was answered within the time limit (sheet Unfunded projects)."
    )

    prices = price_of_next_day(inputs, chosen.plan, chosen.endurance, out_of_time)
    assert all(not price.proven and price.extra is None for price in prices)
    assert (
        price_sentences(inputs, prices)[0] == "The worst case: the price of day 7 was not found within the time limit."
    )

    limits = what_limits(inputs, chosen, out_of_time)
    assert limit_sentences(inputs, limits, solution.scenarios) == [
        "What holds the plan back was not found: the time limit ran out before any rule was lifted (sheet Limits)."
    ]


def test_days_per_project_are_never_cut_short():
    # The plan held, each a small linear program: a time limit that cut one would report days the plan has.
    inputs = instance()
    chosen = choose_plan(inputs, OPTIONS)
    out_of_time = dataclasses.replace(OPTIONS, deadline=time.perf_counter() - 1.0)
    lost = {value.project_id: value.days_lost for value in project_values(inputs, chosen, out_of_time)}
    assert lost == {"cheap_fill": {"blockade": 2}}


def test_the_value_of_money_cut_short_proves_nothing_and_stops_nothing():
    # A re-solve cut short keeps a plan that fits, not the best: with more money it may even last less. It is
    # flagged, and when it found no plan at all the plan is still written.
    inputs = instance()
    chosen = choose_plan(inputs, OPTIONS)
    out_of_time = dataclasses.replace(OPTIONS, deadline=time.perf_counter() - 1.0)
    marginal = marginal_days(inputs, chosen, out_of_time, 10.0)
    assert not marginal.proven
    assert marginal_days(inputs, chosen, OPTIONS, 10.0).proven
